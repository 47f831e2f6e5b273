"""The target-decomposition sheet (政府工作报告目标任务分解表) as the office fills it in: its columns, and what each
row must hold to become a supervision item. Reading the .xlsx file is the services' work; this module judges the
cells, whatever their type, and names every bad row with its row number and what to fix.

Import is all or nothing: check_rows returns every item, or raises SheetProblems listing every bad row at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.core.errors import ValidationError
from app.core.printable import printable_problem
from app.core.supervision.classes import PriorityClass, priority_class, source_of

COLUMNS: tuple[str, ...] = ("序号", "事项来源", "事项名称", "工作要求", "牵头单位", "协办单位", "责任人", "督办类别", "办结时限")
REQUIRED: frozenset[str] = frozenset({"事项来源", "事项名称", "牵头单位", "督办类别", "办结时限"})
TITLE_MAX = 200
REQUIREMENT_MAX = 2000
# A sheet larger than this is not one year's targets: refused before any row is judged.
MAX_ROWS = 5000
# The header is looked for in this many rows from the top (below a title and the like).
HEADER_SEARCH = 10

_SPLIT_UNITS = re.compile(r"[、，,;；/\s]+")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
# Excel's day numbers (1900 system): 1954 to 2119, wide enough for any deadline and no ordinary count.
_EXCEL_SERIALS = range(20000, 80000)
_EXCEL_EPOCH = date(1899, 12, 30)

Cell = object


@dataclass(frozen=True)
class SheetItem:
    """One good row, with the ids its names were found under."""

    row: int
    source: str
    title: str
    requirement: str
    lead_unit_id: int
    co_unit_ids: tuple[int, ...]
    # None: the person who imports the sheet is responsible (首问负责).
    responsible_id: int | None
    priority: PriorityClass
    deadline: date


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}"


class SheetProblems(ValidationError):
    """Every bad row of a sheet, each with its row number; nothing was imported."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(str(p) for p in self.problems[:50])
        more = f"\n……另有{len(self.problems) - 50}处问题" if len(self.problems) > 50 else ""
        super().__init__(f"表格中有{len(self.problems)}处问题，未导入任何事项，请改正后重新导入：\n{shown}{more}")


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


def parse_deadline(value: Cell) -> date:
    """A deadline cell: a date, a date and time, 2026-12-31 / 2026/12/31 / 2026.12.31 / 2026年12月31日, or the
    day number Excel stores for a date cell. Anything else is refused saying how to write it."""
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
    raise ValidationError(f"办结时限“{text}”不是有效日期，请写成2026-12-31或2026年12月31日")


def past_deadline(deadline: date) -> str:
    return f"办结时限{deadline.isoformat()}已过，请改为今天或以后的日期"


def header_columns(header: Sequence[Cell], row: int = 1) -> dict[str, int]:
    """Where each known column stands in the header row (the sheet's row ``row``); refuses a header that lacks
    a required column."""
    names = [cell_text(c).replace(" ", "") for c in header]
    found = {name: index for index, name in reversed(list(enumerate(names))) if name in COLUMNS}
    missing = [name for name in COLUMNS if name in REQUIRED and name not in found]
    if missing:
        raise SheetProblems([RowProblem(row, f"表头缺少“{'”“'.join(missing)}”列，请使用程序导出的模板")])
    return found


def header_row(rows: Sequence[Sequence[Cell]]) -> int:
    """Which of the first HEADER_SEARCH rows is the header: the first with every required column, else the one
    with the most known columns (whose refusal then names what it lacks). An office's sheet often has its
    title, and a line of who drew it up, above the header."""
    def known(row: Sequence[Cell]) -> set[str]:
        return {cell_text(c).replace(" ", "") for c in row} & set(COLUMNS)

    candidates = [known(row) for row in rows[:HEADER_SEARCH]]
    for index, names in enumerate(candidates):
        if REQUIRED <= names:
            return index
    return max(range(len(candidates)), key=lambda index: (len(candidates[index]), -index), default=0)


def check_rows(
    rows: Sequence[Sequence[Cell]],
    unit_ids: Mapping[str, int],
    person_ids: Mapping[str, Sequence[int]],
    *,
    first_row: int = 1,
    earliest: date | None = None,
) -> list[SheetItem]:
    """Every item of the sheet, or SheetProblems naming every bad row.

    ``rows`` starts at the sheet's row ``first_row``; the header is the first of its top rows with every required
    column (header_row), and what stands above it is not read. ``unit_ids`` maps
    each unit's name (and short name) to its id; ``person_ids`` each office person's name to the ids of the
    people so named (two of one name make the name ambiguous). ``earliest``: the first deadline allowed (the
    day of the import), judged here with the rest so that a past deadline is named with every other bad row."""
    if not rows:
        raise SheetProblems([RowProblem(first_row, "表格是空的，请使用程序导出的模板填写")])
    if len(rows) - 1 > MAX_ROWS:
        raise SheetProblems([RowProblem(first_row, f"表格超过{MAX_ROWS}行，请分批导入")])
    above = header_row(rows)
    rows, first_row = rows[above:], first_row + above
    columns = header_columns(rows[0], first_row)
    items: list[SheetItem] = []
    problems: list[RowProblem] = []
    for offset, row in enumerate(rows[1:], start=1):
        number = first_row + offset
        cells = {name: (row[index] if index < len(row) else None) for name, index in columns.items()}
        if all(cell_text(cells.get(name)) == "" for name in COLUMNS if name != "序号"):
            continue
        row_problems: list[str] = []
        item = _check_row(number, cells, unit_ids, person_ids, row_problems, earliest)
        if row_problems:
            problems.append(RowProblem(number, "；".join(row_problems)))
        elif item is not None:
            items.append(item)
    if problems:
        raise SheetProblems(problems)
    if not items:
        raise SheetProblems([RowProblem(first_row + 1, "表格中没有任何事项")])
    return items


def _text(cells: Mapping[str, Cell], name: str, limit: int, problems: list[str]) -> str:
    text = cell_text(cells.get(name))
    if name in REQUIRED and not text:
        problems.append(f"缺少{name}")
    elif len(text) > limit:
        problems.append(f"{name}超过{limit}字（现有{len(text)}字）")
    elif (problem := printable_problem(text, name)) is not None:
        problems.append(problem)
    return text


def _check_row(
    number: int, cells: Mapping[str, Cell], unit_ids: Mapping[str, int], person_ids: Mapping[str, Sequence[int]],
    problems: list[str], earliest: date | None,
) -> SheetItem | None:
    title = _text(cells, "事项名称", TITLE_MAX, problems)
    requirement = _text(cells, "工作要求", REQUIREMENT_MAX, problems)
    source = ""
    source_text = cell_text(cells.get("事项来源"))
    if not source_text:
        problems.append("缺少事项来源")
    else:
        try:
            source = source_of(source_text)
        except ValidationError as error:
            problems.append(error.message)
    lead_name = cell_text(cells.get("牵头单位"))
    lead_id = unit_ids.get(lead_name)
    if not lead_name:
        problems.append("缺少牵头单位")
    elif lead_id is None:
        problems.append(f"牵头单位“{lead_name}”不在单位名录中，请先在单位管理中添加或改为名录中的名称")
    co_ids: list[int] = []
    for name in filter(None, _SPLIT_UNITS.split(cell_text(cells.get("协办单位")))):
        found = unit_ids.get(name)
        if found is None:
            problems.append(f"协办单位“{name}”不在单位名录中")
        elif found != lead_id and found not in co_ids:
            co_ids.append(found)
    responsible: int | None = None
    person = cell_text(cells.get("责任人"))
    if person:
        matches = person_ids.get(person, ())
        if not matches:
            problems.append(f"责任人“{person}”不是在岗的文秘人员、办公室主任或副主任，请改正或留空（由导入人负责）")
        elif len(matches) > 1:
            problems.append(f"有{len(matches)}位用户都叫“{person}”，请导入后在事项中指定责任人，此处留空")
        else:
            responsible = matches[0]
    priority: PriorityClass | None = None
    class_text = cell_text(cells.get("督办类别"))
    if not class_text:
        problems.append("缺少督办类别")
    else:
        try:
            priority = priority_class(class_text)
        except ValidationError as error:
            problems.append(error.message)
    deadline: date | None = None
    if cell_text(cells.get("办结时限")) == "":
        problems.append("缺少办结时限")
    else:
        try:
            deadline = parse_deadline(cells.get("办结时限"))
        except ValidationError as error:
            problems.append(error.message)
        if deadline is not None and earliest is not None and deadline < earliest:
            problems.append(past_deadline(deadline))
    if problems or lead_id is None or priority is None or deadline is None:
        return None
    return SheetItem(number, source, title, requirement, lead_id, tuple(co_ids), responsible, priority, deadline)
