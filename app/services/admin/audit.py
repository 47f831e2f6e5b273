"""The audit log's query and verify side: the viewer's pages and the check of the hash chain.

Entries are appended by app.services.kernel.audit_chain, at every commit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.core.roles import Role
from app.db.office_key import OfficeKey
from app.db.tables import audit_log
from app.services.admin.audit_text import ACTION_LABELS, Entry, describe, load_names, subject, who
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.audit_anchors import Anchor, stored_anchors
from app.services.kernel.audit_chain import AUDIT_SEQUENCE, GENESIS_HASH, entry_hash
from app.services.kernel.sequences import current_number
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.worklist import search_text


@dataclass(frozen=True)
class ChainProblem:
    """One break in the audit chain, by entry number."""

    seq: int
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the audit chain, and what its anchors said (notes: not problems)."""

    checked: int
    problems: tuple[ChainProblem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            lines = [f"审计日志完整：共核对 {self.checked} 条记录，未发现删除或篡改"]
        else:
            lines = [f"审计日志发现 {len(self.problems)} 处问题（共核对 {self.checked} 条）："]
            lines += [f"  第 {p.seq} 条：{p.message}" for p in self.problems[:50]]
        return "\n".join(lines + list(self.notes))


def _anchor_name(anchor: Anchor, from_file: bool) -> str:
    made = anchor.at.astimezone().strftime("%Y-%m-%d %H:%M")
    return f"{'锚点文件' if from_file else '锚点'}（{made}，{anchor.made_by}）"


def _check_anchors(
    key: OfficeKey | None, stored: list[Anchor], exported: Anchor | None,
    hashes: dict[int, str], last_seq: int,
) -> tuple[list[ChainProblem], list[str]]:
    """Each anchor against the chain as it is now: a signature the key does not verify is a forged or
    altered anchor; an anchored entry with another hash was rewritten, the chain recomputed after it;
    a chain that stops before an anchor's seq lost its end."""
    candidates = [(a, False) for a in stored] + ([(exported, True)] if exported is not None else [])
    if key is None:
        # Said even when the table holds no anchor: someone may have emptied it.
        return [], ["本机没有办公室密钥，无法核对审计日志锚点：以上只说明日志自身前后一致，不能排除被整体重算或截去末尾。"
                    "请在有办公室密钥的电脑上核验，或导入密钥（govdesk key import）"]
    problems: list[ChainProblem] = []
    valid: list[tuple[Anchor, bool]] = []
    for anchor, from_file in candidates:
        name = _anchor_name(anchor, from_file)
        if anchor.fingerprint != key.fingerprint:
            problems.append(ChainProblem(anchor.seq, f"{name}由另一把密钥（指纹 {anchor.fingerprint}）签名，"
                                         f"与本机办公室密钥（指纹 {key.fingerprint}）不符：锚点是伪造的，或本机的密钥不是办公室的密钥"))
        elif not anchor.signed_by(key):
            problems.append(ChainProblem(anchor.seq, f"{name}的签名不符：锚点被伪造或篡改"))
        else:
            valid.append((anchor, from_file))
    for anchor, from_file in valid:
        name = _anchor_name(anchor, from_file)
        if last_seq < anchor.seq:
            problems.append(ChainProblem(last_seq + 1, f"日志末尾被截去：{name}记录到第 {anchor.seq} 条（共 {anchor.count} 条），"
                                         f"现在只到第 {last_seq} 条"))
        elif anchor.seq in hashes and hashes[anchor.seq] != anchor.head_hash:
            problems.append(ChainProblem(anchor.seq, f"校验值与{name}不符：该条或之前的记录被改写，其后的校验值被重新计算"))
    notes: list[str] = []
    if not valid:
        notes.append("还没有有效的审计日志锚点：无法排除日志被整体重算或截去末尾。管理员可点“生成锚点”（govdesk audit anchor）")
    else:
        newest, from_file = max(valid, key=lambda item: (item[0].seq, item[0].at))
        notes.append(f"最新的有效锚点：{_anchor_name(newest, from_file)}，第 {newest.seq} 条，密钥指纹 {newest.fingerprint}")
    return problems, notes


def verify_chain(
    uow: UnitOfWork, batch: int = 5000, *, key: OfficeKey | None = None, anchor_file: Anchor | None = None
) -> ChainReport:
    """Walks the chain in order; a deleted row shows as a gap, an altered one as a wrong hash. Then the
    anchors, with the office key: a recomputed chain and a cut end show against them."""
    stored = stored_anchors(uow)
    wanted = {a.seq for a in stored} | ({anchor_file.seq} if anchor_file is not None else set())
    hashes: dict[int, str] = {}
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    last_seq = 0
    while True:
        log = audit_log.c
        rows = uow.execute(select(audit_log).where(log.seq > last_seq).order_by(log.seq).limit(batch)).all()
        if not rows:
            break
        for row in rows:
            checked += 1
            if row.seq != expected_seq:
                problems.append(ChainProblem(expected_seq, f"缺少第 {expected_seq}–{row.seq - 1} 条记录（已被删除）"))
            if row.prev_hash != prev_hash:
                problems.append(ChainProblem(row.seq, "与前一条记录的链接不符"))
            recomputed = entry_hash(
                row.prev_hash, row.seq, row.at, row.user_id, row.username, row.action,
                row.entity_type, row.entity_id, row.detail,
            )
            if recomputed != row.hash:
                problems.append(ChainProblem(row.seq, "内容与校验值不符（已被修改）"))
            if row.seq in wanted:
                hashes[row.seq] = row.hash
            prev_hash = row.hash
            expected_seq = row.seq + 1
            last_seq = row.seq
    issued = current_number(uow, AUDIT_SEQUENCE, 0)
    if issued >= expected_seq:
        problems.append(ChainProblem(expected_seq, f"最后 {issued - expected_seq + 1} 条记录缺失（已被删除）"))
    anchor_problems, notes = _check_anchors(key, stored, anchor_file, hashes, last_seq)
    return ChainReport(checked, tuple(problems + anchor_problems), tuple(notes))


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as the viewer lists it: the stored codes, and what a person reads (who, the
    record's kind and number or title, the changes as 字段：旧值 → 新值)."""

    seq: int
    at: datetime
    username: str
    action: str
    action_label: str
    entity_type: str
    entity_id: int | None
    detail: dict[str, Any]
    who: str = ""
    subject: str = ""
    description: str = ""


@acting
def verify(
    uow: UnitOfWork, actor: Actor, key: OfficeKey | None = None, anchor_file: Anchor | None = None
) -> ChainReport:
    require_role(actor, [Role.ADMIN], "核验审计日志")
    return verify_chain(uow, key=key, anchor_file=anchor_file)


@acting
def list_entries(
    uow: UnitOfWork,
    actor: Actor,
    *,
    username: str | None = None,
    action: str | None = None,
    entity_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[AuditRow], int]:
    """A page of the log, newest first, with the total that matches the filters."""
    require_role(actor, [Role.ADMIN], "查看审计日志")
    username, action, entity_type = (
        search_text(value, field) for value, field in
        ((username, "username"), (action, "action"), (entity_type, "entity_type"))
    )
    log = audit_log.c
    query = select(audit_log, func.count().over().label("total"))
    if username:
        query = query.where(log.username == username)
    if action:
        query = query.where(log.action == action)
    if entity_type:
        query = query.where(log.entity_type == entity_type)
    if since:
        query = query.where(log.at >= since)
    if until:
        query = query.where(log.at < until)
    rows = uow.execute(query.order_by(log.seq.desc()).offset(offset).limit(limit)).all()
    total = int(rows[0].total) if rows else 0
    entries = [
        Entry(e.user_id, e.username, e.action, e.entity_type, e.entity_id, json.loads(e.detail or "{}")) for e in rows
    ]
    names = load_names(uow, entries)
    return [
        AuditRow(
            seq=e.seq,
            at=e.at,
            username=e.username,
            action=e.action,
            action_label=ACTION_LABELS.get(e.action, e.action),
            entity_type=e.entity_type,
            entity_id=e.entity_id,
            detail=dict(entry.detail),
            who=who(entry, names),
            subject=subject(entry, names),
            description=describe(entry, names),
        )
        for e, entry in zip(rows, entries, strict=True)
    ], total
