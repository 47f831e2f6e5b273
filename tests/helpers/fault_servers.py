"""Private database servers for fault tests, started and broken by the tests themselves.

The shared PostgreSQL and MariaDB must never be stopped or frozen; these are each test's own:

- ``PrivatePostgres``: a PostgreSQL cluster made with ``initdb`` in a temporary folder (as the ``postgres``
  OS user: initdb refuses root), scram-sha-256 password login over TCP, on its own port. It can be stopped
  (smart: the sessions may finish, new ones are told "shutting down"; fast; immediate) and frozen
  (SIGSTOP of the postmaster and all its children) and thawed.
- ``NetNamespace``: a network namespace joined to this one by a veth pair, so a server started inside it
  is "another machine on the LAN". ``drop()`` makes the link silently lose every packet this side sends,
  as a pulled cable or a dead switch port does (no reset, no ICMP): a static neighbour entry with a MAC
  address nobody has, so it needs neither netfilter nor netem. ``restore()`` mends it.

Everything needs root (namespaces; running initdb as ``postgres``). ``require_root_tools`` skips a test
with a clear reason where that is not available. Typical use, through the fixtures in tests/faults/conftest.py::

    def test_x(pg_on_lan: PrivatePostgres) -> None:
        engine = make_engine(pg_on_lan.url())
        pg_on_lan.netns.drop()       # the server vanishes
        ...
        pg_on_lan.netns.restore()    # and comes back
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
# A password with the characters that break a URL written by hand (issue 12, 6c).
PG_PASSWORD = "Gd@pw#12:/%"
PG_USER = "govdesk_fault"
STARTUP_TIMEOUT_S = 30


def _pg_bin(name: str) -> Path | None:
    for folder in PG_BIN_DIRS:
        if (folder / name).exists():
            return folder / name
    found = shutil.which(name)
    return Path(found) if found else None


def missing_for_private_postgres(with_netns: bool = False) -> str | None:
    """Why a private PostgreSQL (in a namespace) cannot be started here, or None."""
    if os.geteuid() != 0:
        return "故障测试需要 root（创建网络命名空间、以 postgres 用户运行 initdb），当前不是 root，跳过"
    if _pg_bin("initdb") is None or _pg_bin("postgres") is None:
        return "没有找到 PostgreSQL 的 initdb/postgres 程序（Debian：apt-get install postgresql），跳过"
    if shutil.which("runuser") is None or shutil.which("setpriv") is None:
        return "没有 runuser/setpriv 命令（util-linux），无法以 postgres 用户运行 PostgreSQL，跳过"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return "系统中没有 postgres 用户（安装 postgresql 软件包时建立），跳过"
    if with_netns:
        return missing_for_netns()
    return None


def missing_for_netns() -> str | None:
    if os.geteuid() != 0:
        return "网络故障测试需要 root 来创建网络命名空间，当前不是 root，跳过"
    if shutil.which("ip") is None:
        return "没有 ip 命令（iproute2），无法创建网络命名空间，跳过"
    probe = f"gdprobe{os.getpid() % 100000}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"本机不允许创建网络命名空间（{made.stderr.strip()}），跳过"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def require(reason: str | None) -> None:
    if reason:
        pytest.skip(reason)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _run(*command: str) -> None:
    result = subprocess.run(list(command), capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")


# ----- the network namespace ------------------------------------------------------------------------------


@dataclass
class NetNamespace:
    """A namespace at ``peer_address``, reached from here over a veth pair from ``host_address``."""

    name: str
    host_if: str
    peer_if: str
    host_address: str
    peer_address: str
    dropped: bool = False

    @classmethod
    def create(cls) -> NetNamespace:
        tag = f"{os.getpid() % 10000}{secrets.token_hex(2)}"
        # A /30 of its own in 10.231.0.0/16, chosen at random so parallel runs do not collide.
        block = secrets.randbelow(16384) * 4
        base = f"10.231.{block // 256}."
        space = cls(
            name=f"govdesk-{tag}", host_if=f"gd{tag}h", peer_if=f"gd{tag}n",
            host_address=f"{base}{block % 256 + 1}", peer_address=f"{base}{block % 256 + 2}",
        )
        _run("ip", "netns", "add", space.name)
        try:
            _run("ip", "link", "add", space.host_if, "type", "veth", "peer", "name", space.peer_if)
            _run("ip", "link", "set", space.peer_if, "netns", space.name)
            _run("ip", "addr", "add", f"{space.host_address}/30", "dev", space.host_if)
            _run("ip", "link", "set", space.host_if, "up")
            _run("ip", "-n", space.name, "addr", "add", f"{space.peer_address}/30", "dev", space.peer_if)
            _run("ip", "-n", space.name, "link", "set", space.peer_if, "up")
            _run("ip", "-n", space.name, "link", "set", "lo", "up")
        except Exception:
            space.delete()
            raise
        return space

    def exec_prefix(self) -> list[str]:
        return ["ip", "netns", "exec", self.name]

    def drop(self) -> None:
        """From now on, every packet sent to the namespace is lost without a word (no RST, no ICMP)."""
        _run("ip", "neigh", "replace", self.peer_address, "lladdr", "02:00:5e:00:de:ad",
             "dev", self.host_if, "nud", "permanent")
        self.dropped = True

    def restore(self) -> None:
        subprocess.run(["ip", "neigh", "del", self.peer_address, "dev", self.host_if], capture_output=True)
        self.dropped = False

    def delete(self) -> None:
        subprocess.run(["ip", "link", "del", self.host_if], capture_output=True)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)


# ----- a private PostgreSQL --------------------------------------------------------------------------------


def _as_postgres(*command: str | Path) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *map(str, command)]


def postgres_folder(prefix: str) -> Path:
    """A new folder the ``postgres`` user owns, in the system's temp folder (pytest's tmp_path is root's
    alone, and postgres could not reach into it). The caller removes it."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    shutil.chown(folder, "postgres", "postgres")
    return folder


def _exec_as_postgres(*command: str | Path) -> list[str]:
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", *map(str, command)]


def make_pg_template() -> Path:
    """An initdb'd cluster with PG_USER (a superuser with PG_PASSWORD) and scram login over TCP from
    anywhere: made once, copied for each server (initdb takes seconds, a copy a fraction). Remove its
    parent folder when done."""
    folder = postgres_folder("govdesk-pg-template-")
    data = folder / "data"
    password_file = folder / "password"
    password_file.write_text(PG_PASSWORD + "\n", encoding="utf-8")
    shutil.chown(password_file, "postgres", "postgres")
    initdb = _pg_bin("initdb")
    assert initdb is not None
    result = subprocess.run(
        _as_postgres(initdb, "-D", data, "-U", PG_USER, f"--pwfile={password_file}", "-E", "UTF8",
                     "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"),
        capture_output=True, text=True,
    )
    password_file.unlink()
    if result.returncode != 0:
        raise RuntimeError(f"initdb failed: {result.stderr.strip()}")
    with (data / "pg_hba.conf").open("a", encoding="utf-8") as hba:
        hba.write("host all all 0.0.0.0/0 scram-sha-256\n")
    return data


@dataclass
class PrivatePostgres:
    data: Path
    host: str
    port: int
    netns: NetNamespace | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @classmethod
    def start(cls, template: Path, *, netns: NetNamespace | None = None) -> PrivatePostgres:
        data = postgres_folder("govdesk-pg-") / "data"
        subprocess.run(["cp", "-a", str(template), str(data)], check=True)
        host = netns.peer_address if netns else "127.0.0.1"
        server = cls(data=data, host=host, port=free_port(), netns=netns)
        server._launch()
        return server

    def _launch(self) -> None:
        postgres = _pg_bin("postgres")
        assert postgres is not None
        # setpriv, not runuser: it execs the server in its own place, so the process started here IS the
        # postmaster (runuser stays as a parent, and stops itself for good when its child is frozen).
        command = _exec_as_postgres(
            postgres, "-D", self.data, "-p", str(self.port), "-c", f"listen_addresses={self.host}",
            "-c", f"unix_socket_directories={self.data}", "-c", "fsync=off", "-c", "max_connections=30",
        )
        if self.netns:
            command = self.netns.exec_prefix() + command
        # The server gets its own copy of the log's descriptor; ours is closed as soon as it is started.
        with (self.data.parent / "server.log").open("ab") as log:
            # A session of its own, so that a signal to the test's process group never reaches the server.
            self.process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        self.wait_ready()

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.conninfo(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"private PostgreSQL did not start: {self.log_tail()}") from None
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"private PostgreSQL exited: {self.log_tail()}") from None
                time.sleep(0.2)

    def log_tail(self) -> str:
        log = self.data.parent / "server.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def conninfo(self, database: str = "postgres") -> str:
        return f"host={self.host} port={self.port} dbname={database} user={PG_USER} password='{PG_PASSWORD}'"

    def url(self, database: str = "postgres", password: str | None = PG_PASSWORD) -> str:
        """A postgresql:// URL, the password percent-encoded as it must be (it holds @, #, :, / and %)."""
        secret = f":{quote(password, safe='')}" if password is not None else ""
        return f"postgresql://{PG_USER}{secret}@{self.host}:{self.port}/{database}"

    def postmaster_pid(self) -> int:
        try:
            return int((self.data / "postmaster.pid").read_text().splitlines()[0])
        except FileNotFoundError:
            # A server in the last moments of a shutdown has removed its pid file but not yet exited
            # (seen on a loaded machine after test_pg_shutting_down): setpriv exec'd it, so it is ours.
            assert self.process is not None
            return self.process.pid

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    # ----- ways to fail

    def stop(self, mode: str = "fast", wait: bool = True) -> None:
        """smart: sessions may finish, new connections are refused as "shutting down"; fast: sessions are
        ended; immediate: no clean-up at all (as a crash)."""
        signals = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}
        if self.process is None or self.process.poll() is not None:
            return
        self.thaw()
        os.kill(self.postmaster_pid(), signals[mode])
        if wait:
            self.process.wait(timeout=60)

    def restart(self) -> None:
        self.stop("fast")
        self._launch()

    def server_pids(self) -> list[int]:
        """The postmaster and every process it started. Each backend calls setsid(), so a process group
        does not hold them: they are found by their parent in /proc."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        found = [self.postmaster_pid()]
        for pid in found:
            found.extend(child for child, parent in parents.items() if parent == pid)
        return found

    def _signal_all(self, sig: signal.Signals) -> None:
        for pid in self.server_pids():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass  # a backend that ended between the listing and the signal

    def freeze(self) -> None:
        """The server still holds its sockets and the kernel still acknowledges packets, but nothing answers."""
        self._signal_all(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self._signal_all(signal.SIGCONT)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            try:
                os.kill(self.postmaster_pid(), signal.SIGQUIT)
            except ProcessLookupError:
                pass  # it finished its shutdown meanwhile
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._signal_all(signal.SIGKILL)
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if not os.environ.get("GOVDESK_KEEP_FAULT_SERVERS"):
            shutil.rmtree(self.data.parent, ignore_errors=True)


@contextmanager
def netns_context() -> Iterator[NetNamespace]:
    require(missing_for_netns())
    space = NetNamespace.create()
    try:
        yield space
    finally:
        space.delete()


@contextmanager
def private_postgres(template: Path, *, netns: NetNamespace | None = None) -> Iterator[PrivatePostgres]:
    server = PrivatePostgres.start(template, netns=netns)
    try:
        yield server
    finally:
        if netns is not None:
            netns.restore()
        server.close()
