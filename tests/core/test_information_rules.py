"""信息调研's rules without a database: points, quotas at week and half-year boundaries, and the study rotation."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.calendar import WorkCalendar
from app.core.errors import ValidationError
from app.core.information.points import DEFAULT_POINTS, checked_table, points_for
from app.core.information.quotas import (
    half_year_result,
    loses_eligibility,
    week_half_year,
    week_quota,
    weeks_of_half_year,
)
from app.core.information.rotation import TOPICS, rotation, study_mondays

CAL = WorkCalendar()


# ----- points ------------------------------------------------------------------------------------------------

def test_the_default_table_and_a_changed_one() -> None:
    assert [points_for(level) for level in ("市级", "省级", "国家级")] == [3, 5, 10]
    changed = checked_table({"市级": 2, "省级": 6, "国家级": 12})
    assert points_for("省级", changed) == 6 and DEFAULT_POINTS["省级"] == 5
    with pytest.raises(ValidationError, match="采用层级“县级”无效"):
        points_for("县级")


@pytest.mark.parametrize(("table", "message"), [
    ({"市级": 3, "省级": 5}, "“国家级”的分值应为整数"),
    ({"市级": 3, "省级": -1, "国家级": 10}, "“省级”的分值应为0至100分"),
    ({"市级": 3.5, "省级": 5, "国家级": 10}, "“市级”的分值应为整数"),
    ({"市级": 3, "省级": 5, "国家级": 10, "县级": 1}, "没有“县级”"),
])
def test_a_table_that_cannot_be_saved(table: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        checked_table(table)


# ----- quotas ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("monday", "quota"), [
    (date(2026, 2, 9), 5),  # five working days and a make-up Saturday: no more than a full week
    (date(2026, 2, 16), 0),  # the Spring Festival: no working day
    (date(2026, 2, 23), 5),  # Monday off, Saturday a make-up day
    (date(2026, 9, 28), 3),  # three working days before 国庆
    (date(2026, 10, 5), 3),  # 10/8, 10/9 and the make-up 10/10
    (date(2026, 12, 7), 5),
])
def test_a_week_cut_by_holidays_asks_less(monday: date, quota: int) -> None:
    assert week_quota(monday, CAL) == quota


def test_a_week_belongs_to_the_half_year_of_its_thursday() -> None:
    assert week_half_year(date(2026, 6, 29)) == (2026, 2)  # Thursday 7/2
    assert week_half_year(date(2025, 12, 29)) == (2026, 1)  # Thursday 2026-01-01
    first = weeks_of_half_year(2026, 1)
    second = weeks_of_half_year(2026, 2)
    assert first[0] == date(2025, 12, 29) and first[-1] == date(2026, 6, 22)
    assert second[0] == date(2026, 6, 29) and not set(first) & set(second)
    # 2026 begins on a Thursday: it has 53 weeks, the last from 12/28.
    assert len(first) + len(second) == 53 and second[-1] == date(2026, 12, 28)


def test_a_half_year_met_missed_and_still_open() -> None:
    weeks = weeks_of_half_year(2026, 2)
    items = [monday + timedelta(days=d) for monday in weeks for d in range(week_quota(monday, CAL))]
    met = half_year_result(2026, 2, items, [date(2026, 9, 1)], CAL, today=date(2027, 1, 10))
    assert not met.missed and met.items == len(items) and met.label == "2026年下半年"
    # One item short in the 国庆 week, and no article.
    short = [d for d in items if d != date(2026, 9, 30)]
    missed = half_year_result(2026, 2, short, [], CAL, today=date(2027, 1, 10))
    assert missed.weeks_missed == 1 and missed.articles_missed and loses_eligibility([met, missed])
    # Mid-half-year the current week and the article are not missed yet.
    open_half = half_year_result(2026, 2, [], [], CAL, today=date(2026, 7, 1))
    assert open_half.weeks_missed == 0 and not open_half.articles_missed and not loses_eligibility([open_half])
    # An item of the week that belongs to the next half-year does not count here.
    edge = half_year_result(2026, 1, [date(2026, 6, 30)], [], CAL, today=date(2026, 12, 1))
    assert edge.items == 0


# ----- rotation ------------------------------------------------------------------------------------------------

STAFF = ["张", "王", "李", "赵", "刘"]
TERM = (date(2026, 9, 1), date(2027, 1, 15))


def test_mondays_on_holiday_have_no_session() -> None:
    mondays = study_mondays(date(2026, 9, 28), date(2026, 10, 12), CAL)
    assert mondays == [date(2026, 9, 28), date(2026, 10, 12)]  # 10/5 is in the 国庆 holiday


def test_an_absent_person_keeps_the_turn() -> None:
    sessions = rotation(STAFF, *TERM, CAL, {"张": frozenset({date(2026, 9, 7)})})
    assert [s.presenter for s in sessions[:3]] == ["王", "张", "李"]
    assert [s.topic for s in sessions[:2]] == list(TOPICS[:2])


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(STAFF[:2]), st.sets(st.integers(0, 20), max_size=6), max_size=2))
def test_the_rotation_is_fair_to_those_never_absent(away_weeks: dict[str, set[int]]) -> None:
    mondays = study_mondays(*TERM, CAL)
    absences = {name: frozenset(mondays[w] for w in weeks if w < len(mondays)) for name, weeks in away_weeks.items()}
    sessions = rotation(STAFF, *TERM, CAL, absences)
    assert len(sessions) == len(mondays)
    assert all(s.on not in absences.get(s.presenter, frozenset()) for s in sessions)
    counts = Counter(s.presenter for s in sessions)
    always_there = [n for n in STAFF if not absences.get(n)]
    there = [counts[n] for n in always_there]
    assert max(there) - min(there) <= 1


def test_a_rotation_needs_people_and_a_term() -> None:
    with pytest.raises(ValidationError, match="请先设置参加轮讲的人员"):
        rotation([], *TERM, CAL)
    with pytest.raises(ValidationError, match="重复"):
        rotation(["张", "张"], *TERM, CAL)
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        rotation(STAFF, TERM[1], TERM[0], CAL)
