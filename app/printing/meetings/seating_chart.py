"""座次图: where everyone sits, on landscape A4, as the office pins it by the door and hands it to the leaders.

GB/T 9704's 225 mm × 156 mm 版心 turned on its side (as the office's landscape ledgers are). At the top the
meeting's title with 座次图, its time and place, and the legend “（面向主席台，从左至右）”: every row is printed
as the AUDIENCE sees it, so the first seat on the left of the paper is the audience's left. Below, the 主席台 as
a shaded band labelled 主席台, its rows inside (the front row, nearest the hall, lowest), then the hall's rows
(the front row, nearest the 主席台, first), each named in the margin (第1排 …). One box per seat with the name and, under it, the post, both real
text (a reader can search and copy them).

A row is centred, its boxes spaced as those of the longest row of its band (so that they line up): up to
99 boxes in the width, each narrower as there are more, and the type
shrinks with its box so that no text leaves it. Rows that do not fit on the page go on to the next, which
repeats the heading.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import CREATOR, SIZE_5, SIZE_SMALL_4, draw_text
from app.printing.kit.table_form import LABEL_SHADE
from app.printing.meetings.data import Seat, SeatingChart

PAGE = landscape(A4)
TOP = 28 * mm
LEFT = 35 * mm
WIDTH = 225 * mm
HEIGHT = 156 * mm
BOTTOM = PAGE[1] - TOP - HEIGHT
TITLE_SIZE = 18.0  # 小二
LEGEND = "（面向主席台，从左至右）"
DAIS_LABEL = "主\u3000席\u3000台"
HALL_LABEL = "会\u3000场"
DAIS_LABEL_SIZE = 14.0
HALL_LABEL_SIZE = SIZE_SMALL_4
# A seat's box: at most this wide (a short row is not stretched across the page) and a row this tall.
MAX_PITCH = 30 * mm
MAX_ROW = 18 * mm
MIN_ROW = 8 * mm
BOX_SHARE = 0.88  # of the pitch: the rest is the gap between boxes
NAME_SIZE = 14.0
POST_SHARE = 0.72  # the post's type against the name's
LINE = 1.18  # a line's height against its type size
SEAT_RULE = 0.8
EMPTY_GREY = colors.HexColor("#9A9A9A")
CONTINUED = "（续）"
ROW_LABEL_GAP = 2 * mm


def chart_title(data: SeatingChart) -> str:
    return f"{data.meeting.title}座次图"


def info_text(data: SeatingChart) -> str:
    meeting = data.meeting
    place = f"\u3000\u3000地点：{meeting.place}" if meeting.place.strip() else ""
    return f"时间：{meeting.span}{place}"


@dataclass(frozen=True)
class SeatText:
    """What one box says and at which sizes, so that both lines fit inside it."""

    name: str
    post: str
    name_size: float
    post_size: float


def fit_text(seat: Seat, box_width: float, box_height: float, fonts: FontSet) -> SeatText:
    """The name (and the post under it) at the largest sizes, up to NAME_SIZE, that keep them in the box."""
    pad = min(2.0, box_width * 0.08)
    room_x = box_width - 2 * pad
    room_y = box_height - 2 * pad
    name, post = seat.name.strip(), seat.post.strip()
    name_size = NAME_SIZE
    if name:
        name_size = min(name_size, room_x / max(fonts.string_width(name, fonts.hei, 1), 1e-6))
    post_size = name_size * POST_SHARE
    if post:
        post_size = min(post_size, room_x / max(fonts.string_width(post, fonts.song, 1), 1e-6))
    lines = (name_size if name else 0) + (post_size if post else 0)
    if lines * LINE > room_y:
        scale = room_y / (lines * LINE)
        name_size, post_size = name_size * scale, post_size * scale
    return SeatText(name, post, name_size, post_size)


class _Page:
    """One page being drawn: its heading, then bands of rows from the top down."""

    def __init__(self, canvas: Canvas, fonts: FontSet, data: SeatingChart, continued: bool) -> None:
        self.canvas, self.fonts = canvas, fonts
        self.y = BOTTOM + HEIGHT
        title = chart_title(data) + (CONTINUED if continued else "")
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setLineJoin(1)
        self.y -= TITLE_SIZE * 1.2
        self.centred(title, fonts.song, TITLE_SIZE, mode=2)  # thickened like BoldTitle
        canvas.restoreState()
        self.y -= SIZE_SMALL_4 * 1.7
        self.centred(info_text(data), fonts.fang, SIZE_SMALL_4)
        self.y -= SIZE_5 * 1.7
        self.centred(LEGEND, fonts.kai, SIZE_5)
        self.y -= SIZE_5 * 1.2

    def centred(self, text: str, font: str, size: float, mode: int = 0) -> None:
        width = self.fonts.string_width(text, font, size)
        draw_text(self.canvas, self.fonts, LEFT + (WIDTH - width) / 2, self.y, text, font, size, mode=mode)

    def draw_row(self, seats: Sequence[Seat], row_height: float, pitch: float, label: str = "") -> None:
        """One row of boxes centred across the 版心, its top at self.y, a box every ``pitch``; ``label`` (第3排)
        in the margin to the left of the 版心, where it never meets a box."""
        canvas, fonts = self.canvas, self.fonts
        if label:
            size = min(SIZE_5, row_height * 0.6)
            width = fonts.string_width(label, fonts.kai, size)
            draw_text(canvas, fonts, LEFT - ROW_LABEL_GAP - width, self.y - (row_height + size * 0.7) / 2, label,
                      fonts.kai, size)
        box_width = pitch * BOX_SHARE
        box_height = row_height * 0.84
        x = LEFT + (WIDTH - pitch * len(seats)) / 2 + (pitch - box_width) / 2
        bottom = self.y - (row_height + box_height) / 2
        for seat in seats:
            canvas.saveState()
            canvas.setLineWidth(min(SEAT_RULE, box_width / 12))
            if seat.empty:
                canvas.setStrokeColor(EMPTY_GREY)
                canvas.setDash(2, 2)
            canvas.setFillColor(colors.white)
            canvas.rect(x, bottom, box_width, box_height, stroke=1, fill=1)
            canvas.restoreState()
            if not seat.empty:
                self._seat_text(fit_text(seat, box_width, box_height, fonts), x, bottom, box_width, box_height)
            x += pitch
        self.y -= row_height

    def _seat_text(self, text: SeatText, x: float, bottom: float, width: float, height: float) -> None:
        fonts = self.fonts
        lines = [(text.name, fonts.hei, text.name_size)] if text.name else []
        if text.post:
            lines.append((text.post, fonts.song, text.post_size))
        block = sum(size * LINE for _, _, size in lines)
        top = bottom + (height + block) / 2
        for words, font, size in lines:
            top -= size * LINE
            baseline = top + size * (LINE - 1) / 2 + size * 0.14  # the glyphs' descent sits above the line
            line_width = fonts.string_width(words, font, size)
            draw_text(self.canvas, fonts, x + (width - line_width) / 2, baseline, words, font, size)


def hall_row_label(number: int) -> str:
    return f"第{number}排"


def band_pitch(rows: Sequence[Sequence[Seat]]) -> float:
    """One pitch for all the rows of the 主席台 (or of the hall), so that their boxes line up: the longest
    row's share of the width, at most MAX_PITCH."""
    return min(MAX_PITCH, WIDTH / max(len(row) for row in rows))


def _row_height(data: SeatingChart, room: float) -> float:
    rows = len(data.dais) + len(data.hall)
    return max(MIN_ROW, min(MAX_ROW, room / max(rows, 1)))


def render_seating_chart(data: SeatingChart) -> bytes:
    fonts = resolve_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, initialFontName=fonts.song, lang="zh-CN")
    canvas.setTitle(chart_title(data))
    canvas.setAuthor(data.meeting.office_name or "GovDesk")
    canvas.setCreator(CREATOR)
    page = _Page(canvas, fonts, data, continued=False)
    dais_label = DAIS_LABEL_SIZE * 1.8
    hall_label = HALL_LABEL_SIZE * 1.8
    band_pad = 2 * mm
    fixed = (dais_label + 2 * band_pad + 4 * mm if data.dais else 0) + (hall_label if data.hall else 0)
    row_height = _row_height(data, page.y - BOTTOM - fixed)
    if data.dais:
        band_top = page.y
        band_height = dais_label + 2 * band_pad + row_height * len(data.dais)
        canvas.saveState()
        canvas.setFillColor(LABEL_SHADE)
        canvas.setLineWidth(1.0)
        canvas.rect(LEFT, band_top - band_height, WIDTH, band_height, stroke=1, fill=1)
        canvas.restoreState()
        page.y -= DAIS_LABEL_SIZE * 1.3
        page.centred(DAIS_LABEL, fonts.hei, DAIS_LABEL_SIZE)
        page.y = band_top - dais_label - band_pad
        # The front row is nearest the hall: printed lowest in the band.
        for row in reversed(data.dais):
            page.draw_row(row, row_height, band_pitch(data.dais))
        page.y = band_top - band_height - 4 * mm
    if data.hall:
        page.y -= HALL_LABEL_SIZE * 1.3
        page.centred(HALL_LABEL, fonts.hei, HALL_LABEL_SIZE)
        page.y -= hall_label - HALL_LABEL_SIZE * 1.3
        for number, row in enumerate(data.hall, start=1):
            if page.y - row_height < BOTTOM:
                canvas.showPage()
                page = _Page(canvas, fonts, data, continued=True)
            page.draw_row(row, row_height, band_pitch(data.hall), hall_row_label(number))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
