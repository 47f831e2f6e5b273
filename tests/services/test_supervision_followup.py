"""A missed progress report on the 工作台: the lead unit's 联络员 owes it (汇报), the item's responsible person
follows it up (催报), nobody else sees it; once reported, it leaves both. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import timedelta

from app.bootstrap import AppContext
from app.core.calendar import WorkCalendar
from app.core.workflow.duties import WEEKLY, next_due
from app.services.workflow import duties, todo
from tests.helpers.document_office import TODAY, Office, build_office
from tests.helpers.supervision_office import assigned_item


def _reports(o: Office, who: str, day: object) -> list[tuple[str, str, bool]]:
    with o.ctx.uow() as uow:
        items = todo.todo(uow, o.people[who], today=day).items  # type: ignore[arg-type]
    return [(i.kind, i.duty_label, i.overdue) for i in items if i.kind in (todo.DUTY, todo.FOLLOW)]


def test_a_missed_report_shows_for_the_unit_and_the_responsible_person(ctx: AppContext) -> None:
    o = build_office(ctx)
    item = assigned_item(o)
    due = next_due(WEEKLY, TODAY, WorkCalendar()).date
    late = due + timedelta(days=1)
    # Due within three working days: the unit's to-do already; not yet the responsible person's.
    assert [k for k, _label, _o in _reports(o, "liaison_fin", due - timedelta(days=1))] == [todo.DUTY]
    assert _reports(o, "clerk", due - timedelta(days=1)) == []
    # Missed: overdue for the unit, and 催报 for the clerk who answers for the item.
    assert _reports(o, "liaison_fin", late) == [(todo.DUTY, "进展报告 · 每周", True)]
    assert _reports(o, "clerk", late) == [(todo.FOLLOW, "进展报告 · 每周", True)]
    for nobody in ("clerk2", "director", "liaison_edu", "mayor"):
        assert _reports(o, nobody, late) == [], nobody
    with o.ctx.uow() as uow:
        counts = todo.todo(uow, o.clerk, today=late).counts
    assert counts.overdue >= 1
    # Hastened by the clerk, then reported by the unit: gone from both.
    with o.ctx.uow() as uow:
        instance_id = duties.duties_of(uow, o.clerk, _instance(o, item), late)[0].instance_id
    o.run(duties.hasten_duty, o.clerk, instance_id, "progress", "电话", "请今天报送", late)
    o.run(duties.report_duty, o.liaison_fin, instance_id, "progress", "已完成设计招标。", late)
    assert _reports(o, "liaison_fin", late) == [] and _reports(o, "clerk", late) == []


def _instance(o: Office, item_id: int) -> int:
    from app.services.supervision import items

    with o.ctx.uow() as uow:
        return items.get_item(uow, o.clerk, item_id).instance_id
