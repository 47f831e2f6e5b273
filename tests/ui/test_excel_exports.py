"""Excel exports read like the screen: real dates and amounts, sized columns, the list's own order."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.errors import GovDeskError
from app.services.documents import outgoing
from app.ui.documents.page import DocumentsPage
from app.ui.prefs import Prefs
from app.ui.widgets.excel import ExcelSheet, new_workbook, save_workbook, text_width
from tests.helpers.loading import wait_loaded
from tests.helpers.ui import Office


@pytest.fixture(autouse=True)
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the export told the user when it finished (instead of a modal box nobody would close)."""
    said: list[str] = []
    monkeypatch.setattr("app.ui.widgets.list_page.inform", lambda _parent, title, text: said.append(f"{title}：{text}"))
    return said


TITLES = ["关于开展安全生产大检查的通知", "关于召开防汛工作会议的通知", "关于做好冬季森林防火工作的通知"]


def documents_page(qtbot: QtBot, office: Office, prefs: Prefs) -> DocumentsPage:
    for title in TITLES:
        with office.ctx.uow() as uow:
            outgoing.create_draft(uow, office.clerk, title=title, doc_type="通知", disclosure="主动公开")
    page = DocumentsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_loaded(qtbot, page.outgoing.model)
    return page


def test_a_list_exports_in_the_order_the_screen_shows(qtbot: QtBot, office: Office, prefs: Prefs,
                                                      tmp_path: Path, told: list[str]) -> None:
    page = documents_page(qtbot, office, prefs).outgoing
    title_column = next(i for i, c in enumerate(page.spec.columns) if c.title == "标题")
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
        page.model.sort(title_column, order)
        wait_loaded(qtbot, page.model)
        shown = [page.model.index(r, title_column).data() for r in range(page.model.rowCount())]
        target = tmp_path / f"发文-{order.name}.xlsx"
        page.export_to(target)
        qtbot.waitUntil(lambda: target.exists() and f"{target}" in "".join(told), timeout=5000)
        rows = list(load_workbook(target).active.iter_rows(values_only=True))
        assert [row[title_column] for row in rows[1:]] == shown


def test_dates_are_dates_and_columns_fit_their_text(qtbot: QtBot, office: Office, prefs: Prefs,
                                                    tmp_path: Path, told: list[str]) -> None:
    page = documents_page(qtbot, office, prefs).outgoing
    target = tmp_path / "发文.xlsx"
    page.export_to(target)
    qtbot.waitUntil(lambda: bool(told), timeout=5000)
    assert told == [f"导出完成：已导出 3 条到：\n{target}"]
    sheet = load_workbook(target).active
    headers = [cell.value for cell in sheet[1]]
    date_cell = sheet.cell(row=2, column=headers.index("日期") + 1)
    shown = page.model.index(0, headers.index("日期")).data()
    assert isinstance(date_cell.value, datetime) and f"{date_cell.value:%Y-%m-%d}" == shown
    assert date_cell.number_format == "yyyy-mm-dd"
    title_letter = sheet.cell(row=1, column=headers.index("标题") + 1).column_letter
    # The longest title is 15 characters, 30 digit-widths: Excel's default column is 8.43.
    assert sheet.column_dimensions[title_letter].width >= text_width(max(TITLES, key=len))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref is not None


def test_amounts_and_a_chosen_date_format(tmp_path: Path) -> None:
    from decimal import Decimal

    book = new_workbook()
    sheet = ExcelSheet(book, "目录[2026]", ["日期", "金额（元）"], caption="2026年", formats={0: "yyyymmdd"})
    sheet.append([date(2026, 11, 29), Decimal("1234.50")])
    save_workbook(book, [sheet], tmp_path / "x.xlsx")
    written = load_workbook(tmp_path / "x.xlsx")["目录 2026 "]
    assert written["A1"].value == "2026年" and written.freeze_panes == "A3"
    assert written["A3"].number_format == "yyyymmdd" and written["A3"].value == datetime(2026, 11, 29)
    assert written["B3"].number_format == "#,##0.00" and written["B3"].value == 1234.5
    assert not list(tmp_path.glob("*.partial.xlsx"))


def test_a_file_that_cannot_be_written_says_what_to_do(tmp_path: Path) -> None:
    book = new_workbook()
    sheet = ExcelSheet(book, "表", ["列"])
    with pytest.raises(GovDeskError, match="无法保存到.*请换一个文件夹"):
        save_workbook(book, [sheet], tmp_path / "没有这个文件夹" / "x.xlsx")


def test_the_claims_report_exports_amounts_as_numbers(qtbot: QtBot, office: Office, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from decimal import Decimal

    from app.core.claims import LineInput
    from app.core.roles import Role
    from app.services.claims import records as claims
    from app.ui.claims.reports import ClaimReportsTab
    from tests.helpers import add_user

    finance = add_user(office.ctx, "kuaiji", [Role.FINANCE], office.unit_id, "王会计")
    with office.ctx.uow() as uow:
        claims.create_claim(uow, office.clerk, claims.ClaimInput(
            office.unit_id, date.today(), [LineInput("赴市参加培训住宿费", "培训费", "1234.50")], 1,
        ), submit=True)
    said: list[str] = []
    monkeypatch.setattr("app.ui.claims.reports.inform", lambda _p, _t, text: said.append(text))
    tab = ClaimReportsTab(office.ctx, finance)
    qtbot.addWidget(tab)
    tab.refresh()
    target = tmp_path / "报账统计.xlsx"
    tab.export_to(target)
    assert said == [f"已导出到：\n{target}"]
    book = load_workbook(target)
    by_unit = book["按部门"]
    assert by_unit["A1"].value.startswith("报销日期") and by_unit["A2"].value == "部门"
    amount = by_unit["C3"]
    assert amount.value == float(Decimal("1234.50")) and amount.number_format == "#,##0.00"
    assert by_unit.freeze_panes == "A3"
