"""Logging in. Five failures lock an account for 15 minutes; every attempt is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Unpack

from sqlalchemy import select, update

from app.core.errors import AccountLocked, AuthenticationError, ConflictError, ValidationError
from app.db.tables import user_roles, users, utcnow
from app.services import access
from app.services.access import acting
from app.services.actor import Actor
from app.services.passwords import check_password_rules, hash_password, verify_password
from app.services.uow import UnitOfWork, translate_db_errors

if TYPE_CHECKING:
    from sqlalchemy import Row

    from app.models import User

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)


def actor_of(user: User) -> Actor:
    return _actor(user, user.role_codes)


def _actor(user: User | Row[Unpack[tuple[Any, ...]]], roles: frozenset[str]) -> Actor:
    """An Actor from a user, a mapped one or a row of the users table (as the login reads it)."""
    return Actor(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        roles=roles,
        unit_id=user.unit_id,
        is_principal=user.is_principal,
    )


def has_users(uow: UnitOfWork) -> bool:
    """Whether anyone can log in yet (else the first-run wizard creates the administrator)."""
    return uow.execute(select(users.c.id).limit(1)).first() is not None


def login(uow: UnitOfWork, username: str, password: str) -> Actor:
    """Written on the tables (app.db.tables): it runs before the first window is up, with no ORM."""
    name = username.strip().lower()
    if not name:
        raise ValidationError("请输入用户名", field="username")
    if not password:
        raise ValidationError("请输入密码", field="password")
    columns, links = users.c, user_roles.c
    # The user's row with a row per role, in one statement (on a LAN each is a round trip). Only the
    # user's row is locked where the database can say so (FOR UPDATE OF); MariaDB also locks the role
    # rows, which nothing else writes at a login.
    found = uow.execute(
        select(
            columns.id, columns.username, columns.full_name, columns.password_hash, columns.active,
            columns.locked_by_admin, columns.locked_until, columns.failed_logins, columns.unit_id,
            columns.is_principal, columns.version, links.role_code,
        )
        .select_from(users.outerjoin(user_roles, links.user_id == columns.id))
        .where(columns.username == name)
        .with_for_update(of=users)
    ).all()
    user = found[0] if found else None
    now = utcnow()

    if user is None or not user.active:
        verify_password(None, password)
        uow.record(None, name, "login_failed", "user", None, {"reason": "unknown_or_inactive"})
        uow.commit()
        raise AuthenticationError("用户名或密码不正确")

    if user.locked_by_admin:
        uow.record(user.id, name, "login_failed", "user", user.id, {"reason": "locked_by_admin"})
        uow.commit()
        raise AccountLocked("该账户已被系统管理员锁定，请联系系统管理员解锁")

    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        uow.record(user.id, name, "login_failed", "user", user.id, {"reason": "locked"})
        uow.commit()
        raise AccountLocked(f"密码连续输错{MAX_FAILED_LOGINS}次，账户已锁定，请{minutes}分钟后再试")

    if not verify_password(user.password_hash, password):
        failed = user.failed_logins + 1
        left = MAX_FAILED_LOGINS - failed
        if left <= 0:
            _update_user(uow, user.id, user.version, failed_logins=0, locked_until=now + LOCK_DURATION)
            uow.record(user.id, name, "login_locked", "user", user.id, {"minutes": 15})
            uow.commit()
            raise AccountLocked(f"密码连续输错{MAX_FAILED_LOGINS}次，账户已锁定15分钟")
        _update_user(uow, user.id, user.version, failed_logins=failed)
        uow.record(user.id, name, "login_failed", "user", user.id, {"reason": "wrong_password", "left": left})
        uow.commit()
        raise AuthenticationError(f"用户名或密码不正确，再输错{left}次账户将被锁定15分钟")

    _update_user(uow, user.id, user.version, failed_logins=0, locked_until=None, last_login_at=now)
    uow.record(user.id, name, "login", "user", user.id)
    actor = _actor(user, frozenset(row.role_code for row in found if row.role_code is not None))
    uow.commit()
    access.confirm(uow.engine, actor)
    return actor


def _update_user(uow: UnitOfWork, user_id: int, version: int, **values: object) -> None:
    """As the ORM would: the row's version moves on, and a row someone else changed since it was read
    is a conflict, not silently overwritten. updated_at follows from the column's onupdate."""
    with translate_db_errors():
        result = uow.execute(
            update(users)
            .where(users.c.id == user_id, users.c.version == version)
            .values(**values, version=version + 1)
        )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError()


@acting
def change_own_password(uow: UnitOfWork, actor: Actor, old_password: str, new_password: str) -> None:
    from app.models import User

    user = uow.session.get(User, actor.id)
    if user is None or not verify_password(user.password_hash, old_password):
        raise ValidationError("原密码不正确", field="old_password")
    check_password_rules(new_password, user.username)
    if old_password == new_password:
        raise ValidationError("新密码不能与原密码相同", field="password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    uow.record(actor.id, actor.username, "password_change", "user", user.id, change_op="update")
    uow.commit()
