"""The 信访台账 exported to Excel: the printed ledger's columns and rows, as the list's filters select them, the
phone masked for whoever does not handle petitions, the export (and an unmasked reading, 台账导出) in the audit
log; a text a spreadsheet would take for a formula written as text; a unit's 联络员 refused. The import template's
header. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.core.ids import mask_phone
from app.core.petitions.ledger_sheet import COLUMNS, EXAMPLE
from app.db.tables import audit_log
from app.printing.petitions.ledger import COLUMNS as PRINTED
from app.services.petitions.ledger import EXPORT_COLUMNS, LedgerExport, export_ledger, ledger_template
from app.services.petitions.listing import PetitionFilter
from tests.helpers.document_office import TODAY, Office
from tests.helpers.petitions_forms import reply_case
from tests.helpers.petitions_office import PETITIONER_PHONE, REQUEST, build_petition_office, new_petition


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_petition_office(ctx)


def _export(o: Office, who: str, f: PetitionFilter = PetitionFilter(), caption: str = "") -> LedgerExport:
    made: LedgerExport = o.run(export_ledger, o.people[who], f, caption=caption, today=TODAY)
    return made


def _rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _audit(o: Office, action: str) -> list[tuple[str, dict[str, Any]]]:
    with o.ctx.uow() as uow:
        rows = uow.execute(select(audit_log.c.username, audit_log.c.detail).where(audit_log.c.action == action)
                           .order_by(audit_log.c.seq)).all()
    found = [(r.username, json.loads(r.detail)) for r in rows]
    # The acts that took the case along read it unmasked too (办理): these tests look at the export's reads.
    return [row for row in found if row[1].get("where") != "办理"]


def test_export_has_the_printed_columns_masked_for_the_clerk_and_audited(office: Office) -> None:
    first = new_petition(office)
    new_petition(office, name="李大明", phone="13900001111", id_number="", category="征地拆迁", place="城东乡",
                 request="=HYPERLINK(\"http://example.invalid\",\"点此查看\")")
    reply_case(office, first, "解释说明")

    made = _export(office, "clerk", caption="2026年全部信访件")
    rows = _rows(made.content)
    assert made.count == 2 and rows[0] == ["2026年全部信访件", *[None] * (len(EXPORT_COLUMNS) - 1)]
    assert tuple(rows[1]) == EXPORT_COLUMNS == tuple(c.header for c in PRINTED)
    assert rows[2] == [1, "信〔2026〕1号", datetime(2026, 11, 2), "来访", "王建国", mask_phone(PETITIONER_PHONE), REQUEST,
                       "商品房两证办理", "城关镇", None, "已答复", "解释说明"]
    # A petitioner's words are never a live formula in the office's spreadsheet.
    assert rows[3][6] == "=HYPERLINK(\"http://example.invalid\",\"点此查看\")"
    cell = load_workbook(io.BytesIO(made.content)).worksheets[0]["G4"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert _audit(office, "view_unmasked") == []
    assert [(who, detail["count"], detail["masked"]) for who, detail in _audit(office, "export")] == [
        ("clerk", 2, True)]

    officer = _rows(_export(office, "petition", PetitionFilter(category="征地拆迁")).content)
    assert [(r[4], r[5]) for r in officer[1:]] == [("李大明", "13900001111")]
    assert [(who, d["where"]) for who, d in _audit(office, "view_unmasked")] == [("petition", "台账导出")]
    assert [(who, d["masked"]) for who, d in _audit(office, "export")][-1] == ("petition", False)


def test_export_follows_the_list_filters_and_is_refused_to_a_unit(office: Office) -> None:
    new_petition(office)
    new_petition(office, received_on=date(2026, 9, 30))
    october_on = PetitionFilter(date_from=date(2026, 10, 1), date_to=date(2026, 12, 31))
    assert _export(office, "mayor", october_on).count == 1
    assert _export(office, "director", PetitionFilter(box="repeats")).count == 1
    for who in ("liaison_fin", "liaison_edu", "finance"):
        with pytest.raises(PermissionDenied, match="信访台账由信访接待员、办公室人员和县领导导出"):
            _export(office, who)
    assert [who for who, _d in _audit(office, "export")] == ["mayor", "director"]


def test_the_template_holds_the_import_header_and_an_example() -> None:
    rows = _rows(ledger_template())
    # The example leaves the ID number blank (an empty cell), as a petitioner who gives none.
    assert tuple(rows[0]) == COLUMNS and tuple(rows[1]) == tuple(v if v != "" else None for v in EXAMPLE)
    assert len(rows) == 2
