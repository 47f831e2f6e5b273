"""Builds a benchmark database at the scale of many years of a busy office: 100,000 documents and more.

    python -m bench.generate --database sqlite:///bench/out/bench.sqlite3 --documents 100000

The organisation (units, people, settings) comes from the demo generator, so the people and their
roles are the real thing. The bulk records are then written with SQLAlchemy Core ``insert()``
executemany in batches, not through the services: a service call per record would take hours at this
size, and the bench measures reading, not writing. So these rows carry no audit entries, and each
record's history holds its creation and its last two moves (about 3 rows) rather than every move.

Each document is a real row of ``documents`` linked to its workflow instance (and the instance's
entity_id to it), with the fields its step implies: a 发文字号 once numbered, a 收文编号 once
registered, the 主办 unit and deadline once assigned; documents being read carry their circulation
entries, and archived ones their archive record (件号 per year and retention). The number sequences
are left where the numbers stop, so the program numbers on from there.

One function per area writes that area's rows (generate_documents, generate_claims); a later module
adds its own function here and a line in build_bench_database().
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time as clock
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, func, insert, select, text

from app.bootstrap import bootstrap
from app.core.archives import format_archive_code
from app.core.calendar import WorkCalendar
from app.core.claims import format_claim_number
from app.core.numbering import format_doc_number, format_receipt_number
from app.core.roles import Role
from app.core.workflow import ANY_ROLE, DEFAULT_FLOWS, Flow
from app.core.workflow.approval_chain import DEFAULT_THRESHOLD
from app.core.workflow.approval_chain import FLOW_KEY as CLAIM_FLOW
from app.core.workflow.engine import HEADS_UNIT, NOT_OWNER, OWNER
from app.db import migrate
from app.demo.claims import CLAIM_ENTITY, PLACES, ClaimSketch, payment_method, sketch_claim
from app.demo.claims import opinion as claim_opinion
from app.demo.documents import (
    DOCUMENT_ENTITY,
    FONDS_NUMBER,
    incoming_record,
    outgoing_title,
    random_urgency,
    source_number,
)
from app.demo.flows import Hop, route_to
from app.demo.generate import generate_demo_data
from app.demo.office import CST
from app.models import Base, Claim, ClaimLineItem, Document, Unit, User, UserRole, WorkflowInstance, load_all_models
from app.models import Sequence as SequenceRow

BATCH = 5000
# "A bench script measures the claims list at 100k claims" (issue 5).
DEFAULT_CLAIMS = 100_000
# Claims over their department's budget when submitted, besides those waiting for the 主要领导.
OVER_BUDGET_SHARE = 0.03
# Share of records still in progress. A real office has a few hundred open at a time; a third of
# 100,000 makes the open-list queries work on tens of thousands of rows, which is the stress wanted.
OPEN_SHARE = 0.3
# Share of open records whose due date has passed.
OVERDUE_SHARE = 0.25
# Closed records are spread over this many past days (about five years).
HISTORY_DAYS = 5 * 365
# Moves kept in each record's history besides its creation row.
KEPT_MOVES = 2

Log = Callable[[str], None]


# ----- the organisation, as the bulk writers need it ----------------------------------------------


@dataclass(frozen=True)
class OrgUser:
    id: int
    full_name: str
    unit_id: int | None
    roles: frozenset[str]


@dataclass
class BenchOrg:
    users: list[OrgUser]
    heads: dict[int, int]
    unit_names: dict[int, str]
    by_role: dict[str, list[OrgUser]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for user in self.users:
            for role in user.roles:
                self.by_role.setdefault(role, []).append(user)

    def user(self, user_id: int) -> OrgUser:
        return next(u for u in self.users if u.id == user_id)


def load_org(conn: Connection) -> BenchOrg:
    roles: dict[int, set[str]] = {}
    for user_id, code in conn.execute(select(UserRole.user_id, UserRole.role_code)):
        roles.setdefault(user_id, set()).add(code)
    users = [
        OrgUser(uid, name, unit_id, frozenset(roles.get(uid, ())))
        for uid, name, unit_id in conn.execute(select(User.id, User.full_name, User.unit_id).order_by(User.id))
    ]
    heads: dict[int, int] = {}
    names: dict[int, str] = {}
    for unit_id, name, head in conn.execute(select(Unit.id, Unit.name, Unit.head_user_id)):
        names[unit_id] = name
        if head is not None:
            heads[unit_id] = head
    return BenchOrg(users, heads, names)


# ----- shared machinery for workflow records ------------------------------------------------------


# Record facts tried, in order, until one reaches the wanted state; any that does will do for the bench.
_FACT_OPTIONS: dict[str, dict[str, Sequence[Any]]] = {
    "outgoing_document": {
        "has_cosigners": (False, True), "important": (False,), "upward": (False,), "cosign_complete": (True,),
    },
    "incoming_document": {
        "needs_handling": (True, False), "needs_circulation": (True, False), "circulation_complete": (True,),
    },
    "reimbursement": {
        "amount": (Decimal(1200), Decimal(8000)), "over_budget": (False,), "no_unit_reviewer": (False,),
    },
    # No conditions on their routes (bench.meetings_data, bench.information_data).
    "meeting": {},
    "information_item": {},
}


def _routes(flow: Flow) -> dict[str, list[Hop]]:
    """A route from the start to each state, found once per flow and reused for every row."""
    options = _FACT_OPTIONS[flow.key]
    found: dict[str, list[Hop]] = {}
    for step in flow.steps:
        for values in itertools.product(*options.values()):
            hops = route_to(flow, dict(zip(options, values, strict=True)), step.key)
            if hops is not None:
                found[step.key] = hops
                break
        else:
            raise RuntimeError(f"基准数据无法到达“{flow.label}”的“{step.label}”环节")
    return found


class Timing(NamedTuple):
    entered_day: date
    entered: datetime
    created: datetime


class _RowMaker:
    """Turns (flow, state, title, owner, unit) into an instance row and its history rows."""

    def __init__(self, flow: Flow, org: BenchOrg, rng: random.Random, today: date, calendar: WorkCalendar) -> None:
        self.flow = flow
        self.org = org
        self.rng = rng
        self.today = today
        self.calendar = calendar
        self.routes = _routes(flow)
        self.final_states = [s.key for s in flow.final_steps()]
        self.open_states = [s.key for s in flow.steps if not s.final]
        self.labels = {(t.source, t.action): t.label for t in flow.transitions}
        self._due_cache: dict[tuple[date, str], tuple[date, bool]] = {}

    def pick_state(self) -> str:
        if self.rng.random() < OPEN_SHARE:
            return self.rng.choice(self.open_states)
        # The normal end (已归档 / 已办结) nineteen times in twenty; 作废 / 退文 / 撤销 otherwise.
        if len(self.final_states) > 1 and self.rng.random() < 0.05:
            return self.rng.choice(self.final_states[1:])
        return self.final_states[0]

    def _due(self, entered: date, state: str) -> tuple[date | None, bool]:
        limit = self.flow.step(state).time_limit
        if limit is None or self.flow.step(state).final:
            return None, False
        key = (entered, state)
        if key not in self._due_cache:
            if limit.unit == "workday":
                deadline = self.calendar.add_workdays(entered, limit.amount)
            else:
                deadline = self.calendar.add_days(entered, limit.amount)
            self._due_cache[key] = (deadline.date, deadline.provisional)
        return self._due_cache[key]

    def _entered_day(self, state: str) -> date:
        rng = self.rng
        step = self.flow.step(state)
        if step.final or step.time_limit is None:
            return self.today - timedelta(days=rng.randint(1, HISTORY_DAYS))
        # A time limit in working days spans about 7/5 as many calendar days.
        span = step.time_limit.amount if step.time_limit.unit == "day" else step.time_limit.amount * 7 // 5 + 1
        if rng.random() < OVERDUE_SHARE:
            return self.today - timedelta(days=span + rng.randint(2, 30))
        return self.today - timedelta(days=rng.randint(0, span))

    def _actor(self, hop: Hop, owner: OrgUser, unit_id: int | None) -> OrgUser:
        transition = next(t for t in self.flow.transitions_from(hop.source) if t.action == hop.action)
        if OWNER in transition.conditions:
            return owner
        if HEADS_UNIT in transition.conditions and unit_id in self.org.heads:
            return self.org.user(self.org.heads[unit_id])
        allowed = transition.allowed_roles(self.flow)
        if ANY_ROLE in allowed:
            return owner
        pool = [u for role in sorted(allowed) for u in self.org.by_role.get(role, ())]
        if NOT_OWNER in transition.conditions:
            pool = [u for u in pool if u.id != owner.id]
        return self.rng.choice(pool) if pool else owner

    def timing(self, state: str, hops: Sequence[Hop]) -> Timing:
        """When a record in ``state`` entered it, and when it was created, ``hops`` moves before."""
        rng = self.rng
        entered_day = self._entered_day(state)
        entered = datetime.combine(entered_day, time(9, 0), CST).astimezone(UTC) + timedelta(
            minutes=rng.randint(0, 480)
        )
        created = entered - timedelta(days=rng.randint(0, 2) * len(hops), minutes=rng.randint(0, 240))
        return Timing(entered_day, entered, created)

    def rows(
        self,
        instance_id: int,
        state: str,
        entity_type: str,
        title: str,
        owner: OrgUser,
        unit_id: int | None,
        urgency: str,
        *,
        hops: Sequence[Hop] | None = None,
        timing: Timing | None = None,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The instance row and its history; ``hops`` and ``timing`` when the caller chose them already."""
        hops = self.routes[state] if hops is None else hops
        entered_day, entered, created = timing or self.timing(state, hops)
        due, provisional = self._due(entered_day, state)
        final = self.flow.step(state).final
        instance = {
            "id": instance_id,
            "flow_key": self.flow.key,
            "flow_version": self.flow.version,
            "entity_type": entity_type,
            "entity_id": None,
            "title": title,
            "state": state,
            "closed": final,
            "unit_id": unit_id,
            "owner_id": owner.id,
            "assignee_id": None,
            "urgency": urgency,
            "entered_at": entered,
            "due_date": due,
            "due_provisional": provisional,
            "closed_at": entered if final else None,
            "created_at": created,
            "updated_at": entered,
            "version": 1 + len(hops),
        }
        history = [
            {
                "instance_id": instance_id,
                "from_state": None,
                "to_state": self.flow.start,
                "action": "start",
                "action_label": "创建",
                "actor_id": owner.id,
                "actor_name": owner.full_name,
                "opinion": "",
                "at": created,
            }
        ]
        kept = hops[-KEPT_MOVES:]
        for i, hop in enumerate(kept):
            actor = self._actor(hop, owner, unit_id)
            # Spread the kept moves between creation and the last move, the last one at `entered`.
            at = entered - (entered - created) * (len(kept) - 1 - i) / max(1, len(kept))
            history.append(
                {
                    "instance_id": instance_id,
                    "from_state": hop.source,
                    "to_state": hop.target,
                    "action": hop.action,
                    "action_label": self.labels[(hop.source, hop.action)],
                    "actor_id": actor.id,
                    "actor_name": actor.full_name,
                    "opinion": "",
                    "at": at,
                }
            )
        return instance, history


def _next_id(conn: Connection, model: Any = WorkflowInstance) -> int:
    return int(conn.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()) + 1


# Rows of other tables that hang off each instance, in the order their foreign keys need.
Extras = dict[str, list[dict[str, Any]]]
_EXTRA_TABLES = (
    "documents", "document_co_handlers", "workflow_work_items", "document_archives", "claims", "claim_lines",
)


def _write_batches(
    conn: Connection,
    rows: Iterator[tuple[dict[str, Any], list[dict[str, Any]], Extras]],
    log: Log,
    label: str,
    total: int,
) -> tuple[int, int]:
    """Inserts instances, their records and their history in batches, committing each; returns the
    instance and history row counts."""
    instances: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    extras: dict[str, list[dict[str, Any]]] = {name: [] for name in _EXTRA_TABLES}
    written = (0, 0)

    def flush() -> None:
        nonlocal written
        if not instances:
            return
        conn.execute(insert(Base.metadata.tables["workflow_instances"]), instances)
        for name in _EXTRA_TABLES:
            if extras[name]:
                conn.execute(insert(Base.metadata.tables[name]), extras[name])
                extras[name].clear()
        if history:
            conn.execute(insert(Base.metadata.tables["workflow_history"]), history)
        conn.commit()
        written = (written[0] + len(instances), written[1] + len(history))
        instances.clear()
        history.clear()
        log(f"  {label}: {written[0]:,}/{total:,}")

    for instance, its_history, its_extras in rows:
        instances.append(instance)
        history.extend(its_history)
        for name, extra_rows in its_extras.items():
            extras[name].extend(extra_rows)
        if len(instances) >= BATCH:
            flush()
    flush()
    return written


# ----- areas --------------------------------------------------------------------------------------


class _DocumentRows:
    """The ``documents`` row (and its circulation and archive rows) of one generated instance."""

    def __init__(self, conn: Connection, rng: random.Random, org: BenchOrg) -> None:
        self.rng = rng
        self.org = org
        self.next_id = _next_id(conn, Document)
        self.doc_numbers: dict[tuple[str, int], int] = {}
        self.receipts: dict[int, int] = {}
        self.items: dict[tuple[int, str], int] = {}
        self.leaders = org.by_role.get(Role.COUNTY_LEADER.value, [])
        self.proofreaders = org.by_role.get(Role.SECRETARY.value, [])

    def _base(self, doc_id: int, instance: dict[str, Any], direction: str, kind: str) -> dict[str, Any]:
        created: datetime = instance["created_at"]
        return {
            "id": doc_id, "direction": direction, "workflow_instance_id": instance["id"], "title": instance["title"],
            "doc_type": kind, "urgency": instance["urgency"], "secrecy": "", "disclosure": "", "disclosure_reason": "",
            "important": False, "doc_date": created.astimezone(CST).date(), "remark": "", "main_recipients": "",
            "copy_recipients": "", "drafting_unit_id": None, "drafter_id": None, "drafter_name": "", "prefix": "",
            "doc_year": None, "doc_seq": None, "doc_number": None, "signer_id": None, "signer_name": "",
            "signed_at": None, "copies": None, "proofreader": "", "receipt_year": None, "receipt_seq": None,
            "receipt_number": None, "received_at": None, "source_unit": "", "source_number": "", "source_date": None,
            "copies_received": None, "needs_handling": False, "needs_circulation": False, "handling_unit_id": None,
            "handling_deadline": None, "handling_provisional": False, "result": "", "created_at": created,
            "updated_at": instance["updated_at"], "version": instance["version"],
        }

    def outgoing(self, instance: dict[str, Any], hops: Sequence[Hop], kind: str, owner: OrgUser) -> Extras:
        rng = self.rng
        doc_id = self.next_id
        self.next_id += 1
        instance["entity_id"] = doc_id
        row = self._base(doc_id, instance, "out", kind)
        prefix = "县政办函" if kind == "函" else "县政发" if kind in ("请示", "报告") else "县政办发"
        actions = {hop.action for hop in hops}
        row.update(
            disclosure="主动公开" if rng.random() < 0.8 else "依申请公开", drafting_unit_id=owner.unit_id,
            drafter_id=owner.id, drafter_name=owner.full_name, prefix=prefix,
            main_recipients="各乡镇人民政府，县政府各部门" if kind not in ("请示", "报告") else "江州市人民政府",
        )
        if "sign" in actions and self.leaders:
            signer = rng.choice(self.leaders)
            row.update(signer_id=signer.id, signer_name=signer.full_name, signed_at=instance["entered_at"])
        if "assign_number" in actions:
            year = row["doc_date"].year
            seq = self.doc_numbers.get((prefix, year), 0) + 1
            self.doc_numbers[(prefix, year)] = seq
            row.update(doc_year=year, doc_seq=seq, doc_number=format_doc_number(prefix, year, seq))
        if "printed" in actions:
            row.update(copies=rng.choice((30, 40, 60, 80)),
                       proofreader=rng.choice(self.proofreaders).full_name if self.proofreaders else "")
        return {"documents": [row], **self._archive(instance, row, actions)}

    def incoming(
        self, instance: dict[str, Any], hops: Sequence[Hop], kind: str, source: str, number: str
    ) -> Extras:
        rng = self.rng
        doc_id = self.next_id
        self.next_id += 1
        instance["entity_id"] = doc_id
        row = self._base(doc_id, instance, "in", kind)
        actions = {hop.action for hop in hops}
        targets = {hop.target for hop in hops}
        row.update(
            source_unit=source, source_number=number, copies_received=rng.choice((1, 1, 2)),
            received_at=instance["created_at"] if "sign_for" in actions else None,
            needs_handling="handle" in targets, needs_circulation="circulate" in targets,
        )
        if "register" in actions:
            year = row["doc_date"].year
            seq = self.receipts.get(year, 0) + 1
            self.receipts[year] = seq
            row.update(receipt_year=year, receipt_seq=seq, receipt_number=format_receipt_number(year, seq))
        if "handle" in targets:
            row.update(handling_unit_id=instance["unit_id"],
                       handling_deadline=instance["due_date"] or row["doc_date"] + timedelta(days=14))
        if "handled" in actions:
            row["result"] = "已按要求办理完毕，结果已报来文单位。"
        extras: Extras = {"documents": [row], **self._archive(instance, row, actions)}
        if "circulate" in targets and len(self.leaders) >= 2:
            readers = rng.sample(self.leaders, 2)
            still_reading = instance["state"] == "circulate"
            # The readers' 传阅 copies, the engine's work items (app.services.documents.work_items): the second
            # reader of a document still at 传阅 holds it.
            at = instance["entered_at"]
            extras["workflow_work_items"] = [
                {
                    "instance_id": instance["id"], "step_key": "circulate", "kind": "read", "lead": False,
                    "unit_id": None, "user_id": reader.id, "task": "阅文", "due_date": None, "due_provisional": False,
                    "state": "sent" if holding else "done", "feedback": "" if holding else "已阅。", "sent_at": at,
                    "sent_by_id": None, "sent_by_name": "", "done_at": None if holding else at,
                    "done_by_id": None if holding else reader.id, "done_by_name": "" if holding else reader.full_name,
                    "reported_at": None if holding else at, "reported_by_id": None if holding else reader.id,
                    "reported_by_name": "" if holding else reader.full_name, "given_by": "", "basis": "",
                    "copies": None,
                }
                for i, reader in enumerate(readers)
                for holding in (still_reading and i == 1,)
            ]
        return extras

    def _archive(self, instance: dict[str, Any], row: dict[str, Any], actions: set[str]) -> Extras:
        if "archive" not in actions:
            return {}
        year = row["doc_year"] or row["doc_date"].year
        retention = self.rng.choices(("Y", "D30", "D10"), weights=(2, 5, 3))[0]
        item = self.items.get((year, retention), 0) + 1
        self.items[(year, retention)] = item
        return {
            "document_archives": [
                {
                    "document_id": row["id"], "year": year, "retention": retention, "item_no": item,
                    "archive_code": format_archive_code(FONDS_NUMBER, year, retention, item), "fonds": FONDS_NUMBER,
                    "org_code": "", "pages": self.rng.randint(2, 30), "remark": "",
                    "archived_at": instance["entered_at"], "archived_by_id": None, "archived_by_name": "",
                    "created_at": instance["entered_at"], "updated_at": instance["entered_at"], "version": 1,
                }
            ]
        }

    def sequences(self) -> list[dict[str, Any]]:
        """Where each number sequence stops, so the program numbers on from there."""
        rows = [
            {"key": f"发文:{prefix}", "year": year, "last_value": last} for (prefix, year), last in self.doc_numbers.items()
        ]
        rows += [{"key": "收文", "year": year, "last_value": last} for year, last in self.receipts.items()]
        rows += [
            {"key": f"归档:{retention}", "year": year, "last_value": last}
            for (year, retention), last in self.items.items()
        ]
        return rows


def generate_documents(
    conn: Connection,
    n: int,
    rng: random.Random,
    org: BenchOrg,
    *,
    today: date,
    calendar: WorkCalendar,
    log: Log = print,
) -> tuple[int, int]:
    """``n`` documents, half outgoing (发文) and half incoming (收文); returns (instances, history rows)."""
    outgoing = _RowMaker(DEFAULT_FLOWS["outgoing_document"], org, rng, today, calendar)
    incoming = _RowMaker(DEFAULT_FLOWS["incoming_document"], org, rng, today, calendar)
    secretaries = org.by_role.get(Role.SECRETARY.value, [])
    drafters = (
        secretaries * 3 + org.by_role.get(Role.DEPUTY_DIRECTOR.value, []) + org.by_role.get(Role.LIAISON.value, [])
    )
    liaison_units = [u.unit_id for u in org.by_role.get(Role.LIAISON.value, [])]
    lower_units = [name for uid, name in org.unit_names.items() if name.endswith(("局", "镇", "乡"))]
    first = _next_id(conn)
    documents = _DocumentRows(conn, rng, org)

    def rows() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], Extras]]:
        for i in range(n):
            year = today.year - rng.randint(0, 4)
            if rng.random() < 0.5:
                title, kind = outgoing_title(rng, year)
                owner = rng.choice(drafters)
                state = outgoing.pick_state()
                instance, history = outgoing.rows(
                    first + i, state, DOCUMENT_ENTITY, title, owner, owner.unit_id, random_urgency(rng)
                )
                yield instance, history, documents.outgoing(instance, outgoing.routes[state], kind, owner)
            else:
                title, kind, source = incoming_record(rng, year, lower_units)
                owner = rng.choice(secretaries)
                state = incoming.pick_state()
                hops = incoming.routes[state]
                # The 主办 unit takes the record over once it is named at 批办.
                assigned = any(hop.target == "handle" for hop in hops)
                unit_id = rng.choice(liaison_units) if assigned and liaison_units and rng.random() < 0.6 else owner.unit_id
                instance, history = incoming.rows(
                    first + i, state, DOCUMENT_ENTITY, title, owner, unit_id, random_urgency(rng)
                )
                number = source_number(rng, source, year)
                yield instance, history, documents.incoming(instance, hops, kind, source, number)

    written = _write_batches(conn, rows(), log, "公文", n)
    if documents.sequences():
        conn.execute(insert(SequenceRow), documents.sequences())
        conn.commit()
    return written


def claimant_pool(org: BenchOrg) -> list[OrgUser]:
    """As in the demo (app.demo.claims.claimants): the staff of units with a head, but not the county
    leaders nor anyone who alone holds a role the 报账 flow needs after 填报 (nobody settles their own claim)."""
    flow = DEFAULT_FLOWS[CLAIM_FLOW]
    needed = {role for step in flow.steps if step.key != flow.start for role in step.roles} - {ANY_ROLE}
    sole = {users[0].id for role in needed if len(users := org.by_role.get(role, [])) == 1}
    return [
        u for u in org.users
        if u.unit_id in org.heads and u.id not in sole and Role.COUNTY_LEADER.value not in u.roles
    ]


class _ClaimPlan(NamedTuple):
    """One claim before it is written: enough to make its rows, in claim-date order, later."""

    timing: Timing
    state: str
    hops: Sequence[Hop]
    # Kept until written: about 90 MB for 100,000 claims, where making them again would cost 4 s.
    sketch: ClaimSketch
    over_budget: bool
    owner: OrgUser


def generate_claims(
    conn: Connection,
    n: int,
    rng: random.Random,
    org: BenchOrg,
    *,
    today: date,
    calendar: WorkCalendar,
    log: Log = print,
) -> tuple[int, int]:
    """``n`` reimbursement claims (报销单): each a ``claims`` row with its ``claim_lines`` (the demo's kinds of
    claim: trips, meetings, supplies …), its workflow instance (entity_id = the claim) and history. Returns
    (instances, history rows).

    Claims are numbered (BX2026-00001 …) and given ids in claim-date order, as the program numbers them.
    A claim above 5,000 元, or over budget (3% of them, and every smaller one waiting for the 主要领导), has
    passed 主要领导审批; half the claims at 经办人填报 were sent back by a reviewer, with the reason in
    their history. Claims past 出纳付款 carry their payment, and closed ones their voucher number.
    """
    flow = DEFAULT_FLOWS[CLAIM_FLOW]
    maker = _RowMaker(flow, org, rng, today, calendar)
    # The route to each state for (goes to the 主要领导, the claimant heads their unit): a head's own
    # claim skips 部门负责人审核.
    routes: dict[tuple[bool, bool], dict[str, list[Hop]]] = {}
    sent_back: dict[bool, list[list[Hop]]] = {}
    for via_principal, head in itertools.product((False, True), repeat=2):
        facts = {
            "amount": DEFAULT_THRESHOLD + (1 if via_principal else -1), "over_budget": False,
            "no_unit_reviewer": head,
        }
        found = {step.key: route_to(flow, facts, step.key) for step in flow.steps}
        routes[(via_principal, head)] = {key: hops for key, hops in found.items() if hops is not None}
        if not via_principal:
            sent_back[head] = [
                routes[(False, head)][step] + [Hop(step, flow.start, "return")]
                for step in ("dept_review", "finance_review", "leader_approval")
                if step in routes[(False, head)]
            ]
    claimants = claimant_pool(org)
    staff = [u for u in claimants if org.heads.get(u.unit_id or 0) != u.id]

    plans: list[_ClaimPlan] = []
    for _ in range(n):
        state = maker.pick_state()
        sketch = sketch_claim(rng, PLACES)
        total = sketch.total
        # A small claim reaches the 主要领导 only when it is over budget.
        over = (state == "principal_approval" and total <= DEFAULT_THRESHOLD) or rng.random() < OVER_BUDGET_SHARE
        owner = rng.choice(claimants)
        head = org.heads.get(owner.unit_id or 0) == owner.id
        if head and state == "dept_review":
            # A head's own claim never waits for their own review.
            owner, head = rng.choice(staff), False
        if state == flow.start and rng.random() < 0.5:
            hops: Sequence[Hop] = rng.choice(sent_back[head])
        else:
            hops = routes[(over or total > DEFAULT_THRESHOLD, head)][state]
        plans.append(_ClaimPlan(maker.timing(state, hops), state, hops, sketch, over, owner))
    plans.sort(key=lambda plan: plan.timing.created)

    first = _next_id(conn)
    first_claim = _next_id(conn, Claim)
    next_line = _next_id(conn, ClaimLineItem)
    numbers: dict[int, int] = {}
    vouchers: dict[tuple[int, int], int] = {}

    def rows() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], Extras]]:
        nonlocal next_line
        for i, plan in enumerate(plans):
            sketch = plan.sketch
            claimed = plan.timing.created.astimezone(CST).date()
            seq = numbers[claimed.year] = numbers.get(claimed.year, 0) + 1
            number = format_claim_number(claimed.year, seq)
            title = sketch.title[:200]
            owner = plan.owner
            instance, history = maker.rows(
                first + i, plan.state, CLAIM_ENTITY, f"{number} {title}"[:300], owner, owner.unit_id, "",
                hops=plan.hops, timing=plan.timing,
            )
            claim_id = first_claim + i
            instance["entity_id"] = claim_id
            actions = {hop.action for hop in plan.hops}
            claim: dict[str, Any] = {
                "id": claim_id, "year": claimed.year, "seq": seq, "number": number, "instance_id": first + i,
                "unit_id": owner.unit_id, "claimant_id": owner.id, "claimant_name": owner.full_name,
                "claim_date": claimed, "title": title, "receipts_count": sketch.receipts_count,
                "total": sketch.total, "advance": sketch.advance, "over_budget": plan.over_budget and "submit" in actions,
                "submitted": "submit" in actions, "withdrawn": plan.state == "withdrawn", "paid_on": None,
                "payment_method": "", "paid_by_name": "", "paid_at": None, "voucher_number": "", "booked_on": None,
                "booked_by_name": "", "created_at": instance["created_at"], "updated_at": instance["updated_at"],
                "version": instance["version"],
            }
            for move in history[1:]:
                action = move["action"]
                move["opinion"] = claim_opinion(rng, move["from_state"], action)
                if action == "pay":
                    method = payment_method(rng, sketch.total)
                    move["opinion"] = f"{method}付款"
                    claim.update(paid_on=move["at"].astimezone(CST).date(), payment_method=method,
                                 paid_by_name=move["actor_name"], paid_at=move["at"])
                elif action == "book":
                    booked = move["at"].astimezone(CST).date()
                    month = (booked.year, booked.month)
                    vouchers[month] = vouchers.get(month, 0) + 1
                    voucher = f"记-{booked.year}-{booked.month:02d}-{vouchers[month]:03d}"
                    move["opinion"] = f"记账凭证号：{voucher}"
                    claim.update(voucher_number=voucher, booked_on=booked, booked_by_name=move["actor_name"])
            lines = [
                {"id": next_line + position, "claim_id": claim_id, "position": position, "summary": line.summary,
                 "category": line.category, "amount": line.amount}
                for position, line in enumerate(sketch.lines)
            ]
            next_line += len(lines)
            yield instance, history, {"claims": [claim], "claim_lines": lines}

    written = _write_batches(conn, rows(), log, "报销单", n)
    if numbers:
        conn.execute(insert(SequenceRow), [{"key": "claim", "year": y, "last_value": v} for y, v in numbers.items()])
        conn.commit()
    return written


# ----- the whole database -------------------------------------------------------------------------


def _after_bulk_load(conn: Connection) -> None:
    """Ids were given explicitly, so PostgreSQL's id sequence must be moved past them; and the planner
    gets fresh statistics, as autovacuum / InnoDB would give it shortly after such a load anyway."""
    backend = conn.dialect.name
    if backend == "postgresql":
        for table in ("workflow_instances", "documents", "claims", "claim_lines"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )
        conn.commit()
        conn.execute(text("ANALYZE"))
    elif backend in ("mysql", "mariadb"):
        conn.execute(
            text(
                "ANALYZE TABLE workflow_instances, workflow_history, documents, workflow_work_items, claims, "
                "claim_lines"
            )
        )
    else:
        conn.execute(text("ANALYZE"))
    conn.commit()


def table_counts(engine: Engine) -> dict[str, int]:
    load_all_models()
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in Base.metadata.sorted_tables
        }


def build_bench_database(
    url: str, documents: int, seed: int = 1, *, claims: int = DEFAULT_CLAIMS, log: Log = print
) -> None:
    """Migrates an empty database at ``url`` and fills it; refuses one that already has data."""
    started = clock.perf_counter()
    ctx = bootstrap(url)
    try:
        migrate.upgrade(ctx.engine)
        generate_demo_data(ctx, size=0, seed=seed)
        log(f"组织机构和人员已生成（{clock.perf_counter() - started:.1f} 秒）")
        rng = random.Random(seed)
        today = date.today()
        calendar = WorkCalendar()
        with ctx.engine.connect() as conn:
            org = load_org(conn)
            for name, writer, n in (
                ("公文", generate_documents, documents),
                ("报销单", generate_claims, claims),
            ):
                area_started = clock.perf_counter()
                instances, history = writer(conn, n, rng, org, today=today, calendar=calendar, log=log)
                elapsed = clock.perf_counter() - area_started
                log(
                    f"{name}：{instances:,} 件，办理记录 {history:,} 条，用时 {elapsed:.1f} 秒"
                    f"（{(instances + history) / max(elapsed, 1e-9):,.0f} 行/秒）"
                )
            _after_bulk_load(conn)
        counts = table_counts(ctx.engine)
        log("各表行数：" + "，".join(f"{name} {count:,}" for name, count in counts.items() if count))
        log(f"总用时 {clock.perf_counter() - started:.1f} 秒")
    finally:
        ctx.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description="生成性能测试用的大数据库")
    parser.add_argument(
        "--database", required=True, help="数据库地址（须为空库），如 sqlite:///bench/out/bench.sqlite3"
    )
    parser.add_argument("--documents", type=int, default=100_000, help="公文件数（默认 100000）")
    parser.add_argument("--claims", type=int, default=DEFAULT_CLAIMS, help=f"报销单件数（默认 {DEFAULT_CLAIMS}）")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    build_bench_database(args.database, args.documents, args.seed, claims=args.claims)
    return 0


if __name__ == "__main__":
    sys.exit(main())
