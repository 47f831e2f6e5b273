"""The study rotation's fairness over a term with holidays (春节, 清明, 劳动节, 国庆 Mondays) and absences, and a
rotation remade in the middle of the term from the sessions already held (app.core.information.rotation)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.calendar import HolidayOverrides, WorkCalendar
from app.core.errors import ValidationError
from app.core.information.rotation import (
    TOPICS,
    Session,
    mondays,
    rotation,
    skipped_mondays,
    study_mondays,
)

CAL = WorkCalendar()
STAFF = ["张文秘", "孙接待", "赵文秘", "钱会计", "吴科员", "郑科员"]
# A year's worth of Mondays in 2026: 春节 (2/16, 2/23), 清明 (4/6), 劳动节 (5/4) and 国庆 (10/5) fall on Mondays.
TERM = (date(2026, 1, 5), date(2026, 12, 28))
HOLIDAY_MONDAYS = {date(2026, 2, 16), date(2026, 2, 23), date(2026, 4, 6), date(2026, 5, 4), date(2026, 10, 5)}
ALL_MONDAYS = mondays(*TERM)
STUDY_DAYS = study_mondays(*TERM, CAL)

absence_weeks = st.dictionaries(st.sampled_from(STAFF), st.sets(st.integers(0, len(ALL_MONDAYS) - 1), max_size=15),
                                max_size=4)


def _absences(away: dict[str, set[int]]) -> dict[str, frozenset[date]]:
    return {name: frozenset(ALL_MONDAYS[w] for w in weeks) for name, weeks in away.items()}


def _spread(counts: Counter[str], names: list[str]) -> int:
    values = [counts[n] for n in names]
    return max(values) - min(values) if values else 0


def test_the_holiday_mondays_have_no_session_and_say_why() -> None:
    assert HOLIDAY_MONDAYS <= set(ALL_MONDAYS)
    assert not HOLIDAY_MONDAYS & set(STUDY_DAYS)
    assert len(STUDY_DAYS) == len(ALL_MONDAYS) - len(HOLIDAY_MONDAYS)
    reasons = {s.on: s.reason for s in skipped_mondays(*TERM, CAL)}
    assert reasons == {date(2026, 2, 16): "春节放假", date(2026, 2, 23): "春节放假", date(2026, 4, 6): "清明节放假",
                       date(2026, 5, 4): "劳动节放假", date(2026, 10, 5): "国庆节放假"}


def test_a_monday_made_a_working_day_gets_a_session_and_one_made_a_holiday_none() -> None:
    # The office's calendar makes 10/5 a working day (调休) and 9/14 a rest day.
    cal = WorkCalendar(HolidayOverrides(workdays=frozenset({date(2026, 10, 5)}),
                                        holidays=frozenset({date(2026, 9, 14)})))
    days = [s.on for s in rotation(STAFF, date(2026, 9, 1), date(2026, 10, 31), cal)]
    assert date(2026, 10, 5) in days
    assert date(2026, 9, 14) not in days
    skipped = skipped_mondays(date(2026, 9, 1), date(2026, 10, 31), cal)
    assert [(s.on, s.reason) for s in skipped] == [(date(2026, 9, 14), "节假日放假")]


def test_a_term_with_no_absences_goes_round_the_staff_and_the_topics() -> None:
    sessions = rotation(STAFF, *TERM, CAL)
    assert [s.on for s in sessions] == STUDY_DAYS
    assert [s.presenter for s in sessions] == [STAFF[i % len(STAFF)] for i in range(len(sessions))]
    assert [s.topic for s in sessions] == [TOPICS[i % len(TOPICS)] for i in range(len(sessions))]


@settings(max_examples=200, deadline=None)
@given(absence_weeks)
def test_fair_over_a_term_with_holidays_and_absences(away: dict[str, set[int]]) -> None:
    absences = _absences(away)
    sessions = rotation(STAFF, *TERM, CAL, absences)
    everyone_away = {m for m in STUDY_DAYS if all(m in absences.get(n, frozenset()) for n in STAFF)}
    assert [s.on for s in sessions] == [m for m in STUDY_DAYS if m not in everyone_away]
    assert not {s.on for s in sessions} & HOLIDAY_MONDAYS
    assert all(s.on not in absences.get(s.presenter, frozenset()) for s in sessions)
    always_there = [n for n in STAFF if not absences.get(n)]
    assert _spread(Counter(s.presenter for s in sessions), always_there) <= 1


@settings(max_examples=200, deadline=None)
@given(absence_weeks, st.integers(0, len(STUDY_DAYS)))
def test_remade_mid_term_from_what_was_held_it_is_the_same_rotation(away: dict[str, set[int]], held: int) -> None:
    absences = _absences(away)
    whole = rotation(STAFF, *TERM, CAL, absences)
    history = whole[:held]
    start = date(2026, 12, 29) if held >= len(whole) else whole[held].on
    rest = rotation(STAFF, start, TERM[1], CAL, absences, history=history) if start <= TERM[1] else []
    assert history + rest == whole


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*STAFF, "已调离的人"]), max_size=12), absence_weeks)
def test_remade_after_stand_ins_it_never_widens_the_gap(held_by: list[str], away: dict[str, set[int]]) -> None:
    """Whatever the sessions held were (stand-ins, a person since gone), the remade rest never leaves two people
    who are never absent further apart than the history did, or one session."""
    history = [Session(ALL_MONDAYS[i], name, TOPICS[0]) for i, name in enumerate(held_by)]
    start = ALL_MONDAYS[len(held_by)]
    absences = {n: frozenset(d for d in days if d >= start) for n, days in _absences(away).items()}
    rest = rotation(STAFF, start, TERM[1], CAL, absences, history=history)
    always_there = [n for n in STAFF if not absences.get(n)]
    before = Counter(s.presenter for s in history)
    after = before + Counter(s.presenter for s in rest)
    assert _spread(after, always_there) <= max(1, _spread(before, always_there))
    assert all(s.on not in absences.get(s.presenter, frozenset()) for s in rest)
    # The topics go on from the sessions held.
    if rest:
        assert rest[0].topic == TOPICS[len(history) % len(TOPICS)]


def test_an_uneven_history_is_evened_out() -> None:
    history = [Session(ALL_MONDAYS[i], "张文秘", TOPICS[0]) for i in range(3)]
    rest = rotation(STAFF, ALL_MONDAYS[3], TERM[1], CAL, history=history)
    assert "张文秘" not in [s.presenter for s in rest[: 2 * (len(STAFF) - 1)]]
    counts = Counter(s.presenter for s in [*history, *rest])
    assert _spread(counts, STAFF) <= 1


def test_bad_input() -> None:
    with pytest.raises(ValidationError, match="请先设置参加轮讲的人员"):
        rotation([], *TERM, CAL)
    with pytest.raises(ValidationError, match="重复"):
        rotation(["张", "张"], *TERM, CAL)
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        rotation(STAFF, TERM[1], TERM[0], CAL)
    with pytest.raises(ValidationError, match="学习主题"):
        rotation(STAFF, *TERM, CAL, topics=())
    with pytest.raises(ValidationError, match="已举行的学习"):
        rotation(STAFF, date(2026, 3, 2), TERM[1], CAL, history=[Session(date(2026, 3, 2), "张文秘", "案例解剖")])
