"""The 公文 dialogs, the 归档与报表 tab and the record window call the database off the GUI thread: a slow
server leaves the window live with a busy dialog, and a save the lost server never took keeps what was
typed, writes nothing, and leaves the window open."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.core.errors import ServerUnavailable, WorkCancelled
from app.models import Document
from app.services.documents import archives, incoming, outgoing
from app.services.workflow import moves as workflow
from app.ui.documents.draft_dialog import DraftDialog
from app.ui.documents.incoming_dialog import IncomingDialog
from app.ui.documents.office_acts import ReplyDialog
from app.ui.documents.reports import ReportsTab
from app.ui.widgets.connection_monitor import connection_monitor
from app.ui.widgets.db_call import BusyDialog
from app.ui.widgets.typed_copy import KeepTypedDialog
from app.ui.workbench.record_dialog import RecordDialog
from tests.helpers.ui import Office

TITLE = "关于做好2027年元旦春节期间安全生产工作的通知"


@pytest.fixture
def lost_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The user, told the server is gone, goes back to the window (KeepTypedDialog's 返回修改). No error box
    is shown besides (one would hang here: it is recorded instead, and must stay empty)."""
    asked: list[str] = []
    boxes: list[BaseException] = []

    def ask(self: KeepTypedDialog) -> str:
        asked.append(self.text())
        return "back"

    def show_error(_parent: object, error: BaseException, _title: str = "") -> None:
        if not isinstance(error, WorkCancelled):
            boxes.append(error)

    monkeypatch.setattr(KeepTypedDialog, "ask", ask)
    monkeypatch.setattr("app.ui.widgets.editing.show_error", show_error)
    monkeypatch.setattr("app.ui.workbench.record_dialog.show_error", show_error)
    monkeypatch.setattr("app.ui.widgets.record_window.show_error", show_error)
    monitor = connection_monitor()
    monitor.attach(None)
    yield asked
    monitor._back()
    monitor.attach(None)
    assert boxes == []


def _gone(*_args: object, **_kwargs: object) -> Any:
    raise ServerUnavailable("连不上数据库服务器：网络断了", kind="unreachable")


def _slow(real: Callable[..., Any], seconds: float = 1.2) -> Callable[..., Any]:
    def call(*args: object, **kwargs: object) -> Any:
        time.sleep(seconds)
        return real(*args, **kwargs)

    return call


class Liveness:
    """Counts a 50 ms timer's ticks, and looks for the busy dialog once the call has run 600 ms."""

    def __init__(self) -> None:
        self.ticks = 0
        self.busy_seen: list[bool] = []
        self.thread_ids: set[int] = set()
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks += 1

    def __enter__(self) -> Liveness:
        self.timer.start()
        QTimer.singleShot(600, lambda: self.busy_seen.append(any(
            isinstance(w, BusyDialog) and w.isVisible() for w in QApplication.topLevelWidgets())))
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()

    def assert_live(self) -> None:
        # 1.2 s at a tick per 50 ms: a GUI thread blocked on the call would have ticked once at most.
        assert self.ticks >= 10, f"the timer ticked {self.ticks} times"
        assert self.busy_seen == [True], "after 300 ms a busy dialog says what the window waits for"


def _documents(office: Office) -> int:
    with office.ctx.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(Document)).scalar_one())


def _save(dialog: QDialog) -> QPushButton:
    button: QPushButton = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    return button


def _draft_dialog(qtbot: QtBot, office: Office, tmp_path: Path) -> DraftDialog:
    body = tmp_path / "正文.docx"
    body.write_bytes(b"PK\x03\x04 draft body")
    dialog = DraftDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_body(body)
    dialog.title_edit.setText(TITLE)
    dialog.main_recipients.setText("各乡镇人民政府")
    dialog.disclosure.setCurrentIndex(dialog.disclosure.findData("主动公开"))
    return dialog


def test_a_slow_draft_save_keeps_the_window_live(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _draft_dialog(qtbot, office, tmp_path)
    threads: list[int] = []
    real = outgoing.create_draft

    def create(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return _slow(real)(*args, **kwargs)

    monkeypatch.setattr(outgoing, "create_draft", create)
    with Liveness() as live:
        _save(dialog).click()
    live.assert_live()
    assert threads and threads[0] != threading.get_ident()
    assert dialog.created is not None and dialog.result() == QDialog.DialogCode.Accepted
    assert _documents(office) == 1


def test_a_draft_the_lost_server_never_took_stays_typed_in_the_dialog(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lost_server: list[str]
) -> None:
    dialog = _draft_dialog(qtbot, office, tmp_path)
    monkeypatch.setattr(outgoing, "create_draft", _gone)
    _save(dialog).click()
    assert lost_server == ["连不上数据库服务器：网络断了"]
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.title_edit.text() == TITLE and dialog.main_recipients.text() == "各乡镇人民政府"
    assert dialog.created is None and _documents(office) == 0


def test_an_incoming_document_the_lost_server_never_took_stays_typed(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, lost_server: list[str]
) -> None:
    dialog = IncomingDialog(office.ctx, office.clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title_edit.setText("关于做好冬季森林防火工作的通知")
    dialog.source_unit.setText("江州市人民政府办公室")
    monkeypatch.setattr(incoming, "create_incoming", _gone)
    _save(dialog).click()
    assert lost_server and dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.title_edit.text() == "关于做好冬季森林防火工作的通知"
    assert dialog.source_unit.text() == "江州市人民政府办公室"
    assert dialog.created is None and _documents(office) == 0


def test_a_reply_the_lost_server_never_took_stays_typed(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, lost_server: list[str]
) -> None:
    with office.ctx.uow() as uow:
        info = incoming.create_incoming(uow, office.clerk, title="关于报送统计数据的通知", source_unit="市统计局")
    dialog = ReplyDialog(office.ctx, office.clerk, info.id, "市统计局")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.content.setPlainText("已按要求报送")
    monkeypatch.setattr(incoming, "reply", _gone)
    _save(dialog).click()
    assert lost_server and dialog.isVisible() and dialog.content.toPlainText() == "已按要求报送"


def test_a_slow_archive_catalogue_keeps_the_reports_tab_live(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = ReportsTab(office.ctx, office.lead)
    qtbot.addWidget(tab)
    tab.show()
    monkeypatch.setattr(archives, "archive_catalogue", _slow(archives.archive_catalogue))
    with Liveness() as live:
        tab.refresh()
    live.assert_live()
    assert tab.catalogue_count.text() == "这一年度和保管期限下还没有归档的文件。"


def _record(qtbot: QtBot, office: Office) -> RecordDialog:
    with office.ctx.uow() as uow:
        instance = workflow.start(uow, office.clerk, flow_key="outgoing_document", entity_type="item",
                                  title="关于报送2026年工作总结的通知", today=date.today())
        uow.commit()
    dialog = RecordDialog(office.ctx, office.clerk, instance.id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _action(dialog: RecordDialog, label: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == label)


def test_a_slow_step_keeps_the_record_window_live(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _record(qtbot, office)
    dialog.opinion.insertPlainText("请刘主任审核")
    monkeypatch.setattr(workflow, "transition", _slow(workflow.transition))
    with Liveness() as live:
        _action(dialog, "送核稿").click()
    live.assert_live()
    assert dialog.changed and "核稿" in dialog.state_label.text()


def test_a_step_the_lost_server_never_took_keeps_the_opinion(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, lost_server: list[str]
) -> None:
    dialog = _record(qtbot, office)
    dialog.opinion.insertPlainText("请刘主任审核")
    monkeypatch.setattr(workflow, "transition", _gone)
    _action(dialog, "送核稿").click()
    assert lost_server == ["连不上数据库服务器：网络断了"]
    assert dialog.opinion.toPlainText() == "请刘主任审核" and not dialog.changed
    assert "拟稿" in dialog.state_label.text()
