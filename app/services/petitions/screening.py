"""信访排查 (DOMAIN.md §4, Screening): how many cases came in over a period, by 问题类别, by 属地, by 信访方式 and by
month or quarter, and the hot issues — the (类别, 属地) pairs with the most cases, with how many of them were
repeats and how many people they brought. The office then assigns a hot issue to the unit that answers for it
(app.services.petitions.problems).

Only first petitions (信访件) are counted: a 复查 or 复核 is the same matter again, not a new one. The counts carry
no petitioner's particulars (no names, no ID numbers), so nothing here is masked or audited; they are for those
who see every case (records.sees_all), and count only the cases they may see (records.visible_petitions).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, case, extract, func, select

from app.core.errors import PermissionDenied, ValidationError
from app.core.petitions.terms import CHANNELS, INITIAL
from app.models.petitions import Petition
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records

Granularity = Literal["month", "quarter"]
GRANULARITIES: dict[str, str] = {"month": "按月", "quarter": "按季度"}
# A screening covers at most three years: its period bars stay readable, and a county's three years of cases
# are counted in a few grouped queries.
MAX_MONTHS = 36
# A (类别, 属地) pair is a hot issue from this many cases on: one case is a case, not an issue.
HOT_MIN_CASES = 2
HOT_LIMIT = 20


# ----- periods --------------------------------------------------------------------------------------------


def month_range(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a quarter (1 to 4)."""
    if not 1 <= quarter <= 4:
        raise ValidationError("季度只能是第一到第四季度", field="quarter")
    first_month = 3 * (quarter - 1) + 1
    return date(year, first_month, 1), month_range(year, first_month + 2)[1]


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _months_between(start: date, end: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# ----- what a screening returns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningFilter:
    """The period (both ends included) and the narrowing the office chose."""

    date_from: date | None
    date_to: date | None
    category: str | None = None
    place: str | None = None
    channel: str | None = None
    granularity: Granularity = "month"


@dataclass(frozen=True)
class Tally:
    """One bar: a category, a place or a channel, with its cases and the people they brought."""

    key: str
    cases: int
    people: int


@dataclass(frozen=True)
class PeriodTally:
    """One month or quarter of the period, with its first and last day."""

    label: str
    start: date
    end: date
    cases: int


@dataclass(frozen=True)
class HotIssue:
    """A (类别, 属地) pair the screening ranks: its cases, how many were flagged as repeats, the people."""

    rank: int
    category: str
    place: str
    cases: int
    repeats: int
    people: int
    first_received: date
    last_received: date

    @property
    def suggested_title(self) -> str:
        """The problem's title the office is offered: 城关镇商品房两证办理问题."""
        return f"{self.place}{self.category}问题"


@dataclass(frozen=True)
class Screening:
    filter: ScreeningFilter
    cases: int
    people: int
    by_category: tuple[Tally, ...]
    by_place: tuple[Tally, ...]
    by_channel: tuple[Tally, ...]
    by_period: tuple[PeriodTally, ...]
    hot_issues: tuple[HotIssue, ...]


# ----- counting ---------------------------------------------------------------------------------------------


def check_filter(f: ScreeningFilter) -> tuple[date, date]:
    """The period, checked, or the first thing to fix in the words of its field."""
    if f.date_from is None:
        raise ValidationError("请选择排查的起始日期", field="date_from")
    if f.date_to is None:
        raise ValidationError("请选择排查的截止日期", field="date_to")
    if f.date_from > f.date_to:
        raise ValidationError("起始日期不能晚于截止日期", field="date_from")
    if len(_months_between(f.date_from, f.date_to)) > MAX_MONTHS:
        raise ValidationError(f"一次排查的时间跨度不能超过{MAX_MONTHS // 12}年，请缩短日期范围", field="date_from")
    if f.channel and f.channel not in CHANNELS:
        raise ValidationError(f"信访方式只能是{'、'.join(CHANNELS)}", field="channel")
    if f.granularity not in GRANULARITIES:
        raise ValidationError("统计周期只能按月或按季度", field="granularity")
    return f.date_from, f.date_to


def _conditions(actor: Actor, f: ScreeningFilter, start: date, end: date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        records.visible_petitions(actor), Petition.stage == INITIAL,
        Petition.received_on >= start, Petition.received_on <= end,
    ]
    if f.category and f.category.strip():
        conditions.append(Petition.category == f.category.strip())
    if f.place and f.place.strip():
        conditions.append(Petition.place == f.place.strip())
    if f.channel:
        conditions.append(Petition.channel == f.channel)
    return conditions


def _tallies(uow: UnitOfWork, column: Any, conditions: list[ColumnElement[bool]]) -> tuple[Tally, ...]:
    """Cases and people per value of the column, the most cases first; ties by name, ordered here so that the
    three databases' collations of Chinese text give one order."""
    rows = uow.execute(
        select(column, func.count(Petition.id), func.coalesce(func.sum(Petition.people_count), 0))
        .where(*conditions).group_by(column)
    ).all()
    tallies = [Tally(str(key), int(n), int(people)) for key, n, people in rows]
    return tuple(sorted(tallies, key=lambda t: (-t.cases, t.key)))


def _periods(uow: UnitOfWork, f: ScreeningFilter, conditions: list[ColumnElement[bool]], start: date,
             end: date) -> tuple[PeriodTally, ...]:
    """Every month (or quarter) of the period, with the ones without cases at 0; the first and last are cut to
    the period's own ends."""
    year, month = extract("year", Petition.received_on), extract("month", Petition.received_on)
    counted = {
        (int(y), int(m)): int(n) for y, m, n in uow.execute(
            select(year, month, func.count(Petition.id)).where(*conditions).group_by(year, month)
        ).all()
    }
    spans: list[PeriodTally] = []
    for y, m in _months_between(start, end):
        n = counted.get((y, m), 0)
        if f.granularity == "month":
            first, last = month_range(y, m)
            spans.append(PeriodTally(f"{y}年{m}月", max(first, start), min(last, end), n))
            continue
        quarter = (m - 1) // 3 + 1
        label = f"{y}年第{'一二三四'[quarter - 1]}季度"
        if spans and spans[-1].label == label:
            spans[-1] = PeriodTally(label, spans[-1].start, spans[-1].end, spans[-1].cases + n)
        else:
            first, last = quarter_range(y, quarter)
            spans.append(PeriodTally(label, max(first, start), min(last, end), n))
    return tuple(spans)


def _hot_issues(uow: UnitOfWork, conditions: list[ColumnElement[bool]], limit: int) -> tuple[HotIssue, ...]:
    """The pairs with at least HOT_MIN_CASES cases, the most cases first, then the most people; ranked here,
    as _tallies orders, so that every database ranks ties alike (a county has some hundreds of pairs)."""
    cases = func.count(Petition.id)
    rows = uow.execute(
        select(Petition.category, Petition.place, cases,
               func.coalesce(func.sum(case((Petition.is_repeat.is_(True), 1), else_=0)), 0),
               func.coalesce(func.sum(Petition.people_count), 0),
               func.min(Petition.received_on), func.max(Petition.received_on))
        .where(*conditions)
        .group_by(Petition.category, Petition.place)
        .having(cases >= HOT_MIN_CASES)
    ).all()
    ranked = sorted(rows, key=lambda r: (-int(r[2]), -int(r[4]), r[0], r[1]))[:limit]
    return tuple(
        HotIssue(rank, category, place, int(n), int(repeats), int(p), first, last)
        for rank, (category, place, n, repeats, p, first, last) in enumerate(ranked, start=1)
    )


def require_screener(actor: Actor) -> None:
    if not records.sees_all(actor):
        raise PermissionDenied("信访排查统计全县的信访件，只有信访接待员、办公室领导、文秘人员和县领导可以查看")


@acting
def screen(uow: UnitOfWork, actor: Actor, f: ScreeningFilter, *, hot_limit: int = HOT_LIMIT) -> Screening:
    """The screening of a period: totals, the four breakdowns and the hot issues. Reads only."""
    require_screener(actor)
    start, end = check_filter(f)
    if not 1 <= hot_limit <= 100:
        raise ValidationError("热点问题最多列出100项", field="hot_limit")
    conditions = _conditions(actor, f, start, end)
    total, people = uow.execute(
        select(func.count(Petition.id), func.coalesce(func.sum(Petition.people_count), 0)).where(*conditions)
    ).one()
    return Screening(
        filter=f, cases=int(total), people=int(people),
        by_category=_tallies(uow, Petition.category, conditions),
        by_place=_tallies(uow, Petition.place, conditions),
        by_channel=_tallies(uow, Petition.channel, conditions),
        by_period=_periods(uow, f, conditions, start, end),
        hot_issues=_hot_issues(uow, conditions, hot_limit),
    )


@dataclass(frozen=True)
class Choices:
    """What the screening's filters offer: the categories and places the visible cases have."""

    categories: tuple[str, ...]
    places: tuple[str, ...]
    channels: tuple[str, ...]


@acting
def filter_choices(uow: UnitOfWork, actor: Actor) -> Choices:
    require_screener(actor)
    visible = [records.visible_petitions(actor), Petition.stage == INITIAL]
    categories = uow.execute(select(Petition.category).where(*visible).distinct().order_by(Petition.category))
    places = uow.execute(select(Petition.place).where(*visible).distinct().order_by(Petition.place))
    return Choices(tuple(categories.scalars()), tuple(places.scalars()), tuple(CHANNELS))
