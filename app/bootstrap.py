"""The composition root: the one place where a database URL becomes an engine and units of work.

Nothing happens at import time; the CLI, the GUI, the tests and the bench scripts each call bootstrap().
Importing this module is cheap (SQLAlchemy is loaded when bootstrap() runs), so that the program's
entry point can set up the start (pause_gc_for_start) before the heavy imports.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

    from app.services.kernel.uow import UnitOfWork

DATABASE_ENV = "GOVDESK_DATABASE"


def resolve_database_url(explicit: str | None = None) -> str:
    if explicit or os.environ.get(DATABASE_ENV):
        return explicit or os.environ[DATABASE_ENV]
    from app.db.engine import default_database_url

    return default_database_url()


@dataclass
class AppContext:
    """A database URL made into an engine and units of work."""

    url: URL
    engine: Engine

    def uow(self) -> UnitOfWork:
        from app.services.kernel.uow import UnitOfWork

        return UnitOfWork(self.engine)

    @property
    def location(self) -> str:
        from app.db.engine import describe_url

        return describe_url(self.url)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    def dispose(self) -> None:
        self.engine.dispose()


def bootstrap(url: str | URL | None = None) -> AppContext:
    from app.db.engine import make_engine, normalize_url

    parsed = normalize_url(url if url is not None else resolve_database_url())
    return AppContext(url=parsed, engine=make_engine(parsed))


# ----- the order of imports at the start ----------------------------------------------------------------


def load_database_layer() -> None:
    """Imports SQLAlchemy Core, the start's tables and the services the login dialog uses: call it
    before anything imports PySide6.

    Once PySide6 is imported, it hooks every later import and reads the new module's whole source
    (shibokensupport.feature.feature_imported → inspect.getsource, to see whether the module uses
    PySide6's ``__feature__`` switches), and linecache then keeps that text for the life of the
    process. For SQLAlchemy, our models and services that was about 20 MB of peak memory and some
    tens of milliseconds of every start; modules imported before PySide6 are never read.
    """
    import concurrent.futures  # noqa: F401 - the GUI's worker threads
    import sqlite3  # noqa: F401 - the usual, local database: its driver and dialect

    import sqlalchemy.dialects.sqlite  # noqa: F401

    import app.db.engine  # noqa: F401
    import app.db.migrate  # noqa: F401 - the schema check before the login
    import app.db.tables  # noqa: F401
    import app.services.admin.auth  # noqa: F401 - does the database have users yet, and the login
    import app.services.kernel.uow  # noqa: F401
    # The services of the 工作台 and the audit chain are left for the login dialog's preloading
    # (app.ui.login), while the user types: the dialog appears sooner, and reading their sources
    # after Qt costs little, for a dozen small modules. SQLAlchemy's ORM and the mapped classes
    # (app.models) are not needed before the first window at all (app.db.tables says why); the login
    # dialog loads them while the user types, or the first use does.


def leave_unread_by_pyside(*packages: str) -> None:
    """Tells PySide6's import hook (see load_database_layer) that the modules of these packages, which
    never use PySide6, need no look at their source when they are imported after Qt.

    The hook reads each new module's whole source to look for ``__feature__`` switches, and records
    what it found by module name; a name already recorded is not read again. Recorded here beforehand
    as not using them (what the hook would find), the ORM's preloading leaves its 2 MB of source unread:
    some 10 MB less peak memory. Nothing is switched off, so imports on other threads meanwhile go
    through the hook as always. Without PySide6's hook (or with another version's) this does nothing.
    """
    import sys
    from importlib.util import find_spec
    from pathlib import Path

    feature = sys.modules.get("shibokensupport.feature")
    recorded = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(recorded, dict):
        return
    for package in packages:
        spec = find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            root = Path(location)
            for path in root.rglob("*.py"):
                parts = path.relative_to(root).with_suffix("").parts
                if parts[-1] == "__init__":
                    parts = parts[:-1]
                recorded.setdefault(".".join((package, *parts)), -1)


# ----- the garbage collector during the start ------------------------------------------------------------

_gc_paused = False


def pause_gc_for_start() -> None:
    """Turns Python's cyclic garbage collector off while the desktop program starts.

    A start makes some 140,000 objects that the collector tracks (modules, classes, functions,
    SQLAlchemy's mappers and tables, Qt's enums), and nearly all of them live as long as the program.
    The collector, which runs every 700 new objects, walks them again and again while they are being
    made and finds next to nothing to free: some 200 collections, 60-90 ms of the bench's start. Reference
    counting still frees everything else at once, as always; only reference cycles wait.
    resume_gc_after_start() turns the collector back on.
    """
    global _gc_paused
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc_after_start() -> None:
    """The collector back on, once the first window is up (the GUI schedules this for the first turn
    of its event loop). What the start made is moved out of the collector's sight first (gc.freeze):
    it lives as long as the program, so no later collection needs to walk it again."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()
