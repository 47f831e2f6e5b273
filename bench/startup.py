"""Start-up time and peak memory of the real program, `govdesk --database URL` (the installed console
script, app.cli.main), from process start to its main window with the 工作台 filled, on the 100k-document
database, beside a bare PySide6 + SQLAlchemy window measured in the same run.

    python -m bench.startup [--database URL] [--runs 7]

Each run is a fresh process (so imports count, as they do for a user). A person at the keyboard is
played by bench/startup_user/sitecustomize.py, which answers the program's own login dialog; the time a
person takes to type (while the dialog preloads the main window and the ORM) is left out: the figure is
the time to the login dialog plus the time from 登录 to the filled 工作台.
Target: GovDesk at most 1.5× the baseline in both time and peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DB = Path(__file__).with_name("out") / "bench-100000.sqlite3"


def _check_and_pick_user(url: str, user: str) -> str:
    """Outside the timing: the database must have this program's schema (else the child's schema check
    would stop at a question box), and the user is the first demo secretary unless one is given: their
    工作台 is the fullest. A real user types their name."""
    from sqlalchemy import select

    from app.bootstrap import bootstrap
    from app.db.migrate import check_schema, upgrade
    from app.models import User, UserRole

    ctx = bootstrap(url)
    try:
        status = check_schema(ctx.engine)
        if status.state == "too_old":
            # A bench database left behind by a newer migration is upgraded, as `govdesk db upgrade` would.
            print(f"{status.message()}：正在升级", file=sys.stderr)
            upgrade(ctx.engine)
            status = check_schema(ctx.engine)
        if not status.ok:
            raise SystemExit(f"{status.message()}：请用 python -m bench.generate 重新生成 100k 数据库")
        if user:
            return user
        with ctx.uow() as uow:
            return str(
                uow.session.execute(
                    select(User.username)
                    .join(UserRole, UserRole.user_id == User.id)
                    .where(UserRole.role_code == "secretary")
                    .order_by(User.id)
                    .limit(1)
                ).scalar_one()
            )
    finally:
        ctx.dispose()


def child_baseline(url: str) -> None:
    """What any PySide6 + SQLAlchemy desktop program pays: Qt, a window, a table, one page of rows."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
    from sqlalchemy import create_engine, text

    app = QApplication([])
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT title, state, due_date FROM workflow_instances WHERE closed = 0 ORDER BY due_date LIMIT 50")
        ).all()
    window = QMainWindow()
    table = QTableWidget(len(rows), 3)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    QTimer.singleShot(0, lambda: (print(f"ROWS {len(rows)}", flush=True), app.quit()))
    app.exec()


def child_env(bytecode_cache: str) -> dict[str, str]:
    """Both children run with their bytecode cached, as an installed program does (pip writes .pyc files
    at install, the PyInstaller bundle holds them). Without this, a shell with PYTHONDONTWRITEBYTECODE
    set makes every GovDesk start compile its own ~65 modules from source (about 0.03 s here), while
    the baseline's libraries already have their .pyc files in site-packages. The cache is a fresh
    directory outside the working tree that the warm-up runs fill, the same for both sides."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = bytecode_cache
    # The stand-in user's folder, for both sides alike; settings and the log in a throwaway place.
    env["PYTHONPATH"] = str(USER_DIR)
    scratch = Path(bytecode_cache) / "home"
    env["XDG_CONFIG_HOME"] = str(scratch / "config")
    env["GOVDESK_CONFIG_DIR"] = str(scratch / "govdesk-config")
    env["GOVDESK_LOG_DIR"] = str(scratch / "logs")
    return env


USER_DIR = Path(__file__).with_name("startup_user")


def govdesk_command() -> list[str]:
    """The console script that `pip install` made beside this interpreter; app.cli.main, as it calls it,
    where there is none (a checkout run without installing)."""
    script = Path(sys.executable).with_name("govdesk.exe" if os.name == "nt" else "govdesk")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def measure_with_peak(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(time to the window, time to the login dialog, peak memory in MB) of one fresh process. For the
    program, the time to the window leaves out the typing: to the dialog, plus 登录 → the filled 工作台."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdout is not None
    seen: dict[str, float] = {}
    line = ""
    for line in process.stdout:
        seen[line.split()[0]] = time.perf_counter() - started
        if line.startswith(("ROWS", "LOGIN FAILED", "NO ROWS")):
            break
    process.stdout.read()
    _pid, _status, usage = os.wait4(process.pid, 0)
    if not line.startswith("ROWS"):
        raise SystemExit(f"child failed ({line.strip() or 'no output'}): {' '.join(argv)}")
    if "DIALOG" in seen:
        return seen["DIALOG"] + seen["ROWS"] - seen["LOGIN"], seen["DIALOG"], usage.ru_maxrss / 1024
    return seen["ROWS"], seen["ROWS"], usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"sqlite:///{DEFAULT_DB}")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--user", default="", help="a demo user; by default the first secretary")
    parser.add_argument("--password", default="govdesk123")
    parser.add_argument("--child", choices=["baseline"])
    args = parser.parse_args(argv)
    if args.child == "baseline":
        child_baseline(args.database)
        return 0
    if args.database.startswith("sqlite:///") and not Path(args.database.removeprefix("sqlite:///")).exists():
        raise SystemExit("没有找到 100k 数据库：先运行 python -m bench.generate")
    user = _check_and_pick_user(args.database, args.user)
    govdesk = [*govdesk_command(), "--database", args.database]
    baseline = [sys.executable, "-m", "bench.startup", "--database", args.database, "--child", "baseline"]
    results: dict[str, list[tuple[float, float, float]]] = {"govdesk": [], "baseline": []}
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-pyc-") as bytecode_cache:
        base_env = child_env(bytecode_cache)
        gov_env = dict(base_env, GOVDESK_BENCH_LOGIN=f"{user}:{args.password}")
        # Warm-ups: fill the bytecode cache and the OS file cache, for both.
        for _ in range(2):
            measure_with_peak(baseline, base_env)
            measure_with_peak(govdesk, gov_env)
        for _ in range(args.runs):
            # Interleaved so that machine noise hits both alike.
            results["baseline"].append(measure_with_peak(baseline, base_env))
            results["govdesk"].append(measure_with_peak(govdesk, gov_env))
    base_t, _, base_m = (statistics.median(r[i] for r in results["baseline"]) for i in range(3))
    gov_t, gov_dialog, gov_m = (statistics.median(r[i] for r in results["govdesk"]) for i in range(3))
    print(f"database: {args.database}   runs: {args.runs} (median)   program: {' '.join(govdesk_command())}")
    print(f"{'':30}{'GovDesk':>10}{'baseline':>10}{'ratio':>8}")
    print(f"{'start → window (s)':30}{gov_t:10.2f}{base_t:10.2f}{gov_t / base_t:8.2f}")
    print(f"{'  of which to the login (s)':30}{gov_dialog:10.2f}")
    print(f"{'peak memory (MB)':30}{gov_m:10.1f}{base_m:10.1f}{gov_m / base_m:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
