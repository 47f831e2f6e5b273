"""系统管理 through the widgets: users, units, settings, holidays, backup and the audit log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.services.admin import auth
from app.services.admin import users as admin
from app.services.kernel import settings
from app.ui.admin.page import AdminPage
from app.ui.admin.users import UserDialog
from app.ui.prefs import Prefs
from tests.helpers.ui import Office


def admin_page(qtbot: QtBot, office: Office, prefs: Prefs) -> AdminPage:
    page = AdminPage(office.ctx, office.admin, prefs)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    return page


def test_users_tab_lists_everyone_with_roles_and_state(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    page = admin_page(qtbot, office, prefs)
    model = page.users.model
    names = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert set(names) == {"赵管理", "张文秘", "刘副主任", "王县长"}
    assert page.users.table.total_label.text() == "共 4 条"


def test_new_user_dialog_shows_errors_beside_fields_then_saves(qtbot: QtBot, office: Office) -> None:
    dialog = UserDialog(office.ctx, office.admin, None)
    qtbot.addWidget(dialog)
    dialog.username.setText("chenjing")
    dialog.full_name.setText("陈静")
    dialog.password.setText("short")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert dialog.form.error_text("roles") == "请至少选择一个角色"
    from app.core.roles import Role

    dialog.role_checks[Role.FINANCE].setChecked(True)
    save.click()
    assert dialog.form.error_text("password") == "密码至少需要8位"
    assert dialog.form.error_text("roles") == ""
    # Nothing typed was lost while the errors were shown.
    assert (dialog.username.text(), dialog.full_name.text()) == ("chenjing", "陈静")
    dialog.password.setText("welcome7jq")
    dialog.unit.setCurrentIndex(dialog.unit.findData(office.unit_id))
    save.click()
    assert dialog.result() == UserDialog.DialogCode.Accepted
    with office.ctx.uow() as uow:
        created = auth.login(uow, "chenjing", "welcome7jq")
    assert created.roles == {"finance"} and created.unit_id == office.unit_id


def test_editing_a_user_someone_else_changed_offers_reload(qtbot: QtBot, office: Office, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with office.ctx.uow() as uow:
        stale = admin.get_user(uow, office.admin, office.clerk.id or 0)
    with office.ctx.uow() as uow:
        admin.update_user(uow, office.admin, stale.id, expected_version=stale.version, title="科员")
    asked: list[str] = []
    from app.ui.widgets.conflict import ConflictDialog

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(lambda cls, parent, message, *a: asked.append(message) or 1))
    dialog = UserDialog(office.ctx, office.admin, stale)
    qtbot.addWidget(dialog)
    dialog.title.setText("副科长")
    dialog.save()
    assert asked and "已被其他人修改" in asked[0]
    with office.ctx.uow() as uow:
        assert admin.get_user(uow, office.admin, stale.id).title == "科员"


def test_units_tree_shows_the_hierarchy(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    with office.ctx.uow() as uow:
        parent = admin.create_unit(uow, office.admin, name="县人民政府办公室")
    with office.ctx.uow() as uow:
        admin.create_unit(uow, office.admin, name="督查室", kind="section", parent_id=parent.id)
    page = admin_page(qtbot, office, prefs)
    page.tabs.setCurrentWidget(page.units)
    tree = page.units.tree
    tops = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert "县人民政府办公室" in tops
    office_item = tree.topLevelItem(tops.index("县人民政府办公室"))
    assert office_item.child(0).text(0) == "督查室"
    head_column = [tree.topLevelItem(i).text(2) for i in range(tree.topLevelItemCount())]
    assert "刘副主任" in head_column


def test_settings_are_saved_and_bad_ones_marked(qtbot: QtBot, office: Office, prefs: Prefs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.ui.admin.settings_tab.inform", lambda *a: None)
    page = admin_page(qtbot, office, prefs)
    page.tabs.setCurrentWidget(page.settings)
    tab = page.settings
    tab.edits["office_name"].setText("青山县人民政府办公室")
    tab.edits["attachment_max_mb"].setText("五十")
    tab.save()
    assert "请输入整数" in tab.form.error_text("attachment_max_mb")
    assert tab.edits["office_name"].text() == "青山县人民政府办公室"
    tab.edits["attachment_max_mb"].setText("80")
    tab.edits["adoption_points"].setText("市级=4、省级=6、国家级=12")
    tab.save()
    with office.ctx.uow() as uow:
        assert settings.get_setting(uow, "office_name") == "青山县人民政府办公室"
        assert settings.get_setting(uow, "attachment_max_mb") == 80
        assert settings.get_setting(uow, "adoption_points") == {"市级": 4, "省级": 6, "国家级": 12}


def test_holidays_for_an_unpublished_year(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    page = admin_page(qtbot, office, prefs)
    page.tabs.setCurrentWidget(page.holidays)
    tab = page.holidays
    tab.year.setValue(2099)
    assert "尚未公布" in tab.known.text()
    tab.day.setDate(QDate(2099, 10, 1))
    tab.note.setText("国庆节")
    tab.add()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "放假"
    with office.ctx.uow() as uow:
        assert [h.day for h in settings.list_holidays(uow, 2099)] == [date(2099, 10, 1)]


def test_backup_from_the_page_writes_a_file(qtbot: QtBot, office: Office, prefs: Prefs, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.ui.admin.backup_tab.inform", lambda *a: None)
    page = admin_page(qtbot, office, prefs)
    page.tabs.setCurrentWidget(page.backup)
    target = tmp_path / "周备份.sqlite3"
    page.backup.backup_to(target)
    qtbot.waitUntil(lambda: "已备份到" in page.backup.last_result.text(), timeout=15_000)
    assert target.is_file() and target.read_bytes().startswith(b"SQLite format 3")


def test_audit_tab_lists_and_verifies(qtbot: QtBot, office: Office, prefs: Prefs) -> None:
    with office.ctx.uow() as uow:
        auth.login(uow, "clerk", "abc12345")
    page = admin_page(qtbot, office, prefs)
    page.tabs.setCurrentWidget(page.audit)
    tab = page.audit
    tab.refresh()
    # The list reads off the GUI thread (LazyTableModel): its rows land a moment later.
    qtbot.waitUntil(lambda: tab.model.rowCount() >= 1, timeout=5000)
    assert tab.model.index(0, 3).data() == "登录成功"
    tab.verify()
    assert "未发现删除或篡改" in tab.verdict.text()
