"""The office key: 32 random bytes that the office's PCs share, to sign backups and anchor the audit chain.

It lives in the OS keyring (service "GovDesk", account "office-key"). GOVDESK_OFFICE_KEY_FILE names a key
file to use instead (tests, CI, a PC whose administrator keeps the key on a USB stick). Where neither a
keyring nor that variable exists, the key is kept in a file readable only by this user in the config folder:
without it a PC with no keyring (many UOS/Kylin installs) could never sign.

The administrator makes the key once (`govdesk key create`), exports it to a key file and imports that file
on the other PCs. A key file is hostile input until proven otherwise: its size is bounded and its fields are
parsed strictly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ValidationError

KEY_BYTES = 32
FORMAT = "govdesk-office-key"
VERSION = 1
# A real key file is about 150 bytes; anything much larger is not one.
MAX_FILE_BYTES = 4096
KEYRING_SERVICE = "GovDesk"
KEYRING_ACCOUNT = "office-key"
ENV_FILE = "GOVDESK_OFFICE_KEY_FILE"


@dataclass(frozen=True)
class OfficeKey:
    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != KEY_BYTES:
            raise ValidationError(f"办公室密钥应为 {KEY_BYTES} 字节")

    def __repr__(self) -> str:
        # The secret must never reach a log or a traceback.
        return f"OfficeKey({self.fingerprint})"

    def sign(self, data: bytes) -> str:
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()

    def verifies(self, data: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.sign(data), signature.strip().lower())

    @property
    def fingerprint(self) -> str:
        """Four groups of four hex digits: read aloud to compare two PCs. Derived one way from the key."""
        digest = hashlib.sha256(b"govdesk office key fingerprint\0" + self.secret).hexdigest()[:16].upper()
        return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


# ----- the key file -------------------------------------------------------------------------------------


def key_file_text(key: OfficeKey) -> str:
    data = {
        "format": FORMAT, "version": VERSION,
        "key": base64.b64encode(key.secret).decode("ascii"), "fingerprint": key.fingerprint,
    }
    return json.dumps(data, indent=2) + "\n"


def parse_key_file(raw: bytes) -> OfficeKey:
    """The key in a key file's bytes, or a ValidationError that says what is wrong with the file."""
    not_a_key = "这不是 GovDesk 办公室密钥文件，请选择由“导出办公室密钥”生成的文件"
    data = exported_json(raw, MAX_FILE_BYTES, not_a_key)
    if not isinstance(data, dict) or set(data) != {"format", "version", "key", "fingerprint"}:
        raise ValidationError(not_a_key)
    if data["format"] != FORMAT:
        raise ValidationError(not_a_key)
    if type(data["version"]) is not int or data["version"] != VERSION:
        raise ValidationError("该密钥文件来自更新版本的 GovDesk，请先升级本机的 GovDesk 再导入")
    encoded, fingerprint = data["key"], data["fingerprint"]
    if not isinstance(encoded, str) or not isinstance(fingerprint, str) or len(encoded) > 100:
        raise ValidationError(not_a_key)
    try:
        secret = base64.b64decode(encoded.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValidationError("密钥文件已损坏：密钥不是有效的 base64 编码，请重新导出") from error
    if len(secret) != KEY_BYTES:
        raise ValidationError("密钥文件已损坏：密钥长度不对，请重新导出")
    key = OfficeKey(secret)
    if not hmac.compare_digest(key.fingerprint, fingerprint):
        raise ValidationError("密钥文件已损坏：指纹与密钥不符，请重新导出")
    return key


def read_key_file(path: Path) -> OfficeKey:
    return parse_key_file(read_small_file(path, MAX_FILE_BYTES, "密钥文件"))


# ----- small exported files (the key file here, the audit chain's anchor files) -------------------------


def read_small_file(path: Path, limit: int, what: str) -> bytes:
    """The first limit + 1 bytes of a file the user chose, so that its parser can refuse one that is too
    large; a missing or unreadable file is a ValidationError naming `what` (密钥文件, 锚点文件)."""
    try:
        with path.open("rb") as file:
            return file.read(limit + 1)
    except FileNotFoundError as error:
        raise ValidationError(f"找不到{what}：{path}") from error
    except OSError as error:
        raise ValidationError(f"无法读取{what} {path}：{error.strerror or error}") from error


def exported_json(raw: bytes, limit: int, not_this: str) -> object:
    """The JSON value in such a file's bytes; a ValidationError saying not_this (with 文件过大 for a file over
    limit) when they are not that."""
    if len(raw) > limit:
        raise ValidationError(not_this + "（文件过大）")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError(not_this) from error


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    # Created readable by this user only: the key signs backups for the whole office.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    temporary.replace(path)


# ----- where this PC keeps it -----------------------------------------------------------------------------


def _fallback_file() -> Path:
    from app.db.profile import config_dir

    return config_dir() / "office-key.json"


def _store_path() -> Path | None:
    """The key file this PC uses, or None when the key goes to the keyring."""
    override = os.environ.get(ENV_FILE)
    if override:
        return Path(override)
    from app.db.profile import keyring_available

    return None if keyring_available() else _fallback_file()


def _keyring_error(error: BaseException) -> ValidationError:
    from app.db.profile import _is_locked_error

    if _is_locked_error(error):
        return ValidationError("系统密钥环已锁定，无法读取或保存办公室密钥：请先解锁系统密钥环（登录密码）再试")
    return ValidationError(f"系统密钥环出错，无法读取或保存办公室密钥：{type(error).__name__}")


def load_office_key() -> OfficeKey | None:
    """This PC's office key; None when it has none. A locked keyring or a damaged key raises ValidationError:
    that is not the same as having no key, and the administrator can fix it."""
    path = _store_path()
    if path is not None:
        return read_key_file(path) if path.is_file() else None
    import keyring

    try:
        text = keyring.get_password(KEYRING_SERVICE, KEYRING_ACCOUNT)
    except Exception as error:  # noqa: BLE001 - backends raise their own types
        raise _keyring_error(error) from error
    return None if text is None else parse_key_file(text.encode("utf-8"))


def _store(key: OfficeKey) -> None:
    path = _store_path()
    if path is not None:
        _write_private(path, key_file_text(key))
        return
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_ACCOUNT, key_file_text(key))
    except Exception as error:  # noqa: BLE001 - backends raise their own types
        raise _keyring_error(error) from error


def create_office_key() -> OfficeKey:
    existing = load_office_key()
    if existing is not None:
        raise ValidationError(
            f"本机已有办公室密钥（指纹 {existing.fingerprint}）。全办公室应使用同一把密钥：请勿重新生成"
        )
    key = OfficeKey(secrets.token_bytes(KEY_BYTES))
    _store(key)
    return key


def export_office_key(path: Path) -> None:
    key = load_office_key()
    if key is None:
        raise ValidationError("本机还没有办公室密钥：请先生成（govdesk key create），或导入其他电脑导出的密钥文件")
    try:
        _write_private(path, key_file_text(key))
    except OSError as error:
        raise ValidationError(f"无法写入密钥文件 {path}：{error.strerror or error}") from error


def import_office_key(path: Path) -> OfficeKey:
    """Stores the key in the file. A PC that already has another key keeps it: replacing it would make its
    backups and audit anchors unverifiable, so the administrator must decide which key the office keeps."""
    key = read_key_file(path)
    existing = load_office_key()
    if existing is not None:
        if existing == key:
            return existing
        raise ValidationError(
            f"本机已有另一把办公室密钥（指纹 {existing.fingerprint}），与文件中的密钥（指纹 {key.fingerprint}）"
            "不同。全办公室应使用同一把密钥：请确认哪一把是办公室的密钥"
        )
    _store(key)
    return key
