"""What the 工作台 reads, with no Qt: the login's worker reads it for the first window (app.ui.login),
the page itself on every refresh."""

from __future__ import annotations

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.services.kernel.clock import office_today
from app.services.workflow import todo
from app.ui.widgets.db_call import as_user

WorkbenchReading = todo.Workbench


def read_workbench(ctx: AppContext, actor: Actor) -> WorkbenchReading:
    """What the 工作台 shows, read off the GUI thread: also by the login's worker, right after the
    password was checked, so that the first window does not wait for a second round of reading. The day is
    the office's (China Standard Time), as the services store days, whatever the machine's zone."""
    return as_user(ctx, actor, todo.workbench, office_today())()
