"""Clocks that run across steps: a time limit that starts on entering one step and stops on leaving
another (信访: 15 days to accept, 60 days to finish), declared in the flow as data.

A clock may be extended once, by at most its declared maximum, by whoever its extension names, with a
recorded reason; and, where the flow allows it, paused and resumed (waiting for material), each with a
reason. What happened to a clock on one record is a list of ClockEvent, kept by the services; this
module reads such a list into where the clock stands on a given day, and says what may happen next.

Time is counted in whole days of the record's local calendar, as every limit of the office is. A paused
day does not count: the due date moves on by the days (or working days) the clock stood still.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from app.core.calendar import Deadline, WorkCalendar
from app.core.errors import WorkflowError
from app.core.workflow.engine import Flow, FlowDefinitionError, TimeLimit

ClockEventKind = Literal["start", "pause", "resume", "extend", "stop"]
ClockPhase = Literal["not_started", "running", "paused", "stopped"]

class ClockError(WorkflowError):
    """An extension, pause or resumption that the clock's declaration or its state does not allow."""


@dataclass(frozen=True)
class ClockExtension:
    """The one extension a clock allows: at most ``max_amount`` of the clock's units, approved by a
    holder of one of ``approver_roles``."""

    max_amount: int
    approver_roles: frozenset[str]

    def __post_init__(self) -> None:
        if self.max_amount < 1:
            raise FlowDefinitionError("延期的最长期限至少为1天")
        if not self.approver_roles:
            raise FlowDefinitionError("延期必须指定审批人的角色")


@dataclass(frozen=True)
class Clock:
    """A time limit over a stretch of a flow: from entering ``starts_on`` until leaving ``stops_on``."""

    key: str
    label: str
    starts_on: str
    stops_on: str
    limit: TimeLimit
    extension: ClockExtension | None = None
    pausable: bool = False

    def describe(self) -> str:
        text = f"{self.label}：{self.limit.amount}{_unit_word(self)}"
        if self.extension is not None:
            text += f"，可延期一次（不超过{self.extension.max_amount}{_unit_word(self)}）"
        return text


def check_clocks(flow_label: str, step_keys: Iterable[str], clocks: Sequence[Clock]) -> None:
    """Refuse, when the flow is declared, clocks that name steps it lacks or share a key."""
    known = set(step_keys)
    seen: set[str] = set()
    for clock in clocks:
        if clock.key in seen:
            raise FlowDefinitionError(f"流程“{flow_label}”的时限“{clock.label}”重复")
        seen.add(clock.key)
        for step in (clock.starts_on, clock.stops_on):
            if step not in known:
                raise FlowDefinitionError(f"流程“{flow_label}”的时限“{clock.label}”指向不存在的环节“{step}”")


@dataclass(frozen=True)
class ClockEvent:
    """One thing that happened to a clock on a record, on a local day."""

    kind: ClockEventKind
    on: date
    # The extension's length, in the clock's unit; 0 for every other kind.
    amount: int = 0
    reason: str = ""


@dataclass(frozen=True)
class ClockReading:
    """Where a clock stands on a day (``on``)."""

    clock: Clock
    phase: ClockPhase
    on: date
    started: date | None = None
    stopped: date | None = None
    paused_since: date | None = None
    extended_by: int = 0
    extension_reason: str = ""
    # The days (or working days) the clock stood still, in finished pauses.
    paused_for: int = 0
    # Units counted from the start to ``on`` (or the stop, or the pause), pauses left out.
    used: int = 0
    # The day it must stop by. None before the start and while paused: it is not known until the clock
    # runs again.
    due: Deadline | None = None
    # (paused on, resumed on or None, reason), in order.
    pauses: tuple[tuple[date, date | None, str], ...] = field(default=())

    @property
    def allowed(self) -> int:
        return self.clock.limit.amount + self.extended_by

    @property
    def overdue(self) -> bool:
        """Running past its due date, or stopped after it."""
        if self.due is None:
            return False
        end = self.stopped if self.phase == "stopped" else self.on
        return end is not None and end > self.due.date

    @property
    def can_extend(self) -> bool:
        return self.clock.extension is not None and not self.extended_by and self.phase in ("running", "paused")

    def describe(self, calendar: WorkCalendar) -> str:
        """One line for the record's header, the 工作台 and the flowchart."""
        label, unit = self.clock.label, _unit_word(self.clock)
        extended = f"（已延期{self.extended_by}{unit}）" if self.extended_by else ""
        if self.phase == "not_started":
            return f"{label}：{self.clock.limit.amount}{unit}，尚未开始"
        if self.phase == "paused" and self.paused_since is not None:
            return f"{label}：自{_day(self.paused_since)}起暂停计时，已用{self.used}{unit}{extended}"
        if self.due is None:
            return label
        due = _day(self.due.date)
        if self.phase == "stopped" and self.stopped is not None:
            late = f"，超期{_span(calendar, self.clock, self.due.date, self.stopped)}{unit}" if self.overdue else ""
            return f"{label}：{_day(self.stopped)}办结（时限{due}）{extended}{late}"
        if self.overdue:
            return f"{label}：应于{due}前完成，已超期{_span(calendar, self.clock, self.due.date, self.on)}{unit}{extended}"
        return f"{label}：应于{due}前完成，尚余{_span(calendar, self.clock, self.on, self.due.date)}{unit}{extended}"


def _unit_word(clock: Clock) -> str:
    """After a number: 15日, 5个工作日."""
    return "个工作日" if clock.limit.unit == "workday" else "日"


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _span(calendar: WorkCalendar, clock: Clock, start: date, end: date) -> int:
    """Units in (start, end], as the limit counts them: the day a clock starts is never counted."""
    if end <= start:
        return 0
    if clock.limit.unit == "workday":
        return calendar.workdays_between(start, end)
    return (end - start).days


def _shift(calendar: WorkCalendar, clock: Clock, start: date, amount: int) -> Deadline:
    if clock.limit.unit == "workday":
        return calendar.add_workdays(start, amount)
    return calendar.add_days(start, amount)


def read_clock(clock: Clock, events: Sequence[ClockEvent], calendar: WorkCalendar, today: date) -> ClockReading:
    """Where ``clock`` stands on ``today``, after ``events`` (in the order they happened).

    Raises ClockError for a history no service could have written (a pause before the start, two
    extensions, events out of order), so that a damaged record is named, not misread.
    """
    phase: ClockPhase = "not_started"
    started: date | None = None
    stopped: date | None = None
    paused_since: date | None = None
    extended_by, extension_reason, paused_for = 0, "", 0
    pauses: list[tuple[date, date | None, str]] = []
    last: date | None = None
    for event in events:
        if last is not None and event.on < last:
            raise ClockError(f"“{clock.label}”的计时记录顺序有误")
        last = event.on
        check_event(clock, phase, extended_by, event)
        if paused_since is not None and event.kind in ("resume", "stop"):
            paused_for += _span(calendar, clock, paused_since, event.on)
            pauses[-1] = (paused_since, event.on, pauses[-1][2])
            paused_since = None
        if event.kind == "start":
            phase, started = "running", event.on
        elif event.kind == "pause":
            phase, paused_since = "paused", event.on
            pauses.append((event.on, None, event.reason))
        elif event.kind == "resume":
            phase = "running"
        elif event.kind == "extend":
            extended_by, extension_reason = event.amount, event.reason
        else:
            phase, stopped = "stopped", event.on
    if started is None:
        return ClockReading(clock, phase, today)
    end = stopped or paused_since or today
    used = max(0, _span(calendar, clock, started, end) - paused_for)
    due = None if phase == "paused" else _shift(calendar, clock, started, clock.limit.amount + extended_by + paused_for)
    return ClockReading(
        clock, phase, today, started=started, stopped=stopped, paused_since=paused_since,
        extended_by=extended_by, extension_reason=extension_reason, paused_for=paused_for,
        used=used, due=due, pauses=tuple(pauses),
    )


def check_event(clock: Clock, phase: ClockPhase, extended_by: int, event: ClockEvent) -> None:
    """Refuse an event the clock's declaration or its phase does not allow, saying why in Chinese."""
    label = clock.label
    kind = event.kind
    if kind == "start":
        if phase != "not_started":
            raise ClockError(f"“{label}”已经开始计时")
        return
    if phase == "not_started":
        raise ClockError(f"“{label}”尚未开始计时")
    if phase == "stopped":
        raise ClockError(f"“{label}”已停止计时，不能再{_VERBS[kind]}")
    if kind in ("pause", "resume", "extend") and not event.reason.strip():
        raise ClockError(f"{_VERBS[kind]}“{label}”必须写明理由", field="reason")
    if kind == "pause":
        if not clock.pausable:
            raise ClockError(f"“{label}”不能暂停计时")
        if phase == "paused":
            raise ClockError(f"“{label}”已经暂停计时")
    elif kind == "resume":
        if phase != "paused":
            raise ClockError(f"“{label}”没有暂停，无需恢复计时")
    elif kind == "extend":
        extension = clock.extension
        if extension is None:
            raise ClockError(f"“{label}”不能延期")
        if extended_by:
            raise ClockError(f"“{label}”已延期一次，不能再次延期")
        if not 1 <= event.amount <= extension.max_amount:
            raise ClockError(
                f"“{label}”的延期应为1至{extension.max_amount}{_unit_word(clock)}", field="amount"
            )


_VERBS: dict[ClockEventKind, str] = {
    "start": "开始",
    "pause": "暂停",
    "resume": "恢复",
    "extend": "延期",
    "stop": "停止",
}


def events_on_start(clocks: Sequence[Clock], start: str, on: date) -> list[tuple[Clock, ClockEvent]]:
    """The clocks a record starts when it begins at its flow's first step."""
    return [(clock, ClockEvent("start", on)) for clock in clocks if clock.starts_on == start]


def clock_span(flow: Flow, clock: Clock) -> frozenset[str]:
    """The steps a clock runs over: its first and last, and every step on a forward path from the one to
    the other. A return between two of them (答复 → 办理, 退回重办) stays inside and neither stops nor
    restarts the clock; leaving them (办结, 撤销) stops it."""
    forward = [t for t in flow.transitions if t.kind == "forward"]

    def reach(start: str, ahead: bool) -> set[str]:
        found, todo = {start}, [start]
        while todo:
            here = todo.pop()
            for t in forward:
                there = t.target if ahead else t.source
                if (t.source if ahead else t.target) == here and there not in found:
                    found.add(there)
                    todo.append(there)
        return found

    after_start = reach(clock.starts_on, ahead=True)
    before_stop = reach(clock.stops_on, ahead=False)
    return frozenset((after_start & before_stop) | {clock.starts_on, clock.stops_on})


def clock_spans(flow: Flow) -> dict[str, frozenset[str]]:
    return {clock.key: clock_span(flow, clock) for clock in flow.clocks}


def events_on_move(
    clocks: Sequence[Clock], source: str, target: str, on: date,
    spans: Mapping[str, frozenset[str]] | None = None,
) -> list[tuple[Clock, ClockEvent]]:
    """The starts and stops a move from ``source`` to ``target`` makes: leaving a clock's last step stops
    it, entering its first step starts it (a return into the first step does not start it again: the
    services read the clock's phase and skip a start that is not allowed).

    With the clocks' spans (clock_spans), a clock stops when the record leaves its span from any step of
    it, and a move inside the span (a return from its last step to its first) neither stops nor starts it.
    """
    happened: list[tuple[Clock, ClockEvent]] = []
    for clock in clocks:
        span = spans.get(clock.key) if spans is not None else None
        if span is None:
            leaving = source == clock.stops_on and target != source
            entering = target == clock.starts_on and source != target
        else:
            leaving = source in span and target not in span
            entering = target == clock.starts_on and source not in span
        if leaving:
            happened.append((clock, ClockEvent("stop", on)))
        if entering:
            happened.append((clock, ClockEvent("start", on)))
    return happened
