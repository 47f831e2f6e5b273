"""Builders for tests: units, users with roles, and actors, without the cost of hashing each password.

The other modules of tests/helpers/ hold the rest of what more than one test file uses, named by what they
hold; tests/test_test_support.py keeps shared code out of test modules and conftest.py files."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from app.bootstrap import AppContext
from app.core.roles import Role
from app.models import Unit, User, UserRole
from app.services.admin.auth import actor_of
from app.services.admin.passwords import hash_password
from app.services.kernel import access, attachments
from app.services.kernel.actor import Actor

PASSWORD = "abc12345"


@functools.lru_cache(maxsize=1)
def password_hash() -> str:
    return hash_password(PASSWORD)


def add_unit(ctx: AppContext, name: str, kind: str = "department", head_user_id: int | None = None) -> int:
    with ctx.uow() as uow:
        unit = Unit(name=name, kind=kind, head_user_id=head_user_id)
        uow.session.add(unit)
        uow.commit()
        return unit.id


def add_user(
    ctx: AppContext,
    username: str,
    roles: Iterable[Role],
    unit_id: int | None = None,
    full_name: str | None = None,
    is_principal: bool = False,
) -> Actor:
    with ctx.uow() as uow:
        user = User(
            username=username,
            full_name=full_name or username,
            password_hash=password_hash(),
            unit_id=unit_id,
            is_principal=is_principal,
            role_links=[UserRole(role_code=r.value) for r in roles],
        )
        uow.session.add(user)
        uow.commit()
    actor = actor_of(user)
    # As a login does: the user was just seen current (app.services.kernel.access).
    access.confirm(ctx.engine, actor)
    return actor


def set_unit_head(ctx: AppContext, unit_id: int, user_id: int | None) -> None:
    with ctx.uow() as uow:
        unit = uow.session.get(Unit, unit_id)
        assert unit is not None
        unit.head_user_id = user_id
        uow.commit()


# Files attached to a record of this type are let through by its guard: for tests of storage (sizes, packets,
# backups) that are not about who may attach.
UNGUARDED_OWNER = "test_unguarded_record"
attachments.guard_owner(UNGUARDED_OWNER, lambda uow, actor, owner_id, purpose: None)
