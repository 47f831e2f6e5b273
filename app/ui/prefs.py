"""Per-user UI preferences in QSettings, declared once with their types and defaults."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from app.ui.theme import DEFAULT_TEXT_SIZE, TEXT_SIZES

ORGANISATION = "GovDesk"
APPLICATION = "GovDesk"


class Prefs:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings(ORGANISATION, APPLICATION)

    @property
    def text_size(self) -> str:
        value = str(self._s.value("ui/text_size", DEFAULT_TEXT_SIZE))
        return value if value in TEXT_SIZES else DEFAULT_TEXT_SIZE

    @text_size.setter
    def text_size(self, value: str) -> None:
        self._s.setValue("ui/text_size", value if value in TEXT_SIZES else DEFAULT_TEXT_SIZE)

    @property
    def last_username(self) -> str:
        return str(self._s.value("login/last_username", ""))

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._s.setValue("login/last_username", value)

    def geometry(self, key: str) -> QByteArray | None:
        value = self._s.value(f"geometry/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, key: str, value: QByteArray) -> None:
        self._s.setValue(f"geometry/{key}", value)

    def header_state(self, key: str) -> QByteArray | None:
        value = self._s.value(f"columns/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_header_state(self, key: str, value: QByteArray) -> None:
        self._s.setValue(f"columns/{key}", value)

    def sync(self) -> None:
        self._s.sync()
