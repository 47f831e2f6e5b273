"""Working days and deadlines (民法典 Arts. 201, 203)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.calendar import Deadline, HolidayOverrides, WorkCalendar, deadline

CAL = WorkCalendar()
# Far enough ahead that chinesecalendar will not know it for a long time.
FAR_YEAR = 2099
D = date


def _unknown_2027() -> bool:
    return not CAL.is_known(date(2027, 1, 4))


needs_unknown_2027 = pytest.mark.skipif(
    not _unknown_2027(), reason="chinesecalendar now has 2027 data; provisional case no longer applies"
)


# --- 2026 facts from DOMAIN.md ----------------------------------------------------------------

MAKE_UP_DAYS_2026 = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
                     D(2026, 10, 10)]
SPRING_FESTIVAL_2026 = [D(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 2/15–2/23
NATIONAL_DAY_2026 = [D(2026, 10, 1) + timedelta(days=i) for i in range(7)]  # 10/1–10/7


@pytest.mark.parametrize("day", MAKE_UP_DAYS_2026, ids=str)
def test_2026_make_up_days_are_workdays(day: date) -> None:
    assert day.weekday() >= 5  # they are weekend days made into working days
    assert CAL.is_workday(day)
    assert CAL.is_known(day)


@pytest.mark.parametrize("day", SPRING_FESTIVAL_2026 + NATIONAL_DAY_2026, ids=str)
def test_2026_holidays_are_off(day: date) -> None:
    assert not CAL.is_workday(day)


def test_ordinary_2026_days() -> None:
    assert CAL.is_workday(D(2026, 3, 3))  # Tuesday
    assert not CAL.is_workday(D(2026, 3, 7))  # Saturday
    assert CAL.is_workday(D(2026, 10, 8))


@pytest.mark.parametrize(
    ("start", "days", "unit", "expected"),
    [
        # The last day 10/1 is a holiday: the period ends on the next working day.
        (D(2026, 9, 30), 1, "day", D(2026, 10, 8)),
        (D(2026, 9, 25), 7, "day", D(2026, 10, 8)),
        # Friday + 1 working day is the Saturday make-up day.
        (D(2026, 2, 13), 1, "workday", D(2026, 2, 14)),
        (D(2026, 2, 14), 1, "workday", D(2026, 2, 24)),
        # A period ending on a make-up Saturday ends there.
        (D(2026, 2, 13), 1, "day", D(2026, 2, 14)),
        (D(2026, 9, 30), 1, "workday", D(2026, 10, 8)),
        (D(2026, 9, 30), 2, "workday", D(2026, 10, 9)),
        (D(2026, 9, 30), 3, "workday", D(2026, 10, 10)),
        # Counting starts the day after the start date.
        (D(2026, 3, 2), 1, "day", D(2026, 3, 3)),
        (D(2026, 3, 2), 5, "workday", D(2026, 3, 9)),
        # 15-day acceptance period, 60-day completion period.
        (D(2026, 3, 2), 15, "day", D(2026, 3, 17)),
        (D(2026, 3, 2), 60, "day", D(2026, 5, 6)),  # 5/1 is a holiday; 5/1–5/5 off
        (D(2026, 3, 3), 0, "day", D(2026, 3, 3)),
        (D(2026, 3, 7), 0, "day", D(2026, 3, 7)),  # unchanged, even on a Saturday
        (D(2026, 3, 7), 0, "workday", D(2026, 3, 7)),
    ],
)
def test_known_deadlines(start: date, days: int, unit: str, expected: date) -> None:
    assert deadline(start, days, unit) == Deadline(expected, provisional=False)


@needs_unknown_2027
def test_deadline_reaching_unknown_year_is_provisional() -> None:
    assert deadline(D(2026, 12, 20), 15, "day") == Deadline(D(2027, 1, 4), provisional=True)
    assert deadline(D(2026, 12, 30), 5, "workday").provisional


def test_deadline_within_known_year_near_its_end_is_not_provisional() -> None:
    assert deadline(D(2026, 12, 20), 5, "day") == Deadline(D(2026, 12, 25), provisional=False)


def test_unknown_year_uses_weekends() -> None:
    cal = WorkCalendar()
    assert not cal.is_known(D(FAR_YEAR, 6, 1))
    assert cal.is_workday(D(FAR_YEAR, 6, 1))  # Monday
    assert not cal.is_workday(D(FAR_YEAR, 6, 6))  # Saturday
    # Friday + 1 day = Saturday → Monday.
    assert deadline(D(FAR_YEAR, 6, 5), 1, "day") == Deadline(D(FAR_YEAR, 6, 8), provisional=True)
    assert deadline(D(FAR_YEAR, 6, 5), 1, "workday") == Deadline(D(FAR_YEAR, 6, 8), provisional=True)
    assert deadline(D(FAR_YEAR, 6, 5), 0, "workday") == Deadline(D(FAR_YEAR, 6, 5), provisional=True)
    assert deadline(D(FAR_YEAR, 6, 5), 0, "day") == Deadline(D(FAR_YEAR, 6, 5), provisional=True)


# Fixed-date statutory holidays (元旦, 劳动节, 国庆 10/1–10/3): the law sets them whatever the yearly notice adds.
FIXED_HOLIDAYS = ((1, 1), (5, 1), (10, 1), (10, 2), (10, 3))


@pytest.mark.parametrize(("month", "day"), FIXED_HOLIDAYS, ids=lambda v: str(v))
def test_unknown_year_rests_on_fixed_statutory_holidays(month: int, day: int) -> None:
    # 2100 is far from published; its 1/1 is a Friday, 5/1 a Saturday, 10/1 a Friday.
    for year in (FAR_YEAR, 2100, 2101):
        assert not CAL.is_known(D(year, month, day))
        assert not CAL.is_workday(D(year, month, day)), f"{year}-{month}-{day}"


def test_deadline_over_new_year_of_unknown_year_skips_yuandan() -> None:
    # 2098-12-31 is a Wednesday: the next working day is Friday 2099-01-02, not 元旦 (Thursday).
    assert D(FAR_YEAR, 1, 1).weekday() == 3
    assert deadline(D(FAR_YEAR - 1, 12, 31), 1, "workday") == Deadline(D(FAR_YEAR, 1, 2), provisional=True)
    # A calendar-day period ending on 元旦 moves to the next working day.
    assert deadline(D(FAR_YEAR - 1, 12, 30), 2, "day") == Deadline(D(FAR_YEAR, 1, 2), provisional=True)
    # 国庆: Thursday 2099-10-01 to Saturday 10/3 are off; Monday 10/5 is the next working day.
    assert deadline(D(FAR_YEAR, 9, 30), 1, "workday") == Deadline(D(FAR_YEAR, 10, 5), provisional=True)
    assert CAL.workdays_between(D(FAR_YEAR, 4, 30), D(FAR_YEAR, 5, 4)) == 1  # 5/1 Fri off, 5/4 Mon


@needs_unknown_2027
def test_yuandan_2027_is_a_rest_day_and_provisional() -> None:
    # 2027-01-01 is a Friday: the day after 2026-12-31 (Thursday) counts 1/4, marked 待国务院公布.
    assert not CAL.is_workday(D(2027, 1, 1))
    assert deadline(D(2026, 12, 31), 1, "workday") == Deadline(D(2027, 1, 4), provisional=True)
    assert deadline(D(2026, 12, 31), 1, "day") == Deadline(D(2027, 1, 4), provisional=True)


def test_administrator_can_make_a_fixed_holiday_a_working_day() -> None:
    # The administrator's entries win, as they do over the official data.
    overrides = HolidayOverrides(workdays=frozenset({D(FAR_YEAR, 10, 3)}))
    assert WorkCalendar(overrides).is_workday(D(FAR_YEAR, 10, 3))  # a Saturday made a working day


def test_overrides_apply_in_unknown_years() -> None:
    overrides = HolidayOverrides(
        holidays=frozenset({D(FAR_YEAR, 6, 8), D(FAR_YEAR, 6, 9)}),
        workdays=frozenset({D(FAR_YEAR, 6, 6)}),
    )
    cal = WorkCalendar(overrides)
    assert cal.is_workday(D(FAR_YEAR, 6, 6))
    assert not cal.is_workday(D(FAR_YEAR, 6, 8))
    assert deadline(D(FAR_YEAR, 6, 5), 1, "day", overrides) == Deadline(D(FAR_YEAR, 6, 6), True)
    assert deadline(D(FAR_YEAR, 6, 5), 2, "workday", overrides) == Deadline(D(FAR_YEAR, 6, 10), True)
    assert deadline(D(FAR_YEAR, 6, 6), 1, "day", overrides) == Deadline(D(FAR_YEAR, 6, 10), True)


def test_overrides_win_over_known_years() -> None:
    overrides = HolidayOverrides(holidays=frozenset({D(2026, 10, 8)}), workdays=frozenset({D(2026, 10, 3)}))
    cal = WorkCalendar(overrides)
    assert not cal.is_workday(D(2026, 10, 8))
    assert cal.is_workday(D(2026, 10, 3))
    # 10/1 is off, 10/2 is off, 10/3 now a working day.
    assert deadline(D(2026, 9, 30), 1, "day", overrides) == Deadline(D(2026, 10, 3), False)
    assert deadline(D(2026, 9, 30), 2, "workday", overrides) == Deadline(D(2026, 10, 9), False)
    only_holiday = HolidayOverrides(holidays=frozenset({D(2026, 10, 8)}))
    assert deadline(D(2026, 9, 30), 1, "day", only_holiday) == Deadline(D(2026, 10, 9), False)


def test_overrides_accept_iterables_and_refuse_clashes() -> None:
    overrides = HolidayOverrides(holidays={D(2026, 3, 3)}, workdays=[D(2026, 3, 7)])  # type: ignore[arg-type]
    assert isinstance(overrides.holidays, frozenset)
    assert hash(overrides) == hash(
        HolidayOverrides(frozenset({D(2026, 3, 3)}), frozenset({D(2026, 3, 7)}))
    )
    with pytest.raises(ValueError):
        HolidayOverrides(holidays=frozenset({D(2026, 3, 3)}), workdays=frozenset({D(2026, 3, 3)}))


@pytest.mark.parametrize(
    ("days", "unit"),
    [(-1, "day"), (-1, "workday"), (1, "week"), (1, "工作日"), (1, "")],
)
def test_deadline_refuses(days: int, unit: str) -> None:
    with pytest.raises(ValueError):
        deadline(D(2026, 3, 3), days, unit)


def test_deadline_refuses_non_int_days() -> None:
    with pytest.raises(TypeError):
        deadline(D(2026, 3, 3), 1.5, "day")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        deadline(D(2026, 3, 3), True, "day")


def test_datetime_is_treated_as_its_date() -> None:
    result = deadline(datetime(2026, 9, 30, 17, 45), 1, "day")
    assert result == Deadline(D(2026, 10, 8), False)
    assert type(result.date) is date


def test_next_workday() -> None:
    assert CAL.next_workday(D(2026, 9, 30)) == D(2026, 10, 8)
    assert CAL.next_workday(D(2026, 2, 13)) == D(2026, 2, 14)
    assert CAL.next_workday(D(2026, 3, 2)) == D(2026, 3, 3)  # strictly after


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 9, 30), D(2026, 10, 8), 1),
        (D(2026, 9, 30), D(2026, 10, 10), 3),
        (D(2026, 2, 13), D(2026, 2, 24), 2),  # 2/14 make-up day and 2/24
        (D(2026, 3, 2), D(2026, 3, 2), 0),
        (D(2026, 3, 3), D(2026, 3, 2), 0),
        (D(2026, 3, 2), D(2026, 3, 9), 5),
        (D(2026, 3, 6), D(2026, 3, 8), 0),  # (Fri, Sun]: weekend only
    ],
)
def test_workdays_between(start: date, end: date, count: int) -> None:
    assert CAL.workdays_between(start, end) == count


def test_workdays_between_across_years_matches_counting() -> None:
    start, end = D(2024, 12, 15), D(2027, 2, 10)
    naive = sum(CAL.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert CAL.workdays_between(start, end) == naive


# --- properties --------------------------------------------------------------------------------

starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2027, 12, 31))
spans = st.integers(min_value=0, max_value=80)


@settings(max_examples=300)
@given(starts, spans)
def test_workday_deadline_properties(start: date, n: int) -> None:
    result = deadline(start, n, "workday")
    if n == 0:
        assert result.date == start
    else:
        assert result.date > start
        assert CAL.is_workday(result.date)
        assert CAL.workdays_between(start, result.date) == n
        # No earlier date already had n working days.
        assert CAL.workdays_between(start, result.date - timedelta(days=1)) == n - 1
    assert result.provisional == (not CAL.is_known(result.date))


@settings(max_examples=300)
@given(starts, spans)
def test_day_deadline_properties(start: date, n: int) -> None:
    result = deadline(start, n, "day")
    if n == 0:
        assert result.date == start
    else:
        assert result.date >= start + timedelta(days=n)
        assert CAL.is_workday(result.date)
        # Only rest days are skipped between the nominal end and the result.
        nominal = start + timedelta(days=n)
        for i in range((result.date - nominal).days):
            assert not CAL.is_workday(nominal + timedelta(days=i))
    assert result.provisional == (not CAL.is_known(result.date))


@settings(max_examples=200)
@given(st.dates(min_value=D(2030, 1, 1), max_value=D(2200, 12, 31)), spans,
       st.sampled_from(["day", "workday"]))
def test_unknown_year_results_are_provisional(start: date, n: int, unit: str) -> None:
    result = deadline(start, n, unit)
    assert result.provisional
    if n:
        assert result.date.weekday() < 5
        assert (result.date.month, result.date.day) not in FIXED_HOLIDAYS


@settings(max_examples=200)
@given(st.dates(min_value=D(2030, 1, 1), max_value=D(2200, 12, 31)))
def test_unknown_year_workday_rule(day: date) -> None:
    expected = day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS
    assert CAL.is_workday(day) == expected


@settings(max_examples=200)
@given(starts, starts)
def test_workdays_between_matches_naive_count(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    if (end - start).days > 800:
        end = start + timedelta(days=800)
    naive = sum(CAL.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert CAL.workdays_between(start, end) == naive
    assert CAL.workdays_between(end, start) == 0


# --- lateness: one rule for the 催办单, the 工作台 and the 通报 ---------------------------------------


@pytest.mark.parametrize(
    ("due", "on", "late"),
    [
        (D(2026, 11, 18), D(2026, 11, 18), 0),  # done on the last day
        (D(2026, 11, 18), D(2026, 11, 10), 0),
        (D(2026, 11, 18), D(2026, 11, 19), 1),
        (D(2026, 11, 18), D(2026, 12, 4), 12),  # Wed → Fri two weeks later
        # Friday's deadline met on Saturday: a rest day, still late, counted as one working day.
        (D(2026, 11, 20), D(2026, 11, 21), 1),
        (D(2026, 11, 20), D(2026, 11, 23), 1),
        # Over 国庆: 9/30 → 10/8 is one working day late.
        (D(2026, 9, 30), D(2026, 10, 8), 1),
    ],
)
def test_overdue_workdays(due: date, on: date, late: int) -> None:
    assert CAL.overdue_workdays(due, on) == late


@settings(max_examples=200)
@given(starts, st.integers(min_value=-30, max_value=120))
def test_late_exactly_when_past_the_deadline(due: date, offset: int) -> None:
    on = due + timedelta(days=offset)
    late = CAL.overdue_workdays(due, on)
    assert (late > 0) == (on > due)
    if on > due:
        assert late == max(1, CAL.workdays_between(due, on))


def test_local_time_shows_the_machines_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as time_module

    from app.core.calendar import local_date, local_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time_module.tzset()
    try:
        moment = datetime(2026, 12, 31, 16, 37, tzinfo=UTC)
        shown = local_time(moment)
        assert (shown.year, shown.month, shown.day, shown.hour, shown.minute) == (2027, 1, 1, 0, 37)
        assert local_date(moment) == D(2027, 1, 1)
        naive = datetime(2026, 3, 2, 9, 5)
        assert local_time(naive) == naive
    finally:
        monkeypatch.delenv("TZ")
        time_module.tzset()
