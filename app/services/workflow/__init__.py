"""The workflow's use cases, for every area's records: moves, the record's flow detail, the 工作台's to-dos, 催办, paged lists and who may see a record in a flow."""
