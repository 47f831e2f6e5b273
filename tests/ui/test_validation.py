"""Mistakes show as the user types or leaves a field, all at once, each beside its field; each clears as soon
as it is fixed, and the first is scrolled into view: in the claim grid and in the document dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QScrollArea, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from app.core.claims import LINE_TOO_LARGE
from app.ui.claims.editor import AMOUNT, CATEGORY, SUMMARY, ClaimEditor
from app.ui.documents.draft_dialog import DraftDialog
from app.ui.documents.incoming_dialog import IncomingDialog
from app.ui.documents.inputs import PrintedDialog
from tests.helpers.claims_ui import set_line
from tests.helpers.ui import Office


def shown_editor(qtbot: QtBot, office: Office) -> ClaimEditor:
    editor = ClaimEditor(office.ctx, office.clerk)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def type_cell(editor: ClaimEditor, row: int, column: int, text: str) -> None:
    """What the grid's editor does when the user types in a cell and leaves it."""
    item = editor.lines.item(row, column)
    if item is None:
        editor.lines.setItem(row, column, QTableWidgetItem(text))
    else:
        item.setText(text)


def cell_problem(editor: ClaimEditor, row: int, column: int) -> str:
    item = editor.lines.item(row, column)
    return item.toolTip() if item is not None else ""


def test_a_bad_amount_shows_as_it_is_typed_and_clears_when_fixed(qtbot: QtBot, office: Office) -> None:
    editor = shown_editor(qtbot, office)
    type_cell(editor, 0, SUMMARY, "购买打印纸")
    type_cell(editor, 0, AMOUNT, "abc")
    type_cell(editor, 1, SUMMARY, "购买墨盒")
    type_cell(editor, 1, AMOUNT, "-50")
    # No save: the grid's timer checks what was typed.
    qtbot.waitUntil(lambda: "第2行" in editor.lines_error.text())
    errors = editor.lines_error.text()
    assert "第1行：金额格式不正确" in errors and "第2行：金额不能为负数" in errors
    assert "格式不正确" in cell_problem(editor, 0, AMOUNT)
    assert editor.saved is None
    type_cell(editor, 0, AMOUNT, "120")
    qtbot.waitUntil(lambda: "第1行" not in editor.lines_error.text())
    assert cell_problem(editor, 0, AMOUNT) == ""
    assert "第2行：金额不能为负数" in editor.lines_error.text()
    type_cell(editor, 1, AMOUNT, "99,999,999,999")
    qtbot.waitUntil(lambda: LINE_TOO_LARGE in editor.lines_error.text())
    type_cell(editor, 1, AMOUNT, "1,000,000.00")
    qtbot.waitUntil(lambda: editor.lines_error.isHidden())


def test_a_row_being_filled_is_not_scolded_until_saved_then_every_problem_shows(
    qtbot: QtBot, office: Office
) -> None:
    editor = shown_editor(qtbot, office)
    # Row 1 has its summary but the user has not reached its amount yet; row 2 has an amount and no summary.
    type_cell(editor, 0, SUMMARY, "赴市里参加培训的车票")
    type_cell(editor, 1, AMOUNT, "30")
    for row in (0, 1):
        combo = editor.lines.cellWidget(row, CATEGORY)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData("差旅费"))
    editor.recalc()
    assert "第1行" not in editor.lines_error.text()
    editor.submit_button.click()
    assert editor.saved is None
    errors = editor.lines_error.text()
    assert "第1行：" in errors and "第2行：请填写摘要" in errors
    assert "单据张数" in editor.form.error_text("receipts_count")
    # Fixing one clears it alone, at once.
    editor.receipts.setValue(2)
    editor.recalc()
    assert editor.form.error_text("receipts_count") == ""
    assert "第2行：请填写摘要" in editor.lines_error.text()


def test_the_first_problem_is_scrolled_into_view(qtbot: QtBot, office: Office) -> None:
    editor = shown_editor(qtbot, office)
    editor.receipts.setValue(5)
    for row in range(30):
        set_line(editor, row, f"第{row + 1}项办公用品", "办公费", "10")
    type_cell(editor, 27, AMOUNT, "")
    editor.lines.scrollToTop()
    editor.submit_button.click()
    assert editor.saved is None
    assert "第28行" in editor.lines_error.text()
    assert editor.lines.currentRow() == 27
    top = editor.lines.rowViewportPosition(27)
    assert 0 <= top < editor.lines.viewport().height()


def test_a_header_field_is_checked_when_the_user_leaves_it(qtbot: QtBot, office: Office) -> None:
    editor = shown_editor(qtbot, office)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.advance.setFocus()
    qtbot.keyClicks(editor.advance, "2k")
    # While the user is still typing in it, nothing is said.
    assert editor.form.error_text("advance") == ""
    editor.receipts.setFocus()
    qtbot.waitUntil(lambda: "原借款" in editor.form.error_text("advance"))
    # From then on each change is checked: fixed, the message goes at once.
    editor.advance.setText("2000")
    assert editor.form.error_text("advance") == ""


def press_ok(dialog: QWidget) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Save) or box.button(QDialogButtonBox.StandardButton.Ok)
    button.click()


def test_every_empty_required_field_of_a_dialog_is_shown_at_once(qtbot: QtBot, office: Office) -> None:
    dialog = IncomingDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    press_ok(dialog)
    assert dialog.created is None
    assert dialog.form.error_text("title") == "请填写标题"
    assert dialog.form.error_text("source_unit") == "请填写来文单位"
    dialog.title_edit.setText("关于做好冬季森林防火工作的通知")
    assert dialog.form.error_text("title") == ""
    assert dialog.form.error_text("source_unit") == "请填写来文单位"
    # 0 copies stays 0 and is refused, rather than being put back to 1.
    dialog.copies.setValue(0)
    assert "至少为1份" in dialog.form.error_text("copies_received")
    dialog.source_unit.setText("江州市人民政府办公室")
    dialog.copies.setValue(2)
    press_ok(dialog)
    assert dialog.created is not None and dialog.created.title == "关于做好冬季森林防火工作的通知"


def test_the_draft_dialog_scrolls_to_its_first_problem(qtbot: QtBot, office: Office) -> None:
    dialog = DraftDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    dialog.resize(640, 360)
    dialog.show()
    qtbot.waitExposed(dialog)
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    dialog.disclosure.setCurrentIndex(dialog.disclosure.findData("不予公开"))
    press_ok(dialog)
    assert dialog.created is None
    assert dialog.form.error_text("title") == "请填写标题"
    assert "必须说明理由" in dialog.form.error_text("disclosure_reason")
    assert not dialog.title_edit.visibleRegion().isEmpty()
    # Back to 主动公开: the reason is no longer asked for, and its message goes.
    dialog.disclosure.setCurrentIndex(dialog.disclosure.findData("主动公开"))
    assert dialog.form.error_text("disclosure_reason") == ""


def test_zero_copies_printed_is_refused_beside_the_field_not_replaced(qtbot: QtBot) -> None:
    dialog = PrintedDialog(30)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.copies.setFocus()
    dialog.copies.selectAll()
    qtbot.keyClicks(dialog.copies, "0")
    dialog.proofreader.setFocus()
    dialog.proofreader.setText("赵文秘")
    assert dialog.copies.value() == 0
    press_ok(dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "印制份数至少为1份" in dialog.form.error_text("copies")
    dialog.copies.selectAll()
    qtbot.keyClicks(dialog.copies, "60")
    assert dialog.form.error_text("copies") == ""
    qtbot.keyClick(dialog.copies, Qt.Key.Key_Tab)
    press_ok(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.copies.value() == 60
