"""A slow LAN: what login, the 工作台, a list page and opening a record cost in round trips and time,
with a delay relay between the program and PostgreSQL.

    python -m bench.lan                                  # 0 and 50 ms round trip, 127.0.0.1:5432
    python -m bench.lan --rtt 0 --rtt 50 --rtt 100 --runs 7
    python -m bench.lan --server postgresql://postgres@127.0.0.1:5432/test --size 200

The bench drops and recreates a database called govdesk_lan on that server and fills it with the demo
office (`govdesk demo-data`). It then starts a relay (DelayRelay, below: a small threaded TCP relay that
holds every chunk for half the round trip in each direction) and points the program's own engine
(app.bootstrap.bootstrap) at the relay. Each use case is the service call its window makes, in a unit of
work of its own, as the window makes it. The relay counts round trips: one is a turn in which the
program sent something and the server answered. The figure is the median of the runs after a warm-up
(the first connection's set-up is not counted: the program keeps its connections in a pool).
"""

from __future__ import annotations

import argparse
import queue
import socket
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "govdesk_lan"
CHUNK = 65536


# ----- the relay ---------------------------------------------------------------------------------------------


class DelayRelay:
    """A TCP relay on 127.0.0.1 that forwards to ``target`` and holds every chunk ``delay`` seconds
    each way, keeping their order. It counts round trips: a turn in which the client spoke and the
    server then answered (on every connection, summed)."""

    def __init__(self, target: tuple[str, int], delay: float = 0.0) -> None:
        self.target = target
        self.delay = delay
        self._lock = threading.Lock()
        self._round_trips = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._closing = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, name="relay-accept", daemon=True).start()

    @property
    def round_trips(self) -> int:
        with self._lock:
            return self._round_trips

    def reset(self) -> None:
        with self._lock:
            self._round_trips = 0

    def close(self) -> None:
        self._closing = True
        self._listener.close()
        for sock in list(self._sockets):
            _close(sock)

    def __enter__(self) -> DelayRelay:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _close(client)
                continue
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._sockets.append(sock)
            # Whether the client has spoken since the server last answered, per connection.
            asked = [False]
            self._pump(client, server, lambda: self._client_spoke(asked))
            self._pump(server, client, lambda: self._server_spoke(asked))

    def _client_spoke(self, asked: list[bool]) -> None:
        asked[0] = True

    def _server_spoke(self, asked: list[bool]) -> None:
        if asked[0]:
            asked[0] = False
            with self._lock:
                self._round_trips += 1

    def _pump(self, source: socket.socket, sink: socket.socket, heard: Callable[[], None]) -> None:
        """Reads from source and hands each chunk to a sender that writes it to sink once its time is up."""
        held: queue.Queue[tuple[float, bytes]] = queue.Queue()

        def read() -> None:
            while True:
                try:
                    data = source.recv(CHUNK)
                except OSError:
                    data = b""
                # Counted as it is read: the counting sees the order the two ends spoke in.
                if data:
                    heard()
                held.put((time.perf_counter() + self.delay, data))
                if not data:
                    return

        def send() -> None:
            while True:
                due, data = held.get()
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    _close(sink)
                    return
                try:
                    sink.sendall(data)
                except OSError:
                    _close(source)
                    return

        threading.Thread(target=read, name="relay-read", daemon=True).start()
        threading.Thread(target=send, name="relay-send", daemon=True).start()


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def through(url: URL, relay: DelayRelay) -> URL:
    """The same database, reached through the relay."""
    return url.set(host="127.0.0.1", port=relay.port)


# ----- the bench database ------------------------------------------------------------------------------------


def build_database(server: URL, name: str, size: int) -> URL:
    """A fresh database on the server with the demo office and ``size`` records."""
    from app.bootstrap import bootstrap
    from app.db.migrate import upgrade
    from app.demo.generate import generate_demo_data

    admin = create_engine(server.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    finally:
        admin.dispose()
    url = server.set(database=name)
    ctx = bootstrap(url)
    try:
        upgrade(ctx.engine)
        generate_demo_data(ctx, size=size)
    finally:
        ctx.dispose()
    return url


# ----- the use cases -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    label: str
    run: Callable[[Any], object]  # takes the AppContext
    # Called, untimed, before each run: what the open window's change poller does every 3 s in the
    # background (app.services.kernel.access: it vouches for the signed-in user, or forgets them).
    before: Callable[[], None] = lambda: None


def use_cases(ctx: Any) -> list[Case]:
    """The calls each window makes, found in the bench database: a secretary's login and 工作台, the first
    page of the 发文 list, the 发文 with the most history, and the 报销单 with the most lines."""
    from app.core.documents import OUTGOING
    from app.demo.office import DEMO_PASSWORD
    from app.services.admin import auth
    from app.services.claims import records as claims
    from app.services.documents import records as documents
    from app.services.kernel import access
    from app.services.kernel.settings import work_calendar
    from app.services.workflow import todo

    with ctx.uow() as uow:
        username = uow.execute(text(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id "
            "WHERE r.role_code = 'secretary' AND u.active ORDER BY u.id LIMIT 1"
        )).scalar_one()
        actor = auth.login(uow, username, DEMO_PASSWORD)
    with ctx.uow() as uow:
        document_id = uow.execute(text(
            "SELECT i.entity_id FROM workflow_instances i JOIN workflow_history h ON h.instance_id = i.id "
            "JOIN documents d ON d.id = i.entity_id WHERE i.entity_type = 'document' AND d.direction = :out "
            "GROUP BY i.entity_id ORDER BY count(*) DESC, i.entity_id LIMIT 1"
        ), {"out": OUTGOING}).scalar_one()
        claim_id = uow.execute(text(
            "SELECT c.id FROM claims c JOIN claim_lines l ON l.claim_id = c.id WHERE c.submitted "
            "GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"
        )).scalar_one()
    # Who opens the claim: the finance staff see every submitted claim.
    with ctx.uow() as uow:
        finance_name = uow.execute(text(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id "
            "WHERE r.role_code = 'finance' AND u.active ORDER BY u.id LIMIT 1"
        )).scalar_one()
        finance = auth.login(uow, finance_name, DEMO_PASSWORD)

    def vouched() -> None:
        access.confirm(ctx.engine, actor)
        access.confirm(ctx.engine, finance)

    def not_vouched() -> None:
        # The window's poller has not vouched for the user in the last 10 s (a stopped or slow poll).
        access.forget(ctx.engine, actor.id)

    def login(c: Any) -> object:
        with c.uow() as uow:
            return auth.login(uow, username, DEMO_PASSWORD)

    def workbench(c: Any) -> object:
        with c.uow() as uow:
            today = date.today()
            return todo.todo(uow, actor, today), work_calendar(uow).is_workday(today)

    def list_page(c: Any) -> object:
        with c.uow() as uow:
            return documents.list_documents(uow, actor, direction=OUTGOING, offset=0, limit=100, order_by="date")

    def open_document(c: Any) -> object:
        return _open_document(c, actor, document_id)

    def open_claim(c: Any) -> object:
        with c.uow() as uow:
            return claims.get_claim(uow, finance, claim_id)

    return [
        Case("login (登录)", login),
        Case("工作台 first load", workbench, vouched),
        Case("公文 list, first page (发文, 100 rows)", list_page, vouched),
        Case("公文 list, first page, the user not vouched for by a poll", list_page, not_vouched),
        Case(f"open a 发文 (id {document_id})", open_document, vouched),
        Case(f"open a 报销单 (id {claim_id})", open_claim, vouched),
    ]


def _open_document(ctx: Any, actor: Any, document_id: int) -> object:
    """What the 公文 window's load does (app.ui.documents.window._read_document)."""
    from app.services.documents import records as documents

    with ctx.uow() as uow:
        return documents.get_document(uow, actor, document_id)


# ----- measuring ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    rtt_ms: float
    round_trips: int
    statements: int
    median_ms: float


def measure(url: URL, rtt_ms: float, runs: int) -> list[Figure]:
    from sqlalchemy import event

    from app.bootstrap import bootstrap

    relay = DelayRelay((url.host or "127.0.0.1", url.port or 5432), rtt_ms / 2000)
    ctx = bootstrap(through(url, relay))
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    event.listen(ctx.engine, "before_cursor_execute", count)
    figures: list[Figure] = []
    try:
        for case in use_cases(ctx):
            case.before()
            case.run(ctx)  # warm-up: the pool has its connection, the statements are compiled
            case.before()
            relay.reset()
            statements[0] = 0
            case.run(ctx)
            trips, said = relay.round_trips, statements[0]
            times = []
            for _ in range(runs):
                case.before()
                started = time.perf_counter()
                case.run(ctx)
                times.append((time.perf_counter() - started) * 1000)
            figures.append(Figure(case.label, rtt_ms, trips, said, statistics.median(times)))
    finally:
        ctx.dispose()
        relay.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=DEFAULT_SERVER, help="a PostgreSQL database the bench may connect to")
    parser.add_argument("--rtt", type=float, action="append", help="round trip added by the relay, ms (repeatable)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=200, help="demo records (govdesk demo-data --size)")
    parser.add_argument("--reuse", action="store_true", help="use the bench database as it is")
    args = parser.parse_args(argv)
    server = make_url(args.server)
    url = server.set(database=BENCH_DATABASE)
    if not args.reuse:
        print(f"building {BENCH_DATABASE} with {args.size} demo records …", flush=True)
        url = build_database(server, BENCH_DATABASE, args.size)
    rtts = args.rtt or [0.0, 50.0]
    results = [figure for rtt in rtts for figure in measure(url, rtt, args.runs)]
    print()
    print("| use case | added RTT ms | round trips | statements | median ms |")
    print("|---|---:|---:|---:|---:|")
    for f in results:
        print(f"| {f.label} | {f.rtt_ms:g} | {f.round_trips} | {f.statements} | {f.median_ms:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
