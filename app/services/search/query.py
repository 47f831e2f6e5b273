"""综合查询: one query over every area's records, within what the asker may see.

Per kind of record: the rarest gram of the query drives (its postings, newest record first, read from the
index alone), the other grams must be there too, needles longer than two characters are checked in the folded
text; or, for an asker who sees fewer records of the kind than the term has postings (a unit's 联络员), the
records they see are looked up newest first; the few records waiting to be posted (search_pending) are matched on
their folded text alone. The workflow's visibility rule of the area (app.services.workflow.visibility) decides
what the asker sees, the same rule the area's lists use. Private fields (a petitioner's ID number, phone,
address) are searched and shown only for those who read them unmasked.

At most CANDIDATES matches of a kind are ranked (those whose title holds every needle first, then the newest):
beyond that a count says "more than", which keeps every query within a bounded cost at any size. The
statements are built once per shape and kept (app.services.search.statements).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select, text
from sqlalchemy.exc import DBAPIError

from app.core.areas import entity_types
from app.core.errors import ValidationError
from app.core.search_text import Query, Snippet, hit_spans, parse_query, snippet
from app.db.tables import search_records, search_state, workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.search import statements
from app.services.search.rules import VisibleRule
from app.services.search.sources import searched
from app.services.search.statements import CANDIDATES, CLOSED, GRAM_COUNT_CAP, OPEN, VISIBLE_CAP, Asked

if TYPE_CHECKING:
    from sqlalchemy import Row

    from app.services.kernel.uow import UnitOfWork

__all__ = [
    "CANDIDATES", "CLOSED", "OPEN", "KindResults", "SearchFilters", "SearchHit", "SearchResults", "index_complete",
    "search", "search_kind", "search_years",
]

# How many records of a kind an asker sees only chooses the walk (either gives the same results) and changes
# slowly, while counting costs a unit's rules a few ms a kind: it is kept this many seconds per asker and kind,
# not counted at every keystroke.
SEEN_FOR = 300.0
_seen_counts: dict[tuple[Any, ...], tuple[float, int]] = {}


@dataclass(frozen=True)
class SearchFilters:
    """What the results are narrowed to: kinds of record (entity types; empty: every kind), a year, and a
    state (OPEN, CLOSED or a step's name as the results show it; empty: any)."""

    kinds: tuple[str, ...] = ()
    year: int | None = None
    state: str = ""


@dataclass(frozen=True)
class SearchHit:
    entity_type: str
    record_id: int
    title: str
    title_spans: tuple[tuple[int, int], ...]
    state: str
    closed: bool
    year: int
    snippet: Snippet | None


@dataclass(frozen=True)
class KindResults:
    """One kind's matches: the page asked for, how many there are (``more``: at least that many)."""

    entity_type: str
    label: str
    total: int
    more: bool
    hits: tuple[SearchHit, ...]

    @property
    def count_text(self) -> str:
        return f"{self.total}+" if self.more else str(self.total)


@dataclass(frozen=True)
class SearchResults:
    text: str
    needles: tuple[str, ...]
    kinds: tuple[KindResults, ...] = field(default=())
    # False until the index holds every record (after an upgrade or a restore, before `govdesk db reindex`).
    index_complete: bool = True

    @property
    def total(self) -> int:
        return sum(kind.total for kind in self.kinds)


@acting
def search(
    uow: UnitOfWork, actor: Actor, text: str, filters: SearchFilters = SearchFilters(), per_kind: int = 5
) -> SearchResults:
    """Every kind's first matches for what was typed; kinds with none are left out."""
    query = _parsed(text)
    complete = index_complete(uow)
    if query.empty:
        return SearchResults(text, (), (), complete)
    asked = [
        Asked(spec, source.sees_private(actor))
        for entity_type, (spec, source) in searched().items()
        if not filters.kinds or entity_type in filters.kinds
    ]
    found = _found(uow, actor, asked, query, filters, 0, per_kind)
    return SearchResults(text, query.needles, tuple(kind for kind in found if kind.total), complete)


@acting
def search_kind(
    uow: UnitOfWork, actor: Actor, entity_type: str, text: str,
    filters: SearchFilters = SearchFilters(), offset: int = 0, limit: int = 50,
) -> KindResults:
    """One kind's matches, a page at a time (更多…)."""
    kinds = searched()
    if entity_type not in kinds:
        raise ValidationError(f"“{entity_type}”不是可以查询的记录类别")
    spec, source = kinds[entity_type]
    query = _parsed(text)
    if query.empty:
        return KindResults(entity_type, entity_types().get(entity_type, entity_type), 0, False, ())
    asked = [Asked(spec, source.sees_private(actor))]
    (found,) = _found(uow, actor, asked, query, filters, max(0, offset), max(1, limit))
    return found


@acting
def search_years(uow: UnitOfWork, actor: Actor) -> list[int]:
    """The years records are filed under, newest first (the year filter's choices)."""
    r = search_records.c
    return [int(year) for year in uow.execute(select(r.year).distinct().order_by(r.year.desc())).scalars()]


def index_complete(uow: UnitOfWork) -> bool:
    """Whether the index holds every record: built, or nothing to hold."""
    if uow.execute(select(search_state.c.id).limit(1)).first() is not None:
        return True
    return uow.execute(select(workflow_instances.c.id).limit(1)).first() is None


def _parsed(text: str) -> Query:
    if len(text or "") > 2000:
        raise ValidationError("查询内容太长，请输入几个关键词（用空格分开）")
    return parse_query(text)


def _found(
    uow: UnitOfWork, actor: Actor, asked: Sequence[Asked], query: Query, filters: SearchFilters,
    offset: int, limit: int,
) -> list[KindResults]:
    """Every asked kind's matches in three statements whatever the number of kinds: how common each gram is (and
    how many records the asker sees, where the rule lists them), every kind's newest matches (at most CANDIDATES
    each), and the rows of the pages shown."""
    labels = entity_types()
    rules = {kind.code: VisibleRule.of(uow, actor, kind.spec) for kind in asked}
    seen_before = _seen_before(uow, actor, rules)
    plan = _plan(uow, asked, query.grams(), rules, seen_before)
    _keep_seen(uow, actor, plan.seen, seen_before)
    ranked = _ranked(uow, asked, query, filters, plan)
    pages = {code: ids[offset:offset + limit] for code, ids in ranked.items()}
    rows = _rows(uow, [(code, record_id) for code, ids in pages.items() for record_id in ids])
    results = []
    for kind in asked:
        code = kind.code
        matches = ranked.get(code, [])
        hits = tuple(
            _hit(kind, query, rows[(code, record_id)]) for record_id in pages.get(code, []) if (code, record_id) in rows
        )
        results.append(KindResults(
            kind.spec.entity_type, labels.get(kind.spec.entity_type, kind.spec.entity_type), len(matches),
            len(matches) >= CANDIDATES, hits,
        ))
    return results


def _seen_key(uow: UnitOfWork, actor: Actor, code: int) -> tuple[Any, ...]:
    return (str(uow.engine.url), actor.id, actor.unit_id, tuple(sorted(actor.roles)), code)


def _seen_before(uow: UnitOfWork, actor: Actor, rules: Mapping[int, VisibleRule]) -> dict[int, int]:
    """The counts of records the asker sees kept from a query less than SEEN_FOR seconds ago."""
    now = time.monotonic()
    found = {}
    for code, rule in rules.items():
        kept = _seen_counts.get(_seen_key(uow, actor, code)) if rule.lists else None
        if kept is not None and now - kept[0] < SEEN_FOR:
            found[code] = kept[1]
    return found


def _keep_seen(uow: UnitOfWork, actor: Actor, seen: Mapping[int, int], seen_before: Mapping[int, int]) -> None:
    now = time.monotonic()
    for code, count in seen.items():
        # None seen is never kept: it leaves the kind out of the query (_Plan.sees_none), which a record made
        # visible since must not wait SEEN_FOR seconds to undo.
        if code not in seen_before and count:
            _seen_counts[_seen_key(uow, actor, code)] = (now, count)


@dataclass(frozen=True)
class _Plan:
    """What the ranking statement is built from: each gram's rarity per kind, the kinds with waiting records, how
    many records the asker sees per kind (where the rule lists them), and each kind's rule.

    A gram's rarity is its postings counted up to GRAM_COUNT_CAP (enough to tell rare from common); beyond that,
    where the query has several grams, GRAM_COUNT_CAP plus its postings among the kind's newest RECENT_WINDOW
    records: the walk goes newest first, so the gram rarest there drives ('工作 报送' walked every posting of 工作
    when both were "common")."""

    counts: Mapping[int, Mapping[int, int]]
    waiting: set[int]
    seen: Mapping[int, int]
    rules: Mapping[int, VisibleRule]

    def rarest_first(self, code: int, grams: Sequence[int]) -> tuple[int, ...]:
        rarity = self.counts[code]
        return tuple(sorted(grams, key=lambda gram: rarity.get(gram, 0)))

    def sees_none(self, code: int) -> bool:
        """Whether the asker sees no record of the kind, as counted by this query (a count of none is never
        kept from an earlier one): the kind is left out. MariaDB otherwise planned the walk among the records
        seen from its estimate of the rule's list (24,060 政务信息 for a 联络员 who sees none) and read the
        index's 50,000 rows of the kind to find nothing (a 联络员's '信' at full size, 52 of 80 ms)."""
        return self.seen.get(code) == 0

    def walks_visible(self, code: int) -> bool:
        """Whether the kind's matches are looked for among the records the asker sees, newest first, rather than
        along the rarest gram's postings: where they are fewer than VISIBLE_CAP and fewer than that gram's
        postings (a common term, which the walk along its postings would check against the rule thousands of
        times for the few the asker sees)."""
        if not self.rules[code].lists or code not in self.seen:
            return False
        visible = self.seen[code]
        driver = min(self.counts[code].values(), default=0)
        return visible < VISIBLE_CAP and (driver >= GRAM_COUNT_CAP or visible < driver)


def _plan(
    uow: UnitOfWork, asked: Sequence[Asked], grams: Sequence[int], rules: Mapping[int, VisibleRule],
    seen_before: Mapping[int, int],
) -> _Plan:
    """The grams' rarity, the kinds with waiting records and the counts of what the asker sees (those counted
    recently not counted again): one statement."""
    listed = [kind.code for kind in asked if rules[kind.code].lists and kind.code not in seen_before]
    prepared = statements.counts(asked, grams, rules, listed)
    row = uow.execute(prepared.statement, prepared.params).one()
    waiting = {kind.code for kind, value in zip(asked, row[:len(asked)], strict=True) if value}
    seen = dict(seen_before)
    seen.update(
        (code, int(value or 0)) for code, value in zip(listed, row[len(asked):len(asked) + len(listed)], strict=True)
    )
    values = [int(value or 0) for value in row[len(asked) + len(listed):]]
    per_gram = 2 if len(grams) > 1 else 1
    counts: dict[int, dict[int, int]] = {kind.code: {} for kind in asked}
    for number, (kind, gram) in enumerate((kind, gram) for kind in asked for gram in grams):
        count = values[number * per_gram]
        among_newest = values[number * per_gram + 1] if per_gram == 2 else 0
        counts[kind.code][gram] = count if count < GRAM_COUNT_CAP else GRAM_COUNT_CAP + among_newest
    return _Plan(counts, waiting, seen, rules)


def _ranked(
    uow: UnitOfWork, asked: Sequence[Asked], query: Query, filters: SearchFilters, plan: _Plan,
) -> dict[int, list[int]]:
    """Each kind's matching record ids the actor may see (at most CANDIDATES), title matches first, then newest:
    one statement."""
    parts = []
    for kind in asked:
        code = kind.code
        rule = plan.rules[code]
        if rule.sees_nothing or plan.sees_none(code):
            continue
        grams = plan.rarest_first(code, query.grams())
        if min(plan.counts[code].values(), default=0) > 0:
            walk = statements.VISIBLE if plan.walks_visible(code) else statements.POSTINGS
            parts.append(statements.Part(walk, kind, grams, rule))
        if code in plan.waiting:
            parts.append(statements.Part(statements.WAITING, kind, (), rule))
    if not parts:
        return {}
    prepared = statements.ranked(
        parts, query, filters.year, filters.state, statements.Hints.of(uow.engine.dialect),
    )
    ranked: dict[int, set[tuple[int, int]]] = {}
    with _probing_each_row(uow, parts):
        rows = uow.execute(prepared.statement, prepared.params).all()
    for row in rows:
        ranked.setdefault(int(row.kind), set()).add((-int(row.in_title or 0), -int(row.record_id)))
    return {code: [-record for _, record in sorted(found)[:CANDIDATES]] for code, found in ranked.items()}


@contextlib.contextmanager
def _probing_each_row(uow: UnitOfWork, parts: Sequence[statements.Part]) -> Iterator[None]:
    """On MariaDB, where no part asks a rule that lists records: each other gram's EXISTS is asked of each posting
    walked (until the page is full), not turned into a semi-join that reads all that gram's postings first
    (exists_to_in; the director's '政务信息' at full size 110 -> 28 ms). A rule's lists are left to it: they are
    read once, where asking them of each row made a 联络员's queries three times slower."""
    dialect = uow.engine.dialect
    if not getattr(dialect, "is_mariadb", False) or any(part.rule.lists for part in parts):
        yield
        return
    uow.execute(text("SET SESSION optimizer_switch = 'exists_to_in=off'"))
    try:
        yield
    except BaseException:
        # The statement's own error is the one to report; a connection that cannot take this is discarded anyway.
        with contextlib.suppress(DBAPIError):
            uow.execute(text(_DEFAULT_SWITCH))
        raise
    uow.execute(text(_DEFAULT_SWITCH))


_DEFAULT_SWITCH = "SET SESSION optimizer_switch = DEFAULT"


def _rows(uow: UnitOfWork, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Row[Any]]:
    if not keys:
        return {}
    r = search_records.c
    by_kind: dict[int, list[int]] = {}
    for code, record_id in keys:
        by_kind.setdefault(code, []).append(record_id)
    wanted = or_(*(and_(r.kind == code, r.record_id.in_(ids)) for code, ids in by_kind.items()))
    rows = uow.execute(
        select(r.kind, r.record_id, r.title, r.state, r.closed, r.year, r.shown, r.private_shown).where(wanted)
    )
    return {(int(row.kind), int(row.record_id)): row for row in rows}


def _opening(fields: Sequence[tuple[str, str]], width: int = 60) -> Snippet | None:
    """The first field's beginning, for a record found by its title alone."""
    if not fields:
        return None
    label, value = fields[0]
    return Snippet(label, value[:width] + ("…" if len(value) > width else ""), ())


def _hit(kind: Asked, query: Query, row: Row[Any]) -> SearchHit:
    lines = [line.partition("\t") for line in row.shown.split("\n") if line]
    if kind.sees_private:
        lines += [line.partition("\t") for line in row.private_shown.split("\n") if line]
    fields = [(label, value) for label, _, value in lines if label != "标题"]
    return SearchHit(
        entity_type=kind.spec.entity_type, record_id=int(row.record_id), title=row.title,
        title_spans=tuple(hit_spans(row.title, query.needles)), state=row.state, closed=bool(row.closed),
        year=int(row.year), snippet=snippet(fields, query.needles) or _opening(fields),
    )
