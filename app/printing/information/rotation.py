"""周一学习轮讲安排表: a term's Mondays in a ruled table (序号, 日期, 主讲人, 学习主题, 备注), the holiday Mondays
with why they have no session, and the office's name and the date at the foot.

Portrait A4 in the GB/T 9704 版心. A long term runs over pages; the column headings repeat on each.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from app.printing.information.rotation_data import RotationRow, RotationSheet
from app.printing.kit.fonts import FontSet, resolve_fonts
from app.printing.kit.page import (
    ALIGNMENTS,
    SIZE_2,
    SIZE_SMALL_4,
    TYPE_AREA_WIDTH,
    BoldTitle,
    Signature,
    build_pdf,
    cjk_style,
    enable_chinese_line_breaking,
    format_cn_date,
)
from app.printing.kit.table_form import LABEL_SHADE, ruled_style

WEEKDAYS = "一二三四五六日"
HEADERS = ("序号", "日期", "主讲人", "学习主题", "备注")
# Points; the 日期 column is as wide as its widest date, the 备注 column takes what the others leave.
SERIAL_WIDTH = 11 * mm
PRESENTER_WIDTH = 22 * mm
TOPIC_WIDTH = 36 * mm
WIDEST_DATE = "2026年12月28日（周一）"
CELL_PAD = 3.0
ROW_PAD = 4.0
EMPTY = "本学期尚未安排轮讲"


def day_text(day: date) -> str:
    """2026年9月7日（周一）."""
    return f"{format_cn_date(day)}（周{WEEKDAYS[day.weekday()]}）"


def row_cells(row: RotationRow) -> list[str]:
    return [str(row.serial) if row.serial else "—", day_text(row.held_on), row.presenter or "—", row.topic or "—",
            row.remark]


def _table(data: RotationSheet, fonts: FontSet) -> Table:
    size = SIZE_SMALL_4
    leading = size * 1.4
    head = cjk_style("rotation-head", fonts.hei, size, leading, ALIGNMENTS["center"])
    cell = cjk_style("rotation-cell", fonts.fang, size, leading, ALIGNMENTS["center"])
    left = cjk_style("rotation-remark", fonts.fang, size, leading, ALIGNMENTS["left"])
    rows: list[list[Flowable | str]] = [[Paragraph(fonts.markup(h, fonts.hei), head) for h in HEADERS]]
    for row in data.rows:
        texts = row_cells(row)
        rows.append([Paragraph(fonts.markup(text, fonts.fang), left if i == len(texts) - 1 else cell)
                     for i, text in enumerate(texts)])
    commands = ruled_style(fonts.song, ROW_PAD, ROW_PAD, CELL_PAD)
    commands.append(("BACKGROUND", (0, 0), (-1, 0), LABEL_SHADE))
    if not data.rows:
        rows.append([Paragraph(fonts.markup(EMPTY, fonts.fang), cell), "", "", "", ""])
        commands.append(("SPAN", (0, 1), (-1, 1)))
    date_width = fonts.string_width(WIDEST_DATE, fonts.fang, size) + 2 * CELL_PAD + 4
    widths = [SERIAL_WIDTH, date_width, PRESENTER_WIDTH, TOPIC_WIDTH]
    widths.append(TYPE_AREA_WIDTH - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def render_rotation(data: RotationSheet) -> bytes:
    """The term's rotation as PDF bytes."""
    fonts = resolve_fonts()
    enable_chinese_line_breaking()
    subtitle = cjk_style("rotation-subtitle", fonts.kai, SIZE_SMALL_4 + 2, (SIZE_SMALL_4 + 2) * 1.5,
                         ALIGNMENTS["center"])
    sessions = sum(1 for r in data.rows if r.serial)
    span = f"（{format_cn_date(data.starts_on)}至{format_cn_date(data.ends_on)}，共{sessions}次）"
    parts: list[Flowable] = [
        BoldTitle([data.title], fonts, SIZE_2, space_after=4),
        Paragraph(fonts.markup(span, fonts.kai), subtitle),
        Spacer(0, 6),
        _table(data, fonts),
        Spacer(0, 12 * mm),
        KeepTogether([Signature(data.office_name, data.printed_on, fonts)]),
    ]
    return build_pdf(parts, data.title, author=data.office_name, subject="周一学习轮讲安排表")
