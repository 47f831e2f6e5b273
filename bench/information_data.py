"""Bulk 信息调研 data for the bench: N 政务信息 items and research articles (default 50,000) over three years,
written with SQLAlchemy Core ``insert()`` executemany in batches, as the information services would have left them.

What a generated item holds (app.services.information.items, .adoptions):
- its ``info_items`` row: one research article in forty, the rest 政务信息; the title and body the demo's writer
  composes (app.demo.information._item_text / _article_text: a place, a topic and an outcome; the measures, the
  figures), by a member of one of the 8 writing groups, 报送 on a working day; and its ``workflow_instances`` row of
  the 政务信息 flow (entity_id = the item, owner = its author; the title "政务信息：…" as the service sets it) with
  its history (bench.generate's rows). Most are 已编入期刊 or 已存档; those of the last fortnight are at 撰写 or 编审;
- one item in forty adopted (``info_adoptions``: 市政府办公室 mostly, some 省政府办公厅) and one in a hundred with a
  leader's 批示 (``info_comments``, the demo's wording).

The groups (第一信息组 … 第八信息组) are made here when the database has none, with the office's staff spread
over them as the demo spreads them. Left out: the issues of 《政务信息》 (compiled items name none), study
sessions, attachments and audit entries.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from app.core.calendar import WorkCalendar
from app.core.information.flow import COMPILED, DRAFT, ENTITY, FILED, FLOW_KEY, INFORMATION_ITEM, SUBMITTED
from app.core.information.points import DEFAULT_POINTS
from app.core.roles import Role
from app.demo import information as demo
from app.demo.office import CST
from app.models import Base, WorkflowInstance
from app.services.information.groups import DEFAULT_GROUP_NAMES
from app.services.information.records import KINDS
from bench.generate import BenchOrg, OrgUser, Timing, _RowMaker, load_org

Log = Callable[[str], None]
DEFAULT_ITEMS = 50_000
BATCH = 2000
YEARS = 3
ARTICLE_SHARE = 1 / 40
ADOPTED_SHARE = 1 / 40
COMMENTED_SHARE = 1 / 100
OPEN_DAYS = 14
_TABLES = ("workflow_instances", "info_items", "info_adoptions", "info_comments", "workflow_history")


def _next_id(conn: Connection, table: str) -> int:
    found = Base.metadata.tables[table]
    return int(conn.execute(select(func.coalesce(func.max(found.c.id), 0))).scalar_one()) + 1


def _writers(org: BenchOrg) -> list[OrgUser]:
    """Who writes, as the demo has it (app.demo.information.writing_staff): the office's staff below its leaders."""
    staff: list[OrgUser] = []
    for role in (Role.SECRETARY, Role.PETITION_OFFICER, Role.FINANCE, Role.CASHIER):
        staff += [u for u in org.by_role.get(role.value, []) if u not in staff]
    return staff


def _groups(conn: Connection, org: BenchOrg) -> dict[int, int]:
    """Each writer's group (user id → group id): the 8 groups made, the staff spread over them, when none exist."""
    groups = Base.metadata.tables["info_groups"]
    members = Base.metadata.tables["info_group_members"]
    if conn.execute(select(groups.c.id).limit(1)).first() is None:
        now = datetime.now(UTC)
        leaders = org.by_role.get(Role.DEPUTY_DIRECTOR.value, []) + org.by_role.get(Role.DIRECTOR.value, [])
        conn.execute(insert(groups), [
            {"name": name, "position": position, "active": True,
             "leader_id": leaders[(position - 1) % len(leaders)].id if leaders else None,
             "created_at": now, "updated_at": now, "version": 1}
            for position, name in enumerate(DEFAULT_GROUP_NAMES, start=1)
        ])
        ids = [int(i) for i in conn.execute(select(groups.c.id).order_by(groups.c.position)).scalars()]
        staff = _writers(org)
        conn.execute(insert(members), [
            {"group_id": ids[i % len(ids)], "user_id": user.id, "position": i // len(ids)}
            for i, user in enumerate(staff)
        ])
        conn.commit()
    return {int(u): int(g) for u, g in conn.execute(select(members.c.user_id, members.c.group_id))}


def generate_information(conn: Connection, n: int, rng: random.Random, *, today: date, calendar: WorkCalendar,
                         log: Log = print) -> dict[str, int]:
    """Writes ``n`` items over the last three years, in batches committed one at a time; returns the rows
    written per table."""
    org = load_org(conn)
    group_of = _groups(conn, org)
    writers = [u for u in _writers(org) if u.id in group_of]
    if not writers:
        raise RuntimeError("基准数据需要信息组成员撰写信息")
    editors = org.by_role.get(Role.SECRETARY.value, [])
    leaders = org.by_role.get(Role.COUNTY_LEADER.value, [])
    rows = _RowMaker(INFORMATION_ITEM, org, rng, today, calendar)
    item_id, instance_id = _next_id(conn, "info_items"), _next_id(conn, "workflow_instances")
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
    written = dict.fromkeys(_TABLES, 0)

    def flush() -> None:
        for name in _TABLES:
            if pending[name]:
                conn.execute(insert(Base.metadata.tables[name]), pending[name])
                written[name] += len(pending[name])
                pending[name].clear()
        conn.commit()
        log(f"  政务信息：{written['info_items']:,}/{n:,}")

    span = YEARS * 365
    days = sorted(today - timedelta(days=rng.randint(0, span)) for _ in range(n))
    for day in days:
        while not calendar.is_workday(day) and day > today - timedelta(days=span + 7):
            day -= timedelta(days=1)
        kind = "article" if rng.random() < ARTICLE_SHARE else "item"
        title, body = demo._article_text(rng) if kind == "article" else demo._item_text(rng)
        author = rng.choice(writers)
        recent = (today - day).days <= OPEN_DAYS
        if recent:
            state = rng.choice((DRAFT, SUBMITTED, SUBMITTED, COMPILED, FILED))
        else:
            state = COMPILED if rng.random() < 0.55 else FILED
        submitted = None if state == DRAFT else day
        created = datetime.combine(day, time(9), CST).astimezone(UTC) + timedelta(minutes=rng.randint(0, 420))
        entered = created + timedelta(days=0 if state in (DRAFT, SUBMITTED) else rng.randint(1, 6),
                                      minutes=rng.randint(5, 120))
        entered = min(entered, datetime.now(UTC))
        instance, history = rows.rows(
            instance_id, state, ENTITY, f"{KINDS[kind]}：{title}"[:300], author, author.unit_id, "",
            hops=rows.routes[state], timing=Timing(entered.astimezone(CST).date(), entered, created),
        )
        instance["entity_id"] = item_id
        pending["workflow_instances"].append(instance)
        pending["workflow_history"] += history
        pending["info_items"].append({
            "id": item_id, "kind": kind, "title": title, "body": body, "author_name": author.full_name,
            "author_id": author.id, "group_id": group_of[author.id], "submitted_on": submitted,
            "instance_id": instance_id, "issue_id": None, "issue_position": None, "imported": False,
            "created_at": created, "updated_at": entered, "version": instance["version"],
        })
        if submitted is not None and rng.random() < ADOPTED_SHARE:
            level = "省级" if rng.random() < 0.15 else "市级"
            adopted = min(today, day + timedelta(days=rng.randint(3, 30)))
            pending["info_adoptions"].append({
                "item_id": item_id, "body": demo.ADOPTERS[level], "level": level, "adopted_on": adopted,
                "points": DEFAULT_POINTS[level], "recorded_by_name": rng.choice(editors).full_name if editors else "",
                "created_at": datetime.combine(adopted, time(10), CST).astimezone(UTC),
            })
        if submitted is not None and leaders and rng.random() < COMMENTED_SHARE:
            commented = min(today, day + timedelta(days=rng.randint(1, 10)))
            pending["info_comments"].append({
                "item_id": item_id, "leader": rng.choice(leaders).full_name, "text": rng.choice(demo.LEADER_COMMENTS),
                "commented_on": commented, "recorded_by_name": rng.choice(editors).full_name if editors else "",
                "created_at": datetime.combine(commented, time(11), CST).astimezone(UTC),
            })
        item_id += 1
        instance_id += 1
        if len(pending["info_items"]) >= BATCH:
            flush()
    flush()
    _after_load(conn)
    return written


def _after_load(conn: Connection) -> None:
    backend = conn.dialect.name
    tables = ("info_groups", "info_group_members", *_TABLES)
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


def information_count(conn: Connection) -> int:
    return int(conn.execute(
        select(func.count()).select_from(WorkflowInstance).where(WorkflowInstance.flow_key == FLOW_KEY)
    ).scalar_one())


def add_information(url: str, n: int = DEFAULT_ITEMS, seed: int = 1, *, today: date | None = None,
                    log: Log = print) -> dict[str, int]:
    """Adds ``n`` items to a bench database (the organisation already there, as bench.generate builds it)."""
    from app.bootstrap import bootstrap
    from app.services.kernel.settings import work_calendar

    started = clock.perf_counter()
    ctx = bootstrap(url)
    try:
        with ctx.uow() as uow:
            calendar = work_calendar(uow)
        with ctx.engine.connect() as conn:
            written = generate_information(conn, n, random.Random(seed), today=today or date.today(),
                                           calendar=calendar, log=log)
    finally:
        ctx.dispose()
    elapsed = clock.perf_counter() - started
    rows = sum(written.values())
    log("信息数据：" + "，".join(f"{name} {count:,}" for name, count in written.items())
        + f"；用时 {elapsed:.1f} 秒（{rows / max(elapsed, 1e-9):,.0f} 行/秒）")
    return written
