"""The meeting window's own tabs, in the order the work goes: 议题, 会议方案, 签到, 座次, 议定事项. Each is a widget
with ``reload()`` and a ``changed`` signal it sends after an act, so the window refreshes its header and actions."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.ui.i18n import tr


def meeting_tabs(ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None) -> list[tuple[str, QWidget]]:
    from app.ui.meetings.agenda_tab import AgendaTab
    from app.ui.meetings.attendance_tab import AttendanceTab
    from app.ui.meetings.decisions_tab import DecisionsTab
    from app.ui.meetings.plan_tab import PlanTab
    from app.ui.meetings.seating_tab import SeatingTab

    return [
        (tr("议题"), AgendaTab(ctx, actor, meeting_id, parent)),
        (tr("会议方案"), PlanTab(ctx, actor, meeting_id, parent)),
        (tr("签到"), AttendanceTab(ctx, actor, meeting_id, parent)),
        (tr("座次"), SeatingTab(ctx, actor, meeting_id, parent)),
        (tr("议定事项"), DecisionsTab(ctx, actor, meeting_id, parent)),
    ]
