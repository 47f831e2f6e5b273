"""Reading the cells of a sheet someone brings in (a ledger kept in Excel or WPS): a cell as the text a person
reads in it, a date written any of the ways an office writes one, whole numbers, and finding the header row
among the top rows. The area's own sheet modules say which columns they take and what each must hold.

Every function here takes the cell whatever its type (str, int, float, bool, date, datetime, None), since the
file is the user's: a wrong type is refused saying how to write it, never a crash. A refusal quotes at most a
few characters of the cell, so a huge cell never becomes a huge message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta

from app.core.errors import ValidationError

Cell = object

# The header is looked for in this many rows from the top (below a title and the like).
HEADER_SEARCH = 10
# How much of a cell a message quotes.
QUOTED = 20

_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DIGITS = re.compile(r"^\d{8}$")
# Excel's day numbers (1900 system) from 1954 to 2119: wide enough for any date and no ordinary count.
_EXCEL_SERIALS = range(20000, 80000)
_EXCEL_EPOCH = date(1899, 12, 30)
# Text a spreadsheet reads as a formula when the cell is edited, or that a formula left behind.
FORMULA_STARTS = ("=", "+", "@")


def cell_text(value: Cell) -> str:
    """A cell as the text a person reads in it: numbers without a trailing .0, dates as dates, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def quoted(value: Cell) -> str:
    """The cell's text as a message quotes it: at most QUOTED characters, on one line."""
    text = " ".join(cell_text(value).split())
    return text if len(text) <= QUOTED else text[:QUOTED] + "…"


def blank(value: Cell) -> bool:
    return cell_text(value) == ""


def parse_date(value: Cell, label: str, example: date = date(2026, 3, 5)) -> date:
    """A date cell: a date, 2026-03-05 / 2026/3/5 / 2026.3.5 / 2026年3月5日 / 20260305, or the day number Excel
    stores for a date cell. Anything else is refused, saying how to write it."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _EXCEL_SERIALS:
            return _EXCEL_EPOCH + timedelta(days=int(value))
    text = cell_text(value)
    found = _DATE_TEXT.match(text)
    parts: tuple[int, ...] | None = None
    if found:
        parts = tuple(int(part) for part in found.groups())
    elif _DIGITS.match(text):
        parts = (int(text[:4]), int(text[4:6]), int(text[6:]))
    if parts is not None:
        try:
            return date(*parts)
        except ValueError:
            pass
    raise ValidationError(
        f"{label}“{quoted(value)}”不是有效日期，请写成{example.isoformat()}或{example.year}年{example.month}月{example.day}日"
    )


def parse_whole(value: Cell, label: str, *, low: int, high: int, prefix: str = "", suffix: str = "") -> int:
    """A whole number from ``low`` to ``high``: a number cell, or text such as 8, 第8期 (with ``prefix`` 第 and
    ``suffix`` 期)."""
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = "".join(value.split())
        if prefix:
            text = text.removeprefix(prefix)
        if suffix:
            text = text.removesuffix(suffix)
        if text.isascii() and text.isdigit() and len(text) <= 6:
            number = int(text)
    if number is None or not low <= number <= high:
        raise ValidationError(f"{label}“{quoted(value)}”应为{low}至{high}的整数")
    return number


def looks_like_formula(text: str) -> bool:
    """Text that a spreadsheet would take for a formula (=HYPERLINK(…), +cmd, @SUM(…))."""
    return text.startswith(FORMULA_STARTS)


def header_name(value: Cell) -> str:
    """A header cell's column name: its text without spaces (标 题 is 标题) or a marking asterisk (*标题)."""
    return "".join(cell_text(value).split()).strip("*＊")


def known_names(row: Sequence[Cell], columns: Collection[str]) -> set[str]:
    return {header_name(c) for c in row[: 4 * len(columns) + 20]} & set(columns)


def header_row(rows: Sequence[Sequence[Cell]], columns: Collection[str], required: Collection[str]) -> int:
    """Which of the first HEADER_SEARCH rows is the header: the first naming every required column, else the one
    naming the most known columns (whose refusal then names what it lacks). A title may stand above it."""
    candidates = [known_names(row, columns) for row in rows[:HEADER_SEARCH]]
    for index, names in enumerate(candidates):
        if set(required) <= names:
            return index
    return max(range(len(candidates)), key=lambda index: (len(candidates[index]), -index), default=0)
