"""Working days and deadlines (民法典 Arts. 201, 203; State Council holiday notices).

Official holiday data comes from the ``chinesecalendar`` package, which only knows the years
the State Council has already announced. For other years the rest days are the weekends, the
fixed-date statutory holidays (元旦 1/1, 劳动节 5/1, 国庆 10/1–10/3, which the law sets whatever the
yearly notice adds) and the holidays an administrator has entered; every result touching such a
year is marked provisional so the UI can show it as 待国务院公布.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import chinese_calendar

__all__ = [
    "DAY",
    "FIXED_STATUTORY_HOLIDAYS",
    "LATENESS_RULE",
    "WORKDAY",
    "Deadline",
    "HolidayOverrides",
    "WorkCalendar",
    "deadline",
    "local_date",
    "local_time",
]

DAY = "day"
WORKDAY = "workday"
_ONE_DAY = timedelta(days=1)
# (month, day) of the holidays fixed by date in 《全国年节及纪念日放假办法》: every year has them off,
# so an unpublished year must too. The movable ones (春节, 清明, 端午, 中秋) and 调休 wait for the notice.
FIXED_STATUTORY_HOLIDAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})


@dataclass(frozen=True)
class Deadline:
    """A due date, and whether it rests on a year whose holidays are not published yet."""

    date: date
    # True when a day consulted to reach this date lies in a year without official data.
    provisional: bool


@dataclass(frozen=True)
class HolidayOverrides:
    """Administrator-entered corrections; they win over the official data."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable from callers but keep the value hashable, so calendars built from
        # equal overrides can share a cache.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        clash = self.holidays & self.workdays
        if clash:
            days = "、".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"同一天不能既是节假日又是工作日：{days}")


# The lateness rule as printed on the 催办单 and in the 通报's 说明 (WorkCalendar.overdue_workdays).
LATENESS_RULE = (
    "逾期时间按工作日计算：自办理时限的次日起，至完成之日（尚未完成的，至统计截止日）止，"
    "不足1个工作日的按1个工作日计"
)


def local_time(moment: datetime) -> datetime:
    """A stored moment (UTC in the database) on the office's clock, as every window shows times.

    The machine's own time zone is the office's: the windows, the forms and the exports all convert
    with it, so a printed time agrees with the one on screen. A naive moment is taken as local already.
    """
    return moment.astimezone() if moment.tzinfo is not None else moment


def local_date(moment: datetime) -> date:
    """The office's calendar day of a stored moment (see local_time)."""
    return local_time(moment).date()


@functools.lru_cache(maxsize=1 << 16)
def _official_workday(d: date) -> bool | None:
    """chinesecalendar's answer for ``d``, or None when its year is not covered.

    Cached because deadline computations for ~100k records ask about the same few hundred
    days over and over, and the package does a range check and dict lookups per call.
    """
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


def _as_date(d: date) -> date:
    # datetime is a subclass of date but would not hit the same cache entries and would leak
    # a time of day into results.
    return d.date() if isinstance(d, datetime) else d


def _check_days(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("期限天数必须是整数")
    if n < 0:
        raise ValueError("期限天数不能为负数")


class WorkCalendar:
    """Working-day arithmetic under the official calendar plus optional overrides."""

    def __init__(self, overrides: HolidayOverrides | None = None) -> None:
        self.overrides = overrides or HolidayOverrides()
        # Per year: prefix[i] = number of working days among the first i days of that year.
        self._year_prefix: dict[int, tuple[int, ...]] = {}

    def is_known(self, d: date) -> bool:
        """Whether official holiday data exists for the year of ``d``."""
        return _official_workday(_as_date(d)) is not None

    def is_workday(self, d: date) -> bool:
        d = _as_date(d)
        if d in self.overrides.workdays:
            return True
        if d in self.overrides.holidays:
            return False
        official = _official_workday(d)
        if official is None:
            return d.weekday() < 5 and (d.month, d.day) not in FIXED_STATUTORY_HOLIDAYS
        return official

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``.

        Use add_workdays(d, 1) when the provisional flag is needed as well.
        """
        d = _as_date(d) + _ONE_DAY
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def add_days(self, start: date, n: int) -> Deadline:
        """End of a period of ``n`` calendar days from ``start`` (民法典 Arts. 201, 203).

        Counting starts the day after ``start``; an end on a rest day or holiday moves to the
        next working day. ``n == 0`` returns ``start`` unchanged.
        """
        _check_days(n)
        start = _as_date(start)
        if n == 0:
            return Deadline(start, not self.is_known(start))
        end = start + timedelta(days=n)
        provisional = not self.is_known(end)
        while not self.is_workday(end):
            end += _ONE_DAY
            provisional = provisional or not self.is_known(end)
        return Deadline(end, provisional)

    def add_workdays(self, start: date, n: int) -> Deadline:
        """The ``n``-th working day after ``start`` (``start`` itself is never counted)."""
        _check_days(n)
        d = _as_date(start)
        provisional = not self.is_known(d) if n == 0 else False
        counted = 0
        while counted < n:
            d += _ONE_DAY
            provisional = provisional or not self.is_known(d)
            if self.is_workday(d):
                counted += 1
        return Deadline(d, provisional)

    def _prefix(self, year: int) -> tuple[int, ...]:
        prefix = self._year_prefix.get(year)
        if prefix is None:
            counts = [0]
            d = date(year, 1, 1)
            while d.year == year:
                counts.append(counts[-1] + self.is_workday(d))
                d += _ONE_DAY
            prefix = tuple(counts)
            self._year_prefix[year] = prefix
        return prefix

    def _count_through(self, d: date, base_year: int) -> int:
        """Working days from 1 January of ``base_year`` through ``d`` inclusive."""
        total = sum(self._prefix(y)[-1] for y in range(base_year, d.year))
        return total + self._prefix(d.year)[d.timetuple().tm_yday]

    def overdue_workdays(self, due: date, on: date) -> int:
        """How late ``on`` is against the deadline ``due``, in working days: the office's one lateness
        rule (LATENESS_RULE), for the 催办单, the 工作台 and the quarterly 通报 alike.

        0 when ``on`` is not after ``due``. Otherwise the working days in (due, on], and at least 1:
        a day past the deadline is late even when it is a rest day (不足1个工作日按1个工作日计), so
        an item counts as overdue exactly when ``due < on``, as the 工作台 shows it.
        """
        due, on = _as_date(due), _as_date(on)
        if on <= due:
            return 0
        return max(1, self.workdays_between(due, on))

    def workdays_between(self, start: date, end: date) -> int:
        """Number of working days in (start, end]; 0 when ``end`` is not after ``start``.

        This is the "overdue by N working days" and processing-time measure, so an interval
        that has not begun counts as none rather than a negative number.
        """
        start, end = _as_date(start), _as_date(end)
        if end <= start:
            return 0
        # Per-year prefix sums keep this O(years) for statistics over many long-running items.
        return self._count_through(end, start.year) - self._count_through(start, start.year)


@functools.lru_cache(maxsize=64)
def _calendar_for(overrides: HolidayOverrides | None) -> WorkCalendar:
    # Reusing the calendar keeps its per-year prefix sums across calls.
    return WorkCalendar(overrides)


def deadline(
    start: date, days: int, unit: str, overrides: HolidayOverrides | None = None
) -> Deadline:
    """Deadline ``days`` calendar days (unit "day") or working days ("workday") after ``start``."""
    calendar = _calendar_for(overrides)
    if unit == DAY:
        return calendar.add_days(start, days)
    if unit == WORKDAY:
        return calendar.add_workdays(start, days)
    raise ValueError(f"期限单位应为“{DAY}”（自然日）或“{WORKDAY}”（工作日），而不是“{unit}”")
