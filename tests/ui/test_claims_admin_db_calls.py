"""The 报账 and 系统管理 windows run their database work off the GUI thread (issue 12 point 1): a slow
server leaves the window live with a busy dialog, and a save the lost server never took leaves what the
user typed in the window, with nothing written."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QTableWidgetItem
from pytestqt.qtbot import QtBot

from app.core.errors import ServerUnavailable
from app.core.roles import Role
from app.services.admin import users as admin
from app.services.claims import lists as claim_lists
from app.services.claims import records as claims
from app.services.claims import reports as claim_reports
from app.services.kernel import settings
from app.ui.admin.holidays import HolidaysTab
from app.ui.admin.settings_tab import SettingsTab
from app.ui.admin.units import UnitsTab
from app.ui.admin.users import UserDialog
from app.ui.claims.editor import AMOUNT, CATEGORY, SUMMARY, ClaimEditor
from app.ui.claims.page import ClaimsPage
from app.ui.claims.reports import ClaimReportsTab
from app.ui.prefs import Prefs
from app.ui.widgets.connection_monitor import connection_monitor
from app.ui.widgets.typed_copy import KeepTypedDialog
from tests.helpers import add_user
from tests.helpers.liveness import live_while, visible_busy_dialog
from tests.helpers.ui import Office

SLOW_S = 1.0


@pytest.fixture(autouse=True)
def _quiet_monitor() -> Iterator[None]:
    """A lost server is reported to the one monitor of the program; it must not outlive the test."""
    monitor = connection_monitor()
    monitor.attach(None)
    yield
    monitor._back()
    monitor.attach(None)


def _slowed(original: Callable[..., Any]) -> Callable[..., Any]:
    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(SLOW_S)
        return original(*args, **kwargs)

    return slow


def _gone(*_args: Any, **_kwargs: Any) -> Any:
    raise ServerUnavailable("连不上数据库服务器：网络断了", kind="unreachable")


def _back_to_the_window(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def ask(self: KeepTypedDialog) -> str:
        asked.append(self.text())
        return "back"

    monkeypatch.setattr(KeepTypedDialog, "ask", ask)
    return asked


def _fill_claim(editor: ClaimEditor) -> None:
    editor.lines.setItem(0, SUMMARY, QTableWidgetItem("赴江州市参加培训往返车票"))
    combo = editor.lines.cellWidget(0, CATEGORY)
    combo.setCurrentIndex(combo.findData("差旅费"))
    editor.lines.setItem(0, AMOUNT, QTableWidgetItem("540.00"))
    editor.receipts.setValue(2)


def _claims_of(office: Office) -> list[claim_lists.ClaimRow]:
    with office.ctx.uow() as uow:
        return list(claim_lists.list_claims(uow, office.clerk, box="mine").rows)


# ----- 报账 ---------------------------------------------------------------------------------------------------
def test_a_slow_claims_report_keeps_the_window_live(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    finance = add_user(office.ctx, "kuaiji", [Role.FINANCE], office.unit_id, "王会计")
    tab = ClaimReportsTab(office.ctx, finance)
    qtbot.addWidget(tab)
    tab.show()
    monkeypatch.setattr(claim_reports, "totals_by_unit", _slowed(claim_reports.totals_by_unit))
    ticks, busy = live_while(tab.refresh)
    # 1 s at a tick per 50 ms: a GUI thread blocked in the query would tick at most once, afterwards.
    assert ticks >= 8
    assert busy, "after 300 ms a busy dialog says what the window waits for"
    assert visible_busy_dialog() is None
    assert "合计：0 张" in tab.unit_total.text(), "the result still reaches the window"


def test_a_claim_the_lost_server_never_took_stays_in_the_editor(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = ClaimEditor(office.ctx, office.clerk)
    qtbot.addWidget(editor)
    _fill_claim(editor)
    asked = _back_to_the_window(monkeypatch)
    monkeypatch.setattr(claims, "create_claim", _gone)
    assert editor.save(submit=False) is False
    assert asked == ["连不上数据库服务器：网络断了"]
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.saved is None
    assert editor.lines.item(0, SUMMARY).text() == "赴江州市参加培训往返车票"
    assert editor.lines.item(0, AMOUNT).text() == "540.00"
    assert editor.receipts.value() == 2
    assert _claims_of(office) == []


def test_a_submit_the_lost_server_never_took_is_sent_again_without_a_second_claim(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = ClaimEditor(office.ctx, office.clerk)
    qtbot.addWidget(editor)
    _fill_claim(editor)
    _back_to_the_window(monkeypatch)
    submit = claims.submit
    monkeypatch.setattr(claims, "submit", _gone)
    # Stored as a draft, then the server went: the editor stays open with everything typed.
    assert editor.save(submit=True) is False
    assert editor.lines.item(0, SUMMARY).text() == "赴江州市参加培训往返车票"
    assert len(_claims_of(office)) == 1
    # The server is back: 提交 again updates that draft and submits it, rather than storing a second claim.
    monkeypatch.setattr(claims, "submit", submit)
    editor.lines.setItem(0, AMOUNT, QTableWidgetItem("560.00"))
    assert editor.save(submit=True) is True
    rows = _claims_of(office)
    assert len(rows) == 1
    assert rows[0].total == Decimal("560.00")
    assert rows[0].submitted


def test_the_budget_line_does_not_wait_for_a_server_known_to_be_away(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = ClaimEditor(office.ctx, office.clerk)
    qtbot.addWidget(editor)
    connection_monitor().report_lost(ServerUnavailable(kind="unreachable"))
    asked: list[object] = []
    monkeypatch.setattr("app.services.claims.budgets.budget_status", lambda *a: asked.append(a) or [])
    _fill_claim(editor)
    editor.recalc()
    assert asked == []
    assert "暂时连不上数据库服务器" in editor.budget_label.text()


# ----- 系统管理 -------------------------------------------------------------------------------------------------
def test_a_slow_units_tree_keeps_the_window_live(qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = UnitsTab(office.ctx, office.admin)
    qtbot.addWidget(tab)
    tab.show()
    monkeypatch.setattr(admin, "list_units", _slowed(admin.list_units))
    ticks, busy = live_while(tab.refresh)
    assert ticks >= 8
    assert busy
    assert tab.tree.topLevelItem(0).text(0) == "秘书股"


def test_settings_the_lost_server_never_took_stay_in_their_fields(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[object] = []
    monkeypatch.setattr("app.ui.admin.settings_tab.inform", lambda *a: told.append(a))
    tab = SettingsTab(office.ctx, office.admin)
    qtbot.addWidget(tab)
    tab.show()
    tab.refresh()
    with office.ctx.uow() as uow:
        before = settings.get_setting(uow, "office_name")
    tab.edits["office_name"].setText("青山县人民政府办公室")
    asked = _back_to_the_window(monkeypatch)
    monkeypatch.setattr(settings, "update_settings", _gone)
    tab.save()
    assert asked and not told, "not said to be saved"
    assert tab.edits["office_name"].text() == "青山县人民政府办公室"
    with office.ctx.uow() as uow:
        assert settings.get_setting(uow, "office_name") == before


def test_a_user_the_lost_server_never_took_stays_in_the_dialog(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = UserDialog(office.ctx, office.admin, None)
    qtbot.addWidget(dialog)
    dialog.username.setText("liming")
    dialog.full_name.setText("李明")
    dialog.password.setText("abc12345")
    dialog.role_checks[Role.SECRETARY].setChecked(True)
    asked = _back_to_the_window(monkeypatch)
    monkeypatch.setattr(admin, "create_user", _gone)
    dialog.save()
    assert asked
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert (dialog.username.text(), dialog.full_name.text()) == ("liming", "李明")
    with office.ctx.uow() as uow:
        assert "liming" not in {u.username for u in admin.list_users(uow, office.admin)}


def test_holidays_read_off_the_gui_thread_still_fill_the_table(qtbot: QtBot, office: Office) -> None:
    with office.ctx.uow() as uow:
        settings.set_holiday(uow, office.admin, date(2099, 10, 1), False, "国庆")
    tab = HolidaysTab(office.ctx, office.admin)
    qtbot.addWidget(tab)
    tab.year.setValue(2099)
    tab.refresh()
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 2).text() == "国庆"


def test_the_claims_page_opens_without_a_server_and_says_so_in_its_lists(
    qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin, "list_units", _gone)
    page = ClaimsPage(office.ctx, office.clerk, prefs)
    qtbot.addWidget(page)
    # The 部门 filter has nothing to offer but 全部部门; the page itself is there, not an error box.
    assert page.mine.spec.choices[1].options == [("全部部门", None)]
