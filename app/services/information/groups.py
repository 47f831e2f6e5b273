"""The writing groups (信息组) and the settings the notices count by: each group's leading deputy director and its
members (a person writes in one group), the quotas (items a week, articles a half-year) and the adoption points
table. The office's director or the administrator sets the groups up; the quotas and the points table are office
settings (系统管理 → 系统设置).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from app.core.errors import ConflictError, NotFound, ValidationError
from app.core.information.points import DEFAULT_POINTS, LEVELS
from app.core.information.quotas import ARTICLES_PER_HALF_YEAR, ITEMS_PER_WEEK
from app.core.printable import check_printable
from app.core.roles import Role
from app.models import User
from app.models.information import InfoGroup, InfoGroupMember, InfoItem
from app.services.information.records import GROUP_ADMIN_ROLES
from app.services.kernel import settings
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork

DEFAULT_GROUP_NAMES: tuple[str, ...] = tuple(f"第{n}信息组" for n in "一二三四五六七八")
MAX_GROUPS = 30
MAX_MEMBERS = 30
MAX_NAME = 30
LEADER_ROLES = (Role.DEPUTY_DIRECTOR, Role.DIRECTOR)


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str


@dataclass(frozen=True)
class GroupInfo:
    id: int
    name: str
    position: int
    leader_id: int | None
    leader_name: str
    active: bool
    members: tuple[Member, ...]
    version: int

    @property
    def member_names(self) -> str:
        return "、".join(m.name for m in self.members)


@dataclass(frozen=True)
class Quotas:
    items_per_week: int
    articles_per_half_year: int


def _names(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = uow.execute(select(User.id, User.full_name).where(User.id.in_(list(ids)))).all()
    return {int(r.id): str(r.full_name) for r in rows}


def _group_info(group: InfoGroup, names: dict[int, str]) -> GroupInfo:
    return GroupInfo(
        id=group.id, name=group.name, position=group.position, leader_id=group.leader_id,
        leader_name=names.get(group.leader_id, "") if group.leader_id is not None else "", active=group.active,
        members=tuple(Member(m.user_id, names.get(m.user_id, "")) for m in group.members), version=group.version,
    )


@acting
def list_groups(uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False) -> list[GroupInfo]:
    """The writing groups in their order, with leaders and members: for every user (the lists filter by them)."""
    query = select(InfoGroup).order_by(InfoGroup.position, InfoGroup.id)
    if not include_inactive:
        query = query.where(InfoGroup.active.is_(True))
    groups = list(uow.session.execute(query).scalars())
    ids = {g.leader_id for g in groups if g.leader_id is not None} | {m.user_id for g in groups for m in g.members}
    names = _names(uow, sorted(ids))
    return [_group_info(g, names) for g in groups]


@acting
def create_default_groups(uow: UnitOfWork, actor: Actor) -> list[GroupInfo]:
    """The office's 8 groups (第一信息组 … 第八信息组), without leaders or members yet, where none exist. Commits."""
    require_role(actor, GROUP_ADMIN_ROLES, "设置信息组")
    if uow.execute(select(InfoGroup.id).limit(1)).first() is not None:
        raise ValidationError("已经设置了信息组，请逐个修改")
    for position, name in enumerate(DEFAULT_GROUP_NAMES, start=1):
        uow.session.add(InfoGroup(name=name, position=position))
    uow.record(actor.id, actor.username, "create", "info_group", None, {"groups": list(DEFAULT_GROUP_NAMES)})
    uow.flush()
    result = list_groups(uow, actor, include_inactive=True)
    uow.commit()
    return result


def _active_user(uow: UnitOfWork, user_id: int, what: str, field_name: str) -> User:
    user = uow.session.get(User, user_id)
    if user is None or not user.active:
        raise ValidationError(f"所选{what}不存在或已停用，请重新选择", field=field_name)
    return user


@acting
def save_group(
    uow: UnitOfWork, actor: Actor, group_id: int | None, *, name: str, leader_id: int | None,
    member_ids: Sequence[int], active: bool = True, expected_version: int | None = None,
) -> GroupInfo:
    """Creates (group_id None) or changes a group: its name, its leading 副主任 (or 主任) and its members, each
    of whom writes in no other group. For the director and the administrator. Commits."""
    require_role(actor, GROUP_ADMIN_ROLES, "设置信息组")
    name = " ".join(name.split())
    if not name:
        raise ValidationError("请填写信息组的名称", field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"信息组名称不能超过{MAX_NAME}个字", field="name")
    check_printable(name, "信息组名称", field="name")
    clash = uow.execute(select(InfoGroup.id).where(InfoGroup.name == name)).scalar()
    if clash is not None and clash != group_id:
        raise ValidationError(f"已经有名为“{name}”的信息组", field="name")
    if leader_id is not None:
        leader = _active_user(uow, leader_id, "分管领导", "leader_id")
        if not leader.role_codes & {r.value for r in LEADER_ROLES}:
            raise ValidationError(f"{leader.full_name}不是办公室主任或副主任，不能分管信息组", field="leader_id")
    members = list(dict.fromkeys(member_ids))
    if len(members) > MAX_MEMBERS:
        raise ValidationError(f"一个信息组最多{MAX_MEMBERS}人", field="member_ids")
    for user_id in members:
        user = _active_user(uow, user_id, "组员", "member_ids")
        elsewhere = uow.execute(
            select(InfoGroup.name).join(InfoGroupMember, InfoGroupMember.group_id == InfoGroup.id)
            .where(InfoGroupMember.user_id == user_id, InfoGroup.id != (group_id or 0))
        ).scalar()
        if elsewhere is not None:
            raise ValidationError(f"{user.full_name}已在{elsewhere}，一人只能参加一个信息组", field="member_ids")
    if group_id is None:
        if int(uow.execute(select(func.count()).select_from(InfoGroup)).scalar_one()) >= MAX_GROUPS:
            raise ValidationError(f"信息组最多{MAX_GROUPS}个")
        position = int(uow.execute(select(InfoGroup.position).order_by(InfoGroup.position.desc())).scalar() or 0) + 1
        group = InfoGroup(name=name, position=position)
        uow.session.add(group)
        action = "create"
    else:
        found = uow.session.get(InfoGroup, group_id)
        if found is None:
            raise NotFound("找不到该信息组，可能已被删除")
        group = found
        if expected_version is not None and group.version != expected_version:
            raise ConflictError(f"{group.name}已被其他人修改，请刷新后再保存")
        action = "update"
    before = [m.user_id for m in group.members]
    renamed = action == "update" and group.name != name
    group.name, group.leader_id, group.active = name, leader_id, active
    group.members = []
    uow.flush()
    group.members = [InfoGroupMember(user_id=user_id, position=i) for i, user_id in enumerate(members, start=1)]
    uow.flush()
    uow.record(actor.id, actor.username, action, "info_group", group.id,
               {"name": name, "leader_id": leader_id, "members": {"before": before, "after": members}},
               change_op=action)
    if renamed:
        _reindex_items_of(uow, group.id)
    uow.session.refresh(group)
    names = _names(uow, sorted({*members, *([leader_id] if leader_id else [])}))
    info = _group_info(group, names)
    uow.commit()
    return info


def _reindex_items_of(uow: UnitOfWork, group_id: int) -> None:
    """A renamed group's items are found by its new name in 综合查询 (app.services.information.search): their
    index rows are brought up to date in this transaction, as an act on an item does at its commit. The rename
    is recorded once, on the group; an audit entry per item would only repeat it."""
    from app.core.information.flow import ENTITY
    from app.services.search.sources import searched
    from app.services.search.upkeep import refresh

    spec, source = searched()[ENTITY]
    ids = [int(i) for i in uow.execute(
        select(InfoItem.id).where(InfoItem.group_id == group_id).order_by(InfoItem.id)
    ).scalars()]
    for start in range(0, len(ids), 500):
        refresh(uow, spec, source, ids[start:start + 500])


@acting
def writing_staff(uow: UnitOfWork, actor: Actor) -> list[Member]:
    """Everyone who writes, active, in the groups' order and each group's own: the study rotation's list."""
    rows = uow.execute(
        select(User.id, User.full_name)
        .join(InfoGroupMember, InfoGroupMember.user_id == User.id)
        .join(InfoGroup, InfoGroup.id == InfoGroupMember.group_id)
        .where(InfoGroup.active.is_(True), User.active.is_(True))
        .order_by(InfoGroup.position, InfoGroup.id, InfoGroupMember.position)
    ).all()
    return [Member(int(r.id), str(r.full_name)) for r in rows]


def points_table(uow: UnitOfWork) -> dict[str, int]:
    """The adoption points in force (系统设置 → 上级采用计分); a level missing from a table saved in an older
    form earns its default."""
    stored = settings.get_setting(uow, "adoption_points")
    table = dict(DEFAULT_POINTS)
    if isinstance(stored, dict):
        for level in LEVELS:
            value = stored.get(level)
            if isinstance(value, int) and not isinstance(value, bool):
                table[level] = value
    return table


def quotas(uow: UnitOfWork) -> Quotas:
    """The groups' quotas in force (系统设置)."""
    weekly = settings.get_setting(uow, "info_weekly_quota")
    research = settings.get_setting(uow, "info_research_quota")
    return Quotas(
        weekly if isinstance(weekly, int) else ITEMS_PER_WEEK,
        research if isinstance(research, int) else ARTICLES_PER_HALF_YEAR,
    )


@dataclass(frozen=True)
class Person:
    """Someone the group editor offers: as leader (may_lead: 主任 or 副主任) or as member (group: the group
    they write in now, if any)."""

    user_id: int
    name: str
    title: str
    may_lead: bool
    group_id: int | None


@acting
def group_people(uow: UnitOfWork, actor: Actor) -> list[Person]:
    """The active users the group editor offers, by rank, each with whether they may lead a group and the group
    they are in. For the director and the administrator, who set the groups up."""
    require_role(actor, GROUP_ADMIN_ROLES, "设置信息组")
    users = list(uow.session.execute(
        select(User).where(User.active.is_(True)).order_by(User.rank_order, User.full_name, User.id)).scalars())
    placed = {int(r.user_id): int(r.group_id)
              for r in uow.execute(select(InfoGroupMember.user_id, InfoGroupMember.group_id))}
    leading = {r.value for r in LEADER_ROLES}
    return [Person(u.id, u.full_name, u.title or "", bool(u.role_codes & leading), placed.get(u.id))
            for u in users]
