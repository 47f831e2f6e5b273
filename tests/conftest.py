"""Shared fixtures. Everything else the tests share (builders of users and records, sample data, checks of
printed pages, private servers) lives in tests/helpers/; tests/test_test_support.py keeps it there."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Headless Qt, on a 1366×768 screen: the smallest the office's desktops have.
_SCREEN = Path(__file__).with_name("offscreen-screen.json")
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"

from app.bootstrap import AppContext, bootstrap  # noqa: E402
from tests.helpers.databases import BACKENDS, ServerDatabase, SqliteTemplate, server_urls, skip_reason  # noqa: E402

# Fixtures of a helpers module that tests in more than one folder use.
pytest_plugins = ["tests.helpers.print_fixtures"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def server_databases() -> Iterator[dict[str, ServerDatabase]]:
    created: dict[str, ServerDatabase] = {}
    try:
        for backend, url in server_urls().items():
            created[backend] = ServerDatabase.create(url)
        yield created
    finally:
        for database in created.values():
            database.drop()


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: SqliteTemplate,
    server_databases: dict[str, ServerDatabase],
) -> str:
    """A migrated, empty database on each backend: SQLite always, the servers when configured."""
    backend: str = request.param
    if backend == "sqlite":
        return sqlite_template.fresh(tmp_path)
    database = server_databases.get(backend)
    if database is None:
        pytest.skip(skip_reason(backend))
    database.empty_tables()
    return database.url.render_as_string(hide_password=False)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: SqliteTemplate) -> str:
    return sqlite_template.fresh(tmp_path)


@pytest.fixture
def ctx(db_url: str) -> Iterator[AppContext]:
    context = bootstrap(db_url)
    yield context
    context.dispose()


@pytest.fixture
def sqlite_ctx(sqlite_url: str) -> Iterator[AppContext]:
    context = bootstrap(sqlite_url)
    yield context
    context.dispose()


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module fixtures run before the per-test folders below: they too must not write the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVDESK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
        yield


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does may touch the real per-user data directory."""
    monkeypatch.setenv("GOVDESK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    # Per test: the parsed-font cache must start empty where a test counts the font files parsed.
    monkeypatch.setenv("GOVDESK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("GOVDESK_LOG_DIR", str(tmp_path_factory.getbasetemp() / "logs"))
    # Nor the real office key in the user's keyring: each test starts with none (app.db.office_key).
    monkeypatch.setenv("GOVDESK_OFFICE_KEY_FILE", str(tmp_path_factory.mktemp("office") / "office-key.json"))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """What the run built up is left to the operating system: a whole run ends holding about 12 GB, and Python's
    last collection at exit walked it for many minutes (seen at 04:12–04:20 on 2026-12-07, after the summary)."""
    import gc

    gc.freeze()
