"""What the 工作台 and the window of a flow's record read in one service call each (todo.workbench,
flow_record.flow_record): the same as the parts they are made of, for the day asked, and refused with nothing
read to one who may not see the record."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.errors import NotFound, PermissionDenied
from app.core.roles import Role
from app.services.workflow import clocks, todo, urges
from app.services.workflow import detail as workflow_detail
from app.services.workflow.flow_record import flow_record
from tests.helpers import add_unit, add_user
from tests.helpers.clock_flow import new_clocked

FRIDAY, SATURDAY = date(2026, 11, 27), date(2026, 11, 28)


@pytest.mark.parametrize(("day", "workday"), [(FRIDAY, True), (SATURDAY, False)])
def test_the_workbench_reads_the_todos_and_the_day(ctx: AppContext, day: date, workday: bool) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY], add_unit(ctx, "秘书股", "section"))
    new_clocked(ctx, clerk, FRIDAY, at="handle")
    with ctx.uow() as uow:
        shown = todo.workbench(uow, clerk, day)
        alone = todo.todo(uow, clerk, day)
    assert (shown.today, shown.workday) == (day, workday)
    assert shown.todos.items, "the record at 办理 waits for the 文秘"
    assert [i.info.title for i in shown.todos.items] == [i.info.title for i in alone.items]
    assert shown.todos.counts == alone.counts


def test_a_flows_record_reads_where_it_stands_its_urges_and_clocks(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY], add_unit(ctx, "秘书股", "section"))
    instance_id = new_clocked(ctx, clerk, FRIDAY, at="handle")
    with ctx.uow() as uow:
        record = flow_record(uow, clerk, instance_id, FRIDAY)
    assert len(record.clocks) == 2, "its 受理 and 办理 clocks"
    with ctx.uow() as uow:
        assert record.detail.info == workflow_detail.instance_detail(uow, clerk, instance_id).info
        assert record.urges == urges.urges_for(uow, instance_id)
        assert record.clocks == clocks.clock_readings(uow, clerk, instance_id, FRIDAY)


def test_a_flows_record_is_refused_to_one_who_may_not_see_it(ctx: AppContext) -> None:
    clerk = add_user(ctx, "clerk", [Role.SECRETARY], add_unit(ctx, "秘书股", "section"))
    stranger = add_user(ctx, "stranger", [Role.LIAISON], add_unit(ctx, "教育局", "department"))
    instance_id = new_clocked(ctx, clerk, FRIDAY, at="handle")
    with ctx.uow() as uow, pytest.raises((PermissionDenied, NotFound)):
        flow_record(uow, stranger, instance_id, FRIDAY)
