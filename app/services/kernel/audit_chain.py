"""Appending to the audit log: the hash chain, written at every commit (app.services.kernel.uow).

Apart from the viewer and the check of the chain (app.services.admin.audit), so that a commit, the login's
first of all, loads no more than it writes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence as Seq
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from app.db.tables import audit_anchors, audit_log, change_feed, utcnow
from app.services.kernel.access import check_still_current, still_current_columns
from app.services.kernel.sequences import next_number

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import Label

    from app.services.kernel.uow import PendingAudit, UnitOfWork

GENESIS_HASH = "0" * 64
# An anchor signed with the office key every so many entries (app.services.kernel.audit_anchors): a busy
# office (some thousands of entries a day) anchors a few times an hour; the entries written since the
# last anchor are what a cut could still take unnoticed, until the administrator anchors by hand.
ANCHOR_EVERY = 200
# And at the first login this long after the last anchor.
ANCHOR_AFTER = timedelta(hours=24)
AUDIT_SEQUENCE = "audit_log"


def entry_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    entity_type: str,
    entity_id: int | None,
    detail: str,
) -> str:
    payload = json.dumps(
        [seq, at.isoformat(), user_id, username, action, entity_type, entity_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def write_pending(uow: UnitOfWork, pending: Seq[PendingAudit]) -> None:
    """Appends the unit of work's entries to the chain: their numbers reserved in one step, the chain
    computed in memory from the last committed hash, and everything flushed together."""
    if not pending:
        return
    last = next_number(uow, AUDIT_SEQUENCE, 0, count=len(pending))
    first = last - len(pending) + 1
    prev_hash = GENESIS_HASH
    actor = uow.acting
    # Whether the acting user is still current is asked in the statement that reads the chain's head,
    # so a commit pays no round trip for it (app.services.kernel.access). Not when the work changed the
    # actor's own account (an administrator giving up a role): it was checked as the work began.
    changes_own_account = actor is not None and any(
        item.entity_type == "user" and item.entity_id == actor.id for item in pending
    )
    checks = (
        still_current_columns(actor)
        if actor is not None and actor.id is not None and not changes_own_account
        else []
    )
    # A login also asks, in the same statement, when the chain was last anchored: the first login a day
    # later anchors it, so that a quiet office (few entries) is anchored daily too.
    logging_in = any(item.action == "login" for item in pending)
    anchored_at = None
    if first > 1 or checks:
        # The previous appender held the sequence lock until it committed, so its row is visible.
        head = select(audit_log.c.hash).where(audit_log.c.seq == first - 1).scalar_subquery().label("head")
        extra = [_last_anchor_time()] if logging_in and first > 1 else []
        row = uow.execute(select(head, *checks, *extra)).one()
        anchored_at = row.anchored_at if extra else None
        if first > 1:
            if row.head is None:
                raise RuntimeError(f"audit entry {first - 1} is missing: the chain cannot be continued")
            prev_hash = row.head
        if actor is not None and checks:
            check_still_current(actor, row.user_row, row.all_roles, row.own_roles)
    at = utcnow()
    entries: list[dict[str, object]] = []
    changes: list[dict[str, object]] = []
    for seq, item in enumerate(pending, start=first):
        detail = json.dumps(item.detail, ensure_ascii=False, sort_keys=True, default=str)
        digest = entry_hash(
            prev_hash, seq, at, item.user_id, item.username, item.action, item.entity_type, item.entity_id, detail
        )
        entries.append(
            {
                "seq": seq, "at": at, "user_id": item.user_id, "username": item.username, "action": item.action,
                "entity_type": item.entity_type, "entity_id": item.entity_id, "detail": detail,
                "prev_hash": prev_hash, "hash": digest,
            }
        )
        if item.change_op:
            changes.append(
                {"position": seq, "entity_type": item.entity_type, "entity_id": item.entity_id, "op": item.change_op, "at": at}
            )
        prev_hash = digest
    # Plain inserts on the tables: the entries are never read back as objects, and the login, which
    # writes the first of them, runs before the ORM is loaded.
    uow.execute(insert(audit_log), entries)
    if changes:
        uow.execute(insert(change_feed), changes)
    daily_due = logging_in and first > 1 and (anchored_at is None or at - anchored_at >= ANCHOR_AFTER)
    if daily_due or (first - 1) // ANCHOR_EVERY != last // ANCHOR_EVERY:
        # Only the commit that crosses a mark loads the anchors' module and the office key.
        from app.services.kernel.audit_anchors import anchor_in_commit

        anchor_in_commit(uow, last, prev_hash, pending[-1].username)


def _last_anchor_time() -> Label[datetime | None]:
    newest = select(audit_anchors.c.at).order_by(audit_anchors.c.id.desc()).limit(1)
    return newest.scalar_subquery().label("anchored_at")
