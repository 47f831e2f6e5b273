"""Use cases: each takes a unit of work and the acting user, and checks what that user may do.

One package per area, beside the shared packages that every area stands on. Areas meet only through
the shared packages and the workflow (tests/test_areas.py holds this):

- kernel: the unit of work, the acting user and its checks, the audit chain, sequences, settings,
  attachments, the change feed, the office's clock and the shared readers;
- admin: users and units, login and passwords, backup and restore, the audit log;
- workflow: moves through a flow, a record's flow detail, the 工作台's to-dos, 催办, paged lists and
  who may see a record in a flow;
- documents (公文) and claims (报账): the areas.
"""
