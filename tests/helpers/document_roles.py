"""Trying a 公文 act as each holder of a role, in a dry run: allowed or refused, against what the rules say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, WorkflowError
from app.core.roles import Role
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from tests.helpers.document_office import ROLE_HOLDERS, Office
from tests.helpers.dry_run import dry_run

SECRETARIES = {"clerk", "clerk2"}
OFFICE = {"director", "deputy"} | SECRETARIES
Call = Callable[[UnitOfWork, Actor], Any]


def attempt(ctx: AppContext, call: Call, who: Actor) -> bool:
    try:
        with dry_run(ctx) as uow:
            call(uow, who)
            assert uow.committed, "the service returned without committing"
        return True
    except (PermissionDenied, WorkflowError):
        return False


class Checker:
    def __init__(self, office: Office, role: Role) -> None:
        self.office = office
        self.role = role
        self.checked = 0

    def __call__(self, what: str, allowed: set[str], call: Call) -> None:
        for key in ROLE_HOLDERS[self.role]:
            got = attempt(self.office.ctx, call, self.office.people[key])
            want = key in allowed
            assert got == want, f"{key}（{self.role.label}）{what}：{'被允许' if got else '被拒绝'}，应当{'允许' if want else '拒绝'}"
            self.checked += 1
