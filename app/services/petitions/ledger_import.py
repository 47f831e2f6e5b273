"""Importing a 信访台账 kept in Excel (the backlog of a year, a township's register): every row becomes a case at
登记, or none does.

The file is read as hostile (app.services.kernel.sheets: not a workbook, too large, a zip bomb); its cells are
judged by app.core.petitions.ledger_sheet; each row then goes through the registration's own check
(records.check_petition), so an ID number, a phone or a channel is held to the same rules as on the form. Every
problem of every row is gathered first and named with its row number (SheetProblems); nothing is written unless
every row is good. The cases are then written as registration writes them (records.add_petition, the importing
person answering for each: 首问负责), each checked for repeats among the cases before it, those of the same file
included, flagged and linked (repeats.matches_for, repeats.link_repeats); the import commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.errors import GovDeskError
from app.core.petitions.flow import ENTITY
from app.core.petitions.ledger_sheet import MAX_ROWS, RowProblem, SheetProblems, SheetRow, parse_rows
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.sheets import read_first_sheet
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records, repeats

MAX_FILE_NAME = 200


@dataclass(frozen=True)
class ImportedPetitions:
    """What an import made: the cases' numbers in sheet order, and how many were flagged as repeats."""

    numbers: tuple[str, ...]
    repeats: int

    @property
    def count(self) -> int:
        return len(self.numbers)


def _input(row: SheetRow) -> records.PetitionInput:
    return records.PetitionInput(
        channel=row.channel, channel_detail=row.channel_detail, received_on=row.received_on, name=row.name,
        id_number=row.id_number, phone=row.phone, address=row.address, request=row.request, category=row.category,
        place=row.place, people_count=row.people_count,
    )


def checked_rows(data: bytes, file_name: str, today: date) -> list[records.CheckedPetition]:
    """Every row of the sheet checked as registration checks it, or SheetProblems naming every bad row."""
    rows = read_first_sheet(data, file_name, MAX_ROWS)
    checked: list[records.CheckedPetition] = []
    problems: list[RowProblem] = []
    for row in parse_rows(rows):
        if isinstance(row, RowProblem):
            problems.append(row)
            continue
        try:
            checked.append(records.check_petition(_input(row), today))
        except GovDeskError as error:
            problems.append(RowProblem(row.row, error.message))
    if problems:
        raise SheetProblems(problems)
    return checked


@acting
def import_petitions(
    uow: UnitOfWork, actor: Actor, data: bytes, file_name: str, *, today: date | None = None,
) -> ImportedPetitions:
    """Every row of the sheet becomes a case at 登记, answered for by whoever imports it, or none does. Only those
    who register petitions may import them. Commits."""
    today = today or date.today()
    require_role(actor, records.HANDLERS, "导入信访件")
    checked = checked_rows(data, file_name, today)
    numbers: list[str] = []
    flagged = 0
    with uow.as_one():
        for case in checked:
            # The cases of the file before this one are written already (flushed): a repeat within the file is
            # found as a repeat of an earlier registration is.
            matches = repeats.matches_for(uow, actor, repeats.facts_of(case), category=case.category,
                                          place=case.place)
            petition, _instance = records.add_petition(uow, actor, case, today)
            if matches:
                petition.is_repeat = True
                flagged += 1
                repeats.link_repeats(uow, actor, petition, [m.petition_id for m in matches])
            numbers.append(petition.number)
        uow.flush()
        uow.record(actor.id, actor.username, "import", ENTITY, None,
                   {"file": file_name[-MAX_FILE_NAME:], "petitions": len(numbers), "repeats": flagged})
    uow.commit()
    return ImportedPetitions(tuple(numbers), flagged)
