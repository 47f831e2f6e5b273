"""信访台账 as a sheet: the period a printed ledger covers, and the import sheet's rules (its columns, and what
each cell must hold to become a registration). Reading the .xlsx file and checking a registration against the
database are the services' work; this module judges the cells, whatever their type, and names every bad row
with its row number and what to fix.

An import is all or nothing: every problem of every row is gathered, then SheetProblems lists them all at once.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.errors import ValidationError
from app.core.petitions.terms import CHANNELS

# ----- the period of a printed ledger ------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerPeriod:
    start: date
    end: date
    text: str  # 2026年, 2026年第四季度, 2026年11月


def ledger_period(year: int, quarter: int | None = None, month: int | None = None) -> LedgerPeriod:
    """The days of a year, or of one of its quarters or months (at most one of the two)."""
    if quarter is not None and month is not None:
        raise ValidationError("信访台账按季度或按月份打印，请只给出其中一个", field="month")
    if not 1900 <= year <= 2999:
        raise ValidationError(f"年度应为四位数的年份，不能是{year}", field="year")
    if month is not None:
        if not 1 <= month <= 12:
            raise ValidationError(f"月份应为1至12，不能是{month}", field="month")
        return LedgerPeriod(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]),
                            f"{year}年{month}月")
    if quarter is not None:
        if not 1 <= quarter <= 4:
            raise ValidationError(f"季度应为1至4，不能是{quarter}", field="quarter")
        first = 3 * quarter - 2
        return LedgerPeriod(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
                            f"{year}年第{'一二三四'[quarter - 1]}季度")
    return LedgerPeriod(date(year, 1, 1), date(year, 12, 31), f"{year}年")


# ----- the import sheet ---------------------------------------------------------------------------------

# The import's columns, in the template's order; the header row names them in any order.
COLUMNS: tuple[str, ...] = ("登记日期", "信访方式", "姓名", "身份证号", "联系电话", "住址", "诉求", "问题类别", "问题属地", "人数")
REQUIRED: frozenset[str] = frozenset({"登记日期", "信访方式", "姓名", "诉求", "问题类别", "问题属地"})
# What the template's example row says.
EXAMPLE: tuple[object, ...] = (
    "2026-11-02", "来访", "王建国", "", "13812345678", "城关镇幸福小区3栋2单元501",
    "反映城关镇幸福小区商品房交房五年仍未办理不动产权证书，要求开发商尽快协助办证", "商品房两证办理", "城关镇", 1,
)
# A sheet larger than this is not one office's backlog: refused before any row is judged.
MAX_ROWS = 3000
# The header is looked for in this many rows from the top (below a title and the like).
HEADER_SEARCH = 10

_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
# 来电（24365热线）, 网上信访(县长信箱): a channel with its way in.
_CHANNEL_TEXT = re.compile(r"^\s*([^（(]+?)\s*[（(]\s*([^）)]*?)\s*[）)]\s*$")
# Excel's day numbers (1900 system) of the years a registration may carry.
_EXCEL_SERIALS = range(20000, 80000)
_EXCEL_EPOCH = date(1899, 12, 30)

Cell = object


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}"


class SheetProblems(ValidationError):
    """Every bad row of a sheet, each with its row number; nothing was imported."""

    SHOWN = 50

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(str(p) for p in self.problems[: self.SHOWN])
        more = f"\n……另有{len(self.problems) - self.SHOWN}处问题" if len(self.problems) > self.SHOWN else ""
        super().__init__(f"表格中有{len(self.problems)}处问题，未导入任何信访件，请改正后重新导入：\n{shown}{more}",
                         field="file")


@dataclass(frozen=True)
class SheetRow:
    """One row's cells as the registration takes them (not yet checked against the registration's rules)."""

    row: int
    received_on: date
    channel: str
    channel_detail: str
    name: str
    id_number: str
    phone: str
    address: str
    request: str
    category: str
    place: str
    people_count: int


def cell_text(value: Cell) -> str:
    """A cell as the text a person reads in it: numbers without a trailing .0, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_date(value: Cell) -> date:
    """A 登记日期 cell: a date, 2026-11-02 / 2026/11/2 / 2026.11.2 / 2026年11月2日, or Excel's day number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _EXCEL_SERIALS:
            return _EXCEL_EPOCH + timedelta(days=int(value))
    text = cell_text(value)
    found = _DATE_TEXT.match(text)
    if found:
        try:
            return date(*(int(part) for part in found.groups()))
        except ValueError:
            pass
    raise ValidationError(f"登记日期“{text}”不是有效日期，请写成2026-11-02或2026年11月2日", field="received_on")


def parse_channel(value: Cell) -> tuple[str, str]:
    """信访方式, with its way in where one is given in brackets: 来电（24365热线）."""
    text = cell_text(value)
    found = _CHANNEL_TEXT.match(text)
    if found:
        return found.group(1), found.group(2)
    if text not in CHANNELS:
        raise ValidationError(f"信访方式“{text}”不对，只能是{'、'.join(CHANNELS)}", field="channel")
    return text, ""


def parse_people(value: Cell) -> int:
    """人数: blank is one person; else a whole number (the registration checks its range)."""
    if value is None or cell_text(value) == "":
        return 1
    if isinstance(value, bool):
        raise ValidationError("人数应为整数", field="people_count")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value).removesuffix("人")
    if text.isdigit():
        return int(text)
    raise ValidationError(f"人数“{cell_text(value)}”应为整数", field="people_count")


def _known(row: Sequence[Cell]) -> set[str]:
    return {cell_text(c).replace(" ", "") for c in row} & set(COLUMNS)


def header_row(rows: Sequence[Sequence[Cell]]) -> int:
    """Which of the first HEADER_SEARCH rows is the header: the first with every required column, else the one
    with the most known columns (whose refusal then names what it lacks). A title may stand above it."""
    candidates = [_known(row) for row in rows[:HEADER_SEARCH]]
    for index, names in enumerate(candidates):
        if REQUIRED <= names:
            return index
    return max(range(len(candidates)), key=lambda index: (len(candidates[index]), -index), default=0)


def header_columns(header: Sequence[Cell], row: int) -> dict[str, int]:
    """Where each column stands; a header lacking a required column, naming a column twice, or holding a column
    the import does not know is refused by name."""
    problems: list[str] = []
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = cell_text(cell).replace(" ", "")
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(f"表头有不认识的列“{name}”，请删去该列或改为模板中的列名（{'、'.join(COLUMNS)}）")
        elif name in found:
            problems.append(f"表头中“{name}”列出现了两次，请只保留一列")
        else:
            found[name] = index
    missing = [name for name in COLUMNS if name in REQUIRED and name not in found]
    if missing:
        problems.append(f"表头缺少“{'”“'.join(missing)}”列，请使用程序导出的模板")
    if problems:
        raise SheetProblems([RowProblem(row, problem) for problem in problems])
    return found


def _row_of(number: int, cells: dict[str, Cell]) -> SheetRow | RowProblem:
    """One row's cells parsed, or every problem of its dates, channel and count."""
    problems: list[str] = []
    received: date | None = None
    channel: tuple[str, str] | None = None
    people: int | None = None
    if cell_text(cells.get("登记日期")) == "":
        problems.append("缺少登记日期")
    else:
        try:
            received = parse_date(cells.get("登记日期"))
        except ValidationError as error:
            problems.append(error.message)
    if cell_text(cells.get("信访方式")) == "":
        problems.append("缺少信访方式")
    else:
        try:
            channel = parse_channel(cells.get("信访方式"))
        except ValidationError as error:
            problems.append(error.message)
    try:
        people = parse_people(cells.get("人数"))
    except ValidationError as error:
        problems.append(error.message)
    if problems or received is None or channel is None or people is None:
        return RowProblem(number, "；".join(problems))
    return SheetRow(
        row=number, received_on=received, channel=channel[0], channel_detail=channel[1],
        name=cell_text(cells.get("姓名")), id_number=cell_text(cells.get("身份证号")),
        phone=cell_text(cells.get("联系电话")), address=cell_text(cells.get("住址")),
        request=cell_text(cells.get("诉求")), category=cell_text(cells.get("问题类别")),
        place=cell_text(cells.get("问题属地")), people_count=people,
    )


def parse_rows(rows: Sequence[Sequence[Cell]]) -> list[SheetRow | RowProblem]:
    """Each filled row of the sheet (the header found among its top rows; blank rows skipped), parsed, or what
    is wrong with its cells. The sheet's own shape (empty, too long, a bad header) raises SheetProblems."""
    if not rows:
        raise SheetProblems([RowProblem(1, "表格是空的，请使用程序导出的模板填写")])
    if len(rows) - 1 > MAX_ROWS:
        raise SheetProblems([RowProblem(1, f"表格超过{MAX_ROWS}行，请分批导入")])
    above = header_row(rows)
    columns = header_columns(rows[above], above + 1)
    parsed: list[SheetRow | RowProblem] = []
    for number, row in enumerate(rows[above + 1 :], start=above + 2):
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        if all(cell_text(value) == "" for value in cells.values()):
            continue
        parsed.append(_row_of(number, cells))
    if not parsed:
        raise SheetProblems([RowProblem(above + 2, "表格中没有任何信访件")])
    return parsed
