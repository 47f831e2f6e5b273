"""The LAN password (issue 13 point 9): given on standard input or at a prompt, it reaches the driver as typed
whatever % @ : / # it holds, and no output (stdout, stderr, the log) ever shows it, on success or failure."""

from __future__ import annotations

import io
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL

from app import errorlog
from app.cli import main
from app.db.engine import make_engine
from app.paths import log_file
from tests.helpers import cli
from tests.helpers.databases import server_urls

PASSWORD = "50%off@host:x/y#z%41"
SPELLINGS = [PASSWORD, quote(PASSWORD, safe=""), "50%off", "off@host"]


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str]:
    """The command's exit code and all it printed, on either stream."""
    code, out, err = cli.run(capsys, *argv, stdin=stdin)
    return code, out + err


def logged() -> str:
    path = log_file()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def assert_hidden(*outputs: str) -> None:
    for output in (*outputs, logged()):
        for spelling in SPELLINGS:
            assert spelling not in output, output


@pytest.fixture
def passwords_sent() -> Iterator[list[str | None]]:
    """The password each new connection hands the driver, whichever engine makes it."""
    sent: list[str | None] = []

    def remember(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        sent.append(cparams.get("password"))

    event.listen(Engine, "do_connect", remember)
    yield sent
    event.remove(Engine, "do_connect", remember)


@pytest.fixture
def source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path}/source.sqlite3"
    assert run(capsys, "--database", url, "db", "init")[0] == 0
    return url


@pytest.fixture
def pg_role_and_database() -> Iterator[URL]:
    """A PostgreSQL role whose password holds % @ : / #, and an empty database it owns."""
    server = server_urls().get("postgresql")
    if server is None:
        pytest.skip("GOVDESK_TEST_DATABASES names no PostgreSQL server")
    name = f"h7_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        # A literal in DDL: a role's password cannot be a bound parameter. Quotes doubled, no other escaping.
        connection.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{PASSWORD.replace(chr(39), chr(39) * 2)}'"))
        connection.execute(text(f"CREATE DATABASE {name} OWNER {name}"))
    try:
        yield server.set(username=name, password=None, database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"DROP ROLE IF EXISTS {name}"))
        admin.dispose()


def test_copy_to_a_server_takes_the_password_from_stdin(
    capsys: pytest.CaptureFixture[str], source: str, pg_role_and_database: URL, passwords_sent: list[str | None]
) -> None:
    target = pg_role_and_database.render_as_string(hide_password=False)
    code, output = run(capsys, "--database", source, "db", "copy", "--to", target, "--to-password-stdin",
                       stdin=PASSWORD + "\n")
    assert code == 0, output
    assert "复制完成" in output and "以后各台电脑请连接：PostgreSQL" in output
    # The server runs trust authentication here, so the check is what the driver was handed, exactly.
    assert PASSWORD in passwords_sent and all(sent in (None, PASSWORD) for sent in passwords_sent)
    assert_hidden(output)


def test_init_on_a_server_takes_the_password_from_stdin(
    capsys: pytest.CaptureFixture[str], pg_role_and_database: URL, passwords_sent: list[str | None]
) -> None:
    url = pg_role_and_database.render_as_string(hide_password=False)
    code, output = run(capsys, "--database", url, "--db-password-stdin", "db", "init", stdin=PASSWORD + "\n")
    assert code == 0 and "已初始化数据库" in output, output
    assert passwords_sent and set(passwords_sent) == {PASSWORD}
    assert_hidden(output)


def test_in_a_terminal_the_password_is_asked_for_without_echo(
    capsys: pytest.CaptureFixture[str], source: str, monkeypatch: pytest.MonkeyPatch,
    passwords_sent: list[str | None],
) -> None:
    asked: list[str] = []

    def getpass(prompt: str = "") -> str:
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setattr("app.cli.getpass.getpass", getpass)
    terminal = io.StringIO("")
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stdin", terminal)
    code = main(["--database", source, "db", "copy", "--to", "postgresql://clerk@127.0.0.1:1/govdesk",
                 "--to-password-stdin"])
    output = "".join(capsys.readouterr())
    assert asked == ["目标数据库密码（输入时不显示）："]
    assert code == 2 and "服务器拒绝了连接" in output
    # None: the local source file's connections.
    assert PASSWORD in passwords_sent and set(passwords_sent) <= {PASSWORD, None}
    assert_hidden(output)


def test_a_refused_connection_shows_no_password_even_one_typed_in_the_url(
    capsys: pytest.CaptureFixture[str], source: str
) -> None:
    typed = f"postgresql://clerk:{quote(PASSWORD, safe='')}@127.0.0.1:1/govdesk"
    code, output = run(capsys, "--database", source, "db", "copy", "--to", typed)
    assert code == 2 and "服务器拒绝了连接" in output
    assert "不要在地址中写密码" in output or "不要在地址中写密码" in output.replace("\n", "")
    assert_hidden(output)
    code, output = run(capsys, "--database", typed, "db", "init")
    assert code == 2
    assert_hidden(output)


def test_an_unexpected_error_logs_no_password(
    capsys: pytest.CaptureFixture[str], source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = f"mysql://clerk:{quote(PASSWORD, safe='')}@127.0.0.1:1/govdesk"

    def broken(*_args: object, **_kwargs: object) -> None:
        # The worst case: an error whose own text carries the URL and the password in both spellings.
        raise RuntimeError(f"could not use {typed} with password={PASSWORD}")

    monkeypatch.setattr("app.db.engine.normalize_url", _failing_after(broken))
    code, output = run(capsys, "--database", source, "db", "copy", "--to", typed)
    assert code == 1 and "意外错误" in output
    text_logged = logged()
    assert "RuntimeError" in text_logged and "clerk:***@127.0.0.1" in text_logged
    assert_hidden(output)


def _failing_after(broken: Any) -> Any:
    """normalize_url that works for the source and the typed URL's first reading, then fails like ``broken``."""
    from app.db import engine

    real = engine.normalize_url
    calls: list[object] = []

    def normalize(url: Any) -> Any:
        calls.append(url)
        if isinstance(url, str) and url.startswith("mysql") and len(calls) > 3:
            broken()
        return real(url)

    return normalize


def test_redact_removes_urls_and_known_passwords() -> None:
    errorlog.register_secret(PASSWORD)
    line = f"['govdesk', '--to', 'postgresql://u:{quote(PASSWORD, safe='')}@h/db'] then {PASSWORD}"
    assert errorlog.redact(line) == "['govdesk', '--to', 'postgresql://u:***@h/db'] then ***"


@pytest.fixture
def mariadb_user_and_database() -> Iterator[URL]:
    """A MariaDB account whose password holds % @ : / #, checked by the server (not trust), and its database."""
    server = server_urls().get("mysql")
    if server is None:
        pytest.skip("GOVDESK_TEST_DATABASES names no MariaDB server")
    name = f"h7_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    quoted = PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4"))
        for host in ("%", "localhost"):
            connection.execute(text(f"CREATE USER '{name}'@'{host}' IDENTIFIED BY '{quoted}'"))
            connection.execute(text(f"GRANT ALL ON {name}.* TO '{name}'@'{host}'"))
    try:
        yield server.set(username=name, password=None, database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            for host in ("%", "localhost"):
                connection.execute(text(f"DROP USER IF EXISTS '{name}'@'{host}'"))
        admin.dispose()


def test_copy_to_mariadb_authenticates_with_a_password_full_of_special_characters(
    capsys: pytest.CaptureFixture[str], source: str, mariadb_user_and_database: URL
) -> None:
    target = mariadb_user_and_database.render_as_string(hide_password=False)
    code, output = run(capsys, "--database", source, "db", "copy", "--to", target, "--to-password-stdin",
                       stdin="wrong-password\n")
    assert code == 2 and "用户名或密码不正确" in output
    code, output = run(capsys, "--database", source, "db", "copy", "--to", target, "--to-password-stdin",
                       stdin=PASSWORD + "\n")
    assert code == 0 and "复制完成" in output, output
    assert_hidden(output)
