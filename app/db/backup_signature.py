"""Who made a backup, when, and the office key's word that nothing changed since.

A signature is a small JSON document: the maker, the time, the key's fingerprint and a digest of the content,
with an HMAC-SHA256 over all of it. In a .govdesk-backup zip the content digest is the sha256 of manifest.json,
whose per-table checksums the restore checks against every row it reads. In a .sqlite3 file it is a digest of
every table's rows, read without the program's models so that a file of an older schema can be checked before
it is migrated; the signature lives in a table of its own there, which a restore never copies.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from app.core.errors import ValidationError
from app.db.office_key import OfficeKey, load_office_key

FORMAT = "govdesk-backup-signature"
VERSION = 1
ZIP_MEMBER = "signature.json"
SQLITE_TABLE = "govdesk_backup_signature"
# Tables rebuilt from the others (app.db.tables' search_*, marked derived there): not part of what is signed.
DERIVED_TABLES = frozenset(
    {"search_records", "search_postings", "search_pending", "search_file_texts", "search_state"}
)
MAX_BYTES = 64 * 1024

State = Literal["good", "unsigned", "altered", "other_key", "no_key"]


@dataclass(frozen=True)
class BackupMaker:
    username: str
    full_name: str

    @classmethod
    def command_line(cls) -> BackupMaker:
        """The `govdesk db backup` command runs without a GovDesk login: the OS account is what is known."""
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "?"
        return cls(f"os:{user}", "命令行（操作系统用户）")


@dataclass(frozen=True)
class BackupOrigin:
    """What the signature of a backup says, and whether this PC's office key confirms it."""

    state: State
    made_by: str = ""
    made_by_name: str = ""
    made_at: datetime | None = None
    fingerprint: str = ""

    @property
    def good(self) -> bool:
        return self.state == "good"

    def describe(self) -> str:
        if self.state == "unsigned":
            return "该备份没有签名：无法确认它由本办公室制作、且之后未被改动"
        maker = f"{self.made_by_name}（{self.made_by}）" if self.made_by_name else self.made_by
        when = self.made_at.astimezone().strftime("%Y-%m-%d %H:%M") if self.made_at else "?"
        made = f"制作人：{maker}；制作时间：{when}；密钥指纹：{self.fingerprint}"
        verdict = {
            "good": "签名有效：由本办公室的密钥签名，之后未被改动",
            "altered": "签名无效：备份在签名后被改动过（以上制作人和时间也不可信）",
            "other_key": f"签名来自另一把密钥（指纹 {self.fingerprint}），不是本办公室的密钥，以上信息不可信",
            "no_key": "本机没有办公室密钥，无法核对签名：请先导入办公室密钥",
        }[self.state]
        return f"{made}\n{verdict}"

    def refusal(self) -> ValidationError:
        return ValidationError(
            f"{self.describe()}\n为防止被篡改的备份给他人加上权限，已拒绝恢复，数据库没有改变。"
            "如确认这个备份可信，系统管理员可以选择“仍然恢复”（命令行加 --accept-unsigned），此操作会记入审计日志"
        )

    def audit_detail(self) -> dict[str, Any]:
        return {
            "signature": self.state, "made_by": self.made_by, "made_at": self.made_at.isoformat() if self.made_at else "",
            "key_fingerprint": self.fingerprint,
        }


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sign(key: OfficeKey, maker: BackupMaker, content: dict[str, Any], made_at: datetime | None = None) -> str:
    payload = {
        "format": FORMAT, "version": VERSION, "made_by": maker.username, "made_by_name": maker.full_name,
        "made_at": (made_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "key_fingerprint": key.fingerprint, "content": content,
    }
    return json.dumps({"payload": payload, "signature": key.sign(_canonical(payload))}, ensure_ascii=False)


def verify(document: bytes | None, content: dict[str, Any]) -> BackupOrigin:
    """The origin a signature document claims and whether it holds for this content and this PC's key."""
    if document is None:
        return BackupOrigin("unsigned")
    altered = BackupOrigin("altered")
    if len(document) > MAX_BYTES:
        return altered
    try:
        data = json.loads(document.decode("utf-8"))
        payload, signature = data["payload"], data["signature"]
        if not isinstance(payload, dict) or not isinstance(signature, str) or payload.get("format") != FORMAT:
            return altered
        made_by, made_by_name = str(payload["made_by"]), str(payload["made_by_name"])
        fingerprint = str(payload["key_fingerprint"])
        made_at = datetime.fromisoformat(str(payload["made_at"]))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return altered
    claimed = BackupOrigin("altered", made_by[:100], made_by_name[:100], made_at, fingerprint[:19])
    key = load_office_key()
    if key is None:
        return BackupOrigin("no_key", *_fields(claimed))
    if fingerprint != key.fingerprint:
        return BackupOrigin("other_key", *_fields(claimed))
    if not key.verifies(_canonical(payload), signature) or payload.get("content") != content:
        return claimed
    return BackupOrigin("good", *_fields(claimed))


def _fields(origin: BackupOrigin) -> tuple[str, str, datetime | None, str]:
    return origin.made_by, origin.made_by_name, origin.made_at, origin.fingerprint


# ----- .sqlite3 files ----------------------------------------------------------------------------------


def sqlite_content(conn: sqlite3.Connection) -> dict[str, Any]:
    """A digest of every table's column names and rows in rowid order, the signature table excepted, and the
    综合查询 index (never restored: rebuilt from the records). (Sorting by every column would make SQLite copy
    each attachment into its sorter.)"""
    names = [
        row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ? "
            "ORDER BY name", (SQLITE_TABLE,),
        )
        if row[0] not in DERIVED_TABLES
    ]
    tables: dict[str, str] = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        cursor = conn.execute(f"SELECT * FROM {quoted}")
        columns = [d[0] for d in cursor.description]
        cursor.close()
        digest = hashlib.sha256(json.dumps(columns, ensure_ascii=False).encode("utf-8"))
        for row in conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid"):
            values = [
                ["b", hashlib.sha256(v).hexdigest()] if isinstance(v, bytes) else [type(v).__name__, v] for v in row
            ]
            digest.update(hashlib.sha256(json.dumps(values, ensure_ascii=False).encode("utf-8")).digest())
        tables[name] = digest.hexdigest()
    return {"kind": "sqlite-tables", "tables": tables}


def sign_sqlite_file(conn: sqlite3.Connection, key: OfficeKey, maker: BackupMaker) -> None:
    document = sign(key, maker, sqlite_content(conn))
    conn.execute(f"CREATE TABLE {SQLITE_TABLE} (body TEXT NOT NULL)")
    conn.execute(f"INSERT INTO {SQLITE_TABLE} (body) VALUES (?)", (document,))
    conn.commit()


def read_sqlite_signature(conn: sqlite3.Connection) -> bytes | None:
    try:
        row = conn.execute(f"SELECT body FROM {SQLITE_TABLE} LIMIT 2").fetchall()
    except sqlite3.OperationalError:
        return None
    if len(row) != 1 or not isinstance(row[0][0], str):
        return b"" if row else None
    return str(row[0][0]).encode("utf-8")


def verify_sqlite(conn: sqlite3.Connection) -> BackupOrigin:
    document = read_sqlite_signature(conn)
    if document is None:
        return BackupOrigin("unsigned")
    try:
        content = sqlite_content(conn)
    except sqlite3.DatabaseError:
        # A table the program never makes (WITHOUT ROWID, a broken one): not the file that was signed.
        content = {"kind": "unreadable"}
    return verify(document, content)


def manifest_content(manifest_bytes: bytes) -> dict[str, Any]:
    return {"kind": "manifest", "sha256": hashlib.sha256(manifest_bytes).hexdigest()}
