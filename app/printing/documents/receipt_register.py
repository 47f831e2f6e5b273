"""收文登记簿: the register of documents received in a period, as a landscape ledger that runs over many pages.

The module also holds the ledger itself (``ledger_pdf``), shared with the 归档文件目录: landscape A4, the
title and the lines above the table on every page, the column headings repeated on every page, and
“第 N 页 共 M 页” at the foot.

Page measures: GB/T 9704-2012 §10 turns a table page on its side and keeps the 版心, with the table's head
towards the binding edge. The 225 mm × 156 mm type area therefore sits 28 mm from the top (the 订口),
26 mm from the foot, 35 mm from the left and 37 mm from the right.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.core.errors import ValidationError
from app.printing.documents.outgoing_draft import CLASSIFICATION, DocNumber, cell_style, check_urgency, number_text
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    SIZE_5,
    SIZE_SMALL_4,
    document_info,
    draw_text,
    format_cn_date,
    held_pages_canvas,
)
from app.printing.kit.table_form import LABEL_SHADE, OUTER_RULE, RULE_COLOR, Align, ruled_style

LEDGER_PAGE = landscape(A4)
LEDGER_TOP = 28 * mm
LEDGER_LEFT = 35 * mm
LEDGER_WIDTH = 225 * mm
LEDGER_HEIGHT = 156 * mm
LEDGER_BOTTOM = LEDGER_PAGE[1] - LEDGER_TOP - LEDGER_HEIGHT
LEDGER_TITLE_SIZE = 18.0  # 小二: a one-line title with its period fits the 225 mm line
LEDGER_SUBTITLE_SIZE = 14.0
LEDGER_TEXT_SIZE = 9.0  # 小五: a register's twelve columns in 225 mm
# The footer line sits 7 mm below the type area, as GB/T 9704 places page numbers.
FOOTER_GAP = 7 * mm
PROVISIONAL_SIGN = "※"
CELL_PAD = 3.0


@dataclass(frozen=True)
class LedgerColumn:
    header: str
    width: float  # points; one column may be 0, meaning “what the others leave”
    align: Align = "center"


@dataclass(frozen=True)
class ExtraPage:
    """A page drawn straight on the canvas before or after the ledger, such as a cover or a 备考表.

    Such pages carry no heading and no page number: “第 N 页 共 M 页” counts the ledger's own pages.
    """

    draw: Callable[[Canvas], None]
    pagesize: tuple[float, float] = LEDGER_PAGE


def page_count_text(number: int, total: int) -> str:
    return f"第 {number} 页 共 {total} 页"


def _title_lines(title: str, subtitle: str, fonts: FontSet) -> list[tuple[str, float, str]]:
    """(text, size, font) lines of the heading: title and period on one line when they fit, else two."""
    one_line = title + subtitle
    if subtitle and fonts.string_width(one_line, fonts.song, LEDGER_TITLE_SIZE) <= LEDGER_WIDTH:
        return [(one_line, LEDGER_TITLE_SIZE, fonts.song)]
    lines = [(title, LEDGER_TITLE_SIZE, fonts.song)]
    if subtitle:
        lines.append((subtitle, LEDGER_SUBTITLE_SIZE, fonts.kai))
    return lines


class _Heading:
    """What is drawn above the table on every page: the title (thickened like BoldTitle) and the info line."""

    def __init__(self, title: str, subtitle: str, info: tuple[str, str], fonts: FontSet) -> None:
        self.lines = _title_lines(title, subtitle, fonts)
        self.info = info
        self.fonts = fonts

    @property
    def height(self) -> float:
        titles = sum(size * 1.45 for _, size, _ in self.lines)
        return titles + (SIZE_5 * 1.8 if any(self.info) else 0) + 4

    def draw(self, canvas: Canvas) -> None:
        fonts = self.fonts
        top = LEDGER_BOTTOM + LEDGER_HEIGHT
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setLineJoin(1)
        y = top
        for text, size, font in self.lines:
            y -= size * 1.45
            width = fonts.string_width(text, font, size)
            mode = 2 if size == LEDGER_TITLE_SIZE else 0
            draw_text(canvas, fonts, LEDGER_LEFT + (LEDGER_WIDTH - width) / 2, y + size * 0.3, text, font, size, mode)
        # The stroked render mode is part of the graphics state: restore it, or the info line is drawn bold too.
        canvas.restoreState()
        left, right = self.info
        y -= SIZE_5 * 1.6
        if left:
            draw_text(canvas, fonts, LEDGER_LEFT, y, left, fonts.song, SIZE_5)
        if right:
            width = fonts.string_width(right, fonts.song, SIZE_5)
            draw_text(canvas, fonts, LEDGER_LEFT + LEDGER_WIDTH - width, y, right, fonts.song, SIZE_5)


_DOT = "\u00b7"


def cell_markup(text: str, fonts: FontSet) -> str:
    """Cell text in 宋体, with the 间隔号 · at half a character's width (DA/T 13), as in J012-WS·2026-Y-0001.

    Some Song faces (the bundled one among them) draw · a full character wide, which opens a gap in a 档号;
    the 楷体 face's narrow dot is used instead wherever the Song one is wider than half a character.
    """
    markup = fonts.markup(text, fonts.song)
    if _DOT in markup and fonts.string_width(_DOT, fonts.song, 10) > 6:
        markup = markup.replace(_DOT, f'<font face="{fonts.kai}">{_DOT}</font>')
    return markup


def ledger_table(
    columns: Sequence[LedgerColumn],
    rows: Sequence[Sequence[str]],
    fonts: FontSet,
    *,
    empty_text: str,
    size: float = LEDGER_TEXT_SIZE,
) -> Table:
    fixed = sum(c.width for c in columns)
    widths = [c.width or (LEDGER_WIDTH - fixed) for c in columns]
    head = cell_style("ledger-head", fonts.hei, size, "center")
    data: list[list[Flowable | str]] = [[Paragraph(fonts.markup(c.header, fonts.hei), head) for c in columns]]
    styles = {align: cell_style(f"ledger-{align}", fonts.song, size, align) for align in ("left", "center")}
    for record in rows:
        data.append(
            [
                Paragraph(cell_markup(text, fonts), styles["left" if c.align == "left" else "center"])
                for text, c in zip(record, columns, strict=True)
            ]
        )
    style = ruled_style(fonts.song, 2.5, 3, CELL_PAD) + [
        ("LINEBELOW", (0, 0), (-1, 0), OUTER_RULE, RULE_COLOR),
        ("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4.5),
    ]
    if not rows:
        empty = cell_style("ledger-empty", fonts.song, size, "center")
        data.append([Paragraph(fonts.markup(empty_text, fonts.song), empty)] + [""] * (len(columns) - 1))
        style.append(("SPAN", (0, 1), (-1, 1)))
    # The headings come back at the top of every page.
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def ledger_pdf(
    *,
    title: str,
    subtitle: str,
    info: tuple[str, str],
    columns: Sequence[LedgerColumn],
    rows: Sequence[Sequence[str]],
    empty_text: str,
    pdf_title: str,
    author: str,
    fonts: FontSet | None = None,
    front: Sequence[ExtraPage] = (),
    back: Sequence[ExtraPage] = (),
) -> bytes:
    """A landscape ledger: the heading and info line on every page, the table, and 第 N 页 共 M 页 at the foot.

    info is the (left, right) line just above the table, e.g. the 全宗号 and 年度 of a catalogue. front and back
    are whole pages before and after the table (a catalogue's cover, its 备考表).
    """
    fonts = fonts or resolve_fonts()
    heading = _Heading(title, subtitle, info, fonts)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=LEDGER_PAGE,
        leftMargin=LEDGER_LEFT,
        rightMargin=LEDGER_PAGE[0] - LEDGER_LEFT - LEDGER_WIDTH,
        topMargin=LEDGER_TOP,
        bottomMargin=LEDGER_BOTTOM,
        **document_info(pdf_title, author, fonts.song),
    )
    frame = Frame(
        LEDGER_LEFT,
        LEDGER_BOTTOM,
        LEDGER_WIDTH,
        LEDGER_HEIGHT - heading.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="ledger",
    )

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        heading.draw(canvas)

    def draw_footer(canvas: Canvas, number: int, total: int) -> None:
        if not len(front) < number <= total - len(back):
            return
        text = page_count_text(number - len(front), total - len(front) - len(back))
        baseline = LEDGER_BOTTOM - FOOTER_GAP - SIZE_SMALL_4 * 0.3
        width = fonts.string_width(text, fonts.song, SIZE_SMALL_4)
        canvas.saveState()
        draw_text(canvas, fonts, LEDGER_LEFT + (LEDGER_WIDTH - width) / 2, baseline, text, fonts.song, SIZE_SMALL_4)
        canvas.restoreState()

    ledger = PageTemplate(id="ledger", frames=[frame], onPage=on_page, pagesize=LEDGER_PAGE)
    extras = [("front", i, page) for i, page in enumerate(front)] + [("back", i, page) for i, page in enumerate(back)]
    templates = {f"{side}{i}": _extra_template(f"{side}{i}", page) for side, i, page in extras}
    order = [f"front{i}" for i in range(len(front))] + ["ledger"] + [f"back{i}" for i in range(len(back))]
    # The first template in the list is the first page's.
    doc.addPageTemplates([templates.get(name, ledger) for name in order])
    story: list[Flowable] = []
    for index, name in enumerate(order):
        if name == "ledger":
            story.append(ledger_table(columns, rows, fonts, empty_text=empty_text))
        else:
            # A page whose frame holds nothing is not started; one point of space starts it.
            story.append(Spacer(1, 1))
        if index + 1 < len(order):
            story += [NextPageTemplate(order[index + 1]), PageBreak()]
    doc.build(story, canvasmaker=held_pages_canvas(draw_footer))
    return buffer.getvalue()


def _extra_template(name: str, page: ExtraPage) -> PageTemplate:
    width, height = page.pagesize
    frame = Frame(0, 0, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)
    return PageTemplate(id=name, frames=[frame], onPage=lambda canvas, _doc: page.draw(canvas), pagesize=page.pagesize)


# ----- the register --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One incoming document as registered (登记); due_provisional as in IncomingSlipData."""

    receipt_number: DocNumber | str
    received_on: date
    source_unit: str
    source_number: str
    title: str
    copies: int | None = None
    urgency: str = ""
    handling_unit: str = ""
    due_date: date | None = None
    due_provisional: bool = False
    completed_on: date | None = None
    remark: str = ""

    def __post_init__(self) -> None:
        # Frozen: setting the canonical value (无 → "") is part of construction.
        object.__setattr__(self, "urgency", check_urgency(self.urgency))


@dataclass(frozen=True)
class ReceiptRegisterData:
    office_name: str
    period_start: date
    period_end: date
    rows: Sequence[RegisterRow] = ()

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValidationError("登记期间的结束日期不能早于开始日期", field="period_end")


REGISTER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("收文编号", 19 * mm),
    LedgerColumn("收文日期", 16 * mm),
    LedgerColumn("来文单位", 25 * mm, "left"),
    LedgerColumn("来文字号", 23 * mm),
    LedgerColumn("标题", 0, "left"),
    LedgerColumn("份数", 9 * mm),
    LedgerColumn("密级", 12 * mm),
    LedgerColumn("缓急", 9 * mm),
    LedgerColumn("承办单位", 23 * mm, "left"),
    LedgerColumn("办理时限", 16 * mm),
    LedgerColumn("办结日期", 16 * mm),
    LedgerColumn("备注", 14 * mm, "left"),
)
PROVISIONAL_NOTE = f"注：标{PROVISIONAL_SIGN}的办理时限所在年度节假日安排待国务院公布，暂按周末和元旦、劳动节、国庆节法定假日及管理员录入的节假日推算，公布后以实际为准。"


def ledger_date(d: date | None) -> str:
    """A full date broken after the year, so that a narrow column wraps it where a reader expects."""
    if d is None:
        return ""
    return f"{d.year}年\n{d.month}月{d.day}日"


def period_text(start: date, end: date) -> str:
    return f"（{format_cn_date(start)}至{format_cn_date(end)}）"


def number_lines(text: str, width: float, fonts: FontSet, size: float = LEDGER_TEXT_SIZE) -> str:
    """A document number broken where it reads well (before 〔 or after 〕) when it needs two lines.

    Left to itself, CJK wrapping breaks anywhere, even inside the year: 市应急函〔20 / 26〕44号.
    """
    room = width - 2 * CELL_PAD

    def fits(part: str) -> bool:
        return fonts.string_width(part, fonts.song, size) <= room

    if fits(text) or "\u3014" not in text or "\u3015" not in text:
        return text
    head, _, tail = text.partition("\u3014")
    if fits("\u3014" + tail):
        return f"{head}\n\u3014{tail}"
    year, _, rest = tail.partition("\u3015")
    return f"{head}\u3014{year}\u3015\n{rest}"


def register_rows(rows: Sequence[RegisterRow], fonts: FontSet) -> list[list[str]]:
    receipt_width, source_width = REGISTER_COLUMNS[0].width, REGISTER_COLUMNS[3].width
    result = []
    for row in rows:
        due = ledger_date(row.due_date)
        if row.due_date and row.due_provisional:
            due += PROVISIONAL_SIGN
        result.append(
            [
                number_lines(number_text(row.receipt_number, lenient=True), receipt_width, fonts),
                ledger_date(row.received_on),
                row.source_unit,
                number_lines(number_text(row.source_number, lenient=True), source_width, fonts),
                row.title,
                "" if row.copies is None else str(row.copies),
                CLASSIFICATION,
                row.urgency,
                row.handling_unit,
                due,
                ledger_date(row.completed_on),
                row.remark,
            ]
        )
    return result


def render_receipt_register(data: ReceiptRegisterData) -> bytes:
    fonts = resolve_fonts()
    period = period_text(data.period_start, data.period_end)
    provisional = any(row.due_provisional and row.due_date for row in data.rows)
    return ledger_pdf(
        title=f"{data.office_name}收文登记簿",
        subtitle=period,
        # The note explains the mark on every page it may appear on.
        info=(PROVISIONAL_NOTE if provisional else "", f"共{len(data.rows)}件"),
        columns=REGISTER_COLUMNS,
        rows=register_rows(data.rows, fonts),
        empty_text="本期无收文",
        pdf_title=f"收文登记簿{period}",
        author=data.office_name or "GovDesk",
        fonts=fonts,
    )

