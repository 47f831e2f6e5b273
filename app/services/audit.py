"""The audit log's query and verify side: the viewer's pages and the check of the hash chain.

Entries are appended by app.services.audit_chain, at every commit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.core.roles import Role
from app.db.tables import audit_log
from app.services.access import acting
from app.services.actor import Actor, require_role
from app.services.audit_chain import AUDIT_SEQUENCE, GENESIS_HASH, entry_hash
from app.services.audit_text import ACTION_LABELS, Entry, describe, load_names, subject, who
from app.services.sequences import current_number
from app.services.uow import UnitOfWork


@dataclass(frozen=True)
class ChainProblem:
    """One break in the audit chain, by entry number."""

    seq: int
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking the audit chain."""

    checked: int
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"审计日志完整：共核对 {self.checked} 条记录，未发现删除或篡改"
        lines = [f"审计日志发现 {len(self.problems)} 处问题（共核对 {self.checked} 条）："]
        lines += [f"  第 {p.seq} 条：{p.message}" for p in self.problems[:50]]
        return "\n".join(lines)


def verify_chain(uow: UnitOfWork, batch: int = 5000) -> ChainReport:
    """Walks the chain in order; a deleted row shows as a gap, an altered one as a wrong hash."""
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
            prev_hash = row.hash
            expected_seq = row.seq + 1
            last_seq = row.seq
    issued = current_number(uow, AUDIT_SEQUENCE, 0)
    if issued >= expected_seq:
        problems.append(ChainProblem(expected_seq, f"最后 {issued - expected_seq + 1} 条记录缺失（已被删除）"))
    return ChainReport(checked, tuple(problems))


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
def verify(uow: UnitOfWork, actor: Actor) -> ChainReport:
    require_role(actor, [Role.ADMIN], "核验审计日志")
    return verify_chain(uow)


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
