"""信息调研's use cases (DOMAIN.md §6)."""
