"""信息调研's records: who sees a 政务信息 item or research article, loading one for an act, and how one reads.

Who sees what:
- the editors (文秘人员, 办公室主任, 副主任) see every item;
- a member of a writing group sees their group's items;
- everyone sees the items of an issue of 《政务信息》 once it is issued (it goes to the leaders and the units).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true

from app.core.errors import ConflictError, NotFound, PermissionDenied
from app.core.information.flow import ENTITY, INFORMATION_ITEM
from app.core.roles import Role
from app.models import User, WorkflowInstance
from app.models.base import utcnow
from app.models.information import InfoGroup, InfoGroupMember, InfoIssue, InfoItem
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow
from app.services.workflow import visibility

EDITOR_ROLES: tuple[Role, ...] = (Role.SECRETARY, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# Who sets up the writing groups: the office's director and the system's administrator.
GROUP_ADMIN_ROLES: tuple[Role, ...] = (Role.ADMIN, Role.DIRECTOR)
KINDS: dict[str, str] = {"item": "政务信息", "article": "调研文章"}
STATE_LABELS: dict[str, str] = {step.key: step.label for step in INFORMATION_ITEM.steps}


def is_editor(actor: Actor) -> bool:
    return actor.id is None or actor.has(*EDITOR_ROLES)


@acting
def member_group_id(uow: UnitOfWork, actor: Actor) -> int | None:
    """The writing group the actor belongs to, if any."""
    if actor.id is None:
        return None
    found = uow.execute(select(InfoGroupMember.group_id).where(InfoGroupMember.user_id == actor.id)).scalar()
    return int(found) if found is not None else None


def _issued_issues() -> Any:
    return select(InfoIssue.id).where(InfoIssue.issued == true())


@acting
def visible_items(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool]:
    """Which items the actor sees, as SQL on info_items."""
    if is_editor(actor):
        return true()
    group_id = member_group_id(uow, actor)
    seen: list[ColumnElement[bool]] = [InfoItem.issue_id.in_(_issued_issues())]
    if group_id is not None:
        seen.append(InfoItem.group_id == group_id)
    return or_(*seen)


def _visible_instances(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool] | None:
    if is_editor(actor):
        return None
    return WorkflowInstance.entity_id.in_(select(InfoItem.id).where(visible_items(uow, actor)))


visibility.register(ENTITY, _visible_instances)


@acting
def can_see(uow: UnitOfWork, actor: Actor, item: InfoItem) -> bool:
    if is_editor(actor):
        return True
    if item.group_id == member_group_id(uow, actor):
        return True
    if item.issue_id is None:
        return False
    issue = uow.session.get(InfoIssue, item.issue_id)
    return issue is not None and issue.issued


def item_name(item: InfoItem) -> str:
    return f"{KINDS.get(item.kind, '稿件')}《{item.title}》"


@acting
def load(
    uow: UnitOfWork, actor: Actor, item_id: int, expected_version: int | None = None,
) -> tuple[InfoItem, WorkflowInstance]:
    """The item and its flow instance, if the actor may see it and it is as they read it."""
    item = uow.session.get(InfoItem, item_id)
    if item is None or item.instance_id is None:
        raise NotFound("找不到该稿件，可能已被删除")
    instance = uow.found(WorkflowInstance, item.instance_id, "找不到该稿件的办理记录")
    if not can_see(uow, actor, item):
        raise PermissionDenied("这篇稿件不是您所在信息组的，编入的《政务信息》也尚未印发，不能查看")
    if expected_version is not None and item.version != expected_version:
        raise ConflictError(f"{item_name(item)}已被其他人修改或办理，请刷新后再操作")
    return item, instance


def touch(item: InfoItem) -> None:
    """Every act on an item moves its version on, so a second client acting on what it saw is refused."""
    item.updated_at = utcnow()


class _ItemRecords:
    """Items as app.services.workflow.acts opens them for an act: load() with its visibility."""

    noun = "这篇稿件"

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str,
    ) -> tuple[InfoItem, WorkflowInstance]:
        return load(uow, actor, record_id, expected_version)

    def name(self, item: InfoItem) -> str:
        return item_name(item)

    def facts(self, uow: UnitOfWork, item: InfoItem) -> Mapping[str, Any]:
        return {}


RECORDS = _ItemRecords()

workflow.register_facts(
    ENTITY, lambda uow, item_id: {},
    lambda uow, item_id: touch(uow.found(InfoItem, item_id, "找不到该稿件")),
)


def _file_guard(uow: UnitOfWork, actor: Actor, item_id: int, purpose: str) -> None:
    """Who adds and removes an item's files (its photos, the adopting body's notice): its author while it is
    a draft, and the editors."""
    item, instance = load(uow, actor, item_id)
    if is_editor(actor):
        return
    if instance.state == "draft" and actor.id is not None and actor.id == instance.owner_id:
        return
    raise PermissionDenied("只有稿件的作者（撰写时）和文秘人员、办公室领导可以增删稿件的附件")


attachments.guard_owner(ENTITY, _file_guard)


# ----- how an item reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdoptionInfo:
    id: int
    body: str
    level: str
    adopted_on: date
    points: int
    recorded_by_name: str


@dataclass(frozen=True)
class CommentInfo:
    id: int
    leader: str
    text: str
    commented_on: date
    recorded_by_name: str


@dataclass(frozen=True)
class ItemInfo:
    id: int
    kind: str
    title: str
    body: str
    author_name: str
    author_id: int | None
    group_id: int
    group_name: str
    submitted_on: date | None
    instance_id: int
    owner_id: int | None
    state: str
    state_label: str
    closed: bool
    issue_id: int | None
    issue_label: str
    issue_issued: bool
    adoptions: tuple[AdoptionInfo, ...]
    comments: tuple[CommentInfo, ...]
    imported: bool
    version: int

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def points(self) -> int:
        return sum(a.points for a in self.adoptions)


def issue_label(year: int, seq: int) -> str:
    return f"{year}年第{seq}期"


@acting
def item_info(uow: UnitOfWork, actor: Actor, item: InfoItem, instance: WorkflowInstance) -> ItemInfo:
    group = uow.session.get(InfoGroup, item.group_id)
    issue = uow.session.get(InfoIssue, item.issue_id) if item.issue_id is not None else None
    return ItemInfo(
        id=item.id, kind=item.kind, title=item.title, body=item.body, author_name=item.author_name,
        author_id=item.author_id, group_id=item.group_id, group_name=group.name if group else "",
        submitted_on=item.submitted_on, instance_id=instance.id, owner_id=instance.owner_id, state=instance.state,
        state_label=STATE_LABELS.get(instance.state, instance.state), closed=instance.closed,
        issue_id=item.issue_id, issue_label=issue_label(issue.year, issue.seq) if issue else "",
        issue_issued=bool(issue and issue.issued),
        adoptions=tuple(AdoptionInfo(a.id, a.body, a.level, a.adopted_on, a.points, a.recorded_by_name)
                        for a in item.adoptions),
        comments=tuple(CommentInfo(c.id, c.leader, c.text, c.commented_on, c.recorded_by_name)
                       for c in item.comments),
        imported=item.imported, version=item.version,
    )


@acting
def commit_info(uow: UnitOfWork, actor: Actor, item: InfoItem, instance: WorkflowInstance) -> ItemInfo:
    uow.flush()
    uow.session.refresh(item)
    info = item_info(uow, actor, item, instance)
    uow.commit()
    return info


@acting
def get_item(uow: UnitOfWork, actor: Actor, item_id: int) -> ItemInfo:
    item, instance = load(uow, actor, item_id)
    return item_info(uow, actor, item, instance)


@acting
def item_of_instance(uow: UnitOfWork, actor: Actor, instance_id: int) -> int:
    """The item behind a flow instance (the 工作台 opens records by instance)."""
    found = uow.execute(select(InfoItem.id).where(InfoItem.instance_id == instance_id)).scalar_one_or_none()
    if found is None:
        raise NotFound("找不到该稿件，可能已被删除")
    load(uow, actor, found)
    return int(found)


def user_name(uow: UnitOfWork, user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = uow.session.get(User, user_id)
    return user.full_name if user else ""


