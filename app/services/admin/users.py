"""Administration of users, units and roles. Only the administrator may do any of it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, select, true

from app.core.errors import NotFound, ValidationError
from app.core.roles import Role, describe_roles, role_from_label
from app.models import UNIT_KINDS, Unit, User, UserRole
from app.models.base import utcnow
from app.services.admin.auth import has_users
from app.services.admin.passwords import check_password_rules, hash_password
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork

_ADMIN = [Role.ADMIN]


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    unit_id: int | None
    unit_name: str
    title: str
    roles: frozenset[str]
    is_principal: bool
    rank_order: int
    phone: str
    active: bool
    locked: bool
    locked_by_admin: bool
    last_login_at: datetime | None
    version: int

    @property
    def role_labels(self) -> str:
        return describe_roles(self.roles)


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    head_user_id: int | None
    sort_order: int
    active: bool
    version: int


def user_info(user: User) -> UserInfo:
    now = utcnow()
    return UserInfo(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        unit_id=user.unit_id,
        unit_name=user.unit.name if user.unit else "",
        title=user.title,
        roles=user.role_codes,
        is_principal=user.is_principal,
        rank_order=user.rank_order,
        phone=user.phone,
        active=user.active,
        locked=user.locked_by_admin or (user.locked_until is not None and user.locked_until > now),
        locked_by_admin=user.locked_by_admin,
        last_login_at=user.last_login_at,
        version=user.version,
    )


def unit_info(unit: Unit) -> UnitInfo:
    return UnitInfo(
        id=unit.id,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        kind_label=UNIT_KINDS.get(unit.kind, unit.kind),
        parent_id=unit.parent_id,
        head_user_id=unit.head_user_id,
        sort_order=unit.sort_order,
        active=unit.active,
        version=unit.version,
    )


# ----- users -----------------------------------------------------------------------------------


@acting
def list_users(uow: UnitOfWork, actor: Actor, include_inactive: bool = True) -> list[UserInfo]:
    require_role(actor, _ADMIN, "查看用户列表")
    query = select(User).order_by(User.rank_order, User.username)
    if not include_inactive:
        query = query.where(User.active == true())
    return [user_info(u) for u in uow.session.execute(query).scalars()]


@acting
def get_user(uow: UnitOfWork, actor: Actor, user_id: int) -> UserInfo:
    if actor.id != user_id:
        require_role(actor, _ADMIN, "查看其他用户的资料")
    return user_info(_user(uow, user_id))


@acting
def find_user(uow: UnitOfWork, actor: Actor, username: str) -> UserInfo:
    require_role(actor, _ADMIN, "查找用户")
    user = uow.session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"没有用户名为“{username}”的用户")
    return user_info(user)


def _normalise_roles(roles: Iterable[Role | str]) -> list[Role]:
    result: list[Role] = []
    for item in roles:
        role = item if isinstance(item, Role) else role_from_label(item)
        if role not in result:
            result.append(role)
    if not result:
        raise ValidationError("请至少选择一个角色", field="roles")
    return result


def _check_username(uow: UnitOfWork, username: str, except_id: int | None = None) -> str:
    # Lower case everywhere: MariaDB compares names without case, SQLite and PostgreSQL with it.
    name = username.strip().lower()
    if not name:
        raise ValidationError("用户名不能为空", field="username")
    if len(name) > 64 or any(c.isspace() for c in name):
        raise ValidationError("用户名不能含空格，且不超过64个字符", field="username")
    clash = uow.session.execute(select(User.id).where(User.username == name)).scalar_one_or_none()
    if clash is not None and clash != except_id:
        raise ValidationError(f"用户名“{name}”已被使用，请换一个", field="username")
    return name


def _check_full_name(full_name: str) -> str:
    name = full_name.strip()
    if not name:
        raise ValidationError("姓名不能为空", field="full_name")
    if len(name) > 50:
        raise ValidationError("姓名不能超过50个字符", field="full_name")
    return name


def _check_unit(uow: UnitOfWork, unit_id: int | None) -> None:
    if unit_id is not None and uow.session.get(Unit, unit_id) is None:
        raise ValidationError("所选单位不存在，请重新选择", field="unit_id")


@acting
def create_user(
    uow: UnitOfWork,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    roles: Iterable[Role | str],
    unit_id: int | None = None,
    title: str = "",
    is_principal: bool = False,
    rank_order: int = 100,
    phone: str = "",
) -> UserInfo:
    require_role(actor, _ADMIN, "新建用户")
    name = _check_username(uow, username)
    real_name = _check_full_name(full_name)
    role_list = _normalise_roles(roles)
    check_password_rules(password, name)
    _check_unit(uow, unit_id)
    user = User(
        username=name,
        full_name=real_name,
        password_hash=hash_password(password),
        unit_id=unit_id,
        title=title.strip(),
        is_principal=is_principal,
        rank_order=rank_order,
        phone=phone.strip(),
        role_links=[UserRole(role_code=r.value) for r in role_list],
    )
    uow.session.add(user)
    uow.flush()
    uow.record(
        actor.id, actor.username, "create", "user", user.id,
        {"username": name, "full_name": real_name, "roles": [r.value for r in role_list], "unit_id": unit_id},
        change_op="create",
    )
    info = user_info(user)
    uow.commit()
    return info


def create_first_admin(uow: UnitOfWork, *, username: str, full_name: str, password: str) -> UserInfo:
    """The first-run wizard's administrator: allowed only while the database has no users at all."""
    if has_users(uow):
        raise ValidationError("系统中已有用户，不能再创建初始管理员，请用管理员账户登录后添加用户")
    # The wizard acts as the machine's administrator: an actor without an id, whom @acting lets through.
    bootstrap = Actor(id=None, username="setup", full_name="初始设置", roles=frozenset({Role.ADMIN.value}))
    return create_user(uow, bootstrap, username=username, full_name=full_name, password=password, roles=[Role.ADMIN])


@acting
def update_user(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    *,
    expected_version: int,
    full_name: str | None = None,
    unit_id: int | None = None,
    clear_unit: bool = False,
    title: str | None = None,
    is_principal: bool | None = None,
    rank_order: int | None = None,
    phone: str | None = None,
    active: bool | None = None,
    roles: Iterable[Role | str] | None = None,
) -> UserInfo:
    require_role(actor, _ADMIN, "修改用户")
    user = _user(uow, user_id, expected_version)
    changes: dict[str, list[object]] = {}

    def change(field: str, new: object) -> None:
        old = getattr(user, field)
        if old != new:
            changes[field] = [old, new]
            setattr(user, field, new)

    if full_name is not None:
        change("full_name", _check_full_name(full_name))
    if clear_unit:
        change("unit_id", None)
    elif unit_id is not None:
        _check_unit(uow, unit_id)
        change("unit_id", unit_id)
    if title is not None:
        change("title", title.strip())
    if is_principal is not None:
        change("is_principal", is_principal)
    if rank_order is not None:
        change("rank_order", rank_order)
    if phone is not None:
        change("phone", phone.strip())
    if active is not None:
        if not active:
            _refuse_removing_last_admin(uow, user, "停用")
        change("active", active)
    if roles is not None:
        wanted = _normalise_roles(roles)
        old_codes = sorted(user.role_codes)
        new_codes = sorted(r.value for r in wanted)
        if old_codes != new_codes:
            if Role.ADMIN.value in old_codes and Role.ADMIN.value not in new_codes:
                _refuse_removing_last_admin(uow, user, "取消其管理员角色")
            # The rows of roles kept stay as they are: replacing them all would insert a kept role's new row
            # before its old one is deleted, which the (user_id, role_code) key refuses.
            kept = [link for link in user.role_links if link.role_code in new_codes]
            held = {link.role_code for link in kept}
            user.role_links = kept + [UserRole(role_code=code) for code in new_codes if code not in held]
            changes["roles"] = [old_codes, new_codes]
            # Link rows live in their own table: bump the user's version so concurrent edits still conflict.
            user.updated_at = utcnow()
    if changes:
        uow.record(actor.id, actor.username, "update", "user", user.id, changes, change_op="update")
    uow.flush()
    info = user_info(user)
    uow.commit()
    return info


@acting
def reset_password(uow: UnitOfWork, actor: Actor, user_id: int, new_password: str) -> None:
    require_role(actor, _ADMIN, "重置密码")
    user = _user(uow, user_id)
    check_password_rules(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    uow.record(actor.id, actor.username, "password_reset", "user", user.id, change_op="update")
    uow.commit()


@acting
def lock_user(uow: UnitOfWork, actor: Actor, user_id: int) -> None:
    require_role(actor, _ADMIN, "锁定账户")
    user = _user(uow, user_id)
    if user.id == actor.id:
        raise ValidationError("不能锁定自己正在使用的账户")
    _refuse_removing_last_admin(uow, user, "锁定")
    user.locked_by_admin = True
    uow.record(actor.id, actor.username, "lock", "user", user.id, change_op="update")
    uow.commit()


@acting
def unlock_user(uow: UnitOfWork, actor: Actor, user_id: int) -> None:
    require_role(actor, _ADMIN, "解锁账户")
    user = _user(uow, user_id)
    user.locked_by_admin = False
    user.locked_until = None
    user.failed_logins = 0
    uow.record(actor.id, actor.username, "unlock", "user", user.id, change_op="update")
    uow.commit()


def _refuse_removing_last_admin(uow: UnitOfWork, user: User, doing: str) -> None:
    if Role.ADMIN.value not in user.role_codes:
        return
    others = uow.session.execute(
        select(func.count(User.id))
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role_code == Role.ADMIN.value,
            User.id != user.id,
            User.active == true(),
            User.locked_by_admin == false(),
        )
    ).scalar_one()
    if not others:
        raise ValidationError(f"“{user.full_name}”是唯一可用的系统管理员，不能{doing}，请先指定另一位管理员")


def _user(uow: UnitOfWork, user_id: int, expected_version: int | None = None) -> User:
    user = uow.found(User, user_id, "找不到该用户，可能已被删除")
    _check_version(user.version, expected_version)
    return user


def _check_version(current: int, expected: int | None) -> None:
    from app.core.errors import ConflictError

    if expected is not None and current != expected:
        raise ConflictError("该记录已被其他人修改，请重新载入后再保存")


# ----- units -----------------------------------------------------------------------------------


@acting
def list_units(uow: UnitOfWork, actor: Actor | None = None, include_inactive: bool = False) -> list[UnitInfo]:
    """Every user may read the unit list: forms pick units from it."""
    query = select(Unit).order_by(Unit.sort_order, Unit.name)
    if not include_inactive:
        query = query.where(Unit.active == true())
    return [unit_info(u) for u in uow.session.execute(query).scalars()]


def _check_unit_fields(uow: UnitOfWork, name: str, kind: str, parent_id: int | None, unit_id: int | None) -> str:
    clean = name.strip()
    if not clean:
        raise ValidationError("单位名称不能为空", field="name")
    if len(clean) > 100:
        raise ValidationError("单位名称不能超过100个字符", field="name")
    if kind not in UNIT_KINDS:
        raise ValidationError(f"单位类别只能是：{'、'.join(UNIT_KINDS.values())}", field="kind")
    clash = uow.session.execute(select(Unit.id).where(Unit.name == clean)).scalar_one_or_none()
    if clash is not None and clash != unit_id:
        raise ValidationError(f"已有名为“{clean}”的单位", field="name")
    if parent_id is not None:
        if uow.session.get(Unit, parent_id) is None:
            raise ValidationError("上级单位不存在，请重新选择", field="parent_id")
        ancestor: int | None = parent_id
        while ancestor is not None:
            if ancestor == unit_id:
                raise ValidationError("不能把单位放到它自己的下级单位之下", field="parent_id")
            parent = uow.session.get(Unit, ancestor)
            ancestor = parent.parent_id if parent else None
    return clean


@acting
def create_unit(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    kind: str = "department",
    short_name: str = "",
    parent_id: int | None = None,
    sort_order: int = 0,
    head_user_id: int | None = None,
) -> UnitInfo:
    require_role(actor, _ADMIN, "新建单位")
    clean = _check_unit_fields(uow, name, kind, parent_id, None)
    if head_user_id is not None and uow.session.get(User, head_user_id) is None:
        raise ValidationError("所选负责人不存在", field="head_user_id")
    unit = Unit(
        name=clean, kind=kind, short_name=short_name.strip(), parent_id=parent_id, sort_order=sort_order,
        head_user_id=head_user_id,
    )
    uow.session.add(unit)
    uow.flush()
    uow.record(actor.id, actor.username, "create", "unit", unit.id, {"name": clean, "kind": kind}, "create")
    info = unit_info(unit)
    uow.commit()
    return info


@acting
def update_unit(
    uow: UnitOfWork,
    actor: Actor,
    unit_id: int,
    *,
    expected_version: int,
    name: str | None = None,
    kind: str | None = None,
    short_name: str | None = None,
    parent_id: int | None = None,
    clear_parent: bool = False,
    head_user_id: int | None = None,
    sort_order: int | None = None,
    active: bool | None = None,
) -> UnitInfo:
    require_role(actor, _ADMIN, "修改单位")
    unit = uow.found(Unit, unit_id, "找不到该单位，可能已被删除")
    _check_version(unit.version, expected_version)
    new_parent = None if clear_parent else (parent_id if parent_id is not None else unit.parent_id)
    clean = _check_unit_fields(uow, name if name is not None else unit.name, kind or unit.kind, new_parent, unit.id)
    if head_user_id is not None and uow.session.get(User, head_user_id) is None:
        raise ValidationError("所选负责人不存在", field="head_user_id")
    changes: dict[str, list[object]] = {}
    for field, new in (
        ("name", clean),
        ("kind", kind or unit.kind),
        ("short_name", short_name.strip() if short_name is not None else unit.short_name),
        ("parent_id", new_parent),
        ("head_user_id", head_user_id if head_user_id is not None else unit.head_user_id),
        ("sort_order", sort_order if sort_order is not None else unit.sort_order),
        ("active", active if active is not None else unit.active),
    ):
        old = getattr(unit, field)
        if old != new:
            changes[field] = [old, new]
            setattr(unit, field, new)
    if changes:
        uow.record(actor.id, actor.username, "update", "unit", unit.id, changes, change_op="update")
    uow.flush()
    info = unit_info(unit)
    uow.commit()
    return info


@acting
def delete_unit(uow: UnitOfWork, actor: Actor, unit_id: int) -> None:
    require_role(actor, _ADMIN, "删除单位")
    unit = uow.found(Unit, unit_id, "找不到该单位，可能已被删除")
    if uow.session.execute(select(func.count(Unit.id)).where(Unit.parent_id == unit_id)).scalar_one():
        raise ValidationError(f"“{unit.name}”下还有下级单位，请先移走或删除它们")
    if uow.session.execute(select(func.count(User.id)).where(User.unit_id == unit_id)).scalar_one():
        raise ValidationError(f"“{unit.name}”还有人员，请先把人员调到其他单位，或改为停用该单位")
    uow.session.delete(unit)
    uow.record(actor.id, actor.username, "delete", "unit", unit_id, {"name": unit.name}, change_op="delete")
    uow.commit()


@dataclass(frozen=True)
class PersonInfo:
    """What any colleague may know of another: for pickers such as 送传阅 or 指定办理人."""

    id: int
    full_name: str
    title: str
    unit_name: str
    roles: frozenset[str]


@acting
def directory(uow: UnitOfWork, actor: Actor) -> list[PersonInfo]:
    """Active people in protocol order (leaders first). Open to every user: it holds no contact details."""
    del actor
    rows = uow.session.execute(
        select(User).where(User.active == true()).order_by(User.rank_order, User.full_name)
    ).scalars()
    return [
        PersonInfo(u.id, u.full_name, u.title, u.unit.name if u.unit else "", u.role_codes) for u in rows
    ]
