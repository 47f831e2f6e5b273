"""How one result of 综合查询 shows: its title with the hits marked, a state chip, the year, and the snippet.

Every piece of a record's text is escaped before it goes into the row's rich text: a title typed as
"<b>…" or "<img src=…>" shows as those characters, never as markup. The rows are drawn by ResultDelegate from
that rich text, wrapped to the view's width, so a long title takes a second line instead of being cut.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.core.search_text import Snippet
from app.services.search.query import SearchHit
from app.ui.i18n import tr
from app.ui.theme import ACCENT, ACCENT_LIGHT, MUTED

Index = QModelIndex | QPersistentModelIndex

# Item data of a result row: its rich text, and the hit itself (what Enter opens).
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
HIT_ROLE = Qt.ItemDataRole.UserRole + 2
# A group's entity type, on its heading and on its 查看更多… row.
KIND_ROLE = Qt.ItemDataRole.UserRole + 3
MORE_ROLE = Qt.ItemDataRole.UserRole + 4

# Hits are marked as a highlighter would: a pale yellow ground, the text darker and heavier.
HIT_OPEN = '<span style="background-color:#FFE99A; color:#3D2E00; font-weight:600;">'
HIT_CLOSE = "</span>"
# The state chip: an open record in the accent's blue, a closed one grey.
OPEN_CHIP = (ACCENT_LIGHT, ACCENT)
CLOSED_CHIP = ("#E5E7EB", "#4B5563")
# Room around the row's text, inside its rectangle.
PADDING = 6


def _plain(text: str) -> str:
    """A record's text as one line: line breaks and tabs are spaces (a row shows one title, one snippet)."""
    return " ".join((text or "").split())


def marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text as rich text, escaped, with the hits at ``spans`` marked."""
    parts: list[str] = []
    at = 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        parts.append(html.escape(text[at:start]))
        parts.append(HIT_OPEN + html.escape(text[start:end]) + HIT_CLOSE)
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def state_text(hit: SearchHit) -> str:
    if hit.state:
        return hit.state
    return tr('已办结') if hit.closed else tr('在办')


def chip(text: str, closed: bool) -> str:
    ground, colour = CLOSED_CHIP if closed else OPEN_CHIP
    return (f'<span style="background-color:{ground}; color:{colour};">&nbsp;{html.escape(text)}&nbsp;</span>')


def snippet_html(found: Snippet | None) -> str:
    if found is None:
        return ""
    text = found.text.replace("\n", " ").replace("\t", " ")
    return html.escape(tr('{0}：').format(found.label)) + marked(text, found.spans)


def hit_html(hit: SearchHit) -> str:
    """The row's rich text: the title line (title, chip, year) and the snippet below it."""
    title = _plain(hit.title)
    # The spans were found in the title as stored; they hold in the one-line form where nothing was folded.
    spans = hit.title_spans if title == hit.title else ()
    head = f'<span style="font-weight:600;">{marked(title, spans) if spans else html.escape(title)}</span>'
    head += "&nbsp;&nbsp;" + chip(state_text(hit), hit.closed)
    if hit.year:
        head += f'&nbsp;&nbsp;<span style="color:{MUTED};">{html.escape(tr("{0}年").format(hit.year))}</span>'
    body = snippet_html(hit.snippet)
    below = f'<div style="color:#374151; margin-top:2px;">{body}</div>' if body else ""
    return f"<div>{head}</div>{below}"


def hit_text(hit: SearchHit) -> str:
    """The row as plain text (its accessible name, its tooltip, and what a copy of it gives)."""
    parts = [_plain(hit.title), state_text(hit)]
    if hit.year:
        parts.append(tr("{0}年").format(hit.year))
    line = "  ".join(parts)
    if hit.snippet is not None:
        line += "\n" + tr('{0}：').format(hit.snippet.label) + _plain(hit.snippet.text)
    return line


class ResultDelegate(QStyledItemDelegate):
    """Draws a result row from its rich text, wrapped to the view's width; other rows as usual."""

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(HTML_ROLE)))
        document.setTextWidth(max(width - 2 * PADDING, 80))
        return document

    def _width(self, option: QStyleOptionViewItem) -> int:
        widget = option.widget
        if widget is not None and hasattr(widget, "viewport"):
            return int(widget.viewport().width())
        return option.rect.width()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not index.data(HTML_ROLE):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        painter.save()
        rect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(ACCENT_LIGHT))
            painter.fillRect(rect.x(), rect.y(), 3, rect.height(), QColor(ACCENT))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor("#F3F6FA"))
        document = self._document(option, index, rect.width())
        painter.translate(rect.x() + PADDING, rect.y() + PADDING)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text))
        context.clip = QRectF(0, 0, rect.width() - PADDING, rect.height() - PADDING)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt's name
        if not index.data(HTML_ROLE):
            hint = super().sizeHint(option, index)
            return QSize(hint.width(), hint.height() + 8)
        self.initStyleOption(option, index)
        width = self._width(option)
        document = self._document(option, index, width)
        return QSize(width, int(document.size().height()) + 2 * PADDING + 1)

    def needed_height(self, option: QStyleOptionViewItem, index: Index, width: int) -> int:
        """The height the row's text takes at this width (the tests' check that no row is cut)."""
        self.initStyleOption(option, index)
        return int(self._document(option, index, width).size().height()) + 2 * PADDING


def delegate(parent: QWidget) -> ResultDelegate:
    return ResultDelegate(parent)
