"""The office's administration as use cases: users and units, login and passwords, backup and restore, the audit log."""
