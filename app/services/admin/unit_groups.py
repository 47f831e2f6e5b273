"""分发组: units picked together (全部乡镇, 全部县直部门 …) wherever units are picked (分发, 会签, 主办/协办).

Everyone reads the groups, since every unit picker offers them; only the administrator edits them. A group
holds units, not a rule: an administrator adds a new 乡镇 to 全部乡镇 as they add it to the units tree, so a
group is exactly what the office says it is. An inactive unit stays a member but is not picked with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, true, update

from app.core.errors import NotFound, ValidationError
from app.core.printable import check_printable
from app.core.roles import Role
from app.db.tables import unit_group_members, unit_groups, units
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork

NAME_LENGTH = 50
MAX_GROUPS = 50
# The groups a new office starts with, each of one kind of unit (app.models.org.UNIT_KINDS).
DEFAULT_GROUPS = (("全部乡镇", "township"), ("全部县直部门", "department"))

_G, _M, _U = unit_groups.c, unit_group_members.c, units.c


@dataclass(frozen=True)
class UnitGroupInfo:
    id: int
    name: str
    position: int
    # The active member units, in the units' order; what picking the group puts in.
    unit_ids: tuple[int, ...]
    unit_names: tuple[str, ...]


def _groups(uow: UnitOfWork, group_id: int | None = None) -> list[UnitGroupInfo]:
    query = select(_G.id, _G.name, _G.position).order_by(_G.position, _G.id)
    if group_id is not None:
        query = query.where(_G.id == group_id)
    groups = uow.execute(query).all()
    members: dict[int, list[tuple[int, str]]] = {g.id: [] for g in groups}
    if groups:
        rows = uow.execute(
            select(_M.group_id, _U.id, _U.name)
            .select_from(unit_group_members.join(units, _U.id == _M.unit_id))
            .where(_U.active == true(), _M.group_id.in_(sorted(members)))
            .order_by(_U.sort_order, _U.name)
        ).all()
        for group, unit_id, name in rows:
            members[group].append((int(unit_id), name))
    return [
        UnitGroupInfo(int(g.id), g.name, int(g.position), tuple(u for u, _ in members[g.id]),
                      tuple(n for _, n in members[g.id]))
        for g in groups
    ]


@acting
def list_unit_groups(uow: UnitOfWork, actor: Actor) -> list[UnitGroupInfo]:
    """Every group with its active units: every user's unit pickers offer them."""
    return _groups(uow)


def _one(uow: UnitOfWork, group_id: int) -> UnitGroupInfo:
    found = _groups(uow, group_id)
    if not found:
        raise NotFound("找不到这个分发组，可能已被删除；请刷新后重试")
    return found[0]


def _checked_name(uow: UnitOfWork, name: str, group_id: int | None) -> str:
    clean = name.strip()
    if not clean:
        raise ValidationError("分发组名称不能为空，例如：全部乡镇", field="name")
    if len(clean) > NAME_LENGTH:
        raise ValidationError(f"分发组名称不能超过{NAME_LENGTH}个字", field="name")
    check_printable(clean, "分发组名称", field="name")
    clash = uow.execute(select(_G.id).where(_G.name == clean)).scalar_one_or_none()
    if clash is not None and clash != group_id:
        raise ValidationError(f"已有名为“{clean}”的分发组，请换一个名称", field="name")
    return clean


def _checked_units(uow: UnitOfWork, unit_ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(unit_ids))
    if wanted:
        found = set(uow.execute(select(_U.id).where(_U.id.in_(wanted))).scalars())
        if len(found) != len(wanted):
            raise ValidationError("所选单位中有的已被删除，请刷新后重新选择", field="unit_ids")
    return wanted


def _create(uow: UnitOfWork, actor: Actor | None, name: str, unit_ids: Iterable[int]) -> int:
    clean = _checked_name(uow, name, None)
    members = _checked_units(uow, unit_ids)
    count, last = uow.execute(select(func.count(), func.max(_G.position))).one()
    if count >= MAX_GROUPS:
        raise ValidationError(f"分发组最多{MAX_GROUPS}个，请先删去不用的分发组", field="name")
    inserted = uow.execute(insert(unit_groups).values(name=clean, position=(last or 0) + 1))
    group_id = int(inserted.inserted_primary_key[0])  # type: ignore[attr-defined]
    if members:
        uow.execute(insert(unit_group_members), [{"group_id": group_id, "unit_id": u} for u in members])
    actor_id, username = (actor.id, actor.username) if actor is not None else (None, "setup")
    uow.record(actor_id, username, "create", "unit_group", group_id, {"name": clean, "units": members},
               change_op="create")
    return group_id


@acting
def create_group(uow: UnitOfWork, actor: Actor, name: str, unit_ids: Iterable[int] = ()) -> UnitGroupInfo:
    require_role(actor, [Role.ADMIN], "新建分发组")
    group_id = _create(uow, actor, name, unit_ids)
    info = _one(uow, group_id)
    uow.commit()
    return info


@acting
def rename_group(uow: UnitOfWork, actor: Actor, group_id: int, name: str) -> UnitGroupInfo:
    require_role(actor, [Role.ADMIN], "修改分发组")
    old = _one(uow, group_id)
    clean = _checked_name(uow, name, group_id)
    if clean != old.name:
        uow.execute(update(unit_groups).where(_G.id == group_id).values(name=clean))
        uow.record(actor.id, actor.username, "update", "unit_group", group_id, {"name": [old.name, clean]},
                   change_op="update")
        uow.commit()
    return _one(uow, group_id)


@acting
def delete_group(uow: UnitOfWork, actor: Actor, group_id: int) -> None:
    require_role(actor, [Role.ADMIN], "删除分发组")
    old = _one(uow, group_id)
    # The members first: MariaDB and SQLite without foreign keys on would keep them.
    uow.execute(delete(unit_group_members).where(_M.group_id == group_id))
    uow.execute(delete(unit_groups).where(_G.id == group_id))
    uow.record(actor.id, actor.username, "delete", "unit_group", group_id, {"name": old.name}, change_op="delete")
    uow.commit()


@acting
def set_members(uow: UnitOfWork, actor: Actor, group_id: int, unit_ids: Iterable[int]) -> UnitGroupInfo:
    """The group's units become exactly these (inactive members not listed are dropped too)."""
    require_role(actor, [Role.ADMIN], "修改分发组的单位")
    _one(uow, group_id)
    wanted = _checked_units(uow, unit_ids)
    held = sorted(uow.execute(select(_M.unit_id).where(_M.group_id == group_id)).scalars())
    if held != wanted:
        gone = sorted(set(held) - set(wanted))
        added = sorted(set(wanted) - set(held))
        if gone:
            uow.execute(delete(unit_group_members).where(_M.group_id == group_id, _M.unit_id.in_(gone)))
        if added:
            uow.execute(insert(unit_group_members), [{"group_id": group_id, "unit_id": u} for u in added])
        uow.record(actor.id, actor.username, "update", "unit_group", group_id, {"added": added, "removed": gone},
                   change_op="update")
        uow.commit()
    return _one(uow, group_id)


@acting
def make_default_groups(uow: UnitOfWork, actor: Actor | None) -> list[UnitGroupInfo]:
    """全部乡镇 and 全部县直部门, each with the active units of its kind: made where no group of that name is
    yet, filled where it is still empty (the wizard makes them before there are units; the demo data
    fills them). Called where an office is first built: the first-run wizard (actor None) and the demo."""
    if actor is not None and actor.id is not None:
        require_role(actor, [Role.ADMIN], "建立默认分发组")
    existing = {g.name: g for g in _groups(uow)}
    for name, kind in DEFAULT_GROUPS:
        members = list(uow.execute(select(_U.id).where(_U.kind == kind, _U.active == true())).scalars())
        group = existing.get(name)
        if group is None:
            _create(uow, actor, name, members)
        elif not group.unit_ids and members and actor is not None:
            set_members(uow, actor, group.id, members)
    uow.commit()
    return _groups(uow)
