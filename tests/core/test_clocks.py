"""Clocks that run across steps (app.core.workflow.clocks): start, stop, one extension, pauses, and how
they read on a day; refused histories; and, over random histories, that a clock never runs backwards
and does not run while paused."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.calendar import WorkCalendar
from app.core.errors import WorkflowError
from app.core.workflow import (
    ANY_ROLE,
    DEFAULT_FLOWS,
    Flow,
    Step,
    Transition,
    flow_from_dict,
    flow_to_dict,
    roles,
)
from app.core.workflow.clocks import (
    Clock,
    ClockError,
    ClockEvent,
    ClockExtension,
    check_clocks,
    events_on_move,
    events_on_start,
    read_clock,
)
from app.core.workflow.engine import FlowDefinitionError, TimeLimit

CALENDAR = WorkCalendar()
HANDLING = Clock(
    "handling", "办理时限", "handle", "reply", TimeLimit(60, "day"),
    extension=ClockExtension(30, frozenset({"director"})), pausable=True,
)
ACCEPTANCE = Clock("acceptance", "受理时限", "register", "register", TimeLimit(15, "day"))
WORKDAYS = Clock("feedback", "反馈时限", "handle", "handle", TimeLimit(5), pausable=True)


def test_a_clock_not_started_has_no_due_date() -> None:
    reading = read_clock(HANDLING, [], CALENDAR, date(2026, 3, 2))
    assert reading.phase == "not_started" and reading.due is None and not reading.overdue
    assert reading.describe(CALENDAR) == "办理时限：60日，尚未开始"


def test_a_running_clock_counts_calendar_days_from_the_day_after_it_starts() -> None:
    # 2026-03-02 + 60 days = 2026-05-01, 劳动节: the end moves to the next working day.
    reading = read_clock(HANDLING, [ClockEvent("start", date(2026, 3, 2))], CALENDAR, date(2026, 3, 12))
    assert reading.phase == "running" and reading.used == 10
    assert reading.due is not None and reading.due.date == CALENDAR.add_days(date(2026, 3, 2), 60).date
    assert reading.due.date > date(2026, 5, 1)
    assert not reading.overdue
    assert "尚余" in reading.describe(CALENDAR)


def test_a_working_day_clock_counts_working_days() -> None:
    start = date(2026, 3, 6)  # a Friday
    reading = read_clock(WORKDAYS, [ClockEvent("start", start)], CALENDAR, date(2026, 3, 10))
    assert reading.used == 2  # Monday and Tuesday
    assert reading.due is not None and reading.due.date == date(2026, 3, 13)


def test_overdue_after_the_due_date_and_late_when_stopped_after_it() -> None:
    events = [ClockEvent("start", date(2026, 3, 2))]
    reading = read_clock(ACCEPTANCE, events, CALENDAR, date(2026, 3, 20))
    assert reading.due is not None and reading.due.date == date(2026, 3, 17)
    assert reading.overdue and "已超期3日" in reading.describe(CALENDAR)
    stopped = read_clock(ACCEPTANCE, [*events, ClockEvent("stop", date(2026, 3, 19))], CALENDAR, date(2026, 4, 1))
    assert stopped.phase == "stopped" and stopped.used == 17 and stopped.overdue
    assert "超期2日" in stopped.describe(CALENDAR)
    on_time = read_clock(ACCEPTANCE, [*events, ClockEvent("stop", date(2026, 3, 10))], CALENDAR, date(2026, 4, 1))
    assert not on_time.overdue and on_time.used == 8


def test_one_extension_moves_the_due_date_and_is_recorded() -> None:
    events = [ClockEvent("start", date(2026, 3, 2)), ClockEvent("extend", date(2026, 4, 20), 30, "需要现场核查")]
    reading = read_clock(HANDLING, events, CALENDAR, date(2026, 4, 21))
    assert reading.extended_by == 30 and reading.extension_reason == "需要现场核查"
    assert reading.allowed == 90 and not reading.can_extend
    assert reading.due is not None and reading.due.date == CALENDAR.add_days(date(2026, 3, 2), 90).date
    assert "已延期30日" in reading.describe(CALENDAR)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([ClockEvent("extend", date(2026, 3, 3), 30, "理由")], "尚未开始计时"),
        ([ClockEvent("start", date(2026, 3, 2)), ClockEvent("start", date(2026, 3, 3))], "已经开始计时"),
        ([ClockEvent("start", date(2026, 3, 2)), ClockEvent("extend", date(2026, 3, 3), 31, "理由")], "1至30日"),
        ([ClockEvent("start", date(2026, 3, 2)), ClockEvent("extend", date(2026, 3, 3), 0, "理由")], "1至30日"),
        ([ClockEvent("start", date(2026, 3, 2)), ClockEvent("extend", date(2026, 3, 3), 10, " ")], "必须写明理由"),
        (
            [ClockEvent("start", date(2026, 3, 2)), ClockEvent("extend", date(2026, 3, 3), 10, "一"),
             ClockEvent("extend", date(2026, 3, 4), 10, "二")],
            "不能再次延期",
        ),
        ([ClockEvent("start", date(2026, 3, 2)), ClockEvent("resume", date(2026, 3, 3), 0, "材料已到")], "无需恢复"),
        ([ClockEvent("start", date(2026, 3, 2)), ClockEvent("pause", date(2026, 3, 3))], "必须写明理由"),
        (
            [ClockEvent("start", date(2026, 3, 2)), ClockEvent("stop", date(2026, 3, 3)),
             ClockEvent("pause", date(2026, 3, 4), 0, "等材料")],
            "已停止计时",
        ),
        ([ClockEvent("start", date(2026, 3, 5)), ClockEvent("stop", date(2026, 3, 3))], "顺序有误"),
    ],
)
def test_refused_histories_say_why(events: list[ClockEvent], message: str) -> None:
    with pytest.raises(ClockError, match=message):
        read_clock(HANDLING, events, CALENDAR, date(2026, 3, 10))


def test_a_clock_without_an_extension_or_pause_refuses_them() -> None:
    start = ClockEvent("start", date(2026, 3, 2))
    with pytest.raises(ClockError, match="不能延期"):
        read_clock(ACCEPTANCE, [start, ClockEvent("extend", date(2026, 3, 3), 5, "理由")], CALENDAR, date(2026, 3, 4))
    with pytest.raises(ClockError, match="不能暂停"):
        read_clock(ACCEPTANCE, [start, ClockEvent("pause", date(2026, 3, 3), 0, "理由")], CALENDAR, date(2026, 3, 4))


def test_a_pause_stops_the_count_and_moves_the_due_date_by_its_length() -> None:
    events = [
        ClockEvent("start", date(2026, 3, 2)),
        ClockEvent("pause", date(2026, 3, 12), 0, "等待补充材料"),
    ]
    paused = read_clock(HANDLING, events, CALENDAR, date(2026, 3, 30))
    assert paused.phase == "paused" and paused.used == 10 and paused.due is None and not paused.overdue
    assert "暂停计时" in paused.describe(CALENDAR)
    resumed = read_clock(HANDLING, [*events, ClockEvent("resume", date(2026, 3, 22), 0, "材料已补齐")], CALENDAR,
                         date(2026, 3, 30))
    assert resumed.phase == "running" and resumed.paused_for == 10 and resumed.used == 18
    assert resumed.due is not None and resumed.due.date == CALENDAR.add_days(date(2026, 3, 2), 70).date
    assert resumed.pauses == ((date(2026, 3, 12), date(2026, 3, 22), "等待补充材料"),)


def test_the_clocks_a_move_starts_and_stops() -> None:
    clocks = (ACCEPTANCE, HANDLING)
    assert events_on_start(clocks, "register", date(2026, 3, 2)) == [(ACCEPTANCE, ClockEvent("start", date(2026, 3, 2)))]
    moved = events_on_move(clocks, "register", "handle", date(2026, 3, 5))
    assert moved == [(ACCEPTANCE, ClockEvent("stop", date(2026, 3, 5))), (HANDLING, ClockEvent("start", date(2026, 3, 5)))]
    assert events_on_move(clocks, "handle", "handle", date(2026, 3, 6)) == []
    assert events_on_move(clocks, "reply", "done", date(2026, 4, 1)) == [(HANDLING, ClockEvent("stop", date(2026, 4, 1)))]


def test_a_declaration_naming_a_missing_step_or_twice_the_same_clock_is_refused() -> None:
    check_clocks("信访", ["register", "handle", "reply"], [ACCEPTANCE, HANDLING])
    with pytest.raises(FlowDefinitionError, match="不存在的环节“reply”"):
        check_clocks("信访", ["register", "handle"], [HANDLING])
    with pytest.raises(FlowDefinitionError, match="重复"):
        check_clocks("信访", ["register"], [ACCEPTANCE, ACCEPTANCE])
    with pytest.raises(FlowDefinitionError, match="至少为1天"):
        ClockExtension(0, frozenset({"director"}))
    with pytest.raises(FlowDefinitionError, match="审批人"):
        ClockExtension(30, frozenset())


_STEPS = st.lists(
    st.tuples(st.integers(0, 9), st.sampled_from(["pause", "resume", "extend", "wait"])), max_size=12
)


@settings(max_examples=150, deadline=None)
@given(steps=_STEPS, clock=st.sampled_from([HANDLING, WORKDAYS]))
def test_a_clock_never_runs_backwards_and_stands_still_while_paused(
    steps: list[tuple[int, str]], clock: Clock
) -> None:
    day = date(2026, 9, 25)  # the 国庆 holidays fall inside the walk
    events = [ClockEvent("start", day)]
    previous = read_clock(clock, events, CALENDAR, day)
    for gap, kind in steps:
        day += timedelta(days=gap)
        if kind != "wait":
            candidate = ClockEvent(kind, day, 3 if kind == "extend" else 0, "理由")  # type: ignore[arg-type]
            try:
                read_clock(clock, [*events, candidate], CALENDAR, day)
            except ClockError:
                pass  # a refused event leaves the history as it was
            else:
                events.append(candidate)
        reading = read_clock(clock, events, CALENDAR, day)
        assert reading.used >= previous.used, "a clock never runs backwards"
        if previous.phase == "paused" and reading.phase == "paused":
            assert reading.used == previous.used, "a paused clock does not run"
        if reading.phase == "running":
            assert reading.due is not None and reading.due.date > reading.started  # type: ignore[operator]
        previous = reading


def _petition_flow(*clocks: Clock) -> Flow:
    """A small test flow shaped like 信访's: 登记 → 办理 → 答复 → 办结."""
    anyone = roles(ANY_ROLE)
    return Flow(
        key="test_petition", label="测试信访", start="register",
        steps=(
            Step("register", "登记", anyone), Step("handle", "办理", anyone), Step("reply", "答复", anyone),
            Step("done", "办结", frozenset(), final=True),
        ),
        transitions=(
            Transition("register", "accept", "handle", "受理"),
            Transition("handle", "handled", "reply", "办理完毕"),
            Transition("reply", "return", "handle", "退回重办", kind="return"),
            Transition("reply", "reply", "done", "答复"),
        ),
        clocks=clocks,
    )


def test_a_flow_declares_its_clocks_and_keeps_them_through_its_stored_form() -> None:
    flow = _petition_flow(ACCEPTANCE, HANDLING)
    assert flow.clock("handling") is HANDLING
    with pytest.raises(WorkflowError, match="没有“missing”时限"):
        flow.clock("missing")
    stored = flow_to_dict(flow)
    assert [c["key"] for c in stored["clocks"]] == ["acceptance", "handling"]
    again = flow_from_dict(json.loads(json.dumps(stored)))
    assert again.clocks == (ACCEPTANCE, HANDLING)
    assert flow_to_dict(again) == stored


def test_a_flow_with_a_broken_clock_is_refused_when_declared() -> None:
    stray = Clock("stray", "答复时限", "handle", "appeal", TimeLimit(30, "day"))
    with pytest.raises(FlowDefinitionError, match="“答复时限”指向不存在的环节“appeal”"):
        _petition_flow(stray)
    with pytest.raises(FlowDefinitionError, match="重复"):
        _petition_flow(HANDLING, HANDLING)
    stored = flow_to_dict(_petition_flow(HANDLING))
    stored["clocks"][0]["extension"]["max_amount"] = 0
    with pytest.raises(FlowDefinitionError, match="至少为1天"):
        flow_from_dict(stored)


def test_flows_without_clocks_are_stored_as_before() -> None:
    without = [flow for flow in DEFAULT_FLOWS.values() if not flow.clocks]
    assert without, "the built-in flows without clocks"
    for flow in without:
        assert "clocks" not in flow_to_dict(flow)
        assert flow_from_dict(flow_to_dict(flow)).clocks == ()


def test_the_built_in_flows_with_clocks_keep_them_when_stored() -> None:
    with_clocks = [flow for flow in DEFAULT_FLOWS.values() if flow.clocks]
    assert {flow.key for flow in with_clocks} == {"petition", "petition_review"}
    for flow in with_clocks:
        assert flow_from_dict(flow_to_dict(flow), flow.predicates).clocks == flow.clocks


def test_a_clocks_span_keeps_a_return_inside_it_from_stopping_or_restarting_it() -> None:
    from app.core.workflow.clocks import clock_span, clock_spans

    flow = _petition_flow(ACCEPTANCE, HANDLING)
    assert clock_span(flow, HANDLING) == {"handle", "reply"}
    assert clock_span(flow, ACCEPTANCE) == {"register"}
    spans = clock_spans(flow)
    day = date(2026, 3, 5)
    # 退回重办 (答复 → 办理) stays inside 办理时限: without spans it would stop and start it.
    assert events_on_move(flow.clocks, "reply", "handle", day, spans) == []
    assert [e.kind for _, e in events_on_move(flow.clocks, "reply", "handle", day)] == ["stop", "start"]
    assert events_on_move(flow.clocks, "reply", "done", day, spans) == [(HANDLING, ClockEvent("stop", day))]
    assert events_on_move(flow.clocks, "register", "handle", day, spans) == [
        (ACCEPTANCE, ClockEvent("stop", day)), (HANDLING, ClockEvent("start", day)),
    ]
