"""Paged lists of records in flows, for the lazy table models: one query returns a page and its total."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, SQLColumnExpression, false, func, select

from app.core.errors import ValidationError
from app.db.tables import workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import INFO_COLUMNS, InstanceInfo, flow_for, info_from_row
from app.services.workflow.visibility import visible_clause

T = TypeVar("T")

MAX_PAGE = 500
_WI = workflow_instances.c

SORT_COLUMNS = {
    "due_date": _WI.due_date,
    "entered_at": _WI.entered_at,
    "title": _WI.title,
    "state": _WI.state,
    "id": _WI.id,
}


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, with the total it is part of."""

    rows: list[T]
    total: int
    offset: int


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_page(offset: int, limit: int) -> None:
    """Refuses a page that no list gives: 1 to MAX_PAGE rows, from the first row on."""
    if not 0 < limit <= MAX_PAGE or offset < 0:
        raise ValidationError("分页参数不正确")


def date_range(column: SQLColumnExpression[date], date_from: date | None, date_to: date | None) -> list[ColumnElement[bool]]:
    """A list's conditions for a range of days on this column, either end open; refuses a range that ends
    before it starts."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError("起始日期不能晚于截止日期", field="date_from")
    conditions: list[ColumnElement[bool]] = []
    if date_from is not None:
        conditions.append(column >= date_from)
    if date_to is not None:
        conditions.append(column <= date_to)
    return conditions


def sort_order(columns: Sequence[ColumnElement[Any]], descending: bool) -> list[ColumnElement[Any]]:
    """ORDER BY these columns, every one the same way (the later ones break the earlier ones' ties)."""
    return [column.desc() if descending else column.asc() for column in columns]


# Longer than any title or 文号 worth finding; a longer LIKE pattern only costs (SQLite refuses one past
# 50,000 characters with an error no user can read).
MAX_SEARCH_LENGTH = 100


def search_text(search: str | None, field: str = "search") -> str:
    """A list's search text, trimmed, or a message when it is longer than anything it could find."""
    text = (search or "").strip()
    if len(text) > MAX_SEARCH_LENGTH:
        raise ValidationError(
            f"搜索内容最多 {MAX_SEARCH_LENGTH} 个字（现在 {len(text)} 个字），请只输入标题或文号中的一段", field=field
        )
    return text


@acting
def list_instances(
    uow: UnitOfWork,
    actor: Actor,
    *,
    flow_key: str | None = None,
    state: str | None = None,
    search: str | None = None,
    overdue_on: date | None = None,
    unit_id: int | None = None,
    include_closed: bool = False,
    order_by: str = "due_date",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> Page[InstanceInfo]:
    check_page(offset, limit)
    if order_by not in SORT_COLUMNS:
        raise ValidationError(f"不能按“{order_by}”排序")
    conditions = []
    if not include_closed:
        conditions.append(_WI.closed == false())
    if flow_key:
        conditions.append(_WI.flow_key == flow_key)
    if state:
        conditions.append(_WI.state == state)
    text = search_text(search)
    if text:
        conditions.append(_WI.title.like(f"%{escape_like(text)}%", escape="\\"))
    if overdue_on is not None:
        conditions.append(_WI.due_date < overdue_on)
    if unit_id is not None:
        conditions.append(_WI.unit_id == unit_id)
    # Each record's own rule (a claim's, a document's), in the query: no page shows what get_claim refuses.
    conditions.append(visible_clause(uow, actor))
    column = SORT_COLUMNS[order_by]
    ordering = [*sort_order([column], descending), _WI.id]
    # Two queries, not count().over(): the window function must read every matching row before the
    # first 50 can be returned, while a plain count runs on an index and the page stops at its limit.
    total = int(uow.execute(select(func.count()).select_from(workflow_instances).where(*conditions)).scalar_one())
    rows = uow.execute(
        select(*INFO_COLUMNS).where(*conditions).order_by(*ordering).offset(offset).limit(limit)
    ).all()
    flows = {}
    infos = []
    for row in rows:
        key = (row.flow_key, row.flow_version)
        if key not in flows:
            flows[key] = flow_for(uow, *key)
        infos.append(info_from_row(row, flows[key]))
    return Page(infos, total, offset)
