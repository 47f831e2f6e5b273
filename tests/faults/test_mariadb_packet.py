"""Attachments up to MariaDB's max_allowed_packet (issue 12 point 5), on a PRIVATE server.

PyMySQL wrote bytes as hex, twice their size, so an attachment between half of max_allowed_packet and all
of it made the server drop the connection (error 2006). Now blobs travel at their own size; one that truly
does not fit is refused before it is sent, with a message that names the limit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from app.bootstrap import AppContext, bootstrap
from app.core.errors import ValidationError
from app.core.roles import Role
from app.db import migrate
from app.db.backup import backup, copy_database, restore, table_checksums
from app.services.kernel import attachments
from app.services.kernel.actor import Actor
from tests.helpers import UNGUARDED_OWNER, add_user
from tests.helpers.mariadb_server import PrivateMariaDB, start_mariadb

MB = 1024 * 1024
PACKET = 4 * MB


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateMariaDB]:
    private = start_mariadb(max_allowed_packet=PACKET)
    try:
        yield private
    finally:
        private.stop()


def _fresh(server: PrivateMariaDB) -> AppContext:
    context = bootstrap(server.create_database())
    migrate.upgrade(context.engine)
    return context


@pytest.fixture
def maria(server: PrivateMariaDB) -> Iterator[AppContext]:
    """A migrated, empty database on the private server (max_allowed_packet 4 MB)."""
    context = _fresh(server)
    yield context
    context.dispose()


def _clerk(ctx: AppContext) -> Actor:
    return add_user(ctx, "mishu", [Role.SECRETARY], full_name="王秘书")


def _add(ctx: AppContext, actor: Actor, data: bytes, filename: str = "扫描件.pdf") -> int:
    with ctx.uow() as uow:
        info = attachments.add_attachment(
            uow, actor, owner_type=UNGUARDED_OWNER, owner_id=1, filename=filename, data=data
        )
        uow.commit()
    return info.id


def _read(ctx: AppContext, attachment_id: int) -> bytes:
    with ctx.uow() as uow:
        return attachments.attachment_data(uow, attachment_id)[1]


class _Statements:
    """What the engine sends, and on which of the pool's connections."""

    def __init__(self, ctx: AppContext) -> None:
        self.sent: list[str] = []
        self.connections: set[int] = set()
        event.listen(ctx.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.sent.append(" ".join(statement.split()))
        self.connections.add(id(conn.connection.dbapi_connection))

    def inserts_into(self, table: str) -> list[str]:
        return [s for s in self.sent if s.upper().startswith(f"INSERT INTO {table.upper()}")]


def test_an_attachment_of_nine_tenths_of_the_packet_goes_in_and_reads_back(maria: AppContext) -> None:
    clerk = _clerk(maria)
    data = os.urandom(int(0.9 * PACKET))
    attachment_id = _add(maria, clerk, data)
    assert _read(maria, attachment_id) == data


def test_bytes_that_need_escaping_come_back_unchanged(maria: AppContext) -> None:
    """Quotes, backslashes, NUL and bytes that are not UTF-8, in one statement and in many rows at once."""
    clerk = _clerk(maria)
    samples = [
        bytes(range(256)) * 64,
        b"\\" * 1000 + b"'" * 1000 + b"\x00" * 1000 + b'"\x1a\r\n',
        "正文'\\\"".encode() * 500 + b"\xe0\\'\xff'",
        os.urandom(int(0.45 * PACKET)),
    ]
    ids = [_add(maria, clerk, data, f"第{n}件.dat") for n, data in enumerate(samples)]
    assert [_read(maria, i) for i in ids] == samples


def test_a_statement_carries_the_blob_at_its_own_size(maria: AppContext) -> None:
    """The INSERT as PyMySQL puts it on the wire: not hex, which is twice the attachment."""
    from app.db.mysql_blobs import packet_limit

    data = os.urandom(MB)
    with maria.engine.connect() as conn:
        packet_limit(conn)
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        wire = cursor.mogrify("INSERT INTO t (data) VALUES (%s)", (data,))
        cursor.close()
    assert len(wire) < 1.02 * len(data)


def test_blobs_survive_a_server_in_no_backslash_escapes_mode(maria: AppContext) -> None:
    """Where the server's sql_mode has NO_BACKSLASH_ESCAPES, a backslash is an ordinary byte in a literal."""
    from app.db.mysql_blobs import packet_limit

    samples = [b"\\" * 1000 + b"'" * 1000, bytes(range(256)) * 16, os.urandom(int(0.45 * PACKET))]
    with maria.engine.connect() as conn:
        try:
            conn.execute(text("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')"))
            limit = packet_limit(conn)
            assert limit is not None and limit.no_backslash_escapes
            conn.execute(text("CREATE TEMPORARY TABLE blobs (id INT PRIMARY KEY, data LONGBLOB)"))
            conn.execute(text("INSERT INTO blobs VALUES (:id, :data)"), [
                {"id": n, "data": data} for n, data in enumerate(samples)
            ])
            read = conn.execute(text("SELECT data FROM blobs ORDER BY id")).scalars().all()
        finally:
            # This session's sql_mode must not go back into the pool.
            conn.invalidate()
    assert read == samples


def test_an_attachment_over_the_packet_is_refused_before_it_is_sent(maria: AppContext) -> None:
    clerk = _clerk(maria)
    statements = _Statements(maria)
    with maria.uow() as uow:
        with pytest.raises(ValidationError) as refused:
            attachments.add_attachment(
                uow, clerk, owner_type=UNGUARDED_OWNER, owner_id=1, filename="高清扫描件.pdf",
                data=os.urandom(PACKET + MB // 2),
            )
        # The connection survived: nothing too large went out.
        assert uow.session.execute(text("SELECT 1")).scalar_one() == 1
    message = refused.value.message
    assert "高清扫描件.pdf" in message and "max_allowed_packet = 4 MB" in message
    assert "[mysqld]" in message and "64M" in message
    assert statements.inserts_into("attachments") == []


def test_the_limit_is_the_size_on_the_wire_not_the_file_size(maria: AppContext) -> None:
    """A file of backslashes doubles when escaped: 0.6 of the packet in the file is 1.2 on the wire."""
    clerk = _clerk(maria)
    statements = _Statements(maria)
    with maria.uow() as uow:
        with pytest.raises(ValidationError) as refused:
            attachments.add_attachment(
                uow, clerk, owner_type=UNGUARDED_OWNER, owner_id=1, filename="反斜杠.dat",
                data=b"\\" * int(0.6 * PACKET),
            )
    assert "max_allowed_packet = 4 MB" in refused.value.message
    assert statements.inserts_into("attachments") == []
    ordinary = os.urandom(int(0.6 * PACKET))
    assert _read(maria, _add(maria, clerk, ordinary)) == ordinary


def test_the_packet_limit_is_read_once_per_connection(maria: AppContext) -> None:
    clerk = _clerk(maria)
    statements = _Statements(maria)
    for n in range(5):
        _add(maria, clerk, os.urandom(1000), f"{n}.dat")
    reads = sum("max_allowed_packet" in s for s in statements.sent)
    assert 1 <= reads <= len(statements.connections) < 5


def _sqlite_with_blobs(ctx: AppContext, blobs: list[bytes]) -> None:
    clerk = _clerk(ctx)
    for n, data in enumerate(blobs):
        _add(ctx, clerk, data, f"附件{n}.dat")


def test_a_restore_and_a_copy_write_blobs_up_to_the_packet(
    maria: AppContext, server: PrivateMariaDB, sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    # Big ones alone, small ones several to a statement.
    blobs = [os.urandom(int(0.9 * PACKET)), os.urandom(int(0.7 * PACKET))] + [os.urandom(100_000) for _ in range(5)]
    blobs.append(b"\\'" * 1000)
    _sqlite_with_blobs(sqlite_ctx, blobs)
    expected = table_checksums(sqlite_ctx.engine)
    path = backup(sqlite_ctx.engine, tmp_path / "全部.govdesk-backup")

    # Made on a PC without the office key: the override; what is tested here is the packet limit.
    restore(maria.engine, path, accept_unsigned=True)
    assert table_checksums(maria.engine) == expected
    with maria.uow() as uow:
        listed = attachments.list_attachments(uow, UNGUARDED_OWNER, 1)
    assert [hashlib.sha256(_read(maria, a.id)).hexdigest() for a in listed] == [
        hashlib.sha256(b).hexdigest() for b in blobs
    ]

    target = _fresh(server)
    try:
        copy_database(sqlite_ctx.engine, target.engine)
        assert table_checksums(target.engine) == expected
    finally:
        target.dispose()


def test_a_restore_with_a_blob_that_cannot_fit_names_the_limit_and_changes_nothing(
    maria: AppContext, sqlite_ctx: AppContext, tmp_path: Path
) -> None:
    _sqlite_with_blobs(sqlite_ctx, [os.urandom(1000), os.urandom(PACKET + MB // 2)])
    path = backup(sqlite_ctx.engine, tmp_path / "过大.govdesk-backup")
    _add(maria, _clerk(maria), b"before")
    before = table_checksums(maria.engine)
    statements = _Statements(maria)
    with pytest.raises(ValidationError) as refused:
        restore(maria.engine, path, accept_unsigned=True)
    message = refused.value.message
    assert "max_allowed_packet 是 4 MB" in message and "没有改变" in message and "[mysqld]" in message
    assert "64M" in message
    # Checked before the INSERT: the oversized row never went out.
    assert statements.inserts_into("attachments") == []
    assert table_checksums(maria.engine) == before


def test_the_readme_advice_holds_a_50_mb_attachment_goes_in_at_64m(server: PrivateMariaDB) -> None:
    """The README advises max_allowed_packet=64M for the default 50 MB attachment limit."""
    server.set_max_allowed_packet(64 * MB)
    try:
        ctx = _fresh(server)
        try:
            data = os.urandom(50 * MB)
            attachment_id = _add(ctx, _clerk(ctx), data, "五十兆.pdf")
            assert hashlib.sha256(_read(ctx, attachment_id)).digest() == hashlib.sha256(data).digest()
        finally:
            ctx.dispose()
    finally:
        server.set_max_allowed_packet(PACKET)
