"""信访's lists and the 信访台账: the cases a user may see (records.visible_petitions), a page at a time with the
list's filters and total (我的在办, 全部在办, 临期逾期, 重复信访, 全部), or every case the ledger's filters select.
Rows carry the petitioner's particulars masked unless the reader handles petitions, and a page read unmasked is
recorded in the audit log. The UI shows what these return and builds no SQL of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, false, func, or_, select, true

from app.core.errors import ValidationError
from app.core.ids import is_valid_id_number
from app.core.petitions.flow import PETITION, PETITION_REVIEW
from app.core.petitions.repeats import normalized_id
from app.core.petitions.terms import CHANNELS, STAGE_LABELS
from app.models import Unit, User, WorkflowInstance
from app.models.petitions import Petition
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records
from app.services.workflow.worklist import Page, check_page, escape_like, search_text, sort_order

Box = Literal["mine", "open", "due", "repeats", "all"]
BOXES: dict[str, str] = {
    "mine": "我的在办", "open": "全部在办", "due": "临期逾期", "repeats": "重复信访", "all": "全部信访件",
}
SORT_KEYS = ("received", "number", "name", "category", "place", "due", "id")
# A case's step as its own flow calls it (办理 for a petition, 审查办理 for its 复查); the filter offers the petition's.
STEP_LABELS: dict[str, dict[str, str]] = {
    flow.key: {step.key: step.label for step in flow.steps} for flow in (PETITION, PETITION_REVIEW)
}
STATE_LABELS: dict[str, str] = STEP_LABELS[PETITION.key]
# 临期: due within this many days (the 工作台's 即将到期 uses the same).
DUE_SOON_DAYS = 3
# The ledger prints and exports at most this many rows at once: a county's year is a few thousand.
MAX_LEDGER_ROWS = 20_000


@dataclass(frozen=True)
class PetitionRow:
    id: int
    number: str
    stage: str
    received_on: date
    channel: str
    channel_detail: str
    name: str
    id_number: str
    phone: str
    people_count: int
    request: str
    category: str
    place: str
    handling_unit_name: str
    decision: str
    is_repeat: bool
    responsible_name: str
    state: str
    state_label: str
    closed: bool
    due_date: date | None
    instance_id: int

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def channel_text(self) -> str:
        return f"{self.channel}（{self.channel_detail}）" if self.channel_detail else self.channel

    def overdue(self, today: date) -> bool:
        return not self.closed and self.due_date is not None and self.due_date < today

    def due_soon(self, today: date) -> bool:
        return (not self.closed and self.due_date is not None
                and today <= self.due_date <= today + timedelta(days=DUE_SOON_DAYS))


@dataclass(frozen=True)
class PetitionFilter:
    box: Box = "all"
    stage: str | None = None
    channel: str | None = None
    category: str | None = None
    place: str | None = None
    state: str | None = None
    handling_unit_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None


def conditions_for(actor: Actor, f: PetitionFilter, today: date) -> list[ColumnElement[bool]]:
    """The filter as SQL on petitions joined to their instances, visibility first; a bad filter is refused."""
    if f.box not in BOXES:
        raise ValidationError("没有这个信访列表", field="box")
    conditions: list[ColumnElement[bool]] = [records.visible_petitions(actor)]
    if f.box == "mine":
        conditions += [WorkflowInstance.closed == false(), WorkflowInstance.responsible_id == actor.id]
    elif f.box == "open":
        conditions.append(WorkflowInstance.closed == false())
    elif f.box == "due":
        conditions += [WorkflowInstance.closed == false(), WorkflowInstance.due_date.is_not(None),
                       WorkflowInstance.due_date <= today + timedelta(days=DUE_SOON_DAYS)]
    elif f.box == "repeats":
        conditions.append(Petition.is_repeat == true())
    if f.stage:
        if f.stage not in STAGE_LABELS:
            raise ValidationError(f"类型只能是{'、'.join(STAGE_LABELS.values())}", field="stage")
        conditions.append(Petition.stage == f.stage)
    if f.channel:
        if f.channel not in CHANNELS:
            raise ValidationError(f"信访方式只能是{'、'.join(CHANNELS)}", field="channel")
        conditions.append(Petition.channel == f.channel)
    if f.category:
        conditions.append(Petition.category == f.category.strip())
    if f.place:
        conditions.append(Petition.place == f.place.strip())
    if f.state:
        if f.state not in STATE_LABELS:
            raise ValidationError(f"办理环节只能是{'、'.join(STATE_LABELS.values())}", field="state")
        conditions.append(WorkflowInstance.state == f.state)
    if f.handling_unit_id is not None:
        conditions.append(Petition.handling_unit_id == f.handling_unit_id)
    if f.date_from is not None and f.date_to is not None and f.date_from > f.date_to:
        raise ValidationError("起始日期不能晚于截止日期", field="date_from")
    if f.date_from is not None:
        conditions.append(Petition.received_on >= f.date_from)
    if f.date_to is not None:
        conditions.append(Petition.received_on <= f.date_to)
    text = search_text(f.search)
    if text:
        conditions.append(_search(actor, text))
    return conditions


# A phone number as typed in the search box: digits only, long enough to be one (a landline without its area
# code has 7).
PHONE_DIGITS = 7


def _search(actor: Actor, text: str) -> ColumnElement[bool]:
    """The search box as SQL. Those who may read ID numbers and phones find a case by a whole ID number or phone
    (looked up in their indexes, no scan); nobody finds one by what they cannot read."""
    if records.sees_unmasked(actor):
        if is_valid_id_number(text):
            return Petition.id_number == normalized_id(text)
        if text.isdigit() and len(text) >= PHONE_DIGITS:
            return Petition.phone == text
    pattern = f"%{escape_like(text)}%"
    searched = [Petition.number, Petition.name, Petition.request, Petition.category, Petition.place]
    return or_(*(column.like(pattern, escape="\\") for column in searched))


def _joined() -> ColumnElement[bool]:
    return Petition.instance_id == WorkflowInstance.id


def _rows(uow: UnitOfWork, actor: Actor, ids_query: Any, order: Sequence[ColumnElement[Any]]) -> list[PetitionRow]:
    page = ids_query.subquery("page")
    found = uow.execute(
        select(Petition.id, Petition.number, Petition.stage, Petition.received_on, Petition.channel,
               Petition.channel_detail, Petition.name, Petition.id_number, Petition.phone, Petition.people_count,
               Petition.request, Petition.category, Petition.place, Unit.name.label("unit_name"),
               Petition.decision, Petition.is_repeat, User.full_name.label("responsible_name"),
               WorkflowInstance.flow_key, WorkflowInstance.state, WorkflowInstance.closed, WorkflowInstance.due_date,
               WorkflowInstance.id.label("instance_id"))
        .join(page, page.c.id == Petition.id)
        .join(WorkflowInstance, _joined())
        .outerjoin(Unit, Unit.id == Petition.handling_unit_id)
        .outerjoin(User, User.id == WorkflowInstance.responsible_id)
        .order_by(*order)
    ).all()
    return [
        PetitionRow(
            id=r.id, number=r.number, stage=r.stage, received_on=r.received_on, channel=r.channel,
            channel_detail=r.channel_detail, name=r.name, id_number=records.masked_id(actor, r.id_number),
            phone=records.masked_phone(actor, r.phone), people_count=r.people_count, request=r.request,
            category=r.category, place=r.place, handling_unit_name=r.unit_name or "", decision=r.decision,
            is_repeat=bool(r.is_repeat), responsible_name=r.responsible_name or "", state=r.state,
            state_label=STEP_LABELS.get(r.flow_key, STATE_LABELS).get(r.state, r.state), closed=bool(r.closed), due_date=r.due_date,
            instance_id=r.instance_id,
        )
        for r in found
    ]


def _order(order_by: str, descending: bool) -> list[ColumnElement[Any]]:
    if order_by not in SORT_KEYS:
        raise ValidationError(f"不能按“{order_by}”排序", field="order_by")
    sorts: dict[str, list[Any]] = {
        "received": [Petition.received_on, Petition.id],
        # Each stage numbers its own (信, 复查, 复核), all in the order registered: by 编号 is in that order.
        "number": [Petition.year, Petition.id],
        "name": [Petition.name, Petition.id],
        "category": [Petition.category, Petition.received_on, Petition.id],
        "place": [Petition.place, Petition.received_on, Petition.id],
        "due": [WorkflowInstance.due_date, Petition.id],
        "id": [Petition.id],
    }
    return sort_order(sorts[order_by], descending)


@acting
def list_petitions(
    uow: UnitOfWork, actor: Actor, f: PetitionFilter = PetitionFilter(), *, offset: int = 0, limit: int = 50,
    order_by: str = "received", descending: bool | None = None, today: date | None = None,
) -> Page[PetitionRow]:
    """A page of a list and its total; the latest received first, 临期逾期 the soonest due first. A page read
    unmasked is recorded in the audit log. Commits (the audit row)."""
    check_page(offset, limit)
    today = today or date.today()
    if descending is None:
        descending = f.box != "due"
    if f.box == "due" and order_by == "received":
        order_by = "due"
    conditions = conditions_for(actor, f, today)
    total = int(uow.execute(
        select(func.count()).select_from(Petition).join(WorkflowInstance, _joined()).where(*conditions)
    ).scalar_one())
    order = _order(order_by, descending)
    ids = (select(Petition.id).join(WorkflowInstance, _joined()).where(*conditions)
           .order_by(*order).offset(offset).limit(limit))
    rows = _rows(uow, actor, ids, order)
    records.record_unmasked_view(uow, actor, [r.id for r in rows], "信访列表")
    uow.commit()
    return Page(rows, total, offset)


@acting
def ledger_rows(
    uow: UnitOfWork, actor: Actor, f: PetitionFilter = PetitionFilter(), *, today: date | None = None,
    where: str = "信访台账",
) -> list[PetitionRow]:
    """Every case the ledger's filters select, oldest first (the 台账's order), at most MAX_LEDGER_ROWS; read
    unmasked, recorded in the audit log (``where``: 台账打印, 台账导出). Commits."""
    today = today or date.today()
    conditions = conditions_for(actor, f, today)
    total = int(uow.execute(
        select(func.count()).select_from(Petition).join(WorkflowInstance, _joined()).where(*conditions)
    ).scalar_one())
    if total > MAX_LEDGER_ROWS:
        raise ValidationError(
            f"所选范围有{total}件，超过一次可输出的{MAX_LEDGER_ROWS}件，请缩小日期范围或增加筛选条件", field="date_from"
        )
    order = _order("received", False)
    ids = select(Petition.id).join(WorkflowInstance, _joined()).where(*conditions).order_by(*order)
    rows = _rows(uow, actor, ids, order)
    records.record_unmasked_view(uow, actor, [r.id for r in rows], where)
    uow.commit()
    return rows
