"""The 信访 page's 台账 button: the ledger exported to Excel as the current list's filters select it, for the
office; an existing ledger imported, with its template, for those who handle petitions; nothing for a unit's
联络员. The export is run through the real service and the workbook read back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.ui.petitions import ledger_export
from app.ui.petitions.page import PetitionsPage
from app.ui.prefs import Prefs
from tests.helpers.document_office import Office
from tests.helpers.loading import wait_loaded
from tests.helpers.petitions_office import build_petition_office, id_number, register


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_petition_office(sqlite_ctx)


def _page(qtbot: QtBot, o: Office, who: str, prefs: Prefs) -> PetitionsPage:
    page = PetitionsPage(o.ctx, o.people[who], prefs)
    qtbot.addWidget(page)
    page.resize(1126, 700)
    page.show()
    return page


def _menu(page: PetitionsPage) -> list[str]:
    row = page.corner_row
    buttons = [row.itemAt(i).widget() for i in range(row.count())]
    ledger = next((b for b in buttons if b is not None and b.text() == "台账"), None)
    if ledger is None:
        return []
    return [action.text() for action in ledger.menu().actions() if action.isVisible()]


@pytest.mark.parametrize(("who", "entries"), [
    ("petition", ["打印台账…", "导出Excel…", "导入台账…", "保存导入模板…"]),
    ("director", ["打印台账…", "导出Excel…", "导入台账…", "保存导入模板…"]),
    ("clerk", ["打印台账…", "导出Excel…"]),
    ("mayor", ["打印台账…", "导出Excel…"]),
    ("liaison_fin", []),
])
def test_the_ledger_button_offers_what_each_role_may_do(qtbot: QtBot, office: Office, prefs: Prefs, who: str,
                                                        entries: list[str]) -> None:
    assert _menu(_page(qtbot, office, who, prefs)) == entries


def test_the_export_takes_the_current_lists_filters(
    qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    register(office)
    register(office, name="李秀英", id_number=id_number("19701105", "246"), phone="13900001111",
             request="反映河西村土地承包经营权被村委会收回，要求恢复承包", category="农村农业", place="城关镇")
    page = _page(qtbot, office, "clerk", prefs)
    listing = page.lists["all"]
    page.tabs.setCurrentWidget(listing)
    wait_loaded(qtbot, listing.model)
    f, caption = page._current_filter()
    assert (f.box, f.category, caption) == ("all", None, "全部信访件")
    target = tmp_path / "台账.xlsx"
    monkeypatch.setattr(ledger_export, "ask_excel_file", lambda *_args, **_kwargs: target)
    monkeypatch.setattr(ledger_export, "inform", lambda *_args, **_kwargs: None)
    action = next(a for a in page.findChildren(ledger_export.LedgerExportAction))
    assert action.current() == (f, caption)
    # As the list narrowed to one category would give it.
    action.current = lambda: (f.__class__(box="all", category="农村农业"), "农村农业")
    action.export()
    QApplication.processEvents()
    sheet = load_workbook(target).active
    cells = [str(cell.value or "") for row in sheet.iter_rows() for cell in row]
    assert any("李秀英" in c for c in cells) and not any("王建国" in c for c in cells)
    # The clerk reads phones masked.
    assert any(c == "139****1111" for c in cells) and not any(c == "13900001111" for c in cells)


def test_the_printed_ledger_is_the_current_lists_cases_read_back(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from pypdf import PdfReader

    from app.ui.widgets import print_preview

    register(office)
    page = _page(qtbot, office, "mayor", prefs)
    shown: list[bytes] = []

    class Preview:
        def __init__(self, _title: str, pdf: bytes, _name: str, _parent: object) -> None:
            shown.append(pdf)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(print_preview, "PrintPreviewDialog", Preview)
    page.print_ledger()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(shown[0])).pages)
    assert "信访台账" in text and "王建国" in text and "138****5678" in text and "13812345678" not in text
