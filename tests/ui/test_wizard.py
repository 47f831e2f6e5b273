"""The first-run wizard: a local file or a LAN server, the test-connection verdict, the first administrator."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.db import profile as profiles
from app.services.admin import auth
from app.services.admin import users as admin
from app.services.kernel import settings
from app.ui.wizard import FirstRunWizard


def new_wizard(qtbot: QtBot) -> FirstRunWizard:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    return wizard


def fill_setup(wizard: FirstRunWizard, password2: str = "gdadmin2718") -> None:
    page = wizard.setup
    page.office.setText("青山县人民政府办公室")
    page.prefixes.setText("县政办发、县政办函")
    page.fonds.setText("J012")
    page.full_name.setText("赵宇海")
    page.password.setText("gdadmin2718")
    page.password2.setText(password2)


def test_local_database_from_scratch(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "office" / "govdesk.sqlite3"
    wizard = new_wizard(qtbot)
    wizard.show()
    assert wizard.connection.local.isChecked()
    wizard.connection.path.setText(str(target))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.setup_id)
    assert "数据库是空的" in wizard.connection.verdict.text()
    fill_setup(wizard, password2="different1")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.setup.form.error_text("password2") == "两次输入的密码不一致"
    assert wizard.ctx is None
    wizard.setup.password2.setText("gdadmin2718")
    wizard.setup.prefixes.setText("县政办发〔2026〕")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "机关代字" in wizard.setup.form.error_text("doc_prefixes")
    wizard.setup.prefixes.setText("县政办发、县政办函")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.ctx is not None
    saved = profiles.load_profile()
    assert saved is not None and saved.kind == "local" and saved.path == str(target)
    with wizard.ctx.uow() as uow:
        assert settings.get_setting(uow, "office_name") == "青山县人民政府办公室"
        assert settings.get_setting(uow, "fonds_number") == "J012"
        actor = auth.login(uow, "admin", "gdadmin2718")
    assert actor.full_name == "赵宇海"
    wizard.ctx.dispose()


def test_an_unreachable_server_is_named_plainly(qtbot: QtBot) -> None:
    wizard = new_wizard(qtbot)
    page = wizard.connection
    page.server.setChecked(True)
    page.host.setText("127.0.0.1")
    page.port.setValue(1)
    page.user.setText("govdesk")
    with qtbot.waitSignal(page.tested, timeout=20_000) as tested:
        assert page.test_connection()
    assert tested.args == [False]
    assert page.result is not None and page.result.problem in ("unreachable", "refused")
    assert page.result.message in page.verdict.text()
    assert "服务器" in page.verdict.text()


def test_missing_server_fields_are_marked(qtbot: QtBot) -> None:
    wizard = new_wizard(qtbot)
    page = wizard.connection
    page.server.setChecked(True)
    assert not page.test_connection()
    assert "请填写服务器地址" in page.server_form.error_text("host")


def test_an_existing_database_needs_no_second_administrator(qtbot: QtBot, sqlite_url: str) -> None:
    from app.bootstrap import bootstrap

    existing = bootstrap(sqlite_url)
    with existing.uow() as uow:
        admin.create_first_admin(uow, username="admin", full_name="管理员", password="gdadmin2718")
    existing.dispose()
    wizard = new_wizard(qtbot)
    wizard.show()
    wizard.connection.path.setText(sqlite_url.removeprefix("sqlite:///"))
    with qtbot.waitSignal(wizard.connection.tested) as tested:
        assert wizard.connection.test_connection()
    assert tested.args == [True]
    assert wizard.nextId() == -1
    assert "库中已有用户" in wizard.connection.verdict.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.ctx is not None
    wizard.ctx.dispose()


def test_server_profile_keeps_the_password_out_of_the_file(tmp_path: Path) -> None:
    chosen = profiles.ConnectionProfile(
        kind="server", backend="postgresql", host="127.0.0.1", port=5432, database="test", user="postgres"
    )
    profiles.save_profile(chosen)
    text = profiles.profile_path().read_text(encoding="utf-8")
    assert "password" not in text
    assert profiles.load_profile() == chosen
    assert chosen.url("s3cret").password == "s3cret"


def test_the_office_is_set_up_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating the tables and the first administrator on a LAN server takes a while: the wizard stays live."""
    import threading

    real = admin.create_first_admin
    threads: list[int] = []

    def create_first_admin(*args: object, **kwargs: object) -> object:
        threads.append(threading.get_ident())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(admin, "create_first_admin", create_first_admin)
    wizard = new_wizard(qtbot)
    wizard.show()
    wizard.connection.path.setText(str(tmp_path / "govdesk.sqlite3"))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.setup_id)
    fill_setup(wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.ctx is not None
    assert threads and threads[0] != threading.get_ident()
    wizard.ctx.dispose()
