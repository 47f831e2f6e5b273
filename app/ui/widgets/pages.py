"""What every page in the main window offers, and the placeholder for an area not built yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.areas import Area
from app.ui.i18n import tr
from app.ui.icons import area_icon
from app.ui.theme import ACCENT


class Page(QWidget):
    """A main-window page. The window's shortcuts (F5, Ctrl+N, Ctrl+F, Ctrl+P) call these."""

    title = ""

    def refresh(self) -> None:
        """Reload from the database (F5, or a change made on another client)."""

    def new_record(self) -> bool:
        """Ctrl+N. Returns False when this page has nothing to create."""
        return False

    def focus_search(self) -> bool:
        return False

    def print_current(self) -> bool:
        return False

    def watched_entities(self) -> frozenset[str]:
        """Entity types whose changes on other clients should refresh this page."""
        return frozenset()


class PlaceholderPage(Page):
    def __init__(self, area: Area, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = tr(area.label)
        icon = QLabel()
        icon.setPixmap(area_icon(area.key, ACCENT).pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QLabel(tr(area.label))
        heading.setObjectName("pageTitle")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        summary = QLabel(tr(area.summary))
        summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        summary.setWordWrap(True)
        items = "".join(f"<li>{tr(feature)}</li>" for feature in area.features)
        details = QLabel(tr('<p>这一部分正在建设中，完成后将提供：</p><ul>{0}</ul>').format(items))
        details.setObjectName("emptyState")
        details.setWordWrap(True)
        details.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(icon)
        layout.addWidget(heading)
        layout.addWidget(summary)
        layout.addSpacing(12)
        layout.addWidget(details, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
