"""The units a form or a filter offers to choose from, read as the user through db_call."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.bootstrap import AppContext
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.ui.widgets.db_call import db_call


def read_units(parent: QWidget | None, ctx: AppContext, actor: Actor) -> list[admin.UnitInfo]:
    """The active units (admin.list_units); the wait, if any, is shown over parent, which may be the window
    that opens a dialog not shown yet."""

    def load() -> list[admin.UnitInfo]:
        with ctx.uow() as uow:
            return admin.list_units(uow, actor)

    return db_call(parent, load)


__all__ = ["read_units"]
