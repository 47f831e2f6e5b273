"""Records new to the 综合查询 index wait unposted (search_pending) and are posted together by the write that makes
enough of them wait: they are found either way, a waiting record's change or deletion is what the index holds,
the posting writes what a rebuild writes, and on a server two writes neither post a record twice nor post the
old text of a record another is changing."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy import event, func, select, update

from app.bootstrap import AppContext
from app.db.tables import search_pending, search_postings
from app.models.documents import Document
from app.services.documents import outgoing
from app.services.kernel.uow import UnitOfWork
from app.services.search import query as search
from app.services.search import upkeep
from app.services.search.sources import SearchEntry, searched
from tests.helpers import search_checks
from tests.helpers.document_office import Office, build_office, new_draft, new_incoming

KIND = "document"


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _found(office: Office, typed: str) -> list[int]:
    return sorted(hit.record_id for hit in office.run(search.search_kind, office.director, KIND, typed).hits)


def _waiting(office: Office) -> set[int]:
    with office.ctx.uow() as uow:
        return set(uow.execute(select(search_pending.c.record_id)).scalars())


def _posted(office: Office) -> set[int]:
    with office.ctx.uow() as uow:
        return set(uow.execute(select(search_postings.c.record_id).distinct()).scalars())


def test_new_records_wait_and_the_write_that_makes_enough_wait_posts_them_all(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upkeep, "POST_AT", 3)
    first = new_incoming(office, title="关于候补一号事项的通知")
    second = new_incoming(office, title="关于候补二号事项的通知")
    assert _waiting(office) == {first, second} and _posted(office) == set()
    assert _found(office, "候补") == [first, second]
    third = new_incoming(office, title="关于候补三号事项的通知")
    assert _waiting(office) == set() and _posted(office) == {first, second, third}
    assert _found(office, "候补") == [first, second, third]
    assert _found(office, "三号") == [third]
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)


def test_a_waiting_record_changed_is_found_as_it_is_now(office: Office) -> None:
    changed = new_draft(office, title="关于旧名称事项的通知")
    with office.ctx.uow() as uow:
        outgoing.update_draft(uow, office.clerk, changed, title="关于新名称事项的通知")
    assert _waiting(office) == {changed}
    assert _found(office, "旧名称") == [] and _found(office, "新名称") == [changed]
    # Posted afterwards, it is posted with the text it has now.
    with office.ctx.uow() as uow:
        assert upkeep.post_waiting(uow) == 1
        uow.commit()
    assert _found(office, "旧名称") == [] and _found(office, "新名称") == [changed]
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)


@dataclass
class _Hiding:
    """The documents' source with one record gone from it, as a deleted record is gone from its area."""

    hidden: int
    files_private: bool = False

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        _, source = searched()[KIND]
        return [entry for entry in source.entries(uow, record_ids) if entry.record_id != self.hidden]


@pytest.mark.parametrize("posted", [False, True])
def test_a_record_gone_from_its_area_leaves_the_index(office: Office, posted: bool) -> None:
    gone = new_incoming(office, title="关于将删事项的通知")
    kept = new_incoming(office, title="关于留下事项的通知")
    if posted:
        with office.ctx.uow() as uow:
            upkeep.post_waiting(uow)
            uow.commit()
    spec, _ = searched()[KIND]
    with office.ctx.uow() as uow:
        upkeep.refresh(uow, spec, _Hiding(gone), [gone])  # type: ignore[arg-type]
        uow.commit()
    assert _found(office, "事项") == [kept]
    assert gone not in _waiting(office) | _posted(office)


def test_a_posted_record_changed_has_its_postings_changed_by_difference(office: Office) -> None:
    doc = new_draft(office, title="关于甲乙事项的通知")
    with office.ctx.uow() as uow:
        upkeep.post_waiting(uow)
        uow.commit()
    with office.ctx.uow() as uow:
        outgoing.update_draft(uow, office.clerk, doc, title="关于丙丁事项的通知")
    assert _waiting(office) == set() and _posted(office) == {doc}
    assert _found(office, "甲乙") == [] and _found(office, "丙丁") == [doc]
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)


def _servers_only(office: Office) -> None:
    if office.ctx.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: no two writes post at once")


def test_a_post_skips_a_waiting_record_another_write_is_changing(office: Office) -> None:
    _servers_only(office)
    doc = new_draft(office, title="关于原有文字事项的通知")
    other = new_draft(office, title="关于旁边事项的通知")
    with office.ctx.uow() as changing:
        with changing.as_one():
            outgoing.update_draft(changing, office.clerk, doc, title="关于改后文字事项的通知")
        upkeep.keep_index(changing, changing.pending)  # the change's index rows, locked until it commits
        started = time.perf_counter()
        with office.ctx.uow() as posting:
            assert upkeep.post_waiting(posting) == 1  # the other one; this one is skipped, not waited for
            posting.commit()
        assert time.perf_counter() - started < 5
        changing.commit()
    assert _waiting(office) == {doc} and _posted(office) == {other}
    assert _found(office, "原有") == [] and _found(office, "改后") == [doc]
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)


def test_a_change_waits_for_a_post_holding_its_record_then_changes_its_postings(office: Office) -> None:
    _servers_only(office)
    doc = new_draft(office, title="关于先前说法事项的通知")
    posted = threading.Event()
    release = threading.Event()
    failures: list[BaseException] = []

    def post() -> None:
        try:
            with office.ctx.uow() as posting:
                assert upkeep.post_waiting(posting) == 1
                posted.set()
                release.wait(10)
                posting.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test's own thread
            failures.append(error)
            posted.set()

    poster = threading.Thread(target=post)
    poster.start()
    assert posted.wait(10) and not failures
    timer = threading.Timer(1.0, release.set)
    timer.start()
    try:
        with office.ctx.uow() as uow:
            outgoing.update_draft(uow, office.clerk, doc, title="关于后来说法事项的通知")
    finally:
        release.set()
        timer.cancel()
        poster.join(10)
    assert not failures
    assert _waiting(office) == set() and _posted(office) == {doc}
    assert _found(office, "先前") == [] and _found(office, "后来") == [doc]
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)


def test_how_many_wait(office: Office) -> None:
    """Nothing waits once the rebuild has run: it posts every record itself."""
    new_incoming(office, title="关于重建前事项的通知")
    assert len(_waiting(office)) == 1
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)
    with office.ctx.uow() as uow:
        assert uow.execute(select(func.count()).select_from(search_pending)).scalar_one() == 0


def test_a_new_record_has_its_row_written_without_reading_it_first(office: Office) -> None:
    """A record this work created has no row yet: one statement writes it (no read of the old row before)."""
    on_the_rows: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "search_records" in statement:
            on_the_rows.append(statement.split()[0].upper())

    event.listen(office.ctx.engine, "before_cursor_execute", seen)
    try:
        created = new_incoming(office, title="关于一笔写成事项的通知")
    finally:
        event.remove(office.ctx.engine, "before_cursor_execute", seen)
    assert on_the_rows == ["INSERT"]
    assert _waiting(office) == {created} and _found(office, "一笔写成") == [created]
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)


def test_a_record_said_to_be_created_again_keeps_its_one_row_as_it_is_now(office: Office) -> None:
    """A flow started on a record that is already in the index says "create" too: its row is brought up to
    date, not written twice."""
    existing = new_incoming(office, title="关于再次创建事项的通知")
    with office.ctx.uow() as uow:
        uow.execute(update(Document.__table__).where(Document.__table__.c.id == existing)
                    .values(title="关于重新开始事项的通知"))
        uow.record(None, "system", "create", KIND, existing, {}, change_op="create")
        uow.commit()
    assert _found(office, "再次创建") == [] and _found(office, "重新开始") == [existing]
    search_checks.assert_upkeep_is_a_rebuild(KIND, office.ctx)
