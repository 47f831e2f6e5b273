"""信息调研's rules, apart from any database (DOMAIN.md §6): adoption points, the groups' quotas by week and
half-year, and the weekly study rotation."""
