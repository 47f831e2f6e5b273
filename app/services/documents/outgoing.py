"""发文: 拟稿 → 核稿 → (会签) → 签发 → 复核 → 编号 → 印制 → 用印 → 分发 → 归档 (归档 is in app.services.documents.archives).

复核 (条例 Art. 25) may send the signed draft back to its signer for 复审; once re-signed it comes back to 复核.

Each function checks permission through the outgoing flow and the document's facts, changes the
records, and commits once. A document number is drawn only after 签发, from the gap-free sequence of
its 机关代字 and year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, true

from app.core.documents import (
    COSIGN_UNIT_KINDS,
    MAX_COPIES,
    OUTGOING,
    UNSIGNED_STEPS,
    check_copies,
    check_disclosure,
    check_doc_type,
    check_secrecy,
    check_title,
    check_urgency,
)
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.numbering import format_doc_number
from app.core.printable import check_printable
from app.core.roles import Role
from app.models import (
    UNIT_KINDS,
    Document,
    Unit,
    User,
    UserRole,
    WorkflowInstance,
)
from app.models.base import utcnow
from app.services.documents import work_items
from app.services.documents.records import (
    ENTITY,
    FLOW_KEYS,
    OUTGOING_DOCUMENTS,
    DocumentInfo,
    ErrorInput,
    add_history_note,
    audit,
    check_unit,
    commit_info,
    flow_of,
    move,
    plain_step,
    receipt_units,
    require_starter,
    today_or,
    unit_scoped,
)
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import get_setting
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow
from app.services.workflow.acts import open_act
from app.services.workflow.moves import unit_name

FLOW_KEY = FLOW_KEYS[OUTGOING]
# Where the co-issuing units give their opinions (cosign): the step's key in every outgoing flow version.
COSIGN_STEP = "cosign"
# Steps before 签发: a number may not be given while a document is in one of them.
BEFORE_SIGNING = UNSIGNED_STEPS
# 复核 decisions: on to 编号, or back to the signer for 复审.
RECHECK_DECISIONS = {"approve": "recheck", "return": "return_to_signer"}
EDITABLE_FIELDS = frozenset(
    {
        "title", "doc_type", "disclosure", "disclosure_reason", "urgency", "secrecy", "important",
        "main_recipients", "copy_recipients", "prefix", "cosigner_unit_ids", "remark",
    }
)


def sequence_key(prefix: str) -> str:
    """The gap-free sequence of one 机关代字 (its numbers run per year)."""
    return f"发文:{prefix}"


def _check_prefix(uow: UnitOfWork, prefix: str | None, *, required: bool) -> str:
    text = (prefix or "").strip()
    if not text:
        if required:
            raise ValidationError("请选择机关代字，例如“县政办发”", field="prefix")
        return ""
    known = list(get_setting(uow, "doc_prefixes"))
    if text not in known:
        raise ValidationError(
            f"机关代字“{text}”不在系统设置的代字中（{'、'.join(known)}），请系统管理员先添加", field="prefix"
        )
    return text


def _text(value: Any, limit: int, field_name: str, label: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


@dataclass(frozen=True)
class CosignCandidate:
    """A unit a draft may name as 会签单位; without a 联络员 the office records its opinion for it."""

    id: int
    name: str
    kind_label: str
    has_liaison: bool


def _liaison_units(uow: UnitOfWork) -> set[int]:
    """Units with at least one active 部门联络员: they can give their own 会签 opinion."""
    rows = uow.session.execute(
        select(User.unit_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role_code == Role.LIAISON.value, User.active == true())
        .distinct()
    ).scalars()
    return {unit_id for unit_id in rows if unit_id is not None}


@acting
def cosign_candidates(uow: UnitOfWork, actor: Actor) -> list[CosignCandidate]:
    """The units a draft may be co-signed by, in the unit list's order, each saying whether it has a 联络员."""
    with_liaison = _liaison_units(uow)
    units = uow.session.execute(
        select(Unit).where(Unit.active == true(), Unit.kind.in_(COSIGN_UNIT_KINDS)).order_by(Unit.sort_order, Unit.name)
    ).scalars()
    return [CosignCandidate(u.id, u.name, UNIT_KINDS.get(u.kind, u.kind), u.id in with_liaison) for u in units]


def _set_cosigners(uow: UnitOfWork, doc: Document, unit_ids: Iterable[int]) -> list[str]:
    units = receipt_units(uow, unit_ids, "cosigner_unit_ids")
    for unit in units:
        if unit.kind not in COSIGN_UNIT_KINDS:
            kind = UNIT_KINDS.get(unit.kind, unit.kind)
            raise ValidationError(
                f"“{unit.name}”是{kind}，不能作为会签单位：会签由联合行文的县政府部门、乡镇或其他机关办理，"
                "办公室内部的意见请在核稿时提出",
                field="cosigner_unit_ids",
            )
    if any(u.id == doc.drafting_unit_id for u in units):
        raise ValidationError("会签单位不能是拟稿单位本身", field="cosigner_unit_ids")
    work_items.set_cosign_units(uow, doc.workflow_instance_id or 0, [u.id for u in units])
    return [u.name for u in units]


@acting
def create_draft(
    uow: UnitOfWork,
    actor: Actor,
    *,
    title: str,
    doc_type: str,
    disclosure: str,
    disclosure_reason: str = "",
    urgency: str = "",
    secrecy: str = "",
    important: bool = False,
    main_recipients: str = "",
    copy_recipients: str = "",
    prefix: str = "",
    cosigner_unit_ids: Sequence[int] = (),
    drafting_unit_id: int | None = None,
    remark: str = "",
    body: tuple[str, bytes] | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """拟稿: a new outgoing draft owned by the actor, at the first step of the outgoing flow.

    body is the 正文 file as (filename, content); it may also be added later with documents.add_file.
    """
    flow = workflow.flow_for(uow, FLOW_KEY)
    require_starter(flow, actor, "拟稿")
    values = {
        "title": check_title(title),
        "doc_type": check_doc_type(doc_type),
        "urgency": check_urgency(urgency),
        "secrecy": check_secrecy(secrecy),
    }
    values["disclosure"], values["disclosure_reason"] = check_disclosure(disclosure, disclosure_reason)
    unit_id = drafting_unit_id if drafting_unit_id is not None else actor.unit_id
    if unit_id is None:
        raise ValidationError("请选择拟稿单位", field="drafting_unit_id")
    if unit_scoped(actor) and unit_id != actor.unit_id:
        raise PermissionDenied("部门联络员只能以本单位名义拟稿")
    unit = check_unit(uow, unit_id, "drafting_unit_id")
    day = today_or(today)
    doc = Document(
        direction=OUTGOING, important=bool(important), doc_date=day,
        main_recipients=_text(main_recipients, 1000, "main_recipients", "主送机关"),
        copy_recipients=_text(copy_recipients, 1000, "copy_recipients", "抄送机关"),
        drafting_unit_id=unit.id, drafter_id=actor.id, drafter_name=actor.full_name,
        prefix=_check_prefix(uow, prefix, required=False), remark=_text(remark, 500, "remark", "备注"),
        **values,
    )
    uow.session.add(doc)
    uow.flush()
    instance = workflow.start(
        uow, actor, flow_key=FLOW_KEY, entity_type=ENTITY, title=doc.title, entity_id=doc.id, unit_id=unit.id,
        urgency=doc.urgency, today=day,
    )
    doc.workflow_instance_id = instance.id
    # The 会签 units' items hang on the flow record.
    cosigners = _set_cosigners(uow, doc, cosigner_unit_ids)
    audit(uow, actor, "update", doc, {"direction": OUTGOING, "doc_type": doc.doc_type, "cosigners": cosigners})
    if body is not None:
        from app.services.kernel.attachments import add_attachment

        add_attachment(
            uow, actor, owner_type=ENTITY, owner_id=doc.id, filename=body[0], data=body[1], purpose="body"
        )
    uow.flush()
    return commit_info(uow, doc, instance)


@acting
def update_draft(
    uow: UnitOfWork, actor: Actor, document_id: int, *, expected_version: int | None = None, **changes: Any
) -> DocumentInfo:
    """Changes a draft's fields; only its drafter, and only while it is at 拟稿 (also after a return)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"不能修改这些项目：{'、'.join(sorted(unknown))}")
    # A draft is changed at the step it is sent on from (送核稿); the drafter's own, by this step's rule.
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "修改文稿", at_steps_of="submit", expected_version=expected_version
    )
    if actor.id is None or instance.owner_id != actor.id:
        raise PermissionDenied("只有拟稿人本人可以修改文稿；其他人请在核稿时提出意见后退回")
    before = {name: getattr(doc, name) for name in EDITABLE_FIELDS - {"cosigner_unit_ids"}}
    if "title" in changes:
        doc.title = check_title(changes["title"])
        instance.title = doc.title
    if "doc_type" in changes:
        doc.doc_type = check_doc_type(changes["doc_type"])
    if "urgency" in changes:
        doc.urgency = check_urgency(changes["urgency"])
        instance.urgency = doc.urgency
    if "secrecy" in changes:
        doc.secrecy = check_secrecy(changes["secrecy"])
    if "disclosure" in changes or "disclosure_reason" in changes:
        doc.disclosure, doc.disclosure_reason = check_disclosure(
            changes.get("disclosure", doc.disclosure), changes.get("disclosure_reason", doc.disclosure_reason)
        )
    if "important" in changes:
        doc.important = bool(changes["important"])
    if "main_recipients" in changes:
        doc.main_recipients = _text(changes["main_recipients"], 1000, "main_recipients", "主送机关")
    if "copy_recipients" in changes:
        doc.copy_recipients = _text(changes["copy_recipients"], 1000, "copy_recipients", "抄送机关")
    if "prefix" in changes:
        doc.prefix = _check_prefix(uow, changes["prefix"], required=False)
    if "remark" in changes:
        doc.remark = _text(changes["remark"], 500, "remark", "备注")
    changed: dict[str, Any] = {
        name: [old, getattr(doc, name)] for name, old in before.items() if getattr(doc, name) != old
    }
    if "cosigner_unit_ids" in changes:
        changed["cosigners"] = _set_cosigners(uow, doc, changes["cosigner_unit_ids"])
    if changed:
        doc.updated_at = utcnow()
        audit(uow, actor, "update", doc, changed)
    uow.flush()
    return commit_info(uow, doc, instance)


def _has_body(uow: UnitOfWork, doc: Document) -> bool:
    from app.models import Attachment

    return (
        uow.session.execute(
            select(Attachment.id).where(
                Attachment.owner_type == ENTITY, Attachment.owner_id == doc.id, Attachment.purpose == "body"
            ).limit(1)
        ).first()
        is not None
    )


@acting
def submit(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    opinion: str = "",
    *,
    expected_version: int | None = None,
    today: date | None = None,
    send_to: int | None = None,
) -> DocumentInfo:
    """送核稿. The 正文 must be there; a new round of 会签 starts with every unit's answer cleared. send_to: the
    person named to 核稿 (None: the step's holders)."""
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "送核稿", move="submit", expected_version=expected_version
    )
    if not _has_body(uow, doc):
        raise ValidationError("请先添加正文文件，再送核稿", field="body")
    work_items.resend_cosigns(uow, instance.id, actor.id, actor.full_name)
    move(uow, actor, doc, instance, "submit", opinion, today=today, send_to=send_to)
    return commit_info(uow, doc, instance)


@acting
def cancel_draft(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    reason: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """作废 a draft (its drafter, with a reason)."""
    return plain_step(
        uow, actor, document_id, direction=OUTGOING, action="cancel", doing="作废", opinion=reason,
        expected_version=expected_version, today=today,
    )


@acting
def review(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    decision: str,
    opinion: str = "",
    *,
    errors: Sequence[ErrorInput] = (),
    expected_version: int | None = None,
    today: date | None = None,
    send_to: int | None = None,
) -> DocumentInfo:
    """核稿 ('approve' or 'return'); also 会签完毕 ('approve' at 会签) and a return from 会签 or 签发. send_to: the
    leader named to 签发 (送…签发), where the approval leads there.

    A return needs its reason and may record errors (差错) against the drafter and the drafting unit.
    """
    if decision not in ("approve", "return"):
        raise ValidationError("审核意见只能是“同意”或“退回”", field="decision")
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "核稿通过" if decision == "approve" else "退回文稿", move=decision,
        expected_version=expected_version,
    )
    OUTGOING_DOCUMENTS.decide(
        uow, actor, doc, instance, decision, opinion, errors, returning="退回文稿", today=today, send_to=send_to
    )
    return commit_info(uow, doc, instance)


@acting
def cosign(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    opinion: str = "",
    agree: bool = True,
    unit_id: int | None = None,
    given_by: str = "",
    basis: str = "",
) -> DocumentInfo:
    """A co-issuing unit's 会签 opinion, by that unit's liaison, or recorded for the unit by the office.

    The office (whoever acts at the 会签 step) records it naming who at the unit gave it (given_by) and on what
    basis (basis: 电话, 书面意见, 会议 …), so a unit without a 联络员 never holds the document up. It does not
    move the document: once every unit has agreed, the office takes it on to 签发.
    """
    # An opinion, not a move: given at 会签, by the unit's liaison or recorded by the office (below).
    doc, instance = open_act(uow, actor, OUTGOING_DOCUMENTS, document_id, "会签", during=(COSIGN_STEP,))
    unit_id = unit_id if unit_id is not None else actor.unit_id
    row = work_items.cosign_item(uow, instance.id, unit_id)
    if row is None:
        raise ValidationError("该单位不是这份公文的会签单位", field="unit_id")
    own_unit = actor.has(Role.LIAISON) and actor.unit_id == unit_id
    office_step = workflow.flow_for(uow, instance.flow_key, instance.flow_version).step(COSIGN_STEP)
    if not own_unit and not office_step.roles & actor.roles:
        raise PermissionDenied("只有会签单位的联络员可以填写会签意见；办公室可代为登记单位的意见")
    text = opinion.strip() or ("同意" if agree else "")
    if not agree and not opinion.strip():
        raise ValidationError("不同意会签时请写明理由", field="opinion")
    if len(text) > 1000:
        raise ValidationError("会签意见不能超过1000个字", field="opinion")
    name = unit_name(uow, unit_id)
    giver, ground = "", ""
    if not own_unit:
        giver = _text(given_by, 50, "given_by", "提出意见的人员")
        ground = _text(basis, 20, "basis", "依据")
        if not giver:
            raise ValidationError(f"代为登记时请填写{name}提出意见的人员，例如“张局长”", field="given_by")
        if not ground:
            raise ValidationError("代为登记时请注明依据，例如电话、书面意见或会议", field="basis")
    work_items.answer_cosign(
        uow, row.id, agreed=bool(agree), opinion=text, by_id=actor.id, by_name=actor.full_name, given_by=giver,
        basis=ground,
    )
    said = text if agree else f"不同意：{text}"
    if not own_unit:
        said += f"（{giver}经{ground}提出，{actor.full_name}代为登记）"
    add_history_note(uow, actor, instance, "cosign_opinion", f"会签（{name}）"[:40], said)
    audit(
        uow, actor, "cosign", doc,
        {"unit": name, "agreed": bool(agree), "opinion": text,
         **({"given_by": giver, "basis": ground, "on_behalf": True} if not own_unit else {})},
    )
    uow.flush()
    return commit_info(uow, doc, instance)


@acting
def sign(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    opinion: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """签发, with the signing leader's opinion. Important documents and 上行文 need the principal leader."""
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "签发", move="sign", expected_version=expected_version
    )
    if not opinion.strip():
        raise ValidationError("签发时请写明签发意见，例如“同意印发”", field="opinion")
    move(uow, actor, doc, instance, "sign", opinion, today=today)
    doc.signer_id, doc.signer_name, doc.signed_at = actor.id, actor.full_name, utcnow()
    doc.doc_date = today_or(today)  # 成文日期: the day the leader signs (GB/T 9704 §7.3.5.1)
    return commit_info(uow, doc, instance)


@acting
def recheck(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    decision: str,
    opinion: str = "",
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """复核 (条例 Art. 25): the office checks the signed draft (审批手续, 附件, 格式) before it is numbered.

    'approve' sends it on to 编号; 'return' sends it back, with the reason, to the leader who signed it for
    复审: only that leader may then sign it again (back to 复核) or return it to the drafter.
    """
    if decision not in RECHECK_DECISIONS:
        raise ValidationError("复核结论只能是“复核通过”或“退回复审”", field="decision")
    # Both decisions are 复核's own: done where the flow's 复核通过 leaves from, by whoever may take the move.
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "复核" if decision == "approve" else "退回复审",
        move=RECHECK_DECISIONS[decision], at_steps_of=RECHECK_DECISIONS["approve"],
        expected_version=expected_version,
    )
    if decision == "return" and not opinion.strip():
        raise ValidationError("退回复审时请写明需要实质性修改的问题", field="opinion")
    move(uow, actor, doc, instance, RECHECK_DECISIONS[decision], opinion, today=today)
    if decision == "return":
        _back_to_signer(uow, actor, doc, instance, opinion)
    return commit_info(uow, doc, instance)


def _back_to_signer(uow: UnitOfWork, actor: Actor, doc: Document, instance: WorkflowInstance, reason: str) -> None:
    """After the move back to 签发: the same leader signs again, and until then the document is unsigned.

    The old signature is cleared so that the 正文 and 附件 open for the change (signed_files_frozen) and the
    new signature, with its date as 成文日期, is the one that counts; the history keeps the old one.
    """
    signer = uow.session.get(User, doc.signer_id) if doc.signer_id is not None else None
    # 复审 is the signer's own: the same leader reviews the change (if still an active user).
    instance.assignee_id = signer.id if signer is not None and signer.active else None
    audit(
        uow, actor, "return_to_signer", doc,
        {"reason": reason.strip(), "signer": doc.signer_name,
         "signed_at": doc.signed_at.isoformat() if doc.signed_at else None},
    )
    doc.signed_at = None


@acting
def return_to_signer(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    reason: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """退回签发人: a signed document goes back to its signer, with the reason, to be changed and signed again.

    The only way to change a signed document's 正文 or 附件: at 签发 they open again, and the signer's new
    signature freezes them again. Who may return it at each step is the flow's to say (the step's holders).
    """
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "退回签发人", move="return_to_signer", expected_version=expected_version
    )
    if not reason.strip():
        raise ValidationError("退回签发人时请写明要修改什么、为什么，例如“附件2数据有误，需更换”", field="opinion")
    move(uow, actor, doc, instance, "return_to_signer", reason, today=today)
    _back_to_signer(uow, actor, doc, instance, reason)
    return commit_info(uow, doc, instance)


@acting
def assign_number(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    prefix: str | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """编号: the next 发文字号 of the 机关代字 for the year of signing, e.g. 县政办发〔2026〕12号.

    Only after 签发. The number is drawn inside this transaction from the gap-free sequence: two clients
    numbering at once get consecutive numbers, and a refusal or failure gives the number back.
    """
    from app.services.kernel.sequences import next_number

    def not_at_numbering(doc: Document, instance: WorkflowInstance) -> None:
        """Why a document away from 编号 gets no number, in this step's own words."""
        if doc.doc_number:
            raise ValidationError(f"这份公文已有发文字号：{doc.doc_number}", field="doc_number")
        if instance.state in BEFORE_SIGNING:
            step = flow_of(uow, instance).step(instance.state).label
            raise WorkflowError(
                f"发文字号只能在签发之后编号：这份公文现在在“{step}”环节，尚未签发", field="doc_number"
            )
        if instance.state == "recheck":
            raise WorkflowError("发文字号须在复核之后编号：这份公文已签发，正在“复核”环节", field="doc_number")

    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "编发文字号", move="assign_number", elsewhere=not_at_numbering,
        expected_version=expected_version,
    )
    if doc.doc_number:
        # Back at 编号 after a return to the signer: the number it was given stays (the sequence has no gaps).
        return _keep_number(uow, actor, doc, instance, prefix, today)
    chosen = _check_prefix(uow, prefix if prefix is not None else doc.prefix, required=True)
    move(uow, actor, doc, instance, "assign_number", today=today)
    year = doc.doc_date.year
    seq = next_number(uow, sequence_key(chosen), year)
    doc.prefix, doc.doc_year, doc.doc_seq = chosen, year, seq
    doc.doc_number = format_doc_number(chosen, year, seq)
    audit(uow, actor, "number", doc, {"doc_number": doc.doc_number})
    uow.flush()
    return commit_info(uow, doc, instance)


def _keep_number(
    uow: UnitOfWork, actor: Actor, doc: Document, instance: WorkflowInstance, prefix: str | None,
    today: date | None,
) -> DocumentInfo:
    if prefix is not None and prefix.strip() and prefix.strip() != doc.prefix:
        raise ValidationError(
            f"这份公文已编号为{doc.doc_number}，重新签发后沿用原发文字号，不能改用其他机关代字", field="prefix"
        )
    move(uow, actor, doc, instance, "assign_number", f"沿用原发文字号{doc.doc_number}", today=today)
    return commit_info(uow, doc, instance)


@acting
def mark_printed(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    copies: int,
    proofreader: str,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """印制完成: how many copies were printed (印制份数) and who proofread them (校对)."""
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "印制", move="printed", expected_version=expected_version
    )
    copies = check_copies(copies)
    checker = _text(proofreader, 50, "proofreader", "校对人")
    if not checker:
        raise ValidationError("请填写校对人", field="proofreader")
    move(uow, actor, doc, instance, "printed", f"印制{copies}份，校对：{checker}", today=today)
    doc.copies, doc.proofreader = copies, checker
    return commit_info(uow, doc, instance)


@acting
def mark_sealed(
    uow: UnitOfWork, actor: Actor, document_id: int, *, expected_version: int | None = None, today: date | None = None
) -> DocumentInfo:
    """用印完成."""
    return plain_step(
        uow, actor, document_id, direction=OUTGOING, action="sealed", doing="用印",
        expected_version=expected_version, today=today,
    )


@acting
def distribute(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    unit_ids: Sequence[int],
    *,
    copies: int = 1,
    complete: bool = True,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """分发 to units, each of which then signs for it (confirm_receipt). With complete=False more units
    may be added later; complete=True ends the step (分发完成)."""
    doc, instance = open_act(
        uow, actor, OUTGOING_DOCUMENTS, document_id, "分发", move="distributed", expected_version=expected_version
    )
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise ValidationError("每个单位的分发份数应为正整数", field="copies")
    already = work_items.distributed_units(uow, instance.id)
    added = [u for u in receipt_units(uow, unit_ids, "unit_ids") if u.id not in already]
    now = utcnow()
    work_items.distribute_to(uow, instance.id, [u.id for u in added], copies, actor.id, actor.full_name)
    if not added and not already:
        raise ValidationError("请至少选择一个分发单位", field="unit_ids")
    if added:
        audit(uow, actor, "distribute", doc, {"units": [u.name for u in added], "copies": copies})
        doc.updated_at = now
    uow.flush()
    if complete:
        names = "、".join(u.name for u in added) if added else ""
        move(uow, actor, doc, instance, "distributed", f"分发至{names}" if names else "", today=today)
    return commit_info(uow, doc, instance)


@acting
def confirm_receipt(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    unit_id: int | None = None,
    received_by: str = "",
) -> DocumentInfo:
    """签收: a receiving unit's liaison confirms receipt; the office may enter a paper 签收单 for a unit."""
    # Not tied to a step: a unit signs for its copy whenever it comes, even after the document is archived.
    doc, instance = open_act(uow, actor, OUTGOING_DOCUMENTS, document_id, "签收分发件")
    unit_id = unit_id if unit_id is not None else actor.unit_id
    row = work_items.receipt_item(uow, instance.id, unit_id)
    if row is None:
        raise ValidationError("这份公文没有分发给该单位", field="unit_id")
    if row.state == "done":
        raise ValidationError(f"该单位已由{row.done_by_name}签收", field="unit_id")
    own_unit = actor.has(Role.LIAISON) and actor.unit_id == unit_id
    if own_unit:
        by_id, by_name = actor.id, actor.full_name
    elif actor.has(Role.SECRETARY):
        name = _text(received_by, 50, "received_by", "签收人")
        if not name:
            raise ValidationError("代为登记签收时请填写对方签收人", field="received_by")
        by_id, by_name = None, name
    else:
        raise PermissionDenied("只有收文单位的联络员可以签收（文秘人员可代为登记纸质签收单）")
    work_items.sign_for(uow, row.id, by_id, by_name)
    audit(uow, actor, "receipt", doc, {"unit": unit_name(uow, row.unit_id), "received_by": by_name})
    uow.flush()
    return commit_info(uow, doc, instance)


__all__ = [
    "CosignCandidate",
    "assign_number",
    "cancel_draft",
    "confirm_receipt",
    "cosign",
    "cosign_candidates",
    "create_draft",
    "distribute",
    "mark_printed",
    "mark_sealed",
    "recheck",
    "return_to_signer",
    "review",
    "sequence_key",
    "sign",
    "submit",
    "update_draft",
]
