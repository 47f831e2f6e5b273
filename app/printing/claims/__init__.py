"""报账's form: the 报销单, with or without its scanned receipts (form)."""
