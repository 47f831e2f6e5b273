"""Fixtures for fault tests: private servers the tests may stop, freeze and cut off (tests/helpers/fault_servers.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.fault_servers import (
    NetNamespace,
    PrivatePostgres,
    make_pg_template,
    missing_for_private_postgres,
    netns_context,
    private_postgres,
    require,
)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[Path]:
    """An initdb'd cluster, made once per run and copied for each private server."""
    require(missing_for_private_postgres())
    template = make_pg_template()
    yield template
    shutil.rmtree(template.parent, ignore_errors=True)


@pytest.fixture
def private_pg(pg_template: Path) -> Iterator[PrivatePostgres]:
    """A private PostgreSQL on 127.0.0.1 and a port of its own, with password login."""
    with private_postgres(pg_template) as server:
        yield server


@pytest.fixture
def lan() -> Iterator[NetNamespace]:
    """A network namespace: "another machine on the LAN", whose link can be cut silently."""
    with netns_context() as space:
        yield space


@pytest.fixture
def pg_on_lan(pg_template: Path, lan: NetNamespace) -> Iterator[PrivatePostgres]:
    """A private PostgreSQL inside ``lan``; ``pg_on_lan.netns.drop()`` makes it vanish."""
    with private_postgres(pg_template, netns=lan) as server:
        yield server
