"""Archiving forms of DA/T 22-2015 《归档文件整理规则》: a sheet of 归档章 to cut out, and the 归档文件目录.

The 归档章 is 45 mm × 16 mm, six cells of 15 mm × 8 mm: 全宗号, 年度, 件号 above; 机构（问题）, 保管期限, 页数
below (DA/T 22-2015, 附录 B). The sheet prints them at that size, in red rules like the stamp's red ink, with
the values in black like the carbon ink they are filled in with, and a cutting line around each.

The 保管期限 cell carries the period's name as DA/T 22 lists it (永久, 定期30年, 定期10年) rather than its code:
it reads the same to everyone who handles the file, and it fits the 15 mm cell.

The 归档文件目录 is a landscape ledger (DA/T 22: the catalogue's pages are best set landscape), with the 档号
of each 件 built by app.core.archives.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.core.archives import (
    RETENTIONS,
    format_archive_code,
    format_archive_date,
    retention_code,
    retention_name,
)
from app.core.errors import ValidationError
from app.printing.documents.outgoing_draft import DocNumber, number_text
from app.printing.documents.receipt_register import (
    LEDGER_PAGE,
    ExtraPage,
    LedgerColumn,
    ledger_pdf,
    number_lines,
    page_count_text,
)
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    LEFT_MARGIN,
    PAGE_HEIGHT,
    SIZE_2,
    SIZE_3,
    SIZE_5,
    SIZE_SMALL_4,
    TOP_MARGIN,
    TYPE_AREA_HEIGHT,
    TYPE_AREA_WIDTH,
    draw_text,
    format_cn_date,
)

STAMP_CELL_WIDTH = 15 * mm
STAMP_CELL_HEIGHT = 8 * mm
STAMP_WIDTH = 3 * STAMP_CELL_WIDTH
STAMP_HEIGHT = 2 * STAMP_CELL_HEIGHT
STAMP_RED = colors.HexColor("#C00000")
CUT_GREY = colors.HexColor("#9A9A9A")
# Room around each stamp for the scissors: the cutting line runs this far outside the red frame.
CUT_MARGIN = 2 * mm
STAMP_COLUMNS = 3
CAPTION_SIZE = 6.5
STAMP_PITCH_Y = STAMP_HEIGHT + 2 * CUT_MARGIN + 6 * mm
STAMP_VALUE_SIZE = SIZE_5
STAMP_MIN_SIZE = 5.0
STAMP_LABELS: tuple[tuple[str, str, str], tuple[str, str, str]] = (
    ("全宗号", "年度", "件号"),
    ("机构（问题）", "保管期限", "页数"),
)


@dataclass(frozen=True)
class ArchiveStamp:
    """One 归档章. retention is a code (Y, D30, D10) or a name; org is the 机构（问题） name, e.g. 办公室.

    caption is printed under the stamp, outside the cutting line (the 文号 or 题名), so that each stamp finds
    its document.
    """

    fonds: str
    year: int
    retention: str
    item: int
    pages: int | None = None
    org: str = ""
    caption: str = ""

    def __post_init__(self) -> None:
        # The same checks as the 档号 built from these parts: a stamp never shows a number no 档号 could have.
        format_archive_code(self.fonds, self.year, self.retention, self.item)
        if self.pages is not None and self.pages < 1:
            raise ValidationError("页数应为正整数", field="pages")

    def cells(self) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
        return (
            (self.fonds.strip().upper(), str(self.year), f"{self.item:04d}"),
            (self.org.strip(), retention_name(self.retention), "" if self.pages is None else str(self.pages)),
        )


@dataclass(frozen=True)
class ArchiveStampSheet:
    stamps: Sequence[ArchiveStamp]
    office_name: str = ""


def _fitted_size(text: str, font: str, fonts: FontSet, width: float, size: float) -> float:
    """The largest size up to `size` at which text fits the width (a long 机构 name shrinks, never spills)."""
    natural = fonts.string_width(text, font, size)
    if natural <= width:
        return size
    return max(STAMP_MIN_SIZE, size * width / natural)


def draw_stamp(
    canvas: Canvas,
    fonts: FontSet,
    x: float,
    y: float,
    cells: tuple[tuple[str, str, str], tuple[str, str, str]],
    *,
    size: float = STAMP_VALUE_SIZE,
    text_color: colors.Color = colors.black,
) -> None:
    """One stamp with its lower left corner at (x, y), at its real size."""
    canvas.saveState()
    canvas.setStrokeColor(STAMP_RED)
    canvas.setLineWidth(0.9)
    canvas.rect(x, y, STAMP_WIDTH, STAMP_HEIGHT)
    canvas.setLineWidth(0.5)
    canvas.line(x, y + STAMP_CELL_HEIGHT, x + STAMP_WIDTH, y + STAMP_CELL_HEIGHT)
    for column in (1, 2):
        canvas.line(x + column * STAMP_CELL_WIDTH, y, x + column * STAMP_CELL_WIDTH, y + STAMP_HEIGHT)
    canvas.setFillColor(text_color)
    room = STAMP_CELL_WIDTH - 2 * mm
    for row_index, row in enumerate(cells):
        cell_bottom = y + STAMP_CELL_HEIGHT * (1 - row_index)
        for column, text in enumerate(row):
            if not text:
                continue
            fitted = _fitted_size(text, fonts.song, fonts, room, size)
            width = fonts.string_width(text, fonts.song, fitted)
            left = x + column * STAMP_CELL_WIDTH + (STAMP_CELL_WIDTH - width) / 2
            # Optical centre of a CJK line: the baseline a third of the size below the cell's middle.
            baseline = cell_bottom + STAMP_CELL_HEIGHT / 2 - fitted * 0.35
            draw_text(canvas, fonts, left, baseline, text, fonts.song, fitted)
    canvas.restoreState()


def _draw_cut_line(canvas: Canvas, x: float, y: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(CUT_GREY)
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)
    canvas.rect(x - CUT_MARGIN, y - CUT_MARGIN, STAMP_WIDTH + 2 * CUT_MARGIN, STAMP_HEIGHT + 2 * CUT_MARGIN)
    canvas.restoreState()


def _clip(text: str, fonts: FontSet, width: float, size: float) -> str:
    """A caption cut to the stamp's width with an ellipsis: it only has to identify the document."""
    if fonts.string_width(text, fonts.song, size) <= width:
        return text
    while text and fonts.string_width(text + "…", fonts.song, size) > width:
        text = text[:-1]
    return text + "…"


STAMP_HEADER_HEIGHT = 44 * mm
STAMP_ROWS = int((TYPE_AREA_HEIGHT - STAMP_HEADER_HEIGHT + 6 * mm) // STAMP_PITCH_Y)
STAMPS_PER_PAGE = STAMP_COLUMNS * STAMP_ROWS
STAMP_NOTE = (
    "归档章依据DA/T 22-2015，每枚45 mm×16 mm。沿虚线剪下，贴于归档文件首页上端居中的空白处；"
    "该处有批示、收文章等字迹的，贴于首页上端其他空白处，不压字迹。"
)


def _draw_sheet_title(canvas: Canvas, fonts: FontSet, title: str, baseline: float) -> None:
    """A sheet's title centred over the 版心 in 二号 宋体, thickened by a stroke as a bold Song would be."""
    spaced = "\u2002".join(title)
    canvas.saveState()
    canvas.setLineWidth(0.7)
    canvas.setLineJoin(1)
    width = fonts.string_width(spaced, fonts.song, SIZE_2)
    draw_text(canvas, fonts, LEFT_MARGIN + (TYPE_AREA_WIDTH - width) / 2, baseline, spaced, fonts.song, SIZE_2, 2)
    canvas.restoreState()


def _draw_stamp_header(canvas: Canvas, fonts: FontSet, office_name: str, count: int) -> None:
    top = PAGE_HEIGHT - TOP_MARGIN
    _draw_sheet_title(canvas, fonts, "归档章", top - SIZE_2 * 1.05)
    line = f"{office_name}\u3000共{count}枚" if office_name else f"共{count}枚"
    width = fonts.string_width(line, fonts.kai, SIZE_SMALL_4)
    draw_text(canvas, fonts, LEFT_MARGIN + (TYPE_AREA_WIDTH - width) / 2, top - 14 * mm, line, fonts.kai, SIZE_SMALL_4)
    # The note wraps on two lines under the legend's left edge.
    legend_x = LEFT_MARGIN
    legend_y = top - 38 * mm
    draw_text(canvas, fonts, legend_x, legend_y + STAMP_HEIGHT + 2 * mm, "式样：", fonts.song, SIZE_5)
    draw_stamp(canvas, fonts, legend_x, legend_y, STAMP_LABELS, size=7.0, text_color=colors.HexColor("#555555"))
    note_x = legend_x + STAMP_WIDTH + 6 * mm
    note_width = TYPE_AREA_WIDTH - STAMP_WIDTH - 6 * mm
    lines = _wrap(STAMP_NOTE, fonts, note_width, SIZE_5)
    baseline = legend_y + STAMP_HEIGHT - SIZE_5
    for text in lines:
        draw_text(canvas, fonts, note_x, baseline, text, fonts.song, SIZE_5)
        baseline -= SIZE_5 * 1.5


def _wrap(text: str, fonts: FontSet, width: float, size: float) -> list[str]:
    """Plain greedy wrapping for a short note drawn straight on the canvas."""
    lines: list[str] = []
    current = ""
    for char in text:
        if current and fonts.string_width(current + char, fonts.song, size) > width and char not in "，。；：、）":
            lines.append(current)
            current = char
        else:
            current += char
    if current:
        lines.append(current)
    return lines


def render_archive_stamps(data: ArchiveStampSheet | Sequence[ArchiveStamp]) -> bytes:
    """Sheets of 归档章 at their real size, three to a row, with a cutting line around each."""
    sheet = data if isinstance(data, ArchiveStampSheet) else ArchiveStampSheet(tuple(data))
    fonts = resolve_fonts()
    stamps = list(sheet.stamps)
    total = max(1, math.ceil(len(stamps) / STAMPS_PER_PAGE))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=fonts.song, lang="zh-CN")
    canvas.setTitle(f"归档章（共{len(stamps)}枚）")
    canvas.setAuthor(sheet.office_name or "GovDesk")
    canvas.setCreator("GovDesk 政府办公室综合协调系统")
    # The cutting lines, not just the stamps, stay inside the 版心.
    slot = STAMP_WIDTH + 2 * CUT_MARGIN
    gap_x = (TYPE_AREA_WIDTH - STAMP_COLUMNS * slot) / (STAMP_COLUMNS - 1)
    first_top = PAGE_HEIGHT - TOP_MARGIN - STAMP_HEADER_HEIGHT
    for page in range(total):
        _draw_stamp_header(canvas, fonts, sheet.office_name, len(stamps))
        chunk = stamps[page * STAMPS_PER_PAGE : (page + 1) * STAMPS_PER_PAGE]
        if not chunk:
            draw_text(canvas, fonts, LEFT_MARGIN, first_top - 10 * mm, "没有需要打印的归档章。", fonts.song, SIZE_SMALL_4)
        for index, stamp in enumerate(chunk):
            row, column = divmod(index, STAMP_COLUMNS)
            x = LEFT_MARGIN + CUT_MARGIN + column * (slot + gap_x)
            y = first_top - CUT_MARGIN - STAMP_HEIGHT - row * STAMP_PITCH_Y
            _draw_cut_line(canvas, x, y)
            draw_stamp(canvas, fonts, x, y, stamp.cells())
            if stamp.caption:
                caption = _clip(stamp.caption, fonts, STAMP_WIDTH + 2 * CUT_MARGIN, CAPTION_SIZE)
                draw_text(canvas, fonts, x - CUT_MARGIN, y - CUT_MARGIN - CAPTION_SIZE * 1.4, caption, fonts.song, CAPTION_SIZE)
        if total > 1:
            text = page_count_text(page + 1, total)
            width = fonts.string_width(text, fonts.song, SIZE_SMALL_4)
            baseline = PAGE_HEIGHT - TOP_MARGIN - TYPE_AREA_HEIGHT - 7 * mm - SIZE_SMALL_4 * 0.3
            draw_text(canvas, fonts, LEFT_MARGIN + (TYPE_AREA_WIDTH - width) / 2, baseline, text, fonts.song, SIZE_SMALL_4)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ----- 归档文件目录 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueEntry:
    """One 件 in the catalogue; its 档号 is built from the catalogue's 全宗号, 年度, 保管期限 and this 件号."""

    item: int
    responsible: str
    title: str
    doc_date: date
    doc_number: DocNumber | str | None = None
    pages: int | None = None
    remark: str = ""
    # Blank unless the document has a 密级 (DA/T 22-2015): on this non-classified system, always blank.
    secrecy: str = ""
    archived_by: str = ""  # who filed it: the 备考表's 整理人
    archived_on: date | None = None


@dataclass(frozen=True)
class ArchiveCatalogueData:
    """A catalogue for one 年度 and 保管期限 (and 机构（问题）, when the office classifies by unit)."""

    fonds: str
    year: int
    retention: str
    entries: Sequence[CatalogueEntry] = ()
    fonds_name: str = ""
    org_code: str | None = None
    org_name: str = ""

    def __post_init__(self) -> None:
        format_archive_code(self.fonds, self.year, self.retention, 1, self.org_code)
        items = [entry.item for entry in self.entries]
        if len(set(items)) != len(items):
            raise ValidationError("同一目录中的件号不能重复", field="entries")


COVER_TITLE_SIZE = 36.0  # 小初, as catalogue covers are set
COVER_VALUE_WIDTH = 110 * mm
# Room at the foot of the 备考表 for the four signed lines.
NOTES_SIGN_HEIGHT = 64 * mm

CATALOGUE_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("序号", 9 * mm),
    LedgerColumn("档号", 39 * mm),
    LedgerColumn("文号", 36 * mm),
    LedgerColumn("责任者", 28 * mm, "left"),
    LedgerColumn("题名", 0, "left"),
    LedgerColumn("日期", 16 * mm),
    LedgerColumn("密级", 12 * mm),
    LedgerColumn("页数", 9 * mm),
    LedgerColumn("备注", 16 * mm, "left"),
)


def catalogue_rows(data: ArchiveCatalogueData, fonts: FontSet) -> list[list[str]]:
    number_width = CATALOGUE_COLUMNS[2].width
    rows = []
    for serial, entry in enumerate(data.entries, start=1):
        code = format_archive_code(data.fonds, data.year, data.retention, entry.item, data.org_code)
        rows.append(
            [
                str(serial),
                code,
                number_lines(number_text(entry.doc_number, lenient=True), number_width, fonts),
                entry.responsible,
                entry.title,
                format_archive_date(entry.doc_date),
                entry.secrecy,
                "" if entry.pages is None else str(entry.pages),
                entry.remark,
            ]
        )
    return rows


def catalogue_info(data: ArchiveCatalogueData) -> str:
    parts = [f"全宗号：{data.fonds.strip().upper()}"]
    if data.fonds_name:
        parts.append(f"全宗名称：{data.fonds_name}")
    parts += [f"年度：{data.year}", f"保管期限：{RETENTIONS[retention_code(data.retention)]}"]
    if data.org_name or data.org_code:
        parts.append(f"机构（问题）：{data.org_name or data.org_code}")
    return "\u3000\u3000".join(parts)


def _catalogue_cover(data: ArchiveCatalogueData, fonts: FontSet) -> ExtraPage:
    """目录封面 (DA/T 22-2015 §9.3): the catalogue is bound with a cover naming its 全宗, 年度, 保管期限 and 机构."""
    lines = [("全宗名称", data.fonds_name), ("全 宗 号", data.fonds.strip().upper()), ("年　　度", str(data.year)),
             ("保管期限", RETENTIONS[retention_code(data.retention)])]
    if data.org_name or data.org_code:
        lines.append(("机构（问题）", data.org_name or data.org_code or ""))

    def draw(canvas: Canvas) -> None:
        width, height = LEDGER_PAGE
        title = "\u2002".join("归档文件目录")
        canvas.saveState()
        canvas.setLineWidth(0.9)
        canvas.setLineJoin(1)
        title_width = fonts.string_width(title, fonts.song, COVER_TITLE_SIZE)
        draw_text(canvas, fonts, (width - title_width) / 2, height - 62 * mm, title, fonts.song, COVER_TITLE_SIZE, 2)
        canvas.restoreState()
        label_width = max(fonts.string_width(label + "：", fonts.song, SIZE_3) for label, _ in lines)
        left = (width - label_width - COVER_VALUE_WIDTH) / 2
        baseline = height - 100 * mm
        canvas.saveState()
        canvas.setLineWidth(0.6)
        for label, value in lines:
            draw_text(canvas, fonts, left, baseline, label + "：", fonts.song, SIZE_3)
            size = _fitted_size(value, fonts.kai, fonts, COVER_VALUE_WIDTH - 4 * mm, SIZE_3)
            value_width = fonts.string_width(value, fonts.kai, size)
            x = left + label_width + (COVER_VALUE_WIDTH - value_width) / 2
            draw_text(canvas, fonts, x, baseline, value, fonts.kai, size)
            canvas.line(left + label_width, baseline - 2.5, left + label_width + COVER_VALUE_WIDTH, baseline - 2.5)
            baseline -= 15 * mm
        canvas.restoreState()

    return ExtraPage(draw)


def notes_text(data: ArchiveCatalogueData) -> list[str]:
    """盒内文件情况说明 of the 备考表: what the catalogue holds, and each 件's 备注."""
    entries = sorted(data.entries, key=lambda e: e.item)
    retention = RETENTIONS[retention_code(data.retention)]
    if not entries:
        return [f"{data.year}年度保管期限为{retention}的归档文件尚无。"]
    pages = [e.pages for e in entries]
    extent = f"，计{sum(p for p in pages if p is not None)}页" if None not in pages else ""
    first, last = entries[0].item, entries[-1].item
    lines = [
        f"本目录收录{data.year}年度保管期限为{retention}的归档文件共{len(entries)}件"
        f"（件号{first:04d}至{last:04d}）{extent}。"
    ]
    lines += [f"件号{e.item:04d}：{e.remark}" for e in entries if e.remark.strip()]
    return lines


def _notes_sheet(data: ArchiveCatalogueData, fonts: FontSet) -> ExtraPage:
    """备考表 (DA/T 22-2015 §10.3): 盒内文件情况说明, 整理人 and 整理日期 filled in; 检查人 and 检查日期 signed by hand."""
    arrangers = list(dict.fromkeys(e.archived_by for e in data.entries if e.archived_by))
    dates = [e.archived_on for e in data.entries if e.archived_on is not None]
    signed = [
        ("整理人", "、".join(arrangers)), ("整理日期", format_cn_date(max(dates)) if dates else ""),
        ("检查人", ""), ("检查日期", ""),
    ]

    def draw(canvas: Canvas) -> None:
        top = PAGE_HEIGHT - TOP_MARGIN
        _draw_sheet_title(canvas, fonts, "备考表", top - SIZE_2)
        box_top = top - 18 * mm
        box_bottom = top - TYPE_AREA_HEIGHT
        canvas.saveState()
        canvas.setLineWidth(0.9)
        canvas.rect(LEFT_MARGIN, box_bottom, TYPE_AREA_WIDTH, box_top - box_bottom)
        canvas.restoreState()
        pad = 6 * mm
        baseline = box_top - pad - SIZE_3
        draw_text(canvas, fonts, LEFT_MARGIN + pad, baseline, "盒内文件情况说明", fonts.hei, SIZE_3)
        baseline -= SIZE_3 * 2
        for paragraph in notes_text(data):
            for line in _wrap("　　" + paragraph, fonts, TYPE_AREA_WIDTH - 2 * pad, SIZE_SMALL_4):
                if baseline < box_bottom + NOTES_SIGN_HEIGHT:
                    break
                draw_text(canvas, fonts, LEFT_MARGIN + pad, baseline, line, fonts.song, SIZE_SMALL_4)
                baseline -= SIZE_SMALL_4 * 1.8
        label_width = max(fonts.string_width(label + "：", fonts.song, SIZE_3) for label, _ in signed)
        left = LEFT_MARGIN + TYPE_AREA_WIDTH / 2
        y = box_bottom + NOTES_SIGN_HEIGHT - 12 * mm
        for label, value in signed:
            draw_text(canvas, fonts, left, y, label + "：", fonts.song, SIZE_3)
            if value:
                draw_text(canvas, fonts, left + label_width, y, value, fonts.kai, SIZE_3)
            y -= 13 * mm

    return ExtraPage(draw, A4)


def render_archive_catalogue(data: ArchiveCatalogueData) -> bytes:
    """The catalogue as it is bound: its cover, the 目录 itself, and the 备考表 that goes with the files."""
    fonts = resolve_fonts()
    return ledger_pdf(
        front=(_catalogue_cover(data, fonts),),
        back=(_notes_sheet(data, fonts),),
        title="归档文件目录",
        subtitle="",
        info=(catalogue_info(data), f"共{len(data.entries)}件"),
        columns=CATALOGUE_COLUMNS,
        rows=catalogue_rows(data, fonts),
        empty_text="本目录尚无归档文件",
        pdf_title=f"归档文件目录 {data.fonds} {data.year} {retention_name(data.retention)}",
        author=data.fonds_name or "GovDesk",
        fonts=fonts,
    )

