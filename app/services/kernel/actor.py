"""The acting user, as services see it, and the permission checks every service uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.core.errors import PermissionDenied
from app.core.roles import Role, describe_roles


@dataclass(frozen=True)
class Actor:
    """Who is acting: the logged-in user, their roles and unit."""

    id: int | None
    username: str
    full_name: str
    roles: frozenset[str]
    unit_id: int | None = None
    is_principal: bool = False
    # Set at login after an administrator's reset: the login must have a new password chosen before
    # the first window opens (app.ui.change_password).
    must_change_password: bool = False

    def has(self, *roles: Role | str) -> bool:
        return any(str(role) in self.roles for role in roles)

    @property
    def role_labels(self) -> str:
        return describe_roles(self.roles)


# The command line acts as the machine's administrator: whoever can run it can read the database file.
SYSTEM_ACTOR = Actor(id=None, username="system", full_name="系统", roles=frozenset({Role.ADMIN.value}))


def require_role(actor: Actor, allowed: Iterable[Role], doing: str) -> None:
    allowed = tuple(allowed)
    if not actor.has(*allowed):
        names = "、".join(role.label for role in allowed)
        raise PermissionDenied(f"只有{names}可以{doing}")
