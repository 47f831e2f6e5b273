"""Connection profiles: where this machine's data lives. The password never goes into a file.

A profile is a small JSON file in the per-user config directory. A LAN password goes to the OS keyring
through `keyring`; where no keyring backend exists the program asks for it each session.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import platformdirs
from sqlalchemy.engine import URL

from app.core.errors import ValidationError
from app.db.engine import APP_DIR_NAME, default_sqlite_path

KEYRING_SERVICE = "GovDesk"
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}
BACKEND_LABELS = {"postgresql": "PostgreSQL", "mysql": "MariaDB / MySQL"}

Kind = Literal["local", "server"]


def config_dir() -> Path:
    override = os.environ.get("GOVDESK_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))


def profile_path() -> Path:
    return config_dir() / "connection.json"


@dataclass(frozen=True)
class ConnectionProfile:
    """Where the data lives: a local file, or a server on the LAN (the password is kept apart)."""

    kind: Kind
    path: str = ""
    backend: str = "postgresql"
    host: str = ""
    port: int = 0
    database: str = "govdesk"
    user: str = ""

    @classmethod
    def local(cls, path: str | Path | None = None) -> ConnectionProfile:
        return cls(kind="local", path=str(path or default_sqlite_path()))

    def validate(self) -> ConnectionProfile:
        if self.kind == "local":
            if not self.path.strip():
                raise ValidationError("请选择数据文件的保存位置", field="path")
            return self
        if self.backend not in DEFAULT_PORTS:
            raise ValidationError("服务器类型只能是 PostgreSQL 或 MariaDB/MySQL", field="backend")
        if not self.host.strip():
            raise ValidationError("请填写服务器地址，例如 192.168.1.10", field="host")
        if not 0 < self.port < 65536:
            raise ValidationError("端口应在 1–65535 之间（PostgreSQL 通常是 5432，MariaDB 是 3306）", field="port")
        if not self.database.strip():
            raise ValidationError("请填写数据库名", field="database")
        if not self.user.strip():
            raise ValidationError("请填写数据库用户名", field="user")
        return self

    @property
    def keyring_account(self) -> str:
        return f"{self.backend}://{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None = None) -> URL:
        self.validate()
        if self.kind == "local":
            return URL.create("sqlite", database=self.path)
        driver = "postgresql+psycopg" if self.backend == "postgresql" else "mysql+pymysql"
        query = {"charset": "utf8mb4"} if self.backend == "mysql" else {}
        return URL.create(
            driver, username=self.user, password=password or None, host=self.host.strip(), port=self.port,
            database=self.database.strip(), query=query,
        )

    def describe(self) -> str:
        if self.kind == "local":
            return f"本机文件 {self.path}"
        return f"{BACKEND_LABELS[self.backend]} {self.host}:{self.port}/{self.database}"


def load_profile() -> ConnectionProfile | None:
    path = profile_path()
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ConnectionProfile(**data).validate()
    except (ValueError, TypeError, ValidationError):
        # A damaged profile is treated as none: the first-run wizard asks again.
        return None


def save_profile(profile: ConnectionProfile) -> None:
    profile.validate()
    path = profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(profile), ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)


# ----- the password in the OS keyring -----------------------------------------------------------


class KeyringUnavailable(Exception):
    """No usable keyring backend: the password is asked for each session."""


# What reading the keyring found. "locked": the keyring is there but would not open (locked, the unlock
# prompt dismissed); "unreadable": it is there but failed otherwise (D-Bus error, no collection). Both differ
# from "none" (open, but nothing stored for this profile) and "no_keyring" (no backend on this machine):
# the user can unlock the keyring and read it again, or type the password.
KeyringState = Literal["found", "none", "no_keyring", "locked", "unreadable"]


@dataclass(frozen=True)
class StoredPassword:
    password: str | None
    state: KeyringState


def _is_locked_error(error: BaseException) -> bool:
    from keyring.errors import KeyringLocked

    if isinstance(error, KeyringLocked):
        return True
    # SecretStorage raises these itself for a locked item or a dismissed unlock prompt; keyring lets them
    # through from some calls. Matched by name: SecretStorage is present only on Linux desktops.
    return any(cls.__name__ in ("LockedException", "PromptDismissedException") for cls in type(error).__mro__)


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 1) > 0
    except Exception:  # noqa: BLE001 - any failure to load a backend means "none"
        return False


def store_password(profile: ConnectionProfile, password: str) -> None:
    if not keyring_available():
        raise KeyringUnavailable("本机没有可用的系统密钥环，密码无法安全保存，每次启动时需要重新输入")
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, profile.keyring_account, password)
    except Exception as error:  # noqa: BLE001 - backends raise their own types
        if _is_locked_error(error):
            raise KeyringUnavailable(
                "系统密钥环已锁定，密码没有保存：下次启动时需要输入密码，或先解锁系统密钥环"
            ) from error
        raise KeyringUnavailable("系统密钥环拒绝保存密码，每次启动时需要重新输入") from error


def read_password(profile: ConnectionProfile) -> StoredPassword:
    """The stored password, or why there is none: a locked keyring is not the same as nothing stored."""
    if profile.kind == "local":
        return StoredPassword(None, "none")
    if not keyring_available():
        return StoredPassword(None, "no_keyring")
    import keyring

    try:
        password = keyring.get_password(KEYRING_SERVICE, profile.keyring_account)
    except Exception as error:  # noqa: BLE001 - backends raise their own types (KeyringError, D-Bus errors)
        return StoredPassword(None, "locked" if _is_locked_error(error) else "unreadable")
    return StoredPassword(password, "found" if password is not None else "none")


def stored_password(profile: ConnectionProfile) -> str | None:
    return read_password(profile).password


def forget_password(profile: ConnectionProfile) -> None:
    if not keyring_available():
        return
    import keyring

    try:
        keyring.delete_password(KEYRING_SERVICE, profile.keyring_account)
    except Exception:  # noqa: BLE001 - nothing stored is fine
        pass
