"""The documents' tables as light SQL clauses, for the reads that must not load the ORM: the 工作台's work
items at every start (app.services.workflow.work_items) and a cold `govdesk print` of a 公文 form
(app.services.documents.printed).

Only the columns those reads name are declared, once, here; tests/services/test_light_tables.py holds each
to the mapped table of app.models with a type of the same class.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Date, Integer, String, Text, column, table

from app.db.tables import UTCDateTime

documents = table(
    "documents",
    column("id", Integer),
    column("direction", String()),
    column("workflow_instance_id", Integer),
    column("title", String()),
    column("doc_type", String()),
    column("urgency", String()),
    column("disclosure", String()),
    column("disclosure_reason", String()),
    column("doc_date", Date()),
    column("created_at", UTCDateTime()),
    # 发文
    column("main_recipients", String()),
    column("copy_recipients", String()),
    column("drafting_unit_id", Integer),
    column("drafter_name", String()),
    column("doc_number", String()),
    column("copies", Integer),
    column("proofreader", String()),
    # 收文
    column("receipt_number", String()),
    column("received_at", UTCDateTime()),
    column("source_unit", String()),
    column("source_number", String()),
    column("copies_received", Integer),
    column("handling_unit_id", Integer),
    column("handling_deadline", Date()),
    column("handling_provisional", Boolean()),
    column("result", Text()),
)
document_co_handlers = table(
    "document_co_handlers", column("id", Integer), column("document_id", Integer), column("unit_id", Integer)
)
document_replies = table(
    "document_replies",
    column("id", Integer),
    column("document_id", Integer),
    column("method", String()),
    column("recipient", String()),
    column("content", Text()),
    column("replied_at", UTCDateTime()),
    column("replied_by_name", String()),
)
attachments = table(
    "attachments",
    column("id", Integer),
    column("owner_type", String()),
    column("owner_id", Integer),
    column("purpose", String()),
    column("filename", String()),
    column("sort_order", Integer),
)
urges = table(
    "urges",
    column("id", Integer),
    column("instance_id", Integer),
    column("by_name", String()),
    column("method", String()),
    column("note", Text()),
    column("at", UTCDateTime()),
    column("aimed_at_id", Integer),
    column("duty_key", String()),
)

LIGHT_TABLES = (
    documents, document_co_handlers, document_replies, attachments, urges,
)
