"""The statements 综合查询 reads its index with, built once for each shape of query and kept.

Building a statement of six kinds' subqueries cost more Python than the database took to run it (25 of 41 ms
for a four-character term at 100,000 公文); the same shape recurs at every keystroke and for every user of a
unit. What varies within a shape (the grams, the needles, the year and state asked) goes in as parameters; what
makes the shape (the kinds, how many grams and needles, which walk each kind takes, the asker's visibility rule
to the values it compares with) is the key the statement is kept under."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)

from app.db.tables import search_pending, search_postings, search_records

if TYPE_CHECKING:
    from sqlalchemy import BindParameter, ColumnElement, Dialect, FromClause
    from sqlalchemy.sql.selectable import CompoundSelect

    from app.core.areas import SearchSpec
    from app.core.search_text import Query
    from app.services.search.rules import VisibleRule

# Matches of one kind that are ranked and counted; more show as "more than".
CANDIDATES = 100
# A gram's postings counted when choosing the driving one; beyond this it is common, whatever its count.
GRAM_COUNT_CAP = 500
# Common grams are told apart by their postings among the kind's newest records, this many.
RECENT_WINDOW = 2000
# The records an asker sees counted up to this many: fewer, and a common term is looked up record by record among
# them (a 联络员's few hundred 公文) instead of walking its postings for the few the asker may see.
VISIBLE_CAP = 2000
# What a state filter may say besides a step's name.
OPEN, CLOSED = "open", "closed"
# Statements kept; a shape is a few kilobytes.
_KEPT = 512

_kept: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def _kept_or_built(key: Hashable, build: Callable[[], Any]) -> Any:
    with _lock:
        statement = _kept.get(key)
        if statement is not None:
            _kept.move_to_end(key)
            return statement
    statement = build()
    with _lock:
        _kept[key] = statement
        while len(_kept) > _KEPT:
            _kept.popitem(last=False)
    return statement


@dataclass(frozen=True)
class Asked:
    """A kind searched for this asker: whether they search its private fields too."""

    spec: SearchSpec
    sees_private: bool

    @property
    def code(self) -> int:
        return self.spec.code


@dataclass(frozen=True)
class Hints:
    """How one database's planner is steered to the plan each walk means (see _along_postings, _among_visible)."""

    grams_joined: bool = False
    lookups_fenced: bool = False

    @classmethod
    def of(cls, dialect: Dialect) -> Hints:
        return cls(grams_joined=bool(getattr(dialect, "is_mariadb", False)),
                   lookups_fenced=dialect.name == "postgresql")


@dataclass(frozen=True)
class Prepared:
    """A kept statement and the parameters of this query."""

    statement: Any
    params: dict[str, Any]


# ----- how common each gram is ---------------------------------------------------------------------------------


def counts(
    asked: Sequence[Asked], grams: Sequence[int], rules: Mapping[int, VisibleRule], listed: Sequence[int],
) -> Prepared:
    """One row: for each asked kind whether records wait to be posted; for each listed kind how many records the
    asker sees (up to VISIBLE_CAP); for each kind and gram its postings up to GRAM_COUNT_CAP and, where there are
    several grams, its postings among the kind's newest RECENT_WINDOW records."""
    key = (
        "counts", tuple((kind.code, kind.sees_private) for kind in asked), len(grams),
        tuple((code, rules[code].key()) for code in listed),
    )
    statement = _kept_or_built(key, lambda: _counts(asked, len(grams), [rules[code] for code in listed], listed))
    return Prepared(statement, {f"g{number}": gram for number, gram in enumerate(grams)})


def _counts(asked: Sequence[Asked], grams: int, rules: Sequence[VisibleRule], listed: Sequence[int]) -> Select[Any]:
    p, w, r = search_postings.c, search_pending.c, search_records.c
    columns: list[Any] = [exists().where(w.kind == kind.code).label(f"w{kind.code}") for kind in asked]
    for code, rule in zip(listed, rules, strict=True):
        capped_ids = rule.visible_ids().limit(VISIBLE_CAP).subquery()
        columns.append(select(func.count()).select_from(capped_ids).scalar_subquery().label(f"v{code}"))
    for kind in asked:
        newest = select(func.max(r.record_id)).where(r.kind == kind.code).scalar_subquery()
        for number in range(grams):
            for cap, recent in ((GRAM_COUNT_CAP, False), (RECENT_WINDOW, True)):
                if recent and grams < 2:
                    continue
                inner = select(literal(1)).where(p.gram == bindparam(f"g{number}"), p.kind == kind.code)
                if not kind.sees_private:
                    inner = inner.where(p.public == true())
                if recent:
                    inner = inner.where(p.record_id > newest - RECENT_WINDOW)
                capped = inner.limit(cap).subquery()
                columns.append(select(func.count()).select_from(capped).scalar_subquery().label(f"c{len(columns)}"))
    return select(*columns)


# ----- every kind's newest matches -----------------------------------------------------------------------------

POSTINGS, VISIBLE, WAITING = "p", "v", "w"


@dataclass(frozen=True)
class Part:
    """One kind's matches, one way: along its rarest gram's postings (POSTINGS), among the records the asker sees
    (VISIBLE), or among the records waiting to be posted (WAITING); ``grams`` the query's, rarest first."""

    walk: str
    kind: Asked
    grams: tuple[int, ...]
    rule: VisibleRule

    @property
    def prefix(self) -> str:
        return f"{self.walk}{self.kind.code}"


def ranked(parts: Sequence[Part], query: Query, year: int | None, state: str, hints: Hints = Hints()) -> Prepared:
    """Each part's newest CANDIDATES matches (kind, record_id, in_title: whether the title holds every needle),
    one statement, shaped by the database's ``hints``."""
    needles, checked = len(query.needles), len(query.checked_needles)
    filters = (year is not None, state if state in (OPEN, CLOSED, "") else "step")
    keys = tuple(
        (part.walk, part.kind.code, part.kind.sees_private, len(part.grams), part.rule.key()) for part in parts
    )
    statement = _kept_or_built(
        ("ranked", keys, needles, checked, filters, hints),
        lambda: _union([_part(part, needles, checked, filters, hints) for part in parts]),
    )
    params: dict[str, Any] = {f"n{number}": like_pattern(needle) for number, needle in enumerate(query.needles)}
    params.update({f"c{number}": like_pattern(needle) for number, needle in enumerate(query.checked_needles)})
    for part in parts:
        params.update({f"{part.prefix}g{number}": gram for number, gram in enumerate(part.grams)})
    if year is not None:
        params["year"] = year
    if state not in (OPEN, CLOSED, ""):
        params["state"] = state
    return Prepared(statement, params)


def like_pattern(needle: str) -> str:
    """The LIKE pattern of text holding the needle ('/' the escape: a needle's own % and _ are characters)."""
    return "%" + needle.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _union(parts: Sequence[Select[Any]]) -> Select[Any] | CompoundSelect:
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _part(part: Part, needles: int, checked: int, filters: tuple[bool, str], hints: Hints) -> Select[Any]:
    if part.walk == POSTINGS:
        return _along_postings(part, checked, needles, filters, hints.grams_joined)
    if part.walk == VISIBLE:
        return _among_visible(part, checked, needles, filters, hints.lookups_fenced)
    return _among_waiting(part, needles, filters)


def _along_postings(
    part: Part, checked: int, needles: int, filters: tuple[bool, str], grams_joined: bool,
) -> Select[Any]:
    """Driven by the rarest gram: its postings read in record order, newest first. Each other gram must be there
    too: asked with EXISTS, or, with ``grams_joined``, joined on its posting of the record (the index holds one
    posting of a gram per record, in a public field or not: nothing is counted twice). MariaDB made each EXISTS a
    semi-join that read all that gram's postings into a table first where a rule lists records (96,520 rows of
    '关于' for a 联络员's '关于 关镇' at full size); a join is one lookup for each posting walked."""
    code, sees_private = part.kind.code, part.kind.sees_private
    p = search_postings.alias("p")
    walked: FromClause = p
    conditions: list[ColumnElement[bool]] = [p.c.gram == bindparam(f"{part.prefix}g0"), p.c.kind == code]
    if not sees_private:
        conditions.append(p.c.public == true())
    for number in range(1, len(part.grams)):
        other = search_postings.alias()
        also = [other.c.gram == bindparam(f"{part.prefix}g{number}"), other.c.kind == code,
                other.c.record_id == p.c.record_id]
        if not sees_private:
            also.append(other.c.public == true())
        if grams_joined:
            walked = walked.join(other, and_(*also))
        else:
            conditions.append(exists().where(*also))
    conditions.extend(_in_text(sees_private, "c", checked))
    conditions.extend(part.rule.asked_of(p.c.record_id))
    if checked or filters != (False, ""):
        with_rows = walked.join(search_records, and_(search_records.c.kind == p.c.kind,
                                                     search_records.c.record_id == p.c.record_id))
        return _newest(part, needles, filters, p, conditions, with_rows)
    return _page_then_rows(part, needles, walked, p, conditions)


def _among_visible(
    part: Part, checked: int, needles: int, filters: tuple[bool, str], lookups_fenced: bool,
) -> Select[Any]:
    """Among the records the asker sees (the rule's lists of ids), newest first: each looked up in the postings of
    every gram, the rarest first. On a server the ids are joined as a table (VisibleRule.joins_visible); one
    select alone is made DISTINCT, which MariaDB will not fold into the statement (it then read every record
    of the kind to check the rule on each). ``lookups_fenced`` (PostgreSQL): each gram's EXISTS carries OFFSET 0,
    which keeps PostgreSQL from pulling it up into a hash semi-join that reads all that gram's postings (93,509
    of '反映' for a 联络员's 780 信访件 at full size, 61.8 ms) instead of one index lookup per record (6.2 ms)."""
    code = part.kind.code
    r = search_records
    conditions: list[ColumnElement[bool]] = [r.c.kind == code]
    joined: FromClause | None = None
    if part.rule.joins_visible:
        ids = part.rule.visible_ids()
        visible = (ids.distinct() if isinstance(ids, Select) else ids).subquery("visible")
        joined = r.join(visible, and_(r.c.kind == code, r.c.record_id == next(iter(visible.c))))
    else:
        conditions.append(r.c.record_id.in_(part.rule.visible_ids()))
    for number in range(len(part.grams)):
        posting = search_postings.alias()
        held = [posting.c.gram == bindparam(f"{part.prefix}g{number}"), posting.c.kind == code,
                posting.c.record_id == r.c.record_id]
        if not part.kind.sees_private:
            held.append(posting.c.public == true())
        lookup: Select[Any] = select(literal_column("1")).where(*held)
        conditions.append(exists(lookup.offset(literal_column("0")) if lookups_fenced else lookup))
    conditions.extend(_in_text(part.kind.sees_private, "c", checked))
    return _newest(part, needles, filters, r, conditions, joined)


def _among_waiting(part: Part, needles: int, filters: tuple[bool, str]) -> Select[Any]:
    """Among the records waiting to be posted (a few dozen at most): every needle looked for in their text."""
    w = search_pending.alias("w")
    conditions = [w.c.kind == part.kind.code, *_in_text(part.kind.sees_private, "n", needles),
                  *part.rule.asked_of(w.c.record_id)]
    return _newest(part, needles, filters, w, conditions)


def _in_text(sees_private: bool, name: str, needles: int) -> list[ColumnElement[bool]]:
    """Each needle (parameters ``name``0, 1 …) in the record's folded text, its private fields' too for one who
    reads them."""
    r = search_records.c
    conditions: list[ColumnElement[bool]] = []
    for number in range(needles):
        pattern: BindParameter[str] = bindparam(f"{name}{number}")
        found = r.text_match.like(pattern, escape="/")
        conditions.append(or_(found, r.private_match.like(pattern, escape="/")) if sees_private else found)
    return conditions


def _newest(
    part: Part, needles: int, filters: tuple[bool, str], keys: FromClause, conditions: list[ColumnElement[bool]],
    joined: FromClause | None = None,
) -> Select[Any]:
    """The newest CANDIDATES records of ``keys`` (the postings, the waiting records or the index's rows, by kind
    and record) that meet the conditions (the asker's visibility among them) and the filters, with whether the
    title holds every needle. ``joined``: what the rows are read from, where it is more than ``keys``."""
    r = search_records.c
    record_id = keys.c.record_id
    rows = joined if joined is not None else keys if keys is search_records else keys.join(
        search_records, and_(r.kind == keys.c.kind, r.record_id == record_id)
    )
    newest = (
        select(literal(part.kind.code).label("kind"), record_id.label("record_id"), _in_title(needles))
        .select_from(rows)
        .where(*conditions, *_filter_conditions(filters))
        .order_by(record_id.desc())
        .limit(CANDIDATES)
        .subquery()
    )
    return select(newest.c.kind, newest.c.record_id, newest.c.in_title)


def _page_then_rows(
    part: Part, needles: int, walked: FromClause, p: FromClause, conditions: list[ColumnElement[bool]],
) -> Select[Any]:
    """Along the postings where nothing but the title asks the index's rows: the newest CANDIDATES postings that
    meet the conditions first, then their rows. Joined inside the walk, a row (its folded text, kilobytes) was read
    for every posting walked before the rule turned most away: a 联络员's '信' at full size read 4,777 rows on
    MariaDB for the unit's newest 100 公文."""
    r = search_records.c
    page = (
        select(p.c.record_id).select_from(walked).where(*conditions).order_by(p.c.record_id.desc())
        .limit(CANDIDATES).subquery("page")
    )
    with_rows = page.join(search_records, and_(r.kind == part.kind.code, r.record_id == page.c.record_id))
    return select(literal(part.kind.code).label("kind"), page.c.record_id, _in_title(needles)).select_from(with_rows)


def _in_title(needles: int) -> ColumnElement[int]:
    """1 where the record's title holds every needle (parameters n0, n1 …), else 0: title matches rank first."""
    title_match = search_records.c.title_match
    holds_all = and_(*(title_match.like(bindparam(f"n{number}"), escape="/") for number in range(needles)))
    return case((holds_all, 1), else_=0).label("in_title")


def _filter_conditions(filters: tuple[bool, str]) -> list[ColumnElement[bool]]:
    r = search_records.c
    by_year, state = filters
    conditions: list[ColumnElement[bool]] = []
    if by_year:
        conditions.append(r.year == bindparam("year"))
    if state == OPEN:
        conditions.append(r.closed == false())
    elif state == CLOSED:
        conditions.append(r.closed == true())
    elif state:
        conditions.append(r.state == bindparam("state"))
    return conditions
