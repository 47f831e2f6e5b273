"""The 会议 calendar: a week (days side by side, hours 8:00–18:00 down, widened for a meeting outside them) or a
month (six weeks of days), each meeting a block in its state's colour with its time, name and room. Meetings
at the same time stand side by side. Clicking a meeting opens it; double-clicking a free hour of the week, or
a day of the month, offers a new meeting there. Everything is drawn from the font's measures, so the text size
(中, 大) scales the grid with it.

The meetings are read by the page's fetch (app.services.meetings.listing.meetings_between) off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.core.meetings.flow import CANCELLED, CLOSED, FOLLOW_UP, HELD, PREPARE
from app.services.meetings.listing import MeetingRow
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.theme import ACCENT, BORDER, MUTED, OK, SOON, SURFACE
from app.ui.widgets.messages import show_error

WEEKDAYS = (
    QT_TRANSLATE_NOOP("GovDesk", "周一"), QT_TRANSLATE_NOOP("GovDesk", "周二"), QT_TRANSLATE_NOOP("GovDesk", "周三"),
    QT_TRANSLATE_NOOP("GovDesk", "周四"), QT_TRANSLATE_NOOP("GovDesk", "周五"), QT_TRANSLATE_NOOP("GovDesk", "周六"),
    QT_TRANSLATE_NOOP("GovDesk", "周日"),
)
FIRST_HOUR, LAST_HOUR = 8, 18
MONTH_WEEKS = 6
# A meeting's colour says where it stands: being prepared in the accent, being held in green, its follow-up
# in amber (work still owed), done or called off in grey.
STATE_COLOURS: dict[str, str] = {PREPARE: ACCENT, HELD: OK, FOLLOW_UP: SOON, CLOSED: MUTED, CANCELLED: MUTED}

Fetch = Callable[[date, date], list[MeetingRow]]


def state_colour(row: MeetingRow) -> str:
    return MUTED if row.cancelled else STATE_COLOURS.get(row.state, ACCENT)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_grid_start(day: date) -> date:
    """The Monday on or before the first of day's month: the month view's first cell."""
    return week_start(day.replace(day=1))


def tooltip_text(row: MeetingRow) -> str:
    lines = [row.title, tr("{0}　{1}").format(tr(row.meeting_type), row.time_text), tr("地点：{0}").format(row.where or "—"),
             tr("状态：{0}").format(row.status)]
    if row.host_name:
        lines.insert(2, tr("主持：{0}").format(row.host_name))
    return "\n".join(lines)


@dataclass(frozen=True)
class Block:
    """A meeting as drawn: where, and which meeting."""

    row: MeetingRow
    rect: QRect


def lanes(rows: Sequence[tuple[datetime, datetime, MeetingRow]]) -> list[tuple[MeetingRow, datetime, datetime, int, int]]:
    """Side by side: each meeting with its lane and how many lanes its group of overlapping meetings needs."""
    ordered = sorted(rows, key=lambda r: (r[0], r[1], r[2].id))
    placed: list[tuple[MeetingRow, datetime, datetime, int, int]] = []
    group: list[tuple[MeetingRow, datetime, datetime, int]] = []
    group_end: datetime | None = None

    def close_group() -> None:
        width = max((lane for *_rest, lane in group), default=-1) + 1
        placed.extend((row, start, end, lane, width) for row, start, end, lane in group)
        group.clear()

    for start, end, row in ordered:
        if group_end is not None and start >= group_end:
            close_group()
            group_end = None
        lane_ends: dict[int, datetime] = {}
        for _r, _s, e, lane in group:
            lane_ends[lane] = max(lane_ends.get(lane, e), e)
        lane = next((i for i in range(len(lane_ends) + 1) if i not in lane_ends or lane_ends[i] <= start), 0)
        group.append((row, start, end, lane))
        group_end = end if group_end is None else max(group_end, end)
    close_group()
    return placed


class _Grid(QWidget):
    """What the week and the month share: the blocks drawn, their tooltips and clicks."""

    meetingActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[MeetingRow] = []
        self.first_day = week_start(date.today())
        self.today = date.today()
        self.blocks: list[Block] = []
        self.setMouseTracking(True)

    def show_rows(self, first_day: date, rows: list[MeetingRow], today: date) -> None:
        self.first_day, self.rows, self.today = first_day, rows, today
        self.updateGeometry()
        self.update()

    def block_at(self, point: QPoint) -> Block | None:
        return next((b for b in reversed(self.blocks) if b.rect.contains(point)), None)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            block = self.block_at(event.pos())
            if block is not None:
                QToolTip.showText(event.globalPos(), tooltip_text(block.row), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        over = self.block_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            block = self.block_at(event.position().toPoint())
            if block is not None:
                self.meetingActivated.emit(block.row.id)
                return
        super().mouseReleaseEvent(event)

    def draw_block(self, painter: QPainter, rect: QRect, row: MeetingRow, lines: Sequence[str], *,
                   wrap: int | None = None) -> None:
        """A meeting's block: a light fill and a bar in its state's colour, its lines of text in the block. The
        line numbered ``wrap`` (the name) wraps onto as many lines as the block has room for, keeping one for
        the line after it; the others are cut with … (the tooltip has them whole)."""
        colour = QColor(state_colour(row))
        fill = QColor(colour)
        fill.setAlpha(40)
        painter.fillRect(rect, fill)
        painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), colour)
        painter.setPen(QPen(colour.darker(115)))
        font = painter.font()
        height = QFontMetrics(font).height()
        inner = rect.adjusted(8, 2, -3, -2)
        y = inner.top()
        for index, line in enumerate(lines):
            if y + height > inner.bottom() + 2 and index:
                break
            font.setBold(index == wrap or len(lines) == 1)
            font.setStrikeOut(row.cancelled)
            painter.setFont(font)
            metrics = QFontMetrics(font)
            if index == wrap:
                after = len(lines) - index - 1
                room = max((inner.bottom() + 2 - y) // height - min(after, 1), 1)
                needed = metrics.boundingRect(QRect(0, 0, inner.width(), 10_000),
                                              int(Qt.TextFlag.TextWrapAnywhere), line).height() // height
                used = max(min(room, needed), 1)
                box = QRect(inner.left(), y, inner.width(), used * height)
                if needed > used:
                    # Too long for the block: the lines it has, the last one cut with …
                    shown = _wrap_into(metrics, line, inner.width(), used)
                    painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), shown)
                else:
                    painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                              | Qt.TextFlag.TextWrapAnywhere), line)
                y += used * height
                continue
            shown = metrics.elidedText(line, Qt.TextElideMode.ElideRight, inner.width())
            painter.drawText(QRect(inner.left(), y, inner.width(), height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
            y += height
        font.setBold(False)
        font.setStrikeOut(False)
        painter.setFont(font)
        self.blocks.append(Block(row, rect))


def _wrap_into(metrics: QFontMetrics, text: str, width: int, lines: int) -> str:
    """The text broken into at most this many lines of the width, character by character (Chinese has no
    spaces to break at), the last cut with …"""
    out: list[str] = []
    rest = text
    while rest and len(out) < lines - 1:
        count = len(rest)
        while count > 1 and metrics.horizontalAdvance(rest[:count]) > width:
            count -= 1
        out.append(rest[:count])
        rest = rest[count:]
    if rest:
        out.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return "\n".join(out)


class WeekGrid(_Grid):
    """Seven days side by side, the hours down; a meeting's block spans its hours."""

    slotActivated = Signal(object)

    def hours(self) -> tuple[int, int]:
        """8:00–18:00, widened to hold a meeting that starts earlier or ends later."""
        first, last = FIRST_HOUR, LAST_HOUR
        for row in self.rows:
            start, end = row.local_start, row.local_end
            if start.date() >= self.first_day:
                first = min(first, start.hour)
            if end.date() < self.first_day + timedelta(days=7):
                last = max(last, end.hour + (1 if end.minute else 0))
        return first, min(last, 24)

    def hour_height(self) -> int:
        return max(self.fontMetrics().height() * 3, 48)

    def header_height(self) -> int:
        return self.fontMetrics().height() * 2 + 10

    def gutter(self) -> int:
        return self.fontMetrics().horizontalAdvance("00:00") + 16

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        first, last = self.hours()
        return QSize(self.gutter() + 7 * 120, self.header_height() + (last - first) * self.hour_height() + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.gutter() + 7 * 80, self.sizeHint().height())

    def column_rect(self, index: int) -> QRect:
        width = (self.width() - self.gutter() - 1) / 7
        left = int(self.gutter() + index * width)
        return QRect(left, 0, int(self.gutter() + (index + 1) * width) - left, self.height())

    def y_of(self, moment: datetime, day: date) -> int:
        first, last = self.hours()
        start_of_day = datetime.combine(day, time(first)).astimezone()
        hours = (moment - start_of_day).total_seconds() / 3600
        hours = min(max(hours, 0.0), float(last - first))
        return int(self.header_height() + hours * self.hour_height())

    def time_at(self, point: QPoint) -> datetime | None:
        """The half hour under a point of the grid, for a new meeting there."""
        if point.x() < self.gutter() or point.y() < self.header_height():
            return None
        first, _last = self.hours()
        index = next((i for i in range(7) if self.column_rect(i).contains(QPoint(point.x(), 1))), None)
        if index is None:
            return None
        half_hours = int((point.y() - self.header_height()) / (self.hour_height() / 2))
        day = self.first_day + timedelta(days=index)
        return datetime.combine(day, time(first)) + timedelta(minutes=30 * half_hours)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        point = event.position().toPoint()
        if self.block_at(point) is None:
            moment = self.time_at(point)
            if moment is not None:
                self.slotActivated.emit(moment)
                return
        super().mouseDoubleClickEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = self.fontMetrics()
        first, last = self.hours()
        header, hour = self.header_height(), self.hour_height()
        grid = QColor(BORDER)
        for index in range(7):
            column = self.column_rect(index)
            day = self.first_day + timedelta(days=index)
            if day.weekday() >= 5:
                painter.fillRect(column.adjusted(0, header, 0, 0), QColor(SURFACE))
            head = QRect(column.left(), 0, column.width(), header)
            is_today = day == self.today
            if is_today:
                painter.fillRect(head, QColor(ACCENT))
            painter.setPen(QColor("white") if is_today else QColor(ACCENT))
            painter.drawText(head, int(Qt.AlignmentFlag.AlignCenter),
                             tr("{0}\n{1}月{2}日").format(tr(WEEKDAYS[index]), day.month, day.day))
            painter.setPen(grid)
            painter.drawLine(column.left(), 0, column.left(), self.height())
        painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        for h in range(first, last + 1):
            y = header + (h - first) * hour
            painter.setPen(grid)
            painter.drawLine(self.gutter(), y, self.width(), y)
            if h < 24:
                painter.setPen(QColor(MUTED))
                painter.drawText(QRect(0, y + 2, self.gutter() - 8, metrics.height()),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), f"{h:02d}:00")
        self.blocks = []
        for index in range(7):
            day = self.first_day + timedelta(days=index)
            day_start = datetime.combine(day, time()).astimezone()
            day_end = day_start + timedelta(days=1)
            todays = [(max(r.local_start, day_start), min(r.local_end, day_end), r) for r in self.rows
                      if r.local_start < day_end and r.local_end > day_start]
            column = self.column_rect(index).adjusted(2, 0, -2, 0)
            for row, start, end, lane, width in lanes(todays):
                lane_width = column.width() / width
                top, bottom = self.y_of(start, day), self.y_of(end, day)
                rect = QRect(int(column.left() + lane * lane_width) + 1, top + 1,
                             max(int(lane_width) - 2, 8), max(bottom - top - 2, metrics.height() + 2))
                span = f"{row.local_start:%H:%M}—{row.local_end:%H:%M}"
                if metrics.horizontalAdvance(span) > rect.width() - 11:
                    span = f"{row.local_start:%H:%M}"
                self.draw_block(painter, rect, row, [span, row.title] + ([row.where] if row.where else []), wrap=1)
        painter.end()


class MonthGrid(_Grid):
    """Six weeks of days; each day lists its meetings (时间 and name) as far as the cell holds them, and says how
    many more there are."""

    dayActivated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.month = date.today().replace(day=1)
        # The days whose "还有N个" line was drawn, and where: clicking it opens the day's week.
        self.more: list[tuple[date, QRect]] = []

    def show_month(self, month: date, rows: list[MeetingRow], today: date) -> None:
        self.month = month.replace(day=1)
        self.show_rows(month_grid_start(month), rows, today)

    def header_height(self) -> int:
        return self.fontMetrics().height() + 10

    def line_height(self) -> int:
        return self.fontMetrics().height() + 4

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(7 * 130, self.header_height() + MONTH_WEEKS * self.line_height() * 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(7 * 80, self.header_height() + MONTH_WEEKS * self.line_height() * 3)

    def cell_rect(self, index: int) -> QRect:
        width = (self.width() - 1) / 7
        height = (self.height() - self.header_height() - 1) / MONTH_WEEKS
        column, line = index % 7, index // 7
        left, top = int(column * width), int(self.header_height() + line * height)
        return QRect(left, top, int((column + 1) * width) - left, int(self.header_height() + (line + 1) * height) - top)

    def day_at(self, point: QPoint) -> date | None:
        for index in range(MONTH_WEEKS * 7):
            if self.cell_rect(index).contains(point):
                return self.first_day + timedelta(days=index)
        return None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        point = event.position().toPoint()
        if event.button() == Qt.MouseButton.LeftButton and self.block_at(point) is None:
            for day, rect in self.more:
                if rect.contains(point):
                    self.dayActivated.emit(day)
                    return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        point = event.position().toPoint()
        day = self.day_at(point)
        if day is not None and self.block_at(point) is None:
            self.dayActivated.emit(day)
            return
        super().mouseDoubleClickEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = self.fontMetrics()
        header, line = self.header_height(), self.line_height()
        width = (self.width() - 1) / 7
        painter.setPen(QColor(ACCENT))
        for column in range(7):
            painter.drawText(QRect(int(column * width), 0, int(width), header), int(Qt.AlignmentFlag.AlignCenter),
                             tr(WEEKDAYS[column]))
        by_day: dict[date, list[MeetingRow]] = {}
        for row in self.rows:
            day = row.local_start.date()
            while day <= row.local_end.date():
                by_day.setdefault(day, []).append(row)
                day += timedelta(days=1)
        self.blocks, self.more = [], []
        for index in range(MONTH_WEEKS * 7):
            cell = self.cell_rect(index)
            day = self.first_day + timedelta(days=index)
            in_month = day.month == self.month.month
            if day.weekday() >= 5 or not in_month:
                painter.fillRect(cell, QColor(SURFACE))
            painter.setPen(QColor(BORDER))
            painter.drawRect(cell)
            number = QRect(cell.left() + 4, cell.top() + 2, cell.width() - 8, metrics.height())
            if day == self.today:
                badge = QRect(number.left(), number.top(), metrics.horizontalAdvance("00") + 8, metrics.height())
                painter.fillRect(badge, QColor(ACCENT))
                painter.setPen(QColor("white"))
                painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), str(day.day))
            else:
                painter.setPen(QColor(ACCENT if in_month else MUTED))
                label = str(day.day) if day.day != 1 else tr("{0}月1日").format(day.month)
                painter.drawText(number, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
            meetings = by_day.get(day, [])
            room = max((cell.height() - metrics.height() - 6) // line, 0)
            shown = meetings if len(meetings) <= room else meetings[: max(room - 1, 0)]
            y = number.bottom() + 3
            for row in shown:
                rect = QRect(cell.left() + 3, y, cell.width() - 6, line - 2)
                self.draw_block(painter, rect, row, [f"{row.local_start:%H:%M} {row.title}"])
                y += line
            if len(shown) < len(meetings):
                rect = QRect(cell.left() + 6, y, cell.width() - 12, line - 2)
                painter.setPen(QColor(ACCENT))
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                 tr("还有{0}个…").format(len(meetings) - len(shown)))
                self.more.append((day, rect))
        painter.end()


class CalendarView(QWidget):
    """周/月 with ‹ 今天 ›, the range shown, and a room to show alone; reads its meetings through fetch."""

    meetingActivated = Signal(int)
    newMeetingAt = Signal(object)

    def __init__(self, fetch: Fetch, rooms: Sequence[tuple[str, int]] = (), parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(parent)
        self.fetch = fetch
        self.today = today or date.today()
        self.anchor = self.today
        self.mode = "week"
        self.rows: list[MeetingRow] = []

        self.week_button = QPushButton(tr("周"))
        self.month_button = QPushButton(tr("月"))
        modes = QButtonGroup(self)
        for button in (self.week_button, self.month_button):
            button.setCheckable(True)
            button.setAutoDefault(False)
            modes.addButton(button)
        self.week_button.setChecked(True)
        self.week_button.clicked.connect(lambda: self.set_mode("week"))
        self.month_button.clicked.connect(lambda: self.set_mode("month"))
        self.prev_button = QPushButton(tr("‹ 上一周"))
        self.today_button = QPushButton(tr("今天"))
        self.next_button = QPushButton(tr("下一周 ›"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.range_label = QLabel()
        self.range_label.setStyleSheet(f"font-weight: bold; color: {ACCENT};")
        self.room = QComboBox()
        self.room.addItem(tr("全部会议室"), None)
        for name, room_id in rooms:
            self.room.addItem(name, room_id)
        self.room.setToolTip(tr("只看一个会议室的预订"))
        self.room.currentIndexChanged.connect(lambda _i: self.refresh())
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        bar = QHBoxLayout()
        for widget in (self.week_button, self.month_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        for widget in (self.prev_button, self.today_button, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.range_label)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.room)

        self.week = WeekGrid()
        self.week.meetingActivated.connect(self.meetingActivated)
        self.week.slotActivated.connect(self.newMeetingAt)
        self.week_scroll = QScrollArea()
        self.week_scroll.setWidgetResizable(True)
        self.week_scroll.setWidget(self.week)
        self.month = MonthGrid()
        self.month.meetingActivated.connect(self.meetingActivated)
        self.month.dayActivated.connect(self.open_week_of)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.week_scroll)
        self.stack.addWidget(self.month)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self._show_range()

    # ----- where the calendar stands ---------------------------------------------------------------------------
    def days(self) -> tuple[date, date]:
        """The first and last day the view shows."""
        if self.mode == "week":
            first = week_start(self.anchor)
            return first, first + timedelta(days=6)
        first = month_grid_start(self.anchor)
        return first, first + timedelta(days=MONTH_WEEKS * 7 - 1)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        (self.week_button if mode == "week" else self.month_button).setChecked(True)
        self.stack.setCurrentWidget(self.week_scroll if mode == "week" else self.month)
        self.refresh()

    def step(self, direction: int) -> None:
        if self.mode == "week":
            self.anchor += timedelta(days=7 * direction)
        else:
            month = self.anchor.month - 1 + direction
            self.anchor = date(self.anchor.year + month // 12, month % 12 + 1, 1)
        self.refresh()

    def go_today(self) -> None:
        self.anchor = self.today = date.today()
        self.refresh()

    def show_day(self, day: date, mode: str = "week") -> None:
        self.anchor = day
        self.set_mode(mode)

    def open_week_of(self, day: date) -> None:
        self.show_day(day, "week")

    def _show_range(self) -> None:
        first, last = self.days()
        unit = tr("周") if self.mode == "week" else tr("月")
        self.prev_button.setText(tr("‹ 上一{0}").format(unit))
        self.next_button.setText(tr("下一{0} ›").format(unit))
        if self.mode == "week":
            end = (tr("{0}月{1}日").format(last.month, last.day) if last.year == first.year
                   else tr("{0}年{1}月{2}日").format(last.year, last.month, last.day))
            self.range_label.setText(tr("{0}年{1}月{2}日—{3}").format(first.year, first.month, first.day, end))
        else:
            self.range_label.setText(tr("{0}年{1}月").format(self.anchor.year, self.anchor.month))

    # ----- reading and showing ---------------------------------------------------------------------------------
    def room_id(self) -> int | None:
        value = self.room.currentData()
        return value if isinstance(value, int) else None

    def refresh(self) -> None:
        self._show_range()
        first, last = self.days()
        from app.core.errors import GovDeskError
        from app.ui.widgets.db_call import db_call

        try:
            rows = db_call(self, lambda: self.fetch(first, last))
        except GovDeskError as error:
            show_error(self, error, tr("无法读取会议日历"))
            return
        room = self.room_id()
        self.rows = [r for r in rows if room is None or r.room_id == room]
        if self.mode == "week":
            self.week.show_rows(first, self.rows, self.today)
            shown = self.rows
        else:
            self.month.show_month(self.anchor, self.rows, self.today)
            month = (self.anchor.year, self.anchor.month)
            shown = [r for r in self.rows if month in ((r.local_start.year, r.local_start.month),
                                                       (r.local_end.year, r.local_end.month))]
        self.count_label.setText(tr("共{0}个会议").format(len(shown)) if shown else tr("这段时间没有会议"))
