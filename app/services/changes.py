"""The change feed: what other clients changed since a given position.

Positions are audit sequence numbers, taken under a lock held until commit, so a later commit
never gets a smaller position and a polling client cannot skip a change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ChangeFeedEntry
from app.models.base import table_of


@dataclass(frozen=True)
class Change:
    """One entry of the change feed: what changed, for open clients to refresh."""

    position: int
    entity_type: str
    entity_id: int | None
    op: str


def latest_position(session: Session) -> int:
    # The table's column: every window asks this as it opens, before anything needs an ORM mapper.
    feed = table_of(ChangeFeedEntry).c
    return int(session.execute(select(func.max(feed.position))).scalar_one() or 0)


def changes_since(session: Session, position: int, limit: int = 1000) -> list[Change]:
    rows = session.execute(
        select(ChangeFeedEntry)
        .where(ChangeFeedEntry.position > position)
        .order_by(ChangeFeedEntry.position, ChangeFeedEntry.id)
        .limit(limit)
    ).scalars()
    return [Change(r.position, r.entity_type, r.entity_id, r.op) for r in rows]
