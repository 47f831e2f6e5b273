"""The office's administration as use cases: users, units and roles (users), login and passwords (auth,
passwords, login_delay), backup and restore (maintenance), the audit log and its wording (audit,
audit_text)."""
