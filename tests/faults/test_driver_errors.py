"""Each fault an office meets, produced for real on PostgreSQL and MariaDB, gives its kind and its Chinese
message, and none of the driver's English (issue 12 point 2).

PostgreSQL faults come from a private server (tests/helpers/fault_servers.py) that the tests may stop; MariaDB's
from the shared server of GOVDESK_TEST_DATABASES, touching only the test's own connections and one user
of a unique name that is dropped afterwards. A MariaDB in shutdown needs a private MariaDB (not here).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from app.core.errors import GovDeskError, ServerUnavailable, ValidationError
from app.db.engine import make_engine
from app.db.faults import MESSAGES, Fault, explain, user_error
from app.db.probe import explain_connection_error
from tests.helpers.databases import server_urls, skip_reason
from tests.helpers.fault_servers import NetNamespace, PrivatePostgres, free_port

# Names that may appear in a message as they are: they are what the user or administrator must look for.
ALLOWED_LATIN = {"MariaDB", "max_allowed_packet", "M"}


def failure_of(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except Exception as error:  # noqa: BLE001 - the error is what the test is about
        return error
    raise AssertionError("the action was expected to fail, and it did not")


def assert_fault(error: BaseException, kind: str) -> Fault:
    fault = explain(error)
    assert fault is not None, f"no fault read from {error!r}"
    assert fault.kind == kind, f"{kind} expected, got {fault.kind} from {error!r}"
    assert fault.message == MESSAGES[kind]
    assert_chinese_only(fault.message, error)
    return fault


def assert_chinese_only(message: str, error: BaseException) -> None:
    latin = set(re.findall(r"[A-Za-z_]+", message)) - ALLOWED_LATIN
    assert not latin, f"English in the message: {latin} ({message})"
    driver_words = set(re.findall(r"[A-Za-z_]{5,}", str(error))) - ALLOWED_LATIN
    assert not driver_words & set(re.findall(r"[A-Za-z_]+", message))
    assert re.search(r"[\u4e00-\u9fff]", message)


def connect(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


@pytest.fixture
def engines() -> Iterator[Callable[..., Engine]]:
    made: list[Engine] = []

    def make(url: str | URL, **kwargs: object) -> Engine:
        engine = make_engine(url, **kwargs)  # type: ignore[arg-type]
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


def mariadb_url() -> URL:
    url = server_urls().get("mysql")
    if url is None:
        pytest.skip(skip_reason("mysql"))
    return url


# ----- PostgreSQL ---------------------------------------------------------------------------------------


def test_pg_refused(private_pg: PrivatePostgres, engines: Callable[..., Engine]) -> None:
    closed = private_pg.url().replace(f":{private_pg.port}/", f":{free_port()}/")
    error = failure_of(lambda: connect(engines(closed)))
    assert_fault(error, "refused")
    converted = user_error(error)
    assert isinstance(converted, ServerUnavailable) and converted.kind == "refused"
    assert explain_connection_error(error)[0] == "unreachable"


def test_pg_wrong_password(private_pg: PrivatePostgres, engines: Callable[..., Engine]) -> None:
    error = failure_of(lambda: connect(engines(private_pg.url(password="wrong"))))
    assert_fault(error, "auth")
    converted = user_error(error)
    assert type(converted) is GovDeskError
    assert explain_connection_error(error)[0] == "auth"


def test_pg_missing_database(private_pg: PrivatePostgres, engines: Callable[..., Engine]) -> None:
    error = failure_of(lambda: connect(engines(private_pg.url(database="no_such_db"))))
    assert_fault(error, "missing_database")
    assert explain_connection_error(error)[0] == "missing_database"


def test_pg_shutting_down(private_pg: PrivatePostgres, engines: Callable[..., Engine]) -> None:
    # A smart shutdown waits for the open session and refuses every new one meanwhile.
    session = engines(private_pg.url()).connect()
    try:
        private_pg.stop("smart", wait=False)
        error = failure_of(lambda: connect(engines(private_pg.url())))
        assert_fault(error, "shutting_down")
        converted = user_error(error)
        assert isinstance(converted, ServerUnavailable) and converted.kind == "shutting_down"
    finally:
        session.close()


def test_pg_session_ended_by_fast_shutdown(private_pg: PrivatePostgres, engines: Callable[..., Engine]) -> None:
    engine = engines(private_pg.url())
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        private_pg.stop("fast")
        error = failure_of(lambda: conn.execute(text("SELECT 1")))
    assert explain(error) is not None
    assert explain(error).kind in ("shutting_down", "unreachable")  # type: ignore[union-attr]
    assert_chinese_only(explain(error).message, error)  # type: ignore[union-attr]


def test_pg_statement_timeout(private_pg: PrivatePostgres, engines: Callable[..., Engine]) -> None:
    engine = engines(private_pg.url(), statement_timeout=0.5)
    with engine.connect() as conn:
        error = failure_of(lambda: conn.execute(text("SELECT pg_sleep(5)")))
    assert_fault(error, "timeout")
    converted = user_error(error)
    assert isinstance(converted, ServerUnavailable) and converted.kind == "timeout"


def test_pg_unreachable_while_connecting(lan: NetNamespace, engines: Callable[..., Engine]) -> None:
    lan.drop()
    started = time.monotonic()
    error = failure_of(lambda: connect(engines(f"postgresql://someone:pw@{lan.peer_address}:5432/x")))
    assert time.monotonic() - started <= 20
    assert_fault(error, "unreachable")


def test_pg_unreachable_mid_session(pg_on_lan: PrivatePostgres, engines: Callable[..., Engine]) -> None:
    """The server vanishes under an open session: libpq says "could not receive data … timed out"."""
    engine = engines(pg_on_lan.url())
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        pg_on_lan.netns.drop()  # type: ignore[union-attr]
        started = time.monotonic()
        error = failure_of(lambda: conn.execute(text("SELECT 1")))
    assert time.monotonic() - started <= 20
    assert_fault(error, "unreachable")


def test_no_route_to_host(engines: Callable[..., Engine]) -> None:
    # 192.0.2.0/24 is TEST-NET-1: with an "unreachable" route the kernel answers No route to host at once.
    import subprocess

    from tests.helpers.fault_servers import missing_for_netns, require

    require(missing_for_netns())
    target = f"192.0.2.{uuid.uuid4().int % 200 + 20}"
    subprocess.run(["ip", "route", "add", "unreachable", f"{target}/32"], check=True)
    try:
        for url in (f"postgresql://u:p@{target}:5432/x", f"mysql://u:p@{target}:3306/x"):
            error = failure_of(lambda url=url: connect(engines(url)))  # type: ignore[misc]
            assert_fault(error, "unreachable")
    finally:
        subprocess.run(["ip", "route", "del", "unreachable", f"{target}/32"], check=False)


def test_name_not_resolved(engines: Callable[..., Engine]) -> None:
    for url in ("postgresql://u:p@no-such-server.invalid/x", "mysql://u:p@no-such-server.invalid/x"):
        error = failure_of(lambda url=url: connect(engines(url)))  # type: ignore[misc]
        assert_fault(error, "unreachable")


# ----- MariaDB ------------------------------------------------------------------------------------------


def test_mariadb_refused(engines: Callable[..., Engine]) -> None:
    url = mariadb_url().set(host="127.0.0.1", port=free_port())
    error = failure_of(lambda: connect(engines(url)))
    assert_fault(error, "refused")


def test_mariadb_unreachable_while_connecting(lan: NetNamespace, engines: Callable[..., Engine]) -> None:
    lan.drop()
    started = time.monotonic()
    error = failure_of(lambda: connect(engines(f"mysql://someone:pw@{lan.peer_address}:3306/x")))
    assert time.monotonic() - started <= 20
    assert_fault(error, "unreachable")


@pytest.fixture
def mariadb_user(engines: Callable[..., Engine]) -> Iterator[tuple[str, str]]:
    """A user of a unique name with a password, on the shared MariaDB, dropped afterwards."""
    admin = engines(mariadb_url(), isolation_level="AUTOCOMMIT")
    name, password = f"gdfault_{uuid.uuid4().hex[:8]}", "Right-pw-1"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE USER '{name}'@'%' IDENTIFIED BY '{password}'"))
    try:
        yield name, password
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP USER IF EXISTS '{name}'@'%'"))


def test_mariadb_wrong_password(mariadb_user: tuple[str, str], engines: Callable[..., Engine]) -> None:
    name, _password = mariadb_user
    url = mariadb_url().set(username=name, password="wrong", database=None)
    error = failure_of(lambda: connect(engines(url)))
    assert_fault(error, "auth")
    assert type(user_error(error)) is GovDeskError


def test_mariadb_missing_database(engines: Callable[..., Engine]) -> None:
    error = failure_of(lambda: connect(engines(mariadb_url().set(database="no_such_db_gd"))))
    assert_fault(error, "missing_database")


def test_mariadb_gone_away(engines: Callable[..., Engine]) -> None:
    """Our connection is killed (as a server restart or a network drop would end it), then used."""
    engine = engines(mariadb_url())
    killer = engines(mariadb_url())
    with engine.connect() as conn:
        own_id = conn.execute(text("SELECT CONNECTION_ID()")).scalar_one()
        with killer.connect() as other:
            other.execute(text(f"KILL {int(own_id)}"))
        error = failure_of(lambda: conn.execute(text("SELECT 1")))
    assert_fault(error, "unreachable")
    converted = user_error(error)
    assert isinstance(converted, ServerUnavailable) and converted.kind == "unreachable"


def test_mariadb_statement_timeout(engines: Callable[..., Engine]) -> None:
    engine = engines(mariadb_url(), statement_timeout=0.5)
    with engine.connect() as conn:
        error = failure_of(lambda: conn.execute(text("SELECT SLEEP(5)")))
    assert_fault(error, "timeout")


def test_mariadb_packet_too_large_is_named() -> None:
    """A statement over max_allowed_packet: the server answers 1153, or closes the connection before PyMySQL
    reads that answer (2006, then "unreachable"): which one is a matter of timing, so a real oversized
    statement cannot test this reliably (tests/faults/test_mariadb_packet.py checks the size before
    sending). The 1153 here is built as PyMySQL raises it."""
    import pymysql

    error = pymysql.err.OperationalError(1153, "Got a packet bigger than 'max_allowed_packet' bytes")
    assert_fault(error, "too_large")
    assert isinstance(user_error(error), ValidationError)


# ----- errors that are not the database's -----------------------------------------------------------------


def test_other_errors_are_not_faults() -> None:
    assert explain(ValueError("x")) is None
    assert user_error(KeyError("x")) is None


def test_unknown_server_error_shows_its_code_not_its_text(private_pg: PrivatePostgres,
                                                           engines: Callable[..., Engine]) -> None:
    with engines(private_pg.url()).connect() as conn:
        error = failure_of(lambda: conn.execute(text("SELECT * FROM no_such_table")))
    fault = explain(error)
    assert fault is not None and fault.kind == "other"
    assert "42P01" in fault.message
    assert_chinese_only(fault.message.replace("42P01", ""), error)
