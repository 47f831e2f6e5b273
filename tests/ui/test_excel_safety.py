"""Exports carry no formulas (issue 13 point 6): a title typed as =HYPERLINK(...) is text in the xlsx, in the
发文登记 and in the claim list, while dates and amounts stay real dates and numbers."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from app.core.claims import LineInput
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.ui.claims.page import ClaimsPage
from app.ui.documents.page import DocumentsPage
from app.ui.prefs import Prefs
from app.ui.widgets.excel import ExcelSheet, new_workbook, save_workbook
from tests.helpers.loading import wait_loaded
from tests.helpers.ui import Office

HOSTILE = [
    '=HYPERLINK("http://x","点我")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "＝HYPERLINK(\"http://x\")",
]


@pytest.fixture(autouse=True)
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr("app.ui.widgets.list_page.inform", lambda _parent, title, text: said.append(text))
    return said


def assert_no_formula(target: Path) -> None:
    """No cell of any sheet is a formula, read from the file's raw XML as well as through openpyxl."""
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
    for sheet in load_workbook(target).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)


def test_the_outgoing_register_writes_a_formula_title_as_text(
    qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, told: list[str]
) -> None:
    for title in HOSTILE:
        with office.ctx.uow() as uow:
            outgoing.create_draft(uow, office.clerk, title=title, doc_type="通知", disclosure="主动公开")
    page = DocumentsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_loaded(qtbot, page.outgoing.model)
    target = tmp_path / "发文登记.xlsx"
    page.outgoing.export_to(target)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert_no_formula(target)
    sheet = load_workbook(target).active
    headers = [cell.value for cell in sheet[1]]
    titles = {sheet.cell(row=r, column=headers.index("标题") + 1).value for r in range(2, sheet.max_row + 1)}
    # The text is kept as stored (the service trims the ends), not changed: only its cell type differs.
    assert titles == {title.strip() for title in HOSTILE}
    cells = [sheet.cell(row=r, column=headers.index("标题") + 1) for r in range(2, sheet.max_row + 1)]
    # Quoted, so that Excel does not make a formula of it when someone edits the cell either.
    assert all(cell.quotePrefix for cell in cells if cell.value[0] in "=+-@")
    date_cell = sheet.cell(row=2, column=headers.index("日期") + 1)
    assert isinstance(date_cell.value, datetime)


def test_the_claim_list_writes_a_formula_summary_as_text(
    qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, told: list[str]
) -> None:
    with office.ctx.uow() as uow:
        claims.create_claim(uow, office.clerk, claims.ClaimInput(
            office.unit_id, date.today(), [LineInput(HOSTILE[0], "办公费", "120")], 1), submit=True)
    page = ClaimsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.mine)
    page.refresh()
    qtbot.waitUntil(lambda: page.mine.model.rowCount() == 1)
    target = tmp_path / "我的报销单.xlsx"
    page.mine.export_to(target)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert_no_formula(target)
    sheet = load_workbook(target).active
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=headers.index("摘要") + 1).value == HOSTILE[0]


def test_numbers_and_dates_stay_numbers_and_dates_beside_hostile_text(tmp_path: Path) -> None:
    book = new_workbook()
    sheet = ExcelSheet(book, "表", ["=标题", "金额", "日期", "件数"], caption="=HYPERLINK(\"http://x\")")
    sheet.append([HOSTILE[1], Decimal("-12.50"), date(2026, 1, 2), -3])
    target = tmp_path / "x.xlsx"
    save_workbook(book, [sheet], target)
    assert_no_formula(target)
    read = load_workbook(target).active
    assert read["A1"].value == "=HYPERLINK(\"http://x\")" and read["A2"].value == "=标题"
    assert read["A3"].value == HOSTILE[1]
    assert read["B3"].value == -12.5 and read["B3"].data_type == "n"
    assert read["C3"].is_date and read["D3"].value == -3
