"""Database figures: what the list pages and the document-number sequence cost through GovDesk, beside
the bare DB-API driver doing the same work in the same run.

    python -m bench.db                                   # SQLite and PostgreSQL: 100,000 documents, 100,000 claims
    python -m bench.db --sqlite bench/out/x.sqlite3      # only SQLite, at that path
    python -m bench.db --postgresql postgresql://postgres@127.0.0.1:5432/test
    python -m bench.db --mysql mysql://root@127.0.0.1:3306/test
    python -m bench.db --database URL                    # an existing database (built there if empty)

--postgresql and --mysql name a server through a database the bench may connect to; the bench
drops and recreates a database called govdesk_bench on that server. A built database is kept and
reused while its schema and row counts match (--rebuild forces a new one).

How each figure is taken: the GovDesk side calls the service exactly as the UI does (a unit of work
per call, the service function, its result objects). While it runs once, every statement it sends is
captured; the raw side then sends those same statements, with the same parameters, through the bare
driver (sqlite3 / psycopg / pymysql) on one open connection and fetches all rows. The ratio is
therefore the cost of the ORM and the service code, not of a different query. Each side runs a few
warm-ups, then N alternating repetitions timed with time.perf_counter; the figure is the median.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from app.bootstrap import AppContext, bootstrap
from app.core.roles import Role
from app.db.engine import make_engine, normalize_url
from app.db.migrate import check_schema
from app.models import Sequence as SequenceRow
from app.models import Unit, User, UserRole, WorkflowInstance
from app.services.admin.auth import actor_of
from app.services.kernel.actor import Actor
from app.services.kernel.sequences import next_number
from bench.generate import DEFAULT_CLAIMS, build_bench_database

OUT_DIR = Path(__file__).resolve().parent / "out"
BENCH_DATABASE = "govdesk_bench"
DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/test"
SEQUENCE_KEY = "bench"
SEQUENCE_YEAR = 2026


# ----- the databases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    label: str
    url: URL
    # The server database to connect through when dropping and creating the bench database.
    admin_url: URL | None = None

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()


def _expected_counts(size: int, claims: int) -> dict[str, int]:
    return {"document": size, "claim": claims}


def is_cached(url: URL, size: int, claims: int = DEFAULT_CLAIMS) -> bool:
    """True when the database exists, has the current schema and the rows a build of ``size`` documents
    and ``claims`` claims makes."""
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return False
    engine = make_engine(url)
    try:
        if not check_schema(engine).ok:
            return False
        with engine.connect() as conn:
            found = dict(
                conn.execute(
                    select(WorkflowInstance.entity_type, func.count()).group_by(WorkflowInstance.entity_type)
                ).all()
            )
        expected = _expected_counts(size, claims)
        return {k: found.get(k, 0) for k in expected} == expected
    except DBAPIError:
        return False
    finally:
        engine.dispose()


def _server_database_exists(admin: Engine, name: str) -> bool:
    with admin.connect() as conn:
        if admin.dialect.name == "postgresql":
            found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        else:
            found = conn.execute(text("SHOW DATABASES LIKE :n"), {"n": name}).first()
    return found is not None


def _recreate_server_database(admin_url: URL, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if admin.dialect.name == "postgresql":
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
                conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    finally:
        admin.dispose()


def prepare(target: Target, size: int, rebuild: bool, seed: int, claims: int = DEFAULT_CLAIMS) -> None:
    """Builds the bench database unless a matching one is already there."""
    if not rebuild and is_cached(target.url, size, claims):
        print(f"[{target.label}] reusing the existing bench database ({size:,} documents, {claims:,} claims)")
        return
    print(f"[{target.label}] building a bench database with {size:,} documents and {claims:,} claims …")
    if target.backend == "sqlite":
        path = Path(target.url.database or "")
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
    elif target.admin_url is not None:
        _recreate_server_database(target.admin_url, target.url.database or BENCH_DATABASE)
    else:
        engine = make_engine(target.url)
        try:
            state = check_schema(engine).state
        finally:
            engine.dispose()
        if state != "empty":
            raise SystemExit(
                f"{target.label}: the database holds other data or another size; give an empty database, "
                "or use --sqlite / --postgresql / --mysql, whose bench database this script may recreate"
            )
    build_bench_database(
        target.url.render_as_string(hide_password=False),
        size,
        seed,
        claims=claims,
        log=lambda line: print(f"[{target.label}] {line}"),
    )


# ----- the bare drivers ---------------------------------------------------------------------------


def driver_name(backend: str) -> str:
    return {"sqlite": "sqlite3", "postgresql": "psycopg"}.get(backend, "pymysql")


class RawDriver:
    """One open DB-API connection of the same driver GovDesk uses, with the same session settings."""

    def __init__(self, url: URL) -> None:
        backend = url.get_backend_name()
        self.backend = backend
        self.conn: Any
        if backend == "sqlite":
            import sqlite3

            self.conn = sqlite3.connect(url.database or ":memory:")
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=15000", "synchronous=NORMAL"):
                self.conn.execute(f"PRAGMA {pragma}")
        elif backend == "postgresql":
            import psycopg

            self.conn = psycopg.connect(
                host=url.host, port=url.port, user=url.username, password=url.password, dbname=url.database
            )
        else:
            import pymysql

            self.conn = pymysql.connect(
                host=url.host or "127.0.0.1",
                port=url.port or 3306,
                user=url.username or "root",
                password=url.password or "",
                database=url.database,
                charset="utf8mb4",
            )
            with self.conn.cursor() as cur:
                cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
            self.conn.commit()

    @property
    def name(self) -> str:
        return driver_name(self.backend)

    def replay(self, statements: Sequence[tuple[str, Any]]) -> list[list[Any]]:
        """Sends the statements in order, fetching every row, and ends the transaction as GovDesk does."""
        results: list[list[Any]] = []
        cur = self.conn.cursor()
        try:
            for statement, parameters in statements:
                cur.execute(statement, parameters)
                results.append(list(cur.fetchall()))
        finally:
            cur.close()
        self.conn.rollback()
        return results

    def close(self) -> None:
        self.conn.close()


def capture(engine: Engine, work: Callable[[], Any]) -> list[tuple[str, Any]]:
    """The statements (with parameters) that ``work`` sends through ``engine``."""
    sent: list[tuple[str, Any]] = []

    def listener(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return sent


# ----- timing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    name: str
    govdesk_ms: float
    raw_ms: float | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.govdesk_ms / self.raw_ms if self.raw_ms else None


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_pair(
    govdesk: Callable[[], Any], raw: Callable[[], Any], warmups: int, repetitions: int
) -> tuple[float, float]:
    for _ in range(warmups):
        govdesk()
        raw()
    g: list[float] = []
    r: list[float] = []
    # Alternating keeps slow drift (a checkpoint, another process) from landing on one side only.
    for _ in range(repetitions):
        started = time.perf_counter()
        govdesk()
        g.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw()
        r.append(time.perf_counter() - started)
    return _ms(g), _ms(r)


def actor_with(ctx: AppContext, role: Role, unit: str | None = None) -> Actor:
    with ctx.uow() as uow:
        query = select(User).where(User.role_links.any(UserRole.role_code == role.value))
        if unit is not None:
            query = query.join(Unit, Unit.id == User.unit_id).where(Unit.name == unit)
        user = uow.session.execute(query.order_by(User.id).limit(1)).scalar_one()
        return actor_of(user)


def list_figures(target: Target, warmups: int, repetitions: int) -> list[Figure]:
    from app.services.workflow import todo as todo_service
    from app.services.workflow import worklist

    ctx = bootstrap(target.url)
    raw = RawDriver(target.url)
    try:
        director = actor_with(ctx, Role.DIRECTOR)
        clerk = actor_with(ctx, Role.SECRETARY, "秘书股")

        def page(**filters: Any) -> Callable[[], Any]:
            def call() -> Any:
                with ctx.uow() as uow:
                    return worklist.list_instances(uow, director, offset=0, limit=50, **filters)

            return call

        def todo_call() -> Any:
            with ctx.uow() as uow:
                return todo_service.todo(uow, clerk, today=date.today())

        def documents_page(**filters: Any) -> Callable[[], Any]:
            from app.services.documents import records as documents

            def call() -> Any:
                with ctx.uow() as uow:
                    return documents.list_documents(uow, director, offset=0, limit=50, **filters)

            return call

        cases: list[tuple[str, Callable[[], Any]]] = [
            ("公文 list: first page, newest first, 50 rows + total", documents_page()),
            ("公文 list: filter 收文 at 承办", documents_page(direction="in", state="handle")),
            ("公文 list: search '安全' (title, 文号, 来文单位, opinions)", documents_page(search="安全")),
            ("list page: open, by due date, 50 rows + total", page()),
            ("filtered page: incoming_document / handle", page(flow_key="incoming_document", state="handle")),
            ("title search LIKE '%安全%'", page(search="安全")),
            ("工作台 to-do list (secretary, ≤500 rows)", todo_call),
        ]
        return measure(ctx, raw, cases, warmups, repetitions)
    finally:
        raw.close()
        ctx.dispose()


def measure(
    ctx: AppContext, raw: RawDriver, cases: Sequence[tuple[str, Callable[[], Any]]], warmups: int, repetitions: int
) -> list[Figure]:
    """Each case through GovDesk and, with the statements it sent, through the bare driver; checks that
    both got the same rows before timing them."""
    figures: list[Figure] = []
    for name, call in cases:
        statements = capture(ctx.engine, call)
        result = call()
        replayed = raw.replay(statements)
        note = f"{len(statements)} statements"
        if hasattr(result, "total") and hasattr(result, "rows"):
            # The total comes from a count statement of its own, or (a 公文 search on SQLite and MariaDB)
            # from the page's window count, its last column.
            pairs = [(sql.lstrip().upper(), rows) for (sql, _), rows in zip(statements, replayed, strict=True)]
            counts = [rows for sql, rows in pairs if sql.startswith("SELECT COUNT(") and len(rows) == 1]
            # The page is the widest rowset with the most rows: the acting user's own check (app.services.kernel.access,
            # one row per role, run when the last one is older than its few seconds) may come first.
            page_sql, main = max(
                ((sql, rows) for sql, rows in pairs if rows and len(rows[0]) > 3), key=lambda pair: len(pair[1]),
                default=("", []),
            )
            raw_total = int(counts[-1][0][0]) if counts else int(main[0][-1]) if "OVER ()" in page_sql else -1
            if raw_total != result.total or len(main) != len(result.rows):
                raise RuntimeError(
                    f"{name}: GovDesk and the raw driver disagree ({result.total} vs {raw_total} in all, "
                    f"{len(result.rows)} vs {len(main)} rows)"
                )
            note += f"; {len(result.rows)} rows of {result.total:,}"
        elif hasattr(result, "items"):
            # The 工作台's to-dos: the most urgent items, and (from its count statements) how many there are.
            note += f"; {len(result.items)} items" + (f" of {result.total:,}" if hasattr(result, "total") else "")
        elif isinstance(result, list):
            # A report: its rows are the last statement's.
            if len(replayed[-1]) != len(result):
                raise RuntimeError(f"{name}: GovDesk and the raw driver disagree ({len(result)} vs {len(replayed[-1])})")
            note += f"; {len(result)} rows"
        govdesk_ms, raw_ms = time_pair(call, functools.partial(raw.replay, statements), warmups, repetitions)
        figures.append(Figure(name, govdesk_ms, raw_ms, note))
    return figures


# ----- the sequence under concurrent clients ------------------------------------------------------


@dataclass(frozen=True)
class SequenceRun:
    numbers_per_second: float
    p50_ms: float
    p95_ms: float


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _sequence_worker(mode: str, url: str, draws: int, barrier: Any, results: Any) -> None:
    """One client: warm up on another key, wait for the others, then draw ``draws`` numbers."""
    draw: Callable[[str], int]
    if mode == "govdesk":
        ctx = bootstrap(url)

        def draw(key: str) -> int:
            with ctx.uow() as uow:
                number = next_number(uow, key, SEQUENCE_YEAR)
                uow.commit()
                return number
    else:
        driver = RawDriver(normalize_url(url))
        conn = driver.conn
        cur = conn.cursor()

        def draw(key: str) -> int:
            cur.execute(
                "UPDATE sequences SET last_value = last_value + 1 WHERE key = %s AND year = %s"
                if driver.backend == "postgresql"
                else "UPDATE sequences SET last_value = last_value + 1 WHERE `key` = %s AND year = %s",
                (key, SEQUENCE_YEAR),
            )
            cur.execute(
                "SELECT last_value FROM sequences WHERE key = %s AND year = %s"
                if driver.backend == "postgresql"
                else "SELECT last_value FROM sequences WHERE `key` = %s AND year = %s",
                (key, SEQUENCE_YEAR),
            )
            number = int(cur.fetchone()[0])
            conn.commit()
            return number

    for _ in range(3):
        draw(SEQUENCE_KEY + "_warm")
    barrier.wait()
    drawn: list[tuple[int, float]] = []
    started = time.perf_counter()
    for _ in range(draws):
        t0 = time.perf_counter()
        number = draw(SEQUENCE_KEY)
        drawn.append((number, time.perf_counter() - t0))
    results.put((started, time.perf_counter(), drawn))


def _reset_sequence(url: URL) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for key in (SEQUENCE_KEY, SEQUENCE_KEY + "_warm"):
                found = conn.execute(
                    update(SequenceRow)
                    .where(SequenceRow.key == key, SequenceRow.year == SEQUENCE_YEAR)
                    .values(last_value=0)
                ).rowcount
                if not found:
                    conn.execute(insert(SequenceRow).values(key=key, year=SEQUENCE_YEAR, last_value=0))
    finally:
        engine.dispose()


def sequence_run(url: URL, mode: str, clients: int, draws: int) -> SequenceRun:
    _reset_sequence(url)
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(clients)
    results = spawn.Queue()
    workers = [
        spawn.Process(
            target=_sequence_worker,
            args=(mode, url.render_as_string(hide_password=False), draws, barrier, results),
        )
        for _ in range(clients)
    ]
    for worker in workers:
        worker.start()
    # perf_counter is CLOCK_MONOTONIC on Linux: one clock for every process, so spans compare.
    outcomes = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join()
    numbers = sorted(n for _, _, drawn in outcomes for n, _ in drawn)
    if numbers != list(range(1, clients * draws + 1)):
        raise RuntimeError(f"{mode}: the numbers are not {clients * draws} distinct consecutive ones")
    latencies = [lat * 1000 for _, _, drawn in outcomes for _, lat in drawn]
    span = max(end for _, end, _ in outcomes) - min(start for start, _, _ in outcomes)
    return SequenceRun(len(numbers) / span, _percentile(latencies, 0.5), _percentile(latencies, 0.95))


def sequence_figures(target: Target, clients: int, draws: int, rounds: int) -> list[Figure]:
    govdesk: list[SequenceRun] = []
    raw: list[SequenceRun] = []
    # Alternating rounds, so a burst of other load on the machine hits both sides alike.
    for _ in range(rounds):
        govdesk.append(sequence_run(target.url, "govdesk", clients, draws))
        raw.append(sequence_run(target.url, "raw", clients, draws))

    def spread(runs: list[SequenceRun]) -> str:
        rates = sorted(r.numbers_per_second for r in runs)
        return f"{rates[0]:,.0f}–{rates[-1]:,.0f}"

    g_rate = statistics.median(r.numbers_per_second for r in govdesk)
    r_rate = statistics.median(r.numbers_per_second for r in raw)
    label = f"sequence, {clients} clients × {draws} draws"
    return [
        Figure(
            f"{label}: p50 ms per draw",
            statistics.median(r.p50_ms for r in govdesk),
            statistics.median(r.p50_ms for r in raw),
            f"median of {rounds} rounds; each round {clients * draws} distinct consecutive numbers",
        ),
        Figure(
            f"{label}: p95 ms per draw",
            statistics.median(r.p95_ms for r in govdesk),
            statistics.median(r.p95_ms for r in raw),
        ),
        # Shown as ms per number (1000 / throughput) so the ratio reads like the others.
        Figure(
            f"{label}: ms per number overall",
            1000 / g_rate,
            1000 / r_rate,
            f"{g_rate:,.0f} vs {r_rate:,.0f} numbers/s (rounds: {spread(govdesk)} vs {spread(raw)})",
        ),
    ]


# ----- output -------------------------------------------------------------------------------------


def print_table(title: str, figures: Sequence[Figure], raw_name: str) -> None:
    width = max(len(f.name) for f in figures) + 2
    print()
    print(title)
    print(f"{'figure'.ljust(width)}{'GovDesk ms':>12}{(raw_name + ' ms'):>14}{'ratio':>8}  note")
    for f in figures:
        raw = f"{f.raw_ms:.2f}" if f.raw_ms is not None else "—"
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        print(f"{f.name.ljust(width)}{f.govdesk_ms:>12.2f}{raw:>14}{ratio:>8}  {f.note}")


def targets(args: argparse.Namespace) -> list[Target]:
    """The databases named by --database / --sqlite / --postgresql / --mysql, else SQLite and PostgreSQL."""
    targets: list[Target] = []
    if args.database:
        url = normalize_url(args.database)
        targets.append(Target(f"{url.get_backend_name()} (given)", url))
    if args.sqlite:
        targets.append(Target("SQLite", normalize_url(f"sqlite:///{Path(args.sqlite).resolve()}")))
    for label, admin in (("PostgreSQL", args.postgresql), ("MariaDB", args.mysql)):
        if admin:
            admin_url = normalize_url(admin)
            targets.append(Target(label, admin_url.set(database=BENCH_DATABASE), admin_url))
    if not targets:
        path = OUT_DIR / f"bench-{args.size}.sqlite3"
        targets.append(Target("SQLite", normalize_url(f"sqlite:///{path}")))
        admin_url = normalize_url(DEFAULT_POSTGRESQL)
        targets.append(Target("PostgreSQL", admin_url.set(database=BENCH_DATABASE), admin_url))
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.db", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="an existing database URL (built there if empty)")
    parser.add_argument("--sqlite", help="SQLite bench file (default bench/out/bench-SIZE.sqlite3)")
    parser.add_argument("--postgresql", help=f"PostgreSQL server URL; {BENCH_DATABASE} is recreated there")
    parser.add_argument("--mysql", help=f"MariaDB/MySQL server URL; {BENCH_DATABASE} is recreated there")
    parser.add_argument("--size", type=int, default=100_000, help="documents in the bench database")
    parser.add_argument("--claims", type=int, default=DEFAULT_CLAIMS, help="claims in the bench database")
    parser.add_argument("--rebuild", action="store_true", help="build the bench database even if one matches")
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--draws", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5, help="sequence runs per side")
    parser.add_argument("--no-sequence", action="store_true", help="skip the concurrent sequence figures")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    # The load average says whether something else was running: on a 2-core machine it shows.
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"GovDesk bench, {date.today():%Y-%m-%d}, Python {sys.version.split()[0]}, "
        f"{multiprocessing.cpu_count()} CPUs, load average {load}"
    )
    for target in targets(args):
        prepare(target, args.size, args.rebuild, args.seed, args.claims)
        figures = list_figures(target, args.warmups, args.repetitions)
        if target.backend != "sqlite" and not args.no_sequence:
            figures += sequence_figures(target, args.clients, args.draws, args.rounds)
        print_table(
            f"== {target.label}: {args.size:,} documents, {args.claims:,} claims; "
            f"median of {args.repetitions} after {args.warmups} warm-ups ==",
            figures,
            driver_name(target.backend),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
