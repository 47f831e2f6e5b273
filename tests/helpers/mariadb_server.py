"""A PRIVATE MariaDB server for fault tests: its own data folder, port and settings.

The MariaDB on 127.0.0.1:3306 is shared by everyone working on this machine: a test never changes its
settings. A test that needs another ``max_allowed_packet`` (or that must stop or break the server) starts
one of these instead:

    server = start_mariadb(folder, max_allowed_packet=4 * 1024 * 1024)
    url = server.create_database()        # a fresh, empty database on it, as root without a password
    ...
    server.stop()                         # shuts it down and deletes its data folder

or uses the ``private_mariadb`` fixture (module scope: a server takes a few seconds to start). Apart from
the options given, the server runs with MariaDB's defaults (``--no-defaults``: no my.cnf is read), as an
office's freshly installed server would.

Tests skip, saying why, when the MariaDB server programs (mariadbd, mariadb-install-db) are not installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from app.db.engine import normalize_url

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 30


def _program(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/usr/local/mysql/bin")
        if found:
            return found
    return None


def missing_reason() -> str | None:
    """Why a private MariaDB cannot be started here, or None when it can."""
    if _program("mariadbd", "mysqld") is None or _program("mariadb-install-db", "mysql_install_db") is None:
        return (
            "没有安装 MariaDB 服务器程序（mariadbd、mariadb-install-db），无法启动测试专用的 MariaDB；"
            "请安装 mariadb-server 软件包（.ci/run 会安装）"
        )
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PrivateMariaDB:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def admin_url(self) -> URL:
        return normalize_url(f"mysql://root@127.0.0.1:{self.port}/mysql")

    def create_database(self) -> URL:
        """A new, empty utf8mb4 database on this server."""
        name = f"govdesk_{uuid.uuid4().hex[:8]}"
        self.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        return self.admin_url.set(database=name)

    def set_max_allowed_packet(self, size: int) -> None:
        """For connections made from now on (a session keeps the value it started with). This server only."""
        self.execute(f"SET GLOBAL max_allowed_packet = {int(size)}")

    def execute(self, statement: str) -> None:
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(statement))
        finally:
            admin.dispose()

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), a kill if it does not end in time; then the data folder goes."""
        try:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(STOP_TIMEOUT_S)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        log = self.folder / "error.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def start_mariadb(parent: Path | None = None, *, max_allowed_packet: int | None = None) -> PrivateMariaDB:
    """Initialises a data folder and starts a server on a free port of 127.0.0.1; returns once it answers."""
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    server_program = _program("mariadbd", "mysqld")
    install_program = _program("mariadb-install-db", "mysql_install_db")
    assert server_program is not None and install_program is not None
    folder = Path(tempfile.mkdtemp(prefix="govdesk-mariadb-", dir=parent))
    data = folder / "data"
    # Root may only run the server as a named user; anyone else runs it as themselves.
    as_user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(
        [install_program, "--no-defaults", f"--datadir={data}", *as_user,
         "--auth-root-authentication-method=normal", "--skip-test-db"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    port = _free_port()
    options = [
        "--no-defaults", f"--datadir={data}", f"--socket={folder / 'mysqld.sock'}", f"--port={port}",
        "--bind-address=127.0.0.1", f"--pid-file={folder / 'mysqld.pid'}", f"--log-error={folder / 'error.log'}",
        "--skip-log-bin", *as_user,
    ]
    if max_allowed_packet is not None:
        options.append(f"--max-allowed-packet={int(max_allowed_packet)}")
    process = subprocess.Popen([server_program, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = PrivateMariaDB(folder, port, process)
    try:
        _wait_until_it_answers(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_it_answers(server: PrivateMariaDB) -> None:
    import pymysql

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"private MariaDB exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            pymysql.connect(host="127.0.0.1", port=server.port, user="root", connect_timeout=2).close()
            return
        except pymysql.err.OperationalError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"private MariaDB did not answer in {START_TIMEOUT_S} s:\n{server.log_tail()}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def private_mariadb() -> Iterator[PrivateMariaDB]:
    """A private MariaDB with its default settings, for the tests of one module."""
    server = start_mariadb()
    try:
        yield server
    finally:
        server.stop()
