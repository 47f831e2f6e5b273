"""收文: 签收 → 登记 → 初审 (may return: 退文) → 拟办 → 批办 → 承办 → 传阅 → 办结/答复 → 归档 (in app.services.documents.archives).

The 答复 to the 来文单位 is an act of its own (reply): who answered, when, how and what, kept as a record and
in the document's history, from 承办 until 办结.

承办 names one 主办 unit, optional 协办 units and a deadline in working days. 传阅 goes to several readers
at once; each reads it and may write a remark, and an unread copy can be recalled. A recalled entry
stays, marked as recalled, so the trail shows who had it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.core.documents import (
    INCOMING,
    check_disclosure,
    check_doc_type,
    check_secrecy,
    check_source_number,
    check_title,
    check_urgency,
    infer_doc_type,
)
from app.core.errors import PermissionDenied, ValidationError
from app.core.numbering import RECEIPT_PREFIX, format_receipt_number
from app.core.printable import check_printable
from app.core.roles import Role
from app.models import Document, DocumentReply, User, WorkflowInstance
from app.models.base import utcnow
from app.services.documents import work_items
from app.services.documents.records import (
    ENTITY,
    FLOW_KEYS,
    INCOMING_DOCUMENTS,
    OFFICE_ROLES,
    REPLY_STATES,
    CirculationInfo,
    DocumentInfo,
    ErrorInput,
    ReplyInfo,
    add_history_note,
    audit,
    check_unit,
    check_user,
    circulation_info,
    commit_info,
    load,
    may_reply,
    move,
    plain_step,
    receipt_units,
    require_any,
    require_starter,
    sync_co_handlers,
    today_or,
    touch,
)
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.clock import as_utc, local_date
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow
from app.services.workflow.acts import open_act

FLOW_KEY = FLOW_KEYS[INCOMING]
RECEIPT_SEQUENCE = "收文"
# Steps at which a document may be sent round for reading, once accepted until it is concluded: 传阅 is no
# move of the flow, so its steps are named (those a document's flow version lacks do not count).
CIRCULATION_STEPS = ("propose", "instruct", "handle", "circulate", "conclude")
MAX_HANDLING_WORKDAYS = 250


def _source_unit(text: str | None) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise ValidationError("请填写来文单位", field="source_unit")
    if len(value) > 100:
        raise ValidationError("来文单位不能超过100个字", field="source_unit")
    check_printable(value, "来文单位", field="source_unit")
    return value


def _copies(value: int | None) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
        raise ValidationError("份数应为正整数", field="copies_received")
    return value


@acting
def create_incoming(
    uow: UnitOfWork,
    actor: Actor,
    *,
    title: str,
    source_unit: str,
    source_number: str = "",
    doc_type: str | None = None,
    urgency: str = "",
    secrecy: str = "",
    copies_received: int = 1,
    source_date: date | None = None,
    disclosure: str = "",
    disclosure_reason: str = "",
    remark: str = "",
    today: date | None = None,
) -> DocumentInfo:
    """A document that has arrived, at 签收. doc_type defaults to the 文种 its title ends with.

    公开属性 is recorded when the paper carries one; a 来文 often does not, so it may stay empty.
    """
    flow = workflow.flow_for(uow, FLOW_KEY)
    require_starter(flow, actor, "登记收文")
    clean_title = check_title(title)
    kind = check_doc_type(doc_type if doc_type else infer_doc_type(clean_title), required=False)
    shown, reason = check_disclosure(disclosure, disclosure_reason, required=False)
    day = today_or(today)
    if source_date is not None and source_date > day:
        raise ValidationError("来文日期不能晚于今天", field="source_date")
    check_printable(remark, "备注", field="remark")
    doc = Document(
        direction=INCOMING, title=clean_title, doc_type=kind, urgency=check_urgency(urgency),
        secrecy=check_secrecy(secrecy), disclosure=shown, disclosure_reason=reason, doc_date=day,
        source_unit=_source_unit(source_unit), source_number=check_source_number(source_number),
        source_date=source_date, copies_received=_copies(copies_received), remark=" ".join(remark.split())[:500],
    )
    uow.session.add(doc)
    uow.flush()
    instance = workflow.start(
        uow, actor, flow_key=FLOW_KEY, entity_type=ENTITY, title=doc.title, entity_id=doc.id, urgency=doc.urgency,
        today=day,
    )
    doc.workflow_instance_id = instance.id
    audit(uow, actor, "update", doc, {"direction": INCOMING, "source_unit": doc.source_unit,
                                      "source_number": doc.source_number})
    uow.flush()
    return commit_info(uow, doc, instance)


@acting
def sign_for(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    received_at: datetime | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """签收, recording the time of receipt (now unless given; never in the future)."""
    doc, instance = open_act(
        uow, actor, INCOMING_DOCUMENTS, document_id, "签收", move="sign_for", expected_version=expected_version
    )
    now = utcnow()
    moment = as_utc(received_at) if received_at is not None else now
    if moment > now + timedelta(minutes=5):
        raise ValidationError("签收时间不能晚于现在", field="received_at")
    move(uow, actor, doc, instance, "sign_for", today=today)
    doc.received_at = moment
    doc.doc_date = local_date(moment)
    return commit_info(uow, doc, instance)


@acting
def register(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    title: str | None = None,
    source_unit: str | None = None,
    source_number: str | None = None,
    doc_type: str | None = None,
    urgency: str | None = None,
    secrecy: str | None = None,
    copies_received: int | None = None,
    source_date: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """登记: checks (and corrects) the register's fields and gives the 收文编号, gap-free per year."""
    from app.services.kernel.sequences import next_number

    doc, instance = open_act(
        uow, actor, INCOMING_DOCUMENTS, document_id, "登记", move="register", expected_version=expected_version
    )
    if title is not None:
        doc.title = instance.title = check_title(title)
    if source_unit is not None:
        doc.source_unit = _source_unit(source_unit)
    if source_number is not None:
        doc.source_number = check_source_number(source_number)
    if doc_type is not None:
        doc.doc_type = check_doc_type(doc_type, required=False)
    if urgency is not None:
        doc.urgency = instance.urgency = check_urgency(urgency)
    if secrecy is not None:
        doc.secrecy = check_secrecy(secrecy)
    if copies_received is not None:
        doc.copies_received = _copies(copies_received)
    if source_date is not None:
        doc.source_date = source_date
    move(uow, actor, doc, instance, "register", today=today)
    year = (local_date(doc.received_at) if doc.received_at else today_or(today)).year
    seq = next_number(uow, RECEIPT_SEQUENCE, year)
    doc.receipt_year, doc.receipt_seq = year, seq
    doc.receipt_number = format_receipt_number(year, seq, RECEIPT_PREFIX)
    audit(uow, actor, "number", doc, {"receipt_number": doc.receipt_number})
    uow.flush()
    return commit_info(uow, doc, instance)


@acting
def screen(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    decision: str,
    reason: str = "",
    *,
    errors: Sequence[ErrorInput] = (),
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """初审: 'accept' (ours to handle) or 'return' (退文 to the sender, with the reason, and any errors found)."""
    if decision not in ("accept", "return"):
        raise ValidationError("初审结果只能是“通过”或“退文”", field="decision")
    # Both results are 初审's own: done where the flow's 初审通过 leaves from.
    doc, instance = open_act(
        uow, actor, INCOMING_DOCUMENTS, document_id, "初审", move=decision, at_steps_of="accept",
        expected_version=expected_version,
    )
    INCOMING_DOCUMENTS.decide(uow, actor, doc, instance, decision, reason, errors, returning="退文", today=today)
    return commit_info(uow, doc, instance)


@acting
def propose(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    opinion: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
    send_to: int | None = None,
) -> DocumentInfo:
    """拟办: the office proposes how to handle it (the 拟办意见 of the 收文处理笺). send_to: the leader named to
    批办 (None: the step's holders)."""
    return plain_step(
        uow, actor, document_id, direction=INCOMING, action="propose", doing="拟办", opinion=opinion,
        expected_version=expected_version, today=today, send_to=send_to,
    )


def _assign(
    uow: UnitOfWork,
    actor: Actor,
    doc: Document,
    main_unit_id: int,
    co_unit_ids: Sequence[int],
    workdays: int | None,
    due_date: date | None,
    today: date,
) -> None:
    main = check_unit(uow, main_unit_id, "handling_unit_id")
    co_units = [u for u in receipt_units(uow, co_unit_ids, "co_unit_ids") if u.id != main.id]
    calendar = work_calendar(uow)
    if due_date is not None:
        if due_date < today:
            raise ValidationError("办理时限不能早于今天", field="handling_deadline")
        deadline, provisional = due_date, not calendar.is_known(due_date)
    else:
        if workdays is None:
            flow = workflow.flow_for(uow, FLOW_KEY)
            limit = flow.step("handle").time_limit
            workdays = limit.amount if limit is not None else 10
        if isinstance(workdays, bool) or not isinstance(workdays, int) or not 1 <= workdays <= MAX_HANDLING_WORKDAYS:
            raise ValidationError(f"办理时限应为1至{MAX_HANDLING_WORKDAYS}个工作日", field="handling_deadline")
        due = calendar.add_workdays(today, workdays)
        deadline, provisional = due.date, due.provisional
    doc.handling_unit_id = main.id
    doc.handling_deadline, doc.handling_provisional = deadline, provisional
    sync_co_handlers(uow, doc, co_units)
    instance = workflow.get_instance(uow, doc.workflow_instance_id or 0)
    # The 主办 unit's liaison now acts at 承办, and the to-do list and 催办 follow the deadline.
    instance.unit_id = main.id
    if instance.state == "handle":
        instance.due_date, instance.due_provisional = deadline, provisional
    doc.updated_at = utcnow()
    audit(
        uow, actor, "assign", doc,
        {"main": main.name, "co": [u.name for u in co_units], "deadline": deadline.isoformat(),
         "provisional": provisional},
    )


@acting
def instruct(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    opinion: str,
    *,
    needs_handling: bool,
    main_unit_id: int | None = None,
    co_unit_ids: Sequence[int] = (),
    workdays: int | None = None,
    due_date: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """批办: a leader's instruction. With needs_handling it goes to 承办 (naming the 主办 unit here, or
    leaving it to the office's assign_handling); without, it is a 阅件 and goes round for reading."""
    doc, instance = open_act(
        uow, actor, INCOMING_DOCUMENTS, document_id, "批办", move="instruct", expected_version=expected_version
    )
    if main_unit_id is not None and not needs_handling:
        raise ValidationError("阅件不需要指定承办单位", field="handling_unit_id")
    doc.needs_handling = bool(needs_handling)
    day = today_or(today)
    move(uow, actor, doc, instance, "instruct", opinion, today=day)
    if main_unit_id is not None:
        _assign(uow, actor, doc, main_unit_id, co_unit_ids, workdays, due_date, day)
    uow.flush()
    return commit_info(uow, doc, instance)


@acting
def assign_handling(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    main_unit_id: int,
    co_unit_ids: Sequence[int] = (),
    workdays: int | None = None,
    due_date: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """承办: one 主办 unit, optional 协办 units, and the deadline — workdays working days from today
    (by the office's work calendar; marked provisional where the holidays are not yet published), or a
    given date. The office may change it while the document is at 承办."""
    # Done at 承办, before the unit's 承办完成, by the office (this step's own rule, checked first).
    doc, instance = open_act(
        uow, actor, INCOMING_DOCUMENTS, document_id, "指定承办单位", at_steps_of="handled",
        who=lambda _doc, _instance: require_any(actor, OFFICE_ROLES, "指定承办单位和办理时限"),
        expected_version=expected_version,
    )
    _assign(uow, actor, doc, main_unit_id, co_unit_ids, workdays, due_date, today_or(today))
    uow.flush()
    return commit_info(uow, doc, instance)


@acting
def handled(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    result: str,
    needs_circulation: bool = False,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """承办完成, with the 办理结果; then to 传阅 if leaders should read it, else to 办结."""
    doc, instance = open_act(
        uow, actor, INCOMING_DOCUMENTS, document_id, "承办", move="handled", expected_version=expected_version
    )
    if doc.handling_unit_id is None:
        raise ValidationError("请先指定主办单位和办理时限", field="handling_unit_id")
    text = result.strip()
    if not text:
        raise ValidationError("请填写办理结果", field="result")
    if len(text) > 4000:
        raise ValidationError("办理结果不能超过4000个字", field="result")
    doc.needs_circulation = bool(needs_circulation)
    move(uow, actor, doc, instance, "handled", text, today=today)
    doc.result = text
    return commit_info(uow, doc, instance)


@acting
def circulate(
    uow: UnitOfWork, actor: Actor, document_id: int, reader_ids: Sequence[int], *, note: str = ""
) -> list[CirculationInfo]:
    """传阅: sends the document to several readers at once."""
    doc, instance = open_act(
        uow, actor, INCOMING_DOCUMENTS, document_id, "送传阅", during=CIRCULATION_STEPS,
        who=lambda _doc, _instance: require_any(actor, OFFICE_ROLES, "送传阅"),
    )
    if not reader_ids:
        raise ValidationError("请选择传阅人", field="reader_ids")
    holding = work_items.readers_holding(uow, instance.id)
    readers: list[User] = []
    for reader_id in dict.fromkeys(reader_ids):
        reader = check_user(uow, reader_id, "reader_ids")
        if reader.id in holding:
            raise ValidationError(f"{reader.full_name}正在传阅此件，不必重复送阅", field="reader_ids")
        readers.append(reader)
    sent = work_items.send_to_read(uow, instance.id, instance.state, [r.id for r in readers], actor.id, actor.full_name)
    names = "、".join(r.full_name for r in readers)
    text = f"送{names}传阅" + (f"：{note.strip()}" if note.strip() else "")
    add_history_note(uow, actor, instance, "circulate_send", "送传阅", text[:2000])
    audit(uow, actor, "circulate", doc, {"readers": [r.full_name for r in readers], "note": note.strip()})
    uow.flush()
    infos = [circulation_info(r) for r in work_items.circulation_rows(uow, work_items.item_in(sent))]
    uow.commit()
    return infos


def _circulation(uow: UnitOfWork, actor: Actor, circulation_id: int) -> tuple[Any, Document, WorkflowInstance]:
    """A 传阅 copy (a row of app.services.documents.work_items.CIRCULATION_COLUMNS), its document and flow record."""
    row = work_items.circulation_row(uow, circulation_id) if isinstance(circulation_id, int) else None
    document_id = None
    if row is not None:
        document_id = uow.session.execute(
            select(Document.id).where(Document.workflow_instance_id == row.instance_id)
        ).scalar_one_or_none()
    if row is None or document_id is None:
        raise ValidationError("找不到该传阅记录，可能已被删除", field="circulation_id")
    doc, instance = load(uow, actor, document_id)
    return row, doc, instance


@acting
def mark_read(uow: UnitOfWork, actor: Actor, circulation_id: int, *, remark: str = "") -> CirculationInfo:
    """阅文: the reader marks it read, with a remark (a 文秘人员 may enter a paper 传阅单 for a reader)."""
    row, doc, instance = _circulation(uow, actor, circulation_id)
    own = actor.id is not None and row.reader_id == actor.id
    if not own and not actor.has(Role.SECRETARY):
        raise PermissionDenied("只有传阅人本人可以登记阅文（文秘人员可代为登记纸质传阅单）")
    if row.recalled:
        raise ValidationError("这份传阅件已收回，不能再登记阅文", field="circulation_id")
    if row.read_at is not None:
        raise ValidationError(f"{row.reader_name}已于此前阅毕", field="circulation_id")
    text = remark.strip()
    if len(text) > 2000:
        raise ValidationError("阅文意见不能超过2000个字", field="remark")
    check_printable(text, "阅文意见", field="remark")
    work_items.end_reading(uow, row.id, recalled=False, remark=text, by_id=actor.id, by_name=actor.full_name)
    history = add_history_note(uow, actor, instance, "read", "阅文", text or "已阅")
    history.actor_name = row.reader_name if own else f"{row.reader_name}（{actor.full_name}代录）"[:50]
    audit(uow, actor, "read", doc, {"reader": row.reader_name, "remark": text})
    uow.flush()
    info = circulation_info(work_items.circulation_row(uow, row.id))
    uow.commit()
    return info


@acting
def recall(uow: UnitOfWork, actor: Actor, circulation_id: int, *, reason: str = "") -> CirculationInfo:
    """收回 an unread circulation copy. The entry stays, marked as recalled."""
    row, doc, instance = _circulation(uow, actor, circulation_id)
    require_any(actor, OFFICE_ROLES, "收回传阅件")
    if row.recalled:
        raise ValidationError("这份传阅件已经收回", field="circulation_id")
    if row.read_at is not None:
        raise ValidationError(f"{row.reader_name}已阅毕，无需收回", field="circulation_id")
    work_items.end_reading(uow, row.id, recalled=True, remark="", by_id=actor.id, by_name=actor.full_name)
    text = f"收回{row.reader_name}处的传阅件" + (f"：{reason.strip()}" if reason.strip() else "")
    add_history_note(uow, actor, instance, "recall", "收回传阅", text[:2000])
    audit(uow, actor, "recall", doc, {"reader": row.reader_name, "reason": reason.strip()})
    uow.flush()
    info = circulation_info(work_items.circulation_row(uow, row.id))
    uow.commit()
    return info


@acting
def finish_circulation(
    uow: UnitOfWork, actor: Actor, document_id: int, *, expected_version: int | None = None, today: date | None = None
) -> DocumentInfo:
    """传阅完毕: every copy read or recalled (the flow's guard); on to 办结."""
    return plain_step(
        uow, actor, document_id, direction=INCOMING, action="circulated", doing="结束传阅",
        expected_version=expected_version, today=today,
    )


@acting
def conclude(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    opinion: str = "",
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> DocumentInfo:
    """办结/答复."""
    return plain_step(
        uow, actor, document_id, direction=INCOMING, action="conclude", doing="办结", opinion=opinion,
        expected_version=expected_version, today=today,
    )


# A reply time a little ahead of this machine's clock is another PC's clock, not a reply yet to come.
_CLOCK_SLACK = timedelta(minutes=10)


@acting
def reply(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    method: str,
    content: str,
    replied_at: datetime | None = None,
    replied_by: str = "",
) -> ReplyInfo:
    """答复 the 来文单位: how (书面函复, 电话 …), what was said, when (default now) and by whom (default the actor).

    The office (whoever may conclude the document) or the 主办 unit's liaison records it; it does not move the
    document, and a document may be answered more than once (e.g. by telephone, then in writing).
    """
    doc, instance = open_act(uow, actor, INCOMING_DOCUMENTS, document_id, "答复来文单位", during=REPLY_STATES)
    if not may_reply(uow, actor, doc, instance):
        raise PermissionDenied("只有办公室人员或主办单位的联络员可以登记答复")
    how = " ".join(method.split())
    if not how:
        raise ValidationError("请选择答复方式，例如书面函复或电话", field="method")
    if len(how) > 20:
        raise ValidationError("答复方式不能超过20个字", field="method")
    text = content.strip()
    if not text:
        raise ValidationError("请填写答复内容", field="content")
    if len(text) > 2000:
        raise ValidationError("答复内容不能超过2000个字", field="content")
    who = " ".join((replied_by or actor.full_name).split())
    if not who:
        raise ValidationError("请填写答复人", field="replied_by")
    if len(who) > 50:
        raise ValidationError("答复人不能超过50个字", field="replied_by")
    now = utcnow()
    when = as_utc(replied_at) if replied_at is not None else now
    if when > now + _CLOCK_SLACK:
        raise ValidationError("答复时间不能晚于现在", field="replied_at")
    if doc.received_at is not None and when < doc.received_at:
        raise ValidationError("答复时间不能早于收文时间", field="replied_at")
    recipient = doc.source_unit
    row = DocumentReply(
        document_id=doc.id, method=how, recipient=recipient, content=text, replied_at=when, replied_by_name=who,
        recorded_by_id=actor.id, recorded_by_name=actor.full_name,
    )
    uow.session.add(row)
    add_history_note(uow, actor, instance, "reply", "答复来文单位", f"{who}以{how}方式答复{recipient}：{text}")
    audit(uow, actor, "reply", doc, {"recipient": recipient, "method": how, "content": text, "replied_by": who,
                                     "replied_at": when.isoformat()})
    touch(doc)
    uow.flush()
    info = ReplyInfo(row.id, row.method, row.recipient, row.content, row.replied_at, row.replied_by_name,
                     row.recorded_by_name)
    uow.commit()
    return info


__all__ = [
    "assign_handling",
    "circulate",
    "conclude",
    "create_incoming",
    "finish_circulation",
    "handled",
    "instruct",
    "mark_read",
    "propose",
    "recall",
    "register",
    "reply",
    "screen",
    "sign_for",
]
