"""What every use case stands on: the unit of work, the acting user and its checks, the audit chain, gap-free sequences, settings, attachments, the change feed and the shared readers."""
