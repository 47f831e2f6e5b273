"""What 综合查询 searches of a 督办事项 (app.services.search.sources): its number, name and requirement, where it
came from, its units and its responsible person, and what was said and reported while it was carried out (the
moves' opinions, the lead unit's progress reports, the units' feedback on their tasks).

Read with plain selects for a whole batch at once (a rebuild reads 500 items at a time): the items with their
lead unit and responsible person in one query, then one query each for the co-units, the progress
reports and the feedback. Every act that changes any of them records an audit entry on the item itself
(items.update_item, the workflow's moves, duties, tasks and hand-overs), which is what keeps the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Table, select

from app.core.supervision.flow import ENTITY
from app.db.tables import (
    units,
    users,
    workflow_duties,
    workflow_duty_reports,
    workflow_instances,
    workflow_work_items,
)
from app.models.supervision import SupervisionCoUnit, SupervisionItem
from app.services.search.sources import SearchEntry, SearchField, gathered

if TYPE_CHECKING:
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

_ITEMS: Table = SupervisionItem.__table__  # type: ignore[assignment]
_CO_UNITS: Table = SupervisionCoUnit.__table__  # type: ignore[assignment]
# Several texts of one kind in one field (the co-units; the reports, each a sentence or more).
_NAMES_JOIN = "、"
_TEXTS_JOIN = "；"



class SupervisionSource:
    """督办事项 as 综合查询 finds them; nothing of an item is masked, and its files are public like the item."""

    files_private = False

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        ids = sorted(set(record_ids))
        if not ids:
            return []
        i, u, wi, person = _ITEMS.c, units.c, workflow_instances.c, users.alias("responsible")
        rows = uow.execute(
            select(i.id, i.year, i.number, i.source, i.title, i.requirement, i.priority, i.created_by_name,
                   u.name.label("lead_unit"), person.c.full_name.label("responsible"))
            .select_from(
                _ITEMS.outerjoin(units, u.id == i.lead_unit_id)
                .outerjoin(workflow_instances, wi.id == i.instance_id)
                .outerjoin(person, person.c.id == wi.responsible_id)
            )
            .where(i.id.in_(ids))
            .order_by(i.id)
        ).all()
        if not rows:
            return []
        c = _CO_UNITS.c
        co_units = gathered(uow.execute(
            select(c.item_id, u.name).join(units, u.id == c.unit_id)
            .where(c.item_id.in_(ids)).order_by(c.item_id, c.position)
        ))
        # The item's flow instances (one, reopened in place), as the workflow's tables name them.
        by_item = (wi.entity_type == ENTITY) & wi.entity_id.in_(ids)
        d, r = workflow_duties.c, workflow_duty_reports.c
        reports = gathered(uow.execute(
            select(wi.entity_id, r.text)
            .select_from(workflow_duty_reports.join(workflow_duties, d.id == r.duty_id)
                         .join(workflow_instances, wi.id == d.instance_id))
            .where(by_item, r.text != "").order_by(wi.entity_id, r.id)
        ))
        w = workflow_work_items.c
        feedback = gathered(uow.execute(
            select(wi.entity_id, w.feedback).join(workflow_instances, wi.id == w.instance_id)
            .where(by_item, w.feedback != "").order_by(wi.entity_id, w.id)
        ))
        return [
            SearchEntry(
                record_id=row.id,
                year=int(row.year),
                title=row.title,
                fields=(
                    SearchField("编号", row.number),
                    SearchField("事项来源", row.source),
                    SearchField("工作要求", row.requirement),
                    SearchField("牵头单位", row.lead_unit or ""),
                    SearchField("协办单位", _NAMES_JOIN.join(co_units.get(row.id, ()))),
                    SearchField("责任人", row.responsible or ""),
                    SearchField("督办类别", row.priority),
                    SearchField("登记人", row.created_by_name),
                    SearchField("进展情况", _TEXTS_JOIN.join(reports.get(row.id, ()))),
                    SearchField("办理情况", _TEXTS_JOIN.join(feedback.get(row.id, ()))),
                ),
            )
            for row in rows
        ]

    def record_ids(self, uow: UnitOfWork, after: int, limit: int) -> list[int]:
        i = _ITEMS.c
        return [int(x) for x in uow.execute(select(i.id).where(i.id > after).order_by(i.id).limit(limit)).scalars()]

    def sees_private(self, actor: Actor) -> bool:
        return True


SOURCE = SupervisionSource()
