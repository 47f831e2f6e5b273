"""Keyring backends for tests, registered through keyring's own API (keyring.set_keyring): a working one
that keeps passwords in memory, and one that is there but locked until the test unlocks it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A keyring that works; locked=True makes every call fail the way the Secret Service backend does
    when the collection stays locked (the unlock prompt dismissed)."""

    priority = 1  # type: ignore[assignment]  # keyring declares it as a class property

    def __init__(self, locked: bool = False) -> None:
        super().__init__()
        self.locked = locked
        self.passwords: dict[tuple[str, str], str] = {}

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


class FailingKeyring(MemoryKeyring):
    """A keyring whose every call raises the given error (an InitError, a D-Bus error …)."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def _check(self) -> None:
        raise self.error


@contextmanager
def using_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
