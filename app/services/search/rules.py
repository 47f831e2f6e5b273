"""An area's visibility rule as 综合查询 asks it (app.services.workflow.visibility gives it on the flow's instances):
of each match, or, where the rule only lists the records the asker sees ("entity_id IN (…)", or an OR of such),
as those lists to walk. Also the rule's key: what two rules must share for a statement built with one to serve
the other (app.services.search.statements keeps the statements it builds)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, exists, union
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BooleanClauseList, ColumnClause, False_, Grouping
from sqlalchemy.sql.selectable import ScalarSelect
from sqlalchemy.sql.visitors import iterate, replacement_traverse

from app.db.tables import workflow_instances
from app.services.workflow.visibility import visible_rule

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from app.core.areas import SearchSpec
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class VisibleRule:
    """The area's visibility rule for the asker (None: they see every record of the kind); ``lists``: the same
    rule as the selects of record ids whose union it lets through, where it says no more than "entity_id IN (…)"
    (or an OR of such: None where it says anything else); and whether a rule that reads only the record's id is
    asked of the posting itself (its walk then skips a lookup of the flow instance for each posting): always on
    SQLite; on PostgreSQL and MariaDB for a rule that is no list (the director's claims, "not a draft never
    submitted": MariaDB read all 100,000 claims' instances for it, 80 -> 6 ms of a one-character query at full
    size), while a list is asked through the instance there (MariaDB planned a 联络员's list on the posting worse).

    ``joins_visible`` (PostgreSQL and MariaDB): the walk among the records the asker sees joins their ids as a
    table, and a list that is one table's ids under an OR of conditions is listed as one select per condition.
    MariaDB asked "IN (a UNION b)" of every record of the kind (45 ms at a tenth for a 联络员 who sees no 报销单)
    and read a unit's 公文 by scanning them all, where each condition alone reads an index (a 联络员's '工作'
    88 -> 15 ms at a tenth); SQLite plans the IN well and the join badly (20 -> 110 ms at full size)."""

    entity_type: str
    clause: ColumnElement[bool] | None
    lists: tuple[Select[Any], ...] | None
    on_record: bool
    joins_visible: bool = False

    @classmethod
    def of(cls, uow: UnitOfWork, actor: Actor, spec: SearchSpec) -> VisibleRule:
        clause = visible_rule(uow, actor, spec.entity_type)
        on_server = uow.dialect_name != "sqlite"
        lists = None if clause is None else id_lists(clause, split_or=on_server)
        on_record = not on_server or lists is None
        return cls(spec.entity_type, clause, None if lists is None else tuple(lists), on_record, on_server)

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
        on_record = on_record_id(self.clause, record_id) if self.on_record else None
        if on_record is not None:
            return [on_record]
        wi = workflow_instances.c
        return [exists().where(wi.entity_type == self.entity_type, wi.entity_id == record_id, self.clause)]

    def key(self) -> Hashable:
        """Equal for two rules that say the same, to the values they compare with (a unit's id, a user's); a rule
        SQLAlchemy cannot key is equal to no other."""
        if self.clause is None:
            return (self.entity_type, None, self.on_record, self.joins_visible)
        cache_key = self.clause._generate_cache_key()
        if cache_key is None:
            return object()
        values = tuple(_frozen(bind.effective_value) for bind in cache_key.bindparams)
        return (self.entity_type, cache_key.key, values, self.on_record, self.joins_visible)


def _frozen(value: Any) -> Hashable:
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(item) for item in value)
    return value if isinstance(value, Hashable) else repr(value)


def id_lists(rule: ColumnElement[bool], split_or: bool = False) -> list[Select[Any]] | None:
    """The selects of record ids whose union is exactly what the rule lets through, where the rule is
    "entity_id IN (select …)" or an OR of such (a part that is plainly false left out); None for any other.
    ``split_or``: a select whose condition is an OR is given as one select per part of it (see _split_or)."""
    while isinstance(rule, Grouping):
        rule = rule.element  # type: ignore[assignment]
    if isinstance(rule, False_):
        return []
    if isinstance(rule, BooleanClauseList) and rule.operator is operators.or_:
        found: list[Select[Any]] = []
        for part in rule.clauses:
            listed = id_lists(part, split_or)
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
        return _split_or(rule.right.element) if split_or else [rule.right.element]
    return None


def _split_or(listed: Select[Any]) -> list[Select[Any]]:
    """"SELECT id FROM t WHERE a OR b" as "SELECT id FROM t WHERE a" and "… WHERE b" (the same FROM list): the
    same ids in union, and each part reads the index of its own condition. Each part first kept the whole OR
    beside its own condition, which PostgreSQL checked on every row of the table it scanned to join the part's
    list (20,000 会议, twice, for a 联络员: the 会议 walk 13–18 -> 8–10 ms at full size). Not for a select with a
    limit, a grouping or DISTINCT, which the narrower condition would change."""
    where = listed.whereclause
    while isinstance(where, Grouping):
        where = where.element  # type: ignore[assignment]
    if not (isinstance(where, BooleanClauseList) and where.operator is operators.or_):
        return [listed]
    # SQLAlchemy has no public accessor for these, nor a way to replace a select's condition.
    if (listed._limit_clause is not None or listed._offset_clause is not None or listed._group_by_clauses
            or listed._having_criteria or listed._distinct):
        return [listed]
    # The select with no condition, all else its own (Generative._generate: a copy that forgets what it memoized).
    unconditioned = listed._generate()
    unconditioned._where_criteria = ()
    return [unconditioned.where(part) for part in where.clauses]


def on_record_id(rule: ColumnElement[bool], record_id: ColumnElement[Any]) -> ColumnElement[bool] | None:
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
