"""信息台账 as a sheet: the import's columns, and what each cell must hold to become a 政务信息 item or a research
article with its issue of 《政务信息》 and its adoption by a higher level. Reading the .xlsx file and checking a row
against the database (does the group exist, is the item there already, is the issue issued in the program) are
the services' work; this module judges the cells, whatever their type, and names every problem with its row
number, its column and what to fix.

An import is all or nothing: every problem of every row is gathered, then SheetProblems lists them at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.core.errors import ValidationError
from app.core.information.points import LEVELS
from app.core.printable import printable_problem
from app.core.sheet_cells import (
    Cell,
    blank,
    cell_text,
    header_name,
    header_row,
    looks_like_formula,
    parse_date,
    parse_whole,
    quoted,
)

# The import's columns, in the template's order; the header row names them in any order.
COLUMNS: tuple[str, ...] = ("标题", "报送组", "作者", "报送日期", "类型", "编入期号", "采用单位", "采用层级", "采用日期")
REQUIRED: frozenset[str] = frozenset({"标题", "报送组", "作者", "报送日期"})
# Columns an office's ledger often has that the import passes over.
IGNORED: frozenset[str] = frozenset({"序号", "备注"})
ADOPTION_COLUMNS: tuple[str, ...] = ("采用单位", "采用层级", "采用日期")
# What the template's example row says.
EXAMPLE: tuple[object, ...] = (
    "我县农村公路提质改造取得新进展", "第一信息组", "张文秘", date(2026, 3, 5), "信息", "第8期", "市政府办公室", "市级",
    date(2026, 3, 12),
)
KIND_NAMES: dict[str, str] = {"信息": "item", "政务信息": "item", "调研文章": "article", "调研": "article"}
LEVEL_NAMES: dict[str, str] = {**{level: level for level in LEVELS}, "市": "市级", "省": "省级", "国家": "国家级"}

MAX_TITLE = 200
MAX_GROUP = 30
MAX_AUTHOR = 50
MAX_BODY = 60
MAX_ISSUE = 999
# A sheet larger than this is not one office's years of items: refused before any row is judged.
MAX_ROWS = 5000
# The oldest year a ledger may carry.
FIRST_YEAR = 2000
# The service's message names this many bad rows; the dialog and the command list every one.
SHOWN_ROWS = 20


@dataclass(frozen=True)
class RowProblem:
    """What is wrong in one cell (column) or one row (column "")."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}"


def row_lines(problems: Sequence[RowProblem]) -> list[str]:
    """One line per bad row, its problems joined, in row order: “第5行：报送组“第九组”不存在…；缺少作者”."""
    by_row: dict[int, list[str]] = {}
    for problem in problems:
        by_row.setdefault(problem.row, [])
        if problem.message not in by_row[problem.row]:
            by_row[problem.row].append(problem.message)
    return [f"第{row}行：{'；'.join(messages)}" for row, messages in sorted(by_row.items())]


class SheetProblems(ValidationError):
    """Every problem of a sheet, each with its row and column; nothing was imported. The message names the first
    SHOWN_ROWS bad rows; ``lines()`` gives every one."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: p.row))
        lines = self.lines()
        shown = "\n".join(lines[:SHOWN_ROWS])
        more = f"\n……另有{len(lines) - SHOWN_ROWS}行有问题" if len(lines) > SHOWN_ROWS else ""
        super().__init__(f"表格中有{len(lines)}行有问题，未导入任何稿件，请改正后重新导入：\n{shown}{more}", field="file")

    def lines(self) -> list[str]:
        return row_lines(self.problems)

    @property
    def rows(self) -> tuple[int, ...]:
        return tuple(sorted({p.row for p in self.problems}))


@dataclass(frozen=True)
class SheetAdoption:
    body: str
    level: str
    adopted_on: date


@dataclass(frozen=True)
class LedgerRow:
    """One good row's cells, as the import writes them (not yet checked against the database)."""

    row: int
    title: str
    group_name: str
    author: str
    submitted_on: date
    kind: str  # "item" or "article"
    issue_seq: int | None
    adoption: SheetAdoption | None

    @property
    def year(self) -> int:
        return self.submitted_on.year

    @property
    def key(self) -> tuple[str, str, date]:
        """What makes two rows the same item: the title, the group and the 报送日期."""
        return (self.title, self.group_name, self.submitted_on)


def _one_line(value: Cell) -> str:
    return " ".join(cell_text(value).split())


class _Row:
    """Gathers one row's problems while its cells are read."""

    def __init__(self, number: int, cells: dict[str, Cell]) -> None:
        self.number, self.cells = number, cells
        self.problems: list[RowProblem] = []

    def fail(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.number, column, message))

    def text(self, column: str, limit: int, *, required: bool, what_to_write: str) -> str:
        value = self.cells.get(column)
        if isinstance(value, (date, bool)):
            self.fail(column, f"{column}应为文字，不能是“{quoted(value)}”")
            return ""
        text = _one_line(value)
        if not text:
            if required:
                self.fail(column, f"缺少{column}，请填写{what_to_write}")
            return ""
        if len(text) > limit:
            self.fail(column, f"{column}不能超过{limit}个字，现在有{len(text)}个字，请删短")
            return ""
        if looks_like_formula(text):
            self.fail(column, f"{column}“{quoted(text)}”以“{text[0]}”开头，会被当作公式，请删去开头的符号")
            return ""
        problem = printable_problem(text, column)
        if problem:
            self.fail(column, problem)
            return ""
        return text

    def day(self, column: str, today: date, *, required: bool) -> date | None:
        value = self.cells.get(column)
        if blank(value):
            if required:
                self.fail(column, f"缺少{column}，请写成{today.year}-03-05或{today.year}年3月5日")
            return None
        try:
            found = parse_date(value, column, date(today.year, 3, 5))
        except ValidationError as error:
            self.fail(column, error.message)
            return None
        if found > today:
            self.fail(column, f"{column}{found.isoformat()}晚于今天，请核对")
            return None
        if found.year < FIRST_YEAR:
            self.fail(column, f"{column}{found.isoformat()}太早，请核对（应在{FIRST_YEAR}年以后）")
            return None
        return found


def _kind(row: _Row) -> str | None:
    value = row.cells.get("类型")
    text = "".join(cell_text(value).split())
    if not text:
        return "item"
    if text in KIND_NAMES:
        return KIND_NAMES[text]
    row.fail("类型", f"类型“{quoted(value)}”不对，请填写“信息”或“调研文章”（空着的按信息）")
    return None


def _issue(row: _Row) -> int | None:
    value = row.cells.get("编入期号")
    if blank(value):
        return None
    try:
        return parse_whole(value, "编入期号", low=1, high=MAX_ISSUE, prefix="第", suffix="期")
    except ValidationError:
        row.fail("编入期号", f"编入期号“{quoted(value)}”不对，请写期号，如8或第8期（未编入期刊的空着）")
        return None


def _adoption(row: _Row, submitted: date | None, today: date) -> SheetAdoption | None:
    filled = [column for column in ADOPTION_COLUMNS if not blank(row.cells.get(column))]
    if not filled:
        return None
    if len(filled) < len(ADOPTION_COLUMNS):
        missing = [column for column in ADOPTION_COLUMNS if column not in filled]
        row.fail(missing[0], f"已填{'、'.join(filled)}，还缺{'、'.join(missing)}：上级采用的这三项要么都填，要么都空着")
        return None
    body = row.text("采用单位", MAX_BODY, required=True, what_to_write="采用的上级单位，如市政府办公室")
    level_value = row.cells.get("采用层级")
    level = LEVEL_NAMES.get("".join(cell_text(level_value).split()))
    if level is None:
        row.fail("采用层级", f"采用层级“{quoted(level_value)}”不对，只能是{'、'.join(LEVELS)}")
    adopted = row.day("采用日期", today, required=True)
    if adopted is not None and submitted is not None and adopted < submitted:
        row.fail("采用日期", f"采用日期{adopted.isoformat()}早于报送日期{submitted.isoformat()}，请核对")
        return None
    if not body or level is None or adopted is None:
        return None
    return SheetAdoption(body, level, adopted)


def parse_row(number: int, cells: dict[str, Cell], today: date) -> LedgerRow | list[RowProblem]:
    """One row's cells judged: the row as the import writes it, or every problem of it."""
    row = _Row(number, cells)
    title = row.text("标题", MAX_TITLE, required=True, what_to_write="信息或文章的标题")
    group = row.text("报送组", MAX_GROUP, required=True, what_to_write="信息组的名称，如第一信息组")
    author = row.text("作者", MAX_AUTHOR, required=True, what_to_write="作者姓名")
    submitted = row.day("报送日期", today, required=True)
    kind = _kind(row)
    issue = _issue(row)
    adoption = _adoption(row, submitted, today)
    if row.problems or submitted is None or kind is None:
        return row.problems
    return LedgerRow(number, title, group, author, submitted, kind, issue, adoption)


def header_columns(header: Sequence[Cell], row: int) -> dict[str, int]:
    """Where each column stands; a header lacking a required column, naming a column twice, or holding a column
    the import does not know is refused by name."""
    problems: list[RowProblem] = []
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = header_name(cell)
        if not name or name in IGNORED:
            continue
        if name not in COLUMNS:
            problems.append(RowProblem(row, name, f"表头有不认识的列“{quoted(name)}”，请删去该列或改为模板中的列名"
                                                  f"（{'、'.join(COLUMNS)}）"))
        elif name in found:
            problems.append(RowProblem(row, name, f"表头中“{name}”列出现了两次，请只保留一列"))
        else:
            found[name] = index
    missing = [name for name in COLUMNS if name in REQUIRED and name not in found]
    if missing:
        problems.append(RowProblem(row, "", f"表头缺少“{'”“'.join(missing)}”列，请使用程序保存的导入模板"))
    if problems:
        raise SheetProblems(problems)
    return found


def parse_rows(rows: Sequence[Sequence[Cell]], today: date) -> tuple[list[LedgerRow], list[RowProblem]]:
    """Every filled row of the sheet (the header found among its top rows; blank rows skipped), judged: the good
    rows, and every problem of the others (a row repeating an earlier row of the sheet is one). The sheet's own
    shape (empty, too long, a bad header, no rows) raises SheetProblems."""
    if not rows:
        raise SheetProblems([RowProblem(1, "", "表格是空的，请使用程序保存的导入模板填写")])
    if len(rows) - 1 > MAX_ROWS:
        raise SheetProblems([RowProblem(1, "", f"表格超过{MAX_ROWS}行，请分批导入")])
    above = header_row(rows, (*COLUMNS, *IGNORED), REQUIRED)
    columns = header_columns(rows[above], above + 1)
    parsed: list[LedgerRow] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str, date], int] = {}
    for number, cells_of_row in enumerate(rows[above + 1 :], start=above + 2):
        cells = {name: (cells_of_row[i] if i < len(cells_of_row) else None) for name, i in columns.items()}
        if all(blank(value) for value in cells.values()):
            continue
        result = parse_row(number, cells, today)
        if isinstance(result, list):
            problems.extend(result)
            continue
        first = seen.setdefault(result.key, number)
        if first != number:
            problems.append(RowProblem(number, "标题", f"与第{first}行重复（标题、报送组和报送日期都相同），请删去其中一行"))
            continue
        parsed.append(result)
    if not parsed and not problems:
        raise SheetProblems([RowProblem(above + 2, "", "表格中没有任何稿件，请在表头下逐行填写")])
    return parsed, problems


def checked_rows(rows: Sequence[Sequence[Cell]], today: date) -> list[LedgerRow]:
    """parse_rows, with any problem raised as SheetProblems."""
    parsed, problems = parse_rows(rows, today)
    if problems:
        raise SheetProblems(problems)
    return parsed


def issue_dates(rows: Sequence[LedgerRow]) -> dict[tuple[int, int], date]:
    """Each issue the sheet names, (year, 第N期), with the date it takes if it is made: its latest 报送日期."""
    dates: dict[tuple[int, int], date] = {}
    for row in rows:
        if row.issue_seq is None:
            continue
        key = (row.year, row.issue_seq)
        dates[key] = max(dates.get(key, row.submitted_on), row.submitted_on)
    return dates
