"""督办台账: the supervised items a list showed, as a landscape ledger that runs over many pages.

Landscape A4 with GB/T 9704's 225 mm × 156 mm 版心 turned on its side (§10: the table's head towards the binding
edge), so the 版心 sits 28 mm from the top, 35 mm from the left. On every page: the title, the list's filters
(the subtitle) and the print date, the column headings, and “第 N 页 共 M 页” under the table. Long text wraps
in its cell and is never clipped. A row must fit on one page (reportlab splits a table between rows), so the
ledger holds the requirement and the latest report short, as the list shows them, cut at a word limit with
“……”, and names at most CO_UNITS_SHOWN 协办单位 (“等N个单位”): the full text is on the item's 通知单 and in its
window. A title is at most TITLE_MAX characters (the sheet's rule), which fits; so do the filters, shortened
the same way, above the table.

The columns are the decomposition sheet's (app.core.supervision.ledger_sheet.COLUMNS), then 最新进展 and 状态.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from app.core.supervision.ledger_sheet import COLUMNS
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    SIZE_5,
    SIZE_SMALL_4,
    cjk_style,
    document_info,
    draw_text,
    format_cn_date,
    held_pages_canvas,
)
from app.printing.kit.table_form import LABEL_SHADE, OUTER_RULE, RULE_COLOR, Align, ruled_style
from app.printing.supervision.data import LedgerRow, LedgerSheet

LEDGER_PAGE = landscape(A4)
LEDGER_TOP = 28 * mm
LEDGER_LEFT = 35 * mm
LEDGER_WIDTH = 225 * mm
LEDGER_HEIGHT = 156 * mm
LEDGER_BOTTOM = LEDGER_PAGE[1] - LEDGER_TOP - LEDGER_HEIGHT
TITLE_SIZE = 18.0  # 小二
SUBTITLE_SIZE = SIZE_SMALL_4
TEXT_SIZE = 9.0  # 小五: eleven columns in 225 mm
CELL_PAD = 2.5
FOOTER_GAP = 7 * mm  # where GB/T 9704 puts page numbers under the 版心
# What a state says when the item is late: printed in red, as the lists show it.
LATE_WORD = "逾期"
LATE_RED = colors.HexColor("#C0392B")
FILTERS_NONE = "全部事项"
# How much of the requirement and of the latest report a row shows (about ten lines of its column each).
REQUIREMENT_SHOWN = 100
REPORT_SHOWN = 140
CO_UNITS_SHOWN = 6
FILTERS_SHOWN = 150
ELLIPSIS = "……"


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: float  # points; 0 for the one column that takes what the others leave
    align: Align = "center"


# The sheet's nine columns (their names from core), then the two the ledger adds.
LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn(COLUMNS[0], 9 * mm),  # 序号
    LedgerColumn(COLUMNS[1], 15 * mm),  # 事项来源
    LedgerColumn(COLUMNS[2], 0, "left"),  # 事项名称
    LedgerColumn(COLUMNS[3], 34 * mm, "left"),  # 工作要求
    LedgerColumn(COLUMNS[4], 18 * mm, "left"),  # 牵头单位
    LedgerColumn(COLUMNS[5], 20 * mm, "left"),  # 协办单位
    LedgerColumn(COLUMNS[6], 12 * mm),  # 责任人
    LedgerColumn(COLUMNS[7], 10 * mm),  # 督办类别
    LedgerColumn(COLUMNS[8], 15 * mm),  # 办结时限
    LedgerColumn("最新进展", 42 * mm, "left"),
    LedgerColumn("状态", 13 * mm),
)


def ledger_date(day: date) -> str:
    """A date broken after the year, so a narrow column wraps it where a reader expects."""
    return f"{day.year}年\n{day.month}月{day.day}日"


def shortened(text: str, limit: int) -> str:
    """The text as a list shows it: whole when it is short enough, else its first characters and “……”."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip("，、；。 ") + ELLIPSIS


def co_units_text(units: Sequence[str]) -> str:
    """The 协办单位, or the first CO_UNITS_SHOWN of them and how many there are."""
    if len(units) <= CO_UNITS_SHOWN:
        return "、".join(units)
    return f"{'、'.join(units[:CO_UNITS_SHOWN])}等{len(units)}个单位"


def latest_report_text(row: LedgerRow) -> str:
    if not row.latest_report.strip():
        return "尚未报送进展"
    when = f"（{format_cn_date(row.latest_report_on)}）" if row.latest_report_on else ""
    return f"{shortened(row.latest_report, REPORT_SHOWN)}{when}"


def row_cells(row: LedgerRow) -> list[str]:
    return [
        str(row.serial),
        row.source,
        row.title,
        shortened(row.requirement, REQUIREMENT_SHOWN),
        row.lead_unit,
        co_units_text(row.co_units),
        row.responsible_person,
        row.priority,
        ledger_date(row.deadline),
        latest_report_text(row),
        row.state,
    ]


def subtitle_text(data: LedgerSheet) -> str:
    filters = shortened(data.filters, FILTERS_SHOWN) or FILTERS_NONE
    return f"（{filters}）"


class _Heading:
    """What stands above the table on every page: the title, the filters, the count and the print date."""

    def __init__(self, data: LedgerSheet, fonts: FontSet) -> None:
        self.title = f"{data.office_name.strip()}督办台账"
        self.fonts = fonts
        style = cjk_style("supervision-ledger-filters", fonts.kai, SUBTITLE_SIZE, SUBTITLE_SIZE * 1.4,
                          ALIGNMENTS["center"])
        # The filters can be long (many units chosen): they wrap, centred, instead of running off the page.
        self.filters = Paragraph(fonts.markup(subtitle_text(data), style.fontName), style)
        _, self.filters_height = self.filters.wrap(LEDGER_WIDTH, LEDGER_HEIGHT)
        self.info = (f"共{len(data.rows)}项", f"打印日期：{format_cn_date(data.printed_on)}")

    @property
    def height(self) -> float:
        return TITLE_SIZE * 1.45 + self.filters_height + SIZE_5 * 1.8 + 4

    def draw(self, canvas: Canvas) -> None:
        fonts = self.fonts
        top = LEDGER_BOTTOM + LEDGER_HEIGHT
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setLineJoin(1)
        width = fonts.string_width(self.title, fonts.song, TITLE_SIZE)
        y = top - TITLE_SIZE * 1.45
        # The title thickened like BoldTitle (stroked outline, render mode 2).
        draw_text(canvas, fonts, LEDGER_LEFT + (LEDGER_WIDTH - width) / 2, y + TITLE_SIZE * 0.3, self.title,
                  fonts.song, TITLE_SIZE, mode=2)
        canvas.restoreState()
        y -= self.filters_height
        self.filters.drawOn(canvas, LEDGER_LEFT, y)
        y -= SIZE_5 * 1.6
        left, right = self.info
        draw_text(canvas, fonts, LEDGER_LEFT, y, left, fonts.song, SIZE_5)
        right_width = fonts.string_width(right, fonts.song, SIZE_5)
        draw_text(canvas, fonts, LEDGER_LEFT + LEDGER_WIDTH - right_width, y, right, fonts.song, SIZE_5)


def ledger_table(rows: Sequence[LedgerRow], fonts: FontSet) -> Table:
    fixed = sum(c.width for c in LEDGER_COLUMNS)
    widths = [c.width or (LEDGER_WIDTH - fixed) for c in LEDGER_COLUMNS]
    leading = TEXT_SIZE * 1.35
    head = cjk_style("supervision-ledger-head", fonts.hei, TEXT_SIZE, leading, ALIGNMENTS["center"])
    cell = {a: cjk_style(f"supervision-ledger-{a}", fonts.song, TEXT_SIZE, leading, ALIGNMENTS[a])
            for a in ("left", "center")}
    late = cjk_style("supervision-ledger-late", fonts.hei, TEXT_SIZE, leading, ALIGNMENTS["center"],
                     textColor=LATE_RED)
    data: list[list[Flowable | str]] = [[Paragraph(fonts.markup(c.header, fonts.hei), head) for c in LEDGER_COLUMNS]]
    for row in rows:
        cells = row_cells(row)
        line: list[Flowable | str] = []
        for text, column in zip(cells, LEDGER_COLUMNS, strict=True):
            style = cell["left" if column.align == "left" else "center"]
            if column is LEDGER_COLUMNS[-1] and LATE_WORD in text:
                style = late
            line.append(Paragraph(fonts.markup(text, style.fontName), style))
        data.append(line)
    style_commands = ruled_style(fonts.song, 2.5, 3, CELL_PAD) + [
        ("LINEBELOW", (0, 0), (-1, 0), OUTER_RULE, RULE_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
    ]
    if not rows:
        empty = cell["center"]
        data.append([Paragraph(fonts.markup("没有符合条件的督办事项", empty.fontName), empty)]
                    + [""] * (len(LEDGER_COLUMNS) - 1))
        style_commands.append(("SPAN", (0, 1), (-1, 1)))
    # The headings come back on every page.
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style_commands))
    return table


def page_count_text(number: int, total: int) -> str:
    return f"第 {number} 页 共 {total} 页"


def render_ledger(data: LedgerSheet) -> bytes:
    fonts = resolve_fonts()
    heading = _Heading(data, fonts)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=LEDGER_PAGE,
        leftMargin=LEDGER_LEFT,
        rightMargin=LEDGER_PAGE[0] - LEDGER_LEFT - LEDGER_WIDTH,
        topMargin=LEDGER_TOP,
        bottomMargin=LEDGER_BOTTOM,
        **document_info(f"督办台账{subtitle_text(data)}", data.office_name or "GovDesk", fonts.song),
    )
    frame = Frame(LEDGER_LEFT, LEDGER_BOTTOM, LEDGER_WIDTH, LEDGER_HEIGHT - heading.height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="ledger")

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        heading.draw(canvas)

    def footer(canvas: Canvas, number: int, total: int) -> None:
        text = page_count_text(number, total)
        width = fonts.string_width(text, fonts.song, SIZE_SMALL_4)
        baseline = LEDGER_BOTTOM - FOOTER_GAP - SIZE_SMALL_4 * 0.3
        canvas.saveState()
        draw_text(canvas, fonts, LEDGER_LEFT + (LEDGER_WIDTH - width) / 2, baseline, text, fonts.song, SIZE_SMALL_4)
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="ledger", frames=[frame], onPage=on_page, pagesize=LEDGER_PAGE)])
    doc.build([ledger_table(data.rows, fonts)], canvasmaker=held_pages_canvas(footer))
    return buffer.getvalue()
