"""The 座次图 as a QGraphicsScene, seen from the audience: the 主席台 rows at the top, the hall's rows below them
(the front row first), each seat a card with the name and the post, left to right as the audience sees it. A
card dragged onto another seat asks for the move (``moved``); the tab calls the service and draws the plan again,
so the picture is always the stored plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QWidget,
)

from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.theme import ACCENT, ACCENT_LIGHT, BORDER, MUTED

GAP = 10
ROW_GAP = 16
ZONE_GAP = 40
PAD = 10
ROW_NUMBERS = QT_TRANSLATE_NOOP("GovDesk", "一二三四五六七八九十")


class Seat(Protocol):
    """A seat as the service gives it (app.services.meetings.seating.SeatView)."""

    @property
    def attendee_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def post(self) -> str: ...
    @property
    def label(self) -> str: ...


@dataclass(frozen=True)
class Slot:
    zone: str
    index: int
    rect: QRectF


def row_name(row: int) -> str:
    number = ROW_NUMBERS[row] if row < 10 else str(row + 1)
    return tr("第{0}排").format(number)


class SeatCard(QGraphicsRectItem):
    """One attendee's seat: name over post. Dragged and let go over another seat, it asks the scene to move."""

    def __init__(self, seat: Seat, zone: str, index: int, rect: QRectF, fonts: tuple[QFont, QFont],
                 movable: bool) -> None:
        super().__init__(QRectF(0, 0, rect.width(), rect.height()))
        self.attendee_id, self.zone, self.index = seat.attendee_id, zone, index
        self.name = seat.name or seat.label
        self.post = seat.post
        self.home = rect.topLeft()
        self.setPos(self.home)
        self.setBrush(QBrush(QColor(ACCENT_LIGHT if zone == "dais" else "white")))
        self.setPen(QPen(QColor(ACCENT if zone == "dais" else BORDER), 1.5))
        self.setToolTip(seat.label)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, movable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, movable)
        if movable:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        name_font, post_font = fonts
        name = QGraphicsSimpleTextItem(_elide(self.name, name_font, rect.width() - 2 * PAD), self)
        name.setFont(name_font)
        post = QGraphicsSimpleTextItem(_elide(self.post, post_font, rect.width() - 2 * PAD), self)
        post.setFont(post_font)
        post.setBrush(QBrush(QColor(MUTED)))
        name_height = QFontMetrics(name_font).height()
        post_height = QFontMetrics(post_font).height() if self.post else 0
        top = (rect.height() - name_height - post_height) / 2
        name.setPos((rect.width() - name.boundingRect().width()) / 2, top)
        post.setPos((rect.width() - post.boundingRect().width()) / 2, top + name_height)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.setZValue(1)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        self.setZValue(0)
        centre = self.sceneBoundingRect().center()
        scene = self.scene()
        # Back home in every case: a move taken is drawn anew from the stored plan.
        self.setPos(self.home)
        if isinstance(scene, SeatingScene):
            scene.dropped(self, centre)


def _elide(text: str, font: QFont, width: float) -> str:
    return QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, int(width))


class SeatingScene(QGraphicsScene):
    """The plan drawn; ``moved(attendee_id, zone, index)`` when a card is dropped on another seat."""

    moved = Signal(int, str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots: list[Slot] = []
        self.cards: dict[int, SeatCard] = {}

    def show_plan(self, dais: Sequence[Sequence[Seat]], hall: Sequence[Sequence[Seat]], movable: bool) -> None:
        # Quietly: the selection going with the old cards is no news to the tab, which asks again after.
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        self.slots, self.cards = [], {}
        base = QApplication.font()
        name_font = QFont(base)
        name_font.setBold(True)
        post_font = QFont(base)
        post_font.setPointSizeF(max(base.pointSizeF() - 2, 7))
        fonts = (name_font, post_font)
        seats = [seat for rows in (dais, hall) for row in rows for seat in row]
        metrics, small = QFontMetrics(name_font), QFontMetrics(post_font)
        widest = max([metrics.horizontalAdvance(s.name or s.label) for s in seats] +
                     [small.horizontalAdvance(s.post) for s in seats] + [metrics.horizontalAdvance(tr("某某某某"))])
        width = min(widest, metrics.horizontalAdvance(tr("某")) * 9) + 2 * PAD
        height = metrics.height() + small.height() + 2 * PAD
        # One place more than the longest row: where a card goes last in its zone.
        per_row = max([len(row) for rows in (dais, hall) for row in rows] + [1]) + (1 if movable else 0)
        label_width = metrics.horizontalAdvance(row_name(0)) + GAP * 2
        full = label_width + per_row * (width + GAP)
        y = 0.0
        y = self._caption(tr("主席台"), full, y, name_font)
        y = self._zone("dais", dais, fonts, (width, height), full, label_width, y, movable, numbered=False)
        y += ZONE_GAP - ROW_GAP
        y = self._caption(tr("会场"), full, y, name_font)
        y = self._zone("hall", hall, fonts, (width, height), full, label_width, y, movable, numbered=True)
        note = self.addSimpleText(tr("（从会场方向看：左侧为观众的左手边，主席台面向会场）"), post_font)
        note.setBrush(QBrush(QColor(MUTED)))
        note.setPos((full - note.boundingRect().width()) / 2, y + GAP)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-GAP, -GAP, GAP, GAP))

    def _caption(self, text: str, full: float, y: float, font: QFont) -> float:
        caption = self.addSimpleText(text, font)
        caption.setBrush(QBrush(QColor(ACCENT)))
        caption.setPos((full - caption.boundingRect().width()) / 2, y)
        return y + caption.boundingRect().height() + GAP

    def _zone(self, zone: str, rows: Sequence[Sequence[Seat]], fonts: tuple[QFont, QFont], size: tuple[float, float],
              full: float, label_width: float, y: float, movable: bool, *, numbered: bool) -> float:
        width, height = size
        index = 0
        rows = [row for row in rows if row]
        end: QRectF | None = None
        for number, row in enumerate(rows):
            row_width = len(row) * (width + GAP) - GAP
            x = label_width + (full - label_width - row_width) / 2
            if numbered:
                # The row's number just left of its first seat.
                label = self.addSimpleText(row_name(number), fonts[1])
                label.setBrush(QBrush(QColor(MUTED)))
                label.setPos(x - GAP - label.boundingRect().width(), y + (height - label.boundingRect().height()) / 2)
            for seat in row:
                rect = QRectF(x, y, width, height)
                self.slots.append(Slot(zone, index, rect))
                card = SeatCard(seat, zone, index, rect, fonts, movable)
                self.addItem(card)
                self.cards[seat.attendee_id] = card
                index += 1
                x += width + GAP
            end = QRectF(x, y, width, height)
            y += height + ROW_GAP
        if movable:
            # Past the last seat: a card dropped here goes last in the zone (and an empty zone can be filled).
            if end is None:
                end = QRectF(label_width + (full - label_width - width) / 2, y, width, height)
                y += height + ROW_GAP
            self.slots.append(Slot(zone, index, end))
            place = self.addRect(end, QPen(QColor(BORDER), 1, Qt.PenStyle.DashLine))
            place.setToolTip(tr("拖到这里，排在{0}最后").format(tr("主席台") if zone == "dais" else tr("会场")))
            mark = self.addSimpleText(tr("排在最后"), fonts[1])
            mark.setBrush(QBrush(QColor(MUTED)))
            mark.setPos(end.center() - mark.boundingRect().center())
        elif end is None:
            empty = self.addSimpleText(tr("（无）"), fonts[1])
            empty.setBrush(QBrush(QColor(MUTED)))
            empty.setPos((full - empty.boundingRect().width()) / 2, y)
            y += empty.boundingRect().height() + ROW_GAP
        return y

    def slot_at(self, point: QPointF) -> Slot | None:
        return next((slot for slot in self.slots if slot.rect.contains(point)), None)

    def dropped(self, card: SeatCard, centre: QPointF) -> None:
        target = self.slot_at(centre)
        if target is None or (target.zone, target.index) == (card.zone, card.index):
            return
        self.moved.emit(card.attendee_id, target.zone, target.index)

    def order(self, zone: str) -> list[int]:
        """The attendees of a zone as drawn, from the audience's left, row by row."""
        cards = sorted((c for c in self.cards.values() if c.zone == zone), key=lambda c: c.index)
        return [c.attendee_id for c in cards]
