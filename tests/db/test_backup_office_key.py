"""The office key: made once, carried to other PCs in a key file, and a hostile key file is refused."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from keyring.errors import KeyringLocked

from app.core.errors import ValidationError
from app.db import office_key as keys
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring, using_keyring


def test_create_export_import_carries_the_same_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = keys.create_office_key()
    assert keys.load_office_key() == key
    assert len(key.fingerprint) == 19 and key.fingerprint.count("-") == 3
    assert key.verifies(b"data", key.sign(b"data"))
    assert not key.verifies(b"datA", key.sign(b"data"))
    assert key.secret.hex() not in repr(key)
    with pytest.raises(ValidationError, match="已有办公室密钥"):
        keys.create_office_key()

    exported = tmp_path / "office.govdesk-key"
    keys.export_office_key(exported)
    assert exported.stat().st_mode & 0o077 == 0

    monkeypatch.setenv(keys.ENV_FILE, str(tmp_path / "other-pc.json"))
    assert keys.load_office_key() is None
    assert keys.import_office_key(exported) == key
    assert keys.load_office_key() == key
    assert keys.import_office_key(exported) == key  # the same key again is fine


def test_importing_another_offices_key_keeps_this_pcs_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours = keys.create_office_key()
    monkeypatch.setenv(keys.ENV_FILE, str(tmp_path / "theirs.json"))
    keys.create_office_key()
    keys.export_office_key(tmp_path / "theirs.key")
    monkeypatch.undo()
    monkeypatch.setenv(keys.ENV_FILE, str(tmp_path / "ours.json"))
    (tmp_path / "ours.json").write_text(keys.key_file_text(ours))
    with pytest.raises(ValidationError, match="另一把办公室密钥"):
        keys.import_office_key(tmp_path / "theirs.key")
    assert keys.load_office_key() == ours


def _good() -> dict[str, object]:
    return json.loads(keys.key_file_text(keys.OfficeKey(b"k" * 32)))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00" * 5000, "文件过大"),
        (b"\xff\xfe not utf-8", "不是 GovDesk 办公室密钥文件"),
        (b"[1, 2]", "不是 GovDesk 办公室密钥文件"),
        (json.dumps({**_good(), "extra": 1}).encode(), "不是 GovDesk 办公室密钥文件"),
        (json.dumps({**_good(), "format": "x"}).encode(), "不是 GovDesk 办公室密钥文件"),
        (json.dumps({**_good(), "version": 2}).encode(), "更新版本"),
        (json.dumps({**_good(), "version": True}).encode(), "更新版本"),
        (json.dumps({**_good(), "key": "!!!notbase64"}).encode(), "base64"),
        (json.dumps({**_good(), "key": base64.b64encode(b"short").decode()}).encode(), "长度"),
        (json.dumps({**_good(), "fingerprint": "0000-0000-0000-0000"}).encode(), "指纹"),
        (json.dumps({**_good(), "key": ["a"]}).encode(), "不是 GovDesk 办公室密钥文件"),
        (b'{"format": "govdesk-office-key", "version": 1, "key": "' + b"A" * 3000 + b'", "fingerprint": ""}',
         "不是 GovDesk 办公室密钥文件"),
    ],
)
def test_a_hostile_key_file_is_refused_and_nothing_stored(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hostile.key"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        keys.import_office_key(path)
    assert keys.load_office_key() is None


def test_a_missing_key_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="找不到密钥文件"):
        keys.import_office_key(tmp_path / "nope.key")
    with pytest.raises(ValidationError, match="还没有办公室密钥"):
        keys.export_office_key(tmp_path / "out.key")


def test_the_key_lives_in_the_keyring_when_no_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.ENV_FILE)
    with using_keyring(MemoryKeyring()) as ring:
        assert keys.load_office_key() is None
        key = keys.create_office_key()
        assert keys.load_office_key() == key
        assert (keys.KEYRING_SERVICE, keys.KEYRING_ACCOUNT) in ring.passwords  # type: ignore[attr-defined]
        ring.locked = True  # type: ignore[attr-defined]
        with pytest.raises(ValidationError, match="已锁定"):
            keys.load_office_key()
    with using_keyring(FailingKeyring(KeyringLocked("locked"))), pytest.raises(ValidationError, match="已锁定"):
        keys.create_office_key()
