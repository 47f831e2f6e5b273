"""信访台账 in Excel: the ledger's rows as the list selected them (listing.PetitionFilter), in the printed ledger's
columns and order, the phone masked unless the reader handles petitions; and the import's template (the import's
header and one example row).

An export is a reading of the petitioners' particulars like any other: the unmasked reading is recorded in the
audit log (台账导出) with the export itself, in one commit. The ledger is the office's: a unit's 联络员 sees the
cases assigned to their unit in the list, and is refused the office's ledger.

The workbook is written here, below the UI (which only saves the bytes): every text cell is written as text and
one that a spreadsheet would read as a formula (=, +, -, @ …) is quoted, since a petitioner's words are typed by
anyone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.errors import PermissionDenied
from app.core.petitions.flow import ENTITY
from app.core.petitions.ledger_sheet import COLUMNS as IMPORT_COLUMNS
from app.core.petitions.ledger_sheet import EXAMPLE
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records
from app.services.petitions.listing import PetitionFilter, PetitionRow, ledger_rows

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# The printed ledger's columns (app.printing.petitions.ledger.COLUMNS), in its order; the request in full here.
EXPORT_COLUMNS: tuple[str, ...] = (
    "序号", "编号", "登记日期", "信访方式", "信访人", "联系电话", "信访诉求", "问题类别", "问题属地", "承办单位", "办理状态",
    "处理意见",
)
SHEET_TITLE = "信访台账"
TEMPLATE_TITLE = "信访件导入"
# Text a spreadsheet reads as a formula (or turns into one when the cell is edited).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
DATE_FORMAT = "yyyy-mm-dd"
# Column widths in Excel's units (one digit; a CJK character takes about two).
WIDTHS: dict[str, int] = {"序号": 6, "编号": 16, "登记日期": 12, "信访诉求": 60, "住址": 30, "诉求": 60, "身份证号": 21}
DEFAULT_WIDTH = 14


def require_ledger_reader(actor: Actor, doing: str) -> None:
    """The 信访台账 is printed and exported by those who see every case; a unit's 联络员 is told where theirs are."""
    if not records.sees_all(actor):
        raise PermissionDenied(f"信访台账由信访接待员、办公室人员和县领导{doing}，承办单位请在信访列表中查看交办给本单位的信访件")


@dataclass(frozen=True)
class LedgerExport:
    """An exported ledger: the workbook's bytes and how many cases it holds."""

    content: bytes
    count: int


def export_cells(serial: int, row: PetitionRow) -> list[object]:
    """One case in the export's columns (the phone as the list gave it: masked unless the reader handles them)."""
    return [
        serial, row.number, row.received_on, row.channel_text, row.name, row.phone, row.request, row.category, row.place,
        row.handling_unit_name, row.state_label, row.decision,
    ]


def _text_cell(sheet: Worksheet, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _cells(sheet: Worksheet, values: Sequence[object]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            # An empty text is an empty cell, as a person leaves it.
            cells.append(_text_cell(sheet, value) if value else None)
        elif isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def workbook_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> bytes:
    """One sheet: an optional caption line, the bold heading row (frozen, with filters), then the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for index, name in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, DEFAULT_WIDTH)
    heading = 2 if caption else 1
    sheet.freeze_panes = f"A{heading + 1}"
    sheet.auto_filter.ref = f"A{heading}:{get_column_letter(len(headers))}{heading}"
    if caption:
        sheet.append([_text_cell(sheet, caption)])
    bold = Font(bold=True)
    head = []
    for name in headers:
        cell = _text_cell(sheet, name)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        sheet.append(_cells(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@acting
def export_ledger(
    uow: UnitOfWork, actor: Actor, f: PetitionFilter = PetitionFilter(), *, caption: str = "",
    today: date | None = None,
) -> LedgerExport:
    """The ledger's rows as ``f`` selects them, as an .xlsx workbook; the export (and an unmasked reading, 台账导出)
    recorded in the audit log. Commits."""
    require_ledger_reader(actor, "导出")
    with uow.as_one():
        rows = ledger_rows(uow, actor, f, today=today, where="台账导出")
        uow.record(actor.id, actor.username, "export", ENTITY, None,
                   {"form": "信访台账", "count": len(rows), "masked": not records.sees_unmasked(actor)})
    content = workbook_bytes(SHEET_TITLE, EXPORT_COLUMNS, [export_cells(n, r) for n, r in enumerate(rows, start=1)],
                             caption)
    uow.commit()
    return LedgerExport(content, len(rows))


def ledger_template() -> bytes:
    """The import's template: its header, and one example row to overwrite."""
    return workbook_bytes(TEMPLATE_TITLE, IMPORT_COLUMNS, [list(EXAMPLE)])
