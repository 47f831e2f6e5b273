"""综合查询: one query over every area's records, within what the asker may see.

Per kind of record: the rarest gram of the query drives (its postings, newest record first, read from the
index alone), the other grams must be there too, needles longer than two characters are checked in the folded
text; the few records waiting to be posted (search_pending) are matched on their folded text alone; and the
workflow's visibility rule of the area (app.services.workflow.visibility) decides what the asker
sees, the same rule the area's lists use. Private fields (a petitioner's ID number, phone, address) are
searched and shown only for those who read them unmasked.

At most CANDIDATES matches of a kind are ranked (those whose title holds every needle first, then the newest):
beyond that a count says "more than", which keeps every query within a bounded cost at any size.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, case, exists, false, func, literal, or_, select, true, union, union_all
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BooleanClauseList, ColumnClause, False_, Grouping
from sqlalchemy.sql.selectable import ScalarSelect
from sqlalchemy.sql.visitors import iterate, replacement_traverse

from app.core.areas import entity_types
from app.core.errors import ValidationError
from app.core.search_text import Query, Snippet, hit_spans, parse_query, snippet
from app.db.tables import search_pending, search_postings, search_records, search_state, workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.search.sources import searched
from app.services.workflow.visibility import visible_rule

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, FromClause, Row

    from app.core.areas import SearchSpec
    from app.services.kernel.uow import UnitOfWork

# Matches of one kind that are ranked and counted; more show as "more than".
CANDIDATES = 100
# A gram's postings counted when choosing the driving one; beyond this it is common, whatever its count.
_GRAM_COUNT_CAP = 500
# Common grams are told apart by their postings among the kind's newest records, this many.
_RECENT_WINDOW = 2000
# The records an asker sees counted up to this many: fewer, and a common term is looked up record by record among
# them (a 联络员's few hundred 公文) instead of walking its postings for the few the asker may see.
VISIBLE_CAP = 2000
# That count only chooses the plan (either gives the same results) and changes slowly, while counting costs a
# unit's rules a few ms a kind: it is kept this many seconds per asker and kind, not counted at every keystroke.
SEEN_FOR = 300.0
_seen_counts: dict[tuple[Any, ...], tuple[float, int]] = {}
# What a state filter may say besides a step's name.
OPEN, CLOSED = "open", "closed"


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
        _Asked(spec, source.sees_private(actor))
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
    asked = [_Asked(spec, source.sees_private(actor))]
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


@dataclass(frozen=True)
class _Asked:
    """A kind searched for this asker: whether they search its private fields too."""

    spec: SearchSpec
    sees_private: bool


def _found(
    uow: UnitOfWork, actor: Actor, asked: Sequence[_Asked], query: Query, filters: SearchFilters,
    offset: int, limit: int,
) -> list[KindResults]:
    """Every asked kind's matches in three statements whatever the number of kinds: how common each gram is (and
    how many records the asker sees, where the rule lists them), every kind's newest matches (at most CANDIDATES
    each), and the rows of the pages shown."""
    labels = entity_types()
    rules = {kind.spec.code: _Rule.of(uow, actor, kind.spec) for kind in asked}
    seen_before = _seen_before(uow, actor, rules)
    counts, waiting, seen = _gram_counts(uow, asked, query.grams(), rules, seen_before)
    _keep_seen(uow, actor, seen, seen_before)
    ranked = _ranked(uow, asked, query, filters, _Plan(counts, waiting, seen, rules))
    pages = {code: ids[offset:offset + limit] for code, ids in ranked.items()}
    rows = _rows(uow, [(code, record_id) for code, ids in pages.items() for record_id in ids])
    results = []
    for kind in asked:
        code = kind.spec.code
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


def _seen_before(uow: UnitOfWork, actor: Actor, rules: Mapping[int, _Rule]) -> dict[int, int]:
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
        if code not in seen_before:
            _seen_counts[_seen_key(uow, actor, code)] = (now, count)


def _gram_counts(
    uow: UnitOfWork, asked: Sequence[_Asked], grams: Sequence[int], rules: Mapping[int, _Rule],
    seen_before: Mapping[int, int],
) -> tuple[dict[int, dict[int, int]], set[int], dict[int, int]]:
    """How rare each gram is among each kind's posted records, the kinds with records waiting to be posted, and
    how many records of each kind the asker sees where the rule lists them (up to VISIBLE_CAP; those counted
    recently are not counted again): one statement.

    A gram's rarity is its postings counted up to _GRAM_COUNT_CAP (enough to tell rare from common); beyond
    that, where the query has several grams, _GRAM_COUNT_CAP plus its postings among the kind's newest
    _RECENT_WINDOW records: the walk goes newest first, so the gram rarest there drives ('工作 报送' walked
    every posting of 工作 when both were "common")."""
    p, w, r = search_postings.c, search_pending.c, search_records.c
    columns = [exists().where(w.kind == kind.spec.code).label(f"w{kind.spec.code}") for kind in asked]
    listed = [kind.spec.code for kind in asked if rules[kind.spec.code].lists and kind.spec.code not in seen_before]
    for code in listed:
        capped_ids = rules[code].visible_ids().limit(VISIBLE_CAP).subquery()
        columns.append(select(func.count()).select_from(capped_ids).scalar_subquery().label(f"v{code}"))
    keys: list[tuple[int, int]] = []
    for kind in asked:
        newest = select(func.max(r.record_id)).where(r.kind == kind.spec.code).scalar_subquery()
        for gram in grams:
            for cap, recent in ((_GRAM_COUNT_CAP, False), (_RECENT_WINDOW, True)):
                if recent and len(grams) < 2:
                    continue
                inner = select(literal(1)).where(p.gram == gram, p.kind == kind.spec.code)
                if not kind.sees_private:
                    inner = inner.where(p.public == true())
                if recent:
                    inner = inner.where(p.record_id > newest - _RECENT_WINDOW)
                capped = inner.limit(cap).subquery()
                columns.append(select(func.count()).select_from(capped).scalar_subquery().label(f"c{len(columns)}"))
            keys.append((kind.spec.code, gram))
    counts: dict[int, dict[int, int]] = {kind.spec.code: {} for kind in asked}
    row = uow.execute(select(*columns)).one()
    waiting = {kind.spec.code for kind, value in zip(asked, row[:len(asked)], strict=True) if value}
    seen = dict(seen_before)
    seen.update(
        (code, int(value or 0)) for code, value in zip(listed, row[len(asked):len(asked) + len(listed)], strict=True)
    )
    values = [int(value or 0) for value in row[len(asked) + len(listed):]]
    per_gram = 2 if len(grams) > 1 else 1
    for number, (code, gram) in enumerate(keys):
        count = values[number * per_gram]
        among_newest = values[number * per_gram + 1] if per_gram == 2 else 0
        counts[code][gram] = count if count < _GRAM_COUNT_CAP else _GRAM_COUNT_CAP + among_newest
    return counts, waiting, seen


@dataclass(frozen=True)
class _Plan:
    """What the ranking statement is built from: the grams' capped counts per kind, the kinds with waiting
    records, how many records the asker sees per kind (where the rule lists them), and each kind's rule."""

    counts: Mapping[int, Mapping[int, int]]
    waiting: set[int]
    seen: Mapping[int, int]
    rules: Mapping[int, _Rule]

    def walks_visible(self, code: int) -> bool:
        """Whether the kind's matches are looked for among the records the asker sees, newest first, rather than
        along the rarest gram's postings: where they are fewer than VISIBLE_CAP and fewer than that gram's
        postings (a common term, which the walk along its postings would check against the rule thousands of
        times for the few the asker sees)."""
        if not self.rules[code].lists or code not in self.seen:
            return False
        visible = self.seen[code]
        driver = min(self.counts[code].values(), default=0)
        return visible < VISIBLE_CAP and (driver >= _GRAM_COUNT_CAP or visible < driver)


def _ranked(
    uow: UnitOfWork, asked: Sequence[_Asked], query: Query, filters: SearchFilters, plan: _Plan,
) -> dict[int, list[int]]:
    """Each kind's matching record ids the actor may see (at most CANDIDATES), title matches first, then newest:
    one statement."""
    parts = []
    for kind in asked:
        code = kind.spec.code
        rule = plan.rules[code]
        if rule.sees_nothing:
            continue
        posted = min(plan.counts[code].values(), default=0) > 0
        if posted:
            if plan.walks_visible(code):
                parts.append(_visible_candidates(kind, query, filters, plan.counts[code], rule))
            else:
                parts.append(_candidates(kind, query, filters, plan.counts[code], rule))
        if code in plan.waiting:
            parts.append(_waiting_candidates(kind, query, filters, rule))
    if not parts:
        return {}
    statement = parts[0] if len(parts) == 1 else union_all(*parts)
    ranked: dict[int, set[tuple[int, int]]] = {}
    for row in uow.execute(statement):
        ranked.setdefault(int(row.kind), set()).add((-int(row.in_title or 0), -int(row.record_id)))
    return {code: [-record for _, record in sorted(found)[:CANDIDATES]] for code, found in ranked.items()}


def _candidates(
    kind: _Asked, query: Query, filters: SearchFilters, counts: Mapping[int, int], rule: _Rule
) -> Select[Any]:
    """The kind's newest CANDIDATES matches, driven by its rarest gram (its postings read in record order)."""
    spec, sees_private = kind.spec, kind.sees_private
    grams = query.grams()
    driver = min(grams, key=lambda gram: counts.get(gram, 0))
    p = search_postings.alias("p")
    conditions: list[ColumnElement[bool]] = [p.c.gram == driver, p.c.kind == spec.code]
    if not sees_private:
        conditions.append(p.c.public == true())
    for gram in grams:
        if gram == driver:
            continue
        other = search_postings.alias()
        also = [other.c.gram == gram, other.c.kind == spec.code, other.c.record_id == p.c.record_id]
        if not sees_private:
            also.append(other.c.public == true())
        conditions.append(exists().where(*also))
    conditions.extend(_in_text(kind, query.checked_needles))
    return _newest(kind, query, filters, p, [*conditions, *rule.asked_of(p.c.record_id)])


def _visible_candidates(
    kind: _Asked, query: Query, filters: SearchFilters, counts: Mapping[int, int], rule: _Rule
) -> Select[Any]:
    """The kind's newest CANDIDATES matches, looked for among the records the asker sees (the rule's lists of
    ids), newest first: each is looked up in the postings of every gram, the rarest first."""
    spec = kind.spec
    r = search_records
    conditions: list[ColumnElement[bool]] = [r.c.kind == spec.code, r.c.record_id.in_(rule.visible_ids())]
    for gram in sorted(query.grams(), key=lambda gram: counts.get(gram, 0)):
        posting = search_postings.alias()
        held = [posting.c.gram == gram, posting.c.kind == spec.code, posting.c.record_id == r.c.record_id]
        if not kind.sees_private:
            held.append(posting.c.public == true())
        conditions.append(exists().where(*held))
    conditions.extend(_in_text(kind, query.checked_needles))
    return _newest(kind, query, filters, r, conditions)


def _waiting_candidates(
    kind: _Asked, query: Query, filters: SearchFilters, rule: _Rule
) -> Select[Any]:
    """The kind's newest CANDIDATES matches among the records waiting to be posted (a few dozen at most): every
    needle is looked for in their folded text."""
    w = search_pending.alias("w")
    return _newest(
        kind, query, filters, w, [w.c.kind == kind.spec.code, *_in_text(kind, query.needles), *rule.asked_of(w.c.record_id)]
    )


def _in_text(kind: _Asked, needles: Sequence[str]) -> list[ColumnElement[bool]]:
    """Each needle in the record's folded text (its private fields' too, for one who reads them)."""
    r = search_records.c
    conditions: list[ColumnElement[bool]] = []
    for needle in needles:
        found = r.text_match.contains(needle, autoescape=True)
        conditions.append(or_(found, r.private_match.contains(needle, autoescape=True)) if kind.sees_private else found)
    return conditions


def _newest(
    kind: _Asked, query: Query, filters: SearchFilters, keys: FromClause, conditions: list[ColumnElement[bool]],
) -> Select[Any]:
    """The newest CANDIDATES records of ``keys`` (the postings, the waiting records or the index's rows, by kind
    and record) that meet the conditions (the asker's visibility among them) and the filters, with whether the
    title holds every needle."""
    spec = kind.spec
    r = search_records.c
    record_id = keys.c.record_id
    in_title = and_(*(r.title_match.contains(needle, autoescape=True) for needle in query.needles))
    rows = keys if keys is search_records else keys.join(
        search_records, and_(r.kind == keys.c.kind, r.record_id == record_id)
    )
    newest = (
        select(literal(spec.code).label("kind"), record_id.label("record_id"), case((in_title, 1), else_=0).label("in_title"))
        .select_from(rows)
        .where(*conditions, *_filter_conditions(filters))
        .order_by(record_id.desc())
        .limit(CANDIDATES)
        .subquery()
    )
    return select(newest.c.kind, newest.c.record_id, newest.c.in_title)


@dataclass(frozen=True)
class _Rule:
    """The area's visibility rule for the asker (None: they see every record of the kind); ``lists``: the same
    rule as the selects of record ids whose union it lets through, where it says no more than "entity_id IN (…)"
    (or an OR of such: None where it says anything else); and whether a rule that reads only the record's id is
    asked of the posting itself (SQLite: its walk then skips a lookup of the flow instance for each posting;
    PostgreSQL and MariaDB plan the lookup well, and MariaDB planned the other worse)."""

    entity_type: str
    clause: ColumnElement[bool] | None
    lists: tuple[Select[Any], ...] | None
    on_record: bool

    @classmethod
    def of(cls, uow: UnitOfWork, actor: Actor, spec: SearchSpec) -> _Rule:
        clause = visible_rule(uow, actor, spec.entity_type)
        lists = None if clause is None else _id_lists(clause)
        return cls(spec.entity_type, clause, None if lists is None else tuple(lists), uow.dialect_name == "sqlite")

    @property
    def sees_nothing(self) -> bool:
        return self.lists == ()

    def visible_ids(self) -> Select[Any]:
        """The ids of the records the asker sees (only for a rule that lists them)."""
        assert self.lists
        return self.lists[0] if len(self.lists) == 1 else union(*self.lists)  # type: ignore[return-value]

    def asked_of(self, record_id: ColumnElement[Any]) -> list[ColumnElement[bool]]:
        """The rule as conditions on a record's id."""
        if self.clause is None:
            return []
        on_record = _on_record_id(self.clause, record_id) if self.on_record else None
        if on_record is not None:
            return [on_record]
        wi = workflow_instances.c
        return [exists().where(wi.entity_type == self.entity_type, wi.entity_id == record_id, self.clause)]


def _id_lists(rule: ColumnElement[bool]) -> list[Select[Any]] | None:
    """The selects of record ids whose union is exactly what the rule lets through, where the rule is
    "entity_id IN (select …)" or an OR of such (a part that is plainly false left out); None for any other."""
    while isinstance(rule, Grouping):
        rule = rule.element  # type: ignore[assignment]
    if isinstance(rule, False_):
        return []
    if isinstance(rule, BooleanClauseList) and rule.operator is operators.or_:
        found: list[Select[Any]] = []
        for part in rule.clauses:
            listed = _id_lists(part)
            if listed is None:
                return None
            found.extend(listed)
        return found
    if (
        isinstance(rule, BinaryExpression) and rule.operator is operators.in_op
        and isinstance(rule.left, ColumnClause) and getattr(rule.left, "table", None) is workflow_instances
        and rule.left.name == "entity_id" and isinstance(rule.right, ScalarSelect)
        and isinstance(rule.right.element, Select)
    ):
        return [rule.right.element]
    return None


def _on_record_id(rule: ColumnElement[bool], record_id: ColumnElement[Any]) -> ColumnElement[bool] | None:
    """The rule asked of the record's id itself, where it reads nothing of the flow's instance but its record's id
    (a unit's 公文: "entity_id IN (the documents of the unit)"): a 联络员's walk over a common term's postings then
    skips a lookup of the instance for each (five times quicker at 100,000 公文). None where it reads more."""
    for element in iterate(rule):
        if element is workflow_instances:
            return None
        if (
            isinstance(element, ColumnClause) and getattr(element, "table", None) is workflow_instances
            and element.name != "entity_id"
        ):
            return None

    # As an expression, not the column: the walk stays on the postings, newest first; given the column, SQLite
    # read the rule's list of every record the reader sees and sorted them all (100 times slower).
    walked = record_id + 0

    def swap(element: Any, **_kw: Any) -> Any:
        if isinstance(element, ColumnClause) and getattr(element, "table", None) is workflow_instances:
            return walked
        return None

    swapped: ColumnElement[bool] = replacement_traverse(rule, {}, swap)
    return swapped


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


def _filter_conditions(filters: SearchFilters) -> list[ColumnElement[bool]]:
    r = search_records.c
    conditions: list[ColumnElement[bool]] = []
    if filters.year is not None:
        conditions.append(r.year == filters.year)
    if filters.state == OPEN:
        conditions.append(r.closed == false())
    elif filters.state == CLOSED:
        conditions.append(r.closed == true())
    elif filters.state:
        conditions.append(r.state == filters.state)
    return conditions


def _hit(kind: _Asked, query: Query, row: Row[Any]) -> SearchHit:
    lines = [line.partition("\t") for line in row.shown.split("\n") if line]
    if kind.sees_private:
        lines += [line.partition("\t") for line in row.private_shown.split("\n") if line]
    fields = [(label, value) for label, _, value in lines if label != "标题"]
    return SearchHit(
        entity_type=kind.spec.entity_type, record_id=int(row.record_id), title=row.title,
        title_spans=tuple(hit_spans(row.title, query.needles)), state=row.state, closed=bool(row.closed),
        year=int(row.year), snippet=snippet(fields, query.needles) or _opening(fields),
    )
