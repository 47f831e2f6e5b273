"""Clocks that span steps (app.core.workflow.clocks), kept for each record: what happened to each clock is
appended to workflow_clock_events; workflow_clocks holds where each clock stands after it, for the lists.

A move starts and stops clocks (follow_move, called by app.services.workflow.move_effects after every move);
a person extends, pauses or resumes one (extend_clock, pause_clock, resume_clock), or their delegate (代理) does,
recorded as done on the person's behalf, as a move is. After each, the record's
due date (workflow_instances.due_date) becomes the earliest of its step's own due date and every running
clock's: the 工作台's overdue and due-soon views read that column alone, so they count clocks too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from app.core.calendar import Deadline, WorkCalendar, local_date
from app.core.errors import PermissionDenied
from app.core.printable import check_printable
from app.core.roles import describe_roles
from app.core.workflow import Flow
from app.core.workflow.clocks import (
    Clock,
    ClockEvent,
    ClockEventKind,
    ClockReading,
    clock_spans,
    events_on_move,
    events_on_start,
    read_clock,
)
from app.db.tables import workflow_clock_events, workflow_clocks
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import actor_context, effective_roles, flow_for, get_instance, principals_of
from app.services.workflow.record_facts import record_facts
from app.services.workflow.visibility import require_visible

if TYPE_CHECKING:
    from app.core.workflow.layout import FlowTrail
    from app.models import WorkflowInstance

_EV = workflow_clock_events.c
_WC = workflow_clocks.c

# What a person does to a clock, as the history and the audit name it.
_ACTS: dict[ClockEventKind, tuple[str, str]] = {
    "extend": ("extend_clock", "延期"),
    "pause": ("pause_clock", "暂停计时"),
    "resume": ("resume_clock", "恢复计时"),
}


@dataclass(frozen=True)
class ClockAct:
    """What a person did to a clock (延期, 暂停计时, 恢复计时), for the record's window: who, on whose behalf
    ("" for their own act), on which day, by how much (an extension), and why."""

    kind: ClockEventKind
    label: str
    on: date
    actor_name: str
    on_behalf_of_name: str
    amount: int
    reason: str


@dataclass(frozen=True)
class ClockView:
    """One clock of a record as its window shows it to one person: where it stands, in one line, and which
    of 延期 / 暂停计时 / 恢复计时 this person may do now (the window shows only those buttons)."""

    reading: ClockReading
    line: str
    may_extend: bool
    may_pause: bool
    may_resume: bool
    # The acts of people on this clock, oldest first (a start and a stop are the moves', shown in the history).
    acts: tuple[ClockAct, ...] = ()

    @property
    def clock(self) -> Clock:
        return self.reading.clock

    @property
    def unit_word(self) -> str:
        """After a number: 30日, 5个工作日."""
        return "个工作日" if self.clock.limit.unit == "workday" else "日"

    @property
    def unit_name(self) -> str:
        """The unit alone, after a number in a spin box: 日, 工作日."""
        return "工作日" if self.clock.limit.unit == "workday" else "日"

    @property
    def max_extension(self) -> int:
        return self.clock.extension.max_amount if self.clock.extension is not None else 0


# ----- reading ----------------------------------------------------------------------------------------------


def _events(uow: UnitOfWork, instance_id: int) -> dict[str, list[ClockEvent]]:
    """Each clock's events on the record, in the order they were recorded."""
    rows = uow.execute(
        select(_EV.clock_key, _EV.kind, _EV.on_date, _EV.amount, _EV.reason)
        .where(_EV.instance_id == instance_id)
        .order_by(_EV.id)
    ).all()
    found: dict[str, list[ClockEvent]] = {}
    for key, kind, on, amount, reason in rows:
        found.setdefault(key, []).append(ClockEvent(kind, on, amount or 0, reason or ""))
    return found


def _readings(
    uow: UnitOfWork, instance_id: int, flow: Flow, calendar: WorkCalendar, today: date
) -> list[ClockReading]:
    events = _events(uow, instance_id)
    return [read_clock(clock, events.get(clock.key, []), calendar, today) for clock in flow.clocks]


def _not_before_last(events: dict[str, list[ClockEvent]], today: date) -> date:
    """The day a new event is recorded on: today, or the record's latest clock event's day if that is later
    (a PC whose date is behind must not make a history that reads backwards)."""
    latest = max((e.on for history in events.values() for e in history), default=today)
    return max(today, latest)


# ----- writing ----------------------------------------------------------------------------------------------


def _acts(uow: UnitOfWork, instance_id: int) -> dict[str, list[ClockAct]]:
    """Each clock's acts by people on the record, oldest first."""
    rows = uow.execute(
        select(_EV.clock_key, _EV.kind, _EV.on_date, _EV.actor_name, _EV.on_behalf_of_name, _EV.amount, _EV.reason)
        .where(_EV.instance_id == instance_id, _EV.kind.in_(sorted(_ACTS)))
        .order_by(_EV.id)
    ).all()
    found: dict[str, list[ClockAct]] = {}
    for key, kind, on, actor_name, behalf, amount, reason in rows:
        found.setdefault(key, []).append(
            ClockAct(kind, _ACTS[kind][1], on, actor_name or "", behalf or "", amount or 0, reason or "")
        )
    return found


def _append(
    uow: UnitOfWork, actor: Actor, instance_id: int, clock: Clock, event: ClockEvent, principal: Actor | None = None
) -> None:
    uow.execute(
        insert(workflow_clock_events).values(
            instance_id=instance_id, clock_key=clock.key, kind=event.kind, on_date=event.on, amount=event.amount,
            reason=event.reason, actor_id=actor.id, actor_name=actor.full_name,
            on_behalf_of_id=principal.id if principal is not None else None,
            on_behalf_of_name=principal.full_name if principal is not None else "",
        )
    )


def _store_reading(uow: UnitOfWork, instance_id: int, reading: ClockReading) -> None:
    """The clock's row in workflow_clocks, made or brought up to date."""
    values = {
        "phase": reading.phase,
        "started_on": reading.started,
        "due_date": reading.due.date if reading.due is not None else None,
        "due_provisional": bool(reading.due is not None and reading.due.provisional),
        "extended_by": reading.extended_by,
        "paused_since": reading.paused_since,
        "stopped_on": reading.stopped,
    }
    key = reading.clock.key
    found = uow.execute(
        select(_WC.id).where(_WC.instance_id == instance_id, _WC.clock_key == key)
    ).scalar_one_or_none()
    if found is None:
        uow.execute(insert(workflow_clocks).values(instance_id=instance_id, clock_key=key, **values))
    else:
        uow.execute(update(workflow_clocks).where(_WC.id == found).values(**values))


def _step_due(instance: WorkflowInstance, flow: Flow, calendar: WorkCalendar) -> Deadline | None:
    """The current step's own due date, counted from the day the record entered it (as moves._set_due)."""
    step = flow.step(instance.state)
    limit = step.time_limit
    if limit is None or step.final:
        return None
    entered = local_date(instance.entered_at)
    return calendar.add_workdays(entered, limit.amount) if limit.unit == "workday" else calendar.add_days(
        entered, limit.amount
    )


def _set_due(instance: WorkflowInstance, step_due: Deadline | None, readings: Sequence[ClockReading]) -> None:
    """The record's due date: the earliest of its step's own and every running clock's."""
    candidates = [step_due] if step_due is not None else []
    candidates += [r.due for r in readings if r.phase == "running" and r.due is not None]
    if not candidates:
        instance.due_date = None
        instance.due_provisional = False
        return
    # On one day, a provisional end (a year whose holidays are not yet published) is the one to show.
    earliest = min(candidates, key=lambda d: (d.date, not d.provisional))
    instance.due_date = earliest.date
    instance.due_provisional = earliest.provisional


@acting
def follow_move(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, flow: Flow, from_state: str | None, today: date
) -> None:
    """A move's effect on the record's clocks (app.services.workflow.move_effects): the starts and stops it
    makes are recorded, each clock's row is brought up to date, and the record's due date set to the
    earliest of its step's own (set by the move just before) and its running clocks'."""
    if not flow.clocks:
        return
    calendar = work_calendar(uow)
    events = _events(uow, instance.id)
    today = _not_before_last(events, today)
    if from_state is None:
        happened = events_on_start(flow.clocks, instance.state, today)
    else:
        happened = events_on_move(flow.clocks, from_state, instance.state, today, clock_spans(flow))
    touched: set[str] = set()
    for clock, event in happened:
        history = events.setdefault(clock.key, [])
        phase = read_clock(clock, history, calendar, today).phase
        # A start the clock's phase does not allow (a return into its first step after it stopped) and a
        # stop of a clock that is not running are no events: the move itself is allowed.
        skipped = phase != "not_started" if event.kind == "start" else phase in ("not_started", "stopped")
        if skipped:
            continue
        _append(uow, actor, instance.id, clock, event)
        history.append(event)
        touched.add(clock.key)
    readings = [read_clock(clock, events.get(clock.key, []), calendar, today) for clock in flow.clocks]
    for reading in readings:
        # A row changes only with its clock's events: the others' rows stand as they were.
        if reading.clock.key in touched:
            _store_reading(uow, instance.id, reading)
    step_due = None
    if instance.due_date is not None:
        step_due = Deadline(instance.due_date, bool(instance.due_provisional))
    _set_due(instance, step_due, readings)


# ----- what a person does to a clock -----------------------------------------------------------------------


def _acts_at_step(uow: UnitOfWork, who: Actor, instance: WorkflowInstance) -> bool:
    """Whether the person themself (not as anyone's delegate) has a move at the record's step now."""
    if instance.closed or (instance.assignee_id is not None and instance.assignee_id != who.id):
        return False
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    context = {**record_facts(uow, instance, flow), **actor_context(uow, who, instance)}
    return bool(flow.available(instance.state, effective_roles(who, instance), context))


def _may_act_on_record(uow: UnitOfWork, who: Actor, instance: WorkflowInstance) -> bool:
    """Whoever may act at the current step, or the record's responsible person (首问负责)."""
    if who.id is not None and instance.responsible_id == who.id:
        return True
    return _acts_at_step(uow, who, instance)


def _approves(who: Actor, instance: WorkflowInstance, clock: Clock) -> bool:
    extension = clock.extension
    return extension is not None and bool(effective_roles(who, instance) & extension.approver_roles)


def _for_whom(
    uow: UnitOfWork, actor: Actor, may: Callable[[Actor], bool], today: date
) -> tuple[bool, Actor | None]:
    """Whether the actor may, and on whose behalf: None for their own act; else the first person who
    delegated to them for today (代理) and may."""
    if may(actor):
        return True, None
    for principal in principals_of(uow, actor, today):
        if may(principal):
            return True, principal
    return False, None


def _change_clock(
    uow: UnitOfWork, actor: Actor, instance_id: int, clock_key: str, kind: ClockEventKind, reason: str,
    amount: int, expected_version: int | None, today: date | None,
) -> ClockReading:
    """Checks and records one extension, pause or resumption, with its history and audit entry; commits.
    A refusal changes nothing."""
    from app.models import WorkflowHistory

    doing = _ACTS[kind][1]
    instance = get_instance(uow, instance_id, expected_version)
    require_visible(uow, actor, instance.id, doing)
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    clock = flow.clock(clock_key)
    # A delegate acts for the person inside the period only: the delegation of the day the act is made.
    asked_on = today or date.today()
    if kind == "extend":
        allowed, principal = _for_whom(uow, actor, lambda who: _approves(who, instance, clock), asked_on)
        if not allowed:
            who = describe_roles(set(clock.extension.approver_roles)) if clock.extension else "任何人"
            raise PermissionDenied(f"只有{who}可以批准“{clock.label}”延期")
    else:
        allowed, principal = _for_whom(uow, actor, lambda who: _may_act_on_record(uow, who, instance), asked_on)
        if not allowed:
            raise PermissionDenied(f"只有当前环节的办理人或本事项的负责人可以{doing}“{clock.label}”")
    check_printable(reason, "理由", field="reason")
    calendar = work_calendar(uow)
    events = _events(uow, instance.id)
    today = _not_before_last(events, asked_on)
    event = ClockEvent(kind, today, amount if kind == "extend" else 0, reason.strip())
    # read_clock checks the event against the clock's declaration and its history (ClockError, in Chinese).
    reading = read_clock(clock, [*events.get(clock.key, []), event], calendar, today)
    _append(uow, actor, instance.id, clock, event, principal)
    events.setdefault(clock.key, []).append(event)
    _store_reading(uow, instance.id, reading)
    readings = [read_clock(c, events.get(c.key, []), calendar, today) for c in flow.clocks]
    _set_due(instance, _step_due(instance, flow, calendar), readings)
    action, label = _ACTS[kind]
    uow.session.add(
        WorkflowHistory(
            instance_id=instance.id, from_state=instance.state, to_state=instance.state, action=action,
            action_label=label, actor_id=actor.id, actor_name=actor.full_name, opinion=reason.strip(),
            on_behalf_of_id=principal.id if principal is not None else None,
            on_behalf_of_name=principal.full_name if principal is not None else "",
        )
    )
    detail: dict[str, object] = {"instance": instance.id, "clock": clock.key, "reason": reason.strip()}
    if kind == "extend":
        detail["amount"] = amount
    if principal is not None:
        detail["on_behalf_of"] = principal.full_name
    uow.record(
        actor.id, actor.username, action, instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id, detail, change_op="update",
    )
    uow.commit()
    return reading


@acting
def extend_clock(
    uow: UnitOfWork, actor: Actor, instance_id: int, clock_key: str, amount: int, reason: str, *,
    expected_version: int | None = None, today: date | None = None,
) -> ClockReading:
    """The clock's one extension, by ``amount`` of its units, approved by a holder of one of the roles its
    extension names, with a reason."""
    return _change_clock(uow, actor, instance_id, clock_key, "extend", reason, amount, expected_version, today)


@acting
def pause_clock(
    uow: UnitOfWork, actor: Actor, instance_id: int, clock_key: str, reason: str, *,
    expected_version: int | None = None, today: date | None = None,
) -> ClockReading:
    """Stops the clock counting (waiting for material), with a reason: by whoever may act at the current
    step, or the record's responsible person."""
    return _change_clock(uow, actor, instance_id, clock_key, "pause", reason, 0, expected_version, today)


@acting
def resume_clock(
    uow: UnitOfWork, actor: Actor, instance_id: int, clock_key: str, reason: str, *,
    expected_version: int | None = None, today: date | None = None,
) -> ClockReading:
    """Lets a paused clock count again, with a reason; by the same people as pause_clock."""
    return _change_clock(uow, actor, instance_id, clock_key, "resume", reason, 0, expected_version, today)


@acting
def clock_readings(uow: UnitOfWork, actor: Actor, instance_id: int, today: date | None = None) -> list[ClockView]:
    """The record's clocks as they stand today, each with its line and what this person may do to it."""
    instance = get_instance(uow, instance_id)
    require_visible(uow, actor, instance.id)
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    if not flow.clocks:
        return []
    calendar = work_calendar(uow)
    today = today or date.today()
    # As the acts decide (_change_clock): the actor's own right, or a person's they act for today.
    may_act = not instance.closed and _for_whom(uow, actor, lambda who: _may_act_on_record(uow, who, instance),
                                                today)[0]
    acts = _acts(uow, instance.id)
    views = []
    for reading in _readings(uow, instance.id, flow, calendar, today):
        clock = reading.clock

        def approves(who: Actor, clock: Clock = clock) -> bool:
            return _approves(who, instance, clock)

        views.append(
            ClockView(
                reading=reading,
                line=reading.describe(calendar),
                may_extend=reading.can_extend and _for_whom(uow, actor, approves, today)[0],
                may_pause=may_act and clock.pausable and reading.phase == "running",
                may_resume=may_act and reading.phase == "paused",
                acts=tuple(acts.get(clock.key, ())),
            )
        )
    return views


def trail_with_clocks(trail: FlowTrail, views: Sequence[ClockView]) -> FlowTrail:
    """A record's trail with where each clock stands, for the flowchart to write by the clock's bracket (the
    bracket already names the clock, so each line goes without its label)."""
    notes = []
    for view in views:
        prefix = f"{view.clock.label}："
        text = view.line.removeprefix(prefix)
        notes.append((view.clock.key, text, view.reading.overdue))
    return replace(trail, clock_notes=tuple(notes))
