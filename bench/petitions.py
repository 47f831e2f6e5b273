"""信访 figures at 100,000 cases: the 信访 list's first pages, a search, and the repeat check of a new registration,
through GovDesk beside the bare DB-API driver sending the same statements in the same run; p50 and p95.

    python -m bench.petitions                                   # SQLite, and the servers GOVDESK_TEST_DATABASES names
    python -m bench.petitions --sqlite bench/out/pet.sqlite3 \\
        --postgresql postgresql://postgres@127.0.0.1:5432/test --mysql mysql://root@127.0.0.1:3306/test
    python -m bench.petitions --cases 5000 --explain

The databases are bench.db's (bench.db.prepare): a SQLite file under bench/out/, and a bench database
(govdesk_bench unless --bench-database says otherwise) dropped and recreated on each server named. They hold the
demo office (and --size documents and --claims claims, none unless asked), and then --cases 信访件 written by
bench.petitions_data; a database whose counts match is reused.

Each figure is one service call made as the UI makes it: a unit of work, the service function, its result objects.
The raw side replays the statements the call sent, with the same parameters, through sqlite3 / psycopg / pymysql
on one open connection. A list read unmasked by someone who handles petitions writes its audit row (the chain's
next entry) and commits: the raw side replays the reads only, so that case's ratio includes the audit write.
Both sides run the warm-ups, then alternating timed repetitions; p50 and p95 of each. The cases:
- the 信访 list (listing.list_petitions, first page of 50 with its total, the latest received first) as a
  信访接待员: 全部信访件, 全部在办, 我的在办, 临期逾期 (soonest due first); 全部信访件 as the 县长 (masked, no audit);
  the cases of one unit as its 联络员 (住建局, the busiest);
- searches: '两证' (编号, 姓名, 诉求, 类别, 属地), and an ID number (the handler's search);
- repeats.check_repeats of a registration before saving, as a 信访接待员: a new petitioner with a 商品房两证办理 request
  in 城关镇 (the hottest category and place: the wording is compared with the latest 3,000 of each), and a
  returning petitioner (the same ID number) with the request retold;
- repeats.petitioner_history of that returning petitioner;
- the 工作台 (app.services.workflow.todo.todo) of that 信访接待员, and of that unit's 联络员 (its unreported tasks).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.bootstrap import AppContext, bootstrap
from app.core.roles import Role
from app.db.engine import make_engine, normalize_url
from app.models import User, WorkflowInstance
from app.models.petitions import Petition
from app.services.admin.auth import actor_of
from app.services.kernel.actor import Actor
from bench.db import OUT_DIR, RawDriver, Target, actor_with, capture, driver_name, prepare
from bench.petitions_data import DEFAULT_CASES, add_petitions, petition_count

PAGE = 50
SEARCH = "两证"


@dataclass(frozen=True)
class Timing:
    name: str
    govdesk: tuple[float, float]
    raw: tuple[float, float] | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.govdesk[0] / self.raw[0] if self.raw and self.raw[0] else None


def _p(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def _pair(samples: Sequence[float]) -> tuple[float, float]:
    return statistics.median(samples) * 1000, _p(samples, 0.95)


# ----- the database -------------------------------------------------------------------------------------------


def _count(target: Target) -> int:
    engine = make_engine(target.url)
    try:
        with engine.connect() as conn:
            return petition_count(conn)
    except Exception:  # noqa: BLE001 - a database without the schema holds no cases
        return -1
    finally:
        engine.dispose()


def prepare_petitions(target: Target, args: argparse.Namespace) -> None:
    """The bench database with the office (and --size documents, --claims claims) and --cases cases."""
    prepare(target, args.size, args.rebuild, args.seed, args.claims)
    found = _count(target)
    if found == args.cases and not args.rebuild:
        print(f"[{target.label}] reusing its {found:,} 信访件")
        return
    if found:
        prepare(target, args.size, True, args.seed, args.claims)
    print(f"[{target.label}] adding {args.cases:,} 信访件 …")
    add_petitions(target.url.render_as_string(hide_password=False), args.cases, args.seed,
                  log=lambda line: print(f"[{target.label}] {line}"))


# ----- the cases ----------------------------------------------------------------------------------------------


def _user(ctx: AppContext, user_id: int) -> Actor:
    with ctx.uow() as uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        return actor_of(user)


def _busiest_unit(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        return int(uow.session.execute(
            select(Petition.handling_unit_id).where(Petition.handling_unit_id.is_not(None))
            .group_by(Petition.handling_unit_id).order_by(func.count().desc(), Petition.handling_unit_id).limit(1)
        ).scalar_one())


def _liaison_of(ctx: AppContext, unit_id: int) -> Actor | None:
    from app.models import UserRole

    with ctx.uow() as uow:
        user_id = uow.session.execute(
            select(User.id).join(UserRole, UserRole.user_id == User.id)
            .where(User.unit_id == unit_id, UserRole.role_code == Role.LIAISON.value).order_by(User.id).limit(1)
        ).scalar_one_or_none()
    return None if user_id is None else _user(ctx, user_id)


def _returning(ctx: AppContext) -> Any:
    """The petitioner with the most cases under one ID number: their latest case."""
    with ctx.uow() as uow:
        id_number = uow.session.execute(
            select(Petition.id_number).where(Petition.id_number != "").group_by(Petition.id_number)
            .order_by(func.count().desc(), Petition.id_number).limit(1)
        ).scalar_one()
        return uow.session.execute(
            select(Petition.id, Petition.name, Petition.id_number, Petition.phone, Petition.address, Petition.category,
                   Petition.place, Petition.request)
            .where(Petition.id_number == id_number).order_by(Petition.id.desc()).limit(1)
        ).one()


def petition_cases(ctx: AppContext, today: date) -> tuple[list[tuple[str, Callable[[], Any]]], dict[str, Any]]:
    from app.demo import petitions_material as material
    from app.services.petitions import listing, records, repeats
    from app.services.petitions.listing import PetitionFilter
    from app.services.workflow import todo

    officer = actor_with(ctx, Role.PETITION_OFFICER)
    with ctx.uow() as uow:
        busiest = uow.session.execute(
            select(WorkflowInstance.responsible_id).where(WorkflowInstance.entity_type == "petition",
                                                          WorkflowInstance.closed.is_(False))
            .group_by(WorkflowInstance.responsible_id).order_by(func.count().desc()).limit(1)
        ).scalar_one()
    officer = _user(ctx, busiest) if busiest is not None else officer
    mayor = actor_with(ctx, Role.COUNTY_LEADER)
    unit_id = _busiest_unit(ctx)
    liaison = _liaison_of(ctx, unit_id)
    back = _returning(ctx)

    def page(actor: Actor, **filters: Any) -> Callable[[], Any]:
        def call() -> Any:
            with ctx.uow() as uow:
                return listing.list_petitions(uow, actor, PetitionFilter(**filters), offset=0, limit=PAGE,
                                              today=today)

        return call

    new_input = records.PetitionInput(
        channel="来访", received_on=today, name="赵新民", id_number=material.id_number_for(random.Random(3), today),
        phone="13907251234", address="城关镇幸福小区5栋301", category="商品房两证办理", place="城关镇",
        request="反映城关镇御景湾商品房交房三年仍未办理不动产权证书，要求开发商尽快协助办证",
    )
    again_input = records.PetitionInput(
        channel="来信", received_on=today, name=back.name, id_number=back.id_number, phone=back.phone,
        address=back.address, category=back.category, place=back.place,
        request=f"再次反映{back.request.removeprefix('反映')}，至今没有解决",
    )

    def check(data: records.PetitionInput) -> Callable[[], Any]:
        def call() -> Any:
            with ctx.uow() as uow:
                return repeats.check_repeats(uow, officer, data, today=today)

        return call

    def todo_of(actor: Actor) -> Callable[[], Any]:
        def call() -> Any:
            with ctx.uow() as uow:
                return todo.todo(uow, actor, today=today)

        return call

    def history() -> Any:
        with ctx.uow() as uow:
            return repeats.petitioner_history(uow, mayor, back.id)

    cases: list[tuple[str, Callable[[], Any]]] = [
        (f"全部信访件, first {PAGE} + total (信访接待员, audited)", page(officer, box="all")),
        (f"全部信访件, first {PAGE} + total (县长, masked)", page(mayor, box="all")),
        ("全部在办 (信访接待员)", page(officer, box="open")),
        ("我的在办 (信访接待员)", page(officer, box="mine")),
        ("临期逾期, soonest due first (信访接待员)", page(officer, box="due")),
        (f"search '{SEARCH}' (编号, 姓名, 诉求, 类别, 属地)", page(officer, box="all", search=SEARCH)),
        ("search an ID number (信访接待员)", page(officer, box="all", search=back.id_number)),
    ]
    if liaison is not None:
        cases.append(("one unit's cases as its 联络员 (masked)", page(liaison, box="all")))
    cases += [
        ("check_repeats: new petitioner, 商品房两证办理 in 城关镇", check(new_input)),
        ("check_repeats: returning petitioner, request retold", check(again_input)),
        ("petitioner_history of that petitioner (县长)", history),
        ("工作台 to-do: that 信访接待员", todo_of(officer)),
    ]
    if liaison is not None:
        cases.append(("工作台 to-do: that unit's 联络员", todo_of(liaison)))
    return cases, {"officer": officer.full_name, "unit_id": unit_id}


def _reads(statements: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(sql, params) for sql, params in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def _note(result: Any, statements: Sequence[tuple[str, Any]], reads: Sequence[tuple[str, Any]]) -> str:
    note = f"{len(statements)} statements" + ("" if len(reads) == len(statements) else f" ({len(reads)} reads)")
    if hasattr(result, "total") and hasattr(result, "rows"):
        note += f"; {len(result.rows)} rows of {result.total:,}"
    elif hasattr(result, "items"):
        note += f"; {len(result.items)} items" + (f" of {result.total:,}" if hasattr(result, "total") else "")
    elif isinstance(result, list):
        note += f"; {len(result)} found"
    return note


def measure_cases(ctx: AppContext, raw: RawDriver, cases: Sequence[tuple[str, Callable[[], Any]]], warmups: int,
                  repetitions: int) -> list[Timing]:
    timings: list[Timing] = []
    for name, call in cases:
        statements = capture(ctx.engine, call)
        result = call()
        reads = _reads(statements)
        replayed = raw.replay(reads)
        if hasattr(result, "total"):
            counts = [rows for (sql, _p), rows in zip(reads, replayed, strict=True)
                      if sql.lstrip().upper().startswith("SELECT COUNT(") and len(rows) == 1]
            if counts and int(counts[-1][0][0]) != result.total:
                raise RuntimeError(f"{name}: GovDesk and the raw driver disagree ({result.total} vs {counts[-1][0][0]})")
        for _ in range(warmups):
            call()
            raw.replay(reads)
        g: list[float] = []
        r: list[float] = []
        for _ in range(repetitions):
            started = time.perf_counter()
            call()
            g.append(time.perf_counter() - started)
            started = time.perf_counter()
            raw.replay(reads)
            r.append(time.perf_counter() - started)
        timings.append(Timing(name, _pair(g), _pair(r), _note(result, statements, reads)))
    return timings


def _explain(target: Target, ctx: AppContext, raw: RawDriver, cases: Sequence[tuple[str, Callable[[], Any]]]) -> None:
    prefix = {"sqlite": "EXPLAIN QUERY PLAN ", "postgresql": "EXPLAIN (ANALYZE, BUFFERS) "}.get(
        target.backend, "ANALYZE "
    )
    for name, call in cases:
        print(f"\n-- {name}")
        for statement, parameters in _reads(capture(ctx.engine, call)):
            if "users.active" in statement or "user_roles" in statement:
                continue
            print(" ".join(statement.split()))
            (rows,) = raw.replay([(prefix + statement, parameters)])
            for row in rows:
                print("   ", " | ".join(str(value) for value in row))


def petition_figures(target: Target, args: argparse.Namespace) -> tuple[list[Timing], dict[str, Any]]:
    ctx = bootstrap(target.url)
    raw = RawDriver(target.url)
    try:
        cases, used = petition_cases(ctx, date.today())
        if args.only:
            cases = [c for c in cases if any(word in c[0] for word in args.only)]
        if args.explain:
            _explain(target, ctx, raw, cases)
        return measure_cases(ctx, raw, cases, args.warmups, args.repetitions), used
    finally:
        raw.close()
        ctx.dispose()


def print_timings(title: str, timings: Sequence[Timing], raw_name: str) -> None:
    width = max(len(t.name) for t in timings) + 2
    print()
    print(title)
    print(f"{'figure'.ljust(width)}{'GovDesk p50':>12}{'p95':>9}{(raw_name + ' p50'):>14}{'p95':>9}{'ratio':>8}  note")
    for t in timings:
        raw_p50 = f"{t.raw[0]:.2f}" if t.raw else "—"
        raw_p95 = f"{t.raw[1]:.2f}" if t.raw else "—"
        ratio = f"{t.ratio:.2f}×" if t.ratio is not None else "—"
        print(f"{t.name.ljust(width)}{t.govdesk[0]:>12.2f}{t.govdesk[1]:>9.2f}{raw_p50:>14}{raw_p95:>9}{ratio:>8}"
              f"  {t.note}")


# ----- the command --------------------------------------------------------------------------------------------


def targets(args: argparse.Namespace) -> list[Target]:
    found: list[Target] = []
    sqlite = args.sqlite or str(OUT_DIR / f"bench-petitions-{args.cases}.sqlite3")
    found.append(Target("SQLite", normalize_url(f"sqlite:///{Path(sqlite).resolve()}")))
    servers = [args.postgresql, args.mysql]
    if not any(servers):
        # The test databases' servers, as the test runs name them.
        for url in os.environ.get("GOVDESK_TEST_DATABASES", "").split():
            servers[0 if url.startswith("postgresql") else 1] = servers[0 if url.startswith("postgresql") else 1] or url
    for label, admin in (("PostgreSQL", servers[0]), ("MariaDB", servers[1])):
        if admin:
            admin_url = normalize_url(admin)
            found.append(Target(label, admin_url.set(database=args.bench_database), admin_url))
    if args.no_sqlite:
        found = found[1:]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.petitions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", help="SQLite bench file (default bench/out/bench-petitions-CASES.sqlite3)")
    parser.add_argument("--no-sqlite", action="store_true", help="only the servers")
    parser.add_argument("--postgresql", help="PostgreSQL server URL; the bench database is recreated there")
    parser.add_argument("--mysql", help="MariaDB/MySQL server URL; the bench database is recreated there")
    parser.add_argument("--bench-database", default="govdesk_bench_petitions", help="the server database to (re)create")
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="信访件 (default 100000)")
    parser.add_argument("--size", type=int, default=0, help="documents beside them (default none)")
    parser.add_argument("--claims", type=int, default=0, help="claims beside them (default none)")
    parser.add_argument("--rebuild", action="store_true", help="build the bench database even if one matches")
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="only the cases whose name holds one of these words")
    parser.add_argument("--explain", action="store_true", help="print each case's query plans first")
    args = parser.parse_args(argv)

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"GovDesk 信访 bench, {date.today():%Y-%m-%d}, Python {sys.version.split()[0]}, "
        f"{multiprocessing.cpu_count()} CPUs, load average {load}"
    )
    for target in targets(args):
        prepare_petitions(target, args)
        timings, used = petition_figures(target, args)
        print_timings(
            f"== {target.label}: {args.cases:,} 信访件; p50 and p95 of {args.repetitions} after {args.warmups} "
            f"warm-ups; 信访接待员 {used['officer']}, unit id {used['unit_id']} ==",
            timings, driver_name(target.backend),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
