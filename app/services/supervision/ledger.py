"""督办台账: the items a user may see, a page at a time, filtered by year, source, unit, class, state and
overdue, and searched; each row with its latest progress report. The same query feeds the list, its Excel
export and the printed 台账 (with the list's filters).

The active ledger (the default box) holds the items not yet closed; a 已销号 item leaves it and stays in
"all" and "closed" with its whole history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, false, func, or_, select, true

from app.core.errors import ValidationError
from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES
from app.core.supervision.flow import ENTITY, FLOW_KEY, SUPERVISION_ITEM
from app.db.tables import workflow_duties, workflow_duty_reports
from app.models import Unit, WorkflowInstance
from app.models.supervision import SupervisionCoUnit, SupervisionItem
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.supervision.items import unit_items, visible_items
from app.services.workflow import moves as workflow
from app.services.workflow import todo
from app.services.workflow.worklist import Page, check_page, escape_like, search_text, sort_order

Box = Literal["active", "waiting", "mine", "closed", "all"]
BOXES: dict[str, str] = {
    "active": "在办事项", "waiting": "待我办理", "mine": "我负责的", "closed": "已销号", "all": "全部事项",
}
SORT_KEYS = ("deadline", "number", "unit", "priority", "id")
# The steps a list filters by, as the built-in flow names them.
STATE_LABELS: dict[str, str] = {step.key: step.label for step in SUPERVISION_ITEM.steps}
# The ledger's export and print read every row, a page at a time, up to this many.
EXPORT_LIMIT = 5000


@dataclass(frozen=True)
class ItemRow:
    id: int
    number: str
    year: int
    source: str
    title: str
    requirement: str
    lead_unit_name: str
    co_unit_names: str
    responsible_name: str
    priority: str
    deadline: date
    closed_on: date | None
    cancelled: bool
    state: str
    state_label: str
    closed: bool
    overdue: bool
    latest_report: str
    latest_report_on: date | None
    instance_id: int

    @property
    def status(self) -> str:
        """What the ledger's 状态 column says."""
        if self.cancelled:
            return "已撤销"
        if self.closed:
            return "逾期办结" if self.closed_on is not None and self.closed_on > self.deadline else "已销号"
        return "逾期未办结" if self.overdue else self.state_label


@dataclass(frozen=True)
class LedgerFilter:
    box: Box = "active"
    year: int | None = None
    source: str | None = None
    unit_id: int | None = None
    priority: str | None = None
    # A step of the flow (立项, 督办落实, 销号审核, 已销号, 已撤销) by its key.
    state: str | None = None
    overdue: bool = False
    search: str | None = None

    def describe(self, unit_name: str = "") -> str:
        """The filters in words, for the printed 台账's subtitle."""
        parts = [BOXES[self.box]]
        if self.year is not None:
            parts.append(f"{self.year}年")
        if self.source:
            parts.append(self.source)
        if unit_name:
            parts.append(f"承办单位：{unit_name}")
        if self.priority:
            parts.append(self.priority)
        if self.state:
            parts.append(STATE_LABELS.get(self.state, self.state))
        if self.overdue:
            parts.append("仅逾期")
        if self.search:
            parts.append(f"含“{self.search.strip()}”")
        return "，".join(parts)


def _conditions(uow: UnitOfWork, actor: Actor, f: LedgerFilter, today: date) -> list[ColumnElement[bool]]:
    if f.box not in BOXES:
        raise ValidationError("没有这个督办事项列表", field="box")
    if f.source is not None and f.source not in SOURCES:
        raise ValidationError(f"事项来源只能是{'、'.join(SOURCES)}", field="source")
    if f.priority is not None and f.priority not in {c.label for c in PRIORITY_CLASSES}:
        raise ValidationError("督办类别只能是重点督办、马上督办或定期督办", field="priority")
    conditions: list[ColumnElement[bool]] = [visible_items(actor), WorkflowInstance.flow_key == FLOW_KEY]
    if f.box == "active":
        conditions.append(WorkflowInstance.closed == false())
    elif f.box == "closed":
        conditions += [WorkflowInstance.closed == true(), SupervisionItem.cancelled == false()]
    elif f.box == "mine":
        conditions.append(WorkflowInstance.responsible_id == actor.id if actor.id is not None else false())
    elif f.box == "waiting":
        actionable, _ = todo.actionable_clause(uow, actor, frozenset({FLOW_KEY}))
        conditions.append(actionable)
    if f.year is not None:
        conditions.append(SupervisionItem.year == f.year)
    if f.source:
        conditions.append(SupervisionItem.source == f.source)
    if f.unit_id is not None:
        conditions.append(unit_items(f.unit_id))
    if f.priority:
        conditions.append(SupervisionItem.priority == f.priority)
    if f.state:
        if f.state not in STATE_LABELS:
            raise ValidationError(f"办理环节只能是{'、'.join(STATE_LABELS.values())}", field="state")
        conditions.append(WorkflowInstance.state == f.state)
    if f.overdue:
        conditions += [WorkflowInstance.closed == false(), SupervisionItem.deadline < today]
    text = search_text(f.search)
    if text:
        pattern = f"%{escape_like(text)}%"
        conditions.append(or_(
            SupervisionItem.number.like(pattern, escape="\\"), SupervisionItem.title.like(pattern, escape="\\"),
            SupervisionItem.requirement.like(pattern, escape="\\"),
        ))
    return conditions


@acting
def list_items(
    uow: UnitOfWork, actor: Actor, ledger: LedgerFilter = LedgerFilter(), *, offset: int = 0, limit: int = 50,
    order_by: str = "deadline", descending: bool = False, today: date | None = None,
) -> Page[ItemRow]:
    """A page of the ledger and its total, the nearest deadline first unless asked otherwise."""
    check_page(offset, limit)
    if order_by not in SORT_KEYS:
        raise ValidationError(f"不能按“{order_by}”排序", field="order_by")
    today = today or date.today()
    conditions = _conditions(uow, actor, ledger, today)
    joined = SupervisionItem.instance_id == WorkflowInstance.id
    total = int(uow.session.execute(
        select(func.count()).select_from(SupervisionItem).join(WorkflowInstance, joined).where(*conditions)
    ).scalar_one())
    sorts: dict[str, list[Any]] = {
        "deadline": [SupervisionItem.deadline, SupervisionItem.id],
        "number": [SupervisionItem.year, SupervisionItem.seq],
        "unit": [Unit.sort_order, Unit.name, SupervisionItem.id],
        "priority": [SupervisionItem.priority, SupervisionItem.deadline, SupervisionItem.id],
        "id": [SupervisionItem.id],
    }
    order = sort_order(sorts[order_by], descending)
    # The page's ids first, sorted on narrow rows, then those rows whole: MariaDB otherwise sorts every open item's
    # whole row (its requirement text too) in a temporary table to keep 100 (62 ms at 20,000 items; bench/supervision.py).
    page_ids = select(SupervisionItem.id).join(WorkflowInstance, joined)
    if order_by == "unit":
        page_ids = page_ids.outerjoin(Unit, Unit.id == SupervisionItem.lead_unit_id)
    page = page_ids.where(*conditions).order_by(*order).offset(offset).limit(limit).subquery("page")
    rows = uow.session.execute(
        select(SupervisionItem, WorkflowInstance, Unit.name)
        .join(page, page.c.id == SupervisionItem.id)
        .join(WorkflowInstance, joined)
        .outerjoin(Unit, Unit.id == SupervisionItem.lead_unit_id)
        .order_by(*order)
    ).all()
    instance_ids = [instance.id for _item, instance, _unit in rows]
    co_units = _co_unit_names(uow, [item.id for item, _instance, _unit in rows])
    reports = _latest_reports(uow, instance_ids)
    people = _people(uow, [instance.responsible_id for _item, instance, _unit in rows])
    result = []
    for item, instance, unit_name in rows:
        flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
        text, on = reports.get(instance.id, ("", None))
        result.append(ItemRow(
            id=item.id, number=item.number, year=item.year, source=item.source, title=item.title,
            requirement=item.requirement, lead_unit_name=unit_name or "", co_unit_names=co_units.get(item.id, ""),
            responsible_name=people.get(instance.responsible_id, ""), priority=item.priority, deadline=item.deadline,
            closed_on=item.closed_on, cancelled=item.cancelled, state=instance.state,
            state_label=flow.step(instance.state).label, closed=instance.closed,
            overdue=not instance.closed and item.deadline < today, latest_report=text, latest_report_on=on,
            instance_id=instance.id,
        ))
    return Page(result, total, offset)


def _co_unit_names(uow: UnitOfWork, item_ids: Sequence[int]) -> dict[int, str]:
    if not item_ids:
        return {}
    names: dict[int, list[str]] = {}
    for item_id, name in uow.session.execute(
        select(SupervisionCoUnit.item_id, Unit.name).join(Unit, Unit.id == SupervisionCoUnit.unit_id)
        .where(SupervisionCoUnit.item_id.in_(list(item_ids))).order_by(SupervisionCoUnit.item_id, SupervisionCoUnit.position)
    ).all():
        names.setdefault(item_id, []).append(name)
    return {item_id: "、".join(found) for item_id, found in names.items()}


def _latest_reports(uow: UnitOfWork, instance_ids: Sequence[int]) -> dict[int, tuple[str, date]]:
    """Each instance's latest progress report: its text and day."""
    if not instance_ids:
        return {}
    wd, wr = workflow_duties.c, workflow_duty_reports.c
    latest = (
        select(func.max(wr.id).label("report_id"))
        .select_from(workflow_duty_reports.join(workflow_duties, wd.id == wr.duty_id))
        .where(wd.instance_id.in_(list(instance_ids)))
        .group_by(wd.instance_id)
        .subquery()
    )
    rows = uow.execute(
        select(wd.instance_id, wr.text, wr.reported_on)
        .select_from(workflow_duty_reports.join(workflow_duties, wd.id == wr.duty_id))
        .where(wr.id.in_(select(latest.c.report_id)))
    ).all()
    return {int(instance_id): (text, reported_on) for instance_id, text, reported_on in rows}


def _people(uow: UnitOfWork, user_ids: Sequence[int | None]) -> dict[int | None, str]:
    from app.models import User

    wanted = sorted({u for u in user_ids if u is not None})
    if not wanted:
        return {}
    return dict(uow.session.execute(select(User.id, User.full_name).where(User.id.in_(wanted))).all())


@acting
def ledger_rows(
    uow: UnitOfWork, actor: Actor, ledger: LedgerFilter = LedgerFilter(), today: date | None = None,
) -> list[ItemRow]:
    """Every row of the ledger as filtered (for its Excel export and the printed 台账), by deadline."""
    from app.services.workflow.worklist import MAX_PAGE

    rows: list[ItemRow] = []
    while len(rows) < EXPORT_LIMIT:
        page = list_items(uow, actor, ledger, offset=len(rows), limit=MAX_PAGE, today=today)
        rows += page.rows
        if len(rows) >= page.total or not page.rows:
            break
    if len(rows) > EXPORT_LIMIT:
        del rows[EXPORT_LIMIT:]
    return rows


__all__ = ["BOXES", "ENTITY", "ItemRow", "LedgerFilter", "ledger_rows", "list_items"]
