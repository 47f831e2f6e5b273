"""正式公文 in the services and the forms loader: what the typesetter reads of a signed, numbered document and its
files, for whom and from which step; the typeset PDF kept with the document, once; the defaults the office's
settings and the document give (the 发文机关标志 by 机关代字, 签发人 of a 上行文, the 公开属性's 附注)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.forms import PrintContext
from app.forms.documents import load_official_document, official_warnings
from app.models import Attachment
from app.services.documents import official, outgoing
from app.services.documents import records as documents
from tests.helpers.document_office import TODAY, Office, advance_outgoing, build_office, new_draft, new_incoming
from tests.helpers.docx_bodies import paragraphs as docx_paragraphs

TITLE = "关于做好冬季森林防火工作的通知"


BODY = ("正文.docx", docx_paragraphs(
    TITLE, "各乡镇人民政府，县政府各部门：",
    "当前已进入森林防火紧要期，现就有关事项通知如下：",
    "一、压实防火责任", "各乡镇要落实网格化管理。", "（一）加强巡护。", "1. 重点时段。", "（1）清明前后。",
))


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def at(o: Office, step: str, **fields: object) -> int:
    doc = new_draft(o, body=BODY, **fields)
    o.run(documents.add_file, o.clerk, doc, filename="附件1：防火检查表.docx", data=docx_paragraphs("检查表"))
    o.run(documents.add_file, o.clerk, doc, filename="附件2 扑火预案.pdf", data=b"%PDF-1.4 plan")
    advance_outgoing(o, doc, step)
    return doc


def test_the_office_typesets_a_numbered_document_with_its_defaults(office: Office) -> None:
    o = office
    doc = at(o, "print")
    source = o.run(official.official_source, o.clerk, doc, today=date(2026, 12, 3))
    assert source.doc_number and source.doc_number.startswith("县政办发〔")
    assert (source.organ, source.office_name) == ("青山县人民政府办公室", "青山县人民政府办公室")
    assert source.printed_on == date(2026, 12, 3), "still at 印制: printed today"
    assert source.body is not None and source.body.filename == "正文.docx"
    assert [f.filename for f in source.attachments] == ["附件1：防火检查表.docx", "附件2 扑火预案.pdf"]

    data = load_official_document(PrintContext(o.ctx, o.clerk), doc)
    assert (data.layout, data.issuer_mark, data.doc_number) == ("down", "青山县人民政府办公室文件", source.doc_number)
    assert data.note == "此件公开发布" and data.signers == () and data.sealed
    assert data.main_recipients == "各乡镇人民政府，县政府各部门"
    # The title and the 主送 typed at the top of the draft are the document's fields: not printed twice.
    assert [(p.text, p.level) for p in data.body.paragraphs] == [
        ("当前已进入森林防火紧要期，现就有关事项通知如下：", 0), ("一、压实防火责任", 1), ("各乡镇要落实网格化管理。", 0),
        ("（一）加强巡护。", 2), ("1. 重点时段。", 3), ("（1）清明前后。", 4)]
    assert [(a.name, a.body is not None) for a in data.attachments] == [("防火检查表", True), ("扑火预案", False)]
    assert official_warnings(data) == ["附件2“扑火预案”不是可排版的Word文档（.docx），只在附件说明中列出，请另行打印"]

    advance_outgoing(o, doc, "seal")
    # Once printed, the day of 印制完成, whatever day it is typeset again.
    later = [o.run(official.official_source, o.clerk, doc, today=day).printed_on
             for day in (date(2026, 12, 20), date(2027, 3, 1))]
    assert later[0] == later[1] and later[0] not in (date(2026, 12, 20), date(2027, 3, 1))


def test_an_upward_document_of_the_government_carries_its_signer(office: Office) -> None:
    o = office
    with o.ctx.uow() as uow:
        from app.services.kernel.settings import update_settings

        update_settings(uow, o.admin, {"doc_prefixes": ["县政办发", "县政办函", "县政发"]})
    doc = at(o, "print", title="关于申请农村公路专项资金的请示", doc_type="请示", prefix="县政发",
             main_recipients="江州市人民政府", important=True)
    data = load_official_document(PrintContext(o.ctx, o.clerk), doc)
    assert (data.layout, data.issuer_mark, data.issuer_names) == ("up", "青山县人民政府文件", ("青山县人民政府",))
    assert data.signers == (o.mayor.full_name,)


@pytest.mark.parametrize(("who", "words"), [
    ("mayor", "生成正式公文"), ("admin", "生成正式公文"), ("liaison_fin", "不属于您所在的单位"),
])
def test_only_the_office_typesets(office: Office, who: str, words: str) -> None:
    o = office
    doc = at(o, "print")
    with pytest.raises(PermissionDenied, match=words):
        o.run(official.official_source, o.people[who], doc)
    with pytest.raises(PermissionDenied):
        o.run(official.keep_typeset, o.people[who], doc, b"%PDF-1.4 x")


@pytest.mark.parametrize(("step", "words"), [
    ("number", "还没有到印制环节"), ("recheck", "还没有到印制环节"), ("archived", "已办结"),
])
def test_before_printing_and_once_archived_it_is_refused(office: Office, step: str, words: str) -> None:
    o = office
    doc = at(o, step)
    with pytest.raises(ValidationError, match=words):
        o.run(official.official_source, o.clerk, doc)


def test_an_incoming_document_is_not_typeset(office: Office) -> None:
    o = office
    doc = new_incoming(o)
    with pytest.raises((ValidationError, WorkflowError), match="只有发文"):
        o.run(official.official_source, o.clerk, doc)


def test_without_a_body_file_the_loader_says_what_to_do(office: Office) -> None:
    o = office
    doc = at(o, "print")
    with o.ctx.uow() as uow:
        body = next(f for f in documents.list_files(uow, o.clerk, doc) if f.purpose == "body")
        uow.session.delete(uow.session.get(Attachment, body.id))
        uow.commit()
    with pytest.raises(ValidationError, match="没有正文文件，请先添加正文"):
        load_official_document(PrintContext(o.ctx, o.clerk), doc)


def kept(o: Office, doc: int) -> list[tuple[str, bytes]]:
    with o.ctx.uow() as uow:
        return [(row.filename, row.data) for row in uow.session.execute(
            select(Attachment).where(Attachment.owner_type == "document", Attachment.owner_id == doc,
                                     Attachment.purpose == "typeset")).scalars()]


def test_the_typeset_pdf_is_kept_once_and_replaced(office: Office) -> None:
    o = office
    doc = at(o, "print")
    first = o.run(official.keep_typeset, o.clerk, doc, b"%PDF-1.7 first")
    number = first.filename.removesuffix("（正式公文）.pdf")
    assert number.startswith("县政办发〔") and first.purpose == "typeset"
    o.run(official.keep_typeset, o.director, doc, b"%PDF-1.7 second")
    assert kept(o, doc) == [(first.filename, b"%PDF-1.7 second")]
    assert o.run(official.official_source, o.clerk, doc).typeset_id is not None
    # What is not a PDF is not kept, and the kept one stays.
    with pytest.raises(ValidationError, match="PDF"):
        o.run(official.keep_typeset, o.clerk, doc, b"PK\x03\x04 a docx")
    assert kept(o, doc) == [(first.filename, b"%PDF-1.7 second")]


def test_nobody_adds_a_typeset_file_before_printing(office: Office) -> None:
    o = office
    doc = at(o, "number")
    with pytest.raises(PermissionDenied, match="印制至归档环节"):
        o.run(documents.add_file, o.clerk, doc, filename="正式公文.pdf", data=b"%PDF-1.4 x", purpose="typeset")
    with o.ctx.uow() as uow:
        assert uow.session.execute(select(func.count()).select_from(Attachment)
                                   .where(Attachment.purpose == "typeset")).scalar_one() == 0
    # Once printing, the office may put in the PDF it touched up in WPS.
    advance_outgoing(o, doc, "print")
    o.run(documents.add_file, o.clerk, doc, filename="正式公文（修改）.pdf", data=b"%PDF-1.4 y", purpose="typeset")
    assert [name for name, _ in kept(o, doc)] == ["正式公文（修改）.pdf"]
    with pytest.raises(PermissionDenied):
        o.run(documents.add_file, o.people["liaison_fin"], doc, filename="x.pdf", data=b"%PDF-1.4 z",
              purpose="typeset")


def test_a_signed_draft_returned_to_its_signer_is_refused_until_numbered_again(office: Office) -> None:
    o = office
    doc = at(o, "print")
    o.run(outgoing.return_to_signer, o.clerk, doc, "附件数据有误，需更换", today=TODAY)
    with pytest.raises(ValidationError, match="还没有到印制环节"):
        o.run(official.official_source, o.clerk, doc)


def test_govdesk_print_without_as_reads_it_as_the_system(office: Office) -> None:
    """`govdesk print official-document` without --as: the system reads it; it keeps nothing."""
    from app.services.kernel.actor import SYSTEM_ACTOR

    o = office
    doc = at(o, "print")
    assert o.run(official.official_source, SYSTEM_ACTOR, doc).document_id == doc
    with pytest.raises(PermissionDenied):
        o.run(official.keep_typeset, SYSTEM_ACTOR, doc, b"%PDF-1.4 x")
