"""The notice (通报) as an Excel workbook: a summary sheet with each group's line as the print has it and the
office's totals under it, and a sheet of every group's weeks (quota, items, ended, missed).

The workbook is written below the UI (which only saves the bytes): every text cell is written as text, and one
that a spreadsheet would read as a formula (=, +, -, @ …) is quoted, since group and leader names are typed by
people (the same rule as app.ui.widgets.excel and the 信访台账 export, which this layer cannot import)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.services.information.notices import Notice

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_HEADERS: tuple[str, ...] = (
    "组别", "分管领导", "应报信息", "实报信息", "完成率", "未完成周数", "调研文章（应）", "调研文章（实）", "被采用次数",
    "被采用条数", "得分", "评先评优", "说明",
)
WEEK_HEADERS: tuple[str, ...] = ("组别", "周一", "周日", "应报信息", "实报信息", "情况")
# Text a spreadsheet reads as a formula (or turns into one when the cell is edited).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"
WIDTHS: dict[str, int] = {"组别": 14, "分管领导": 12, "说明": 60, "周一": 12, "周日": 12}
DEFAULT_WIDTH = 11


def _text_cell(sheet: Worksheet, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _cells(sheet: Worksheet, values: Sequence[object], formats: dict[int, str] | None = None) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for index, value in enumerate(values):
        if isinstance(value, str):
            cells.append(_text_cell(sheet, value) if value else None)
        elif isinstance(value, date) or (formats and index in formats and value is not None):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT if isinstance(value, date) else (formats or {})[index]
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def _sheet(book: Any, title: str, headers: Sequence[str], caption: str) -> Worksheet:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet: Worksheet = book.create_sheet(title)
    for index, name in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, DEFAULT_WIDTH)
    sheet.freeze_panes = "A3"
    sheet.append([_text_cell(sheet, caption)])
    bold = Font(bold=True)
    head = []
    for name in headers:
        cell = _text_cell(sheet, name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    return sheet


def notice_sheet(notice: Notice) -> bytes:
    """The notice's workbook (.xlsx) as bytes."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    summary = _sheet(book, "各组完成情况", SUMMARY_HEADERS, notice.title)
    for g in notice.groups:
        summary.append(_cells(summary, [
            g.name, g.leader_name, g.quota, g.items, g.completion, g.weeks_missed, g.article_quota, g.half_articles,
            g.adoptions, g.adopted_items, g.points, g.eligibility_text, "；".join(g.eligibility_reasons),
        ], {4: PERCENT_FORMAT}))
    t = notice.totals
    summary.append([])
    for label, value in (("编发《政务信息》（期）", t.issues), ("报送信息（条）", t.items),
                         ("被上级采用（条）", t.adopted_items), ("得分（分）", t.points), ("完成调研文章（篇）", t.articles)):
        summary.append(_cells(summary, ["合计", label, value]))
    standing = f"统计截至{notice.today:%Y-%m-%d}" if notice.today <= notice.end else "统计期已结束"
    summary.append(_cells(summary, ["说明", f"{notice.period_label}（{notice.start:%Y-%m-%d}至{notice.end:%Y-%m-%d}），"
                                            f"{standing}；每组每周{notice.items_per_week}条，节假日所在周按工作日折算"]))

    weeks = _sheet(book, "每周明细", WEEK_HEADERS, f"{notice.title}（每周明细）")
    for g in notice.groups:
        for w in g.weeks:
            state = "未完成" if w.missed else ("已完成" if w.ended else "进行中")
            weeks.append(_cells(weeks, [g.name, w.monday, w.monday + timedelta(days=6), w.quota, w.written, state]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
