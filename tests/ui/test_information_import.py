"""The 信息台账's import dialog, driven as the editor uses it: a sheet with bad rows lists every one of them (more than
the 20 the service's message names) and imports nothing, the dialog stays open; the corrected sheet is imported
and the dialog says what was made; a foreign file and a user who may not import are told why; the template is
saved where asked. Looked at at 1366×768, at text size 中 and 大."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.information.ledger_sheet import COLUMNS
from app.models.information import InfoItem
from app.ui.information import import_dialog
from app.ui.information.import_dialog import ImportDialog
from app.ui.theme import apply_theme
from tests.helpers.document_office import Office
from tests.helpers.information_ledger import ledger_bytes, one_row, year_ledger
from tests.helpers.information_office import build_information_office


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_information_office(sqlite_ctx)


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the dialog told the user (its message boxes, answered at once)."""
    said: list[str] = []
    monkeypatch.setattr(import_dialog, "inform", lambda _parent, title, text: said.append(f"{title}：{text}"))
    return said


def _items(ctx: AppContext) -> int:
    with ctx.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(InfoItem)).scalar_one())


def _listed(dialog: ImportDialog) -> list[str]:
    return [dialog.problems.item(i).text() for i in range(dialog.problems.count())]


def _shoot(dialog: ImportDialog, name: str, qtbot: QtBot) -> None:
    """At 1366×768's usable height, at 中 and 大: every label and button shows its whole text."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for size in ("medium", "large"):
        apply_theme(app, size)
        dialog.resize(min(dialog.width(), 1366), min(dialog.height(), 728))
        dialog.show()
        qtbot.wait(50)
        assert dialog.width() <= 1366 and dialog.height() <= 728
        for button in dialog.findChildren(QPushButton):
            assert button.width() >= button.sizeHint().width(), button.text()
        for label in dialog.findChildren(QLabel):
            if label.isVisible():
                assert label.height() >= label.heightForWidth(label.width()), label.text()
        inside = QRect(0, 0, dialog.width(), dialog.height())
        for widget in dialog.findChildren(QWidget):
            if widget.isVisible() and widget.parent() is dialog:
                assert inside.contains(widget.geometry()), widget
        dialog.grab().save(f"/tmp/information-import-{name}-{size}.png")
    apply_theme(app, "medium")


def test_bad_rows_are_all_listed_then_the_corrected_sheet_is_imported(
    qtbot: QtBot, office: Office, tmp_path: Path, told: list[str],
) -> None:
    dialog = ImportDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    rows = year_ledger()
    rows[0][3] = "明天"
    for row in rows[10:40]:
        row[1] = "第九组"
    bad = tmp_path / "台账.xlsx"
    bad.write_bytes(ledger_bytes(rows))
    assert not dialog.import_file(bad)
    listed = _listed(dialog)
    assert dialog.status.text().startswith("“台账.xlsx”中有31行有问题，未导入任何稿件")
    assert listed[0].startswith("第2行：报送日期“明天”不是有效日期")
    assert listed[1].startswith("第12行：报送组“第九组”不存在") and listed[-1].startswith("第41行：报送组“第九组”不存在")
    assert len(listed) == 31 and dialog.imported is None and _items(office.ctx) == 0
    _shoot(dialog, "problems", qtbot)

    good = tmp_path / "台账改正.xlsx"
    good.write_bytes(ledger_bytes(year_ledger()))
    assert dialog.import_file(good)
    assert dialog.imported is not None and dialog.imported.total == 158 and _items(office.ctx) == 158
    said = "已导入158篇稿件：政务信息148条、调研文章10篇；新建已印发的《政务信息》18期；上级采用52次，计216分。编入期号的已编入期刊，其余已存档。"
    assert told == [f"导入完成：{said}"]
    assert dialog.status.text() == said
    assert _listed(dialog) == ["政务信息：148条", "调研文章：10篇", "新建已印发的《政务信息》：18期", "上级采用：52次，计216分"]
    assert not dialog.choose_button.isEnabled() and dialog.close_button.text() == "完成"
    _shoot(dialog, "done", qtbot)
    dialog.close_button.click()
    assert dialog.result() == ImportDialog.DialogCode.Accepted


def test_a_foreign_file_and_a_user_who_may_not_import_are_told(
    qtbot: QtBot, office: Office, tmp_path: Path,
) -> None:
    text = tmp_path / "台账.xlsx"
    text.write_text("标题,报送组\n", encoding="utf-8")
    dialog = ImportDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    assert not dialog.import_file(text) and "不是有效的 Excel 工作簿" in _listed(dialog)[0]
    member = ImportDialog(office.ctx, office.petition)
    qtbot.addWidget(member)
    good = tmp_path / "good.xlsx"
    good.write_bytes(ledger_bytes([one_row()]))
    assert not member.import_file(good) and "可以导入信息台账" in _listed(member)[0]
    assert member.status.text() == "未导入任何稿件："
    assert _items(office.ctx) == 0
    member.close_button.click()
    assert member.result() == ImportDialog.DialogCode.Rejected


def test_the_template_is_saved_where_asked(
    qtbot: QtBot, office: Office, tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "模板.xlsx"
    offered: list[str] = []

    def ask(_parent: QWidget, name: str) -> Path:
        offered.append(name)
        return target

    monkeypatch.setattr(import_dialog, "ask_excel_file", ask)
    dialog = ImportDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    dialog.template_button.click()
    sheet = load_workbook(target).worksheets[0]
    assert tuple(next(sheet.iter_rows(values_only=True))) == COLUMNS
    assert offered == ["信息台账导入模板.xlsx"]
    assert told == [f"模板已保存：模板已保存到“{target}”。示例一行请改成实际的稿件，或删去后再填写。"]
    assert not list(tmp_path.glob("*.partial*"))
    # The template imports as it is: the example row is a good row.
    assert dialog.import_file(target) and dialog.imported is not None and dialog.imported.items == 1
