"""信访台账: the cases of a period (or of a list as filtered), oldest first, as a landscape ledger over many pages.

Landscape A4 with the GB/T 9704 版心 turned on its side (225 mm × 156 mm, 28 mm from the top, 35 mm from the left).
On every page: the title, the period and whether the particulars are masked, the count and the print date, the
column headings, and “第 N 页 共 M 页” under the table. After the last row, the totals: cases, people, repeats,
cases concluded, and the decisions given. A row must fit on one page, so the request is shown as the list shows
it, cut at REQUEST_SHOWN characters with “……” (the whole request is on the case's 登记表).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

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
from app.printing.petitions.data import LedgerRow, LedgerSheet

PAGE = landscape(A4)
TOP = 28 * mm
LEFT = 35 * mm
WIDTH = 225 * mm
HEIGHT = 156 * mm
BOTTOM = PAGE[1] - TOP - HEIGHT
TITLE_SIZE = 18.0  # 小二
TEXT_SIZE = 9.0  # 小五: twelve columns in 225 mm
CELL_PAD = 2.5
FOOTER_GAP = 7 * mm
REQUEST_SHOWN = 80
ELLIPSIS = "……"
EMPTY = "所选期间没有信访件"


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # points; 0 for the one column that takes what the others leave
    align: Align = "center"
    # The heading as printed, broken where a narrow column breaks it ("" for the header itself).
    printed: str = ""


# The ledger's columns; the Excel export (app.services.petitions.ledger) has the same ones, in this order.
COLUMNS: tuple[Column, ...] = (
    Column("序号", 9 * mm),
    Column("编号", 24 * mm),
    Column("登记日期", 15 * mm, printed="登记\n日期"),
    Column("信访方式", 12 * mm, printed="信访\n方式"),
    Column("信访人", 13 * mm),
    Column("联系电话", 22 * mm),
    Column("信访诉求", 0, "left"),
    Column("问题类别", 17 * mm),
    Column("问题属地", 13 * mm, printed="问题\n属地"),
    Column("承办单位", 17 * mm),
    Column("办理状态", 12 * mm, printed="办理\n状态"),
    Column("处理意见", 12 * mm, printed="处理\n意见"),
)


def shortened(text: str, limit: int = REQUEST_SHOWN) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip("，、；。 ") + ELLIPSIS


def row_cells(row: LedgerRow) -> list[str]:
    date = row.received_on
    number = f"{row.number}\n（重复信访）" if row.is_repeat else row.number
    return [
        str(row.serial), number, f"{date.year}年\n{date.month}月{date.day}日", row.channel, row.name, row.phone,
        shortened(row.request), row.category, row.place, row.unit, row.state, row.decision,
    ]


def totals_text(data: LedgerSheet) -> str:
    t = data.totals
    decisions = "，".join(f"{name}{count}件" for name, count in t.by_decision if count)
    text = f"合计：信访件{t.cases}件，涉及{t.people}人次；其中重复信访{t.repeats}件，已办结{t.closed}件"
    return text + (f"；处理意见：{decisions}。" if decisions else "。")


def subtitle_text(data: LedgerSheet) -> str:
    masked = "，信访人联系电话已隐去部分内容" if data.masked else ""
    return f"（{data.period or '全部'}{masked}）"


class _Heading:
    """The title, the period, the count and the print date: above the table on every page."""

    def __init__(self, data: LedgerSheet, fonts: FontSet) -> None:
        self.title = f"{data.office_name.strip()}信访台账"
        self.fonts = fonts
        self.subtitle = subtitle_text(data)
        self.info = (f"共{len(data.rows)}件", f"打印日期：{format_cn_date(data.printed_on)}")

    @property
    def height(self) -> float:
        return TITLE_SIZE * 1.45 + SIZE_SMALL_4 * 1.5 + SIZE_5 * 1.8 + 4

    def draw(self, canvas: Canvas) -> None:
        fonts = self.fonts
        y = BOTTOM + HEIGHT - TITLE_SIZE * 1.45
        canvas.saveState()
        canvas.setLineWidth(0.5)
        width = fonts.string_width(self.title, fonts.song, TITLE_SIZE)
        # Thickened like the kit's BoldTitle (the outline stroked).
        draw_text(canvas, fonts, LEFT + (WIDTH - width) / 2, y + TITLE_SIZE * 0.3, self.title, fonts.song,
                  TITLE_SIZE, mode=2)
        canvas.restoreState()
        y -= SIZE_SMALL_4 * 1.3
        width = fonts.string_width(self.subtitle, fonts.kai, SIZE_SMALL_4)
        draw_text(canvas, fonts, LEFT + (WIDTH - width) / 2, y, self.subtitle, fonts.kai, SIZE_SMALL_4)
        y -= SIZE_5 * 1.8
        left, right = self.info
        draw_text(canvas, fonts, LEFT, y, left, fonts.song, SIZE_5)
        draw_text(canvas, fonts, LEFT + WIDTH - fonts.string_width(right, fonts.song, SIZE_5), y, right, fonts.song,
                  SIZE_5)


def ledger_table(rows: Sequence[LedgerRow], fonts: FontSet) -> Table:
    fixed = sum(c.width for c in COLUMNS)
    widths = [c.width or (WIDTH - fixed) for c in COLUMNS]
    leading = TEXT_SIZE * 1.35
    head = cjk_style("petition-ledger-head", fonts.hei, TEXT_SIZE, leading, ALIGNMENTS["center"])
    cell = {a: cjk_style(f"petition-ledger-{a}", fonts.song, TEXT_SIZE, leading, ALIGNMENTS[a])
            for a in ("left", "center")}
    data: list[list[Flowable | str]] = [[Paragraph(fonts.markup(c.printed or c.header, fonts.hei), head)
                                          for c in COLUMNS]]
    for row in rows:
        line: list[Flowable | str] = []
        for text, column in zip(row_cells(row), COLUMNS, strict=True):
            style = cell["left" if column.align == "left" else "center"]
            line.append(Paragraph(fonts.markup(text, style.fontName), style))
        data.append(line)
    commands = ruled_style(fonts.song, 2.5, 3, CELL_PAD) + [
        ("LINEBELOW", (0, 0), (-1, 0), OUTER_RULE, RULE_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
    ]
    if not rows:
        empty = cell["center"]
        data.append([Paragraph(fonts.markup(EMPTY, empty.fontName), empty)] + [""] * (len(COLUMNS) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    # The headings come back on every page.
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def render_ledger(data: LedgerSheet) -> bytes:
    fonts = resolve_fonts()
    heading = _Heading(data, fonts)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE, leftMargin=LEFT, rightMargin=PAGE[0] - LEFT - WIDTH, topMargin=TOP,
        bottomMargin=BOTTOM, **document_info(f"信访台账{subtitle_text(data)}", data.office_name or "GovDesk", fonts.song),
    )
    frame = Frame(LEFT, BOTTOM, WIDTH, HEIGHT - heading.height, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="ledger")

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        heading.draw(canvas)

    def footer(canvas: Canvas, number: int, total: int) -> None:
        text = f"第 {number} 页 共 {total} 页"
        width = fonts.string_width(text, fonts.song, SIZE_SMALL_4)
        canvas.saveState()
        draw_text(canvas, fonts, LEFT + (WIDTH - width) / 2, BOTTOM - FOOTER_GAP - SIZE_SMALL_4 * 0.3, text, fonts.song,
                  SIZE_SMALL_4)
        canvas.restoreState()

    total_style = cjk_style("petition-ledger-totals", fonts.song, SIZE_5, SIZE_5 * 1.5, ALIGNMENTS["left"])
    doc.addPageTemplates([PageTemplate(id="ledger", frames=[frame], onPage=on_page, pagesize=PAGE)])
    doc.build(
        [ledger_table(data.rows, fonts), Spacer(0, 4), Paragraph(fonts.markup(totals_text(data), fonts.song), total_style)],
        canvasmaker=held_pages_canvas(footer),
    )
    return buffer.getvalue()
