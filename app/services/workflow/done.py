"""我的已办: the records a person acted on, newest act first, each with where it stands now.

A person acted on a record when a history row names them: as the one who acted, or as the one a
delegate acted for (代理, workflow_history.on_behalf_of_id). One row per record: the latest of their acts,
its label and time, beside the record's current step and whether it is closed. Only records the person
may still see are listed (app.services.workflow.visibility), as every list does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from app.db.tables import workflow_history, workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import INFO_COLUMNS, InstanceInfo, flow_for, info_from_row
from app.services.workflow.visibility import visible_clause
from app.services.workflow.worklist import Page, check_page, escape_like, search_text

_WI, _WH = workflow_instances.c, workflow_history.c


@dataclass(frozen=True)
class DoneItem:
    """One record the person acted on: where it stands now, and their latest act on it."""

    info: InstanceInfo
    action_label: str
    acted_at: datetime
    # The name of the person a delegate acted for, where the latest act was done on someone's behalf.
    on_behalf_of: str = ""

    @property
    def closed(self) -> bool:
        return self.info.closed


@acting
def done_list(
    uow: UnitOfWork,
    actor: Actor,
    *,
    limit: int = 50,
    offset: int = 0,
    flow_keys: frozenset[str] | None = None,
    search: str | None = None,
) -> Page[DoneItem]:
    """The records the actor acted on (themselves or through a delegate), newest act first, one row each."""
    check_page(offset, limit)
    if actor.id is None:
        return Page([], 0, offset)
    # Each record's latest act of the person's: grouped on the history, then joined once to its record.
    latest = (
        select(_WH.instance_id.label("instance_id"), func.max(_WH.id).label("history_id"))
        .where(or_(_WH.actor_id == actor.id, _WH.on_behalf_of_id == actor.id))
        .group_by(_WH.instance_id)
        .subquery()
    )
    conditions = [visible_clause(uow, actor)]
    if flow_keys is not None:
        conditions.append(_WI.flow_key.in_(sorted(flow_keys)))
    text = search_text(search)
    if text:
        conditions.append(_WI.title.like(f"%{escape_like(text)}%", escape="\\"))
    joined = latest.join(workflow_instances, _WI.id == latest.c.instance_id)
    total = int(uow.execute(select(func.count()).select_from(joined).where(*conditions)).scalar_one())
    if total <= offset:
        return Page([], total, offset)
    rows = uow.execute(
        select(*INFO_COLUMNS, _WH.action_label, _WH.at, _WH.on_behalf_of_id, _WH.on_behalf_of_name)
        .select_from(joined.join(workflow_history, _WH.id == latest.c.history_id))
        .where(*conditions)
        # The ids of history rows grow with time: the newest act first, without sorting on a timestamp.
        .order_by(latest.c.history_id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    items = []
    width = len(INFO_COLUMNS)
    for row in rows:
        info = info_from_row(row[:width], flow_for(uow, row.flow_key, row.flow_version))
        label, at, behalf_id, behalf_name = row[width:]
        # Acting for someone else is said; an act the person's delegate did for them is theirs.
        for_whom = behalf_name if behalf_id is not None and behalf_id != actor.id else ""
        items.append(DoneItem(info, label, at, for_whom))
    return Page(items, total, offset)
