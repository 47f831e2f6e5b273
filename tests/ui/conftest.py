"""UI fixtures: one themed QApplication, preferences in a temporary file, and a small office to log into."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.bootstrap import AppContext
from app.core.roles import Role
from app.ui.application import create_application
from app.ui.prefs import Prefs
from app.ui.theme import apply_theme
from tests.helpers import add_unit, add_user, set_unit_head
from tests.helpers.ui import Office


@pytest.fixture(scope="session")
def qapp_cls() -> type[QApplication]:
    return QApplication


@pytest.fixture(autouse=True)
def themed_app(qapp: QApplication) -> QApplication:
    create_application()
    apply_theme(qapp, "medium")
    return qapp


@pytest.fixture
def prefs(tmp_path: Path) -> Prefs:
    return Prefs(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVDESK_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def office(sqlite_ctx: AppContext) -> Iterator[Office]:
    unit = add_unit(sqlite_ctx, "秘书股", "section")
    admin = add_user(sqlite_ctx, "admin", [Role.ADMIN], unit, full_name="赵管理")
    clerk = add_user(sqlite_ctx, "clerk", [Role.SECRETARY], unit, full_name="张文秘")
    lead = add_user(sqlite_ctx, "lead", [Role.DEPUTY_DIRECTOR], unit, full_name="刘副主任")
    leader = add_user(sqlite_ctx, "leader", [Role.COUNTY_LEADER], None, full_name="王县长", is_principal=True)
    set_unit_head(sqlite_ctx, unit, lead.id)
    yield Office(sqlite_ctx, admin, clerk, lead, leader, unit)


@pytest.fixture(autouse=True)
def _no_unexpected_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody answers would hang the run; an unexpected one fails the test with its text."""
    from PySide6.QtWidgets import QMessageBox

    def refuse(self: QMessageBox) -> int:
        raise AssertionError(f"unexpected message box: {self.windowTitle()}: {self.text()}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)
