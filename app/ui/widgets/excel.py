"""Excel exports that read like the screen: real dates and numbers, columns as wide as their contents,
the heading row frozen and filterable, and the rows in the order the list shows them.

Every export of the program goes through ``ExcelSheet`` and ``save_workbook``, so they all behave alike.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import GovDeskError
from app.ui.i18n import tr
from app.ui.widgets.messages import show_error

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from PySide6.QtWidgets import QWidget

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
AMOUNT_FORMAT = "#,##0.00"
# Excel's width unit is one digit of its default font; a CJK character takes about two.
MIN_WIDTH, MAX_WIDTH = 6, 60
# Rows looked at to size the columns: enough to see typical values without holding a long list twice.
SAMPLE_ROWS = 500
# A text cell starting with one of these is read as a formula by Excel or WPS (=HYPERLINK(...), +cmd|...,
# @SUM(...)), or is turned into one when the user edits the cell: such text is written as text, quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def text_width(value: object) -> int:
    """How many digit-widths a value takes in a cell: wide (CJK) characters count two."""
    text = _shown(value)
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def _number_format(value: object) -> str | None:
    if isinstance(value, datetime):
        return DATETIME_FORMAT
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, Decimal):
        return AMOUNT_FORMAT
    return None


def _plain(value: object) -> object:
    # Excel keeps no time zone: a moment is written as the local wall-clock time the screen shows.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def _text_cell(sheet: Worksheet, value: str) -> Any:
    """A cell holding user text as a string, never a formula: openpyxl would store any text that starts
    with "=" as a live formula, and Excel re-reads text starting with + - @ as one when the cell is edited."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


class ExcelSheet:
    """One sheet: an optional caption line, the heading row, then the rows, in a write-only workbook.

    Widths come from the heading and the first rows written (``SAMPLE_ROWS``), so rows are held back until
    that many have come or the sheet is finished.
    """

    def __init__(
        self, book: Workbook, title: str, headers: Sequence[str], caption: str = "",
        formats: Mapping[int, str] | None = None,
    ) -> None:
        # A sheet's name may not hold []:*?/\ and is at most 31 characters long.
        safe = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31] or tr("数据")
        self.sheet: Worksheet = book.create_sheet(safe)
        self.headers = list(headers)
        self.caption = caption
        # Column index -> number format, where a column's values need another than their type's.
        self.formats = dict(formats or {})
        self._held: list[list[object]] = []
        self._widths = [text_width(h) for h in self.headers]
        self._started = False

    def append(self, values: Sequence[object]) -> None:
        row = [_plain(v) for v in values]
        if self._started:
            self._write(row)
            return
        self._held.append(row)
        for i, value in enumerate(row):
            self._widths[i] = max(self._widths[i], text_width(value))
        if len(self._held) >= SAMPLE_ROWS:
            self._start()

    def extend(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.append(row)

    def finish(self) -> None:
        if not self._started:
            self._start()

    def _start(self) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        sheet = self.sheet
        for i, width in enumerate(self._widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
        # A write-only sheet writes its views and filter with its first row: set them before any row.
        heading_row = 2 if self.caption else 1
        sheet.freeze_panes = f"A{heading_row + 1}"
        last = get_column_letter(max(1, len(self.headers)))
        sheet.auto_filter.ref = f"A{heading_row}:{last}{heading_row}"
        if self.caption:
            sheet.append([_text_cell(sheet, self.caption)])
        bold = Font(bold=True)
        header = []
        for title in self.headers:
            cell = _text_cell(sheet, str(title))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        self._started = True
        for row in self._held:
            self._write(row)
        self._held = []

    def _write(self, row: list[object]) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells: list[Any] = []
        for index, value in enumerate(row):
            number_format = self.formats.get(index) if value is not None else None
            number_format = number_format or _number_format(value)
            if isinstance(value, str):
                cells.append(_text_cell(self.sheet, value))
                continue
            if number_format is None:
                cells.append(value)
                continue
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = number_format
            cells.append(cell)
        self.sheet.append(cells)


def new_workbook() -> Workbook:
    from openpyxl import Workbook

    return Workbook(write_only=True)


def save_workbook(book: Workbook, sheets: Sequence[ExcelSheet], target: Path) -> None:
    """Finishes the sheets and writes the file whole: a half-written file never takes the target's name."""
    for sheet in sheets:
        sheet.finish()
    # Built in memory first, so that a folder that cannot be written fails in our code, not halfway through
    # openpyxl's streaming writer.
    content = io.BytesIO()
    book.save(content)
    partial = target.with_name(target.stem + ".partial.xlsx")
    try:
        partial.write_bytes(content.getvalue())
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise GovDeskError(
            tr("无法保存到“{0}”：{1}。请换一个文件夹，或先关闭已在Excel中打开的同名文件").format(
                target, error.strerror or error)
        ) from error


def export_workbook(parent: QWidget, book: Workbook, sheets: Sequence[ExcelSheet], target: Path) -> bool:
    """Saves an export the user asked for; False, with the reason shown to the user, when it could not be
    saved. The caller says where it went, in its own words (how many rows, of what)."""
    try:
        save_workbook(book, sheets, target)
    except GovDeskError as error:
        show_error(parent, error)
        return False
    return True


__all__ = ["ExcelSheet", "export_workbook", "new_workbook", "save_workbook", "text_width"]
