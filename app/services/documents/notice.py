"""The quarterly 公文运转及差错情况通报: every figure counted once, by the definitions of
app.core.notice_figures, so the summary, the table and the list of overdue documents agree.

How the definitions are applied:
- the rows are the county's own units (乡镇, 县政府各部门, 办公室内设股室: COUNTY_UNIT_KINDS). A
  document counts for its 承办单位: a 发文 for its drafting unit; a 收文 for its 主办 unit or, before
  one is named, the section that registered it. A document whose unit is none of these (the county's
  leaders, say) goes to one row of its own, so the totals still add up;
- a document is 办理 in the quarter when it moved in it, or was still open at the cut-off (the
  quarter's last day, or today while the quarter runs);
- every step a document passed through is measured against its time limit (the step's limit from the
  day it was entered, or for 承办 the assigned 办理时限), with the one lateness rule of
  WorkCalendar.overdue_workdays: a step left late within the quarter, or still open past its limit at
  the cut-off, is one 超时环节, and a document with any is one 逾期公文 (件);
- a return (退回) counts against the drafting unit; a 退文 against the 来文单位 when that is a county
  unit. Errors count against the county unit they were recorded against. Returns and errors of bodies
  outside the county are not this notice's to report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, false, or_, select

from app.core.calendar import WorkCalendar
from app.core.documents import ERROR_KINDS, INCOMING, OUTGOING
from app.core.errors import ValidationError
from app.core.notice_figures import COUNTY_UNIT_KINDS
from app.core.roles import Role
from app.core.workflow import Flow
from app.models import Document, DocumentError, Unit, WorkflowHistory, WorkflowInstance
from app.services.documents.records import flow_version, require_any, today_or
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.clock import CST, local_date
from app.services.kernel.settings import get_setting, work_calendar
from app.services.kernel.uow import UnitOfWork

REPORT_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY, Role.COUNTY_LEADER)
# The row of documents whose 承办单位 is not one of the county's units (see the module's notes).
UNASSIGNED_ROW = "其他（未明确承办单位）"


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
    """One row of the notice's table, each field a figure of app.core.notice_figures."""

    unit_name: str
    outgoing: int = 0  # 办理公文: 发文 of the unit
    incoming: int = 0  # 办理公文: 收文 the unit handles (主办)
    returns: int = 0
    errors: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind in ERROR_KINDS})
    overdue_documents: int = 0  # 逾期公文（件）
    late_steps: int = 0  # 超时环节（环节次）
    step_moves: int = 0
    step_workdays: int = 0

    @property
    def handled(self) -> int:
        """办理公文（件）."""
        return self.outgoing + self.incoming

    @property
    def error_total(self) -> int:
        return sum(self.errors.values())

    @property
    def average_workdays(self) -> float | None:
        """平均每环节用时（工作日） over all the unit's steps completed in the quarter; None when none was."""
        return round(self.step_workdays / self.step_moves, 1) if self.step_moves else None

    def add(self, other: UnitFigures) -> None:
        self.outgoing += other.outgoing
        self.incoming += other.incoming
        self.returns += other.returns
        self.overdue_documents += other.overdue_documents
        self.late_steps += other.late_steps
        self.step_moves += other.step_moves
        self.step_workdays += other.step_workdays
        for kind, n in other.errors.items():
            self.errors[kind] = self.errors.get(kind, 0) + n


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
class LateStep:
    """One 超时环节: a step of a document past its time limit."""

    step_label: str
    due_date: date
    overdue_workdays: int
    completed_on: date | None  # None: the document was still at this step at the cut-off


@dataclass(frozen=True)
class OverdueLine:
    """One 逾期公文 with every 超时环节 it had in the quarter."""

    unit_name: str
    title: str
    number: str
    steps: tuple[LateStep, ...]


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


class _CountyUnits:
    """The county's units by id, and a 来文单位 or error's unit name matched to one of them."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.names: dict[int, str] = {}
        self.order: dict[str, int] = {}
        self.by_name: dict[str, str] = {}
        for row in rows:
            if row.kind not in COUNTY_UNIT_KINDS:
                continue
            self.names[row.id] = row.name
            self.order[row.name] = row.sort_order
            aliases = [row.name, row.short_name]
            if row.kind == "township":
                # A township writes as its government: 城关镇 signs as 城关镇人民政府.
                aliases.append(f"{row.name}人民政府")
            for alias in aliases:
                if alias:
                    self.by_name.setdefault(alias, row.name)

    def of_id(self, unit_id: int | None) -> str:
        return self.names.get(unit_id or 0, UNASSIGNED_ROW)

    def named(self, name: str) -> str | None:
        """The county unit a written name stands for, or None for a body outside the county."""
        return self.by_name.get(name.strip())


@dataclass
class _Doc:
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


def _responsible_id(doc: Any) -> int | None:
    """A 发文's drafting unit; a 收文's 主办 unit, or before one is named the unit that registered it."""
    if doc.direction == OUTGOING:
        return int(doc.drafting_unit_id) if doc.drafting_unit_id else None
    unit_id = doc.handling_unit_id or doc.instance_unit_id
    return int(unit_id) if unit_id else None


def _number(doc: Any) -> str:
    return str((doc.doc_number if doc.direction == OUTGOING else doc.receipt_number) or "")


def _step_due(calendar: WorkCalendar, info: _Doc, step_key: str, began: date) -> date | None:
    """The deadline of a step entered on ``began``: the assigned 办理时限 for 承办, else the step's limit."""
    if step_key == "handle" and info.handling_deadline is not None:
        return info.handling_deadline
    limit = info.flow.step(step_key).time_limit
    if limit is None:
        return None
    if limit.unit == "workday":
        return calendar.add_workdays(began, limit.amount).date
    return calendar.add_days(began, limit.amount).date


def _is_return(flow: Flow, source: str, action: str) -> bool:
    return flow.has_step(source) and any(
        t.action == action and t.kind == "return" for t in flow.transitions_from(source)
    )


class _Counter:
    """Walks each document's history up to the cut-off and counts it by the notice's definitions."""

    def __init__(self, calendar: WorkCalendar, county: _CountyUnits, start_at: datetime, cutoff: date) -> None:
        self.calendar = calendar
        self.county = county
        self.start_at = start_at
        self.cutoff = cutoff
        self.figures: dict[str, UnitFigures] = {}
        self.step_totals: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.overdue: list[tuple[date, str, OverdueLine]] = []

    def unit(self, name: str) -> UnitFigures:
        if name not in self.figures:
            self.figures[name] = UnitFigures(name)
        return self.figures[name]

    def _late(self, info: _Doc, step_key: str, began: date, until: date, completed: bool) -> LateStep | None:
        """The step as a 超时环节 when, left on ``until`` (or still open then), it was past its limit."""
        due = _step_due(self.calendar, info, step_key, began)
        if due is None:
            return None
        late_by = self.calendar.overdue_workdays(due, until)
        if not late_by:
            return None
        return LateStep(info.flow.step(step_key).label, due, late_by, until if completed else None)

    def document(self, info: _Doc, rows: list[Any]) -> None:
        entered: dict[str, date] = {}
        state: str | None = None
        moved = False
        late: list[LateStep] = []
        figures = self.unit(info.unit_name)
        flow = info.flow
        for source, target, action, at in rows:
            day = local_date(at)
            if source is None:
                entered[target], state = day, target
                continue
            if source == target:
                continue  # an opinion given without a move (会签, 阅文)
            began = entered.get(source)
            entered[target], state = day, target
            if at < self.start_at:
                continue
            moved = True
            if _is_return(flow, source, action):
                if info.direction == INCOMING:
                    # A 退文 goes against the 来文单位, when that is one of the county's units.
                    sender = self.county.named(info.source_unit)
                    if sender is not None:
                        self.unit(sender).returns += 1
                else:
                    figures.returns += 1
            if began is None or not flow.has_step(source):
                continue
            spent = self.calendar.workdays_between(began, day)
            figures.step_moves += 1
            figures.step_workdays += spent
            self.step_totals[(flow.key, source)].append(spent)
            step = self._late(info, source, began, day, completed=True)
            if step is not None:
                late.append(step)
        still_open = state is not None and flow.has_step(state) and not flow.step(state).final
        if state is not None and still_open:
            step = self._late(info, state, entered[state], self.cutoff, completed=False)
            if step is not None:
                late.append(step)
        if not (moved or still_open):
            return
        if info.direction == OUTGOING:
            figures.outgoing += 1
        else:
            figures.incoming += 1
        if late:
            figures.overdue_documents += 1
            figures.late_steps += len(late)
            line = OverdueLine(info.unit_name, info.title, info.number, tuple(late))
            self.overdue.append((min(s.due_date for s in late), info.title, line))


def _in_play(start_at: datetime, cut_at: datetime) -> Any:
    """Instances the quarter may count: moved within it, or begun before it and not closed before it
    (a document stuck since an earlier quarter is still open, and maybe late, at this cut-off)."""
    history = WorkflowHistory
    moved = exists().where(history.instance_id == WorkflowInstance.id, history.at >= start_at, history.at < cut_at)
    earlier = exists().where(history.instance_id == WorkflowInstance.id, history.at < start_at)
    not_closed_before = or_(
        WorkflowInstance.closed == false(), WorkflowInstance.closed_at.is_(None),
        WorkflowInstance.closed_at >= start_at,
    )
    return select(WorkflowInstance.id).where(or_(moved, and_(earlier, not_closed_before)))


@acting
def quarterly_notice(
    uow: UnitOfWork, actor: Actor, year: int, quarter: int, *, today: date | None = None
) -> QuarterlyNotice:
    if actor.id is not None:  # the system (`govdesk print`, run by whoever holds the database) reads it all
        require_any(actor, REPORT_ROLES, "查看公文运转及差错情况通报")
    start, end = quarter_bounds(year, quarter)
    cutoff = min(today_or(today), end - timedelta(days=1))
    start_at, cut_at = _utc(start), _utc(cutoff + timedelta(days=1))
    session = uow.session
    calendar = work_calendar(uow)
    county = _CountyUnits(
        session.execute(select(Unit.id, Unit.name, Unit.short_name, Unit.kind, Unit.sort_order)).all()
    )
    counter = _Counter(calendar, county, start_at, cutoff)

    in_play = _in_play(start_at, cut_at)
    docs: dict[int, _Doc] = {}
    flows: dict[tuple[str, int], Flow] = {}
    for doc in session.execute(
        select(*_DOC_COLUMNS)
        .join(WorkflowInstance, WorkflowInstance.id == Document.workflow_instance_id)
        .where(WorkflowInstance.id.in_(in_play))
    ).all():
        key = (doc.flow_key, doc.flow_version)
        flow = flows.setdefault(key, flow_version(uow, *key))
        docs[doc.instance_id] = _Doc(
            doc.direction, county.of_id(_responsible_id(doc)), doc.source_unit, doc.title, _number(doc),
            doc.handling_deadline, flow,
        )
    rows_of: dict[int, list[Any]] = defaultdict(list)
    if docs:
        for instance_id, source, target, action, at in session.execute(
            select(
                WorkflowHistory.instance_id, WorkflowHistory.from_state, WorkflowHistory.to_state,
                WorkflowHistory.action, WorkflowHistory.at,
            )
            .where(WorkflowHistory.instance_id.in_(in_play), WorkflowHistory.at < cut_at)
            .order_by(WorkflowHistory.instance_id, WorkflowHistory.id)
        ):
            if instance_id in docs:
                rows_of[instance_id].append((source, target, action, at))
    for instance_id, info in docs.items():
        counter.document(info, rows_of[instance_id])

    error_lines: list[ErrorLine] = []
    for error, title, direction, doc_number, receipt_number in session.execute(
        select(DocumentError, Document.title, Document.direction, Document.doc_number, Document.receipt_number)
        .join(Document, Document.id == DocumentError.document_id)
        .where(DocumentError.at >= start_at, DocumentError.at < cut_at)
        .order_by(DocumentError.at, DocumentError.id)
    ).all():
        unit_name = county.names.get(error.unit_id or 0) or county.named(error.unit_name)
        if unit_name is None:
            continue  # recorded against a body outside the county
        figures = counter.unit(unit_name)
        figures.errors[error.kind] = figures.errors.get(error.kind, 0) + 1
        number = (doc_number if direction == OUTGOING else receipt_number) or ""
        error_lines.append(
            ErrorLine(
                unit_name, error.person_name, error.kind, error.note, title, number, error.recorded_by_name,
                error.at,
            )
        )

    units = sorted(
        counter.figures.values(),
        key=lambda f: (f.unit_name == UNASSIGNED_ROW, county.order.get(f.unit_name, 1_000_000), f.unit_name),
    )
    units = [f for f in units if f.handled or f.returns or f.error_total or f.overdue_documents]
    totals = UnitFigures("合计")
    for f in units:
        totals.add(f)
    by_key = {f.key: f for f in flows.values()}
    steps = [
        StepTime(
            flow_key, by_key[flow_key].label, step_key, by_key[flow_key].step(step_key).label, len(spent),
            round(sum(spent) / len(spent), 1),
        )
        for (flow_key, step_key), spent in counter.step_totals.items()
    ]
    step_order = {(f.key, s.key): i for f in by_key.values() for i, s in enumerate(f.steps)}
    steps.sort(key=lambda s: (s.flow_key != "outgoing_document", step_order.get((s.flow_key, s.step), 0)))
    overdue = [line for _due, _title, line in sorted(counter.overdue, key=lambda item: (item[0], item[1]))]
    return QuarterlyNotice(
        office_name=str(get_setting(uow, "office_name")), year=year, quarter=quarter, period_start=start,
        period_end=end - timedelta(days=1), cutoff=cutoff, units=units, totals=totals, steps=steps,
        errors=error_lines, overdue=overdue,
    )


__all__ = [
    "ErrorLine",
    "LateStep",
    "OverdueLine",
    "QuarterlyNotice",
    "StepTime",
    "UnitFigures",
    "quarter_bounds",
    "quarterly_notice",
]
