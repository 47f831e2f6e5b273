"""The audit tab's anchors: the administrator makes one, exports it and prints it, and 核验完整性 finds a chain
recomputed behind the anchor's back, a cut end against an exported file, and says when this PC has no key.
Shown at 1366×768, text size 中 and 大."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, update

from app.db import office_key as keys
from app.db.tables import audit_anchors, audit_log, sequences
from app.services.admin import users as admin
from app.ui.admin.page import AdminPage
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers.audit_chain import recompute_chain_from
from tests.helpers.pdfcheck import compact, page_text, reader
from tests.helpers.ui import Office


@pytest.fixture(params=["medium", "large"])
def text_size(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, request.param)
    yield request.param
    apply_theme(app, "medium")


def audit_page(qtbot: QtBot, office: Office, prefs: Prefs) -> AdminPage:
    for name in ("县应急管理局", "县财政局", "县教育局"):
        with office.ctx.uow() as uow:
            admin.create_unit(uow, office.admin, name=name, kind="department")
    page = AdminPage(office.ctx, office.admin, prefs)
    qtbot.addWidget(page)
    page.resize(1366 - 220, 768 - 120)  # the admin page inside the main window, beside the navigation pane
    page.show()
    page.tabs.setCurrentWidget(page.audit)
    QApplication.processEvents()
    return page


def button(page: AdminPage, text: str) -> QPushButton:
    found = [b for b in page.audit.findChildren(QPushButton) if b.text() == text]
    assert len(found) == 1, text
    return found[0]


def test_anchor_then_a_recomputed_chain_shows_in_the_tab(
    qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, text_size: str
) -> None:
    key = keys.create_office_key()
    page = audit_page(qtbot, office, prefs)
    for text in ("核验完整性", "用锚点文件核验…", "生成锚点", "导出锚点…", "打印锚点…", "查询"):
        shown = button(page, text)
        assert shown.isVisible() and shown.width() >= shown.sizeHint().width(), f"“{text}” is cut"
    button(page, "生成锚点").click()
    assert "已生成审计日志锚点" in page.audit.verdict.text() and key.fingerprint in page.audit.verdict.text()
    qtbot.waitUntil(lambda: page.audit.model.rowCount() == 4, timeout=5000)  # the anchor's own entry
    page.grab().save(str(tmp_path / f"audit-anchor-{text_size}.png"))

    recompute_chain_from(office.ctx, 2, username="intruder")
    button(page, "核验完整性").click()
    verdict = page.audit.verdict.text()
    assert "被改写" in verdict and "#" in verdict  # in the warning colour
    QApplication.processEvents()
    label = page.audit.verdict
    # Every line of the verdict shows: the label is as tall as its wrapped text needs.
    assert label.height() >= label.heightForWidth(label.width()) and label.width() <= page.width()
    page.grab().save(str(tmp_path / f"audit-broken-{text_size}.png"))


def test_export_and_print_then_verify_a_cut_end_with_the_file(
    qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = keys.create_office_key()
    page = audit_page(qtbot, office, prefs)
    button(page, "生成锚点").click()
    target = tmp_path / "anchor.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    monkeypatch.setattr("app.ui.admin.audit_tab.inform", lambda *args: None)
    button(page, "导出锚点…").click()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["fingerprint"] == key.fingerprint

    button(page, "打印锚点…").click()
    preview = page.audit.preview
    assert preview is not None and preview.isVisible()
    assert len(reader(preview.pdf).pages) == 1
    text = compact(page_text(preview.pdf))
    assert "审计日志锚点" in text and f"第{data['seq']}条" in text and key.fingerprint in text
    preview.close()

    with office.ctx.engine.begin() as conn:
        conn.execute(delete(audit_anchors))
        conn.execute(delete(audit_log).where(audit_log.c.seq >= data["seq"]))
        conn.execute(update(sequences).where(sequences.c.key == "audit_log").values(last_value=data["seq"] - 1))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(target), ""))
    button(page, "用锚点文件核验…").click()
    assert "日志末尾被截去" in page.audit.verdict.text()


def test_without_a_key_the_tab_says_anchors_cannot_be_checked(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = audit_page(qtbot, office, prefs)
    shown: list[str] = []
    monkeypatch.setattr("app.ui.admin.audit_tab.show_error", lambda _parent, error, *args: shown.append(str(error)))
    button(page, "生成锚点").click()
    assert shown and "本机没有办公室密钥" in shown[0]
    button(page, "核验完整性").click()
    assert "未发现删除或篡改" in page.audit.verdict.text()
