"""The 正文 and 附件 of a signed outgoing document are frozen (issue 13, point 7).

After 签发 nobody may add, replace or remove the body or an attachment, whatever their role; a change needs
退回签发人, a move of the flow with its reason, recorded in the history and the audit log; the signer's new
signature freezes the files again. Every role tries every act in a dry run (as test_documents_roles does).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.documents import SIGNED_FILES_MESSAGE
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.roles import Role
from app.models import AuditEntry, WorkflowHistory, WorkflowInstance
from app.services.documents import outgoing
from app.services.documents import records as documents
from app.services.documents.records import get_document
from tests.helpers.document_office import (
    ROLE_HOLDERS,
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    counts,
    new_draft,
    new_incoming,
)
from tests.helpers.document_roles import OFFICE, SECRETARIES, Checker

NOBODY: set[str] = set()
# Who could change a draft's files before it was signed: the office (the drafter, 张文秘, is one of them).
FILE_EDITORS = OFFICE
SIGNED_STEPS = ("recheck", "number", "print", "seal", "distribute")
NEW_BODY = ("正文（改）.docx", b"PK\x03\x04 a different body")


def _files(o: Office, doc: int) -> dict[str, int]:
    """The document's files by purpose (one body, one attachment, in these tests)."""
    return {f.purpose: f.id for f in o.run(get_document, o.clerk, doc).files}


def _with_attachment(o: Office, **fields: object) -> int:
    doc = new_draft(o, **fields)
    o.run(documents.add_file, o.clerk, doc, filename="附件1 名单.xlsx", data=b"PK\x03\x04 list", purpose="attachment")
    return doc


def _file_acts(check: Checker, o: Office, doc: int, allowed: set[str], where: str) -> None:
    files = _files(o, doc)
    check(f"{where}更换正文", allowed, lambda uow, a: documents.add_file(
        uow, a, doc, filename=NEW_BODY[0], data=NEW_BODY[1], purpose="body"))
    check(f"{where}添加附件", allowed, lambda uow, a: documents.add_file(
        uow, a, doc, filename="附件2.pdf", data=b"%PDF-1.4 x", purpose="attachment"))
    check(f"{where}删除正文", allowed, lambda uow, a: documents.remove_file(uow, a, doc, files["body"]))
    check(f"{where}删除附件", allowed, lambda uow, a: documents.remove_file(uow, a, doc, files["attachment"]))


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_files_frozen_after_signing_by_role(ctx: AppContext, role: Role) -> None:
    o = build_office(ctx)
    check = Checker(o, role)
    doc = _with_attachment(o)
    advance_outgoing(o, doc, "sign")
    # At 签发 (not yet signed) the office may still change them: the refusals below are the signature's.
    _file_acts(check, o, doc, FILE_EDITORS, "签发前")
    for step in SIGNED_STEPS:
        advance_outgoing(o, doc, step)
        _file_acts(check, o, doc, NOBODY, f"签发后（{step}）")
        # A scan of the signed paper is a record of it, not the signed text: it may still be added.
        check(f"签发后（{step}）添加扫描件", FILE_EDITORS, lambda uow, a: documents.add_file(
            uow, a, doc, filename="发文稿纸.pdf", data=b"%PDF-1.4 scan", purpose="scan"))
    assert check.checked == 4 * (1 + len(SIGNED_STEPS)) * len(ROLE_HOLDERS[role]) + len(SIGNED_STEPS) * len(
        ROLE_HOLDERS[role]
    )


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_return_to_signer_by_role(ctx: AppContext, role: Role) -> None:
    o = build_office(ctx)
    check = Checker(o, role)
    doc = new_draft(o)

    def back(uow, a):  # type: ignore[no-untyped-def]
        return outgoing.return_to_signer(uow, a, doc, "附件名单有误，需更换附件后重新签发", today=TODAY)

    check("签发前退回签发人", NOBODY, back)
    advance_outgoing(o, doc, "sign")
    check("签发时退回签发人", NOBODY, back)
    advance_outgoing(o, doc, "recheck")
    # 复核 is held by the office (文秘人员 and its leaders); 编号 and 印制 by the 文秘人员: the flow's holders.
    check("复核时退回签发人", OFFICE, back)
    advance_outgoing(o, doc, "number")
    check("编号时退回签发人", SECRETARIES, back)
    advance_outgoing(o, doc, "print")
    check("印制时退回签发人", SECRETARIES, back)
    # Once sealed the paper exists: a change then is a new document.
    advance_outgoing(o, doc, "seal")
    check("用印时退回签发人", NOBODY, back)
    advance_outgoing(o, doc, "distribute")
    check("分发时退回签发人", NOBODY, back)
    assert check.checked == 7 * len(ROLE_HOLDERS[role])


def test_the_message_says_what_to_do(ctx: AppContext) -> None:
    o = build_office(ctx)
    doc = _with_attachment(o)
    advance_outgoing(o, doc, "number")
    files = _files(o, doc)
    before = counts(ctx)
    for call in (
        lambda: o.run(documents.add_file, o.clerk, doc, filename=NEW_BODY[0], data=NEW_BODY[1], purpose="body"),
        lambda: o.run(documents.remove_file, o.director, doc, files["attachment"]),
        lambda: o.run(documents.remove_file, o.clerk, doc, files["body"]),
    ):
        with pytest.raises(WorkflowError) as refused:
            call()
        assert refused.value.message == SIGNED_FILES_MESSAGE
    assert counts(ctx) == before
    assert _files(o, doc) == files


def test_return_change_and_resign(ctx: AppContext) -> None:
    o = build_office(ctx)
    doc = _with_attachment(o, important=True)
    advance_outgoing(o, doc, "print")
    numbered = o.run(get_document, o.clerk, doc).document
    assert numbered.doc_number and numbered.signed_at is not None

    with pytest.raises(ValidationError, match="写明要修改什么") as empty:
        o.run(outgoing.return_to_signer, o.clerk, doc, "  ", today=TODAY)
    assert empty.value.field == "opinion"
    reason = "附件1名单有两人单位写错，需更换附件后重新签发"
    info = o.run(outgoing.return_to_signer, o.clerk2, doc, reason, today=TODAY)
    assert info.state == "sign" and info.signed_at is None and info.signer_name == "陈县长"

    with ctx.uow() as uow:
        history = uow.session.execute(
            select(WorkflowHistory).order_by(WorkflowHistory.id.desc()).limit(1)
        ).scalar_one()
        assert (history.from_state, history.to_state, history.action, history.action_label) == (
            "print", "sign", "return_to_signer", "退回签发人"
        )
        assert history.opinion == reason and history.actor_name == "赵文秘"
        audit = uow.session.execute(
            select(AuditEntry).where(AuditEntry.action == "return_to_signer")
        ).scalar_one()
        assert audit.entity_id == doc and audit.username == "clerk2"
        detail = json.loads(audit.detail)
        assert detail["reason"] == reason and detail["signer"] == "陈县长" and detail["signed_at"]
        instance = uow.session.execute(
            select(WorkflowInstance).where(WorkflowInstance.entity_id == doc)
        ).scalar_one()
        # The leader who signed signs again, not any signer.
        assert instance.assignee_id == o.mayor.id

    # Back at 签发 the files open: the office changes the attachment and the body.
    files = _files(o, doc)
    o.run(documents.remove_file, o.clerk, doc, files["attachment"])
    o.run(documents.add_file, o.clerk, doc, filename="附件1 名单（更正）.xlsx", data=b"PK\x03\x04 fixed",
          purpose="attachment")
    o.run(documents.add_file, o.clerk, doc, filename=NEW_BODY[0], data=NEW_BODY[1], purpose="body")
    for other in (o.vice, o.director):
        with pytest.raises(PermissionDenied):
            o.run(outgoing.sign, other, doc, "同意", today=TODAY)
    signed = o.run(outgoing.sign, o.mayor, doc, "已核改，同意印发", today=TODAY)
    assert signed.signed_at is not None and signed.state == "recheck"

    # Signed again: frozen again.
    with pytest.raises(WorkflowError, match="请退回签发人重新签发"):
        o.run(documents.add_file, o.clerk, doc, filename="又一稿.docx", data=b"PK\x03\x04 3", purpose="body")
    advance_outgoing(o, doc, "number")
    # The number it had stays: the sequence has no gaps and nothing was numbered twice.
    kept = o.run(outgoing.assign_number, o.clerk, doc, today=TODAY)
    assert kept.doc_number == numbered.doc_number and kept.state == "print"
    with pytest.raises(WorkflowError, match="请退回签发人重新签发"):
        o.run(documents.remove_file, o.clerk, doc, _files(o, doc)["attachment"])
    names = {f.filename for f in o.run(get_document, o.clerk, doc).files}
    assert names == {NEW_BODY[0], "附件1 名单（更正）.xlsx"}


def test_a_kept_number_keeps_its_prefix(ctx: AppContext) -> None:
    o = build_office(ctx)
    doc = new_draft(o)
    advance_outgoing(o, doc, "print")
    o.run(outgoing.return_to_signer, o.clerk, doc, "正文第三段数据需更正", today=TODAY)
    advance_outgoing(o, doc, "number")
    with pytest.raises(ValidationError, match="沿用原发文字号") as refused:
        o.run(outgoing.assign_number, o.clerk, doc, prefix="县政办函", today=TODAY)
    assert refused.value.field == "prefix"


@pytest.mark.parametrize("field,value", [
    ("title", "关于做好冬季森林防火工作的紧急通知"), ("main_recipients", "各乡镇人民政府"), ("secrecy", "秘密"),
])
def test_signed_fields_freeze_with_the_body(ctx: AppContext, field: str, value: str) -> None:
    """The title, 主送 and 密级 are part of the signed text: after 签发 they change only after a return to the
    drafter (the signer's 退回), never in place, not even at 签发 after a return to the signer."""
    o = build_office(ctx)
    doc = new_draft(o)
    advance_outgoing(o, doc, "number")
    with pytest.raises(WorkflowError, match="修改文稿须在“拟稿”环节办理"):
        o.run(outgoing.update_draft, o.clerk, doc, **{field: value})
    o.run(outgoing.return_to_signer, o.clerk, doc, "标题需调整", today=TODAY)
    with pytest.raises(WorkflowError, match="修改文稿须在“拟稿”环节办理"):
        o.run(outgoing.update_draft, o.clerk, doc, **{field: value})
    assert getattr(o.run(get_document, o.clerk, doc).document, field) != value


def test_incoming_documents_keep_their_files_open(ctx: AppContext) -> None:
    """The freeze is the signature's: an incoming document has none, and its 承办 unit adds its files."""
    o = build_office(ctx)
    doc = new_incoming(o)
    advance_incoming(o, doc, "handle")
    o.run(documents.add_file, o.clerk, doc, filename="办理报告.pdf", data=b"%PDF-1.4 r", purpose="attachment")
    assert [f.filename for f in o.run(get_document, o.clerk, doc).files] == ["办理报告.pdf"]


def test_the_draft_sheet_prints_the_return_to_the_signer(ctx: AppContext) -> None:
    """The 发文稿纸 read back: a return from 印制 is printed as 退回签发人 with its reason, not as 复核's 退回复审."""
    from app.forms.documents import load_outgoing_draft
    from app.printing.documents.outgoing_draft import render_outgoing_draft
    from tests.helpers.pdfcheck import compact, page_text

    o = build_office(ctx)
    doc = new_draft(o)
    advance_outgoing(o, doc, "print")
    o.run(outgoing.return_to_signer, o.clerk2, doc, "附件1名单有误需更换", today=TODAY)
    text = compact(page_text(render_outgoing_draft(load_outgoing_draft(ctx, doc))))
    assert "退回签发人：附件1名单有误需更换" in text
    assert "退回复审" not in text


def test_the_file_helpers_called_directly_keep_the_signed_files(ctx: AppContext) -> None:
    """attachments.add_attachment/remove_attachment are public: called past documents.add_file, they still ask
    the document's rules, so the office cannot change a signed body that way either."""
    from app.services.kernel import attachments

    o = build_office(ctx)
    doc = _with_attachment(o)
    advance_outgoing(o, doc, "number")
    files = _files(o, doc)
    before = counts(ctx)
    for act in (
        lambda uow: attachments.add_attachment(
            uow, o.clerk, owner_type="document", owner_id=doc, filename=NEW_BODY[0], data=NEW_BODY[1],
            purpose="body"),
        lambda uow: attachments.remove_attachment(uow, o.clerk, "document", doc, files["body"], "找不到"),
        lambda uow: attachments.remove_attachment(uow, o.clerk, "document", doc, files["attachment"], "找不到"),
    ):
        with ctx.uow() as uow:
            with pytest.raises(WorkflowError) as refused:
                act(uow)
            uow.commit()
        assert refused.value.message == SIGNED_FILES_MESSAGE
    assert counts(ctx) == before and _files(o, doc) == files


def test_files_cannot_hang_on_a_record_no_area_guards(ctx: AppContext) -> None:
    from app.services.kernel import attachments

    o = build_office(ctx)
    doc = new_draft(o)
    files = _files(o, doc)
    before = counts(ctx)
    with ctx.uow() as uow:
        with pytest.raises(ValidationError) as refused:
            attachments.add_attachment(
                uow, o.clerk, owner_type="workflow_instance", owner_id=1, filename="a.pdf", data=b"%PDF-1.4 a")
        uow.commit()
    assert "workflow_instance" in refused.value.message
    with ctx.uow() as uow:
        with pytest.raises(ValidationError, match="文件用途"):
            attachments.add_attachment(
                uow, o.clerk, owner_type="document", owner_id=doc, filename="a.pdf", data=b"%PDF-1.4 a",
                purpose="anything")
        uow.commit()
    assert counts(ctx) == before and _files(o, doc) == files
