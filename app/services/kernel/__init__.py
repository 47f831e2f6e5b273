"""What every use case stands on: the unit of work (uow), the acting user (actor) and whether it may still
act (access), the audit chain and its anchors, gap-free sequences, settings, attachments, the change
feed (changes), the office's clock, and the shared readers (child_rows, light_tables)."""
