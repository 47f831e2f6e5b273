"""Bulk 信访 data for the bench: N cases (default 100,000) over three years, written as the petitions services would
have left them, with SQLAlchemy Core ``insert()`` executemany in batches.

What a generated case holds, as app.services.petitions.records and .lifecycle write it:
- its ``petitions`` row (信〔year〕seq号 numbered per year in the order received; every channel, 领导大接访 on
  Mondays; the petitioner's name, valid ID number, mobile and address from app.demo.petitions_material, the hot
  categories 商品房两证办理 and 复员退伍军人就业 weighted up), and its ``workflow_instances`` row of the 信访件 flow
  (entity_id = the case, unit = the 信访室, responsible = owner = the 信访接待员 who registered it; now and then an
  office leader a case was raised to); the due date is the 受理 clock's at 登记, the 办理 clock's at 办理, the
  earlier of the clock's and the 审核 step's 3 working days at 审核, none after;
- its clocks (``workflow_clocks`` and their start/stop ``workflow_clock_events``), its history (登记, 受理 or 交办,
  转送, 不予受理, 报送审核, 审核通过, 办结), the assigned unit's lead task (``workflow_work_items``: sent, reported,
  or done once 报送审核 took the report) and, from 已答复 on, the 处理意见书 and one 回访 (``petition_visits``);
- a group visit's representatives (``petition_representatives``);
- repeats: about one case in eight is a petitioner coming back with the same request told again: flagged
  is_repeat and linked to the earlier case (``record_links`` kind "repeat"), as registration does;
- 复查 (about 2% of the replied cases) and 复核 (a sixth of those): cases of stage review / re_review in the
  复查复核 flow, numbered 复查〔year〕N号 / 复核〔year〕N号, linked ("review", "re_review") to what they review.

The organisation is the demo office (bench.generate builds it). No audit entries and no attachments: the bench
reads, and those would only make the database bigger. Visits are all 满意 or 基本满意 (a 不满意 one reopens its
case, a story the bench does not need).
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from app.core.calendar import WorkCalendar
from app.core.petitions.flow import (
    APPROVE,
    CONCLUDED,
    ENTITY,
    FLOW_KEY,
    FORWARDED,
    HANDLE,
    NOT_ACCEPTED,
    PETITION,
    PETITION_REVIEW,
    REGISTER,
    REPLIED,
    REVIEW_FLOW_KEY,
)
from app.core.petitions.limits import ACCEPTANCE_DAYS, HANDLING_DAYS, REVIEW_DECISION_DAYS
from app.core.petitions.terms import INITIAL, RE_REVIEW, REVIEW, format_number
from app.core.roles import Role
from app.demo import petitions_material as material
from app.demo.office import CST, random_mobile
from app.models import Base, WorkflowInstance
from app.models import Sequence as SequenceRow
from app.services.petitions.records import title_of
from bench.generate import OrgUser, load_org

Log = Callable[[str], None]
DEFAULT_CASES = 100_000
BATCH = 2000
YEARS = 3
REPEAT_SHARE = 0.12
GROUP_SHARE = 0.04
REVIEW_SHARE = 0.02
RE_REVIEW_SHARE = 0.17
# Of the decisions at 登记: 转送 and 不予受理; the rest are 受理 (the office handles it) or 交办 (a unit does).
FORWARD_SHARE, REJECT_SHARE, ASSIGN_SHARE = 0.09, 0.04, 0.6
DECISIONS_WEIGHTS = (("支持", 3), ("解释说明", 5), ("不予支持", 2))
VISIT_METHODS = ("电话回访", "上门回访", "当面回访", "短信回访")
OPINIONS = {
    "accept": "属本机关职责范围，予以受理。", "assign": "请按职责依法办理，按期报送办理情况。",
    "submit": "已查明情况，拟写处理意见书，请审核。", "sign": "同意。", "conclude": "已送达处理意见书并回访，办结。",
}
_TABLES = (
    "workflow_instances", "petitions", "petition_representatives", "petition_visits", "workflow_history",
    "workflow_clocks", "workflow_clock_events", "workflow_work_items", "record_links",
)


@dataclass
class PetitionOrg:
    officers: list[OrgUser]
    leaders: list[OrgUser]
    office_unit: int | None
    unit_ids: dict[str, int]
    liaisons: dict[int, OrgUser]
    # The county leaders who receive petitioners at the Monday 领导大接访.
    receivers: list[str]


def petition_org(conn: Connection) -> PetitionOrg:
    org = load_org(conn)
    officers = org.by_role.get(Role.PETITION_OFFICER.value, [])
    if not officers:
        raise RuntimeError("基准数据需要至少一名信访接待员登记信访件")
    leaders = org.by_role.get(Role.DIRECTOR.value, []) + org.by_role.get(Role.DEPUTY_DIRECTOR.value, [])
    liaisons = {u.unit_id: u for u in org.by_role.get(Role.LIAISON.value, []) if u.unit_id is not None}
    receivers = [u.full_name for u in org.by_role.get(Role.COUNTY_LEADER.value, [])] or ["县长"]
    return PetitionOrg(officers, leaders, officers[0].unit_id, {v: k for k, v in org.unit_names.items()}, liaisons,
                       receivers)


@dataclass
class _Case:
    """One initial case as generated, kept for the repeats and reviews that refer to it."""

    id: int
    person: material.Person
    request: str
    category: str
    place: str
    replied: date | None
    unit_id: int | None
    state: str


class _Maker:
    def __init__(self, org: PetitionOrg, rng: random.Random, today: date, calendar: WorkCalendar) -> None:
        self.org, self.rng, self.today, self.calendar = org, rng, today, calendar
        self.seqs: dict[tuple[str, int], int] = {}
        self.labels = {(t.source, t.action): t.label for t in PETITION.transitions}
        self.review_labels = {(t.source, t.action): t.label for t in PETITION_REVIEW.transitions}
        self.now = datetime.now(UTC)
        self.recent: dict[str, list[_Case]] = {}
        self.cases: list[_Case] = []

    @lru_cache(maxsize=None)  # noqa: B019 - one maker per build; the calendar's answers never change in it
    def days(self, start: date, n: int) -> date:
        return self.calendar.add_days(start, n).date

    @lru_cache(maxsize=None)  # noqa: B019
    def workdays(self, start: date, n: int) -> date:
        return self.calendar.add_workdays(start, n).date

    def moment(self, day: date, after: datetime | None = None) -> datetime:
        at = datetime.combine(day, time(8, 30), CST).astimezone(UTC) + timedelta(minutes=self.rng.randint(0, 520))
        if after is not None and at <= after:
            at = after + timedelta(minutes=self.rng.randint(5, 90))
        return min(at, self.now)

    def number(self, stage: str, year: int) -> tuple[int, str]:
        seq = self.seqs[(stage, year)] = self.seqs.get((stage, year), 0) + 1
        return seq, format_number(stage, year, seq)

    # ----- the story -----------------------------------------------------------------------------------------

    def story(self, received: date, review: bool) -> list[tuple[str, str, date]]:
        """(action, target, day) after 登记, none after today: decided within the 受理 limit, handled within
        60 days mostly (a few late), replied, visited and concluded."""
        rng, today = self.rng, self.today
        decided = received + timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 7, 10, 13)))
        if rng.random() < 0.03:
            decided = received + timedelta(days=rng.randint(16, 25))  # 受理 late
        if decided > today:
            return []
        roll = rng.random()
        if not review and roll < FORWARD_SHARE:
            return [("forward", FORWARDED, decided)]
        if roll < FORWARD_SHARE + REJECT_SHARE:
            return [("reject", NOT_ACCEPTED, decided)]
        handled = "assign" if not review and rng.random() < ASSIGN_SHARE else "accept"
        acts = [(handled, HANDLE, decided)]
        limit = REVIEW_DECISION_DAYS if review else HANDLING_DAYS
        took = rng.randint(8, limit - 3) if rng.random() < 0.9 else rng.randint(limit + 1, limit + 25)
        submitted = decided + timedelta(days=took)
        if submitted > today:
            return acts
        acts.append(("submit", APPROVE, submitted))
        signed = self.workdays(submitted, rng.choice((0, 1, 1, 2, 3)))
        if signed > today:
            return acts
        acts.append(("sign", REPLIED, signed))
        concluded = signed + timedelta(days=rng.randint(5, 40))
        if concluded > today:
            return acts
        acts.append(("conclude", CONCLUDED, concluded))
        return acts

    # ----- one case ------------------------------------------------------------------------------------------

    def case(self, ids: dict[str, int], received: date, stage: str = INITIAL,
             reviews: _Case | None = None) -> dict[str, list[dict[str, Any]]]:
        rng, org = self.rng, self.org
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
        petition_id, instance_id = ids["petitions"], ids["workflow_instances"]
        earlier: _Case | None = None
        if reviews is not None:
            who, category, place = reviews.person, reviews.category, reviews.place
            request = f"对{'复查' if stage == RE_REVIEW else '处理'}意见不服，请求{'复核' if stage == RE_REVIEW else '复查'}：{reviews.request}"
            channel, detail = "来信", ""
        else:
            category = material.category(rng)
            pool = self.recent.get(category, [])
            if pool and rng.random() < REPEAT_SHARE:
                earlier = rng.choice(pool[-400:])
                who, place = earlier.person, earlier.place
                request = material.retold(rng, earlier.request)
            else:
                place = material.place_for(rng, category)
                who = material.person(rng, self.today, place)
                request = material.request_for(rng, category, place, self.today)
            channel, detail = material.channel(rng)
            if detail == material.LEADER_RECEPTION_DETAIL:
                received = material.monday_on_or_before(received)
        group = reviews is None and channel == "来访" and rng.random() < GROUP_SHARE * 4
        people = rng.randint(5, 60) if group else 1
        officer = rng.choice(org.officers)
        responsible = rng.choice(org.leaders) if org.leaders and rng.random() < 0.03 else officer
        acts = self.story(received, reviews is not None)
        state = acts[-1][1] if acts else REGISTER
        seq, number = self.number(stage, received.year)
        flow = PETITION if stage == INITIAL else PETITION_REVIEW
        labels = self.labels if stage == INITIAL else self.review_labels
        unit_id = reviews.unit_id if reviews is not None else None
        forwarded_to = ""
        if acts and acts[0][0] == "assign":
            names = material.UNITS_BY_CATEGORY[category]
            options = [org.unit_ids[n] for n in names if n in org.unit_ids]
            if place in org.unit_ids and rng.random() < 0.3:
                options = [org.unit_ids[place]]
            unit_id = rng.choice(options) if options else None
        times = [self.moment(received)]
        for _a, _t, day in acts:
            times.append(self.moment(day, times[-1]))
        final = state in (CONCLUDED, FORWARDED, NOT_ACCEPTED)
        replied = next((day for a, _t, day in acts if a == "sign"), None)
        concluded = next((day for a, _t, day in acts if a == "conclude"), None)
        decided = acts[0][2] if acts else None
        # The clocks: 受理 (stage initial) or 复查复核 from 登记; 办理 from 受理 until 审核通过.
        clocks: list[dict[str, Any]] = []
        first_key = "acceptance" if stage == INITIAL else "decision"
        first_days = ACCEPTANCE_DAYS if stage == INITIAL else REVIEW_DECISION_DAYS
        first_due = self.days(received, first_days)
        first_stop = decided if stage == INITIAL else replied
        clocks.append({"key": first_key, "started": received, "due": first_due, "stopped": first_stop})
        handling_due: date | None = None
        if stage == INITIAL and decided is not None and acts[0][1] == HANDLE:
            handling_due = self.days(decided, HANDLING_DAYS)
            clocks.append({"key": "handling", "started": decided, "due": handling_due, "stopped": replied})
        if state == REGISTER:
            due: date | None = first_due
        elif state == HANDLE:
            due = handling_due if stage == INITIAL else first_due
        elif state == APPROVE:
            step_due = self.workdays(acts[-1][2], 3)
            clock_due = handling_due if stage == INITIAL else first_due
            due = min(step_due, clock_due) if clock_due is not None else step_due
        else:
            due = None
        title = title_of(number, who.name, request)[:300]
        rows["workflow_instances"].append({
            "id": instance_id, "flow_key": flow.key, "flow_version": flow.version, "entity_type": ENTITY,
            "entity_id": petition_id, "title": title, "state": state, "closed": final, "unit_id": org.office_unit,
            "owner_id": officer.id, "assignee_id": None, "responsible_id": responsible.id,
            "moved_by_id": responsible.id if acts else None, "opened_at": None, "urgency": "",
            "entered_at": times[-1], "due_date": due, "due_provisional": False,
            "closed_at": times[-1] if final else None, "created_at": times[0], "updated_at": times[-1],
            "version": len(times),
        })
        decision = findings = basis = ""
        if replied is not None:
            decision = rng.choices([d for d, _w in DECISIONS_WEIGHTS], weights=[w for _d, w in DECISIONS_WEIGHTS])[0]
            findings = f"经调查核实，{request[:60]}的情况基本属实，已会同有关单位研究处理。"
            basis = "《信访工作条例》及有关政策规定"
        if acts and acts[0][0] == "forward":
            forwarded_to = rng.choice(material.FORWARD_TO)[0]
        rows["petitions"].append({
            "id": petition_id, "stage": stage, "year": received.year, "seq": seq, "number": number,
            "instance_id": instance_id, "reviews_id": reviews.id if reviews is not None else None,
            "channel": channel, "channel_detail": detail,
            "reception_leader": rng.choice(org.receivers) if detail == material.LEADER_RECEPTION_DETAIL
            else "",
            "received_on": received, "name": who.name, "id_number": who.id_number, "phone": who.phone,
            "address": who.address, "people_count": people, "request": request,
            "facts": material.facts_for(rng), "category": category, "place": place, "handling_unit_id": unit_id,
            "forwarded_to": forwarded_to, "findings": findings, "decision": decision, "decision_basis": basis,
            "replied_on": replied, "concluded_on": concluded, "registered_by_name": officer.full_name,
            "is_repeat": earlier is not None, "created_at": times[0], "updated_at": times[-1],
            "version": len(times),
        })
        if group:
            rows["petition_representatives"] += [
                {"petition_id": petition_id, "position": i, "name": material.person(rng, self.today, place).name,
                 "id_number": material.id_number_for(rng, self.today), "phone": random_mobile(rng)}
                for i in range(1, rng.randint(2, 5))
            ]
        rows["workflow_history"].append({
            "instance_id": instance_id, "from_state": None, "to_state": REGISTER, "action": "start",
            "action_label": "登记", "actor_id": officer.id, "actor_name": officer.full_name, "opinion": "",
            "at": times[0], "on_behalf_of_id": None, "on_behalf_of_name": "",
        })
        source = REGISTER
        for (action, target, _day), at in zip(acts, times[1:], strict=True):
            actor = rng.choice(org.leaders) if action == "sign" and org.leaders else responsible
            opinion = OPINIONS.get(action, "")
            if action == "forward":
                opinion = f"转送{forwarded_to}"
            elif action == "reject":
                opinion = rng.choice(material.REJECT_REASONS)
            rows["workflow_history"].append({
                "instance_id": instance_id, "from_state": source, "to_state": target, "action": action,
                "action_label": labels[(source, action)], "actor_id": actor.id, "actor_name": actor.full_name,
                "opinion": opinion, "at": at, "on_behalf_of_id": None, "on_behalf_of_name": "",
            })
            source = target
        for c in clocks:
            phase = "stopped" if c["stopped"] is not None else "running"
            if final and c["stopped"] is None:
                c["stopped"] = acts[-1][2]
                phase = "stopped"
            rows["workflow_clocks"].append({
                "instance_id": instance_id, "clock_key": c["key"], "phase": phase, "started_on": c["started"],
                "due_date": c["due"], "due_provisional": False, "extended_by": 0, "paused_since": None,
                "stopped_on": c["stopped"],
            })
            for kind, on in (("start", c["started"]), ("stop", c["stopped"])):
                if on is not None:
                    rows["workflow_clock_events"].append({
                        "instance_id": instance_id, "clock_key": c["key"], "kind": kind, "on_date": on, "amount": 0,
                        "reason": "", "actor_id": responsible.id, "actor_name": responsible.full_name,
                        "on_behalf_of_id": None, "on_behalf_of_name": "", "at": self.moment(on),
                    })
        if acts and acts[0][0] == "assign" and unit_id is not None:
            liaison = org.liaisons.get(unit_id)
            task = {
                "instance_id": instance_id, "step_key": HANDLE, "kind": "task", "lead": True, "unit_id": unit_id,
                "user_id": None, "task": f"请依法办理：{request}"[:500], "due_date": handling_due,
                "due_provisional": False, "state": "sent", "feedback": "", "sent_at": times[1],
                "sent_by_id": responsible.id, "sent_by_name": responsible.full_name, "done_at": None,
                "done_by_id": None, "done_by_name": "", "reported_at": None, "reported_by_id": None,
                "reported_by_name": "",
            }
            if state != HANDLE or rng.random() < 0.4:
                task.update(state="reported", feedback="经调查核实，已提出处理意见，现报送办理情况。",
                            reported_at=times[min(2, len(times) - 1)],
                            reported_by_id=liaison.id if liaison else None,
                            reported_by_name=liaison.full_name if liaison else "")
            if state not in (HANDLE,):
                task.update(state="done", done_at=times[min(2, len(times) - 1)], done_by_id=responsible.id,
                            done_by_name=responsible.full_name)
            rows["workflow_work_items"].append(task)
        if replied is not None and state == CONCLUDED:
            rows["petition_visits"].append({
                "petition_id": petition_id, "visited_on": min(self.today, replied + timedelta(days=rng.randint(3, 15))),
                "method": rng.choice(VISIT_METHODS), "satisfaction": rng.choices(("满意", "基本满意"), (7, 3))[0],
                "note": "信访人对处理意见表示理解。", "action": "", "reason": "", "by_name": responsible.full_name,
                "created_at": times[-1],
            })
        if earlier is not None:
            rows["record_links"].append(self._link(earlier.id, petition_id, "repeat", officer, times[0]))
        if reviews is not None:
            kind = "review" if stage == REVIEW else "re_review"
            rows["record_links"].append(self._link(reviews.id, petition_id, kind, officer, times[0]))
        made = _Case(petition_id, who, request, category, place, replied, unit_id, state)
        if stage == INITIAL:
            self.recent.setdefault(category, []).append(made)
            self.cases.append(made)
        else:
            self.reviews_made.append((made, stage))
        return rows

    reviews_made: list[tuple[_Case, str]]

    @staticmethod
    def _link(source: int, target: int, kind: str, by: OrgUser, at: datetime) -> dict[str, Any]:
        return {"source_type": ENTITY, "source_id": source, "target_type": ENTITY, "target_id": target,
                "kind": kind, "created_at": at, "created_by": by.id, "source_part": None}


def _next_id(conn: Connection, table: str) -> int:
    found = Base.metadata.tables[table]
    return int(conn.execute(select(func.coalesce(func.max(found.c.id), 0))).scalar_one()) + 1


def generate_petitions(
    conn: Connection, n: int, rng: random.Random, *, today: date, calendar: WorkCalendar, log: Log = print,
) -> dict[str, int]:
    """Writes ``n`` cases, then their 复查 and 复核, in batches committed one at a time; returns the rows
    written per table."""
    org = petition_org(conn)
    maker = _Maker(org, rng, today, calendar)
    maker.reviews_made = []
    ids = {"petitions": _next_id(conn, "petitions"), "workflow_instances": _next_id(conn, "workflow_instances")}
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
    written = dict.fromkeys(_TABLES, 0)

    def flush() -> None:
        if not pending["petitions"]:
            return
        for name in _TABLES:
            if pending[name]:
                conn.execute(insert(Base.metadata.tables[name]), pending[name])
                written[name] += len(pending[name])
                pending[name].clear()
        conn.commit()
        log(f"  信访件：{written['petitions']:,}/{n:,}")

    def add(made: dict[str, list[dict[str, Any]]]) -> None:
        for name, rows in made.items():
            pending[name] += rows
        ids["petitions"] += 1
        ids["workflow_instances"] += 1
        if len(pending["petitions"]) >= BATCH:
            flush()

    span = YEARS * 365
    days = sorted(today - timedelta(days=rng.randint(0, span)) for _ in range(n))
    for received in days:
        add(maker.case(ids, received))
    flush()
    # 复查 of some replied cases (asked within 30 days of the reply), and 复核 of some of those 复查.
    requests = sorted(
        ((c.replied + timedelta(days=rng.randint(2, 28)), c) for c in maker.cases
         if c.replied is not None and rng.random() < REVIEW_SHARE),
        key=lambda pair: (pair[0], pair[1].id),
    )
    for requested, case in requests:
        if requested <= today:
            add(maker.case(ids, requested, REVIEW, case))
    reviews = [(made, stage) for made, stage in maker.reviews_made if stage == REVIEW]
    again = sorted(
        ((m.replied + timedelta(days=rng.randint(2, 28)), m) for m, _s in reviews
         if m.replied is not None and rng.random() < RE_REVIEW_SHARE),
        key=lambda pair: (pair[0], pair[1].id),
    )
    for requested, made in again:
        if requested <= today:
            add(maker.case(ids, requested, RE_REVIEW, made))
    flush()
    for (stage, year), last in maker.seqs.items():
        key = f"petition_{stage}"
        found = conn.execute(select(SequenceRow.id).where(SequenceRow.key == key, SequenceRow.year == year)).first()
        if found is None:
            conn.execute(insert(SequenceRow).values(key=key, year=year, last_value=last))
        else:
            conn.execute(SequenceRow.__table__.update().where(SequenceRow.id == found[0]).values(last_value=last))
    conn.commit()
    _after_load(conn)
    return written


def _after_load(conn: Connection) -> None:
    """Explicit ids move PostgreSQL's sequences on; fresh statistics, as autovacuum or InnoDB would soon give."""
    backend = conn.dialect.name
    if backend == "postgresql":
        for table in ("petitions", "workflow_instances"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
        conn.commit()
        conn.execute(text("ANALYZE"))
    elif backend in ("mysql", "mariadb"):
        conn.execute(text(f"ANALYZE TABLE {', '.join(_TABLES)}"))
    else:
        conn.execute(text("ANALYZE"))
    conn.commit()


def petition_count(conn: Connection) -> int:
    return int(conn.execute(
        select(func.count()).select_from(WorkflowInstance).where(WorkflowInstance.flow_key == FLOW_KEY)
    ).scalar_one())


def add_petitions(url: str, n: int = DEFAULT_CASES, seed: int = 1, *, today: date | None = None,
                  log: Log = print) -> dict[str, int]:
    """Adds ``n`` cases to a bench database (the organisation already there, as bench.generate builds it)."""
    from app.bootstrap import bootstrap
    from app.services.kernel.settings import work_calendar

    started = clock.perf_counter()
    ctx = bootstrap(url)
    try:
        with ctx.uow() as uow:
            calendar = work_calendar(uow)
        with ctx.engine.connect() as conn:
            written = generate_petitions(conn, n, random.Random(seed), today=today or date.today(),
                                         calendar=calendar, log=log)
    finally:
        ctx.dispose()
    elapsed = clock.perf_counter() - started
    rows = sum(written.values())
    log("信访数据：" + "，".join(f"{name} {count:,}" for name, count in written.items())
        + f"；用时 {elapsed:.1f} 秒（{rows / max(elapsed, 1e-9):,.0f} 行/秒）")
    return written


__all__ = ["DEFAULT_CASES", "REVIEW_FLOW_KEY", "add_petitions", "generate_petitions", "petition_count"]
