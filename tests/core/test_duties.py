"""Recurring duties (app.core.workflow.duties), the links' kinds (app.core.workflow.links) and the parallel work a
transition waits for (Transition.waits_for, app.core.workflow.parallel): declared in a flow, checked when it is
declared, kept in its stored form, and, over random days, next_due always lands on a working day a rhythm on."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.calendar import WorkCalendar
from app.core.errors import ValidationError, WorkflowError
from app.core.workflow import DEFAULT_FLOWS, Flow, Step, Transition, flow_from_dict, flow_to_dict, roles
from app.core.workflow.duties import (
    MONTHLY,
    NEXT_WORKDAY,
    WEEKLY,
    Duty,
    Rhythm,
    add_months,
    duties_entered,
    duties_left,
    next_due,
)
from app.core.workflow.engine import PENDING_WORK_FACT, FlowDefinitionError
from app.core.workflow.links import LINK_KINDS, label_from, link_kind
from app.core.workflow.parallel import PendingWork, describe_waiting, waiting_on

CALENDAR = WorkCalendar()
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def _flow(duties: tuple[Duty, ...] = (), waits_for: str = "") -> Flow:
    return Flow(
        key="duty_test", label="督办", start="register",
        steps=(Step("register", "登记", roles("secretary")), Step("handle", "承办", roles("secretary")),
               Step("review", "审核", roles("director")), Step("closed", "已销号", frozenset(), final=True)),
        transitions=(
            Transition("register", "submit", "handle", "交办"),
            Transition("handle", "done", "review", "报请审核", waits_for=waits_for),  # type: ignore[arg-type]
            Transition("review", "approve", "closed", "销号"),
            Transition("review", "return", "handle", "退回", kind="return"),
        ),
        duties=duties,
    )


# ----- rhythms and due dates ---------------------------------------------------------------------------------

def test_rhythms_describe_themselves_in_chinese() -> None:
    assert [r.describe() for r in (WEEKLY, Rhythm("weekly", 2), MONTHLY, Rhythm("monthly", 3), NEXT_WORKDAY)] == [
        "每周", "每2周", "每月", "每3个月", "1个工作日内"]
    assert Duty("p", "进展汇报", "handle", "handle").describe() == "进展汇报：每周由责任人汇报"


@pytest.mark.parametrize(("kind", "every"), [("daily", 1), ("weekly", 0), ("monthly", 7), ("workdays", 61)])
def test_a_rhythm_out_of_range_is_refused(kind: str, every: int) -> None:
    with pytest.raises(FlowDefinitionError):
        Rhythm(kind, every)  # type: ignore[arg-type]


def test_weekly_and_monthly_dues_move_off_rest_days() -> None:
    # Friday 2026-09-25 + 7 days = Friday 2026-10-02, 国庆: the report is due on the first working day after.
    due = next_due(WEEKLY, date(2026, 9, 25), CALENDAR)
    assert due.date > date(2026, 10, 2) and CALENDAR.is_workday(due.date)
    assert next_due(WEEKLY, date(2026, 3, 2), CALENDAR).date == date(2026, 3, 9)
    assert next_due(MONTHLY, date(2026, 3, 10), CALENDAR).date == date(2026, 4, 10)
    # 31 January → 28 February; in 2027 a Sunday, so the next working day.
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert next_due(MONTHLY, date(2027, 1, 31), CALENDAR).date == date(2027, 3, 1)
    assert next_due(NEXT_WORKDAY, date(2026, 3, 6), CALENDAR).date == date(2026, 3, 9)


@settings(max_examples=200, deadline=None)
@given(after=DAYS, kind=st.sampled_from(["weekly", "monthly", "workdays"]), every=st.integers(1, 6))
def test_the_next_due_date_is_a_working_day_one_rhythm_on(after: date, kind: str, every: int) -> None:
    rhythm = Rhythm(kind, every)  # type: ignore[arg-type]
    due = next_due(rhythm, after, CALENDAR).date
    assert due > after and CALENDAR.is_workday(due)
    if kind == "workdays":
        assert CALENDAR.workdays_between(after, due) == every
        return
    nominal = after + timedelta(days=7 * every) if kind == "weekly" else add_months(after, every)
    # Never before a full rhythm, and moved on only past rest days.
    assert due >= nominal
    assert all(not CALENDAR.is_workday(nominal + timedelta(days=d)) for d in range((due - nominal).days))


@settings(max_examples=100, deadline=None)
@given(after=DAYS, every=st.integers(1, 6))
def test_a_monthly_due_keeps_the_day_of_the_month_where_the_month_has_it(after: date, every: int) -> None:
    end = add_months(after, every)
    assert (end.year * 12 + end.month) - (after.year * 12 + after.month) == every
    assert end.day == after.day or end.day < after.day and (end + timedelta(days=1)).day == 1


# ----- declared in the flow ----------------------------------------------------------------------------------

def test_duties_start_on_entering_and_stop_on_leaving() -> None:
    progress = Duty("progress", "进展汇报", "handle", "review")
    assert duties_entered([progress], None, "register") == []
    # A record that starts at the duty's first step (from_state None) starts it at once.
    assert duties_entered([progress], None, "handle") == [progress]
    assert duties_entered([progress], "register", "handle") == [progress]
    assert duties_entered([progress], "handle", "handle") == []
    assert duties_left([progress], "handle", "review") == []
    assert duties_left([progress], "review", "closed") == [progress]
    assert duties_left([progress], "review", "handle") == [progress]


@pytest.mark.parametrize(("duties", "words"), [
    ((Duty("p", "进展汇报", "nowhere", "handle"),), "不存在的环节“nowhere”"),
    ((Duty("p", "进展汇报", "handle", "handle"), Duty("p", "进展汇报", "register", "handle")), "重复"),
    ((Duty("p", "进展汇报", "handle", "closed"),), "不能在结束环节"),
])
def test_a_flow_with_a_broken_duty_is_refused_when_declared(duties: tuple[Duty, ...], words: str) -> None:
    with pytest.raises(FlowDefinitionError, match=words):
        _flow(duties)


def test_a_holder_that_is_neither_the_responsible_person_nor_the_unit_is_refused() -> None:
    with pytest.raises(FlowDefinitionError, match="汇报人"):
        Duty("p", "进展汇报", "handle", "handle", "leader")  # type: ignore[arg-type]


def test_a_transition_waiting_for_something_unknown_is_refused() -> None:
    with pytest.raises(FlowDefinitionError, match="并行事项"):
        _flow(waits_for="most")


def test_duties_and_waits_for_are_kept_in_the_stored_form() -> None:
    flow = _flow((Duty("p", "进展汇报", "handle", "handle", "unit", Rhythm("monthly", 2)),), waits_for="lead")
    stored = json.loads(json.dumps(flow_to_dict(flow), ensure_ascii=False))
    assert stored["duties"][0]["rhythm"] == {"kind": "monthly", "every": 2}
    assert flow_from_dict(stored) == flow


def test_a_flow_without_them_is_stored_exactly_as_before() -> None:
    plain = (f for f in DEFAULT_FLOWS.values() if not f.duties and not any(t.waits_for for t in f.transitions))
    for flow in (*plain, _flow()):
        stored = flow_to_dict(flow)
        assert "duties" not in stored
        assert all("waits_for" not in t for t in stored["transitions"])
        assert flow_from_dict(stored, flow.predicates) == flow


# ----- waiting for parallel work ----------------------------------------------------------------------------

FIN, EDU = PendingWork("县财政局", True), PendingWork("县教育局", False)


def test_waiting_for_all_or_for_the_lead() -> None:
    assert waiting_on("all", [FIN, EDU]) == [FIN, EDU]
    assert waiting_on("lead", [EDU]) == []
    assert waiting_on("", [FIN]) == []
    assert describe_waiting("all", [FIN, EDU]) == "县财政局、县教育局尚未办结"
    assert describe_waiting("lead", [FIN, EDU]) == "主办单位县财政局尚未办结"


@pytest.mark.parametrize(("waits_for", "pending", "refusal"), [
    ("all", (FIN, EDU), "暂不能报请审核：县财政局、县教育局尚未办结"),
    ("all", (EDU,), "暂不能报请审核：县教育局尚未办结"),
    ("lead", (FIN, EDU), "暂不能报请审核：主办单位县财政局尚未办结"),
])
def test_a_move_waits_and_says_who_has_not_finished(waits_for: str, pending: tuple[PendingWork, ...],
                                                    refusal: str) -> None:
    flow = _flow(waits_for=waits_for)
    with pytest.raises(WorkflowError) as refused:
        flow.resolve("handle", "done", {"secretary"}, {PENDING_WORK_FACT: pending})
    assert refused.value.message == refusal
    assert flow.available("handle", {"secretary"}, {PENDING_WORK_FACT: pending}) == []


def test_a_move_goes_once_the_work_it_waits_for_is_done() -> None:
    assert _flow(waits_for="all").resolve("handle", "done", {"secretary"}, {PENDING_WORK_FACT: ()}).target == "review"
    lead = _flow(waits_for="lead")
    assert lead.resolve("handle", "done", {"secretary"}, {PENDING_WORK_FACT: (EDU,)}).target == "review"


def test_without_the_fact_the_work_is_not_known_to_be_done() -> None:
    flow = _flow(waits_for="all")
    with pytest.raises(WorkflowError, match="各单位均已办结"):
        flow.resolve("handle", "done", {"secretary"}, {})
    assert _flow().resolve("handle", "done", {"secretary"}, {}).target == "review"


# ----- the kinds of link ------------------------------------------------------------------------------------

def test_each_kind_reads_from_both_ends() -> None:
    review = link_kind("review")
    assert (label_from(review, True), label_from(review, False)) == ("复查件", "被复查件")
    # Each kind is told apart from the source's end (a 督办事项 may come from a decision or from a document).
    assert len({k.source_label for k in LINK_KINDS.values()}) == len(LINK_KINDS)
    with pytest.raises(ValidationError, match="可选：复查、复核"):
        link_kind("cousin")
