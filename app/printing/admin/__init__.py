"""The administration's forms: the audit chain's anchor sheet."""
