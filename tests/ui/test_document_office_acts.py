"""Through the widgets: 复核 and 复审 in the document window, the draft dialog offering co-issuing units only
(and saying which have no 联络员), the office recording a unit's 会签 opinion, and the 答复 to a 来文单位."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.core.roles import Role
from app.services.documents import incoming
from app.ui.documents.draft_dialog import DraftDialog
from app.ui.documents.office_acts import ProxyCosignDialog, ReplyDialog
from tests.helpers import add_unit, add_user
from tests.helpers.document_ui import buttons, click, reviewed_draft, window_for
from tests.helpers.ui import Office


def _save_button(dialog: object) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)  # type: ignore[attr-defined]
    button: QPushButton = box.button(QDialogButtonBox.StandardButton.Save)
    return button


def test_the_draft_dialog_offers_co_issuing_units_and_marks_those_without_a_liaison(
    qtbot: QtBot, office: Office, tmp_path: Path
) -> None:
    finance = add_unit(office.ctx, "县财政局", "department")
    add_user(office.ctx, "liaison", [Role.LIAISON], finance, full_name="吴联络")
    town = add_unit(office.ctx, "城关镇", "township")
    add_unit(office.ctx, "综合股", "section")
    dialog = DraftDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    items = {dialog.cosigners.item(i).text(): dialog.cosigners.item(i) for i in range(dialog.cosigners.count())}
    # The office's own 股室 (秘书股, 综合股) and the county's leaders are not 会签单位.
    assert set(items) == {"县财政局", "城关镇（无联络员，由办公室代录会签意见）"}
    assert "办公室" in items["城关镇（无联络员，由办公室代录会签意见）"].toolTip()
    assert items["县财政局"].toolTip() == ""
    assert any("内设股室的意见请在核稿时提出" in label.text() for label in dialog.findChildren(QLabel))
    dialog.resize(1366 // 2, 700)
    dialog.show()
    dialog.grab().save(str(tmp_path / "draft.png"))
    items["城关镇（无联络员，由办公室代录会签意见）"].setCheckState(Qt.CheckState.Checked)
    assert dialog.cosigner_ids() == [town]


def test_recheck_and_resigning_in_the_window(qtbot: QtBot, office: Office) -> None:
    deputy_leader = add_user(office.ctx, "vice", [Role.COUNTY_LEADER], None, full_name="李副县长")
    doc = reviewed_draft(office)
    leader = window_for(qtbot, office, office.leader, doc)
    leader.opinion.insertPlainText("同意印发")
    click(leader, "签发")
    assert "当前环节：复核" in leader.state_label.text()
    assert buttons(leader) == {}

    clerk = window_for(qtbot, office, office.clerk, doc)
    assert {"复核通过", "退回复审"} <= set(buttons(clerk))
    click(clerk, "退回复审")  # no reason yet: refused beside the opinion box, nothing lost
    assert "退回复审的理由" in clerk.opinion_error.text()
    clerk.opinion.insertPlainText("附件二数据与正文不一致，需实质性修改")
    click(clerk, "退回复审")
    assert "当前环节：签发" in clerk.state_label.text()
    assert buttons(clerk) == {}
    # 复审 is the signer's: another leader sees nothing to do.
    other = window_for(qtbot, office, deputy_leader, doc)
    assert set(buttons(other)) == set()
    leader.load()
    assert {"签发", "退回"} <= set(buttons(leader))
    leader.opinion.insertPlainText("已核改，同意印发")
    click(leader, "签发")
    clerk.load()
    click(clerk, "复核通过")
    assert "当前环节：编号" in clerk.state_label.text()
    history = [h.action_label for h in clerk.detail.instance.history]  # type: ignore[union-attr]
    assert history[-4:] == ["签发", "退回复审", "签发", "复核通过"]


def test_the_office_records_a_units_cosign_opinion(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    town = add_unit(office.ctx, "城关镇", "township")
    doc = reviewed_draft(office, [town])
    clerk = window_for(qtbot, office, office.clerk, doc)
    assert "当前环节：会签" in clerk.state_label.text()
    assert "会签完毕" not in buttons(clerk)

    shown: list[ProxyCosignDialog] = []

    def exec_(self: ProxyCosignDialog) -> int:
        shown.append(self)
        assert [self.unit.itemText(i) for i in range(self.unit.count())] == ["城关镇"]
        _save_button(self).click()  # nobody named: refused beside the field
        assert "提出意见的人员" in self.form.error_text("given_by")
        self.given_by.setText("王镇长")
        self.basis.setCurrentText("电话")
        self.opinion.setPlainText("同意，无修改意见")
        _save_button(self).click()
        return int(self.result())

    monkeypatch.setattr(ProxyCosignDialog, "exec", exec_)
    click(clerk, "代录会签意见…")
    assert shown
    assert clerk.detail is not None
    (row,) = clerk.detail.cosigners
    assert (row.agreed, row.given_by, row.basis, row.by_name) == (True, "王镇长", "电话", "张文秘")
    assert clerk.parties.item(0, 2).text() == "王镇长（电话，张文秘代录）"
    assert "代录会签意见…" not in buttons(clerk)
    click(clerk, "会签完毕")
    assert "当前环节：签发" in clerk.state_label.text()


def _at_handling(office: Office) -> int:
    uow_calls = [
        lambda uow, d: incoming.sign_for(uow, office.clerk, d),
        lambda uow, d: incoming.register(uow, office.clerk, d),
        lambda uow, d: incoming.screen(uow, office.clerk, d, "accept"),
        lambda uow, d: incoming.propose(uow, office.lead, d, "拟请王县长阅示"),
        lambda uow, d: incoming.instruct(uow, office.leader, d, "请秘书股办理", needs_handling=True,
                                         main_unit_id=office.unit_id, workdays=5),
    ]
    with office.ctx.uow() as uow:
        doc = incoming.create_incoming(uow, office.clerk, title="关于报送森林防火工作情况的通知",
                                       source_unit="江州市林业局").id
    for call in uow_calls:
        with office.ctx.uow() as uow:
            call(uow, doc)
    return doc


def test_a_reply_to_the_sending_body_is_recorded_from_the_window(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    doc = _at_handling(office)
    outsider = add_user(office.ctx, "cashier", [Role.CASHIER], office.unit_id, full_name="周出纳")
    assert "答复来文单位…" not in buttons(window_for(qtbot, office, outsider, doc))
    clerk = window_for(qtbot, office, office.clerk, doc)

    def exec_(self: ReplyDialog) -> int:
        assert self.recipient.text() == "江州市林业局"
        assert self.replied_by.text() == "张文秘"
        _save_button(self).click()  # no content: refused beside it
        assert "答复内容" in self.form.error_text("content") or "请填写答复内容" in self.form.error_text("content")
        self.method.setCurrentText("电话")
        self.content.setPlainText("已部署自查，书面报告三日内报送")
        self.resize(1366 // 2, 500)
        self.grab().save(str(tmp_path / "reply.png"))
        _save_button(self).click()
        return int(self.result())

    monkeypatch.setattr(ReplyDialog, "exec", exec_)
    click(clerk, "答复来文单位…")
    assert clerk.detail is not None
    (reply,) = clerk.detail.replies
    assert (reply.method, reply.recipient, reply.replied_by_name) == ("电话", "江州市林业局", "张文秘")
    assert "当前环节：承办" in clerk.state_label.text()
    facts = " ".join(clerk.facts.itemAt(i).widget().text() for i in range(clerk.facts.count()))  # type: ignore[union-attr]
    assert "张文秘以电话方式答复" in facts
    assert clerk.history.item(clerk.history.rowCount() - 1, 2).text() == "答复来文单位"

