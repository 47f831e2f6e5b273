"""The main window's search box (综合查询, Ctrl+K) in the top bar, and the one 综合查询 window it opens.

Typing (after a pause of DEBOUNCE_MS) shows the window without taking the keyboard from the box, so the user
types on and watches the results follow; Enter brings the window forward. Ctrl+F on a page whose list has its
own filter box keeps that box (the main window asks the page first); on a page without one (工作台, a calendar,
a notice or a report) it opens 综合查询 narrowed to the page's area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from app.core.areas import area_of_navigation
from app.ui.i18n import tr
from app.ui.icons import action_icon

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.search.window import SearchWindow

DEBOUNCE_MS = 300
SHORTCUT = "Ctrl+K"


class GlobalSearchBox(QLineEdit):
    """Wide enough for its placeholder at every text size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("globalSearch")
        self.setPlaceholderText(tr('综合查询：标题、文号、姓名、单位…（Ctrl+K）'))
        self.setClearButtonEnabled(True)
        self.addAction(action_icon("find"), QLineEdit.ActionPosition.LeadingPosition)
        self._fit()

    def _fit(self) -> None:
        # The placeholder, the find icon in front and the clear button behind.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.placeholderText()) + 3 * self.height() // 2 + 48)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()


class SearchHook(QObject):
    """What the main window holds of 综合查询: the box, its shortcut, and the window once opened."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window
        bar = window.menuBar()
        # Made as the bar's child: setCornerWidget alone does not tell PySide the bar owns it.
        corner = QWidget(bar)
        self.box = GlobalSearchBox(corner)
        row = QHBoxLayout(corner)
        row.setContentsMargins(8, 3, 10, 3)
        row.addWidget(self.box)
        bar.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.corner = corner
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(lambda: self.show_results(activate=False))
        self.box.textEdited.connect(lambda _text: self.debounce.start())
        self.box.returnPressed.connect(lambda: self.show_results(activate=True))
        self.action = QAction(tr('综合查询'), window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(self.focus_box)
        window.addAction(self.action)
        self.window: SearchWindow | None = None

    def focus_box(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def search_window(self) -> SearchWindow | None:
        """The one 综合查询 window, made the first time it is needed (None before anyone signed in)."""
        if self.main.actor is None:
            return None
        if self.window is None:
            from app.ui.search.window import SearchWindow

            self.window = SearchWindow(self.main.ctx, self.main.actor, self.main.prefs, self.main)
        return self.window

    def show_results(self, activate: bool) -> None:
        """Shows what the box holds in the window: typed on, the window follows and the box keeps the keys;
        Enter brings the window forward. An emptied box leaves an open window's query as it was."""
        self.debounce.stop()
        text = self.box.text()
        if not text.strip() and not activate:
            return
        window = self.search_window()
        if window is None:
            return
        if not window.isVisible():
            # Opened by typing: the box keeps the keyboard (the window comes forward with Enter).
            window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
            window.show()
            window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        window.set_query(text)
        if activate:
            self._bring(window)

    def find_in_area(self, navigation_key: str | None) -> None:
        """Ctrl+F on a page without a filter box of its own: 综合查询 narrowed to the page's area."""
        window = self.search_window()
        if window is None:
            return
        manifest = area_of_navigation(navigation_key) if navigation_key else None
        window.narrow_to([spec.entity_type for spec in manifest.searches] if manifest is not None else [])
        if not window.isVisible():
            window.show()
        if window.query.text() != self.box.text() and self.box.text().strip():
            window.set_query(self.box.text())
        self._bring(window)

    @staticmethod
    def _bring(window: SearchWindow) -> None:
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()
        window.focus_query()


def install(window: MainWindow) -> SearchHook:
    return SearchHook(window)
