"""The composition root: the one place where a database URL becomes an engine and units of work.

Nothing happens at import time; the CLI, the GUI, the tests and the bench scripts each call bootstrap().
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from app.db.engine import default_database_url, describe_url, make_engine, make_session_factory, normalize_url
from app.services.uow import UnitOfWork

DATABASE_ENV = "GOVDESK_DATABASE"


def resolve_database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(DATABASE_ENV) or default_database_url()


@dataclass
class AppContext:
    url: URL
    engine: Engine
    session_factory: sessionmaker[Session]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    @property
    def location(self) -> str:
        return describe_url(self.url)

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    def dispose(self) -> None:
        self.engine.dispose()


def bootstrap(url: str | URL | None = None) -> AppContext:
    parsed = normalize_url(url if url is not None else resolve_database_url())
    engine = make_engine(parsed)
    return AppContext(url=parsed, engine=engine, session_factory=make_session_factory(engine))
