"""督查督办 figures at 20,000 items: the ledger, the quarter's notice and the 工作台, through GovDesk beside the bare
DB-API driver sending the same statements in the same run (issue 16, point 9).

    python -m bench.supervision                                  # SQLite and PostgreSQL, 20,000 items
    python -m bench.supervision --sqlite bench/out/sup.sqlite3 \\
        --postgresql postgresql://postgres@127.0.0.1:5432/test --mysql mysql://root@127.0.0.1:3306/test
    python -m bench.supervision --items 5000 --explain

The databases are bench.db's (bench.db.prepare): a SQLite file under bench/out/, and a bench database
(govdesk_bench unless --bench-database says otherwise) dropped and recreated on each server named. They hold
the demo office and --size documents and --claims claims (none unless asked), and then --items supervision
items written by bench.supervision_data; a database whose counts match is reused.

Each figure is one service call made as the UI makes it: a unit of work, the service function, its result
objects. The raw side replays the statements the call sent, with the same parameters, through sqlite3 /
psycopg / pymysql on one open connection (bench.db.measure); both sides run the warm-ups, then alternating
timed repetitions, and each figure is the median. The cases:
- the ledger (ledger.list_items, as the 督办台账 page fetches it: box 在办事项, the first 100 rows by deadline,
  with the total) as the office's director: unfiltered; one unit's overdue items (the unit leading most); a
  search for '安全';
- the notice of the last finished quarter (notice.supervision_notice) as the director. Its first call sweeps
  the items past their deadline that nobody recorded yet into 责任追究 (it writes, so it has no raw side: it
  is timed alone, the records it made removed before each repetition); the second call finds nothing to
  record and is timed against the raw driver like the rest;
- the 工作台's to-do list (app.services.workflow.todo.todo) of the 文秘 who answers for the most open items, and
  of the director (who may 撤销 any open item and 销号 those at review).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from app.bootstrap import AppContext, bootstrap
from app.core.roles import Role
from app.core.supervision.flow import ENTITY, FLOW_KEY
from app.core.supervision.notice import Period, quarter_period
from app.db.engine import make_engine, normalize_url
from app.models import AccountabilityRecord, User, WorkflowInstance
from app.models.supervision import SupervisionItem
from app.services.admin.auth import actor_of
from app.services.kernel.actor import Actor
from bench.db import (
    DEFAULT_POSTGRESQL,
    OUT_DIR,
    Figure,
    RawDriver,
    Target,
    actor_with,
    capture,
    driver_name,
    measure,
    prepare,
    print_table,
)
from bench.supervision_data import DEFAULT_ITEMS, SWEPT_AFTER_DAYS, add_supervision, supervision_count

SEARCH = "安全"
PAGE = 100  # the list page's LazyTableModel fetches 100 rows at a time
FIRST_CALLS = 5


# ----- the database -------------------------------------------------------------------------------------------


def _count(target: Target) -> int:
    engine = make_engine(target.url)
    try:
        with engine.connect() as conn:
            return supervision_count(conn)
    finally:
        engine.dispose()


def prepare_supervision(target: Target, args: argparse.Namespace) -> None:
    """The bench database with the office, --size documents, --claims claims and --items items."""
    rebuild = args.rebuild
    prepare(target, args.size, rebuild, args.seed, args.claims)
    found = _count(target)
    if found == args.items and not rebuild:
        print(f"[{target.label}] reusing its {found:,} supervision items")
        return
    if found:
        # Other items than asked for: start again from an empty database.
        prepare(target, args.size, True, args.seed, args.claims)
    print(f"[{target.label}] adding {args.items:,} supervision items …")
    add_supervision(target.url.render_as_string(hide_password=False), args.items, args.seed,
                    log=lambda line: print(f"[{target.label}] {line}"))


# ----- the cases ----------------------------------------------------------------------------------------------


def last_quarter(today: date) -> Period:
    quarter = (today.month - 1) // 3  # the one before today's, 0 meaning last year's fourth
    return quarter_period(today.year, quarter) if quarter else quarter_period(today.year - 1, 4)


def _busiest(ctx: AppContext, column: Any, *where: Any) -> int:
    with ctx.uow() as uow:
        return int(uow.session.execute(
            select(column).select_from(SupervisionItem)
            .join(WorkflowInstance, WorkflowInstance.id == SupervisionItem.instance_id)
            .where(WorkflowInstance.closed.is_(False), *where)
            .group_by(column).order_by(func.count().desc(), column).limit(1)
        ).scalar_one())


def _user(ctx: AppContext, user_id: int) -> Actor:
    with ctx.uow() as uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        return actor_of(user)


def supervision_cases(
    ctx: AppContext, today: date
) -> tuple[list[tuple[str, Callable[[], Any]]], Callable[[], Any], dict[str, Any]]:
    """The read cases, the notice call (whose first run writes) and what the cases were run with."""
    from app.services.supervision import ledger, notice
    from app.services.supervision.ledger import LedgerFilter
    from app.services.workflow import todo

    director = actor_with(ctx, Role.DIRECTOR)
    clerk = _user(ctx, _busiest(ctx, WorkflowInstance.responsible_id, WorkflowInstance.flow_key == FLOW_KEY))
    unit_id = _busiest(ctx, SupervisionItem.lead_unit_id, SupervisionItem.deadline < today)
    period = last_quarter(today)

    def page(**filters: Any) -> Callable[[], Any]:
        def call() -> Any:
            with ctx.uow() as uow:
                return ledger.list_items(uow, director, LedgerFilter(**filters), offset=0, limit=PAGE,
                                         order_by="deadline", today=today)

        return call

    def notice_call() -> Any:
        with ctx.uow() as uow:
            return notice.supervision_notice(uow, director, period, today=today)

    def todo_of(actor: Actor) -> Callable[[], Any]:
        def call() -> Any:
            with ctx.uow() as uow:
                return todo.todo(uow, actor, today=today)

        return call

    cases = [
        (f"台账 在办事项: first {PAGE} rows by deadline + total", page()),
        ("台账 filter: one unit (the busiest), overdue only", page(unit_id=unit_id, overdue=True)),
        (f"台账 search '{SEARCH}' (编号, 事项名称, 工作要求)", page(search=SEARCH)),
        (f"通报 {period.label}, second call (nothing to sweep)", notice_call),
        (f"工作台 to-do: 文秘 {clerk.full_name} (most open items)", todo_of(clerk)),
        ("工作台 to-do: 办公室主任", todo_of(director)),
    ]
    return cases, notice_call, {"clerk": clerk.full_name, "unit_id": unit_id, "period": period.label}


def _unswept(today: date) -> Any:
    """The 责任追究 records of open items whose deadline passed in the last days: the generator leaves them for the
    sweep (bench.supervision_data.SWEPT_AFTER_DAYS), and each timed first call makes them again."""
    open_items = select(SupervisionItem.id).where(SupervisionItem.closed_on.is_(None),
                                                  SupervisionItem.cancelled.is_(False))
    R = AccountabilityRecord
    return (R.kind == "overdue", R.entity_type == ENTITY, R.entity_id.in_(open_items),
            R.occurred_on >= today - timedelta(days=SWEPT_AFTER_DAYS), R.occurred_on < today)


def first_notice(ctx: AppContext, notice_call: Callable[[], Any], calls: int, today: date) -> Figure:
    """The notice's first call: it sweeps the overdue items nobody recorded yet into 责任追究 and commits. Timed
    alone, those records removed again before each call (the sweep's audit entries stay: the chain is
    append-only). Nothing to remove on a database a bench run swept already: the generator's state comes back."""
    samples: list[float] = []
    made = 0
    for _ in range(calls):
        with ctx.engine.begin() as conn:
            conn.execute(delete(AccountabilityRecord).where(*_unswept(today)))
        started = time.perf_counter()
        notice_call()
        samples.append(time.perf_counter() - started)
        with ctx.uow() as uow:
            made = int(uow.session.execute(
                select(func.count()).select_from(AccountabilityRecord).where(*_unswept(today))
            ).scalar_one())
    return Figure("通报, first call (sweeps overdue items into 责任追究)", statistics.median(samples) * 1000, None,
                  f"median of {calls}; {made} records written each time; writes, so no raw side")


def _explain(target: Target, ctx: AppContext, raw: RawDriver, cases: Sequence[tuple[str, Callable[[], Any]]]) -> None:
    prefix = {"sqlite": "EXPLAIN QUERY PLAN ", "postgresql": "EXPLAIN (ANALYZE, BUFFERS) "}.get(
        target.backend, "ANALYZE "
    )
    for name, call in cases:
        print(f"\n-- {name}")
        for statement, parameters in capture(ctx.engine, call):
            if not statement.lstrip().upper().startswith("SELECT") or "users.active" in statement:
                continue
            print(" ".join(statement.split()))
            (rows,) = raw.replay([(prefix + statement, parameters)])
            for row in rows:
                print("   ", " | ".join(str(value) for value in row))


def supervision_figures(target: Target, args: argparse.Namespace) -> tuple[list[Figure], dict[str, Any]]:
    ctx = bootstrap(target.url)
    raw = RawDriver(target.url)
    try:
        today = date.today()
        cases, notice_call, used = supervision_cases(ctx, today)
        first = first_notice(ctx, notice_call, args.first_calls, today)
        if args.explain:
            _explain(target, ctx, raw, cases)
        figures = measure(ctx, raw, cases, args.warmups, args.repetitions)
        figures.insert(3, first)
        return figures, used
    finally:
        raw.close()
        ctx.dispose()


# ----- the command --------------------------------------------------------------------------------------------


def targets(args: argparse.Namespace) -> list[Target]:
    found: list[Target] = []
    if args.sqlite:
        found.append(Target("SQLite", normalize_url(f"sqlite:///{Path(args.sqlite).resolve()}")))
    for label, admin in (("PostgreSQL", args.postgresql), ("MariaDB", args.mysql)):
        if admin:
            admin_url = normalize_url(admin)
            found.append(Target(label, admin_url.set(database=args.bench_database), admin_url))
    if not found:
        path = OUT_DIR / f"bench-supervision-{args.items}.sqlite3"
        found.append(Target("SQLite", normalize_url(f"sqlite:///{path}")))
        admin_url = normalize_url(DEFAULT_POSTGRESQL)
        found.append(Target("PostgreSQL", admin_url.set(database=args.bench_database), admin_url))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.supervision", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", help="SQLite bench file (default bench/out/bench-supervision-ITEMS.sqlite3)")
    parser.add_argument("--postgresql", help="PostgreSQL server URL; the bench database is recreated there")
    parser.add_argument("--mysql", help="MariaDB/MySQL server URL; the bench database is recreated there")
    parser.add_argument("--bench-database", default="govdesk_bench", help="the server database to (re)create")
    parser.add_argument("--items", type=int, default=DEFAULT_ITEMS, help="supervision items (default 20000)")
    parser.add_argument("--size", type=int, default=0, help="documents beside them (default none)")
    parser.add_argument("--claims", type=int, default=0, help="claims beside them (default none)")
    parser.add_argument("--rebuild", action="store_true", help="build the bench database even if one matches")
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--first-calls", type=int, default=FIRST_CALLS, help="timed first calls of the notice")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="print each case's query plans first")
    args = parser.parse_args(argv)

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"GovDesk 督查督办 bench, {date.today():%Y-%m-%d}, Python {sys.version.split()[0]}, "
        f"{multiprocessing.cpu_count()} CPUs, load average {load}"
    )
    for target in targets(args):
        prepare_supervision(target, args)
        figures, used = supervision_figures(target, args)
        print_table(
            f"== {target.label}: {args.items:,} supervision items ({args.size:,} documents, {args.claims:,} claims); "
            f"median of {args.repetitions} after {args.warmups} warm-ups; 文秘 {used['clerk']}, "
            f"unit id {used['unit_id']}, {used['period']} ==",
            figures,
            driver_name(target.backend),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
