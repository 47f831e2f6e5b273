"""Start-up time and peak memory: process start → logged-in main window shown with its 工作台 filled,
on the 100k-document database, beside a bare PySide6 + SQLAlchemy window measured in the same run.

    python -m bench.startup [--database URL] [--runs 7]

Each run is a fresh process (so imports count, as they do for a user). The child logs in through the
services with the demo password; the product itself has no auto-login switch.
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


def child_govdesk(url: str, username: str, password: str) -> None:
    """The product's start with the typing left out: the application and its database (with the
    schema check `govdesk` makes before its login dialog), the login through the services, then the
    main window, until its 工作台 shows what it read from the database. As in the login dialog, the
    password is checked on a worker thread while the GUI thread loads the main window's modules and
    builds the part of it that is the same for every user (LoginDialog's prepare); the window is then
    signed in for the user and shown."""
    from app.bootstrap import load_database_layer, pause_gc_for_start

    # As `govdesk` starts (app.cli): the collector paused, and the database side imported before Qt.
    pause_gc_for_start()
    load_database_layer()
    from concurrent.futures import ThreadPoolExecutor

    from PySide6.QtCore import QSettings

    from app.bootstrap import bootstrap
    from app.services import auth
    from app.services.actor import Actor
    from app.ui.application import create_application, ensure_ready
    from app.ui.login import preload_main_window

    app = create_application()
    ready = ensure_ready(bootstrap(url))
    assert ready is not None, "the bench database is not ready"
    ctx = ready
    # A throwaway file: QSettings saves by writing a new file and renaming it over the old one, which
    # would replace a device such as /dev/null with a plain file.
    from app.ui.prefs import Prefs

    prefs = Prefs(QSettings(str(Path(tempfile.mkdtemp()) / "prefs.ini"), QSettings.Format.IniFormat))

    def log_in() -> Actor:
        with ctx.uow() as uow:
            return auth.login(uow, username, password)

    with ThreadPoolExecutor(max_workers=1) as pool:
        login = pool.submit(log_in)
        preload_main_window()
        from app.ui.main_window import MainWindow

        window = MainWindow(ctx, None, prefs)
        actor = login.result()

    from app.ui.workbench.page import WorkbenchPage

    window.sign_in(actor)
    page = window.current_page
    assert isinstance(page, WorkbenchPage)

    def filled() -> None:
        print(f"ROWS {page.model.rowCount()}", flush=True)
        app.quit()

    page.loaded.connect(filled)
    window.show()
    app.exec()


def _check_and_pick_user(url: str, user: str) -> str:
    """Outside the timing: the database must have this program's schema (else the child's schema check
    would stop at a question box), and the user is the first demo secretary unless one is given: their
    工作台 is the fullest. A real user types their name."""
    from sqlalchemy import select

    from app.bootstrap import bootstrap
    from app.db.migrate import check_schema
    from app.models import User, UserRole

    ctx = bootstrap(url)
    try:
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
    return env


def measure_with_peak(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    _pid, _status, usage = os.wait4(process.pid, 0)
    if not line.startswith("ROWS"):
        raise SystemExit(f"child failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"sqlite:///{DEFAULT_DB}")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--user", default="", help="a demo user; by default the first secretary")
    parser.add_argument("--password", default="govdesk123")
    parser.add_argument("--child", choices=["govdesk", "baseline"])
    args = parser.parse_args(argv)
    if args.child == "govdesk":
        child_govdesk(args.database, args.user, args.password)
        return 0
    if args.child == "baseline":
        child_baseline(args.database)
        return 0
    if args.database.startswith("sqlite:///") and not Path(args.database.removeprefix("sqlite:///")).exists():
        raise SystemExit("没有找到 100k 数据库：先运行 python -m bench.generate")
    user = _check_and_pick_user(args.database, args.user)
    me = [sys.executable, "-m", "bench.startup", "--database", args.database]
    govdesk = me + ["--child", "govdesk", "--user", user, "--password", args.password]
    baseline = me + ["--child", "baseline"]
    results: dict[str, list[tuple[float, float]]] = {"govdesk": [], "baseline": []}
    with tempfile.TemporaryDirectory(prefix="govdesk-bench-pyc-") as bytecode_cache:
        env = child_env(bytecode_cache)
        # Warm-ups: fill the bytecode cache and the OS file cache, for both.
        for _ in range(2):
            measure_with_peak(baseline, env)
            measure_with_peak(govdesk, env)
        for _ in range(args.runs):
            # Interleaved so that machine noise hits both alike.
            results["baseline"].append(measure_with_peak(baseline, env))
            results["govdesk"].append(measure_with_peak(govdesk, env))
    base_t = statistics.median(t for t, _ in results["baseline"])
    base_m = statistics.median(m for _, m in results["baseline"])
    gov_t = statistics.median(t for t, _ in results["govdesk"])
    gov_m = statistics.median(m for _, m in results["govdesk"])
    print(f"database: {args.database}   runs: {args.runs} (median)")
    print(f"{'':24}{'GovDesk':>12}{'baseline':>12}{'ratio':>8}")
    print(f"{'start → window (s)':24}{gov_t:12.2f}{base_t:12.2f}{gov_t / base_t:8.2f}")
    print(f"{'peak memory (MB)':24}{gov_m:12.1f}{base_m:12.1f}{gov_m / base_m:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
