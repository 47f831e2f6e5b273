"""Clocks that span steps, kept by the services (app.services.workflow.clocks) on a small 信访-shaped test flow
stored in flow_definitions (tests/helpers/clock_flow.py), driven by the generic moves: started on entering,
stopped on leaving, not restarted by a return; one extension by an approver; pauses with reasons; the record's
due date the earliest of its step's and its running clocks', as the 工作台 reads it. Refusals leave the
database as it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.calendar import WorkCalendar
from app.core.errors import PermissionDenied
from app.core.roles import Role
from app.core.workflow.clocks import ClockError
from app.db.tables import audit_log, workflow_clock_events, workflow_clocks, workflow_history, workflow_instances
from app.services.kernel.actor import Actor
from app.services.workflow import clocks, todo
from app.services.workflow import moves as workflow
from tests.helpers import add_unit, add_user
from tests.helpers.clock_flow import HANDLING, new_clocked

D0 = date(2026, 6, 1)  # a Monday; nothing of the 60 days' end falls on a holiday
CALENDAR = WorkCalendar()


@dataclass
class People:
    petition: Actor  # registers the record: its responsible person
    clerk: Actor  # acts at 办理
    director: Actor
    deputy: Actor
    mayor: Actor  # a leader who neither acts here nor approves
    liaison_here: Actor
    liaison_other: Actor


@pytest.fixture
def people(ctx: AppContext) -> People:
    office = add_unit(ctx, "信访局")
    other = add_unit(ctx, "教育局")
    return People(
        petition=add_user(ctx, "petition", [Role.PETITION_OFFICER], office, "孙接待"),
        clerk=add_user(ctx, "clerk", [Role.SECRETARY], office, "张文秘"),
        director=add_user(ctx, "director", [Role.DIRECTOR], office, "王主任"),
        deputy=add_user(ctx, "deputy", [Role.DEPUTY_DIRECTOR], office, "李副主任"),
        mayor=add_user(ctx, "mayor", [Role.COUNTY_LEADER], office, "陈县长"),
        liaison_here=add_user(ctx, "liaison_here", [Role.LIAISON], office, "吴联络"),
        liaison_other=add_user(ctx, "liaison_other", [Role.LIAISON], other, "郑联络"),
    )


def move(ctx: AppContext, actor: Actor, instance_id: int, action: str, on: date, opinion: str = "") -> None:
    with ctx.uow() as uow:
        workflow.transition(uow, actor, instance_id, action, opinion, today=on)


def events(ctx: AppContext, instance_id: int, key: str) -> list[tuple[str, date]]:
    c = workflow_clock_events.c
    with ctx.uow() as uow:
        rows = uow.execute(
            select(c.kind, c.on_date).where(c.instance_id == instance_id, c.clock_key == key).order_by(c.id)
        ).all()
    return [(kind, on) for kind, on in rows]


def clock_row(ctx: AppContext, instance_id: int, key: str) -> Any:
    c = workflow_clocks.c
    with ctx.uow() as uow:
        return uow.execute(select(workflow_clocks).where(c.instance_id == instance_id, c.clock_key == key)).first()


def due(ctx: AppContext, instance_id: int) -> date | None:
    with ctx.uow() as uow:
        found: date | None = uow.execute(
            select(workflow_instances.c.due_date).where(workflow_instances.c.id == instance_id)
        ).scalar_one()
    return found


def readings(ctx: AppContext, actor: Actor, instance_id: int, on: date) -> dict[str, clocks.ClockView]:
    with ctx.uow() as uow:
        return {view.clock.key: view for view in clocks.clock_readings(uow, actor, instance_id, today=on)}


def snapshot(ctx: AppContext, instance_id: int) -> tuple[Any, ...]:
    """Everything a clock's change writes: its events and rows, the record, its history, the audit log."""
    with ctx.uow() as uow:
        def count(table: Any) -> int:
            return int(uow.execute(select(func.count()).select_from(table)).scalar_one())

        record = uow.execute(
            select(workflow_instances.c.due_date, workflow_instances.c.version)
            .where(workflow_instances.c.id == instance_id)
        ).one()
        rows = uow.execute(select(workflow_clocks).order_by(workflow_clocks.c.id)).all()
        return (count(workflow_clock_events), count(workflow_history), count(audit_log), tuple(record),
                [tuple(r) for r in rows])


def days(n: int) -> date:
    return D0 + timedelta(days=n)


def ends(start: int, length: int) -> date:
    """The end of ``length`` days counted from day ``start`` (a weekend or holiday end moves to the next working day)."""
    return CALENDAR.add_days(days(start), length).date


# ----- moves start and stop clocks ---------------------------------------------------------------------------


def test_a_clock_starts_on_entering_its_first_step_and_stops_on_leaving_its_last(
    ctx: AppContext, people: People
) -> None:
    record = new_clocked(ctx, people.petition, D0)
    assert events(ctx, record, "acceptance") == [("start", D0)]
    assert events(ctx, record, "handling") == []
    # 登记's own 3 working days (6-4) end before the 15 days of 受理时限 (6-16).
    assert clock_row(ctx, record, "acceptance").due_date == date(2026, 6, 16)
    assert due(ctx, record) == date(2026, 6, 4)

    move(ctx, people.petition, record, "accept", days(2))
    assert events(ctx, record, "acceptance") == [("start", D0), ("stop", days(2))]
    assert events(ctx, record, "handling") == [("start", days(2))]
    stopped = clock_row(ctx, record, "acceptance")
    assert stopped.phase == "stopped" and stopped.stopped_on == days(2)
    # 办理 has no limit of its own: the record is due when 办理时限 ends, 60 days on.
    assert due(ctx, record) == ends(2, 60) == clock_row(ctx, record, "handling").due_date

    move(ctx, people.clerk, record, "handled", days(10))
    # 答复's own 15 days end first.
    assert due(ctx, record) == ends(10, 15)
    move(ctx, people.petition, record, "reply", days(20))
    assert events(ctx, record, "handling") == [("start", days(2)), ("stop", days(20))]
    assert clock_row(ctx, record, "handling").phase == "stopped"
    assert due(ctx, record) is None
    line = readings(ctx, people.petition, record, days(30))["handling"].line
    assert line == "办理时限：2026年6月21日办结（时限2026年8月3日）"


def test_the_running_clock_is_due_before_the_step_when_it_ends_first(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    move(ctx, people.clerk, record, "handled", days(55))
    # 答复's own 15 days would end on day 70; the 60 days of 办理时限 end on day 60.
    assert due(ctx, record) == days(60)


def test_a_return_inside_a_clock_neither_stops_nor_restarts_it(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="reply")
    move(ctx, people.petition, record, "redo", days(5), "请补充现场照片")
    move(ctx, people.clerk, record, "handled", days(8))
    assert events(ctx, record, "handling") == [("start", D0)]
    assert clock_row(ctx, record, "handling").phase == "running"


def test_a_return_into_a_clocks_first_step_does_not_start_it_again(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    move(ctx, people.clerk, record, "back", days(3), "登记信息有误")
    # Leaving 办理时限's steps stops it; 受理时限 ran once and stays stopped.
    assert events(ctx, record, "acceptance") == [("start", D0), ("stop", D0)]
    assert events(ctx, record, "handling") == [("start", D0), ("stop", days(3))]
    move(ctx, people.petition, record, "accept", days(4))
    assert events(ctx, record, "handling") == [("start", D0), ("stop", days(3))]
    # Back at 登记 the record had only its step's limit; at 办理 (no limit) and no running clock, none.
    assert due(ctx, record) is None


# ----- extension ----------------------------------------------------------------------------------------------


def test_the_approver_extends_a_clock_once_with_a_reason(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    with ctx.uow() as uow:
        reading = clocks.extend_clock(uow, people.director, record, "handling", 20, "需要现场核查", today=days(50))
    assert reading.extended_by == 20 and reading.due is not None and reading.due.date == days(80)
    assert due(ctx, record) == days(80)
    row = clock_row(ctx, record, "handling")
    assert row.extended_by == 20 and row.due_date == days(80)
    with ctx.uow() as uow:
        history = uow.execute(select(workflow_history).where(workflow_history.c.instance_id == record)
                              .order_by(workflow_history.c.id.desc())).first()
        audit = uow.execute(select(audit_log.c.action, audit_log.c.user_id).order_by(audit_log.c.seq.desc())).first()
    assert history is not None and history.action == "extend_clock" and history.action_label == "延期"
    assert history.from_state == history.to_state == "handle" and history.opinion == "需要现场核查"
    assert history.actor_name == "王主任"
    assert audit is not None and tuple(audit) == ("extend_clock", people.director.id)
    assert "已延期20日" in readings(ctx, people.clerk, record, days(51))["handling"].line

    before = snapshot(ctx, record)
    with ctx.uow() as uow, pytest.raises(ClockError, match="已延期一次，不能再次延期"):
        clocks.extend_clock(uow, people.deputy, record, "handling", 5, "再延", today=days(52))
    assert snapshot(ctx, record) == before


@pytest.mark.parametrize("who", ["clerk", "mayor", "petition", "liaison_here"])
def test_only_the_extensions_approvers_may_extend(ctx: AppContext, people: People, who: str) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    before = snapshot(ctx, record)
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="只有办公室主任、副主任可以批准“办理时限”延期"):
        clocks.extend_clock(uow, getattr(people, who), record, "handling", 10, "理由", today=days(5))
    assert snapshot(ctx, record) == before


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [(31, "需要现场核查", "1至30日"), (0, "需要现场核查", "1至30日"), (10, "  ", "必须写明理由")],
)
def test_an_extension_over_the_maximum_or_without_a_reason_is_refused(
    ctx: AppContext, people: People, amount: int, reason: str, message: str
) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    before = snapshot(ctx, record)
    with ctx.uow() as uow, pytest.raises(ClockError, match=message):
        clocks.extend_clock(uow, people.deputy, record, "handling", amount, reason, today=days(5))
    assert snapshot(ctx, record) == before


def test_a_clock_without_an_extension_or_not_running_cannot_be_extended(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0)
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="任何人"):
        clocks.extend_clock(uow, people.director, record, "acceptance", 5, "理由", today=days(1))
    with ctx.uow() as uow, pytest.raises(ClockError, match="尚未开始计时"):
        clocks.extend_clock(uow, people.director, record, "handling", 5, "理由", today=days(1))


# ----- pause and resume ------------------------------------------------------------------------------------------


def test_a_paused_clock_does_not_run_and_its_due_date_moves_by_the_pause(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    with ctx.uow() as uow:
        clocks.pause_clock(uow, people.clerk, record, "handling", "等待群众补充材料", today=days(10))
    row = clock_row(ctx, record, "handling")
    assert row.phase == "paused" and row.paused_since == days(10) and row.due_date is None
    # Nothing runs: the record has no due date while it waits.
    assert due(ctx, record) is None
    early, late = readings(ctx, people.clerk, record, days(12)), readings(ctx, people.clerk, record, days(40))
    assert early["handling"].reading.used == late["handling"].reading.used == 10
    assert "暂停计时" in late["handling"].line
    assert late["handling"].may_resume and not late["handling"].may_pause

    with ctx.uow() as uow, pytest.raises(ClockError, match="已经暂停计时"):
        clocks.pause_clock(uow, people.clerk, record, "handling", "再停", today=days(11))
    # The responsible person (who registered it) resumes it, though they do not act at 办理.
    with ctx.uow() as uow:
        clocks.resume_clock(uow, people.petition, record, "handling", "材料已补齐", today=days(25))
    assert due(ctx, record) == ends(0, 75)
    assert clock_row(ctx, record, "handling").due_date == ends(0, 75)
    with ctx.uow() as uow:
        actions = uow.execute(
            select(workflow_history.c.action_label, workflow_history.c.opinion)
            .where(workflow_history.c.instance_id == record).order_by(workflow_history.c.id)
        ).all()
    assert [tuple(a) for a in actions[-2:]] == [("暂停计时", "等待群众补充材料"), ("恢复计时", "材料已补齐")]


@pytest.mark.parametrize("who", ["mayor", "director", "liaison_here"])
def test_only_who_acts_at_the_step_or_answers_for_the_record_may_pause(
    ctx: AppContext, people: People, who: str
) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    before = snapshot(ctx, record)
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="只有当前环节的办理人或本事项的负责人可以暂停计时"):
        clocks.pause_clock(uow, getattr(people, who), record, "handling", "等待材料", today=days(3))
    assert snapshot(ctx, record) == before


def test_a_pause_needs_a_reason_and_a_pausable_running_clock(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    before = snapshot(ctx, record)
    with ctx.uow() as uow, pytest.raises(ClockError, match="必须写明理由"):
        clocks.pause_clock(uow, people.clerk, record, "handling", "", today=days(3))
    with ctx.uow() as uow, pytest.raises(ClockError, match="没有暂停，无需恢复"):
        clocks.resume_clock(uow, people.clerk, record, "handling", "材料已到", today=days(3))
    with ctx.uow() as uow, pytest.raises(ClockError, match="已停止计时"):
        clocks.pause_clock(uow, people.petition, record, "acceptance", "等材料", today=days(3))
    assert snapshot(ctx, record) == before
    fresh = new_clocked(ctx, people.petition, D0)
    with ctx.uow() as uow, pytest.raises(ClockError, match="不能暂停"):
        clocks.pause_clock(uow, people.petition, fresh, "acceptance", "等材料", today=days(3))


# ----- what the window and the 工作台 see -------------------------------------------------------------------------


def test_each_person_sees_only_what_they_may_do(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    for who, extend, pause in (("director", True, False), ("deputy", True, False), ("clerk", False, True),
                               ("petition", False, True), ("mayor", False, False), ("liaison_here", False, False)):
        view = readings(ctx, getattr(people, who), record, days(5))
        assert [key for key in view] == ["acceptance", "handling"]
        handling = view["handling"]
        assert (handling.may_extend, handling.may_pause, handling.may_resume) == (extend, pause, False), who
        assert not view["acceptance"].may_extend and not view["acceptance"].may_pause
    assert readings(ctx, people.clerk, record, days(5))["handling"].line == "办理时限：应于2026年7月31日前完成，尚余55日"


def test_a_record_out_of_sight_is_refused(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, at="handle")
    before = snapshot(ctx, record)
    outsider = people.liaison_other
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="不在您可以查看的范围内"):
        clocks.clock_readings(uow, outsider, record, today=days(5))
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="不在您可以查看的范围内"):
        clocks.pause_clock(uow, outsider, record, "handling", "等材料", today=days(5))
    with ctx.uow() as uow, pytest.raises(PermissionDenied, match="不在您可以查看的范围内"):
        clocks.extend_clock(uow, outsider, record, "handling", 5, "理由", today=days(5))
    assert snapshot(ctx, record) == before


def test_an_overdue_clock_shows_among_the_overdue_to_dos(ctx: AppContext, people: People) -> None:
    record = new_clocked(ctx, people.petition, D0, title="某村道路破损问题", at="handle")
    with ctx.uow() as uow:
        soon = todo.todo(uow, people.clerk, today=days(59))
        late = todo.todo(uow, people.clerk, today=days(61))
        overdue = todo.todo(uow, people.clerk, today=days(61), view="overdue")
    assert [i.info.title for i in soon.items] == ["某村道路破损问题"]
    assert soon.counts.soon == 1 and soon.counts.overdue == 0
    assert late.counts.overdue == 1
    assert [i.info.id for i in overdue.items] == [record]
    # Extended by the approver, it is no longer overdue.
    with ctx.uow() as uow:
        clocks.extend_clock(uow, people.director, record, "handling", 30, "案情复杂", today=days(61))
    with ctx.uow() as uow:
        assert todo.todo(uow, people.clerk, today=days(61)).counts.overdue == 0


def test_a_stale_window_is_refused(ctx: AppContext, people: People) -> None:
    from app.core.errors import ConflictError

    record = new_clocked(ctx, people.petition, D0, at="handle")
    with ctx.uow() as uow:
        version = workflow.get_instance(uow, record).version
    move(ctx, people.clerk, record, "handled", days(3))
    with ctx.uow() as uow, pytest.raises(ConflictError):
        clocks.extend_clock(uow, people.director, record, "handling", 5, "理由", expected_version=version,
                            today=days(4))


def test_flows_without_clocks_are_left_as_they_were(ctx: AppContext, people: People) -> None:
    with ctx.uow() as uow:
        instance = workflow.start(uow, people.clerk, flow_key="outgoing_document", entity_type="test",
                                  title="无时限流程", today=D0)
        uow.commit()
        instance_id = instance.id
    assert due(ctx, instance_id) == CALENDAR.add_workdays(D0, 3).date
    with ctx.uow() as uow:
        assert clocks.clock_readings(uow, people.clerk, instance_id, today=D0) == []
        assert uow.execute(select(func.count()).select_from(workflow_clocks)).scalar_one() == 0


def test_the_extension_limit_is_declared_on_the_test_flow() -> None:
    assert HANDLING.extension is not None and HANDLING.extension.max_amount == 30


def test_while_the_clock_is_paused_the_step_keeps_its_own_due_date(ctx: AppContext, people: People) -> None:
    # 答复 has 15 days of its own, counted from the day the record entered it (today, as in use).
    today = date.today()
    record = new_clocked(ctx, people.petition, today, at="reply")
    own = CALENDAR.add_days(today, 15).date
    assert due(ctx, record) == own
    with ctx.uow() as uow:
        clocks.pause_clock(uow, people.petition, record, "handling", "等待群众补充材料", today=today)
    assert due(ctx, record) == own
    with ctx.uow() as uow:
        clocks.resume_clock(uow, people.petition, record, "handling", "材料已补齐", today=today)
    assert due(ctx, record) == own
