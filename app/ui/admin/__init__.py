"""系统管理: users, units, settings, holidays, backup and restore, the audit log. Administrator only."""
