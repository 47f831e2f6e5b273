"""The meeting window's own tabs (议题, 会议方案, 签到, 座次, 议定事项). Each tab widget has reload() and a
`changed` Signal; the window refreshes its header and actions when one emits. Filled in on its own branch;
until then a meeting window has the shared tabs only."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor


def meeting_tabs(ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None) -> list[tuple[str, QWidget]]:
    """The area's tabs for this meeting, titled, in the order the window shows them."""
    return []
