"""`govdesk audit verify` on a 103,000-entry audit log: microseconds a row, startup excluded.

    python -m bench.audit_verify                                  # SQLite (bench/out/audit-verify-103000.sqlite3)
    python -m bench.audit_verify --postgresql postgresql://postgres@127.0.0.1:5432/test \\
                                 --mysql mysql://root@127.0.0.1:3306/test
    python -m bench.audit_verify --rows 20000 --repetitions 3
    python -m bench.audit_verify --baseline /tmp/audit-base       # and the app in /tmp/audit-base beside it

The database is built the way the program writes its log: the entries of each unit of work (a login, a
move with its opinion, an edit with its changed fields, a view of unmasked data …) go through
app.services.kernel.audit_chain.write_pending, which reserves their numbers, reads the chain's head and
computes the real hash chain; many units of work are committed together only to save time. The office key
the bench keeps in bench/out/ signs an anchor every 200 entries, as on a PC that has the key, so verify
checks anchors too. --postgresql and --mysql name a server the bench may connect to: it drops and creates
a database called govdesk_bench_audit there (and keeps it for the next run unless --drop). A built
database is reused while its schema is current and it holds exactly --rows entries.

The figure: the installed entry point (the venv's bin/govdesk) is run as a subprocess, `govdesk
--database URL audit verify`, and beside it, alternating in the same run, `govdesk --version`, the same
process doing nothing but start. µs/row = (median verify − median start) / rows, medians of --repetitions
runs after one warm-up of each. The subprocess imports this checkout's app (PYTHONPATH), whatever checkout
the venv was installed from. --baseline DIR times DIR's app as a third command in the same alternation
(e.g. `git archive <commit> app | tar -x -C DIR`, the code before a change), so that both sides meet the
same load. Beside the wall time each figure has the process's CPU time (user + system, from
getrusage): on a busy machine the wall time includes waiting for a core; the database server's own time
is in the wall time only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from app.bootstrap import bootstrap
from app.db import migrate
from app.db.backup import copy_database
from app.db.engine import make_engine, normalize_url
from app.db.migrate import check_schema
from app.db.office_key import ENV_FILE, OfficeKey, key_file_text
from app.db.tables import audit_log
from app.services.kernel.audit_chain import write_pending
from app.services.kernel.uow import PendingAudit

OUT_DIR = Path(__file__).resolve().parent / "out"
BENCH_DATABASE = "govdesk_bench_audit"
DEFAULT_ROWS = 103_000
KEY_FILE = OUT_DIR / "audit-verify-office-key.json"
GOVDESK = Path(sys.executable).with_name("govdesk")
# Units of work committed in one transaction while building: only the build's speed depends on it.
UNITS_PER_COMMIT = 400
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    label: str
    url: URL
    admin_url: URL | None = None

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @property
    def url_text(self) -> str:
        return self.url.render_as_string(hide_password=False)


# ----- the log, as the program writes it ----------------------------------------------------------

PEOPLE = [(2 + i, name) for i, name in enumerate(
    ["zhangwei", "wangfang", "lina", "liuyang", "chenjing", "yangli", "zhaomin", "huangqiang", "zhoujie", "wuxia",
     "xuming", "sunli", "majun", "zhuhong", "hulin", "guoyan"]
)]
TITLES = ["关于做好2026年春季森林防火工作的通知", "县政府办公室关于印发《政务值班工作规范》的通知",
          "关于召开全县安全生产工作会议的通知", "关于报送2025年度政府信息公开工作年度报告的函",
          "县人民政府关于进一步加强城乡环境卫生整治的意见", "关于青山镇道路改造项目资金的请示",
          "关于开展“清廉机关”创建活动的实施方案", "关于调整县防汛抗旱指挥部成员的通知"]
OPINIONS = ["同意，请办公室按程序办理。", "请分管副县长阅示。", "拟同意，呈县长审定。", "已阅。", "请财政局研究提出意见。",
            "按会议纪要精神抓好落实，及时报送进展情况。", "", "请于本周五前反馈意见，逾期视为无意见。"]
MOVES = [("submit", "draft", "review"), ("approve", "review", "sign"), ("sign", "sign", "numbered"),
         ("return", "review", "draft"), ("archive", "distributed", "archived")]
ENTITIES = ["outgoing_document", "incoming_document", "claim", "petition", "meeting", "supervision_item"]


def unit_of_work(rng: random.Random) -> list[PendingAudit]:
    """The entries one unit of work writes: 1 to 4, with detail JSON like the services' own."""
    user_id, name = rng.choice(PEOPLE)
    kind = rng.random()
    entity = rng.choice(ENTITIES)
    record = rng.randrange(1, 100_000)
    if kind < 0.15:
        return [PendingAudit(user_id, name, "login", "user", user_id)]
    if kind < 0.2:
        return [PendingAudit(user_id, name, "login_failed", "user", user_id, {"reason": "wrong_password"})]
    if kind < 0.6:
        action, before, after = rng.choice(MOVES)
        detail: dict[str, object] = {"instance": record, "action": action, "state": [before, after],
                                     "opinion": rng.choice(OPINIONS)}
        if rng.random() < 0.2:
            detail["send_to"] = rng.choice(PEOPLE)[1]
        entries = [PendingAudit(user_id, name, "transition", entity, record, detail, "update")]
        if rng.random() < 0.3:
            entries.append(PendingAudit(user_id, name, "update", entity, record,
                                        {"due_date": ["2026-03-10", "2026-03-17"], "urgency": ["普通", "急件"]}, "update"))
        return entries
    if kind < 0.8:
        title = rng.choice(TITLES)
        return [PendingAudit(user_id, name, "update", entity, record,
                             {"title": [title, title + "（修改稿）"], "pages": [rng.randrange(1, 9), rng.randrange(1, 9)]},
                             "update")]
    if kind < 0.92:
        return [PendingAudit(user_id, name, "create", entity, record,
                             {"title": rng.choice(TITLES), "number": f"青政办〔2026〕{rng.randrange(1, 300)}号"}, "create")]
    return [PendingAudit(user_id, name, "view_unmasked", "petition", record,
                         {"fields": ["id_card", "phone"], "reason": "核实信访人身份"}),
            PendingAudit(user_id, name, "download", "attachment", rng.randrange(1, 50_000),
                         {"file": "来信扫描件.pdf", "size": rng.randrange(20_000, 4_000_000)})]


def units_of_work(rows: int, seed: int) -> Iterator[list[PendingAudit]]:
    rng = random.Random(seed)
    written = 0
    while written < rows:
        entries = unit_of_work(rng)[: rows - written]
        written += len(entries)
        yield entries


def office_key() -> None:
    """The bench's own office key, so that write_pending anchors the chain as on a PC that has one."""
    if not KEY_FILE.is_file():
        KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        KEY_FILE.write_text(key_file_text(OfficeKey(os.urandom(32))), encoding="utf-8")
    os.environ[ENV_FILE] = str(KEY_FILE)


def build(target: Target, rows: int, seed: int) -> None:
    started = time.perf_counter()
    ctx = bootstrap(target.url_text)
    try:
        migrate.upgrade(ctx.engine)
        units = units_of_work(rows, seed)
        done = 0
        while done < rows:
            with ctx.uow() as uow:
                for _, entries in zip(range(UNITS_PER_COMMIT), units, strict=False):
                    write_pending(uow, entries)
                    done += len(entries)
                uow.commit()
            if done % 20_000 < 600:
                print(f"[{target.label}] {done:,} entries written …", flush=True)
    finally:
        ctx.dispose()
    print(f"[{target.label}] built {rows:,} audit entries in {time.perf_counter() - started:.1f} s")


def entries_in(url: URL) -> int | None:
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return None
    engine = make_engine(url)
    try:
        if not check_schema(engine).ok:
            return None
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())
    except DBAPIError:
        return None
    finally:
        engine.dispose()


def server_database(admin_url: URL, name: str, *, create: bool) -> None:
    """Drops the bench database on the server, and creates it afresh when ``create``."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if admin.dialect.name == "postgresql":
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                if create:
                    conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
                if create:
                    conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    finally:
        admin.dispose()


def prepare(target: Target, rows: int, seed: int, rebuild: bool) -> None:
    if not rebuild and entries_in(target.url) == rows:
        print(f"[{target.label}] reusing the bench database ({rows:,} audit entries)")
        return
    print(f"[{target.label}] building a bench database with {rows:,} audit entries …", flush=True)
    if target.backend == "sqlite":
        path = Path(target.url.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        build(target, rows, seed)
        return
    # A server gets the SQLite file's chain through the program's own copy (govdesk db copy): the entries
    # are the ones write_pending wrote, their times and hashes as they were; building on a server
    # unit of work by unit of work would take ten times as long.
    source = sqlite_target(rows)
    prepare(source, rows, seed, rebuild)
    if target.admin_url is not None:
        server_database(target.admin_url, BENCH_DATABASE, create=True)
    started = time.perf_counter()
    source_engine, target_engine = make_engine(source.url), make_engine(target.url)
    try:
        migrate.upgrade(target_engine)
        report = copy_database(source_engine, target_engine)
    finally:
        source_engine.dispose()
        target_engine.dispose()
    if not report.ok:
        raise SystemExit(f"[{target.label}] the copy does not match its source:\n{report.summary()}")
    print(f"[{target.label}] copied {rows:,} audit entries from {source.label} in {time.perf_counter() - started:.1f} s")


# ----- the timing ---------------------------------------------------------------------------------


def code_env(code: Path) -> dict[str, str]:
    """The entry point is the venv's, and the venv's package may be installed from another checkout: the
    subprocess imports the app of `code`, the code being measured. Its modules' bytecode is cached, as an
    installed program's is (pip writes the .pyc files at install): with PYTHONDONTWRITEBYTECODE set in the
    shell, every run would compile the two dozen modules the command imports (some 0.1 s here). The cache is
    a fresh directory that the warm-up runs fill, one for each side."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(code), os.environ.get("PYTHONPATH", "")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="govdesk-bench-pyc-")
    return env


def timed(argv: list[str], expect_ok: bool, env: dict[str, str]) -> tuple[float, float]:
    """Wall time, and the CPU time (user + system) the process used: on a shared machine the second says
    what the work cost when the first includes waiting for a core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if expect_ok and (done.returncode != 0 or "未发现删除或篡改" not in done.stdout):
        raise SystemExit(f"govdesk audit verify did not pass (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, cpu


def measure(target: Target, rows: int, repetitions: int, baseline: Path | None) -> None:
    """Alternates the runs, so that what else the machine does weighs on each side alike."""
    verify = [str(GOVDESK), "--database", target.url_text, "audit", "verify"]
    commands = [("govdesk audit verify", verify, True, code_env(REPO)),
                ("govdesk --version", [str(GOVDESK), "--version"], False, code_env(REPO))]
    if baseline is not None:
        commands.append((f"verify with {baseline}", verify, True, code_env(baseline)))
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in commands}
    for name, argv, check, env in commands:
        timed(argv, check, env)
    for _ in range(repetitions):
        for name, argv, check, env in commands:
            times[name].append(timed(argv, check, env))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"== {target.label}: {rows:,} entries; median of {repetitions} after 1 warm-up; load average {load} ==")
    medians = {name: (statistics.median(t for t, _ in runs), statistics.median(c for _, c in runs))
               for name, runs in times.items()}
    for name, (wall, cpu) in medians.items():
        runs = ", ".join(f"{t * 1000:.0f}" for t, _ in times[name])
        print(f"  {name:<24}{wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU  (wall: {runs})")
    start_wall, start_cpu = medians["govdesk --version"]
    figures: dict[str, object] = {"target": target.label, "rows": rows, "start_ms": round(start_wall * 1000, 1)}
    for name, key in (("govdesk audit verify", ""), (f"verify with {baseline}", "baseline_")):
        if name not in medians:
            continue
        wall, cpu = medians[name]
        per_row, per_row_cpu = (wall - start_wall) / rows * 1e6, (cpu - start_cpu) / rows * 1e6
        print(f"  {name} − start: {(wall - start_wall) * 1000:.0f} ms wall = {per_row:.2f} µs/row; "
              f"CPU {per_row_cpu:.2f} µs/row (the database server's own time not included)")
        figures |= {f"{key}verify_ms": round(wall * 1000, 1), f"{key}us_per_row": round(per_row, 2),
                    f"{key}cpu_us_per_row": round(per_row_cpu, 2)}
    print(json.dumps(figures))


def sqlite_target(rows: int, path: str | None = None) -> Target:
    where = Path(path) if path else OUT_DIR / f"audit-verify-{rows}.sqlite3"
    return Target("SQLite", normalize_url(f"sqlite:///{where.resolve()}"))


def targets(args: argparse.Namespace) -> list[Target]:
    found: list[Target] = []
    if args.sqlite or not (args.postgresql or args.mysql):
        found.append(sqlite_target(args.rows, args.sqlite))
    for label, admin in (("PostgreSQL", args.postgresql), ("MariaDB", args.mysql)):
        if admin:
            admin_url = normalize_url(admin)
            found.append(Target(label, admin_url.set(database=BENCH_DATABASE), admin_url))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_verify", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", help="SQLite bench file (default bench/out/audit-verify-ROWS.sqlite3); "
                                         "given with a server, SQLite is measured too")
    parser.add_argument("--postgresql", help=f"PostgreSQL server URL; {BENCH_DATABASE} is created there")
    parser.add_argument("--mysql", help=f"MariaDB/MySQL server URL; {BENCH_DATABASE} is created there")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="audit entries (default 103000)")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the database even if one matches")
    parser.add_argument("--drop", action="store_true", help=f"drop {BENCH_DATABASE} on the servers afterwards")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another checkout whose app is timed too, in the same "
                                                       "alternation (e.g. the main branch, before a change)")
    args = parser.parse_args(argv)
    if not GOVDESK.is_file():
        raise SystemExit(f"{GOVDESK} is missing: install the project into this venv (pip install -e .)")
    office_key()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"GovDesk audit verify bench, {date.today():%Y-%m-%d}, Python {sys.version.split()[0]}, "
          f"{multiprocessing.cpu_count()} CPUs, load average {load}")
    for target in targets(args):
        prepare(target, args.rows, args.seed, args.rebuild)
        try:
            measure(target, args.rows, args.repetitions, args.baseline)
        finally:
            if args.drop and target.admin_url is not None:
                server_database(target.admin_url, BENCH_DATABASE, create=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
