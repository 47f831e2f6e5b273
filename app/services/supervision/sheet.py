"""The 目标任务分解表 import: a year's 政府工作报告 targets (or any list of items) from an .xlsx sheet, all or
nothing. The cells are judged by app.core.supervision.ledger_sheet; what needs the database (the units'
and people's names, a deadline already past) is judged here, row by row, so that every bad row is named at
once with what to fix, and nothing is written unless every row is good."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import GovDeskError
from app.core.supervision.ledger_sheet import (
    MAX_ROWS,
    RowProblem,
    SheetItem,
    SheetProblems,
    check_rows,
    past_deadline,
)
from app.models import Unit
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.sheets import read_first_sheet
from app.services.kernel.uow import UnitOfWork
from app.services.supervision.items import (
    REGISTRARS,
    CheckedItem,
    ItemInput,
    add_item,
    check_item,
    responsible_candidates,
)


@dataclass(frozen=True)
class SheetImport:
    """What an import made: how many items, and their numbers in sheet order."""

    count: int
    numbers: tuple[str, ...]


def _unit_names(uow: UnitOfWork) -> dict[str, int]:
    names: dict[str, int] = {}
    for unit_id, name, short in uow.session.execute(
        select(Unit.id, Unit.name, Unit.short_name).where(Unit.active.is_(True))
    ).all():
        names[name] = unit_id
        if short:
            names.setdefault(short, unit_id)
    return names


def _people_names(uow: UnitOfWork) -> dict[str, list[int]]:
    people: dict[str, list[int]] = {}
    for user in responsible_candidates(uow):
        people.setdefault(user.full_name, []).append(user.id)
    return people


@acting
def import_items(uow: UnitOfWork, actor: Actor, data: bytes, filename: str, today: date | None = None) -> SheetImport:
    """Every row of the sheet becomes an item at 立项, or none does (SheetProblems names every bad row). A row
    without a 责任人 is answered for by whoever imports it. Commits."""
    today = today or date.today()
    require_role(actor, REGISTRARS, "导入督办事项")
    rows = read_first_sheet(data, filename, MAX_ROWS)
    sheet_items = check_rows(rows, _unit_names(uow), _people_names(uow), earliest=today)
    checked: list[CheckedItem] = []
    problems: list[RowProblem] = []
    for row in sheet_items:
        try:
            checked.append(check_item(uow, _input(row, actor), today))
        except GovDeskError as error:
            problems.append(RowProblem(row.row, _row_message(error.message, row)))
    if problems:
        raise SheetProblems(problems)
    made = [add_item(uow, actor, item, today) for item in checked]
    uow.record(actor.id, actor.username, "import", "supervision_item", None,
               {"file": filename[-200:], "items": len(made)})
    numbers = tuple(item.number for item in made)
    uow.commit()
    return SheetImport(len(made), numbers)


def _input(row: SheetItem, actor: Actor) -> ItemInput:
    return ItemInput(
        source=row.source, title=row.title, requirement=row.requirement, lead_unit_id=row.lead_unit_id,
        co_unit_ids=list(row.co_unit_ids), responsible_id=row.responsible_id if row.responsible_id is not None else actor.id,
        priority=row.priority.label, deadline=row.deadline,
    )


def _row_message(message: str, row: SheetItem) -> str:
    if "责任人" in message and row.responsible_id is None:
        return "未填写责任人，导入人又不是文秘人员或办公室领导，请填写责任人"
    if "办结时限不能早于今天" in message:
        return past_deadline(row.deadline)
    return message
