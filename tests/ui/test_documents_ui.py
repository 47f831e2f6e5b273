"""公文 through the widgets: a draft goes all the way to the archive, and an incoming document is
registered, instructed, circulated (one reader recalled) and concluded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from app.core.roles import Role
from app.services.kernel import settings
from app.ui.documents import inputs
from app.ui.documents.draft_dialog import DraftDialog
from app.ui.documents.incoming_dialog import IncomingDialog
from app.ui.documents.page import DocumentsPage
from app.ui.documents.window import DocumentWindow
from app.ui.prefs import Prefs
from tests.helpers import add_unit, add_user
from tests.helpers.document_ui import click, window_for
from tests.helpers.loading import wait_loaded
from tests.helpers.ui import Office


def click_party_button(window: DocumentWindow, label: str) -> None:
    found = [
        window.parties_buttons.itemAt(i).widget() for i in range(window.parties_buttons.count())
        if isinstance(window.parties_buttons.itemAt(i).widget(), QPushButton)
    ]
    chosen = [b for b in found if b.text() == label]
    assert chosen, f"“{label}” not offered; offered: {[b.text() for b in found]}"
    chosen[0].click()


def answer(monkeypatch: pytest.MonkeyPatch, dialog_class: type[QDialog], fill: Callable[[Any], None]) -> None:
    """A modal dialog is built for real; instead of waiting for a person, the test fills it and accepts."""

    def exec_(self: Any) -> int:
        fill(self)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(dialog_class, "exec", exec_)


def test_a_draft_goes_from_drafting_to_the_archive(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with office.ctx.uow() as uow:
        settings.update_settings(uow, office.admin, {"fonds_number": "J012"})
    body = tmp_path / "正文.docx"
    body.write_bytes(b"PK\x03\x04 draft body")
    draft = DraftDialog(office.ctx, office.clerk)
    qtbot.addWidget(draft)
    draft.set_body(body)
    draft.title_edit.setText("关于做好2027年元旦春节期间安全生产工作的通知")
    draft.main_recipients.setText("各乡镇人民政府，县政府各部门")
    draft.disclosure.setCurrentIndex(draft.disclosure.findData("不予公开"))
    save = draft.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert "理由" in draft.form.error_text("disclosure_reason")
    draft.disclosure.setCurrentIndex(draft.disclosure.findData("主动公开"))
    save.click()
    assert draft.created is not None
    doc_id = draft.created.id

    clerk = window_for(qtbot, office, office.clerk, doc_id)
    assert "拟稿" in clerk.state_label.text()
    clerk.opinion.insertPlainText("请审核")
    click(clerk, "送核稿")
    assert "核稿" in clerk.state_label.text()

    lead = window_for(qtbot, office, office.lead, doc_id)
    click(lead, "核稿通过")
    assert "签发" in lead.state_label.text()

    leader = window_for(qtbot, office, office.leader, doc_id)
    click(leader, "签发")  # without an opinion: refused beside the box, nothing lost
    assert "签发意见" in leader.opinion_error.text()
    leader.opinion.insertPlainText("同意印发")
    click(leader, "签发")
    assert "复核" in leader.state_label.text()

    clerk.load()
    click(clerk, "复核通过")
    click(clerk, "编号")
    detail = clerk.detail
    assert detail is not None and detail.document.doc_number and detail.document.doc_number.startswith("县政办发〔")

    answer(monkeypatch, inputs.PrintedDialog, lambda d: (d.copies.setValue(40), d.proofreader.setText("张文秘")))
    click(clerk, "印制完成")
    click(clerk, "用印完成")
    township = add_unit(office.ctx, "城关镇", "township")
    answer(monkeypatch, inputs.PickDialog, lambda d: d.set_checked([township]))
    click(clerk, "分发完成")
    assert clerk.detail is not None and [d.unit_name for d in clerk.detail.distributions] == ["城关镇"]
    answer(monkeypatch, inputs.ArchiveDialog, lambda d: (d.retention.setCurrentIndex(d.retention.findData("Y")),
                                                          d.pages.setValue(3)))
    click(clerk, "归档")
    assert clerk.detail is not None and clerk.detail.archive is not None
    assert clerk.detail.document.closed
    assert [h.action_label for h in clerk.detail.instance.history][-1] == "归档"


def test_an_incoming_document_is_circulated_and_one_reader_recalled(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    director = add_user(office.ctx, "director", [Role.DIRECTOR], office.unit_id, full_name="蔡主任")
    reader = add_user(office.ctx, "reader2", [Role.COUNTY_LEADER], full_name="李副县长")
    incoming = IncomingDialog(office.ctx, office.clerk)
    qtbot.addWidget(incoming)
    incoming.title_edit.setText("江州市人民政府办公室关于做好冬季森林防火工作的通知")
    incoming.source_unit.setText("江州市人民政府办公室")
    incoming.source_number.setText("江政办发〔2026〕35号")
    incoming.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert incoming.created is not None
    doc_id = incoming.created.id

    clerk = window_for(qtbot, office, office.clerk, doc_id)
    for label in ("签收", "登记"):
        click(clerk, label)
    assert clerk.detail is not None and (clerk.detail.document.receipt_number or "").startswith("收〔")
    lead = window_for(qtbot, office, office.lead, doc_id)
    click(lead, "初审通过")
    lead.opinion.insertPlainText("拟请王县长阅示")
    click(lead, "提出拟办意见")
    boss = window_for(qtbot, office, director, doc_id)
    answer(monkeypatch, inputs.HandlingDialog, lambda d: (d.opinion.setPlainText("请各位领导阅"),
                                                           d.needs_handling.setChecked(False)))
    click(boss, "批办")
    assert "传阅" in boss.state_label.text()

    clerk.load()
    answer(monkeypatch, inputs.PickDialog, lambda d: d.set_checked([office.leader.id, reader.id]))
    click_party_button(clerk, "送传阅…")
    assert clerk.detail is not None and sorted(clerk.detail.holders) == ["李副县长", "王县长"]
    assert "传阅中" in clerk.state_label.text()

    leader = window_for(qtbot, office, office.leader, doc_id)
    leader.opinion.insertPlainText("已阅，请林业局抓好落实")
    click(leader, "已阅")
    clerk.load()
    row = next(i for i, c in enumerate(clerk.detail.circulations) if c.reader_name == "李副县长")  # type: ignore[union-attr]
    clerk.parties.selectRow(row)
    click_party_button(clerk, "收回选中")
    statuses = {c.reader_name: c.status for c in clerk.detail.circulations}  # type: ignore[union-attr]
    assert statuses == {"王县长": "已阅", "李副县长": "已收回"}
    click(clerk, "传阅完毕")
    click(clerk, "办结")
    assert "归档" in clerk.state_label.text()


def test_documents_page_lists_and_searches(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    page = DocumentsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    wait_loaded(qtbot, page.outgoing.model)
    assert page.outgoing.table.showing_empty_state
    with office.ctx.uow() as uow:
        from app.services.documents import outgoing

        outgoing.create_draft(uow, office.clerk, title="关于开展安全生产大检查的通知", doc_type="通知", disclosure="主动公开")
    with office.ctx.uow() as uow:
        outgoing.create_draft(uow, office.clerk, title="关于召开防汛工作会议的通知", doc_type="通知", disclosure="主动公开")
    page.refresh()
    wait_loaded(qtbot, page.outgoing.model)
    assert page.outgoing.model.rowCount() == 2
    other = add_unit(office.ctx, "县应急管理局")
    page = DocumentsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    page.refresh()
    units = page.outgoing.combos["unit_id"]
    units.setCurrentIndex(units.findData(other))
    wait_loaded(qtbot, page.outgoing.model)
    assert page.outgoing.model.rowCount() == 0 and page.outgoing.table.showing_empty_state
    units.setCurrentIndex(units.findData(office.unit_id))
    wait_loaded(qtbot, page.outgoing.model)
    assert page.outgoing.model.rowCount() == 2
    page.outgoing.search.setText("防汛")
    qtbot.waitUntil(lambda: page.outgoing.model.rowCount() == 1, timeout=3000)
    assert page.outgoing.model.index(0, 1).data() == "关于召开防汛工作会议的通知"


def test_reports_tab_after_archiving(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from app.ui.documents.reports import ReportsTab
    from app.ui.widgets import print_preview

    test_a_draft_goes_from_drafting_to_the_archive(qtbot, office, monkeypatch, tmp_path)
    tab = ReportsTab(office.ctx, office.lead)
    qtbot.addWidget(tab)
    tab.retention.setCurrentIndex(tab.retention.findData("Y"))
    tab.refresh()
    assert tab.catalogue.rowCount() == 1
    assert tab.catalogue.item(0, 1).text().startswith("J012-WS·")
    shown: list[bytes] = []
    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", lambda self: shown.append(self.pdf) or 0)
    tab.print_catalogue()
    tab.print_stamps()
    tab.print_notice()
    tab.print_register()
    # Table cells wrap: compare with the line breaks taken out.
    texts = ["".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "") for pdf in shown]
    assert len(texts) == 4
    assert "归档文件目录" in texts[0] and "关于做好2027年元旦春节期间安全生产工作的通知" in texts[0]
    assert "J012" in texts[1]
    assert "公文运转及差错情况" in texts[2]
    assert "收文登记簿" in texts[3]
    told: list[str] = []
    monkeypatch.setattr("app.ui.documents.reports.inform", lambda _parent, _title, text: told.append(text))
    notice = tmp_path / "通报.xlsx"
    tab.export_notice(notice)
    sheets = load_workbook(notice).sheetnames
    assert sheets == ["各单位情况", "逾期事项"]
    assert list(load_workbook(notice)["各单位情况"].iter_rows(values_only=True))[0][0] == "单位"
    target = tmp_path / "目录.xlsx"
    tab.export_to(target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][1] == "档号" and rows[1][1].startswith("J012-WS·")
    assert told == [f"已导出到：\n{notice}", f"已导出 1 件到：\n{target}"]
