"""Whether the acting user may still act, checked by every service call and again by every commit.

The Actor is made at login, but an administrator may disable, lock or demote that user while their
window is open. Each public service function is wrapped in `acting`, which compares the Actor with the
user's row as it is now before the work starts: active, not locked by an administrator, the same roles,
unit and principal flag, and no password reset since login. A mismatch ends the session (SessionEnded).
A user whose password was reset may do one thing until they have chosen their own: change it (functions
marked `before_password_change`); the window's dialog is not what refuses the rest.

On a LAN each question to the server costs a round trip, so the comparison is remembered for a few
seconds: an open window's change poller (app.ui.main_window) asks the change feed every few seconds
anyway, and an administrator's change to a user is in the feed, so the poller renews what is
remembered for nothing, and a change it sees ends the session. A change made in this process is
forgotten at once (UnitOfWork.commit). What is remembered may be up to CONFIRMED_FOR old, so a
write is checked once more at commit, in the statement that already reads the audit chain's head
(app.services.kernel.audit_chain): no write commits for a user who was disabled, locked or demoted.
"""

from __future__ import annotations

import functools
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import and_, func, select

from app.core.errors import PermissionDenied, SessionEnded
from app.db.tables import user_roles, users

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Engine

    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

P = ParamSpec("P")
R = TypeVar("R")

# Longer than the change poller's interval (3 s), so an open window that polls never asks again.
CONFIRMED_FOR = 10.0

_lock = threading.Lock()
# Per engine (one database): user id → (what was confirmed, when). Weak, so a disposed engine's
# memory goes with it and a new database never inherits another's confirmations.
_confirmed: weakref.WeakKeyDictionary[Engine, dict[int, tuple[tuple[object, ...], float]]] = (
    weakref.WeakKeyDictionary()
)


def _facts(actor: Actor) -> tuple[object, ...]:
    return (frozenset(actor.roles), actor.unit_id, bool(actor.is_principal))


def confirm(engine: Engine, actor: Actor) -> None:
    """Remembers that the actor was seen current just now (a check, or a poll that saw no change)."""
    if actor.id is None:
        return
    with _lock:
        _confirmed.setdefault(engine, {})[actor.id] = (_facts(actor), time.monotonic())


def forget(engine: Engine, user_id: int | None) -> None:
    """The user's row changed: the next call of theirs asks the database again."""
    if user_id is None:
        return
    with _lock:
        _confirmed.get(engine, {}).pop(user_id, None)


def _recently_confirmed(engine: Engine, actor: Actor) -> bool:
    assert actor.id is not None
    with _lock:
        entry = _confirmed.get(engine, {}).get(actor.id)
    return entry is not None and entry[0] == _facts(actor) and time.monotonic() - entry[1] < CONFIRMED_FOR


def why_not_current(uow: UnitOfWork, actor: Actor) -> str | None:
    """Why the actor may no longer act (a message for the user), or None. One statement."""
    columns = users.c
    rows = uow.execute(
        select(
            columns.active, columns.locked_by_admin, columns.unit_id, columns.is_principal,
            columns.must_change_password, user_roles.c.role_code,
        )
        .select_from(users.outerjoin(user_roles, user_roles.c.user_id == columns.id))
        .where(columns.id == actor.id)
    ).all()
    if not rows or not rows[0].active:
        return "您的账户已被停用，请联系系统管理员"
    if rows[0].locked_by_admin:
        return "您的账户已被系统管理员锁定，请联系系统管理员解锁"
    if rows[0].must_change_password and not actor.must_change_password:
        # Reset while this window was open (a password thought known to someone else): log in anew.
        return "您的密码已被系统管理员重置，请重新登录，并按提示设置新密码"
    roles = frozenset(row.role_code for row in rows if row.role_code is not None)
    if roles != actor.roles or rows[0].unit_id != actor.unit_id or bool(rows[0].is_principal) != actor.is_principal:
        return "您的角色或所在单位已被系统管理员更改，请重新登录后继续"
    return None


def ensure_current(uow: UnitOfWork, actor: Actor | None) -> None:
    """Refuses an actor whose account was disabled, locked or changed since they logged in."""
    if actor is None or actor.id is None:
        # The command line and the first-run wizard act as the machine's administrator.
        return
    if uow.acting is actor:
        return
    if not _recently_confirmed(uow.engine, actor):
        reason = why_not_current(uow, actor)
        if reason is not None:
            raise SessionEnded(reason)
        confirm(uow.engine, actor)
    uow.acting = actor


def acting(function: Callable[Concatenate[UnitOfWork, P], R]) -> Callable[Concatenate[UnitOfWork, P], R]:
    """Wraps a service function whose arguments are (uow, actor, ...): the actor must still be current."""

    @functools.wraps(function)
    def checked(uow: UnitOfWork, *args: P.args, **kwargs: P.kwargs) -> R:
        actor = args[0] if args else kwargs.get("actor")
        if getattr(actor, "must_change_password", False) and not getattr(checked, "before_password_change", False):
            raise PermissionDenied(PASSWORD_FIRST)
        ensure_current(uow, actor)  # type: ignore[arg-type]
        return function(uow, *args, **kwargs)

    checked.checks_actor = True  # type: ignore[attr-defined]
    return checked


PASSWORD_FIRST = "您的密码已被系统管理员重置，请先设置新密码，再办理其他事项"


def before_password_change(function: Callable[Concatenate[UnitOfWork, P], R]) -> Callable[Concatenate[UnitOfWork, P], R]:
    """Marks an `acting` function that a user whose password was reset may call before choosing a new one."""
    assert getattr(function, "checks_actor", False), "apply @acting first"
    function.before_password_change = True  # type: ignore[attr-defined]
    return function


def still_current_columns(actor: Actor) -> list[ColumnElement[Any]]:
    """Scalar subqueries that, read at commit beside the chain's head, say whether the actor is still
    current: 1 matching user row, as many role rows as the actor has, all of them the actor's roles."""
    columns = users.c
    unit_matches = columns.unit_id.is_(None) if actor.unit_id is None else columns.unit_id == actor.unit_id
    user_row = (
        select(func.count())
        .select_from(users)
        .where(
            and_(
                columns.id == actor.id,
                columns.active.is_(True),
                columns.locked_by_admin.is_(False),
                columns.is_principal.is_(actor.is_principal),
                columns.must_change_password.is_(actor.must_change_password),
                unit_matches,
            )
        )
        .scalar_subquery()
    )
    role_rows = select(func.count()).select_from(user_roles).where(user_roles.c.user_id == actor.id)
    all_roles = role_rows.scalar_subquery()
    own_roles = role_rows.where(user_roles.c.role_code.in_(sorted(actor.roles))).scalar_subquery()
    return [user_row.label("user_row"), all_roles.label("all_roles"), own_roles.label("own_roles")]


def check_still_current(actor: Actor, user_row: int, all_roles: int, own_roles: int) -> None:
    expected = len(actor.roles)
    if user_row != 1 or all_roles != expected or own_roles != expected:
        raise SessionEnded("您的账户已被停用、锁定，密码已被重置，或角色已被更改，本次操作未保存，请重新登录")
