"""What the 综合查询 tests of every area ask of the index: what an actor finds of one kind, the hit they are shown,
the index as it stands, that the index the upkeep kept is the one a rebuild writes, and that a record is found
inside its commit and from nowhere else until the commit ends.

Each takes the kind (the entity type, as ``searched()`` keys it) first, so a test module binds it once:
``found = functools.partial(search_checks.found, KIND)``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from app.bootstrap import AppContext
from app.db.tables import search_records
from app.services.kernel import audit_chain
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.search import query
from app.services.search.reindex import reindex
from app.services.search.sources import searched
from app.services.search.upkeep import expected_rows, postings_of
from tests.helpers.document_office import Office

# Every column of an index row but the time it was written: what the upkeep and a rebuild must agree on.
Index = tuple[set[tuple[Any, ...]], dict[tuple[int, int, int], bool]]


@contextlib.contextmanager
def statements_sent(ctx: AppContext, holding: str) -> Iterator[list[str]]:
    """The statements sent on the context's engine meanwhile that hold ``holding``, each on one line (its
    whitespace folded), in the order sent."""
    sent: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if holding in statement:
            sent.append(" ".join(statement.split()))

    event.listen(ctx.engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(ctx.engine, "before_cursor_execute", seen)


def code_of(kind: str) -> int:
    """The code the index keeps the kind under."""
    return searched()[kind][0].code


def found(kind: str, ctx: AppContext, actor: Actor, text: str, **filters: Any) -> list[int]:
    """The records of the kind the actor finds, sorted, in a fresh unit of work (another connection than any
    open one, so a test may ask while a transaction is still open)."""
    with ctx.uow() as uow:
        results = query.search_kind(uow, actor, kind, text, query.SearchFilters(**filters))
    return sorted(hit.record_id for hit in results.hits)


def hit(kind: str, ctx: AppContext, actor: Actor, text: str, record_id: int) -> query.SearchHit:
    """The result the actor is shown for one record (StopIteration if it is not found)."""
    with ctx.uow() as uow:
        results = query.search_kind(uow, actor, kind, text)
    return next(h for h in results.hits if h.record_id == record_id)


def found_by(kind: str, o: Office, who: str, text: str, **filters: Any) -> dict[int, query.SearchHit]:
    """The records of the kind the office's person ``who`` finds by ``text``, by id (up to 100)."""
    results = o.run(query.search_kind, o.people[who], kind, text, query.SearchFilters(**filters), 0, 100)
    return {h.record_id: h for h in results.hits}


def index_now(ctx: AppContext) -> Index:
    """Every kind's index rows and postings, as they are."""
    r = search_records.c
    with ctx.uow() as uow:
        rows = {
            tuple(row) for row in uow.execute(
                select(r.kind, r.record_id, r.year, r.state, r.closed, r.title, r.title_match, r.shown, r.text_match,
                       r.private_shown, r.private_match)
            )
        }
        return rows, dict(postings_of(uow))


def kind_index(ctx: AppContext, kind: str) -> tuple[dict[int, tuple[Any, ...]], dict[tuple[int, int, int], bool]]:
    """One kind's index rows by record id (year, state, closed, title, shown, private_shown) and its postings,
    for a test to say how many records and which postings it expects before comparing with a rebuild."""
    r = search_records.c
    code = code_of(kind)
    with ctx.uow() as uow:
        rows = {
            row.record_id: tuple(row)[1:]
            for row in uow.execute(
                select(r.record_id, r.year, r.state, r.closed, r.title, r.shown, r.private_shown).where(r.kind == code)
            )
        }
        return rows, dict(postings_of(uow, code))


def assert_upkeep_is_a_rebuild(kind: str, ctx: AppContext) -> None:
    """What the upkeep left for the kind is what its source says now (expected_rows), and the whole index is
    what a rebuild writes."""
    spec, source = searched()[kind]
    kept = index_now(ctx)
    r = search_records.c
    with ctx.uow() as uow:
        wanted = expected_rows(uow, spec, source, source.record_ids(uow, 0, 10_000))
        stored = {
            row.record_id: (row.year, row.state, bool(row.closed), row.title, row.shown, row.private_shown)
            for row in uow.execute(select(search_records).where(r.kind == spec.code))
        }
    assert stored == {i: (w.year, w.state, w.closed, w.title, w.shown, w.private_shown) for i, w in wanted.items()}
    reindex(ctx.uow)
    assert index_now(ctx) == kept


def assert_found_when_its_commit_ends_and_not_before(
    kind: str, o: Office, monkeypatch: pytest.MonkeyPatch, who: str, text: str, make: Callable[[], int]
) -> int:
    """Makes a record by ``make`` and checks, inside the commit that creates it (after its index rows are
    written, before the transaction ends), that its own connection finds it by ``text`` and another does not;
    then that it is found once committed. Returns the record's id.

    The audit chain's write is the last step of a commit, so the check stands in it; only the first pending
    ``create`` of the kind is watched (a record's later acts in the same ``make`` commit after it is visible)."""
    seen: dict[str, set[int]] = {}
    write_pending = audit_chain.write_pending

    def spying(uow: Any, pending: Any) -> None:
        if not seen and any(p.entity_type == kind and p.action == "create" for p in pending):
            inside = query.search_kind(uow, o.people[who], kind, text)
            seen["inside"] = {h.record_id for h in inside.hits}
            seen["outside"] = set(found_by(kind, o, who, text))
        write_pending(uow, pending)

    monkeypatch.setattr(audit_chain, "write_pending", spying)
    record = make()
    assert seen == {"inside": {record}, "outside": set()}
    assert set(found_by(kind, o, who, text)) == {record}
    return record


def assert_found_the_moment_its_act_commits(
    kind: str, ctx: AppContext, actor: Actor, text: str, act: Callable[[UnitOfWork], int]
) -> int:
    """Runs ``act`` (which makes a record and returns its id) in a unit of work and checks that, just before the
    database commits (the index rows written in the act's own transaction), another connection does not find it
    by ``text``; that inside the act's unit of work its own connection does; and that it is found once committed.
    Returns the record's id."""
    seen_before: list[list[int]] = []
    with ctx.uow() as uow:
        event.listen(uow.session, "before_commit", lambda _session: seen_before.append(found(kind, ctx, actor, text)))
        record = act(uow)
        assert [h.record_id for h in query.search_kind(uow, actor, kind, text).hits] == [record]
    assert seen_before == [[]]
    assert found(kind, ctx, actor, text) == [record]
    return record
