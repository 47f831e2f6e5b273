"""报账 figures: the claims list, the 待我审批 box and the reports at 100,000 claims, through GovDesk beside
the bare DB-API driver sending the same statements in the same run.

    python -m bench.claims                                   # SQLite and PostgreSQL
    python -m bench.claims --sqlite bench/out/x.sqlite3      # only SQLite, at that path
    python -m bench.claims --postgresql postgresql://postgres@127.0.0.1:5432/test
    python -m bench.claims --mysql mysql://root@127.0.0.1:3306/test
    python -m bench.claims --database URL                    # an existing database (built there if empty)

The databases are bench.db's: the same SQLite file (bench/out/bench-SIZE.sqlite3) and the same
govdesk_bench database recreated on a server, built by bench.generate with --size documents and
--claims claims, and reused while both counts match. So running bench.db and bench.claims with the
same sizes builds once.

Each figure is one service call made as the UI makes it (a unit of work, the service function, its result
objects), as the office's accountant (会计, who sees every claim) unless it says otherwise. The raw side
replays the statements the call sent, with the same parameters, through sqlite3 / psycopg / pymysql on
one open connection (bench.db.measure). Both sides run the warm-ups, then alternating timed repetitions;
each figure is the median.

--explain first prints the plan of each statement that reads claims: EXPLAIN QUERY PLAN on SQLite,
EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL and ANALYZE on MariaDB (the last two run the statement and show
the rows each step really read).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.bootstrap import AppContext, bootstrap
from app.core.roles import Role
from app.models import Claim, User
from app.services.admin.auth import actor_of
from app.services.kernel.actor import Actor
from bench.db import (
    Figure,
    RawDriver,
    Target,
    actor_with,
    capture,
    driver_name,
    measure,
    prepare,
    print_table,
    targets,
)
from bench.generate import DEFAULT_CLAIMS

SEARCH = "培训"


def _busiest(ctx: AppContext, column: Any) -> int:
    with ctx.uow() as uow:
        value = uow.session.execute(
            select(column).group_by(column).order_by(func.count().desc(), column).limit(1)
        ).scalar_one()
    return int(value)


def _claimant(ctx: AppContext) -> Actor:
    user_id = _busiest(ctx, Claim.claimant_id)
    with ctx.uow() as uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        return actor_of(user)


def claim_cases(ctx: AppContext, today: date) -> list[tuple[str, Callable[[], Any]]]:
    from app.services.claims import lists as claim_lists
    from app.services.claims import reports as claim_reports

    finance = actor_with(ctx, Role.FINANCE)
    claimant = _claimant(ctx)
    unit_id = _busiest(ctx, Claim.unit_id)
    this_year = date(today.year, 1, 1)
    last_year = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))

    def page(actor: Actor = finance, **filters: Any) -> Callable[[], Any]:
        def call() -> Any:
            with ctx.uow() as uow:
                return claim_lists.list_claims(uow, actor, offset=0, limit=50, today=today, **filters)

        return call

    def by_unit() -> Any:
        with ctx.uow() as uow:
            return claim_reports.totals_by_unit(uow, finance, *last_year)

    def by_category() -> Any:
        with ctx.uow() as uow:
            return claim_reports.totals_by_category(uow, finance, *last_year)

    return [
        ("报销单 list: first page, newest first, 50 rows + total", page()),
        ("filter: one department, this year", page(unit_id=unit_id, date_from=this_year, date_to=today)),
        ("filter: state 财务审核", page(state="finance_review")),
        ("filter: 办理中 (open), by due date", page(state="open", order_by="due_date", descending=False)),
        (f"search '{SEARCH}' (单号, 摘要, 报销人)", page(search=SEARCH)),
        ("待我审批 (会计), 50 rows + total", page(box="waiting")),
        ("我的报销单 (the busiest claimant)", page(claimant, box="mine")),
        ("report: totals by department, last year", by_unit),
        ("report: totals by category, last year", by_category),
    ]


def _explain(target: Target, ctx: AppContext, raw: RawDriver, cases: Sequence[tuple[str, Callable[[], Any]]]) -> None:
    prefix = {"sqlite": "EXPLAIN QUERY PLAN ", "postgresql": "EXPLAIN (ANALYZE, BUFFERS) "}.get(
        target.backend, "ANALYZE "
    )
    for name, call in cases:
        print(f"\n-- {name}")
        for statement, parameters in capture(ctx.engine, call):
            if "claims" not in statement:
                continue
            print(" ".join(statement.split()))
            (rows,) = raw.replay([(prefix + statement, parameters)])
            for row in rows:
                print("   ", " | ".join(str(value) for value in row))


def claim_figures(target: Target, warmups: int, repetitions: int, explain: bool) -> list[Figure]:
    ctx = bootstrap(target.url)
    raw = RawDriver(target.url)
    try:
        cases = claim_cases(ctx, date.today())
        if explain:
            _explain(target, ctx, raw, cases)
        return measure(ctx, raw, cases, warmups, repetitions)
    finally:
        raw.close()
        ctx.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.claims", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="an existing database URL (built there if empty)")
    parser.add_argument("--sqlite", help="SQLite bench file (default bench/out/bench-SIZE.sqlite3)")
    parser.add_argument("--postgresql", help="PostgreSQL server URL; govdesk_bench is recreated there")
    parser.add_argument("--mysql", help="MariaDB/MySQL server URL; govdesk_bench is recreated there")
    parser.add_argument("--size", type=int, default=100_000, help="documents in the bench database")
    parser.add_argument("--claims", type=int, default=DEFAULT_CLAIMS, help="claims in the bench database")
    parser.add_argument("--rebuild", action="store_true", help="build the bench database even if one matches")
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="print each case's query plan first")
    args = parser.parse_args(argv)

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"GovDesk 报账 bench, {date.today():%Y-%m-%d}, Python {sys.version.split()[0]}, "
        f"{multiprocessing.cpu_count()} CPUs, load average {load}"
    )
    for target in targets(args):
        prepare(target, args.size, args.rebuild, args.seed, args.claims)
        figures = claim_figures(target, args.warmups, args.repetitions, args.explain)
        print_table(
            f"== {target.label}: {args.claims:,} claims ({args.size:,} documents); "
            f"median of {args.repetitions} after {args.warmups} warm-ups ==",
            figures,
            driver_name(target.backend),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
