"""Bulk 会议 data for the bench: N meetings (default 20,000) over three years, written with SQLAlchemy Core
``insert()`` executemany in batches, as the meetings services would have left them.

What a generated meeting holds (app.services.meetings.records, .agenda, .decisions, .lifecycle):
- its ``meetings`` row (会〔year〕seq号 numbered per year in the order held; the demo's six types weighted as the
  demo weighs them, titles as the demo words them: 县政府2025年第12次常务会议, 安全生产专题会议, 全县教育工作会议 …;
  one of the office's four rooms, or the 县委党校报告厅; the host one of the county leaders; the notice's notes),
  and its ``workflow_instances`` row of the 会议 flow (entity_id = the meeting, unit = the organizing 办公室,
  responsible = owner = the 文秘 who registered it) with its history (bench.generate's rows: creation and the
  last two moves). Most meetings are over (已办结, 4% 已取消); the ones of the last weeks are at 会前筹备, 会议召开
  or 会后落实;
- its attendees (``meeting_attendees``: the county leaders on the 主席台, then 2–5 units' 主要负责人, signed in
  once held: most present, some 请假 with the reason, some 代会);
- for the types units bring topics to, 1–3 topics (``meeting_topics``, the demo's wording with the unit's name,
  reviewed); once held, 1–3 decisions (``meeting_decisions``: "<unit>牵头，<the demo's decision text>").

Left out: room bookings (the bench never books), the 会议方案's tasks and their work items, attachments and audit
entries. The organisation is the demo office (bench.generate builds it); the rooms are the demo's, added here if
the database has none.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from app.core.calendar import WorkCalendar
from app.core.meetings.flow import CANCELLED, CLOSED, ENTITY, FLOW_KEY, FOLLOW_UP, HELD, MEETING, PREPARE
from app.core.meetings.plan import MEETING_TYPES
from app.core.roles import Role
from app.demo import meetings as demo
from app.demo.office import CST, OFFICE_NAME
from app.models import Base, WorkflowInstance
from app.models import Sequence as SequenceRow
from app.services.meetings.records import format_number
from bench.generate import BenchOrg, OrgUser, Timing, _RowMaker, load_org

Log = Callable[[str], None]
DEFAULT_MEETINGS = 20_000
BATCH = 2000
YEARS = 3
CANCELLED_SHARE = 0.04
# Meetings of the last weeks that are not over yet, and of those, at which step.
OPEN_DAYS = 21
_TABLES = ("workflow_instances", "meetings", "meeting_attendees", "meeting_topics", "meeting_decisions",
           "workflow_history")


def _next_id(conn: Connection, table: str) -> int:
    found = Base.metadata.tables[table]
    return int(conn.execute(select(func.coalesce(func.max(found.c.id), 0))).scalar_one()) + 1


def _rooms(conn: Connection) -> list[int]:
    """The office's meeting rooms (the demo's four), added when the database has none."""
    rooms = Base.metadata.tables["meeting_rooms"]
    found = [int(i) for i in conn.execute(select(rooms.c.id).order_by(rooms.c.id)).scalars()]
    if found:
        return found
    now = datetime.now(UTC)
    conn.execute(insert(rooms), [
        {"name": name, "location": location, "capacity": capacity, "active": True, "booking_count": 0,
         "created_at": now, "updated_at": now, "version": 1}
        for name, location, capacity in demo.ROOMS
    ])
    conn.commit()
    return [int(i) for i in conn.execute(select(rooms.c.id).order_by(rooms.c.id)).scalars()]


class _MeetingMaker:
    def __init__(self, conn: Connection, org: BenchOrg, rng: random.Random, today: date,
                 calendar: WorkCalendar) -> None:
        self.rng, self.today, self.org = rng, today, org
        self.rows = _RowMaker(MEETING, org, rng, today, calendar)
        self.rooms = _rooms(conn)
        self.secretaries = org.by_role.get(Role.SECRETARY.value, [])
        if not self.secretaries:
            raise RuntimeError("基准数据需要至少一名文秘人员登记会议")
        self.leaders = org.by_role.get(Role.COUNTY_LEADER.value, [])
        self.office = next((uid for uid, name in org.unit_names.items() if name == OFFICE_NAME),
                           self.secretaries[0].unit_id)
        liaisons = org.by_role.get(Role.LIAISON.value, [])
        self.units = sorted({u.unit_id for u in liaisons if u.unit_id is not None}) or sorted(org.unit_names)
        self.seqs: dict[int, int] = {}

    def _state(self, day: date) -> str:
        rng = self.rng
        if day > self.today:
            return PREPARE
        if (self.today - day).days <= OPEN_DAYS:
            return rng.choice((HELD, FOLLOW_UP, FOLLOW_UP, CLOSED, CLOSED))
        return CANCELLED if rng.random() < CANCELLED_SHARE else CLOSED

    def meeting(self, meeting_id: int, instance_id: int, day: date) -> dict[str, list[dict[str, Any]]]:
        rng = self.rng
        kind = rng.choices(MEETING_TYPES, weights=demo.TYPE_WEIGHTS)[0]
        hour = 15 if rng.random() < 0.3 else 9
        starts = datetime.combine(day, time(hour, rng.choice((0, 0, 30))), CST).astimezone(UTC)
        ends = starts + timedelta(hours=rng.choice((1.5, 2, 2.5, 3)))
        local = starts.astimezone(CST)
        if kind == "常务会议":
            title = f"县政府{local.year}年第{local.isocalendar().week}次常务会议"
        elif kind == "全体会议":
            title = f"县政府{local.year}年第{rng.randint(1, 3)}次全体会议"
        else:
            topic = rng.choice(demo.TOPICS[kind])
            title = {"专题会议": f"{topic}专题会议", "工作会议": f"全县{topic}工作会议",
                     "座谈会": f"{topic}座谈会"}.get(kind, f"全市{topic}工作视频会议（青山县分会场）")
        year = local.year
        seq = self.seqs.get(year, 0) + 1
        self.seqs[year] = seq
        owner = rng.choice(self.secretaries)
        state = self._state(day)
        hops = self.rows.routes[state]
        registered = starts - timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 6))
        entered = min(starts + timedelta(hours=3), datetime.now(UTC)) if state != PREPARE else registered
        if state == CANCELLED:
            entered = starts - timedelta(days=rng.randint(1, 3))
        elif state == CLOSED:
            entered = starts + timedelta(days=rng.randint(2, 9))
        timing = Timing(entered.astimezone(CST).date(), entered, registered)
        instance, history = self.rows.rows(instance_id, state, ENTITY, title, owner, self.office, "",
                                           hops=hops, timing=timing)
        instance["entity_id"] = meeting_id
        instance["responsible_id"] = owner.id
        if state == PREPARE:
            instance["due_date"] = day
        if state == CANCELLED:
            history[-1]["opinion"] = rng.choice(demo.CANCEL_REASONS)
        elif state == CLOSED and history[-1]["action"] == "finish":
            history[-1]["opinion"] = "会议纪要已印发，议定事项已分解落实"
        in_room = rng.random() < 0.93
        row = {
            "id": meeting_id, "year": year, "seq": seq, "number": format_number(year, seq), "instance_id": instance_id,
            "meeting_type": kind, "title": title, "starts_at": starts, "ends_at": ends,
            "room_id": rng.choice(self.rooms) if in_room and self.rooms else None,
            "place": "" if in_room and self.rooms else demo.HALL,
            "host_name": rng.choice(self.leaders[:2]).full_name if self.leaders else "",
            "organizer_unit_id": self.office, "notes": "请参会人员提前10分钟到场签到，会议期间将手机调至静音",
            "hall_per_row": 10, "cancelled": state == CANCELLED, "created_by_name": owner.full_name,
            "created_at": registered, "updated_at": entered, "version": 1 + len(hops),
        }
        held = state in (HELD, FOLLOW_UP, CLOSED)
        units = rng.sample(self.units, k=min(len(self.units), rng.randint(2, 5)))
        leaders = self.leaders if kind in ("常务会议", "全体会议") else self.leaders[:2]
        attendees: list[dict[str, Any]] = []
        people: list[tuple[OrgUser | None, int | None, str]] = [(u, None, "县领导") for u in leaders]
        people += [(None, unit_id, "主要负责人") for unit_id in units]
        for position, (user, unit_id, post) in enumerate(people, start=1):
            attendance, reason, substitute = "", "", ""
            if held:
                roll = rng.random()
                if roll < 0.85:
                    attendance = "present"
                elif roll < 0.93 or unit_id is None:
                    attendance, reason = "leave", rng.choice(demo.LEAVE_REASONS)
                else:
                    attendance, substitute = "substitute", rng.choice(demo.SUBSTITUTES)
            attendees.append({
                "meeting_id": meeting_id, "position": position, "unit_id": unit_id,
                "user_id": user.id if user else None, "name": user.full_name if user else "", "post": post,
                "rank": position, "zone": "dais" if user else "hall", "seat": None, "attendance": attendance,
                "leave_reason": reason, "substitute_name": substitute, "signed_at": starts if attendance else None,
                "signed_by_name": owner.full_name if attendance else "",
            })
        topics: list[dict[str, Any]] = []
        if kind in demo.WITH_TOPICS:
            for position, unit_id in enumerate(units[: rng.randint(1, 3)], start=1):
                unit = self.org.unit_names.get(unit_id, "")
                wording, summary = rng.choice(demo.TOPIC_TEXTS)
                rejected = rng.random() < 0.1
                topics.append({
                    "meeting_id": meeting_id, "unit_id": unit_id, "title": wording.format(unit=unit),
                    "summary": summary, "reporter": f"{unit}主要负责人", "state": "rejected" if rejected else "approved",
                    "review_note": "相关工作尚不成熟，建议会后进一步论证" if rejected else "同意提交会议",
                    "reviewed_by_name": owner.full_name, "position": 0 if rejected else position,
                    "proposed_by_name": "", "created_at": registered, "updated_at": registered, "version": 2,
                })
        decisions: list[dict[str, Any]] = []
        if state in (FOLLOW_UP, CLOSED):
            leads = rng.sample(units, k=min(len(units), rng.randint(1, 3)))
            for position, (unit_id, wording) in enumerate(
                zip(leads, rng.sample(demo.DECISIONS, k=len(leads)), strict=True), start=1
            ):
                decisions.append({
                    "meeting_id": meeting_id, "position": position,
                    "text": f"{self.org.unit_names.get(unit_id, '')}牵头，{wording}", "lead_unit_id": unit_id,
                    "deadline": day + timedelta(days=rng.randint(15, 60)),
                })
        return {"workflow_instances": [instance], "meetings": [row], "meeting_attendees": attendees,
                "meeting_topics": topics, "meeting_decisions": decisions, "workflow_history": history}


def generate_meetings(conn: Connection, n: int, rng: random.Random, *, today: date, calendar: WorkCalendar,
                      log: Log = print) -> dict[str, int]:
    """Writes ``n`` meetings over the last three years (a few in the coming weeks), in batches committed one at
    a time; returns the rows written per table."""
    org = load_org(conn)
    maker = _MeetingMaker(conn, org, rng, today, calendar)
    meeting_id, instance_id = _next_id(conn, "meetings"), _next_id(conn, "workflow_instances")
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
    written = dict.fromkeys(_TABLES, 0)

    def flush() -> None:
        for name in _TABLES:
            if pending[name]:
                conn.execute(insert(Base.metadata.tables[name]), pending[name])
                written[name] += len(pending[name])
                pending[name].clear()
        conn.commit()
        log(f"  会议：{written['meetings']:,}/{n:,}")

    span = YEARS * 365
    days = sorted(today - timedelta(days=rng.randint(-OPEN_DAYS, span)) for _ in range(n))
    for day in days:
        for name, rows in maker.meeting(meeting_id, instance_id, day).items():
            pending[name] += rows
        meeting_id += 1
        instance_id += 1
        if len(pending["meetings"]) >= BATCH:
            flush()
    flush()
    for year, last in maker.seqs.items():
        conn.execute(insert(SequenceRow).values(key="meeting", year=year, last_value=last))
    conn.commit()
    _after_load(conn)
    return written


def _after_load(conn: Connection) -> None:
    backend = conn.dialect.name
    tables = ("meeting_rooms", *_TABLES)
    if backend == "postgresql":
        for table in tables:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
        conn.commit()
        conn.execute(text("ANALYZE"))
    elif backend in ("mysql", "mariadb"):
        conn.execute(text(f"ANALYZE TABLE {', '.join(tables)}"))
    else:
        conn.execute(text("ANALYZE"))
    conn.commit()


def meeting_count(conn: Connection) -> int:
    return int(conn.execute(
        select(func.count()).select_from(WorkflowInstance).where(WorkflowInstance.flow_key == FLOW_KEY)
    ).scalar_one())


def add_meetings(url: str, n: int = DEFAULT_MEETINGS, seed: int = 1, *, today: date | None = None,
                 log: Log = print) -> dict[str, int]:
    """Adds ``n`` meetings to a bench database (the organisation already there, as bench.generate builds it)."""
    from app.bootstrap import bootstrap
    from app.services.kernel.settings import work_calendar

    started = clock.perf_counter()
    ctx = bootstrap(url)
    try:
        with ctx.uow() as uow:
            calendar = work_calendar(uow)
        with ctx.engine.connect() as conn:
            written = generate_meetings(conn, n, random.Random(seed), today=today or date.today(), calendar=calendar,
                                        log=log)
    finally:
        ctx.dispose()
    elapsed = clock.perf_counter() - started
    rows = sum(written.values())
    log("会议数据：" + "，".join(f"{name} {count:,}" for name, count in written.items())
        + f"；用时 {elapsed:.1f} 秒（{rows / max(elapsed, 1e-9):,.0f} 行/秒）")
    return written
