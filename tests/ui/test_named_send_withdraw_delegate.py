"""Issue 15's UI test: a secretary sends an outgoing draft to one named leader (签发), withdraws it, sends it
again; the leader delegates to a deputy, and the deputy signs on the leader's behalf. At each point the 工作台
of each person (the to-do service and the WorkbenchPage) shows what it should."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bootstrap import AppContext
from app.services.documents import outgoing
from app.services.kernel.actor import Actor
from app.services.workflow import todo
from app.ui.documents.window import DocumentWindow
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from app.ui.widgets.delegation_dialog import DelegationDialog
from app.ui.widgets.send_to import BY_ROLE, SendToCombo
from app.ui.workbench.page import WorkbenchPage
from tests.helpers.document_office import Office, advance_outgoing, build_office, new_draft
from tests.helpers.document_ui import buttons, click

TITLE = "关于做好冬季森林防火工作的通知"


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    yield build_office(sqlite_ctx)


def _at_cosign_done(o: Office) -> int:
    """An important draft at 会签, its one co-issuing unit agreed: the secretary takes it on to 签发."""
    doc = new_draft(o, important=True, cosigner_unit_ids=[o.units["财政局"]])
    advance_outgoing(o, doc, "cosign")
    o.run(outgoing.cosign, o.clerk, doc, unit_id=o.units["财政局"], opinion="同意", given_by="张局长", basis="电话")
    return doc


def _todo(o: Office, who: Actor) -> list[todo.TodoItem]:
    with o.ctx.uow() as uow:
        return todo.todo(uow, who, today=date.today()).items


def _workbench(qtbot: QtBot, o: Office, who: Actor, prefs: Prefs) -> list[todo.TodoItem]:
    """What the person's 工作台 page lists."""
    page = WorkbenchPage(o.ctx, who, prefs, lambda _item: None)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.result is not None and not page.model.loading, timeout=10_000)
    return [page.model.row_object(row) for row in range(page.model.rowCount())]


def _window(qtbot: QtBot, o: Office, who: Actor, doc: int) -> DocumentWindow:
    window = DocumentWindow(o.ctx, who, doc)
    qtbot.addWidget(window)
    return window


def _combo(window: DocumentWindow, action: str) -> SendToCombo:
    combo = window.send_to.get(action)
    assert combo is not None, f"no 送… choice for {action}; offered: {sorted(window.send_to)}"
    return combo


def _shoot(window: DocumentWindow | DelegationDialog, name: str, qtbot: QtBot) -> None:
    for size in ("medium", "large"):
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        apply_theme(app, size)
        # Read again at this text size, as a window opened at it would be (its tables fit their contents).
        window.load()
        if isinstance(window, DocumentWindow):
            window.resize(1366, 768)
        window.show()
        qtbot.wait(50)
        window.grab().save(f"/tmp/worklist-{name}-{size}.png")
    apply_theme(app, "medium")


def test_send_to_a_named_leader_withdraw_send_again_and_a_deputy_signs_for_the_leader(
    qtbot: QtBot, office: Office, prefs: Prefs
) -> None:
    o = office
    doc = _at_cosign_done(o)

    # The secretary's window offers 会签完毕 with a 送… choice: only the principal leader may sign an
    # important document, so he is the one person offered besides the role.
    window = _window(qtbot, o, o.clerk, doc)
    combo = _combo(window, "approve")
    combo.load()
    assert [combo.itemText(i) for i in range(combo.count())] == [BY_ROLE, "送陈县长（青山县人民政府）"]
    _shoot(window, "send-to", qtbot)
    # (Read again for the pictures: the choice is the new bar's.)
    combo = _combo(window, "approve")
    combo.pick(o.mayor.id)
    qtbot.wait(50)
    window.grab().save("/tmp/worklist-send-to-picked.png")
    click(window, "会签完毕")
    assert window.detail.document.state == "sign"

    # Only the named leader has it: not the other county leader, not the director who also signs.
    assert [i.info.title for i in _todo(o, o.mayor)] == [TITLE]
    assert _todo(o, o.vice) == [] and _todo(o, o.director) == []
    assert [i.info.title for i in _workbench(qtbot, o, o.mayor, prefs)] == [TITLE]
    assert _workbench(qtbot, o, o.vice, prefs) == []

    # 撤回: the secretary takes it back before the leader opens it; the leader's to-do is gone.
    assert "撤回" in buttons(window)
    _shoot(window, "withdraw", qtbot)
    click(window, "撤回")
    assert window.detail.document.state == "cosign"
    assert window.history.item(window.history.rowCount() - 1, 2).text() == "撤回"
    assert _todo(o, o.mayor) == [] and _workbench(qtbot, o, o.mayor, prefs) == []
    assert [i.info.title for i in _todo(o, o.clerk)] == [TITLE]

    # Sent again, to the same leader.
    _combo(window, "approve").pick(o.mayor.id)
    click(window, "会签完毕")
    assert [i.info.title for i in _todo(o, o.mayor)] == [TITLE]

    # The leader, away, delegates to the deputy county leader through 委托代办….
    dialog = DelegationDialog(o.ctx, o.mayor)
    qtbot.addWidget(dialog)
    dialog.delegate_box.setCurrentIndex(dialog.delegate_box.findData(o.vice.id))
    dialog.reason.setText("赴省参加培训")
    dialog.delegate_button.click()
    assert dialog.given.rowCount() == 1 and dialog.given.item(0, 0).text() == "刘副县长"
    assert dialog.given.item(0, 3).text() == "生效中"
    _shoot(dialog, "delegation", qtbot)

    # The deputy's 工作台 now holds it, marked as the leader's; the leader keeps it too.
    held = _todo(o, o.vice)
    assert [(i.info.title, i.on_behalf_of) for i in held] == [(TITLE, "陈县长")]
    assert [i.on_behalf_of for i in _workbench(qtbot, o, o.vice, prefs)] == ["陈县长"]
    assert [i.on_behalf_of for i in _todo(o, o.mayor)] == [""]
    assert _todo(o, o.director) == []

    # The deputy signs it, on the leader's behalf; the history says so.
    deputy_window = _window(qtbot, o, o.vice, doc)
    assert "签发" in buttons(deputy_window)
    deputy_window.opinion.setPlainText("同意印发")
    click(deputy_window, "签发")
    assert deputy_window.detail.document.state == "recheck"
    last = deputy_window.history.rowCount() - 1
    assert deputy_window.history.item(last, 1).text() == "刘副县长（代陈县长）"
    assert deputy_window.history.item(last, 2).text() == "签发"
    _shoot(deputy_window, "on-behalf", qtbot)
    assert _todo(o, o.vice) == [] and _todo(o, o.mayor) == []


def test_a_record_of_a_flow_alone_is_sent_to_a_named_person_and_taken_back(qtbot: QtBot, office: Office) -> None:
    from app.ui.workbench.record_dialog import RecordDialog
    from tests.helpers.worklist_flow import save_test_flow, start_record, state_of

    o = office
    save_test_flow(o)
    record = start_record(o, o.clerk)
    dialog = RecordDialog(o.ctx, o.clerk, record)
    qtbot.addWidget(dialog)
    combo = dialog.send_to["submit"]
    combo.load()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        BY_ROLE, "送王主任（青山县人民政府办公室）", "送李副主任（青山县人民政府办公室）", "送张文秘（秘书股）"]
    combo.pick(o.deputy.id)
    click(dialog, "送审")
    assert state_of(o, record)[:2] == ("review", o.deputy.id)
    assert [i.info.id for i in _todo(o, o.deputy)] == [record] and _todo(o, o.director) == []
    # Nothing more to do here but take it back.
    assert set(buttons(dialog)) == {"撤回"}
    click(dialog, "撤回")
    assert state_of(o, record) == ("draft", o.clerk.id, None)
    assert _todo(o, o.deputy) == []
    assert "送审" in buttons(dialog)
