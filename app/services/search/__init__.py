"""综合查询: one index of every area's records (sources), kept in each record's own transaction (upkeep),
rebuilt on demand (reindex), and asked within the asker's rights (query)."""
