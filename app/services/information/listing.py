"""信息调研's lists: the items a user may see (records.visible_items), a page at a time with the list's filters and
total (我的稿件, 本组稿件, 待编审, 全部). The UI shows what these return and builds no SQL of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from app.core.errors import PermissionDenied, ValidationError
from app.core.information.flow import SUBMITTED
from app.models import WorkflowInstance
from app.models.information import InfoAdoption, InfoComment, InfoGroup, InfoIssue, InfoItem
from app.services.information import records
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.worklist import Page, check_page, date_range, escape_like, search_text, sort_order

Box = Literal["mine", "group", "review", "all"]
BOXES: dict[str, str] = {"mine": "我的稿件", "group": "本组稿件", "review": "待编审", "all": "全部稿件"}
SORT_KEYS = ("submitted", "title", "group", "author", "state", "points", "id")


@dataclass(frozen=True)
class ItemRow:
    id: int
    kind: str
    title: str
    author_name: str
    group_name: str
    submitted_on: date | None
    state: str
    state_label: str
    closed: bool
    issue_label: str
    adoption_levels: str
    points: int
    comments: int
    instance_id: int

    @property
    def kind_label(self) -> str:
        return records.KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class ItemFilter:
    box: Box = "all"
    kind: str | None = None
    group_id: int | None = None
    state: str | None = None
    adopted_only: bool = False
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None


def _points() -> Any:
    return (select(func.coalesce(func.sum(InfoAdoption.points), 0)).where(InfoAdoption.item_id == InfoItem.id)
            .correlate(InfoItem).scalar_subquery())


@acting
def conditions_for(uow: UnitOfWork, actor: Actor, f: ItemFilter) -> list[ColumnElement[bool]]:
    """The filter as SQL on items joined to their instances, visibility first; a bad filter is refused."""
    if f.box not in BOXES:
        raise ValidationError("没有这个稿件列表", field="box")
    conditions: list[ColumnElement[bool]] = [records.visible_items(uow, actor)]
    if f.box == "mine":
        conditions.append(or_(WorkflowInstance.owner_id == actor.id, InfoItem.author_id == actor.id))
    elif f.box == "group":
        group_id = records.member_group_id(uow, actor)
        conditions.append(InfoItem.group_id == group_id if group_id is not None else false())
    elif f.box == "review":
        conditions += [WorkflowInstance.closed == false(), WorkflowInstance.state == SUBMITTED]
    if f.kind:
        if f.kind not in records.KINDS:
            raise ValidationError("稿件类型只能是政务信息或调研文章", field="kind")
        conditions.append(InfoItem.kind == f.kind)
    if f.group_id is not None:
        conditions.append(InfoItem.group_id == f.group_id)
    if f.state:
        if f.state not in records.STATE_LABELS:
            raise ValidationError(f"状态只能是{'、'.join(records.STATE_LABELS.values())}", field="state")
        conditions.append(WorkflowInstance.state == f.state)
    if f.adopted_only:
        conditions.append(InfoItem.id.in_(select(InfoAdoption.item_id)))
    conditions += date_range(InfoItem.submitted_on, f.date_from, f.date_to)  # type: ignore[arg-type]
    text = search_text(f.search)
    if text:
        pattern = f"%{escape_like(text)}%"
        conditions.append(or_(InfoItem.title.like(pattern, escape="\\"),
                              InfoItem.author_name.like(pattern, escape="\\")))
    return conditions


def _joined() -> ColumnElement[bool]:
    return InfoItem.instance_id == WorkflowInstance.id


def _order(order_by: str, descending: bool) -> list[ColumnElement[Any]]:
    if order_by not in SORT_KEYS:
        raise ValidationError(f"不能按“{order_by}”排序", field="order_by")
    sorts: dict[str, list[Any]] = {
        # A draft (no 报送日期 yet) sorts as the newest.
        "submitted": [func.coalesce(InfoItem.submitted_on, date(9999, 12, 31)), InfoItem.id],
        "title": [InfoItem.title, InfoItem.id],
        "group": [InfoItem.group_id, InfoItem.id],
        "author": [InfoItem.author_name, InfoItem.id],
        "state": [WorkflowInstance.state, InfoItem.id],
        "points": [_points(), InfoItem.id],
        "id": [InfoItem.id],
    }
    return sort_order(sorts[order_by], descending)


def _rows(uow: UnitOfWork, ids_query: Any, order: Sequence[ColumnElement[Any]]) -> list[ItemRow]:
    page = ids_query.subquery("page")
    found = uow.execute(
        select(InfoItem.id, InfoItem.kind, InfoItem.title, InfoItem.author_name, InfoGroup.name.label("group_name"),
               InfoItem.submitted_on, WorkflowInstance.state, WorkflowInstance.closed, InfoIssue.year, InfoIssue.seq,
               WorkflowInstance.id.label("instance_id"))
        .join(page, page.c.id == InfoItem.id)
        .join(WorkflowInstance, _joined())
        .join(InfoGroup, InfoGroup.id == InfoItem.group_id)
        .outerjoin(InfoIssue, InfoIssue.id == InfoItem.issue_id)
        .order_by(*order)
    ).all()
    ids = [int(r.id) for r in found]
    adoptions: dict[int, list[tuple[str, int]]] = {}
    comments: dict[int, int] = {}
    if ids:
        for a in uow.execute(select(InfoAdoption.item_id, InfoAdoption.level, InfoAdoption.points)
                             .where(InfoAdoption.item_id.in_(ids)).order_by(InfoAdoption.id)):
            adoptions.setdefault(int(a.item_id), []).append((str(a.level), int(a.points)))
        for c in uow.execute(select(InfoComment.item_id, func.count()).where(InfoComment.item_id.in_(ids))
                             .group_by(InfoComment.item_id)):
            comments[int(c[0])] = int(c[1])
    return [
        ItemRow(
            id=r.id, kind=r.kind, title=r.title, author_name=r.author_name, group_name=r.group_name,
            submitted_on=r.submitted_on, state=r.state, state_label=records.STATE_LABELS.get(r.state, r.state),
            closed=bool(r.closed), issue_label=records.issue_label(r.year, r.seq) if r.seq is not None else "",
            adoption_levels="、".join(level for level, _ in adoptions.get(r.id, [])),
            points=sum(p for _, p in adoptions.get(r.id, [])), comments=comments.get(r.id, 0),
            instance_id=r.instance_id,
        )
        for r in found
    ]


@acting
def list_items(
    uow: UnitOfWork, actor: Actor, f: ItemFilter = ItemFilter(), *, offset: int = 0, limit: int = 50,
    order_by: str = "submitted", descending: bool = True,
) -> Page[ItemRow]:
    """A page of a list and its total, the latest 报送 first (drafts before them)."""
    check_page(offset, limit)
    conditions = conditions_for(uow, actor, f)
    total = int(uow.execute(
        select(func.count()).select_from(InfoItem).join(WorkflowInstance, _joined()).where(*conditions)
    ).scalar_one())
    order = _order(order_by, descending)
    ids = (select(InfoItem.id).join(WorkflowInstance, _joined()).where(*conditions)
           .order_by(*order).offset(offset).limit(limit))
    return Page(_rows(uow, ids, order), total, offset)


@acting
def compilable_items(uow: UnitOfWork, actor: Actor, *, search: str | None = None, limit: int = 200) -> list[ItemRow]:
    """What an editor may compile into an issue: items being edited (编审) in no issue yet, the earliest 报送 first."""
    if not records.is_editor(actor):
        raise PermissionDenied("只有文秘人员和办公室领导可以编辑《政务信息》")
    conditions = [WorkflowInstance.closed == false(), WorkflowInstance.state == SUBMITTED,
                  InfoItem.issue_id.is_(None)]
    text = search_text(search)
    if text:
        conditions.append(InfoItem.title.like(f"%{escape_like(text)}%", escape="\\"))
    order = _order("submitted", False)
    ids = select(InfoItem.id).join(WorkflowInstance, _joined()).where(and_(*conditions)).order_by(*order).limit(limit)
    return _rows(uow, ids, order)
