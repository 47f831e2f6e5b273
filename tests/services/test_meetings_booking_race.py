"""Two PCs booking the same slot of a room at the same moment cannot both succeed (issue 17): two clients, each
with its own engine on the same PostgreSQL or MariaDB database, in two threads. The first is held open right
after its booking, and a third connection watches the server until the second is seen waiting on a lock; only
then does the first commit. The second must then see the first's booking and be refused, naming it.

SQLite has one writer at a time by design (the database's write lock), so the race is for the servers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.bootstrap import bootstrap
from app.core.errors import ValidationError
from app.db.engine import make_engine
from app.models.meetings import Meeting, MeetingBooking
from app.services.meetings import records
from tests.helpers.document_office import Office, build_office
from tests.helpers.meetings_office import add_rooms, later, meeting_input, new_meeting

# How long the first client holds its booking open at most, waiting for the second to queue behind it.
HOLD_S = 20.0

_WAITING = {
    # A session of this database blocked on a lock: the statement it waits in (PostgreSQL's waiter on a row
    # lock shows only that).
    "postgresql": text(
        "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
        "AND pid <> pg_backend_pid()"
    ),
    # The statement, and the table whose row lock it waits for.
    "mysql": text(
        "SELECT CONCAT(t.trx_query, ' -- waits for a lock on ', l.lock_table) "
        "FROM information_schema.innodb_trx t "
        "JOIN information_schema.innodb_lock_waits w ON w.requesting_trx_id = t.trx_id "
        "JOIN information_schema.innodb_locks l ON l.lock_id = w.requested_lock_id "
        "JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id "
        "WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()"
    ),
}


@dataclass
class Clients:
    first: Office
    second: Office
    url: str
    backend: str


@pytest.fixture
def clients(db_url: str) -> Iterator[Clients]:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite 同一时刻只允许一个写入者（数据库写锁），两台电脑同时预订的竞争只在 PostgreSQL 和 MariaDB 上测试")
    one, two = bootstrap(db_url), bootstrap(db_url)
    try:
        office = build_office(one)
        yield Clients(office, Office(two, office.units, office.people), db_url, one.backend)
    finally:
        one.dispose()
        two.dispose()


@dataclass
class Outcome:
    results: dict[str, Any] = field(default_factory=dict)
    # The statement the second client was seen waiting in, on a lock the first held.
    waited_in: str = ""


def race(
    c: Clients, monkeypatch: pytest.MonkeyPatch, first: Callable[[], Any], second: Callable[[], Any]
) -> Outcome:
    """Runs ``first`` and ``second`` in two threads: the first books and stays open; the second starts then,
    and the first commits only once the server shows the second waiting on a lock."""
    booked, release = threading.Event(), threading.Event()
    original = records.book_room

    def holding(uow: Any, meeting: Meeting, room: Any, starts: datetime, ends: datetime) -> None:
        original(uow, meeting, room, starts, ends)
        if threading.current_thread().name == "first":
            booked.set()
            release.wait(HOLD_S)

    monkeypatch.setattr(records, "book_room", holding)
    outcome = Outcome()

    def run(name: str, call: Callable[[], Any]) -> None:
        if name == "second":
            booked.wait(HOLD_S)
        try:
            outcome.results[name] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts
            outcome.results[name] = error
        finally:
            booked.set()

    threads = [threading.Thread(target=run, args=(n, f), name=n) for n, f in (("first", first), ("second", second))]
    for thread in threads:
        thread.start()
    watcher = make_engine(c.url, isolation_level="AUTOCOMMIT")
    try:
        assert booked.wait(HOLD_S), "the first client never booked"
        deadline = time.monotonic() + HOLD_S
        while time.monotonic() < deadline and threads[1].is_alive():
            with watcher.connect() as conn:
                waiting = [str(q) for q in conn.execute(_WAITING[c.backend]).scalars() if q]
            if waiting:
                outcome.waited_in = waiting[0]
                break
            # MariaDB refreshes its InnoDB lock tables only when last read over 0.1 s before: poll slower.
            time.sleep(0.25)
    finally:
        release.set()
        for thread in threads:
            thread.join(HOLD_S * 2)
        watcher.dispose()
    return outcome


def _meetings_and_bookings(c: Clients) -> tuple[list[str], int]:
    with c.first.ctx.uow() as uow:
        titles = list(uow.session.execute(select(Meeting.title).order_by(Meeting.id)).scalars())
        bookings = uow.session.execute(select(func.count()).select_from(MeetingBooking)).scalar_one()
    return titles, int(bookings)


def test_two_clients_booking_the_same_slot_at_once_one_wins(clients: Clients, monkeypatch: pytest.MonkeyPatch) -> None:
    c = clients
    room = add_rooms(c.first)["第一会议室"]
    outcome = race(
        c, monkeypatch,
        lambda: new_meeting(c.first, room),
        lambda: new_meeting(c.second, room, by="clerk2", title="安全生产专题会", meeting_type="专题会议", **later(1)),
    )
    # The second queued behind the first's open transaction (on the meeting number's row or on the room's).
    assert outcome.waited_in, "the second client never waited for the first"
    assert isinstance(outcome.results["first"], int)
    refused = outcome.results["second"]
    assert isinstance(refused, ValidationError), refused
    assert str(refused) == "第一会议室在12月1日09:00—11:30已被“县政府第12次常务会议”预订，请换一个会议室或时间"
    assert refused.field == "room_id"
    assert _meetings_and_bookings(c) == (["县政府第12次常务会议"], 1)


def test_the_second_waits_on_the_rooms_own_lock(clients: Clients, monkeypatch: pytest.MonkeyPatch) -> None:
    """Across New Year's night the two meetings take numbers of different years, so on PostgreSQL nothing but
    the room's row queues the second client: book_room's UPDATE of the room is where it waits, and what refuses
    it. MariaDB queues it earlier, at the INSERT of the meeting itself (InnoDB locks the gap in the meetings'
    unique index next to the first's uncommitted row), so there the room's own lock is shown by the next test,
    where the second client moves a meeting it already has."""
    c = clients
    room = add_rooms(c.first)["第一会议室"]
    eve = {"starts_at": datetime(2026, 12, 31, 22, 0), "ends_at": datetime(2027, 1, 1, 0, 30)}
    new_year = {"starts_at": datetime(2027, 1, 1, 0, 0), "ends_at": datetime(2027, 1, 1, 1, 0)}
    outcome = race(
        c, monkeypatch,
        lambda: new_meeting(c.first, room, title="跨年值班调度会", meeting_type="工作会议", **eve),
        lambda: new_meeting(c.second, room, by="clerk2", title="元旦应急值守会", meeting_type="工作会议", **new_year),
    )
    if c.backend == "postgresql":
        assert outcome.waited_in.startswith("UPDATE meeting_rooms SET booking_count"), outcome.waited_in
    else:
        assert outcome.waited_in.startswith("INSERT INTO meetings"), outcome.waited_in
    refused = outcome.results["second"]
    assert isinstance(refused, ValidationError), refused
    assert "已被“跨年值班调度会”预订" in str(refused)
    assert _meetings_and_bookings(c) == (["跨年值班调度会"], 1)


def test_moving_a_meeting_into_a_slot_being_booked_waits_on_the_room(
    clients: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second client changes a meeting it has (no new number, no new row): it can only queue on the room."""
    c = clients
    rooms = add_rooms(c.first)
    other = new_meeting(c.first, rooms["第二会议室"], title="教育工作会", meeting_type="工作会议")
    moved = meeting_input(c.second, rooms["第一会议室"], title="教育工作会", meeting_type="工作会议", **later(2))
    outcome = race(
        c, monkeypatch,
        lambda: new_meeting(c.first, rooms["第一会议室"], **later(1)),
        lambda: c.second.run(records.update_meeting, c.second.clerk2, other, moved),
    )
    assert outcome.waited_in.startswith("UPDATE meeting_rooms SET booking_count"), outcome.waited_in
    if c.backend == "mysql":
        assert outcome.waited_in.endswith("`.`meeting_rooms`"), outcome.waited_in
    refused = outcome.results["second"]
    assert isinstance(refused, ValidationError) and "已被“县政府第12次常务会议”预订" in str(refused), refused
    # The meeting moved nowhere: still in the 第二会议室 at its time.
    info = c.first.run(records.get_meeting, c.first.clerk, other)
    assert (info.room_name, info.when) == ("第二会议室", "2026年12月1日（星期二）09:00—11:30")
