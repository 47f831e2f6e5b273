"""Registers and notices built from documents: the 收文登记簿 and the quarterly 公文运转及差错情况通报.

The notice's definitions, where DOMAIN.md leaves them open:
- a document counts for a unit when it moved in the quarter: a 发文 for its drafting unit, a 收文 for
  its 主办 unit (or, before one is named, the office section that registered it);
- time per step is measured in working days (WorkCalendar.workdays_between, so a step finished the
  day it began takes 0), from entering a step to leaving it, for every move made in the quarter;
- a return is a 退回 of a draft (against its drafting unit) or a 退文 (against the 来文单位, by name);
- errors are the recorded 差错 of the quarter, by kind, against the unit each was recorded against;
- overdue is counted twice over: steps finished late in the quarter (after the step's time limit, or
  for 承办 after its assigned deadline), and documents still open and past due at the cut-off (the
  quarter's last day, or today while the quarter runs).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import false, func, select
from sqlalchemy.orm import aliased

from app.core.documents import ERROR_KINDS, INCOMING, OUTGOING
from app.core.errors import ValidationError
from app.core.roles import Role
from app.core.workflow import Flow
from app.models import (
    Document,
    DocumentCoHandler,
    DocumentError,
    Unit,
    WorkflowHistory,
    WorkflowInstance,
)
from app.services.actor import Actor
from app.services.documents import (
    CST,
    flow_version,
    local_date,
    require_any,
    today_or,
    unit_scoped,
)
from app.services.settings import get_setting, work_calendar
from app.services.uow import UnitOfWork

REPORT_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY, Role.COUNTY_LEADER)


# ----- 收文登记簿 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One line of the 收文登记簿."""

    receipt_number: str
    received_on: date
    source_unit: str
    source_number: str
    title: str
    copies: int | None
    secrecy: str
    urgency: str
    handling_unit: str
    co_units: str
    deadline: date | None
    deadline_provisional: bool
    state_label: str
    result: str
    document_id: int
    concluded_on: date | None = None  # 办结日期: the day the 办结 step was completed
    remark: str = ""  # where the document stands: 已归档, 已退文, or the step it waits at (待归档 …)


def register_remark(step_label: str, final: bool) -> str:
    """备注 of the 收文登记簿. An open step reads as waiting (待归档), never as if done (归档)."""
    return step_label if final else f"待{step_label}"


def _concluded_on(uow: UnitOfWork, instance_ids: list[int]) -> dict[int, date]:
    """The local day each instance last left its 办结 step by concluding."""
    found: dict[int, date] = {}
    for start in range(0, len(instance_ids), 500):
        for instance_id, at in uow.session.execute(
            select(WorkflowHistory.instance_id, func.max(WorkflowHistory.at))
            .where(
                WorkflowHistory.instance_id.in_(instance_ids[start : start + 500]),
                WorkflowHistory.from_state == "conclude",
                WorkflowHistory.action == "conclude",
            )
            .group_by(WorkflowHistory.instance_id)
        ):
            found[instance_id] = local_date(at)
    return found


def incoming_register(uow: UnitOfWork, actor: Actor, *, date_from: date, date_to: date) -> list[RegisterRow]:
    """The 收文登记簿 for a period: every registered incoming document, in 收文编号 order."""
    if unit_scoped(actor):
        raise ValidationError("收文登记簿由办公室查阅和打印")
    if date_from > date_to:
        raise ValidationError("起始日期不能晚于截止日期", field="date_from")
    handling = aliased(Unit)
    rows = uow.session.execute(
        select(
            Document.id, Document.receipt_number, Document.doc_date, Document.source_unit, Document.source_number,
            Document.title, Document.copies_received, Document.secrecy, Document.urgency, Document.handling_deadline,
            Document.handling_provisional, Document.result, WorkflowInstance.flow_key, WorkflowInstance.flow_version,
            WorkflowInstance.state, WorkflowInstance.id.label("instance_id"), handling.name.label("handling_name"),
        )
        .join(WorkflowInstance, WorkflowInstance.id == Document.workflow_instance_id)
        .outerjoin(handling, handling.id == Document.handling_unit_id)
        .where(
            Document.direction == INCOMING,
            Document.receipt_number.is_not(None),
            Document.doc_date >= date_from,
            Document.doc_date <= date_to,
        )
        .order_by(Document.receipt_year, Document.receipt_seq)
    ).all()
    co_names: dict[int, list[str]] = defaultdict(list)
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        for doc_id, name in uow.session.execute(
            select(DocumentCoHandler.document_id, Unit.name)
            .join(Unit, Unit.id == DocumentCoHandler.unit_id)
            .where(DocumentCoHandler.document_id.in_(ids[start : start + 500]))
            .order_by(DocumentCoHandler.id)
        ):
            co_names[doc_id].append(name)
    concluded = _concluded_on(uow, [row.instance_id for row in rows])
    flows: dict[tuple[str, int], Flow] = {}
    result = []
    for row in rows:
        key = (row.flow_key, row.flow_version)
        flow = flows.setdefault(key, flow_version(uow, *key))
        step = flow.step(row.state)
        result.append(
            RegisterRow(
                receipt_number=row.receipt_number or "", received_on=row.doc_date, source_unit=row.source_unit,
                source_number=row.source_number, title=row.title, copies=row.copies_received, secrecy=row.secrecy,
                urgency=row.urgency, handling_unit=row.handling_name or "", co_units="、".join(co_names[row.id]),
                deadline=row.handling_deadline, deadline_provisional=row.handling_provisional,
                state_label=step.label, result=row.result, document_id=row.id,
                concluded_on=concluded.get(row.instance_id), remark=register_remark(step.label, step.final),
            )
        )
    return result


# ----- the quarterly notice --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepTime:
    flow_key: str
    flow_label: str
    step: str
    label: str
    moves: int
    average_workdays: float


@dataclass
class UnitFigures:
    unit_name: str
    outgoing: int = 0  # 发文 of the unit that moved in the quarter
    incoming: int = 0  # 收文 the unit handled (主办) that moved in the quarter
    received_from: int = 0  # 来文 from this unit registered in the quarter
    returns: int = 0
    errors: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind in ERROR_KINDS})
    late_steps: int = 0
    overdue_open: int = 0
    step_moves: int = 0
    step_workdays: int = 0

    @property
    def error_total(self) -> int:
        return sum(self.errors.values())

    @property
    def overdue(self) -> int:
        return self.late_steps + self.overdue_open

    @property
    def average_workdays(self) -> float | None:
        """Average working days per step over all the unit's moves in the quarter."""
        return round(self.step_workdays / self.step_moves, 1) if self.step_moves else None


@dataclass(frozen=True)
class ErrorLine:
    unit_name: str
    person_name: str
    kind: str
    note: str
    title: str
    number: str
    recorded_by: str
    at: datetime


@dataclass(frozen=True)
class OverdueLine:
    unit_name: str
    title: str
    number: str
    step_label: str
    due_date: date
    overdue_workdays: int


@dataclass(frozen=True)
class QuarterlyNotice:
    office_name: str
    year: int
    quarter: int
    period_start: date
    period_end: date  # inclusive
    cutoff: date
    units: list[UnitFigures]
    totals: UnitFigures
    steps: list[StepTime]
    errors: list[ErrorLine]
    overdue: list[OverdueLine]

    @property
    def title(self) -> str:
        return f"关于{self.year}年第{'一二三四'[self.quarter - 1]}季度公文运转及差错情况的通报"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First day of the quarter and first day of the next one."""
    if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        raise ValidationError("季度应为1至4", field="quarter")
    if isinstance(year, bool) or not 2000 <= year <= 2999:
        raise ValidationError("年份不正确", field="year")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), CST).astimezone(UTC)


@dataclass
class _Doc:
    id: int
    direction: str
    unit_name: str
    source_unit: str
    title: str
    number: str
    handling_deadline: date | None
    flow: Flow


# What the notice needs of each document, read as plain columns: a quarter can touch thousands.
_DOC_COLUMNS = (
    Document.id, Document.direction, Document.title, Document.source_unit, Document.doc_number,
    Document.receipt_number, Document.drafting_unit_id, Document.handling_unit_id, Document.handling_deadline,
    WorkflowInstance.id.label("instance_id"), WorkflowInstance.unit_id.label("instance_unit_id"),
    WorkflowInstance.flow_key, WorkflowInstance.flow_version,
)


def _responsible(doc: Any, unit_names: dict[int, str]) -> str:
    """A 发文's drafting unit; a 收文's 主办 unit, or before one is named the unit that registered it."""
    if doc.direction == OUTGOING:
        return unit_names.get(doc.drafting_unit_id or 0, "")
    return unit_names.get(doc.handling_unit_id or doc.instance_unit_id or 0, "")


def _number(doc: Any) -> str:
    return str((doc.doc_number if doc.direction == OUTGOING else doc.receipt_number) or "")


def quarterly_notice(
    uow: UnitOfWork, actor: Actor, year: int, quarter: int, *, today: date | None = None
) -> QuarterlyNotice:
    require_any(actor, REPORT_ROLES, "查看公文运转及差错情况通报")
    start, end = quarter_bounds(year, quarter)
    cutoff = min(today_or(today), end - timedelta(days=1))
    start_at, end_at = _utc(start), _utc(end)
    session = uow.session
    calendar = work_calendar(uow)
    unit_names = dict(session.execute(select(Unit.id, Unit.name)).all())
    order = {name: sort for name, sort in session.execute(select(Unit.name, Unit.sort_order)).all()}
    figures: dict[str, UnitFigures] = {}

    def unit(name: str) -> UnitFigures:
        name = name or "（未指定单位）"
        if name not in figures:
            figures[name] = UnitFigures(name)
        return figures[name]

    touched = select(WorkflowHistory.instance_id).where(
        WorkflowHistory.at >= start_at, WorkflowHistory.at < end_at
    ).distinct()
    docs: dict[int, _Doc] = {}
    flows: dict[tuple[str, int], Flow] = {}
    for doc in session.execute(
        select(*_DOC_COLUMNS)
        .join(WorkflowInstance, WorkflowInstance.id == Document.workflow_instance_id)
        .where(WorkflowInstance.id.in_(touched))
    ).all():
        key = (doc.flow_key, doc.flow_version)
        flow = flows.setdefault(key, flow_version(uow, *key))
        docs[doc.instance_id] = _Doc(
            doc.id, doc.direction, _responsible(doc, unit_names), doc.source_unit, doc.title, _number(doc),
            doc.handling_deadline, flow,
        )

    step_totals: dict[tuple[str, str], list[int]] = defaultdict(list)
    history = session.execute(
        select(
            WorkflowHistory.instance_id, WorkflowHistory.from_state, WorkflowHistory.to_state,
            WorkflowHistory.action, WorkflowHistory.at,
        )
        .where(WorkflowHistory.instance_id.in_(list(docs)), WorkflowHistory.at < end_at)
        .order_by(WorkflowHistory.instance_id, WorkflowHistory.id)
    ).all() if docs else []
    entered: dict[str, date] = {}
    current: int | None = None
    moved: set[int] = set()
    for instance_id, source, target, action, at in history:
        if instance_id != current:
            current, entered = instance_id, {}
        info = docs[instance_id]
        day = local_date(at)
        if source is None:
            entered[target] = day
            continue
        if source == target:
            continue  # an opinion given without a move (会签, 阅文)
        in_period = at >= start_at
        began = entered.get(source)
        entered[target] = day
        if not in_period:
            continue
        moved.add(instance_id)
        figures_for = unit(info.unit_name)
        if action == "return":
            unit(info.source_unit if info.direction == INCOMING else info.unit_name).returns += 1
        if began is None or not info.flow.has_step(source):
            continue
        spent = calendar.workdays_between(began, day)
        figures_for.step_moves += 1
        figures_for.step_workdays += spent
        step_totals[(info.flow.key, source)].append(spent)
        step = info.flow.step(source)
        if source == "handle" and info.handling_deadline is not None:
            due: date | None = info.handling_deadline
        elif step.time_limit is not None:
            limit = step.time_limit
            due = (calendar.add_workdays(began, limit.amount) if limit.unit == "workday"
                   else calendar.add_days(began, limit.amount)).date
        else:
            due = None
        if due is not None and day > due:
            figures_for.late_steps += 1
    for instance_id in moved:
        info = docs[instance_id]
        if info.direction == OUTGOING:
            unit(info.unit_name).outgoing += 1
        else:
            unit(info.unit_name).incoming += 1

    for source_unit, count in session.execute(
        select(Document.source_unit, func.count())
        .where(Document.direction == INCOMING, Document.doc_date >= start, Document.doc_date < end,
               Document.receipt_number.is_not(None))
        .group_by(Document.source_unit)
    ).all():
        unit(source_unit).received_from += int(count)

    error_lines: list[ErrorLine] = []
    for error, title, direction, doc_number, receipt_number in session.execute(
        select(DocumentError, Document.title, Document.direction, Document.doc_number, Document.receipt_number)
        .join(Document, Document.id == DocumentError.document_id)
        .where(DocumentError.at >= start_at, DocumentError.at < end_at)
        .order_by(DocumentError.at, DocumentError.id)
    ).all():
        unit(error.unit_name).errors[error.kind] = unit(error.unit_name).errors.get(error.kind, 0) + 1
        number = (doc_number if direction == OUTGOING else receipt_number) or ""
        error_lines.append(
            ErrorLine(
                error.unit_name, error.person_name, error.kind, error.note, title, number, error.recorded_by_name,
                error.at,
            )
        )

    overdue_lines: list[OverdueLine] = []
    for doc in session.execute(
        select(*_DOC_COLUMNS, WorkflowInstance.state, WorkflowInstance.due_date)
        .join(WorkflowInstance, WorkflowInstance.id == Document.workflow_instance_id)
        .where(WorkflowInstance.closed == false(), WorkflowInstance.due_date < cutoff)
        .order_by(WorkflowInstance.due_date, Document.id)
    ).all():
        key = (doc.flow_key, doc.flow_version)
        flow = flows.setdefault(key, flow_version(uow, *key))
        name = _responsible(doc, unit_names)
        unit(name).overdue_open += 1
        overdue_lines.append(
            OverdueLine(
                name or "（未指定单位）", doc.title, _number(doc), flow.step(doc.state).label, doc.due_date,
                calendar.workdays_between(doc.due_date, cutoff),
            )
        )

    units = sorted(figures.values(), key=lambda f: (order.get(f.unit_name, 1_000_000), f.unit_name))
    totals = UnitFigures("合计")
    for f in units:
        totals.outgoing += f.outgoing
        totals.incoming += f.incoming
        totals.received_from += f.received_from
        totals.returns += f.returns
        totals.late_steps += f.late_steps
        totals.overdue_open += f.overdue_open
        totals.step_moves += f.step_moves
        totals.step_workdays += f.step_workdays
        for kind, n in f.errors.items():
            totals.errors[kind] = totals.errors.get(kind, 0) + n
    by_key = {f.key: f for f in flows.values()}
    steps = [
        StepTime(
            flow_key, by_key[flow_key].label, step_key, by_key[flow_key].step(step_key).label, len(spent),
            round(sum(spent) / len(spent), 1),
        )
        for (flow_key, step_key), spent in step_totals.items()
    ]
    step_order = {(f.key, s.key): i for f in by_key.values() for i, s in enumerate(f.steps)}
    steps.sort(key=lambda s: (s.flow_key != "outgoing_document", step_order.get((s.flow_key, s.step), 0)))
    return QuarterlyNotice(
        office_name=str(get_setting(uow, "office_name")), year=year, quarter=quarter, period_start=start,
        period_end=end - timedelta(days=1), cutoff=cutoff, units=units, totals=totals, steps=steps,
        errors=error_lines, overdue=overdue_lines,
    )


__all__ = [
    "ErrorLine",
    "OverdueLine",
    "QuarterlyNotice",
    "RegisterRow",
    "StepTime",
    "UnitFigures",
    "incoming_register",
    "quarter_bounds",
    "quarterly_notice",
]
