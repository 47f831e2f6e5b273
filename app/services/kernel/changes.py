"""The change feed: what other clients changed since a given position.

Positions are audit sequence numbers, taken under a lock held until commit, so a later commit
never gets a smaller position and a polling client cannot skip a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.db.tables import change_feed

if TYPE_CHECKING:
    from app.services.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class Change:
    """One entry of the change feed: what changed, for open clients to refresh."""

    position: int
    entity_type: str
    entity_id: int | None
    op: str


# Plain tables: the main window asks these as it opens and every few seconds after, and they need no ORM.


def latest_position(uow: UnitOfWork) -> int:
    return int(uow.execute(select(func.max(change_feed.c.position))).scalar_one() or 0)


def changes_since(uow: UnitOfWork, position: int, limit: int = 1000) -> list[Change]:
    feed = change_feed.c
    rows = uow.execute(
        select(feed.position, feed.entity_type, feed.entity_id, feed.op)
        .where(feed.position > position)
        .order_by(feed.position, feed.id)
        .limit(limit)
    )
    return [Change(int(r.position), r.entity_type, r.entity_id, r.op) for r in rows]
