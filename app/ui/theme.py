"""Look: Fusion with a light palette, one sober government blue, red for urgent and overdue, amber for soon."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from app.ui.i18n import QT_TRANSLATE_NOOP

ACCENT = "#1F4E79"
ACCENT_LIGHT = "#DCE8F4"
URGENT = "#C0392B"
SOON = "#B9770E"
OK = "#1E8449"
MUTED = "#6B7280"
SURFACE = "#F5F7FA"
BORDER = "#D5DBE3"
FUSION = "Fusion"
# Set on an application that was created with the Fusion style already (create_application).
STYLE_SET_PROPERTY = "govdesk_fusion"
# Qt's own arrow images (built into QtWidgets): once a spin box or combo box is styled, Qt no longer
# draws its arrows, and these need no file of ours.
ARROW_UP = ":/qt-project.org/styles/commonstyle/images/arrow-up-16.png"
ARROW_DOWN = ":/qt-project.org/styles/commonstyle/images/arrow-down-16.png"


@dataclass(frozen=True)
class TextSize:
    """One of the text sizes a user can choose (小/中/大)."""

    key: str
    label: str
    point_size: int
    row_height: int
    icon_size: int


TEXT_SIZES: dict[str, TextSize] = {
    "small": TextSize("small", QT_TRANSLATE_NOOP("GovDesk", '小'), 10, 26, 18),
    "medium": TextSize("medium", QT_TRANSLATE_NOOP("GovDesk", '中'), 12, 30, 20),
    "large": TextSize("large", QT_TRANSLATE_NOOP("GovDesk", '大'), 14, 36, 24),
}
DEFAULT_TEXT_SIZE = "medium"

UI_FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
]


def palette() -> QPalette:
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor(SURFACE))
    p.setColor(QPalette.ColorRole.WindowText, QColor("#1F2933"))
    p.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#F0F4F8"))
    p.setColor(QPalette.ColorRole.Text, QColor("#1F2933"))
    p.setColor(QPalette.ColorRole.Button, QColor("#FFFFFF"))
    p.setColor(QPalette.ColorRole.ButtonText, QColor("#1F2933"))
    p.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#FFFFE8"))
    p.setColor(QPalette.ColorRole.ToolTipText, QColor("#1F2933"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(MUTED))
    p.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9AA5B1"))
    return p


def stylesheet(size: TextSize) -> str:
    return f"""
    QMainWindow, QDialog {{ background: {SURFACE}; }}
    QListWidget#navigation {{
        background: {ACCENT}; color: white; border: none; outline: none;
        padding-top: 8px;
    }}
    QListWidget#navigation::item {{ padding: {size.row_height // 4}px 14px; border-left: 4px solid transparent; }}
    QListWidget#navigation::item:selected {{ background: #2E6DA4; border-left: 4px solid #F2C14E; color: white; }}
    QListWidget#navigation::item:hover:!selected {{ background: #285F8F; }}
    QLabel#pageTitle {{ font-size: {size.point_size + 6}pt; font-weight: bold; color: {ACCENT}; }}
    QLabel#hint {{ color: {MUTED}; }}
    QLabel#fieldError {{ color: {URGENT}; }}
    QLabel#emptyState {{ color: {MUTED}; font-size: {size.point_size + 1}pt; }}
    QFrame#tile {{ background: white; border: 1px solid {BORDER}; border-radius: 6px; }}
    QFrame#tile:hover {{ border: 1px solid {ACCENT}; }}
    QLabel#tileNumber {{ font-size: {size.point_size + 12}pt; font-weight: bold; color: {ACCENT}; }}
    QLabel#tileNumberUrgent {{ font-size: {size.point_size + 12}pt; font-weight: bold; color: {URGENT}; }}
    QLabel#tileNumberSoon {{ font-size: {size.point_size + 12}pt; font-weight: bold; color: {SOON}; }}
    QPushButton {{
        padding: 4px 14px; min-height: {size.row_height - 8}px; border: 1px solid {BORDER};
        border-radius: 4px; background: white;
    }}
    QPushButton:hover {{ border-color: {ACCENT}; }}
    QPushButton:default, QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
    QPushButton:disabled {{ color: #9AA5B1; background: #EEF1F4; }}
    QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit, QTextEdit {{
        padding: 3px 6px; border: 1px solid {BORDER}; border-radius: 3px; background: white;
        min-height: {size.row_height - 10}px;
    }}
    QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus {{ border-color: {ACCENT}; }}
    /* A styled combo box draws its open list as menu items with its own white background, and the
       palette's white highlighted text on it: the item under the cursor would be white on white. */
    QComboBox::item:selected {{ background: {ACCENT}; color: white; }}
    QAbstractSpinBox {{ padding-right: 22px; }}
    QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
        subcontrol-origin: border; width: 20px; border-left: 1px solid {BORDER}; background: #F4F6F9;
    }}
    QAbstractSpinBox::up-button {{ subcontrol-position: top right; border-top-right-radius: 3px; }}
    QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; border-bottom-right-radius: 3px;
        border-top: 1px solid {BORDER}; }}
    QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{ background: {ACCENT_LIGHT}; }}
    QAbstractSpinBox::up-arrow {{ image: url({ARROW_UP}); width: 9px; height: 9px; }}
    QAbstractSpinBox::down-arrow, QComboBox::down-arrow, QDateEdit::down-arrow {{
        image: url({ARROW_DOWN}); width: 10px; height: 10px; }}
    QComboBox::drop-down, QDateEdit::drop-down {{
        subcontrol-origin: padding; subcontrol-position: top right; width: 22px; border-left: 1px solid {BORDER};
    }}
    QTableView {{ background: white; gridline-color: #E6EAF0; border: 1px solid {BORDER};
        selection-background-color: {ACCENT_LIGHT}; selection-color: #1F2933; }}
    QHeaderView::section {{ background: #EEF2F7; padding: 4px 6px; border: none;
        border-right: 1px solid {BORDER}; border-bottom: 1px solid {BORDER}; font-weight: bold; }}
    QTabWidget::pane {{ border: 1px solid {BORDER}; background: white; top: -1px; }}
    QTabBar::tab {{ padding: 6px 16px; background: #E9EEF4; border: 1px solid {BORDER}; border-bottom: none; }}
    QTabBar::tab:selected {{ background: white; color: {ACCENT}; font-weight: bold; }}
    QGroupBox {{ font-weight: bold; border: 1px solid {BORDER}; border-radius: 4px; margin-top: 12px;
        padding-top: 8px; background: white; }}
    QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {ACCENT}; }}
    QStatusBar {{ background: #E9EEF4; }}
    QToolBar {{ background: white; border-bottom: 1px solid {BORDER}; spacing: 4px; }}
    """


def ui_font(size: TextSize) -> QFont:
    font = QFont()
    font.setFamilies(UI_FONT_FAMILIES)
    font.setPointSize(size.point_size)
    return font


def apply_theme(app: QApplication, size_key: str) -> TextSize:
    size = TEXT_SIZES.get(size_key, TEXT_SIZES[DEFAULT_TEXT_SIZE])
    # Replacing the style of a running application deletes the style sheet engine that live widgets
    # still use; so the style and palette are set once per application.
    if not app.property("govdesk_styled"):
        if not app.property(STYLE_SET_PROPERTY):
            app.setStyle(FUSION)
        app.setPalette(palette())
        app.setProperty("govdesk_styled", True)
    font = ui_font(size)
    if app.font() != font:
        app.setFont(font)
    sheet = stylesheet(size)
    # Re-applying an unchanged sheet would re-polish every widget for nothing.
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    return size
