"""db_call: a window's database work runs off the GUI thread, the window stays live, the user can stop
waiting, a cancelled unit of work never commits, and a save the lost server never took keeps the input."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.errors import ServerUnavailable, ValidationError, WorkCancelled
from app.db.tables import settings
from app.ui.widgets import db_call as db_call_module
from app.ui.widgets.connection_monitor import ConnectionMonitor, connection_monitor
from app.ui.widgets.db_call import db_call
from app.ui.widgets.typed_copy import KeepTypedDialog, save_typed_copy, typed_fields
from tests.helpers.liveness import live_while, visible_busy_dialog


def _settings_count(ctx: AppContext) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(settings)).scalar_one())


def test_a_quick_call_returns_its_result_without_a_dialog(qtbot: QtBot) -> None:
    assert db_call(None, lambda: 41 + 1) == 42
    assert visible_busy_dialog() is None


def test_the_work_runs_off_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    assert db_call(None, threading.get_ident) != gui


def test_a_slow_call_keeps_the_window_live_and_shows_that_it_waits(qtbot: QtBot) -> None:
    def slow() -> str:
        time.sleep(1.2)
        return "done"

    results: list[str] = []
    ticks, busy = live_while(lambda: results.append(db_call(None, slow)))
    assert results == ["done"]
    # 1.2 s at one tick per 50 ms: a frozen GUI thread would have ticked at most once, afterwards.
    assert ticks >= 10
    assert busy, "after 300 ms a busy dialog says what the program waits for"
    assert visible_busy_dialog() is None


def test_an_error_of_the_work_is_raised_in_the_gui_thread(qtbot: QtBot) -> None:
    def refused() -> None:
        raise ValidationError("请填写标题")

    with pytest.raises(ValidationError, match="请填写标题"):
        db_call(None, refused)


def test_cancelling_stops_waiting_and_the_work_never_commits(qtbot: QtBot, sqlite_ctx: AppContext) -> None:
    before = _settings_count(sqlite_ctx)
    finished = threading.Event()

    def slow_save() -> None:
        try:
            with sqlite_ctx.uow() as uow:
                uow.execute(settings.insert().values(key="late", value='"x"'))
                time.sleep(1.0)
                uow.commit()
        finally:
            finished.set()

    def press_cancel() -> None:
        dialog = visible_busy_dialog()
        assert dialog is not None
        dialog.cancel_button.click()

    QTimer.singleShot(500, press_cancel)
    started = time.monotonic()
    with pytest.raises(WorkCancelled):
        db_call(None, slow_save, saving=True)
    assert time.monotonic() - started < 0.9, "取消 returns at once, not when the work ends"
    assert finished.wait(5)
    assert _settings_count(sqlite_ctx) == before


def test_a_lost_server_on_a_read_is_said_and_reported(qtbot: QtBot, sqlite_ctx: AppContext) -> None:
    monitor = connection_monitor()
    monitor.attach(None)
    lost: list[str] = []
    monitor.lost.connect(lost.append)
    try:
        def gone() -> None:
            raise ServerUnavailable("连不上数据库服务器", kind="unreachable")

        with pytest.raises(ServerUnavailable):
            db_call(None, gone)
        assert lost == ["连不上数据库服务器"]
        assert not monitor.is_up()
        assert db_call(None, lambda: 1) == 1
        assert monitor.is_up(), "a call that goes through means the server is back"
    finally:
        monitor.lost.disconnect(lost.append)
        monitor.attach(None)


def _form() -> QDialog:
    dialog = QDialog()
    dialog.setWindowTitle("拟稿")
    layout = QVBoxLayout(dialog)
    title = QLineEdit("关于做好防汛工作的通知")
    caption = QLabel('标题 <span style="color:#C0392B">*</span>：')
    caption.setBuddy(title)
    body = QPlainTextEdit("各乡镇人民政府：\n请做好防汛准备。")
    body_caption = QLabel("正文：")
    body_caption.setBuddy(body)
    secret = QLineEdit("口令123")
    secret.setEchoMode(QLineEdit.EchoMode.Password)
    urgent = QCheckBox("加急")
    urgent.setChecked(True)
    for widget in (caption, title, body_caption, body, secret, urgent):
        layout.addWidget(widget)
    return dialog


def test_a_save_the_lost_server_never_took_is_saved_once_it_is_back(
    qtbot: QtBot, sqlite_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _form()
    qtbot.addWidget(dialog)
    monitor = connection_monitor()
    monitor.attach(sqlite_ctx)
    asked: list[str] = []

    def ask(self: KeepTypedDialog) -> str:
        asked.append(self.text())
        return "retry"

    monkeypatch.setattr(KeepTypedDialog, "ask", ask)
    attempts: list[int] = []

    def save() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ServerUnavailable("连不上数据库服务器：网络断了", kind="unreachable")
        with sqlite_ctx.uow() as uow:
            uow.execute(settings.insert().values(key="saved", value='"y"'))
            uow.commit()
        return "saved"

    try:
        assert db_call(dialog, save, saving=True) == "saved"
    finally:
        monitor.attach(None)
    assert asked == ["连不上数据库服务器：网络断了"]
    assert len(attempts) == 2
    with sqlite_ctx.engine.connect() as conn:
        assert conn.execute(select(settings.c.value).where(settings.c.key == "saved")).scalar_one() == '"y"'


def test_going_back_to_the_window_raises_a_silent_cancel_and_keeps_the_input(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _form()
    qtbot.addWidget(dialog)
    monkeypatch.setattr(KeepTypedDialog, "ask", lambda self: "back")
    monitor = connection_monitor()
    monitor.attach(None)

    def save() -> None:
        raise ServerUnavailable(kind="unreachable")

    try:
        with pytest.raises(WorkCancelled):
            db_call(dialog, save, saving=True)
    finally:
        monitor._back()
    assert dialog.findChild(QPlainTextEdit).toPlainText() == "各乡镇人民政府：\n请做好防汛准备。"


def test_the_typed_copy_has_each_field_with_its_label_and_never_a_password(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = _form()
    qtbot.addWidget(dialog)
    dialog.show()
    fields = typed_fields(dialog)
    assert ("标题", "关于做好防汛工作的通知") in fields
    assert ("正文", "各乡镇人民政府：\n请做好防汛准备。") in fields
    assert all("口令123" not in value for _label, value in fields)
    path = tmp_path / "copy.txt"
    save_typed_copy(dialog, path)
    text = path.read_text(encoding="utf-8-sig")
    assert "【标题】\n关于做好防汛工作的通知" in text
    assert "口令123" not in text


def test_the_monitor_sees_the_server_again_and_says_so(qtbot: QtBot, sqlite_ctx: AppContext) -> None:
    monitor = ConnectionMonitor()
    monitor.attach(sqlite_ctx)
    monitor.report_lost(ServerUnavailable(kind="unreachable"))
    assert not monitor.is_up()
    with qtbot.waitSignal(monitor.restored, timeout=5000):
        pass
    assert monitor.is_up()


def test_not_on_the_gui_thread_the_work_just_runs(qtbot: QtBot) -> None:
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(db_call_module.db_call(None, lambda: "direct")))
    thread.start()
    thread.join(5)
    assert outcome == ["direct"]
