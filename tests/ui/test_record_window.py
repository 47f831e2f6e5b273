"""The one record window (app.ui.widgets.record_window) as each area uses it: the same header, the standard tabs
in the same order, 关联 saying no record is linked, an action bar of exactly the moves the services allow, and
the two-a-row FormGrid that the flow editor and the claim editor use."""

from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.claims import LineInput
from app.core.errors import ValidationError
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.services.documents import records as documents
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.record_window import RecordWindow
from tests.helpers.ui import Office

TITLE = "关于印发《青山县<试行>值班办法》的通知"


def tab_texts(window: RecordWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def action_texts(window: RecordWindow) -> list[str]:
    return [button.text() for button in window.actions_row.buttons()]


def flow_button_texts(window: RecordWindow) -> list[str]:
    row = window.flow_buttons
    items = [row.itemAt(i) for i in range(row.count())]
    return [w.text() for item in items if item is not None and isinstance(w := item.widget(), QPushButton)]


def header_texts(window: RecordWindow) -> str:
    return " ".join(window.facts.itemAt(i).widget().text() for i in range(window.facts.count()))  # type: ignore[union-attr]


def test_the_document_window_has_the_standard_tabs_and_the_actions_the_service_allows(
    qtbot: QtBot, office: Office
) -> None:
    from app.ui.documents.window import DocumentWindow

    with office.ctx.uow() as uow:
        doc = outgoing.create_draft(uow, office.clerk, title=TITLE, doc_type="通知", disclosure="主动公开",
                                    remark="请于周五前会签")
    window = DocumentWindow(office.ctx, office.clerk, doc.id)
    qtbot.addWidget(window)
    assert tab_texts(window) == ["基本信息", "办理记录", "流程图", "正文和附件", "会签与分发", "差错", "责任与进展", "催办", "关联"]
    # It opens on the record's story, as it did before the tabs were shared.
    assert window.tabs.currentIndex() == window.history_index
    # A title with < and > shows as typed, in the header and in 基本信息.
    assert window.title_label.text() == TITLE
    assert f"<b>标题：</b>{TITLE.replace('<', '&lt;').replace('>', '&gt;')}" in window.info_sheet.texts()
    sheet = " ".join(window.info_sheet.texts())
    assert "<b>密级：</b>非涉密" in sheet and "<b>备注：</b>请于周五前会签" in sheet
    assert "<b>发文字号：</b>（签发后编号）" in header_texts(window)
    # The bar: the flow's moves as the service computed them, then the drafter's own 修改文稿.
    with office.ctx.uow() as uow:
        allowed = [a.label for a in documents.get_document(uow, office.clerk, doc.id).instance.actions]
    assert allowed and action_texts(window) == [*allowed, "修改文稿"]
    assert window.related.currentWidget() is window.related.empty
    assert window.related.empty.text() == "没有与本件关联的记录。"
    assert flow_button_texts(window) == ["放大", "缩小", "适合窗口"]


def test_the_claim_window_names_its_standard_tabs_in_its_own_words(qtbot: QtBot, office: Office) -> None:
    from app.ui.claims.window import ClaimWindow

    with office.ctx.uow() as uow:
        claim = claims.create_claim(
            uow, office.clerk,
            claims.ClaimInput(office.unit_id, date.today(), [LineInput("赴市里参加培训的交通费", "差旅费", "860")], 2),
            submit=True,
        )
    window = ClaimWindow(office.ctx, office.lead, claim.id)
    qtbot.addWidget(window)
    # 基本信息 is the line items (费用明细), 办理记录 the 审批记录, 附件 the receipts with their count.
    assert tab_texts(window) == ["费用明细", "审批记录", "流程图", "票据（0）", "责任与进展", "催办", "关联"]
    assert window.tabs.widget(window.info_index) is window.lines
    assert window.tabs.currentIndex() == window.info_index
    assert window.lines.item(1, 0).text() == "合计"  # type: ignore[union-attr]
    assert flow_button_texts(window) == ["放大", "缩小", "适合窗口", "在流程图窗口中打开…"]
    with office.ctx.uow() as uow:
        allowed = [a.label for a in claims.get_claim(uow, office.lead, claim.id).workflow.actions]
    assert allowed and action_texts(window) == allowed
    assert window.related.currentWidget() is window.related.empty


def test_the_generic_record_window_shows_the_flow_record_and_says_it_carries_no_files(
    qtbot: QtBot, office: Office
) -> None:
    from app.ui.workbench.record_dialog import RecordDialog

    with office.ctx.uow() as uow:
        item = workflow.start(uow, office.clerk, flow_key="outgoing_document", entity_type="item",
                              title="关于报送2026年工作总结的通知", today=date.today())
        uow.commit()
        item_id, version = item.id, item.flow_version
    window = RecordDialog(office.ctx, office.clerk, item_id)
    qtbot.addWidget(window)
    # 责任与进展: the responsible person, recurring reports and parallel work items (app.ui.widgets.record_features).
    assert tab_texts(window) == ["基本信息", "办理记录", "流程图", "附件", "责任与进展", "催办", "关联"]
    sheet = " ".join(window.info_sheet.texts())
    assert f"<b>流程：</b>发文办理（第{version}版）" in sheet and "<b>缓急：</b>一般" in sheet
    files = window.tabs.widget(window.files_index)
    assert isinstance(files, QLabel) and "不带附件" in files.text()
    with office.ctx.uow() as uow:
        allowed = [a.label for a in workflow_detail.instance_detail(uow, office.clerk, item_id).actions]
    assert allowed and action_texts(window) == allowed
    # No common phrases for a flow of no area: no empty list of them.
    assert window.opinion_box.phrases.isHidden()
    # 催办 is offered for an overdue or urgent record only, and the button says so.
    assert not window.urge_button.isEnabled() and window.urge_button.toolTip() == "只有已逾期或紧急的事项可以催办"


def test_a_form_two_fields_a_row(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    form = FormGrid(holder, pairs=True)
    name, limit, wide, after = QLineEdit(), QSpinBox(), QLineEdit(), QLineEdit()
    form.add("name", "名称", name, required=True)
    form.add("limit", "时限", limit)
    form.add("wide", "说明", wide, wide=True)
    form.add("after", "备注", after)

    def where(widget: QWidget) -> tuple[int, int, int]:
        row, column, _rows, columns = cast(tuple[int, int, int, int], form.getItemPosition(form.indexOf(widget)))
        return row, column, columns

    assert where(name)[:2] == (where(limit)[0], 1) and where(limit)[1] == 3
    assert where(wide)[0] > where(name)[0] and where(wide)[1:] == (1, 3)
    assert where(after)[0] > where(wide)[0] and where(after)[1] == 1
    # Checked as typed and left (live), with the problem beside its field.
    holder.show()
    holder.activateWindow()
    qtbot.waitActive(holder)
    name.setFocus()
    qtbot.waitUntil(name.hasFocus)
    limit.setFocus()
    qtbot.waitUntil(lambda: form.error_text("name") == "请填写名称")
    name.setText("财务审核")
    assert form.error_text("name") == ""


def test_a_form_the_owner_checks_keeps_the_cursor_where_the_user_types(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    form = FormGrid(holder, pairs=True, live=False)
    typing, other = QLineEdit(), QLineEdit()
    form.add("typing", "名称", typing, required=True)
    form.add("other", "金额", other)
    holder.show()
    holder.activateWindow()
    qtbot.waitActive(holder)
    typing.setFocus()
    qtbot.waitUntil(typing.hasFocus)
    form.show_errors({"other": "不是有效的金额"}, reveal_first=False)
    assert form.error_text("other") == "不是有效的金额" and typing.hasFocus()
    # Not live: typing does not check, leaving does not clear what the owner showed.
    typing.setText("x")
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    typing.setFocus()
    qtbot.waitUntil(typing.hasFocus)
    assert form.error_text("other") == "不是有效的金额" and form.error_text("typing") == ""
    form.show_error(ValidationError("请先填写名称", field="typing"))
    assert form.error_text("typing") == "请先填写名称" and form.error_text("other") == ""
