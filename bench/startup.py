"""Start-up time and peak memory: process start → logged-in main window shown with its 工作台 filled,
on the 100k-document database, beside a bare PySide6 + SQLAlchemy window measured in the same run.

    python -m bench.startup [--database URL] [--runs 5]

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
    from PySide6.QtCore import QSettings, QTimer

    from app.bootstrap import bootstrap
    from app.services import auth
    from app.ui.application import create_application
    from app.ui.main_window import MainWindow
    from app.ui.prefs import Prefs
    from app.ui.workbench.page import WorkbenchPage

    app = create_application()
    ctx = bootstrap(url)
    if not username:
        username = _a_secretary(ctx)
    with ctx.uow() as uow:
        actor = auth.login(uow, username, password)
    # A throwaway file: QSettings saves by writing a new file and renaming it over the old one, which
    # would replace a device such as /dev/null with a plain file.
    prefs = Prefs(QSettings(str(Path(tempfile.mkdtemp()) / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx, actor, prefs)
    window.show()
    page = window.current_page
    assert isinstance(page, WorkbenchPage)

    def check() -> None:
        if page.result is not None:
            print(f"ROWS {page.model.rowCount()}", flush=True)
            app.quit()
        else:
            QTimer.singleShot(5, check)

    QTimer.singleShot(0, check)
    app.exec()


def _a_secretary(ctx: object) -> str:
    """The first demo secretary: their 工作台 is the fullest."""
    from sqlalchemy import select

    from app.models import User, UserRole

    with ctx.uow() as uow:  # type: ignore[attr-defined]
        return str(
            uow.session.execute(
                select(User.username)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role_code == "secretary")
                .order_by(User.id)
                .limit(1)
            ).scalar_one()
        )


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


def measure_with_peak(argv: list[str]) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
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
    parser.add_argument("--runs", type=int, default=5)
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
    me = [sys.executable, "-m", "bench.startup", "--database", args.database]
    results: dict[str, list[tuple[float, float]]] = {"govdesk": [], "baseline": []}
    measure_with_peak(me + ["--child", "baseline"])  # warm the OS file cache for both
    measure_with_peak(me + ["--child", "govdesk", "--user", args.user, "--password", args.password])
    for _ in range(args.runs):
        # Interleaved so that machine noise hits both alike.
        results["baseline"].append(measure_with_peak(me + ["--child", "baseline"]))
        results["govdesk"].append(
            measure_with_peak(me + ["--child", "govdesk", "--user", args.user, "--password", args.password])
        )
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
