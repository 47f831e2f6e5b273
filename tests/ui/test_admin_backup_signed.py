"""The backup tab: the office key's buttons, the maker and signature shown before a restore, and the
second confirmation (audited) that a backup whose signature does not hold needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.db.office_key import load_office_key
from app.ui.admin.page import AdminPage
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers.ui import Office


class Answers:
    """Stands in for the confirm dialogs: records each question and answers from a list."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: bool) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []
        monkeypatch.setattr("app.ui.admin.backup_tab.confirm", self)
        monkeypatch.setattr("app.ui.admin.backup_tab.inform", lambda *a: self.questions.append(a[2]))

    def __call__(self, _parent: object, _title: str, question: str, *_buttons: str) -> bool:
        self.questions.append(question)
        return self.answers.pop(0)


def backup_tab(qtbot: QtBot, office: Office, prefs: Prefs):  # type: ignore[no-untyped-def]
    page = AdminPage(office.ctx, office.admin, prefs)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.tabs.setCurrentWidget(page.backup)
    return page, page.backup


def _restores(office: Office) -> list[dict[str, object]]:
    with office.ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT username, detail FROM audit_log WHERE action = 'restore'")).all()
    return [{"username": name, **json.loads(detail)} for name, detail in rows]


def test_the_key_buttons_and_a_signed_restore(
    qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Answers(monkeypatch, True)
    page, tab = backup_tab(qtbot, office, prefs)
    assert "没有办公室密钥" in tab.key_status.text() and not tab.export_key_button.isEnabled()
    tab.create_key()
    key = load_office_key()
    assert key is not None and key.fingerprint in tab.key_status.text()
    assert tab.create_key_button.isHidden() and tab.export_key_button.isEnabled()
    tab.export_key(tmp_path / "office.govdesk-key")
    assert (tmp_path / "office.govdesk-key").is_file()

    target = tmp_path / "周备份.sqlite3"
    tab.backup_to(target)
    qtbot.waitUntil(lambda: "已备份到" in tab.last_result.text(), timeout=15_000)
    assert "没有签名" not in tab.last_result.text()
    tab.check_then_restore(target)
    qtbot.waitUntil(lambda: "已从" in tab.last_result.text(), timeout=15_000)
    question = answers.questions[-2]
    assert "赵管理（admin）" in question and "签名有效" in question and "制作时间" in question
    [row] = _restores(office)
    assert row["override"] is False and row["username"] == "admin"


def test_an_unsigned_backup_needs_a_second_audited_confirmation(
    qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = Answers(monkeypatch, True, False, True, True)
    page, tab = backup_tab(qtbot, office, prefs)
    target = tmp_path / "无签名.sqlite3"
    tab.backup_to(target)
    qtbot.waitUntil(lambda: "已备份到" in tab.last_result.text(), timeout=15_000)
    assert "没有签名" in tab.last_result.text()
    tab.create_key()

    tab.check_then_restore(target)  # first yes, then no at the second question: nothing restored
    qtbot.waitUntil(lambda: len(answers.questions) >= 4, timeout=15_000)
    assert "没有签名" in answers.questions[2] and "审计日志" in answers.questions[3]
    assert _restores(office) == []

    tab.check_then_restore(target)
    qtbot.waitUntil(lambda: "已从" in tab.last_result.text(), timeout=15_000)
    [row] = _restores(office)
    assert row["override"] is True and row["signature"] == "unsigned" and row["username"] == "admin"


@pytest.mark.parametrize("size", ["medium", "large"])
def test_the_tab_fits_a_laptop_screen(
    qtbot: QtBot, office: Office, prefs: Prefs, size: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, size)
    try:
        page, tab = backup_tab(qtbot, office, prefs)
        qtbot.wait(50)
        for label in (tab.key_status, tab.last_result):
            assert label.height() >= label.heightForWidth(label.width())
        for button in (tab.create_key_button, tab.export_key_button, tab.import_key_button):
            assert button.width() >= button.sizeHint().width()
        page.grab().save(str(Path("/tmp") / f"h3-backup-tab-{size}.png"))
    finally:
        apply_theme(app, "medium")
