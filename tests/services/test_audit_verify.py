"""verify_chain reads plain tuples and hashes them without the ORM's types; what it reports is what the
check through the table's types reported, entry for entry, on SQLite, PostgreSQL and MariaDB. It reports
progress once per batch and stops when asked."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, update

from app import cli
from app.bootstrap import AppContext
from app.core.errors import WorkCancelled
from app.db.tables import audit_log, sequences
from app.services.admin import audit, audit_server_check
from app.services.kernel.audit_chain import AUDIT_SEQUENCE, GENESIS_HASH, entry_hash
from app.services.kernel.sequences import current_number
from tests.helpers.audit_chain import recompute_chain_from
from tests.helpers.cli import run

# Entries a unit of work might write, with what the payload's json must escape: quotes, backslashes, a
# newline inside a value (json.dumps writes it as \n, which is escaped again in the payload), no user,
# no record, Chinese text and a character outside the BMP.
ENTRIES: list[tuple[int | None, str, str, str, int | None, dict[str, object]]] = [
    (None, "system", "update", "settings", None, {"office_name": ["旧", "青山县人民政府办公室"]}),
    (7, "zhang\"wei", "transition", "outgoing_document", 12,
     {"opinion": "同意。\n请按\"程序\"办理\\备案", "state": ["draft", "review"]}),
    (3, "lina", "login", "user", 3, {}),
    (None, "", "login_failed", "user", None, {"reason": "unknown_or_inactive", "name": "𠀋王\t"}),
    (9, "wangfang", "create", "petition", 40001, {"title": "关于“清廉机关”创建活动的来信", "pages": 3}),
]


def make_chain(ctx: AppContext, copies: int = 3) -> int:
    """Some units of work of one to three entries each; the number of entries."""
    written = 0
    for i in range(copies):
        for start in range(0, len(ENTRIES), 2):
            with ctx.uow() as uow:
                for user_id, name, action, entity, entity_id, detail in ENTRIES[start:start + 2 + i % 2]:
                    uow.record(user_id, name, action, entity, entity_id, detail)
                    written += 1
                uow.commit()
    return written


def checked_the_old_way(ctx: AppContext) -> audit.ChainReport:
    """The check as it was before the plain-tuple walk: every row through the table's types, the datetime
    rebuilt, entry_hash for each. The new walk must say the same."""
    with ctx.uow() as uow:
        rows = uow.execute(select(audit_log).order_by(audit_log.c.seq)).all()
        problems: list[audit.ChainProblem] = []
        expected, prev = 1, GENESIS_HASH
        for row in rows:
            if row.seq != expected:
                problems.append(audit.ChainProblem(expected, f"缺少第 {expected}–{row.seq - 1} 条记录（已被删除）"))
            if row.prev_hash != prev:
                problems.append(audit.ChainProblem(row.seq, "与前一条记录的链接不符"))
            recomputed = entry_hash(row.prev_hash, row.seq, row.at, row.user_id, row.username, row.action,
                                    row.entity_type, row.entity_id, row.detail)
            if recomputed != row.hash:
                problems.append(audit.ChainProblem(row.seq, "内容与校验值不符（已被修改）"))
            prev, expected = row.hash, row.seq + 1
        issued = current_number(uow, AUDIT_SEQUENCE, 0)
        if issued >= expected:
            problems.append(audit.ChainProblem(expected, f"最后 {issued - expected + 1} 条记录缺失（已被删除）"))
        return audit.ChainReport(len(rows), tuple(problems), ())


def check(ctx: AppContext, batch: int) -> audit.ChainReport:
    with ctx.uow() as uow:
        report = audit.verify_chain(uow, batch)
    # Without a key the anchors are only a note; the chain's own problems are compared.
    return audit.ChainReport(report.checked, report.problems, ())


@pytest.fixture
def slow_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The last seq of each batch that was read again through the table's types."""
    read_again: list[int] = []
    exact = audit._Chain.walk_exact

    def counted(self: audit._Chain, uow: audit.UnitOfWork, until: int) -> None:
        read_again.append(until)
        exact(self, uow, until)

    monkeypatch.setattr(audit._Chain, "walk_exact", counted)
    return read_again


@pytest.mark.parametrize("batch", [4, 5000])
def test_an_untouched_chain_passes_without_the_typed_reading(
    ctx: AppContext, batch: int, slow_batches: list[int]
) -> None:
    written = make_chain(ctx)
    # One entry at a whole second: isoformat() leaves the microseconds out, and so must the walk.
    recompute_chain_from(ctx, 2, at=datetime(2026, 3, 9, 8, 30, 0, tzinfo=UTC))
    report = check(ctx, batch)
    assert report.ok and report.checked == written
    assert report == checked_the_old_way(ctx)
    # Every batch went the fast way: the text each database hands over hashes as the writer's datetime.
    assert slow_batches == []


def test_an_sqlite_without_json_functions_walks_the_columns(
    sqlite_ctx: AppContext, monkeypatch: pytest.MonkeyPatch, slow_batches: list[int]
) -> None:
    """Python's SQLite before 3.38 may lack json_array: the walk then builds the payload from ten columns."""
    monkeypatch.setattr(audit, "_SQLITE_JSON_PROBE", "SELECT no_such_function(1)")
    walked: list[int] = []
    fast = audit._Chain.walk_fast

    def counted(self: audit._Chain, rows: list[tuple[object, ...]]) -> bool:
        walked.append(len(rows))
        return fast(self, rows)

    monkeypatch.setattr(audit._Chain, "walk_fast", counted)
    written = make_chain(sqlite_ctx)
    recompute_chain_from(sqlite_ctx, 2, at=datetime(2026, 3, 9, 8, 30, 0, tzinfo=UTC))
    report = check(sqlite_ctx, 4)
    assert report.ok and report.checked == written and report == checked_the_old_way(sqlite_ctx)
    assert sum(walked) == written and slow_batches == []


@pytest.mark.parametrize("batch", [4, 5000])
def test_a_tampered_row_is_found_as_before(ctx: AppContext, batch: int, slow_batches: list[int]) -> None:
    make_chain(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 6).values(detail='{"opinion": "不同意"}'))
        conn.execute(update(audit_log).where(audit_log.c.seq == 11).values(at=datetime(2020, 1, 1, tzinfo=UTC)))
    report = check(ctx, batch)
    assert [(p.seq, p.message) for p in report.problems] == [
        (6, "内容与校验值不符（已被修改）"), (11, "内容与校验值不符（已被修改）")]
    assert report == checked_the_old_way(ctx)
    assert slow_batches  # the batches with the rows were read again, to name them


def test_a_forged_row_with_a_recomputed_hash_breaks_the_next_link(ctx: AppContext) -> None:
    make_chain(ctx)
    with ctx.engine.begin() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.seq == 5)).one()
        forged = '{"opinion": "伪造\\n的意见"}'
        digest = entry_hash(row.prev_hash, row.seq, row.at, row.user_id, "intruder", row.action,
                            row.entity_type, row.entity_id, forged)
        conn.execute(update(audit_log).where(audit_log.c.seq == 5).values(username="intruder", detail=forged, hash=digest))
    report = check(ctx, 4)
    assert [(p.seq, p.message) for p in report.problems] == [(6, "与前一条记录的链接不符")]
    assert report == checked_the_old_way(ctx)


@pytest.mark.parametrize("batch", [4, 5000])
def test_a_deleted_row_is_found_as_before(ctx: AppContext, batch: int) -> None:
    written = make_chain(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq.in_([4, 9, 10])))
    report = check(ctx, batch)
    assert report.checked == written - 3
    assert [(p.seq, p.message) for p in report.problems] == [
        (4, "缺少第 4–4 条记录（已被删除）"), (5, "与前一条记录的链接不符"),
        (9, "缺少第 9–10 条记录（已被删除）"), (11, "与前一条记录的链接不符")]
    assert report == checked_the_old_way(ctx)


@pytest.mark.parametrize("batch", [4, 5000])
def test_a_cut_end_is_found_as_before(ctx: AppContext, batch: int) -> None:
    written = make_chain(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq > written - 5))
    report = check(ctx, batch)
    assert [(p.seq, p.message) for p in report.problems] == [(written - 4, "最后 5 条记录缺失（已被删除）")]
    assert report == checked_the_old_way(ctx)


def test_progress_is_reported_once_a_batch(ctx: AppContext) -> None:
    written = make_chain(ctx)
    seen: list[tuple[int, int]] = []
    with ctx.uow() as uow:
        report = audit.verify_chain(uow, 4, progress=lambda done, total: seen.append((done, total)))
    assert report.ok
    assert seen == [(0, written)] + [(min(done, written), written) for done in range(4, written + 4, 4)]


def entries(ctx: AppContext) -> tuple[int, int]:
    with ctx.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
        issued = conn.execute(select(sequences.c.last_value).where(sequences.c.key == AUDIT_SEQUENCE)).scalar_one()
    return count, issued


def test_cancel_stops_between_batches_and_changes_nothing(ctx: AppContext) -> None:
    make_chain(ctx)
    before = entries(ctx)
    seen: list[int] = []
    with ctx.uow() as uow, pytest.raises(WorkCancelled) as stopped:
        audit.verify_chain(uow, 4, progress=lambda done, _total: seen.append(done), cancelled=lambda: len(seen) >= 3)
    assert str(stopped.value) == "已取消核验"
    assert seen == [0, 4, 8]  # no batch read after the cancel

    def stop_at_eight(done: int, _total: int) -> None:
        if done >= 8:
            raise WorkCancelled()

    # The way the window stops it: its progress call raises once 取消 was pressed.
    with ctx.uow() as uow, pytest.raises(WorkCancelled):
        audit.verify_chain(uow, 4, progress=stop_at_eight)
    assert entries(ctx) == before


def test_a_control_character_in_a_stored_name_verifies_as_before(ctx: AppContext) -> None:
    """json.dumps escapes it; the walk must too, or send the batch the typed way (MariaDB does)."""
    make_chain(ctx, copies=1)
    with ctx.uow() as uow:
        uow.record(5, "li\tna\x01", "login", "user", 5, {})
        uow.commit()
    report = check(ctx, 4)
    assert report.ok and report == checked_the_old_way(ctx)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_shows_a_percentage_on_a_terminal_only(
    capsys: pytest.CaptureFixture[str], sqlite_ctx: AppContext, sqlite_url: str
) -> None:
    written = make_chain(sqlite_ctx, copies=1)
    code, out, err = run(capsys, "--database", sqlite_url, "audit", "verify")
    # Into a pipe or a file (a scheduled task's log): the verdict only.
    assert code == 0 and f"共核对 {written} 条记录，未发现删除或篡改" in out
    assert "%" not in err and "已核验" not in err

    terminal = Terminal()
    show = cli._verify_progress(terminal)
    assert show is not None and cli._verify_progress(io.StringIO()) is None
    with sqlite_ctx.uow() as uow:
        audit.verify_chain(uow, 2, progress=show)
    lines = terminal.getvalue().split("\r")[1:]
    assert lines[0] == f"核验审计日志：  0%（已核验 0 / 共 {written} 条）"
    assert lines[1] == f"核验审计日志： 40%（已核验 2 / 共 {written} 条）"
    assert lines[-1] == f"核验审计日志：100%（已核验 {written} / 共 {written} 条）"


@pytest.fixture
def server_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of each batch the server checked (audit_server_check): PostgreSQL and MariaDB only."""
    checked: list[int] = []
    walk = audit._Chain.walk_checked

    def counted(self: audit._Chain, rows: list[tuple[object, ...]]) -> bool:
        passed = walk(self, rows)
        if passed:
            checked.append(int(rows[-1][0]) - int(rows[0][0]) + 1)  # type: ignore[call-overload]
        return passed

    monkeypatch.setattr(audit._Chain, "walk_checked", counted)
    return checked


@pytest.mark.parametrize("micro", [0, 500000, 10, 123456])
def test_the_server_hashes_each_entry_as_the_writer_did(
    ctx: AppContext, micro: int, server_batches: list[int], slow_batches: list[int]
) -> None:
    """A fraction with trailing zeros (PostgreSQL writes 08:30:00.5), a whole second, quotes, backslashes,
    Chinese and a character outside the BMP: on a server every batch passes as the server hashed it."""
    written = make_chain(ctx)
    recompute_chain_from(ctx, 3, at=datetime(2026, 3, 9, 8, 30, 0, micro, tzinfo=UTC))
    report = check(ctx, 4)
    assert report.ok and report.checked == written and report == checked_the_old_way(ctx)
    assert slow_batches == []
    if ctx.engine.dialect.name == "sqlite":
        assert server_batches == []
    else:
        assert sum(server_batches) == written


@pytest.mark.parametrize("batch", [4, 5000])
def test_a_hash_changed_only_in_its_letters_case_is_found(ctx: AppContext, batch: int) -> None:
    """MariaDB compares text without regard to case: the server's check compares the bytes."""
    make_chain(ctx)
    with ctx.engine.begin() as conn:
        stored = conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == 5)).scalar_one()
        conn.execute(update(audit_log).where(audit_log.c.seq == 5).values(hash=stored.upper()))
    report = check(ctx, batch)
    assert not report.ok and report == checked_the_old_way(ctx)
    assert [p.seq for p in report.problems] == [5, 6]


def test_a_batch_that_starts_after_a_gap_is_not_let_through(ctx: AppContext, server_batches: list[int]) -> None:
    """The server checks links inside a batch; the walk checks that the batch's first entry follows the last
    one it passed, so a deleted entry at a batch's edge is still found."""
    make_chain(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq == 5))
    report = check(ctx, 4)
    assert [(p.seq, p.message) for p in report.problems] == [
        (5, "缺少第 5–5 条记录（已被删除）"), (6, "与前一条记录的链接不符")]
    assert report == checked_the_old_way(ctx)


def test_a_server_that_cannot_hash_hands_over_the_entries_for_the_walk(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, server_batches: list[int], slow_batches: list[int]
) -> None:
    """A server without SHA-256 (an old one, or built without it): the walk hashes the rows it reads."""
    monkeypatch.setattr(audit_server_check, "_PROBE", {"postgresql": "SELECT 'none'", "mysql": "SELECT NULL"})
    written = make_chain(ctx)
    recompute_chain_from(ctx, 2, at=datetime(2026, 3, 9, 8, 30, 0, 500000, tzinfo=UTC))
    report = check(ctx, 4)
    assert report.ok and report.checked == written and report == checked_the_old_way(ctx)
    assert server_batches == [] and slow_batches == []


@pytest.mark.parametrize("batch", [4, 5000])
def test_a_deleted_stretch_as_long_as_a_batch_is_found(ctx: AppContext, batch: int) -> None:
    """On a server the batches are ranges of seq: the range 5–8 holds nothing once they are deleted, and the
    next batch, which does not follow the last entry passed, names the gap."""
    written = make_chain(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq.between(5, 8)))
    report = check(ctx, batch)
    assert report.checked == written - 4
    assert [(p.seq, p.message) for p in report.problems] == [
        (5, "缺少第 5–8 条记录（已被删除）"), (9, "与前一条记录的链接不符")]
    assert report == checked_the_old_way(ctx)


def test_entries_written_while_the_check_runs_are_checked_too(ctx: AppContext) -> None:
    """Someone works while the administrator verifies: what they commit meanwhile is checked, not reported
    as a cut end."""
    written = make_chain(ctx)
    added: list[int] = []

    def someone_works(done: int, _total: int) -> None:
        if done and not added:
            with ctx.uow() as other:
                other.record(3, "lina", "login", "user", 3, {})
                other.commit()
            added.append(1)

    # One batch of exactly the entries there are: the new one is after the last range asked.
    with ctx.uow() as uow:
        report = audit.verify_chain(uow, written, progress=someone_works)
    assert report.ok, report.summary()
    # SQLite reads the log as it was when the check began; a server reads each statement as it is then.
    assert report.checked in (written, written + 1)
    assert check(ctx, 4).checked == written + 1


def test_the_server_checks_two_batches_at_once(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, server_batches: list[int]
) -> None:
    """Each batch on a connection of its own: both are in the server at the same time (the barrier lets the
    first through only once the second has come), so the server hashes on two cores."""
    if ctx.backend == "sqlite":
        pytest.skip("SQLite hashes in the walk, one batch after another")
    written = make_chain(ctx)
    both_in = threading.Barrier(audit_server_check.CONNECTIONS, timeout=20)
    check_range = audit_server_check.RangeChecker._check
    first_ranges: list[int] = []

    def together(self: audit_server_check.RangeChecker, after: int) -> list[tuple[object, ...]]:
        if after < 4 * audit_server_check.CONNECTIONS:
            first_ranges.append(after)
            both_in.wait()
        return check_range(self, after)

    monkeypatch.setattr(audit_server_check.RangeChecker, "_check", together)
    report = check(ctx, 4)
    assert report.ok and report.checked == written and report == checked_the_old_way(ctx)
    assert sorted(first_ranges) == [0, 4] and sum(server_batches) == written
