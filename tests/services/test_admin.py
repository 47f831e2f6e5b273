"""Administration: every role is allowed or refused each action as it should be, and the checks hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.roles import Role
from app.services.admin import audit
from app.services.admin import users as admin
from app.services.kernel import settings
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from tests.helpers import add_unit, add_user


@dataclass
class World:
    unit_id: int
    spare_unit_id: int
    target: Actor


def _version(uow: UnitOfWork, actor: Actor, user_id: int) -> int:
    return admin.user_info(uow.session.get(admin.User, user_id)).version  # type: ignore[arg-type]


Action = Callable[[UnitOfWork, Actor, World], object]

ADMIN_ACTIONS: dict[str, Action] = {
    "新建用户": lambda uow, a, w: admin.create_user(
        uow, a, username="newbie", full_name="新同事", password="welcome7jq", roles=["文秘人员"], unit_id=w.unit_id
    ),
    "修改用户": lambda uow, a, w: admin.update_user(
        uow, a, w.target.id or 0, expected_version=_version(uow, a, w.target.id or 0), title="副股长"
    ),
    "修改角色": lambda uow, a, w: admin.update_user(
        uow, a, w.target.id or 0, expected_version=_version(uow, a, w.target.id or 0), roles=[Role.FINANCE]
    ),
    "重置密码": lambda uow, a, w: admin.reset_password(uow, a, w.target.id or 0, "reset1234"),
    "锁定账户": lambda uow, a, w: admin.lock_user(uow, a, w.target.id or 0),
    "解锁账户": lambda uow, a, w: admin.unlock_user(uow, a, w.target.id or 0),
    "查看用户列表": lambda uow, a, w: admin.list_users(uow, a),
    "新建单位": lambda uow, a, w: admin.create_unit(uow, a, name="县应急管理局"),
    "修改单位": lambda uow, a, w: admin.update_unit(uow, a, w.unit_id, expected_version=1, short_name="秘书"),
    "删除单位": lambda uow, a, w: admin.delete_unit(uow, a, w.spare_unit_id),
    "修改系统设置": lambda uow, a, w: settings.update_settings(uow, a, {"office_name": "青山县人民政府办公室"}),
    "设置节假日": lambda uow, a, w: settings.set_holiday(uow, a, date(2027, 1, 1), False, "元旦"),
    "查看审计日志": lambda uow, a, w: audit.list_entries(uow, a),
    "核验审计日志": lambda uow, a, w: audit.verify(uow, a),
}


def make_world(ctx: AppContext) -> World:
    unit = add_unit(ctx, "秘书股", "section")
    spare = add_unit(ctx, "待撤并股室", "section")
    target = add_user(ctx, "target", [Role.SECRETARY], unit, full_name="周杰")
    return World(unit, spare, target)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_role_against_every_admin_action(ctx: AppContext, role: Role) -> None:
    world = make_world(ctx)
    actor = add_user(ctx, f"acting_{role.value}", [role])
    if role is Role.ADMIN:
        # Another administrator exists, so the acting one is never the last.
        add_user(ctx, "second_admin", [Role.ADMIN])
    for name, action in ADMIN_ACTIONS.items():
        with ctx.uow() as uow:
            if role is Role.ADMIN:
                action(uow, actor, world)
            else:
                with pytest.raises(PermissionDenied, match="只有系统管理员可以"):
                    action(uow, actor, world)
                assert not uow.session.new and not uow.session.dirty, name


def test_reading_the_unit_list_is_open_to_everyone(ctx: AppContext) -> None:
    add_unit(ctx, "县财政局")
    liaison = add_user(ctx, "liaison", [Role.LIAISON])
    with ctx.uow() as uow:
        assert [u.name for u in admin.list_units(uow, liaison)] == ["县财政局"]


def test_a_user_may_read_their_own_record_but_no_one_elses(ctx: AppContext) -> None:
    me = add_user(ctx, "me", [Role.SECRETARY])
    other = add_user(ctx, "other", [Role.SECRETARY])
    with ctx.uow() as uow:
        assert admin.get_user(uow, me, me.id or 0).username == "me"
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        admin.get_user(uow, me, other.id or 0)


def admin_actor(ctx: AppContext) -> Actor:
    return add_user(ctx, "root", [Role.ADMIN], full_name="管理员")


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"username": ""}, "用户名不能为空", "username"),
        ({"username": "has space"}, "不能含空格", "username"),
        ({"full_name": " "}, "姓名不能为空", "full_name"),
        ({"password": "short1"}, "至少需要8位", "password"),
        ({"password": "12345678"}, "字母和数字", "password"),
        ({"roles": []}, "至少选择一个角色", "roles"),
        ({"roles": ["董事长"]}, "没有“董事长”这个角色", "roles"),
        ({"unit_id": 99999}, "所选单位不存在", "unit_id"),
    ],
)
def test_bad_user_input_is_refused_beside_its_field(
    ctx: AppContext, fields: dict[str, object], message: str, field: str
) -> None:
    root = admin_actor(ctx)
    values: dict[str, object] = {
        "username": "chen", "full_name": "陈静", "password": "good1234", "roles": ["文秘人员"], "unit_id": None,
    }
    values.update(fields)
    with ctx.uow() as uow, pytest.raises(ValidationError, match=message) as caught:
        admin.create_user(uow, root, **values)  # type: ignore[arg-type]
    assert caught.value.field == field
    with ctx.uow() as uow:
        assert [u.username for u in admin.list_users(uow, root)] == ["root"]


def test_duplicate_user_name_is_refused(ctx: AppContext) -> None:
    root = admin_actor(ctx)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="已被使用"):
        admin.create_user(uow, root, username="root", full_name="又一个", password="good1234", roles=["文秘人员"])


def test_roles_by_label_or_code(ctx: AppContext) -> None:
    root = admin_actor(ctx)
    with ctx.uow() as uow:
        info = admin.create_user(
            uow, root, username="chen", full_name="陈静", password="good1234", roles=["县领导", "finance"]
        )
    assert info.roles == {"county_leader", "finance"}
    assert info.role_labels == "财务人员、县领导"


def test_a_role_is_added_beside_the_ones_kept(ctx: AppContext) -> None:
    root = admin_actor(ctx)
    clerk = add_user(ctx, "clerk", [Role.SECRETARY])
    cid = clerk.id or 0
    with ctx.uow() as uow:
        admin.update_user(uow, root, cid, expected_version=_version(uow, root, cid),
                          roles=[Role.SECRETARY, Role.DIRECTOR])
    with ctx.uow() as uow:
        info = admin.update_user(uow, root, cid, expected_version=_version(uow, root, cid),
                                 roles=[Role.DIRECTOR, Role.FINANCE])
    assert info.roles == {"director", "finance"}


def test_the_last_administrator_cannot_be_removed(ctx: AppContext) -> None:
    root = admin_actor(ctx)
    other = add_user(ctx, "helper", [Role.SECRETARY])
    rid = root.id or 0
    with ctx.uow() as uow, pytest.raises(ValidationError, match="唯一可用的系统管理员"):
        admin.update_user(uow, root, rid, expected_version=_version(uow, root, rid), roles=[Role.SECRETARY])
    with ctx.uow() as uow, pytest.raises(ValidationError, match="唯一可用的系统管理员"):
        admin.update_user(uow, root, rid, expected_version=_version(uow, root, rid), active=False)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="不能锁定自己"):
        admin.lock_user(uow, root, rid)
    with ctx.uow() as uow:
        admin.update_user(
            uow, root, other.id or 0, expected_version=_version(uow, root, other.id or 0), roles=[Role.ADMIN]
        )
    with ctx.uow() as uow:
        admin.update_user(uow, root, rid, expected_version=_version(uow, root, rid), roles=[Role.SECRETARY])


def test_unit_tree_rules(ctx: AppContext) -> None:
    root = admin_actor(ctx)
    with ctx.uow() as uow:
        office = admin.create_unit(uow, root, name="县人民政府办公室", kind="department")
    with ctx.uow() as uow:
        section = admin.create_unit(uow, root, name="秘书股", kind="section", parent_id=office.id)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="已有名为“秘书股”的单位"):
        admin.create_unit(uow, root, name="秘书股", kind="section")
    with ctx.uow() as uow, pytest.raises(ValidationError, match="自己的下级单位"):
        admin.update_unit(uow, root, office.id, expected_version=office.version, parent_id=section.id)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="下级单位"):
        admin.delete_unit(uow, root, office.id)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="单位类别只能是"):
        admin.create_unit(uow, root, name="某公司", kind="company")
    add_user(ctx, "member", [Role.SECRETARY], section.id)
    with ctx.uow() as uow, pytest.raises(ValidationError, match="还有人员"):
        admin.delete_unit(uow, root, section.id)


def test_first_admin_only_on_an_empty_database(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        info = admin.create_first_admin(uow, username="admin", full_name="系统管理员", password="gdadmin2718")
    assert info.roles == {"admin"}
    with ctx.uow() as uow, pytest.raises(ValidationError, match="已有用户"):
        admin.create_first_admin(uow, username="admin2", full_name="第二个", password="gdadmin2718")
