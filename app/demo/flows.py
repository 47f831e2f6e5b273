"""Demo data, the workflow part every area shares: a record's plan (its flow, facts, moves and their
moments), routes through a flow, the simulated clock, and the planner that picks when each move happens
and who may make it. What a flow's records are made of comes from its area (FlowDemo).

The one liberty the demo takes is time: each record gets a timeline in the past, and the rows flushed
while it is driven are stamped with the simulated moment (stamp).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.core.calendar import WorkCalendar
from app.core.errors import GovDeskError
from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS, Flow, Transition
from app.demo.office import CST, Org
from app.models import Attachment, WorkflowHistory, WorkflowInstance
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow


@dataclass(frozen=True)
class Hop:
    source: str
    target: str
    action: str


@dataclass
class Plan:
    flow: Flow
    entity_type: str
    title: str
    facts: dict[str, Any]
    owner: Actor
    unit_id: int | None
    urgency: str
    hops: list[Hop]
    times: list[datetime] = field(default_factory=list)
    # What the area needs besides the flow: a document's 文种 and 来文单位, a claim's lines ...
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Clock:
    """The simulated moment that flushed workflow rows are stamped with."""

    now: datetime


# Due-date buckets for records still open, in a fixed rotation: 30% overdue, 30% due soon, 40% later.
BUCKETS = ("overdue", "soon", "later", "overdue", "soon", "later", "overdue", "later", "soon", "later")


@dataclass(frozen=True)
class FlowDemo:
    """What an area gives the planner for one of its flows."""

    # Its share of the records that are not there just to cover every state.
    weight: int
    # A record of this flow as the area would make it, not yet routed.
    sample: Callable[[Planner, Flow], Plan]
    # Takes one planned record through the area's services.
    drive: Callable[[UnitOfWork, Planner, Plan, Clock], None]
    # The moves to a target, where the area routes its records in its own way (None: the shortest way).
    route: Callable[[Planner, Flow, Plan, str], list[Hop] | None] | None = None
    # Targets beyond the flow's steps that even a small demo shows ("step:variant").
    extra_targets: tuple[str, ...] = ()
    # A variant of the start step that half the records planned to stop there take instead.
    start_variant: str | None = None


def _record_guards_hold(flow: Flow, transition: Transition, facts: dict[str, Any]) -> bool:
    """The guards on the record's own facts; facts about the actor are the actor chooser's business."""
    return all(c.holds(facts) for c in transition.conditions if not c.field.startswith("actor_")) and all(
        flow.predicates[name].check(facts) for name in transition.predicates
    )


def _moves(flow: Flow, facts: dict[str, Any]) -> dict[str, dict[str, Transition]]:
    """Per state, per action: the transition the engine would take for these facts (the first that holds)."""
    result: dict[str, dict[str, Transition]] = {}
    for step in flow.steps:
        actions: dict[str, Transition] = {}
        for t in flow.transitions_from(step.key):
            if t.action not in actions and _record_guards_hold(flow, t, facts):
                actions[t.action] = t
        result[step.key] = actions
    return result


def route_to(flow: Flow, facts: dict[str, Any], target: str, start: str | None = None) -> list[Hop] | None:
    """The shortest way from the start (or ``start``) to ``target`` for these facts, without going back;
    None if none."""
    moves = _moves(flow, facts)
    first = flow.start if start is None else start
    parents: dict[str, Hop | None] = {first: None}
    queue = [first]
    while queue:
        state = queue.pop(0)
        if state == target:
            break
        for action, t in moves[state].items():
            if t.kind == "return" and not flow.step(t.target).final:
                continue
            if t.target not in parents:
                parents[t.target] = Hop(state, t.target, action)
                queue.append(t.target)
    if target not in parents:
        return None
    hops: list[Hop] = []
    node = target
    while (hop := parents[node]) is not None:
        hops.append(hop)
        node = hop.source
    return hops[::-1]


def with_return_loop(flow: Flow, facts: dict[str, Any], hops: list[Hop], rng: random.Random) -> list[Hop]:
    """Sometimes a reviewer sends the record back once and it comes round again, as real ones do."""
    moves = _moves(flow, facts)
    for i, hop in enumerate(hops):
        back = moves[hop.source].get("return")
        if back is None or flow.step(back.target).final or rng.random() >= 0.12:
            continue
        redo_from = next((j for j, h in enumerate(hops) if h.source == back.target), None)
        if redo_from is None or redo_from > i:
            continue
        return hops[:i] + [Hop(hop.source, back.target, "return")] + hops[redo_from:]
    return hops


def rerouted(flow: Flow, facts: dict[str, Any], hops: list[Hop]) -> list[Hop]:
    """The same moves under changed facts: where a move now leads elsewhere (a claim found over budget
    goes to the 主要领导 first), the way on from there back to where it led before is inserted."""
    moves = _moves(flow, facts)
    result: list[Hop] = []
    for hop in hops:
        taken = moves[hop.source].get(hop.action)
        if taken is None:
            raise RuntimeError(f"演示数据在“{flow.step(hop.source).label}”环节无法办理“{hop.action}”")
        if taken.target == hop.target:
            result.append(hop)
            continue
        detour = route_to(flow, facts, hop.target, start=taken.target)
        if detour is None:
            raise RuntimeError(f"演示数据无法从“{flow.step(taken.target).label}”回到计划的环节")
        result += [Hop(hop.source, taken.target, hop.action), *detour]
    return result


def refit_times(times: list[datetime], moves: int) -> list[datetime]:
    """``moves + 1`` moments with the same first and last: extra moves follow the one before within the
    hour, spare ones are dropped from the middle."""
    fitted = list(times)
    while len(fitted) > moves + 1:
        del fitted[-2]
    while len(fitted) < moves + 1:
        gaps = [(fitted[i + 1] - fitted[i], i) for i in range(len(fitted) - 1)]
        gap, i = max(gaps)
        fitted.insert(i + 1, fitted[i] + min(gap / 2, timedelta(minutes=40)))
    return fitted


def local_moment(d: date, minutes: int) -> datetime:
    return datetime.combine(d, time(8, 30), CST) + timedelta(minutes=minutes)


def local_day(moment: datetime) -> date:
    return moment.astimezone(CST).date()


class Planner:
    def __init__(
        self, org: Org, rng: random.Random, calendar: WorkCalendar, today: date,
        flows: Mapping[str, FlowDemo],
    ) -> None:
        self.flows = flows
        self.org = org
        self.rng = rng
        self.calendar = calendar
        self.today = today
        self.open_count = 0
        secretaries = org.with_role(Role.SECRETARY)
        self.receivers = [a for a in secretaries if org.unit_name(a.unit_id) == "秘书股"] or secretaries
        self.drafters = secretaries * 3 + org.with_role(Role.DEPUTY_DIRECTOR) + org.with_role(Role.LIAISON)
        self.liaison_units = [a.unit_id for a in org.with_role(Role.LIAISON)]
        self.lower_units = [name for name, unit in org.units.items() if unit.kind in ("township", "department")]
        self.leaders = org.with_role(Role.COUNTY_LEADER)

    # ----- what to create -----
    def plan(self, flow_key: str, target: str) -> Plan:
        flow = DEFAULT_FLOWS[flow_key]
        for _ in range(500):
            plan = self._sample(flow)
            hops = self._route(flow, plan, target)
            if hops is not None:
                plan.hops = hops
                state = target.partition(":")[0]
                plan.times = self._timeline(flow, state, len(plan.hops))
                sampled, started = plan.extra.get("year"), plan.times[0].astimezone(CST).year
                if isinstance(sampled, int) and sampled != started:
                    # A document is about the year it was written in.
                    plan.title = plan.title.replace(f"{sampled}年", f"{started}年")
                plan.extra["year"] = started
                return plan
        state, _, variant = target.partition(":")
        label = flow.step(state).label + (f"（{variant}）" if variant else "")
        raise RuntimeError(f"演示数据无法到达“{flow.label}”的“{label}”环节")

    def _route(self, flow: Flow, plan: Plan, target: str) -> list[Hop] | None:
        """The moves to the target, by the flow's own router where it has one."""
        demo = self.flows.get(flow.key)
        if demo is not None and demo.route is not None:
            return demo.route(self, flow, plan, target)
        hops = route_to(flow, plan.facts, target)
        return None if hops is None else with_return_loop(flow, plan.facts, hops, self.rng)

    def year(self) -> int:
        return self.today.year - (1 if self.rng.random() < 0.15 else 0)

    def _sample(self, flow: Flow) -> Plan:
        demo = self.flows.get(flow.key)
        if demo is None:
            raise RuntimeError(f"演示数据还不会生成“{flow.label}”的记录")
        return demo.sample(self, flow)

    # ----- when it happened -----
    def _workdays_before(self, d: date, n: int) -> date:
        while n > 0:
            d -= timedelta(days=1)
            if self.calendar.is_workday(d):
                n -= 1
        return d

    def _last_workday(self, d: date) -> date:
        while not self.calendar.is_workday(d):
            d -= timedelta(days=1)
        return d

    def _last_day(self, flow: Flow, target: str) -> date:
        """The day of the last move, chosen so the current step's due date lands in the wanted bucket."""
        rng = self.rng
        step = flow.step(target)
        anchor = self._last_workday(self.today)
        if step.final or step.time_limit is None:
            return self._workdays_before(anchor, rng.randint(1, 250))
        limit = step.time_limit
        bucket = BUCKETS[self.open_count % len(BUCKETS)]
        self.open_count += 1
        first_open = self.today if self.calendar.is_workday(self.today) else self.calendar.next_workday(self.today)
        # The furthest due date reachable with the last move no later than today.
        reach = limit.amount if first_open == self.today else limit.amount - 1
        if limit.unit == "day":
            reach = max(0, self.calendar.workdays_between(first_open, self.today + timedelta(days=limit.amount)))
        if bucket == "overdue":
            due = self._workdays_before(self.today, rng.randint(1, 15))
        elif bucket == "later" and reach >= 4:
            due = self.calendar.add_workdays(first_open, rng.randint(4, reach)).date
        else:
            due = self.calendar.add_workdays(first_open, rng.randint(0, max(0, min(3, reach)))).date
        if limit.unit == "day":
            last = due - timedelta(days=limit.amount)
        else:
            last = self._workdays_before(due, limit.amount)
        return min(last, self.today)

    def _timeline(self, flow: Flow, target: str, moves: int) -> list[datetime]:
        rng = self.rng
        days = [self._last_day(flow, target)]
        for _ in range(moves):
            days.append(self._workdays_before(days[-1], rng.choice((0, 0, 1, 1, 1, 2, 3))))
        days.reverse()
        times: list[datetime] = []
        minutes = rng.randint(0, 150)
        for i, d in enumerate(days):
            if i and d != days[i - 1]:
                minutes = rng.randint(0, 150)
            elif i:
                # Same-day moves follow each other through office hours, and stop short of midnight.
                minutes += rng.randint(10, 120) if minutes < 480 else 1
            times.append(local_moment(d, minutes).astimezone(UTC))
        return times

    # ----- who does it -----
    def actor_for(self, flow: Flow, instance: WorkflowInstance, hop: Hop, facts: dict[str, Any], opinion: str) -> Actor:
        """Someone whose role, unit and position let the engine take exactly this move."""
        candidates = list(self.org.users)
        self.rng.shuffle(candidates)
        head = self.org.heads.get(instance.unit_id) if instance.unit_id is not None else None
        for actor in candidates:
            context = {
                **facts,
                "actor_is_owner": instance.owner_id == actor.id,
                "actor_is_principal": actor.is_principal,
                "actor_heads_unit": head == actor.id,
            }
            try:
                chosen = flow.resolve(
                    hop.source, hop.action, workflow.effective_roles(actor, instance), context, opinion
                )
            except GovDeskError:
                continue
            if chosen.target == hop.target:
                return actor
        raise RuntimeError(f"演示数据找不到能在“{flow.step(hop.source).label}”环节办理的人员")


# The moments a shared record keeps; each area adds its own records' (RecordTimes).
RecordTimes = Mapping[type, tuple[str, ...]]
RECORD_TIMES: dict[type, tuple[str, ...]] = {Attachment: ("created_at", "updated_at")}


def _stamp_record_times(obj: object, now: datetime, new: bool, record_times: RecordTimes) -> None:
    names = record_times.get(type(obj))
    if names is None:
        return
    state = sa_inspect(obj)
    for name in names:
        if name in ("created_at", "updated_at"):
            if new or name == "updated_at":
                setattr(obj, name, now)
        elif getattr(obj, name) is not None and (new or state.attrs[name].history.added):
            setattr(obj, name, now)


def stamp(
    clock: Clock, record_times: RecordTimes
) -> Callable[[Session, UOWTransaction, Iterable[object] | None], None]:
    """A before_flush listener that stamps new and changed rows with the simulated moment."""
    def before_flush(session: Session, _context: UOWTransaction, _instances: Iterable[object] | None) -> None:
        for obj in session.new:
            if isinstance(obj, WorkflowInstance):
                obj.created_at = obj.updated_at = obj.entered_at = clock.now
            elif isinstance(obj, WorkflowHistory):
                obj.at = clock.now
            else:
                _stamp_record_times(obj, clock.now, True, record_times)
        for obj in session.dirty:
            if isinstance(obj, WorkflowInstance):
                obj.entered_at = obj.updated_at = clock.now
                if obj.closed:
                    obj.closed_at = clock.now
            elif session.is_modified(obj):
                _stamp_record_times(obj, clock.now, False, record_times)

    return before_flush
