"""A 件's parts in the order DA/T 22-2015 §6.1.2 files them, and the numbered files exported at 归档: for a 发文 the
正本 (the 正式公文) before the 定稿 (发文稿纸, signed 正文, 附件), for a 收文 the 收文处理笺 before what was received."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.forms import PrintContext
from app.forms.documents import archive_files
from app.services.documents import archives, official
from app.services.documents import records as documents
from tests.helpers.document_office import Office, advance_outgoing, build_office, new_draft, new_incoming
from tests.helpers.pdfcheck import page_text


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Office:
    return build_office(sqlite_ctx)


def typeset_pdf() -> bytes:
    stream = io.BytesIO()
    canvas = Canvas(stream)
    canvas.drawString(100, 700, "typeset")
    canvas.save()
    return stream.getvalue()


def test_an_outgoing_document_files_its_original_before_the_final_draft(office: Office) -> None:
    o = office
    doc = new_draft(o)
    o.run(documents.add_file, o.clerk, doc, filename="附件1.pdf", data=b"%PDF-1.4 annex")
    advance_outgoing(o, doc, "print")
    o.run(official.keep_typeset, o.clerk, doc, typeset_pdf())
    advance_outgoing(o, doc, "archive")
    o.run(documents.add_file, o.clerk, doc, filename="签收回执扫描.pdf", data=b"%PDF-1.4 scan", purpose="scan")
    parts = o.run(archives.archive_parts, o.clerk, doc)
    assert [(p.role, p.form) for p in parts] == [
        ("正本", ""), ("发文稿纸", "outgoing-draft"), ("定稿", ""), ("附件", ""), ("扫描件", "")]
    files = archive_files(PrintContext(o.ctx, o.clerk), doc)
    names = [name for name, _ in files]
    assert names[0].startswith("01-正本-县政办发〔") and names[0].endswith("（正式公文）.pdf")
    assert names[1:] == ["02-发文稿纸.pdf", "03-定稿-正文.docx", "04-附件-附件1.pdf", "05-扫描件-签收回执扫描.pdf"]
    assert "发文稿纸" in page_text(files[1][1]) and len(PdfReader(io.BytesIO(files[1][1])).pages) >= 1
    assert files[4][1] == b"%PDF-1.4 scan"


def test_an_incoming_document_files_its_slip_first(office: Office) -> None:
    o = office
    doc = new_incoming(o)
    o.run(documents.add_file, o.clerk, doc, filename="来文.pdf", data=b"%PDF-1.4 received", purpose="body")
    parts = o.run(archives.archive_parts, o.clerk, doc)
    assert [p.role for p in parts] == ["收文处理笺", "来文"]


def test_a_document_without_a_typeset_original_still_lists_its_final_draft(office: Office) -> None:
    o = office
    doc = new_draft(o)
    assert [p.role for p in o.run(archives.archive_parts, o.clerk, doc)] == ["发文稿纸", "定稿"]


def test_another_units_liaison_sees_no_parts(office: Office) -> None:
    o = office
    doc = new_draft(o)
    with pytest.raises(PermissionDenied):
        o.run(archives.archive_parts, o.people["liaison_edu"], doc)
