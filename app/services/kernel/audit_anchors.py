"""Anchors of the audit chain: the head's seq, hash and count, signed with the office key.

The chain (app.services.kernel.audit_chain) proves only that it agrees with itself: whoever can write to the
database can edit an entry and recompute every hash after it, or delete the last entries. An anchor is an
HMAC-SHA256 with the office key over the head at one moment. Without the key nobody can sign an anchor for
a recomputed chain, and a chain that stops before an anchor's seq has lost its end.

Anchors are written by a PC that has the key: every ANCHOR_EVERY entries, inside the commit that crosses
the mark, and at the first login a day after the last anchor (asked in the statement the login's commit
runs anyway: no cost on the other commits, no extra round trip), and whenever the administrator asks (`govdesk audit anchor`, the
audit tab). The administrator exports an anchor to a signed JSON file or prints it, so that it survives
someone who deletes the anchors table as well.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from app.core.errors import ValidationError
from app.core.roles import Role
from app.db.office_key import ENV_FILE, OfficeKey, exported_json, load_office_key, read_small_file
from app.db.tables import audit_anchors, audit_log, utcnow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role

if TYPE_CHECKING:
    from app.services.kernel.uow import UnitOfWork

FORMAT = "govdesk-audit-anchor"
VERSION = 1
# A real anchor file is about 500 bytes.
MAX_FILE_BYTES = 8192
FIELDS = ("seq", "head_hash", "count", "at", "made_by", "fingerprint")


@dataclass(frozen=True)
class Anchor:
    seq: int
    head_hash: str
    count: int
    at: datetime
    made_by: str
    fingerprint: str
    signature: str

    def payload(self) -> bytes:
        """What the HMAC covers: every field but the signature, in one fixed spelling."""
        return signed_bytes(self.seq, self.head_hash, self.count, self.at, self.made_by, self.fingerprint)

    def signed_by(self, key: OfficeKey) -> bool:
        return self.fingerprint == key.fingerprint and key.verifies(self.payload(), self.signature)

    @property
    def at_text(self) -> str:
        return self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_bytes(seq: int, head_hash: str, count: int, at: datetime, made_by: str, fingerprint: str) -> bytes:
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(
        [FORMAT, VERSION, seq, head_hash, count, stamp, made_by, fingerprint], ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def sign_anchor(key: OfficeKey, seq: int, head_hash: str, made_by: str, at: datetime | None = None) -> Anchor:
    # Whole seconds: the time is signed as text, and every database gives it back the same to the second.
    moment = (at or utcnow()).astimezone(UTC).replace(microsecond=0)
    # seq is gap-free from 1 (app.services.kernel.audit_chain), so an intact chain up to seq holds seq entries.
    count = seq
    signature = key.sign(signed_bytes(seq, head_hash, count, moment, made_by, key.fingerprint))
    return Anchor(seq, head_hash, count, moment, made_by[:64], key.fingerprint, signature)


def store_anchor(uow: UnitOfWork, anchor: Anchor) -> None:
    uow.execute(
        insert(audit_anchors),
        {
            "seq": anchor.seq, "head_hash": anchor.head_hash, "count": anchor.count, "at": anchor.at,
            "made_by": anchor.made_by, "fingerprint": anchor.fingerprint, "signature": anchor.signature,
        },
    )


# The key once found, by where it was looked for: a commit asks the keyring (a D-Bus call, and a locked
# keyring may prompt) at most once per process, while it holds the audit sequence's lock.
_found_keys: dict[str, OfficeKey] = {}


def key_for_commit() -> OfficeKey | None:
    """The office key for a periodic anchor, or None: a PC without the key, or whose keyring is locked,
    still commits; the next PC with the key that crosses a mark anchors the chain."""
    where = os.environ.get(ENV_FILE, "")
    if where in _found_keys:
        return _found_keys[where]
    try:
        key = load_office_key()
    except ValidationError:
        return None
    if key is not None:
        _found_keys[where] = key
    return key


def anchor_in_commit(uow: UnitOfWork, last: int, head_hash: str, username: str) -> None:
    """Called by write_pending when its entries cross a multiple of ANCHOR_EVERY, or at the first login a
    day after the last anchor: anchors the last entry it writes. The other commits never come here."""
    key = key_for_commit()
    if key is None:
        return
    store_anchor(uow, sign_anchor(key, last, head_hash, username or "system"))


def stored_anchors(uow: UnitOfWork) -> list[Anchor]:
    """Every anchor in the table, oldest first."""
    a = audit_anchors.c
    rows = uow.execute(select(audit_anchors).order_by(a.seq, a.id)).all()
    # Row.count is the tuple's method: the column is read by name.
    return [Anchor(r.seq, r.head_hash, r._mapping["count"], r.at, r.made_by, r.fingerprint, r.signature) for r in rows]


@acting
def make_anchor(uow: UnitOfWork, actor: Actor, key: OfficeKey | None) -> Anchor:
    """Anchors the chain at its head now, on the administrator's request, and records that it did."""
    require_role(actor, [Role.ADMIN], "生成审计日志锚点")
    if key is None:
        raise ValidationError(NO_KEY_TO_SIGN)
    log = audit_log.c
    head = uow.execute(select(log.seq, log.hash).order_by(log.seq.desc()).limit(1)).first()
    if head is None:
        raise ValidationError("审计日志还没有记录，无需生成锚点")
    anchor = sign_anchor(key, int(head.seq), head.hash, actor.username)
    store_anchor(uow, anchor)
    uow.record(actor.id, actor.username, "audit_anchor", "audit_log", None,
               {"seq": anchor.seq, "fingerprint": anchor.fingerprint})
    uow.commit()
    return anchor


@acting
def latest_anchor(uow: UnitOfWork, actor: Actor, key: OfficeKey | None) -> Anchor:
    """The newest anchor that this PC's key verifies: the one the administrator exports or prints."""
    require_role(actor, [Role.ADMIN], "导出审计日志锚点")
    if key is None:
        raise ValidationError(NO_KEY_TO_SIGN)
    for anchor in reversed(stored_anchors(uow)):
        if anchor.signed_by(key):
            return anchor
    raise ValidationError("还没有有效的审计日志锚点：请先点“生成锚点”（govdesk audit anchor）")


NO_KEY_TO_SIGN = (
    "本机没有办公室密钥，无法生成或核对审计日志锚点：请导入办公室密钥文件（govdesk key import），"
    "或在有密钥的电脑上操作"
)

# ----- the exported file ------------------------------------------------------------------------------


def anchor_file_text(anchor: Anchor) -> str:
    data = {
        "format": FORMAT, "version": VERSION, "seq": anchor.seq, "head_hash": anchor.head_hash,
        "count": anchor.count, "at": anchor.at_text, "made_by": anchor.made_by,
        "fingerprint": anchor.fingerprint, "signature": anchor.signature,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def parse_anchor_file(raw: bytes) -> Anchor:
    """The anchor in an exported file's bytes; a ValidationError says what is wrong with the file. Its
    signature is not checked here: verify reports a forged one with the chain's other problems."""
    not_an_anchor = "这不是 GovDesk 审计日志锚点文件，请选择由“导出锚点”生成的 .json 文件"
    data = exported_json(raw, MAX_FILE_BYTES, not_an_anchor)
    if not isinstance(data, dict) or set(data) != {"format", "version", "signature", *FIELDS}:
        raise ValidationError(not_an_anchor)
    if data["format"] != FORMAT:
        raise ValidationError(not_an_anchor)
    if type(data["version"]) is not int or data["version"] != VERSION:
        raise ValidationError("该锚点文件来自更新版本的 GovDesk，请先升级本机的 GovDesk")
    ints_ok = all(type(data[name]) is int and data[name] > 0 for name in ("seq", "count"))
    texts_ok = all(isinstance(data[name], str) for name in ("head_hash", "at", "made_by", "fingerprint", "signature"))
    if not ints_ok or not texts_ok or len(data["head_hash"]) != 64 or len(data["signature"]) != 64:
        raise ValidationError(not_an_anchor + "（内容不完整或已损坏）")
    try:
        at = datetime.strptime(data["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError as error:
        raise ValidationError(not_an_anchor + "（时间格式不对）") from error
    return Anchor(data["seq"], data["head_hash"], data["count"], at, data["made_by"][:64],
                  data["fingerprint"][:19], data["signature"])


def read_anchor_file(path: Path) -> Anchor:
    return parse_anchor_file(read_small_file(path, MAX_FILE_BYTES, "锚点文件"))
