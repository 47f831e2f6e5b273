"""Arrival, on screen: a tray message when a new 待办, 待阅 or 催办 reaches the signed-in person, and the number
of 待办 beside 工作台 in the navigation pane.

The main window's change poller hands each batch of feed entries to ``check`` on its worker thread (in the
poll's own unit of work); app.services.workflow.arrivals counts again only when the entries touch records,
so a quiet poll costs nothing more. ``show`` then runs on the GUI thread with what arrived.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from app.services.kernel.actor import Actor
from app.services.kernel.changes import Change
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import arrivals, todo
from app.ui.i18n import tr
from app.ui.icons import app_icon

# What a poll hands back: what arrived, and the mark to compare the next poll with.
Arrived = tuple[arrivals.Arrivals, arrivals.ArrivalMark]
# How long the tray message stays up.
MESSAGE_MS = 10_000


def _titles(titles: Sequence[str], count: int) -> str:
    named = "".join(tr("《{0}》").format(t) for t in titles[: arrivals.NAMED])
    return named + (tr("等") if count > min(len(titles), arrivals.NAMED) else "") if named else ""


def arrival_text(got: arrivals.Arrivals) -> str:
    """One message for everything that arrived: "您有2件新的待办：《…》等", then the 待阅, then each 催办."""
    lines = []
    if got.new_todo_count:
        named = _titles(got.new_todo_titles, got.new_todo_count)
        lines.append(tr("您有{0}件新的待办").format(got.new_todo_count) + (tr("：{0}").format(named) if named else ""))
    if got.new_read_count:
        named = _titles(got.new_read_titles, got.new_read_count)
        lines.append(tr("您有{0}件新的待阅").format(got.new_read_count) + (tr("：{0}").format(named) if named else ""))
    for urge in got.urges:
        text = tr("{0}（{1}）催办《{2}》").format(urge.by_name, urge.method, urge.title)
        lines.append(text + (tr("：{0}").format(urge.note) if urge.note else ""))
    return "\n".join(lines)


class ArrivalWatch(QObject):
    """What was last seen of the person's to-dos, and the tray icon that says what arrived."""

    # The number of 待办, each time it is known anew (the navigation pane shows it).
    countChanged = Signal(int)  # noqa: N815 - Qt's signal naming
    # (title, text) of each message shown: the tray's, or the status bar's where there is no tray.
    announced = Signal(str, str)
    # The person clicked the message: the main window shows the 工作台.
    opened = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.actor: Actor | None = None
        self.mark: arrivals.ArrivalMark | None = None
        self.first_reading: todo.TodoList | None = None
        self.tray: QSystemTrayIcon | None = None

    def start(self, actor: Actor, first_reading: todo.TodoList | None) -> None:
        """Whose arrivals these are; the 工作台's login reading, where there is one, is what was seen."""
        self.actor, self.first_reading, self.mark = actor, first_reading, None

    # ----- on the poller's worker thread: no widget is touched ------------------------------------------
    def check(self, uow: UnitOfWork, found: Sequence[Change]) -> Arrived | None:
        actor, mark = self.actor, self.mark
        if actor is None or actor.id is None:
            return None
        if mark is None:
            # The first look only notes where the person stands: what was there at sign-in is no news.
            mark = arrivals.arrival_mark(uow, actor, self.first_reading)
            return arrivals.Arrivals(mark.todo_count, mark.read_count), mark
        if not arrivals.touches_records(found):
            return None
        return arrivals.check_arrivals(uow, actor, mark, found)

    # ----- on the GUI thread ---------------------------------------------------------------------------
    def show(self, outcome: Arrived) -> None:
        got, self.mark = outcome
        self.first_reading = None
        self.countChanged.emit(got.todo_count)
        if got.anything:
            title = tr("新的催办") if got.urges and not (got.new_todo_count or got.new_read_count) else tr("新的待办事项")
            self.notify(title, arrival_text(got))

    def notify(self, title: str, text: str) -> None:
        """The tray's message where the desktop has a tray; the window's status bar and a taskbar flash
        where it has none (a terminal server's desktop, the offscreen tests)."""
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self.tray is None:
                self.tray = QSystemTrayIcon(app_icon(), self)
                self.tray.setToolTip(tr("GovDesk 政务办公"))
                self.tray.messageClicked.connect(self.opened.emit)
                self.tray.activated.connect(lambda _reason: self.opened.emit())
                self.tray.show()
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, MESSAGE_MS)
        else:
            status = getattr(self.window, "statusBar", None)
            if callable(status):
                status().showMessage(text.replace("\n", tr("；")), MESSAGE_MS)
        QApplication.alert(self.window, MESSAGE_MS)
        self.announced.emit(title, text)

    def stop(self) -> None:
        if self.tray is not None:
            self.tray.hide()
