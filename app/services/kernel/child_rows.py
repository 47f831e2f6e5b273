"""A record's child rows of several kinds in one statement, for the windows that open a record.

On a LAN every statement is a round trip (50 ms on a slow one). A record's window shows its history,
files, urges and the rows of its own kinds (会签, 分发, 传阅 …): read one query per kind, that is a dozen
round trips. Here each kind is a branch of one UNION ALL. Every branch is laid on the same row of typed
slots (integers, texts, flags, times, days, amounts); a slot a branch does not use is a typed NULL. Each
row comes back as the branch's own named fields, so the caller reads ``row.unit_name``, not a slot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Numeric,
    String,
    cast,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.sql import FromClause
from sqlalchemy.types import TypeEngine

from app.db.tables import UTCDateTime, type_kind
from app.services.kernel.uow import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy.orm import QueryableAttribute

# A column of a table or of a mapped class.
Field = Union[ColumnElement[Any], "QueryableAttribute[Any]"]  # noqa: UP007 - the string half needs Union

# Slot classes, in the order of the row; each is read back with this type's result processing.
_SLOT_TYPES: dict[str, TypeEngine[Any]] = {
    "int": Integer(), "text": String(), "flag": Boolean(), "time": UTCDateTime(), "day": Date(),
    "amount": Numeric(14, 2),
}


def _slot_class(sql_type: TypeEngine[Any]) -> str:
    # UTCDateTime is a DateTime underneath: a "time" slot.
    return type_kind(sql_type, (("flag", Boolean), ("time", DateTime), ("day", Date), ("amount", Numeric),
                                ("int", Integer), ("text", String)), "no slot for a column of this type")


@dataclass(frozen=True)
class Branch:
    """One kind of child row: its fields (name → column), where from, and which rows."""

    kind: str
    source: FromClause
    fields: Mapping[str, Field]
    where: ColumnElement[bool]
    # The fields the window's order follows (ascending), read back in Python.
    order: tuple[str, ...] = ("id",)


class ChildRow:
    """A child row read back: its branch's fields as attributes."""

    __slots__ = ("__dict__",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # for mypy: the fields are the branch's
        raise AttributeError(name)


def read_children(uow: UnitOfWork, branches: Sequence[Branch]) -> dict[str, list[ChildRow]]:
    """Every branch's rows, in one statement, each kind in its own order (absent kinds: empty lists)."""
    layouts: list[dict[str, tuple[str, int]]] = []
    widths: dict[str, int] = dict.fromkeys(_SLOT_TYPES, 0)
    for branch in branches:
        used: dict[str, int] = dict.fromkeys(_SLOT_TYPES, 0)
        layout: dict[str, tuple[str, int]] = {}
        for name, column in branch.fields.items():
            slot = _slot_class(column.type)
            layout[name] = (slot, used[slot])
            used[slot] += 1
        layouts.append(layout)
        for slot, count in used.items():
            widths[slot] = max(widths[slot], count)
    offsets: dict[str, int] = {}
    position = 1  # after the kind
    for slot in _SLOT_TYPES:
        offsets[slot] = position
        position += widths[slot]

    typed_nulls = uow.dialect_name == "postgresql"
    selects = []
    for branch, layout in zip(branches, layouts, strict=True):
        # The kind is a constant of the code, written into the SQL: a bound parameter in a UNION leaves
        # PostgreSQL to guess its type.
        if not branch.kind.isidentifier():
            raise ValueError(f"kind {branch.kind!r} is not a plain name")
        cells: list[ColumnElement[Any]] = [literal_column(f"'{branch.kind}'", String()).label("kind")]
        by_slot = {spot: name for name, spot in layout.items()}
        for slot, sql_type in _SLOT_TYPES.items():
            for index in range(widths[slot]):
                field_name = by_slot.get((slot, index))
                if field_name is not None:
                    cell: Field = branch.fields[field_name]
                elif typed_nulls:
                    # PostgreSQL types a UNION's column pairwise from the left: two bare NULLs make text,
                    # which a later boolean or integer then cannot join.
                    cell = cast(null(), sql_type)
                else:
                    cell = null()
                cells.append(type_coerce(cell, sql_type).label(f"{slot}{index}"))
        selects.append(select(*cells).select_from(branch.source).where(branch.where))
    found: dict[str, list[ChildRow]] = {branch.kind: [] for branch in branches}
    if not selects:
        return found
    statement = union_all(*selects) if len(selects) > 1 else selects[0]
    layout_of = {branch.kind: layout for branch, layout in zip(branches, layouts, strict=True)}
    for row in uow.execute(statement):
        layout = layout_of[row[0]]
        found[row[0]].append(
            ChildRow({name: row[offsets[slot] + index] for name, (slot, index) in layout.items()})
        )
    for branch in branches:
        found[branch.kind].sort(key=_order_key(branch.order))
    return found


def _order_key(keys: tuple[str, ...]) -> Callable[[ChildRow], tuple[tuple[bool, Any], ...]]:
    return lambda row: tuple(_sortable(getattr(row, key)) for key in keys)


def _sortable(value: Any) -> tuple[bool, Any]:
    """None sorts first, as the databases' ascending order puts NULLs on SQLite and MariaDB."""
    return (value is not None, value)
