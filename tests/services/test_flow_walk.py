"""A random walk over every flow: random people try random actions on 发文, 收文 and 报销单, on the clock test
flow (a 信访-shaped record with two clocks, tests/helpers/clock_flow.py) and on the 督办 test flow with recurring
reports (tests/helpers/record_features_flow.py), in random order, while the walk's days go on.

Hypothesis drives the real services on a real database. After every step three invariants must hold:
- a refused action leaves no trace: no history, audit or change-feed row, and the record's version is as
  it was;
- every to-do on anyone's 工作台 (kind 待办 at a flow step) is one its holder may take: the step has a move
  for one of their roles, and the record is not assigned to someone else;
- the history and the audit chain agree: each history row has its "transition" audit entry, and the
  chain verifies.
The engine features of the next issue add their actions to the catalogue below. The worklist's (issue 15):
anyone may 撤回 or open any record, and people delegate to each other for periods in force or not; then a
delegate's to-dos are those of the people they act for, a withdrawn move leaves no to-do behind but the
mover's, and a delegate acts only inside the period (a move's day, or a clock event's).
The clocks': the clock flow's records are moved, paused, resumed and extended on the walk's day, which a rule
moves on; a clock's elapsed time never runs backwards as the days go on, and a paused clock does not run (read
a month later it has used no more, and has no due date). The recurring reports': a report on the 工作台 is one
its holder (or the person a delegate holds it for) may report.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from app.bootstrap import AppContext, bootstrap
from app.core.claims import LineInput
from app.core.errors import GovDeskError
from app.core.workflow.urging import URGING_ROLES
from app.db.tables import delegations, workflow_clock_events
from app.models import AuditEntry, WorkflowHistory, WorkflowInstance
from app.services.admin import audit
from app.services.claims import records as claims
from app.services.documents import archives, incoming, outgoing
from app.services.documents import records as documents
from app.services.kernel.actor import Actor
from app.services.workflow import clocks, delegation, detail, duties, todo, urges, withdrawal
from app.services.workflow import moves as workflow
from tests.helpers import clock_flow, record_features_flow
from tests.helpers.databases import BACKENDS, ServerDatabase, SqliteTemplate, skip_reason
from tests.helpers.document_office import TODAY, Office, build_office, counts, new_draft, new_incoming

PEOPLE = ("admin", "director", "deputy", "clerk", "clerk2", "petition", "finance", "cashier", "mayor", "vice",
          "liaison_fin", "liaison_edu")


@dataclass(frozen=True)
class Record:
    kind: str  # "outgoing", "incoming", "claim", or one of the test flows: "clocked", "supervision"
    id: int  # the document's or claim's id; a test flow's record: its instance's


# The test flows' records are workflow instances of their own (no area's record behind them).
INSTANCE_KINDS = {"clocked": clock_flow.ENTITY, "supervision": record_features_flow.ENTITY}


# ----- what people may try, per kind of record ----------------------------------------------------------

Act = Callable[[Office, Actor, int], object]


def _pending_circulations(o: Office, doc: int, reader: Actor) -> list[int]:
    with o.ctx.uow() as uow:
        return [c.id for c in documents.get_document(uow, o.clerk, doc).circulations
                if c.holding and c.reader_id == reader.id]


class NothingToRead(GovDeskError):
    """Reading when nothing was sent to this reader is not an act: counted as refused, and it changes nothing."""


def _read_all(o: Office, who: Actor, doc: int) -> object:
    pending = _pending_circulations(o, doc, who)
    if not pending:
        raise NothingToRead("没有送给此人传阅的文件")
    for circulation in pending:
        o.run(incoming.mark_read, who, circulation, remark="已阅")
    return None


OUTGOING_ACTS: dict[str, Act] = {
    "submit": lambda o, who, doc: o.run(outgoing.submit, who, doc, today=TODAY),
    "review approve": lambda o, who, doc: o.run(outgoing.review, who, doc, "approve", "同意送签", today=TODAY),
    "review return": lambda o, who, doc: o.run(outgoing.review, who, doc, "return", "请修改第二段", today=TODAY),
    "sign": lambda o, who, doc: o.run(outgoing.sign, who, doc, "同意印发", today=TODAY),
    "recheck approve": lambda o, who, doc: o.run(outgoing.recheck, who, doc, "approve", "手续完备", today=TODAY),
    "return to signer": lambda o, who, doc: o.run(outgoing.return_to_signer, who, doc, "附件需更换", today=TODAY),
    "number": lambda o, who, doc: o.run(outgoing.assign_number, who, doc, today=TODAY),
    "print": lambda o, who, doc: o.run(outgoing.mark_printed, who, doc, copies=60, proofreader="赵文秘", today=TODAY),
    "seal": lambda o, who, doc: o.run(outgoing.mark_sealed, who, doc, today=TODAY),
    "distribute": lambda o, who, doc: o.run(outgoing.distribute, who, doc, [o.units["财政局"]], today=TODAY),
    "archive": lambda o, who, doc: o.run(archives.archive_document, who, doc, retention="D30", pages=4, today=TODAY),
    "cancel": lambda o, who, doc: o.run(outgoing.cancel_draft, who, doc, "不再发文"),
}

INCOMING_ACTS: dict[str, Act] = {
    "sign for": lambda o, who, doc: o.run(
        incoming.sign_for, who, doc, received_at=datetime.combine(TODAY, time(9, 30)), today=TODAY),
    "register": lambda o, who, doc: o.run(incoming.register, who, doc, today=TODAY),
    "screen accept": lambda o, who, doc: o.run(incoming.screen, who, doc, "accept", today=TODAY),
    "propose": lambda o, who, doc: o.run(incoming.propose, who, doc, "拟请陈县长阅示。", today=TODAY),
    "instruct, handled by 财政局": lambda o, who, doc: o.run(
        incoming.instruct, who, doc, "请县财政局抓紧落实。", needs_handling=True, main_unit_id=o.units["财政局"],
        co_unit_ids=[], workdays=10, today=TODAY),
    "instruct, no handling": lambda o, who, doc: o.run(
        incoming.instruct, who, doc, "阅。", needs_handling=False, main_unit_id=None, co_unit_ids=[], workdays=10,
        today=TODAY),
    "handled": lambda o, who, doc: o.run(
        incoming.handled, who, doc, result="已落实。", needs_circulation=True, today=TODAY),
    "circulate to the leaders": lambda o, who, doc: o.run(
        incoming.circulate, who, doc, [o.mayor.id, o.vice.id], note="请阅"),
    "read": _read_all,
    "finish circulation": lambda o, who, doc: o.run(incoming.finish_circulation, who, doc, today=TODAY),
    "conclude": lambda o, who, doc: o.run(incoming.conclude, who, doc, "已办结。", today=TODAY),
    "archive": lambda o, who, doc: o.run(archives.archive_document, who, doc, retention="D10", pages=3, today=TODAY),
}

CLAIM_ACTS: dict[str, Act] = {
    "submit": lambda o, who, claim: o.run(claims.submit, who, claim, today=TODAY),
    "withdraw": lambda o, who, claim: o.run(claims.withdraw, who, claim, "不报了", today=TODAY),
    "approve": lambda o, who, claim: o.run(claims.decide, who, claim, "approve", "同意。", today=TODAY),
    "return": lambda o, who, claim: o.run(claims.decide, who, claim, "return", "请补充发票", today=TODAY),
    "pay": lambda o, who, claim: o.run(
        claims.pay, who, claim, paid_on=TODAY, method="银行转账", today=TODAY),
    "book": lambda o, who, claim: o.run(
        claims.book, who, claim, voucher_number="记-118", booked_on=TODAY, today=TODAY),
}

# ----- the worklist's acts on any record (issue 15): 撤回 by whoever tries it, and opening its window, which
# makes a move no longer withdrawable once someone who may act at the step has seen it.


def _instance(o: Office, entity: str, record_id: int) -> int:
    with o.ctx.uow() as uow:
        return int(uow.session.execute(select(WorkflowInstance.id).where(
            WorkflowInstance.entity_type == entity, WorkflowInstance.entity_id == record_id)).scalar_one())


def _worklist_acts(entity: str, read: Callable[[Any, Actor, int], object]) -> dict[str, Act]:
    return {
        "take back": lambda o, who, rid: o.run(withdrawal.withdraw, who, _instance(o, entity, rid), today=TODAY),
        "open": lambda o, who, rid: o.run(read, who, rid),
    }


# ----- the clock flow (issue 15): its moves, and the clocks' 暂停计时, 恢复计时 and 延期, on the walk's day


DatedAct = Callable[[Office, Actor, int, Any], object]


def _clock_move(action: str, opinion: str = "") -> DatedAct:
    return lambda o, who, iid, day: o.run(workflow.transition, who, iid, action, opinion, today=day)


CLOCKED_ACTS: dict[str, DatedAct] = {
    "accept": _clock_move("accept"),
    "handled": _clock_move("handled"),
    "reply": _clock_move("reply"),
    "back to register": _clock_move("back", "材料不全"),
    "redo": _clock_move("redo", "答复意见不完整"),
    "pause": lambda o, who, iid, day: o.run(clocks.pause_clock, who, iid, "handling", "等待群众补充材料", today=day),
    "resume": lambda o, who, iid, day: o.run(clocks.resume_clock, who, iid, "handling", "材料已补齐", today=day),
    "extend": lambda o, who, iid, day: o.run(clocks.extend_clock, who, iid, "handling", 20, "需要现场核查", today=day),
    "pause acceptance": lambda o, who, iid, day: o.run(
        clocks.pause_clock, who, iid, "acceptance", "等待补充材料", today=day),
    "take back": lambda o, who, iid, day: o.run(withdrawal.withdraw, who, iid, today=day),
    "open": lambda o, who, iid, day: o.run(detail.instance_detail, who, iid),
}

# ----- the 督办 test flow: its moves, and its recurring reports made and hastened (on TODAY, as the 工作台's
# invariants read it: the unit's report, due within a working day, is on its 联络员's 工作台 from the start)


def _report(key: str) -> Act:
    return lambda o, who, iid: o.run(duties.report_duty, who, iid, key, "本周进展顺利", TODAY)


SUPERVISION_ACTS: dict[str, Act] = {
    "submit": lambda o, who, iid: o.run(workflow.transition, who, iid, "submit", today=TODAY),
    "report done": lambda o, who, iid: o.run(workflow.transition, who, iid, "report_done", today=TODAY),
    "approve": lambda o, who, iid: o.run(workflow.transition, who, iid, "approve", today=TODAY),
    "return": lambda o, who, iid: o.run(workflow.transition, who, iid, "return", "请补充材料", today=TODAY),
    "report progress": _report("progress"),
    "report for the unit": _report("unit_report"),
    "hasten the unit's report": lambda o, who, iid: o.run(
        duties.hasten_duty, who, iid, "unit_report", "电话", "", TODAY + timedelta(days=7)),
    "hasten": lambda o, who, iid: o.run(urges.urge, who, iid, "电话", "请加快办理", TODAY),
    "take back": lambda o, who, iid: o.run(withdrawal.withdraw, who, iid, today=TODAY),
    "open": lambda o, who, iid: o.run(detail.instance_detail, who, iid),
}

OUTGOING_ACTS.update(_worklist_acts("document", documents.get_document))
INCOMING_ACTS.update(_worklist_acts("document", documents.get_document))
CLAIM_ACTS.update(_worklist_acts("claim", claims.get_claim))

MAX_RECORDS = 4
MAX_DELEGATIONS = 2
BACKWARD = frozenset({"cancel", "withdraw", "review return", "return", "return to signer", "take back", "open",
                      "back to register", "redo"})

ACTS: dict[str, dict[str, Any]] = {
    "outgoing": OUTGOING_ACTS, "incoming": INCOMING_ACTS, "claim": CLAIM_ACTS, "clocked": CLOCKED_ACTS,
    "supervision": SUPERVISION_ACTS,
}
# Acts on the walk's day rather than TODAY.
DATED = frozenset({"clocked"})


# ----- the database of one walk -------------------------------------------------------------------------


class Databases:
    """A fresh, migrated database for each walk (hypothesis runs many walks in one test)."""

    def __init__(
        self, backend: str, template: SqliteTemplate, servers: dict[str, ServerDatabase], folder: Path
    ) -> None:
        self.backend = backend
        self.template = template
        self.server = servers.get(backend)
        self.folder = folder
        self.serial = itertools.count()

    def fresh(self) -> AppContext:
        if self.backend == "sqlite":
            walk = self.folder / f"walk{next(self.serial)}"
            walk.mkdir()
            return bootstrap(self.template.fresh(walk))
        assert self.server is not None
        self.server.empty_tables()
        return bootstrap(self.server.url.render_as_string(hide_password=False))


class FlowWalk(RuleBasedStateMachine):
    databases: Databases
    # Across the walks of one test: which actions were done (not refused), to show the walks go deep.
    done: Counter[str] = Counter()

    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        self.ctx = self.databases.fresh()
        self.office = build_office(self.ctx)
        self.tried: list[str] = []
        self.made = 0
        self.delegated = 0
        # The walk's day: the clock flow's acts are made on it, and a rule moves it on.
        self.day = TODAY
        # Per move done on another day than TODAY (a history row's id): its day, for the delegation check.
        self.move_days: dict[int, Any] = {}
        # Per clock of a record: how much it had used when last read, on which day, and whether it was paused.
        self.clock_seen: dict[tuple[int, str], tuple[Any, int, str]] = {}
        with self.ctx.uow() as uow:
            clock_flow.store_clock_flow(uow)
            uow.commit()
        record_features_flow.save_flow(self.office)

    def teardown(self) -> None:
        self.ctx.dispose()

    # ----- making records

    # A few records per walk, so that each goes far: the steps go to acting on them.
    @precondition(lambda self: self.made < MAX_RECORDS)
    @rule(target=records, kind=st.sampled_from(sorted(ACTS)),
          claimant=st.sampled_from(("clerk2", "finance", "deputy", "liaison_fin")))
    def new_record(self, kind: str, claimant: str) -> Record:
        self.made += 1
        if kind == "clocked":
            with self.ctx.uow() as uow:
                instance_id = clock_flow.start_clocked(uow, self.office.petition, self.day)
                uow.commit()
            return Record(kind, instance_id)
        if kind == "supervision":
            # Registered by the clerk (its responsible person) for the 财政局, whose 联络员 reports for the unit.
            return Record(kind, record_features_flow.start_item(self.office, by="clerk", today=TODAY))
        if kind == "outgoing":
            return Record(kind, new_draft(self.office))
        if kind == "incoming":
            return Record(kind, new_incoming(self.office))
        who = self.office.people[claimant]
        info = self.office.run(claims.create_claim, who, claims.ClaimInput(
            who.unit_id, TODAY, [LineInput("购买打印纸", "办公费", "1409.50")], 2))
        return Record(kind, int(info.id))

    # ----- 代理/委托: a delegation in force today, or one that is not yet (a couple per walk, made beside
    # an act: a rule of their own would take steps from the acts, and the walks would not get deep)

    def _delegate(self, data: st.DataObject) -> None:
        principal = data.draw(st.sampled_from(PEOPLE), label="principal")
        delegate = data.draw(st.sampled_from(PEOPLE), label="delegate")
        later = data.draw(st.booleans(), label="later")
        self.delegated += 1
        starts = TODAY + timedelta(days=5 if later else 0)
        try:
            self.office.run(delegation.delegate, self.office.people[principal],
                            delegate_id=self.office.people[delegate].id, starts_on=starts,
                            ends_on=starts + timedelta(days=3), reason="外出", today=TODAY)
        except GovDeskError as refused:
            self.tried.append(f"{principal} delegates to {delegate}: refused ({refused.message[:30]})")
            return
        self.tried.append(f"{principal} delegates to {delegate}{' later' if later else ''}: done")

    # ----- acting on them

    @rule(record=records, data=st.data(), anyone=st.integers(0, 3), then=st.integers(0, 5),
          days=st.integers(0, 12))
    def act(self, record: Record, data: st.DataObject, anyone: int, then: int, days: int) -> None:
        """One time in four, anyone tries any action; otherwise someone who has the record on their 工作台
        tries the actions in a random order until one is done, so the walks get far into the flows, and
        every refusal on the way is checked as well. Now and then the act is followed by a 撤回 or a
        delegation (the worklist's acts). Then the walk's day moves on (the clocks run): in the act's rule,
        as a rule of its own would take steps from the acts, and the walks would not get deep."""
        self._act(record, data, anyone)
        if then == 0:
            self._the_mover_takes_it_back(record)
        elif then == 1 and self.delegated < MAX_DELEGATIONS:
            self._delegate(data)
        if days:
            self.day += timedelta(days=days)
            self.tried.append(f"{days} days pass: {self.day}")

    def _act(self, record: Record, data: st.DataObject, anyone: int) -> None:
        holders = [key for key in PEOPLE if self._holds(key, record)]
        if anyone == 0 or not holders:
            person = data.draw(st.sampled_from(PEOPLE), label="anyone")
            self._try(record, person, data.draw(st.sampled_from(sorted(ACTS[record.kind])), label="action"))
            return
        person = data.draw(st.sampled_from(holders), label="holder")
        # Ending or sending back a record is left to the other rule, which tries it often enough.
        onward = sorted(name for name in ACTS[record.kind] if name not in BACKWARD)
        for name in data.draw(st.permutations(onward), label="actions"):
            if self._try(record, person, name):
                return

    def _the_mover_takes_it_back(self, record: Record) -> None:
        """撤回 by the one who may: the record's last mover (refused where the move was not withdrawable,
        was opened, or was followed)."""
        with self.ctx.uow() as uow:
            mover = uow.session.execute(select(WorkflowInstance.moved_by_id).where(
                self._which(record))).scalar_one_or_none()
        person = next((key for key in PEOPLE if self.office.people[key].id == mover), None)
        if person is not None:
            self._try(record, person, "take back")

    def _try(self, record: Record, person: str, name: str) -> bool:
        """Whether it was done; a refusal must leave no trace."""
        who = self.office.people[person]
        before = (counts(self.ctx), self._version(record))
        last_move = self._last_history_id()
        try:
            if record.kind in DATED:
                ACTS[record.kind][name](self.office, who, record.id, self.day)
            else:
                ACTS[record.kind][name](self.office, who, record.id)
        except GovDeskError as refused:
            self.tried.append(f"{person} {record.kind} {name}: refused ({refused.message[:30]})")
            assert (counts(self.ctx), self._version(record)) == before, (
                f"{person} was refused {name} on {record} but something changed: {refused.message}"
            )
            return False
        self.tried.append(f"{person} {record.kind} {name}: done")
        FlowWalk.done[f"{record.kind} {name}"] += 1
        if record.kind in DATED:
            with self.ctx.uow() as uow:
                for history_id in uow.session.execute(
                    select(WorkflowHistory.id).where(WorkflowHistory.id > last_move)
                ).scalars():
                    self.move_days[history_id] = self.day
        return True

    def _last_history_id(self) -> int:
        with self.ctx.uow() as uow:
            return int(uow.session.execute(select(func.coalesce(func.max(WorkflowHistory.id), 0))).scalar_one())

    @staticmethod
    def _which(record: Record) -> Any:
        """The record's workflow instance, as a condition."""
        if record.kind in INSTANCE_KINDS:
            return WorkflowInstance.id == record.id
        entity = "claim" if record.kind == "claim" else "document"
        return (WorkflowInstance.entity_type == entity) & (WorkflowInstance.entity_id == record.id)

    def _holds(self, key: str, record: Record) -> bool:
        entity = INSTANCE_KINDS.get(record.kind) or ("claim" if record.kind == "claim" else "document")
        with self.ctx.uow() as uow:
            return any(
                item.info.entity_type == entity
                and (item.info.id if record.kind in INSTANCE_KINDS else item.info.entity_id) == record.id
                for item in todo.todo(uow, self.office.people[key], today=TODAY).items
            )

    def _version(self, record: Record) -> tuple[object, ...]:
        with self.ctx.uow() as uow:
            row = uow.session.execute(
                select(WorkflowInstance.state, WorkflowInstance.version, WorkflowInstance.closed).where(
                    self._which(record)
                )
            ).one_or_none()
        return tuple(row) if row is not None else ()

    # ----- invariants

    @invariant()
    def every_todo_is_an_action_its_holder_may_take(self) -> None:
        """…as themself, or (marked) for a person who delegated to them for today."""
        wrong = []
        for key in PEOPLE:
            person = self.office.people[key]
            with self.ctx.uow() as uow:
                principals = {p.id: p for p in workflow.principals_of(uow, person, TODAY)}
                for item in todo.todo(uow, person, today=TODAY).items:
                    if item.kind not in (todo.STEP, todo.DUTY, todo.FOLLOW):
                        continue
                    instance = uow.session.get(WorkflowInstance, item.info.id)
                    assert instance is not None
                    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
                    held_for = next((p for p in principals.values() if p.full_name == item.on_behalf_of), None)
                    if item.on_behalf_of and held_for is None:
                        wrong.append(f"{key}: {item.info.title} marked for {item.on_behalf_of}, not a principal today")
                        continue
                    holder = held_for or person
                    if item.kind == todo.FOLLOW:
                        # A unit's missed report on a record the holder answers for: theirs to hasten.
                        found = [d for d in duties.duties_of(uow, holder, instance.id, TODAY) if d.key == item.duty_key]
                        if (instance.closed or instance.responsible_id != holder.id or not found or not found[0].overdue
                                or not holder.has(*URGING_ROLES)):
                            wrong.append(f"{key}: 催报 {item.duty_key} of {item.info.title}, not theirs to hasten")
                        continue
                    if item.kind == todo.DUTY:
                        # A report: one its holder may make now (the one it is held for, where it is marked).
                        found = [d for d in duties.duties_of(uow, holder, instance.id, TODAY) if d.key == item.duty_key]
                        if instance.closed or not found or not found[0].may_report:
                            wrong.append(f"{key}: report {item.duty_key} of {item.info.title}, not theirs to make")
                        continue
                    roles = workflow.effective_roles(holder, instance)
                    movable = any(t.role_matches(flow, set(roles)) for t in flow.transitions_from(instance.state))
                    mine = instance.assignee_id in (None, holder.id)
                    if instance.closed or not movable or not mine:
                        wrong.append(f"{key}: {item.info.title} at {instance.state}")
        assert not wrong, "to-dos their holder cannot act on: " + "; ".join(wrong)

    @invariant()
    def a_withdrawn_move_leaves_no_to_do_but_the_movers(self) -> None:
        """A record whose last move was taken back is its mover's: on nobody else's 工作台 but their delegates'."""
        with self.ctx.uow() as uow:
            last = {}
            for row in uow.session.execute(
                select(WorkflowHistory.instance_id, WorkflowHistory.action, WorkflowHistory.actor_id)
                .order_by(WorkflowHistory.id)
            ):
                last[row.instance_id] = row
            withdrawn = {i: row.actor_id for i, row in last.items() if row.action == withdrawal.WITHDRAW_ACTION}
            wrong = []
            for key in PEOPLE:
                person = self.office.people[key]
                acting_for = {person.id, *(p.id for p in workflow.principals_of(uow, person, TODAY))}
                for item in todo.todo(uow, person, today=TODAY).items:
                    mover = withdrawn.get(item.info.id)
                    if item.kind == todo.STEP and mover is not None and mover not in acting_for:
                        wrong.append(f"{key}: {item.info.title}, taken back by user {mover}")
        assert not wrong, "withdrawn moves still on others' 工作台: " + "; ".join(wrong)

    @invariant()
    def a_delegate_acts_only_inside_the_period(self) -> None:
        """Every act recorded as done on someone's behalf had a delegation from them, in force that day."""
        with self.ctx.uow() as uow:
            acts = [
                (actor_id, principal_id, self.move_days.get(history_id, TODAY))
                for history_id, actor_id, principal_id in uow.session.execute(
                    select(WorkflowHistory.id, WorkflowHistory.actor_id, WorkflowHistory.on_behalf_of_id)
                    .where(WorkflowHistory.on_behalf_of_id.is_not(None))
                )
            ]
            # A clock's 暂停计时, 恢复计时 or 延期 on someone's behalf, on the event's own day.
            e = workflow_clock_events.c
            acts += uow.execute(
                select(e.actor_id, e.on_behalf_of_id, e.on_date).where(e.on_behalf_of_id.is_not(None))
            ).all()
            d = delegations.c
            for actor_id, principal_id, day in acts:
                found = uow.execute(select(d.id).where(
                    d.delegate_id == actor_id, d.principal_id == principal_id, workflow.active_delegation(day),
                )).first()
                assert found is not None, (
                    f"user {actor_id} acted for {principal_id} on {day} with no delegation in force")

    @invariant()
    def clocks_never_run_backwards_and_a_paused_clock_does_not_run(self) -> None:
        """Read on the walk's day, each clock has used at least what it had on an earlier day; a paused one
        has no due date and, read a month on, has used no more."""
        wrong = []
        with self.ctx.uow() as uow:
            ids = uow.session.execute(select(WorkflowInstance.id).where(
                WorkflowInstance.flow_key == clock_flow.FLOW_KEY).order_by(WorkflowInstance.id)).scalars().all()
            for instance_id in ids:
                now = clocks.clock_readings(uow, self.office.director, instance_id, today=self.day)
                later = clocks.clock_readings(uow, self.office.director, instance_id, today=self.day + timedelta(days=30))
                for view, on in zip(now, later, strict=True):
                    reading, key = view.reading, (instance_id, view.clock.key)
                    seen = self.clock_seen.get(key)
                    if seen is not None and reading.used < seen[1]:
                        wrong.append(f"{key}: used {reading.used} on {self.day}, {seen[1]} on {seen[0]}")
                    if reading.phase == "paused":
                        if on.reading.used != reading.used or reading.due is not None:
                            wrong.append(f"{key}: paused since {reading.paused_since}, yet it runs")
                        if seen is not None and seen[2] == "paused" and reading.used != seen[1]:
                            wrong.append(f"{key}: paused, yet used {seen[1]} then {reading.used}")
                    self.clock_seen[key] = (self.day, reading.used, reading.phase)
        assert not wrong, "clocks: " + "; ".join(wrong)

    @invariant()
    def history_and_audit_agree(self) -> None:
        """Each move in the history has its "transition" audit entry and each such entry its move; each
        record's start has its "create" entry. (Opinions given without a move, such as a 会签 unit's or a
        reader's, are audited by their own services under other names.)"""
        with self.ctx.uow() as uow:
            history = Counter(
                (row.instance_id, row.action, row.from_state, row.to_state)
                for row in uow.session.execute(select(
                    WorkflowHistory.instance_id, WorkflowHistory.action, WorkflowHistory.from_state,
                    WorkflowHistory.to_state,
                ))
            )
            audited: Counter[tuple[Any, ...]] = Counter()
            started: set[int] = set()
            for action, detail in uow.session.execute(
                select(AuditEntry.action, AuditEntry.detail)
                .where(AuditEntry.action.in_(("transition", "withdraw", "create")))
            ):
                parsed = json.loads(detail)
                if action in ("transition", "withdraw"):
                    audited[(parsed["instance"], parsed["action"], *parsed["state"])] += 1
                elif "flow" in parsed:
                    started.add(parsed["instance"])
            instances = set(uow.session.execute(select(WorkflowInstance.id)).scalars())
            report = audit.verify_chain(uow)
        moves = Counter({key: n for key, n in history.items() if key[1] != "start" and key[2] != key[3]})
        starts = {key[0] for key in history if key[1] == "start"}
        assert audited - history == Counter(), f"audited moves not in the history: {audited - history}"
        assert moves - audited == Counter(), f"moves with no audit entry: {moves - audited}"
        assert starts == instances == started, "a record's start and its audit entry differ"
        assert not report.problems, f"audit chain: {report.problems}"


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_walks_over_every_flow(
    backend: str, sqlite_template: SqliteTemplate, server_databases: dict[str, ServerDatabase], tmp_path: Path
) -> None:
    if backend != "sqlite" and backend not in server_databases:
        pytest.skip(skip_reason(backend))
    FlowWalk.databases = Databases(backend, sqlite_template, server_databases, tmp_path)
    FlowWalk.done = Counter()
    # Each walk makes a fresh database and checks every invariant after every step: a few minutes in all.
    walks = 6 if backend == "sqlite" else 4
    run_state_machine_as_test(FlowWalk, settings=settings(
        max_examples=walks, stateful_step_count=25, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ))
    # A walk in which everything is refused would check little: the moves must reach well into each flow.
    for kind, deep in (("outgoing", "recheck approve"), ("incoming", "propose"), ("claim", "approve"),
                       ("clocked", "accept")):
        assert FlowWalk.done[f"{kind} {deep}"] > 0, f"the walks never reached {kind} {deep}: {dict(FlowWalk.done)}"


def test_the_walk_reaches_the_end_of_every_flow(sqlite_template: SqliteTemplate, tmp_path: Path) -> None:
    """The catalogue is not a walk that only ever gets refused: by the usual people, in order, it closes a
    发文, a 收文 and a 报销单 (so the random walk has every move within reach)."""
    databases = Databases("sqlite", sqlite_template, {}, tmp_path)
    ctx = databases.fresh()
    try:
        o = build_office(ctx)
        out, inc = new_draft(o), new_incoming(o)
        for name, who in (("submit", "clerk"), ("review approve", "deputy"), ("sign", "mayor"),
                          ("recheck approve", "clerk"), ("number", "clerk"), ("print", "clerk"), ("seal", "clerk"),
                          ("distribute", "clerk"), ("archive", "clerk")):
            OUTGOING_ACTS[name](o, o.people[who], out)
        for name, who in (("sign for", "clerk"), ("register", "clerk"), ("screen accept", "clerk"),
                          ("propose", "deputy"), ("instruct, handled by 财政局", "mayor"),
                          ("handled", "liaison_fin"), ("circulate to the leaders", "clerk"), ("read", "mayor"),
                          ("read", "vice"), ("finish circulation", "clerk"),
                          ("conclude", "clerk"), ("archive", "clerk")):
            INCOMING_ACTS[name](o, o.people[who], inc)
        claimant = o.people["clerk2"]
        claim = int(o.run(claims.create_claim, claimant, claims.ClaimInput(
            claimant.unit_id, TODAY, [LineInput("购买打印纸", "办公费", "1409.50")], 2)).id)
        for name, who in (("submit", "clerk2"), ("approve", "clerk"), ("approve", "finance"), ("approve", "deputy"),
                          ("pay", "cashier"), ("book", "finance")):
            CLAIM_ACTS[name](o, o.people[who], claim)
        with ctx.uow() as uow:
            closed = uow.session.execute(select(func.count()).select_from(WorkflowInstance).where(
                WorkflowInstance.closed.is_(True))).scalar_one()
        assert closed == 3
    finally:
        ctx.dispose()

