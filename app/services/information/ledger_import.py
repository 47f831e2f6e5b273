"""导入信息台账: the items and research articles of a year (or several) kept in Excel, brought in as one act, all or
none, with the issues of 《政务信息》 they were compiled into and their adoptions by higher levels.

- The file is read as hostile (app.services.kernel.sheets: not a workbook, too large, a zip bomb); its cells are
  judged by app.core.information.ledger_sheet (a formula, a huge cell, a wrong type is a named problem).
- Each row is then checked against the database: its 报送组 must be an active group; it must not repeat an item
  already there (same 标题, 报送组 and 报送日期); the issue its 编入期号 names must not be one the program already
  holds (an issue edited or issued in the program takes its items there, not from a sheet).
- Every problem of every row is gathered first; nothing is written unless every row is good.
- Each item is written as the form writes it (items.add_item, imported), 报送 on its 报送日期; with an 编入期号 it
  is placed in that issue (year of its 报送日期, made issued if missing, dated its latest item's 报送日期, the
  sequence raised so the next new issue follows it) and compiled; without one it is filed (存档). An adoption
  earns the points of the table in force. The import commits once, with one audit entry holding its counts.

Only the editors (文秘人员, 办公室主任, 副主任) import a ledger: they enter items for any group and author.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.information.flow import ENTITY
from app.core.information.ledger_sheet import (
    COLUMNS,
    EXAMPLE,
    MAX_ROWS,
    LedgerRow,
    RowProblem,
    SheetProblems,
    issue_dates,
    parse_rows,
)
from app.core.information.points import points_for
from app.core.sheet_cells import quoted
from app.models import User
from app.models.information import InfoAdoption, InfoGroup, InfoGroupMember, InfoIssue, InfoItem
from app.services.information import items, records
from app.services.information.groups import points_table
from app.services.kernel import sequences, settings
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.sheets import read_first_sheet
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow

# The issues' sequence (app.services.information.issues.SEQUENCE): 第N期 of a year.
SEQUENCE = "info_issue"
DEFAULT_FILE_NAME = "信息台账.xlsx"
MAX_FILE_NAME = 200
TEMPLATE_TITLE = "信息台账导入"
DATE_FORMAT = "yyyy-mm-dd"
WIDTHS: dict[str, int] = {"标题": 48, "报送组": 14, "作者": 10, "报送日期": 12, "类型": 10, "编入期号": 10,
                          "采用单位": 20, "采用层级": 10, "采用日期": 12}


@dataclass(frozen=True)
class ImportResult:
    """What an import made: 政务信息 items, research articles, issues of 《政务信息》 made, adoptions and their
    points."""

    items: int
    articles: int
    issues: int
    adoptions: int
    points: int

    @property
    def total(self) -> int:
        return self.items + self.articles


@dataclass(frozen=True)
class _Group:
    id: int
    active: bool
    members: dict[str, int]


def _groups(uow: UnitOfWork) -> dict[str, _Group]:
    found = {str(g.name): _Group(int(g.id), bool(g.active), {})
             for g in uow.execute(select(InfoGroup.id, InfoGroup.name, InfoGroup.active)
                                  .order_by(InfoGroup.position, InfoGroup.id))}
    by_id = {group.id: group for group in found.values()}
    members = uow.execute(
        select(InfoGroupMember.group_id, User.id, User.full_name).join(User, User.id == InfoGroupMember.user_id)
    )
    for member in members:
        group = by_id.get(int(member.group_id))
        if group is not None:
            group.members[str(member.full_name)] = int(member.id)
    return found


def _existing_keys(uow: UnitOfWork, rows: Sequence[LedgerRow]) -> set[tuple[str, int, date]]:
    """The (title, group, 报送日期) of the items already in the database over the sheet's days."""
    days = [row.submitted_on for row in rows]
    if not days:
        return set()
    found = uow.execute(
        select(InfoItem.title, InfoItem.group_id, InfoItem.submitted_on)
        .where(InfoItem.submitted_on.between(min(days), max(days)))
    )
    return {(str(r.title), int(r.group_id), r.submitted_on) for r in found}


def _existing_issues(uow: UnitOfWork, keys: set[tuple[int, int]]) -> dict[tuple[int, int], bool]:
    """Of the issues the sheet names, those the program holds already, with whether each is issued."""
    years = sorted({year for year, _seq in keys})
    if not years:
        return {}
    found = uow.execute(select(InfoIssue.year, InfoIssue.seq, InfoIssue.issued).where(InfoIssue.year.in_(years)))
    return {(int(r.year), int(r.seq)): bool(r.issued) for r in found if (int(r.year), int(r.seq)) in keys}


def _check_against_database(uow: UnitOfWork, rows: Sequence[LedgerRow]) -> tuple[dict[str, _Group], list[RowProblem]]:
    groups = _groups(uow)
    active = "、".join(name for name, group in groups.items() if group.active)
    problems: list[RowProblem] = []
    existing = _existing_keys(uow, rows)
    issues = _existing_issues(uow, set(issue_dates(rows)))
    for row in rows:
        group = groups.get(row.group_name)
        if group is None:
            hint = f"现有信息组的名称（{active}）" if active else "现有信息组的名称（请先在信息组设置中建立信息组）"
            problems.append(RowProblem(row.row, "报送组", f"报送组“{quoted(row.group_name)}”不存在，请填写{hint}"))
        elif not group.active:
            problems.append(RowProblem(row.row, "报送组", f"报送组“{quoted(row.group_name)}”已停用，请改为现有信息组"
                                                        f"（{active}）"))
        elif (row.title, group.id, row.submitted_on) in existing:
            problems.append(RowProblem(row.row, "标题", "程序中已有这篇稿件（标题、报送组和报送日期都相同），"
                                                      "可能已经导入过，请删去这一行"))
        if row.issue_seq is not None and (row.year, row.issue_seq) in issues:
            label = records.issue_label(row.year, row.issue_seq)
            if issues[(row.year, row.issue_seq)]:
                problems.append(RowProblem(row.row, "编入期号", f"编入期号：{label}已在程序中印发，不能再编入稿件，"
                                                             "请核对期号（未编入期刊的空着）"))
            else:
                problems.append(RowProblem(row.row, "编入期号", f"编入期号：{label}正在程序中编辑，请在程序中把稿件编入"
                                                             "该期，或核对期号（未编入期刊的空着）"))
    return groups, problems


def checked_rows(
    uow: UnitOfWork, data: bytes, file_name: str, today: date,
) -> tuple[list[LedgerRow], dict[str, _Group]]:
    """Every row of the sheet, judged and checked against the database, or SheetProblems naming every bad row."""
    sheet = read_first_sheet(data, file_name, MAX_ROWS)
    rows, problems = parse_rows(sheet, today)
    groups, more = _check_against_database(uow, rows)
    if problems or more:
        raise SheetProblems([*problems, *more])
    return rows, groups


def _make_issues(uow: UnitOfWork, actor: Actor, rows: Sequence[LedgerRow]) -> dict[tuple[int, int], InfoIssue]:
    office = settings.get_setting(uow, "office_name")
    made: dict[tuple[int, int], InfoIssue] = {}
    for (year, seq), day in sorted(issue_dates(rows).items()):
        issue = InfoIssue(year=year, seq=seq, issue_date=day, issued=True, editor_unit=str(office)[:60],
                          issued_by_name=actor.full_name[:50], edited_by_name=actor.full_name[:50])
        uow.session.add(issue)
        made[(year, seq)] = issue
    # Once per year, to its highest 第N期: raise_to may insert the year's row on a connection of its own, which on
    # a server would wait for this transaction's own earlier raise of that row.
    highest: dict[int, int] = {}
    for year, seq in made:
        highest[year] = max(highest.get(year, 0), seq)
    for year, seq in sorted(highest.items()):
        sequences.raise_to(uow, SEQUENCE, year, seq)
    uow.flush()
    return made


@acting
def import_items(
    uow: UnitOfWork, actor: Actor, data: bytes, *, today: date | None = None, file_name: str = DEFAULT_FILE_NAME,
) -> ImportResult:
    """Every row of the ledger becomes an item or article 报送 on its 报送日期 and compiled into its issue or
    filed, with its adoption, or none does. For the editors. Commits."""
    today = today or date.today()
    require_role(actor, records.EDITOR_ROLES, "导入信息台账")
    rows, groups = checked_rows(uow, data, file_name, today)
    table = points_table(uow)
    counts: dict[str, int] = defaultdict(int)
    with uow.as_one():
        issues = _make_issues(uow, actor, rows)
        positions: dict[tuple[int, int], int] = defaultdict(int)
        for row in rows:
            group = groups[row.group_name]
            checked = items.CheckedItem(row.kind, row.title, "", group.id, row.author, group.members.get(row.author))
            item, instance = items.add_item(uow, actor, checked, row.submitted_on, imported=True)
            workflow.apply_transition(uow, actor, instance, "submit", "", {}, row.submitted_on)
            item.submitted_on = row.submitted_on
            if row.issue_seq is not None:
                key = (row.year, row.issue_seq)
                positions[key] += 1
                item.issue_id, item.issue_position = issues[key].id, positions[key]
                workflow.apply_transition(uow, actor, instance, "compile", "", {}, issues[key].issue_date)
            else:
                workflow.apply_transition(uow, actor, instance, "file", "", {}, row.submitted_on)
            if row.adoption is not None:
                points = points_for(row.adoption.level, table)
                item.adoptions.append(InfoAdoption(
                    body=row.adoption.body, level=row.adoption.level, adopted_on=row.adoption.adopted_on,
                    points=points, recorded_by_name=actor.full_name[:50],
                ))
                counts["adoptions"] += 1
                counts["points"] += points
            counts["articles" if row.kind == "article" else "items"] += 1
        uow.flush()
        result = ImportResult(items=counts["items"], articles=counts["articles"], issues=len(issues),
                              adoptions=counts["adoptions"], points=counts["points"])
        uow.record(actor.id, actor.username, "import", ENTITY, None, {
            "file": file_name[-MAX_FILE_NAME:], "items": result.items, "articles": result.articles,
            "issues": [records.issue_label(year, seq) for year, seq in sorted(issues)],
            "adoptions": result.adoptions, "points": result.points,
        })
    uow.commit()
    return result


def template_sheet() -> bytes:
    """保存导入模板: the ledger's header row and one example row, the dates as date cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = TEMPLATE_TITLE
    sheet.append(list(COLUMNS))
    sheet.append(list(EXAMPLE))
    for index, name in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        example = sheet.cell(row=2, column=index)
        if isinstance(example.value, date):
            example.number_format = DATE_FORMAT
        else:
            example.data_type = "s"
        letter = header.column_letter
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 12)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
