"""What the 工作台 reads, with no Qt: the login's worker reads it for the first window (app.ui.login),
the page itself on every refresh."""

from __future__ import annotations

from datetime import date

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.workflow import todo

# The to-dos and whether today is a working day.
WorkbenchReading = tuple[todo.TodoList, bool]


def read_workbench(ctx: AppContext, actor: Actor) -> WorkbenchReading:
    """What the 工作台 shows, read off the GUI thread: also by the login's worker, right after the
    password was checked, so that the first window does not wait for a second round of reading."""
    with ctx.uow() as uow:
        today = date.today()
        return todo.todo(uow, actor, today), work_calendar(uow).is_workday(today)
