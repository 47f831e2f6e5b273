"""The groups' quotas: so many 政务信息 items a week and so many research articles a half-year (settings; 5 and 1
by default), and whether a group met them.

- A week runs Monday to Sunday, and belongs to the half-year (and year) in which its Thursday falls (as ISO
  weeks belong to years), so a week is never counted twice.
- A week shortened by holidays asks less: the week's quota times its working days over 5, rounded up (a week of
  2 working days asks 2 items of 5; a week with a make-up working day asks no more than a full one; a week
  wholly on holiday asks none). An item counts in the week of its 报送日期.
- A week or half-year that has not ended yet is not missed: it is still open.
- A group that missed any ended week or half-year of a year loses 评先评优 eligibility for that year.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from app.core.calendar import WorkCalendar

ITEMS_PER_WEEK = 5
ARTICLES_PER_HALF_YEAR = 1
FULL_WEEK_WORKDAYS = 5


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def half_year_of(day: date) -> tuple[int, int]:
    """(year, 1 or 2) of a day."""
    return day.year, 1 if day.month <= 6 else 2


def week_half_year(monday: date) -> tuple[int, int]:
    """The half-year a week belongs to: that of its Thursday."""
    return half_year_of(monday + timedelta(days=3))


def half_year_span(year: int, half: int) -> tuple[date, date]:
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def weeks_of_half_year(year: int, half: int) -> list[date]:
    """The Mondays of the weeks that belong to the half-year."""
    first, last = half_year_span(year, half)
    monday = week_start(first)
    weeks = []
    while monday <= last:
        if week_half_year(monday) == (year, half):
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def week_quota(monday: date, calendar: WorkCalendar, per_week: int = ITEMS_PER_WEEK) -> int:
    workdays = sum(calendar.is_workday(monday + timedelta(days=i)) for i in range(7))
    return math.ceil(per_week * min(workdays, FULL_WEEK_WORKDAYS) / FULL_WEEK_WORKDAYS)


@dataclass(frozen=True)
class WeekResult:
    monday: date
    quota: int
    written: int
    ended: bool

    @property
    def missed(self) -> bool:
        return self.ended and self.written < self.quota


@dataclass(frozen=True)
class HalfYearResult:
    year: int
    half: int
    weeks: tuple[WeekResult, ...]
    articles: int
    article_quota: int
    ended: bool

    @property
    def label(self) -> str:
        return f"{self.year}年{'上' if self.half == 1 else '下'}半年"

    @property
    def items(self) -> int:
        return sum(w.written for w in self.weeks)

    @property
    def weeks_missed(self) -> int:
        return sum(w.missed for w in self.weeks)

    @property
    def articles_missed(self) -> bool:
        return self.ended and self.articles < self.article_quota

    @property
    def missed(self) -> bool:
        return self.weeks_missed > 0 or self.articles_missed


def half_year_result(
    year: int, half: int, item_days: Iterable[date], article_days: Iterable[date], calendar: WorkCalendar, today: date,
    *, per_week: int = ITEMS_PER_WEEK, articles_per_half_year: int = ARTICLES_PER_HALF_YEAR,
) -> HalfYearResult:
    """One group's half-year: each week's quota and items, and its articles; ``today`` says what has ended."""
    counts: dict[date, int] = {}
    for day in item_days:
        monday = week_start(day)
        counts[monday] = counts.get(monday, 0) + 1
    weeks = tuple(
        WeekResult(monday, week_quota(monday, calendar, per_week), counts.get(monday, 0),
                   ended=monday + timedelta(days=6) < today)
        for monday in weeks_of_half_year(year, half)
    )
    first, last = half_year_span(year, half)
    articles = sum(1 for day in article_days if first <= day <= last)
    return HalfYearResult(year, half, weeks, articles, articles_per_half_year, ended=last < today)


def loses_eligibility(halves: Iterable[HalfYearResult]) -> bool:
    """评先评优: lost by a group that missed any ended week or half-year of the year."""
    return any(half.missed for half in halves)
