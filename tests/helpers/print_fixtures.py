"""Fixtures for tests that print through the preview's own print path (tests/ui and tests/printing), registered
for every test by pytest_plugins in tests/conftest.py. A module that prints asks for ``no_errors_in_callbacks``
for all its tests with ``pytestmark = pytest.mark.usefixtures("no_errors_in_callbacks")``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.ui.widgets import print_preview


@pytest.fixture
def no_errors_in_callbacks(qtbot: QtBot) -> Iterator[None]:
    """Fails the test on an exception in the print's GUI-thread callbacks (the program's own error hook, which
    create_application installs for the whole session, would otherwise show it in a box and carry on)."""
    with qtbot.captureExceptions() as raised:
        yield
    assert raised == [], raised


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(print_preview, "show_error", lambda parent, error, title="": shown.append(str(error)))
    return shown
