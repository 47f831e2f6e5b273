"""Attacking the audit chain as someone with write access to the database but no office key."""

from __future__ import annotations

from sqlalchemy import select, update

from app.bootstrap import AppContext
from app.db.tables import audit_log
from app.services.kernel.audit_chain import GENESIS_HASH, entry_hash


def recompute_chain_from(ctx: AppContext, seq: int, **changes: object) -> None:
    """What an attacker with write access does: alter an entry, then recompute every hash from there on."""
    with ctx.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(**changes))
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
        prev = GENESIS_HASH
        for r in rows:
            digest = entry_hash(prev, r.seq, r.at, r.user_id, r.username, r.action, r.entity_type, r.entity_id, r.detail)
            conn.execute(update(audit_log).where(audit_log.c.seq == r.seq).values(prev_hash=prev, hash=digest))
            prev = digest
