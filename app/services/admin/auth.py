"""Logging in. Five failures lock an account for 15 minutes; every attempt is audited; this machine waits
longer after each failure (app.services.admin.login_delay)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Unpack

from sqlalchemy import or_, select, update

from app.core.errors import AccountLocked, AuthenticationError, ValidationError
from app.db.tables import user_roles, users, utcnow
from app.services.admin import login_delay
from app.services.admin.login_delay import LoginDelay
from app.services.admin.passwords import check_password_rules, hash_password, verify_password
from app.services.kernel import access
from app.services.kernel.access import acting, before_password_change
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork, translate_db_errors

if TYPE_CHECKING:
    from sqlalchemy import Row

    from app.models import User

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
LOCK_DURATION = timedelta(minutes=LOCK_MINUTES)
# The one answer to a wrong name, a wrong password and a wrong password on a locked account. What it
# says of the lock holds for every name, so it tells a guesser nothing about which names exist.
WRONG_NAME_OR_PASSWORD = f"用户名或密码不正确（同一账户连续输错{MAX_FAILED_LOGINS}次将被锁定{LOCK_MINUTES}分钟）"


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


def login(uow: UnitOfWork, username: str, password: str, delay: LoginDelay | None = None) -> Actor:
    """Written on the tables (app.db.tables): it runs before the first window is up, with no ORM.

    A wrong password and an unknown name get the same answer, and so does a wrong password on a locked
    account: only someone who knows the password learns that the account exists or is locked. Every
    wrong password counts and is audited, also when many arrive at once. delay is this machine's wait
    between attempts (app.services.admin.login_delay), checked before anything else."""
    name = username.strip().lower()
    if not name:
        raise ValidationError("请输入用户名", field="username")
    if not password:
        raise ValidationError("请输入密码", field="password")
    machine = delay if delay is not None else login_delay.this_machine()
    machine.check()
    columns, links = users.c, user_roles.c
    # The user's row with a row per role, in one statement (on a LAN each is a round trip). Only the
    # user's row is locked where the database can say so (FOR UPDATE OF); MariaDB also locks the role
    # rows, which nothing else writes at a login.
    found = uow.execute(
        select(
            columns.id, columns.username, columns.full_name, columns.password_hash, columns.active,
            columns.locked_by_admin, columns.locked_until, columns.unit_id, columns.is_principal,
            columns.version, columns.must_change_password, links.role_code,
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
        machine.failed()
        raise AuthenticationError(WRONG_NAME_OR_PASSWORD)

    if not verify_password(user.password_hash, password):
        _count_failure(uow, user.id, name, now)
        machine.failed()
        raise AuthenticationError(WRONG_NAME_OR_PASSWORD)

    if user.locked_by_admin:
        uow.record(user.id, name, "login_failed", "user", user.id, {"reason": "locked_by_admin"})
        uow.commit()
        raise AccountLocked("该账户已被系统管理员锁定，请联系系统管理员解锁")

    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        uow.record(user.id, name, "login_failed", "user", user.id, {"reason": "locked"})
        uow.commit()
        raise AccountLocked(f"密码连续输错{MAX_FAILED_LOGINS}次，账户已锁定，请{minutes}分钟后再试")

    _clear_failures(uow, user.id, now)
    uow.record(user.id, name, "login", "user", user.id)
    actor = _actor(user, frozenset(row.role_code for row in found if row.role_code is not None))
    if user.must_change_password:
        actor = replace(actor, must_change_password=True)
    uow.commit()
    machine.succeeded()
    access.confirm(uow.engine, actor)
    return actor


def _clear_failures(uow: UnitOfWork, user_id: int, now: datetime) -> None:
    """The right password: the count starts again. Written without the version read, like the count,
    so that a wrong password typed meanwhile elsewhere does not turn this login into a conflict; yet an
    account locked or disabled meanwhile (SQLite cannot lock the row read) is not let in."""
    with translate_db_errors():
        cleared = uow.execute(
            update(users)
            .where(
                users.c.id == user_id,
                users.c.active.is_(True),
                users.c.locked_by_admin.is_(False),
                or_(users.c.locked_until.is_(None), users.c.locked_until <= now),
            )
            .values(failed_logins=0, locked_until=None, last_login_at=now, version=users.c.version + 1)
        ).rowcount  # type: ignore[attr-defined]
    if cleared != 1:
        raise AccountLocked()


def _count_failure(uow: UnitOfWork, user_id: int, name: str, now: datetime) -> None:
    """One more wrong password, counted in the database itself (failed_logins + 1) and not from the
    value read, which a parallel attempt may have changed meanwhile: with a version check only one
    of twelve parallel attempts was counted on SQLite, the rest lost as conflicts. The version moves
    on, so that an administrator's edit opened before still meets a conflict."""
    with translate_db_errors():
        uow.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(failed_logins=users.c.failed_logins + 1, version=users.c.version + 1)
        )
        # The row is this transaction's now: the count read back is exact, and only the attempt that
        # reaches the limit locks (and starts counting again).
        locked = uow.execute(
            update(users)
            .where(users.c.id == user_id, users.c.failed_logins >= MAX_FAILED_LOGINS)
            .values(failed_logins=0, locked_until=now + LOCK_DURATION)
        ).rowcount  # type: ignore[attr-defined]
    if locked:
        uow.record(user_id, name, "login_locked", "user", user_id, {"minutes": LOCK_MINUTES})
    else:
        uow.record(user_id, name, "login_failed", "user", user_id, {"reason": "wrong_password"})
    uow.commit()


@before_password_change
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
