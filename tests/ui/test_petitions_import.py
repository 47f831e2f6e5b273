"""The 信访台账's import dialog and its Excel export, driven as the officer uses them: a sheet with bad rows lists every
one of them (more than the 50 a message shows) and registers nothing, the dialog stays open; the corrected sheet
is imported and the dialog says how many and which; the template is saved where asked. The export action, shown
only to those who may export, saves the list's cases as filtered, the phone masked for the 文秘. The dialog is
looked at at 1366×768, at text size 中 and 大."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.ids import mask_phone
from app.core.petitions.ledger_sheet import COLUMNS
from app.models.petitions import Petition
from app.services.petitions.listing import PetitionFilter
from app.ui.petitions import import_dialog, ledger_export
from app.ui.petitions.import_dialog import PetitionImportDialog
from app.ui.petitions.ledger_export import LedgerExportAction
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office
from tests.helpers.petitions_forms import import_sheet
from tests.helpers.petitions_office import PETITIONER_PHONE, build_petition_office, new_petition

GOOD: list[object] = ["2026-11-02", "来信", "李大明", "", "13900001111", "城东乡李家村",
                      "反映承包地被占用修路未获补偿，要求依法补偿", "征地拆迁", "城东乡", 1]


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_petition_office(sqlite_ctx)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the windows told the user (their message boxes, answered at once)."""
    said: list[str] = []
    for module in (import_dialog, ledger_export):
        monkeypatch.setattr(module, "inform", lambda _parent, title, text: said.append(f"{title}：{text}"))
    return said


def _cases(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(Petition)).scalar_one())


def _shoot(widget: QWidget, name: str, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size in ("medium", "large"):
        apply_theme(app, size)
        widget.show()
        qtbot.wait(50)
        widget.grab().save(f"/tmp/petitions-{name}-{size}.png")
    apply_theme(app, "medium")


def test_bad_rows_are_all_listed_then_the_corrected_sheet_is_imported(
    qtbot: QtBot, office: Office, tmp_path: Path, told: list[str],
) -> None:
    dialog = PetitionImportDialog(office.ctx, office.petition)
    qtbot.addWidget(dialog)
    bad = tmp_path / "台账.xlsx"
    rows = [GOOD, ["明天", *GOOD[1:]]] + [[*GOOD[:2], "", *GOOD[3:]] for _ in range(60)]
    bad.write_bytes(import_sheet(rows))
    assert not dialog.import_file(bad)
    listed = dialog.problems.toPlainText().splitlines()
    assert listed[0].startswith("表格中有61处问题，未导入任何信访件")
    assert listed[1].startswith("第3行：登记日期“明天”不是有效日期") and listed[-1] == "第63行：请填写信访人姓名"
    assert len(listed) == 62 and dialog.imported is None and _cases(office.ctx) == 0
    _shoot(dialog, "import-problems", qtbot)

    good = tmp_path / "台账改正.xlsx"
    good.write_bytes(import_sheet([GOOD, [*GOOD[:6], "群众反映修路占地补偿款至今没有发放到户", *GOOD[7:]]]))
    assert dialog.import_file(good)
    assert dialog.imported is not None and dialog.imported.count == 2 and _cases(office.ctx) == 2
    assert told == ["导入完成：已导入2件信访件（信〔2026〕1号、信〔2026〕2号），其中1件为重复信访，已与原件关联，"
                    "均在“登记”环节，请在15日内决定受理、交办或转送。"]


def test_a_file_that_is_not_a_workbook_and_a_user_who_may_not_import_are_told(
    qtbot: QtBot, office: Office, tmp_path: Path,
) -> None:
    text = tmp_path / "台账.xlsx"
    text.write_text("登记日期,姓名\n", encoding="utf-8")
    dialog = PetitionImportDialog(office.ctx, office.petition)
    qtbot.addWidget(dialog)
    assert not dialog.import_file(text) and "不是有效的 Excel 工作簿" in dialog.problems.toPlainText()
    clerk = PetitionImportDialog(office.ctx, office.clerk)
    qtbot.addWidget(clerk)
    good = tmp_path / "good.xlsx"
    good.write_bytes(import_sheet([GOOD]))
    assert not clerk.import_file(good) and "可以导入信访件" in clerk.problems.toPlainText()
    assert _cases(office.ctx) == 0


def test_the_template_is_saved_where_asked(
    qtbot: QtBot, office: Office, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(import_dialog, "ask_excel_file", lambda _parent, _name: target)
    dialog = PetitionImportDialog(office.ctx, office.petition)
    qtbot.addWidget(dialog)
    dialog.template_button.click()
    sheet = load_workbook(target).worksheets[0]
    assert tuple(next(sheet.iter_rows(values_only=True))) == COLUMNS
    assert told == [f"模板已保存：模板已保存到“{target}”。示例一行请改成实际的信访件，或删去后再填写。"]
    assert not list(tmp_path.glob("*.partial*"))


def test_the_export_action_saves_the_list_as_filtered_masked_for_the_clerk(
    qtbot: QtBot, office: Office, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    new_petition(office)
    new_petition(office, category="征地拆迁", request="反映修路占地补偿款至今没有发放到户，要求尽快发放")
    target = tmp_path / "台账.xlsx"
    monkeypatch.setattr(ledger_export, "ask_excel_file", lambda _parent, _name: target)
    page = QWidget()
    qtbot.addWidget(page)
    action = LedgerExportAction(office.ctx, office.clerk, lambda: (PetitionFilter(category="商品房两证办理"),
                                                                   "问题类别：商品房两证办理"), page)
    assert action.isVisible() and action.text() == "导出Excel…"
    action.trigger()
    rows = list(load_workbook(io.BytesIO(target.read_bytes())).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "问题类别：商品房两证办理" and len(rows) == 3
    assert rows[2][5] == mask_phone(PETITIONER_PHONE)
    assert told == [f"导出完成：已导出1件信访件到“{target}”。"]
    assert not LedgerExportAction(office.ctx, office.liaison_fin, lambda: (PetitionFilter(), ""), page).isVisible()
