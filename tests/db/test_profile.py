"""The database password in the system keyring: found, not stored, no keyring at all, or a keyring that is
there but locked or broken. Each is told apart, so the start can say the right thing."""

from __future__ import annotations

import re

import pytest
from keyring.backends import fail
from keyring.errors import InitError

from app.db import profile as profiles
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring, using_keyring

SERVER = profiles.ConnectionProfile(
    kind="server", backend="postgresql", host="192.168.1.10", port=5432, database="govdesk", user="clerk"
)
ENGLISH = re.compile(r"[A-Za-z]{4,}")


def test_a_stored_password_is_found() -> None:
    with using_keyring(MemoryKeyring()):
        profiles.store_password(SERVER, "s3cret")
        assert profiles.read_password(SERVER) == profiles.StoredPassword("s3cret", "found")
        assert profiles.stored_password(SERVER) == "s3cret"


def test_an_open_keyring_without_the_password_says_none() -> None:
    with using_keyring(MemoryKeyring()):
        assert profiles.read_password(SERVER) == profiles.StoredPassword(None, "none")


def test_no_keyring_backend_is_told_apart() -> None:
    with using_keyring(fail.Keyring()):
        assert not profiles.keyring_available()
        assert profiles.read_password(SERVER).state == "no_keyring"


def test_a_locked_keyring_is_not_taken_for_an_empty_one() -> None:
    keyring = MemoryKeyring()
    with using_keyring(keyring):
        profiles.store_password(SERVER, "s3cret")
        keyring.locked = True
        assert profiles.keyring_available()
        assert profiles.read_password(SERVER) == profiles.StoredPassword(None, "locked")
        keyring.locked = False
        assert profiles.read_password(SERVER).password == "s3cret"


try:  # SecretStorage's own, which some keyring calls let through; it comes with keyring on Linux
    from secretstorage.exceptions import LockedException
except ImportError:

    class LockedException(Exception):  # type: ignore[no-redef]
        """Named as SecretStorage's, where that is not installed."""


@pytest.mark.parametrize(
    ("error", "state"),
    [
        (LockedException("Item is locked!"), "locked"),
        (InitError("Failed to create the collection: Prompt dismissed."), "unreadable"),
        (RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown"), "unreadable"),
    ],
)
def test_a_keyring_that_fails_says_so(error: Exception, state: str) -> None:
    with using_keyring(FailingKeyring(error)):
        assert profiles.read_password(SERVER) == profiles.StoredPassword(None, state)  # type: ignore[arg-type]


def test_storing_into_a_locked_keyring_says_so_in_chinese() -> None:
    with using_keyring(MemoryKeyring(locked=True)), pytest.raises(profiles.KeyringUnavailable) as raised:
        profiles.store_password(SERVER, "s3cret")
    assert "已锁定" in str(raised.value)
    assert not ENGLISH.search(str(raised.value))


def test_a_local_profile_has_no_password() -> None:
    with using_keyring(MemoryKeyring()):
        assert profiles.read_password(profiles.ConnectionProfile.local("/tmp/x.sqlite3")).state == "none"
