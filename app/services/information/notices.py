"""The notice (通报) of the writing groups' quota completion, for a year or one of its quarters.

For each active group, in the groups' order:
- each week of the period (a week belongs to the period its Thursday falls in, app.core.information.quotas): its
  quota (the weekly quota setting, less in a week shortened by holidays, by the office's work calendar), the
  政务信息 items 报送 in it (by 报送日期; a draft, or an item sent back to its author, never counts) and whether it
  was missed (only a week that has ended can be);
- the half-year(s) the period touches, with their research articles (调研文章) against the half-year's quota and
  whether missed (only a half-year that has ended can be);
- the adoptions by higher levels dated in the period: how many, how many distinct items, and their points (each
  adoption keeps the points it earned by the table in force when it was recorded);
- whether the group loses 评先评优 eligibility for the YEAR: any ended week or half-year of the year missed.

The office's totals: issues of 《政务信息》 issued with their date in the period, items 报送 in the period's weeks,
the adoptions' distinct items and points, and the articles 报送 in the period (every group, active or not).

The editors (文秘人员, 办公室主任, 副主任) and every member of a writing group may read it; others are refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, or_, select, true

from app.core.errors import PermissionDenied, ValidationError
from app.core.information.quotas import (
    HalfYearResult,
    WeekResult,
    half_year_result,
    loses_eligibility,
    week_start,
    weeks_of_half_year,
)
from app.models import User, WorkflowInstance
from app.models.information import InfoAdoption, InfoGroup, InfoIssue, InfoItem
from app.services.information import groups as group_settings
from app.services.information.records import is_editor, member_group_id
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork

MIN_YEAR, MAX_YEAR = 2000, 2100
QUARTER_NAMES: dict[int, str] = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
ITEM, ARTICLE = "item", "article"


def period_label(year: int, quarter: int | None) -> str:
    """2026年度 / 2026年第三季度."""
    return f"{year}年度" if quarter is None else f"{year}年{QUARTER_NAMES[quarter]}"


def notice_title(year: int, quarter: int | None) -> str:
    return f"关于{period_label(year, quarter)}政务信息报送情况的通报"


def period_span(year: int, quarter: int | None) -> tuple[date, date]:
    """The period's calendar days: the year, or its quarter."""
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, last - timedelta(days=1)


def period_weeks(year: int, quarter: int | None) -> list[date]:
    """The Mondays of the period's weeks: those whose Thursday falls in it (a week across a quarter's or a
    year's turn is counted once, in the period of its Thursday)."""
    first, last = period_span(year, quarter)
    monday = week_start(first)
    weeks = []
    while monday <= last:
        if first <= monday + timedelta(days=3) <= last:
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def period_halves(quarter: int | None) -> tuple[int, ...]:
    """The half-years (1, 2) a period touches."""
    if quarter is None:
        return (1, 2)
    return (1,) if quarter <= 2 else (2,)


def _checked_period(year: object, quarter: object) -> tuple[int, int | None]:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"年份应为{MIN_YEAR}至{MAX_YEAR}之间的整数，例如2026", field="year")
    if quarter is not None and (isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= 4):
        raise ValidationError("季度应为1至4（第一季度至第四季度），通报全年时不选季度", field="quarter")
    return year, quarter


@dataclass(frozen=True)
class GroupResult:
    """One group's figures for the period."""

    group_id: int
    name: str
    leader_name: str
    # The period's weeks, each with its quota, items and whether missed.
    weeks: tuple[WeekResult, ...]
    # The half-years the period touches (whole), with their articles against the half-year's quota.
    halves: tuple[HalfYearResult, ...]
    # 政务信息 items 报送 in the period's weeks.
    items: int
    # Research articles 报送 in the period's days.
    articles: int
    # Adoptions dated in the period: how many, how many distinct items, and their points.
    adoptions: int
    adopted_items: int
    points: int
    # 评先评优 for the year: lost by any ended week or half-year of the year missed; the reasons in words.
    loses_eligibility: bool
    eligibility_reasons: tuple[str, ...]

    @property
    def quota(self) -> int:
        """应报信息: the quotas of the period's weeks that have ended (all of them once the period is over)."""
        return sum(w.quota for w in self.weeks if w.ended)

    @property
    def period_quota(self) -> int:
        """The quotas of all the period's weeks, ended or not."""
        return sum(w.quota for w in self.weeks)

    @property
    def weeks_missed(self) -> int:
        return sum(w.missed for w in self.weeks)

    @property
    def completion(self) -> float | None:
        """实报 over 应报 (1.0 = 100 %), None where nothing was asked."""
        return self.items / self.quota if self.quota else None

    @property
    def completion_text(self) -> str:
        rate = self.completion
        return "—" if rate is None else f"{rate * 100:.0f}%"

    @property
    def article_quota(self) -> int:
        return sum(h.article_quota for h in self.halves)

    @property
    def half_articles(self) -> int:
        """Articles 报送 in the half-year(s) the period touches."""
        return sum(h.articles for h in self.halves)

    @property
    def articles_missed(self) -> int:
        return sum(h.articles_missed for h in self.halves)

    @property
    def eligibility_text(self) -> str:
        return "取消" if self.loses_eligibility else "保留"


@dataclass(frozen=True)
class Totals:
    """The office's figures for the period (every group, active or not)."""

    issues: int
    items: int
    adopted_items: int
    points: int
    articles: int
    adoptions: int = 0


@dataclass(frozen=True)
class Notice:
    year: int
    quarter: int | None
    title: str
    # The period's calendar days (its weeks run from weeks_start to weeks_end).
    start: date
    end: date
    groups: list[GroupResult]
    totals: Totals
    today: date
    weeks_start: date | None = None
    weeks_end: date | None = None
    items_per_week: int = 0
    articles_per_half_year: int = 0

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def losing(self) -> list[GroupResult]:
        """The groups that lose 评先评优 eligibility for the year."""
        return [g for g in self.groups if g.loses_eligibility]


def _require_reader(uow: UnitOfWork, actor: Actor) -> None:
    if is_editor(actor) or member_group_id(uow, actor) is not None:
        return
    raise PermissionDenied("政务信息报送情况通报供文秘人员、办公室领导和各信息组成员查看，您不在任何信息组中")


def _not_draft() -> ColumnElement[bool]:
    # An item counts once 报送 and while not sent back to its author (back in 撰写, it is a draft again).
    return or_(InfoItem.instance_id.is_(None), WorkflowInstance.state != "draft")


def _written(uow: UnitOfWork, first: date, last: date) -> list[tuple[int, str, date]]:
    """(group, kind, 报送日期) of every item 报送 from ``first`` to ``last`` and not a draft now."""
    rows = uow.execute(
        select(InfoItem.group_id, InfoItem.kind, InfoItem.submitted_on)
        .outerjoin(WorkflowInstance, WorkflowInstance.id == InfoItem.instance_id)
        .where(InfoItem.submitted_on.is_not(None), InfoItem.submitted_on >= first, InfoItem.submitted_on <= last,
               _not_draft())
    ).all()
    return [(int(r.group_id), str(r.kind), r.submitted_on) for r in rows]


@dataclass(frozen=True)
class _Adopted:
    adoptions: int
    items: int
    points: int


def _adoptions(uow: UnitOfWork, first: date, last: date) -> tuple[dict[int, _Adopted], _Adopted]:
    """The adoptions dated from ``first`` to ``last``: per group and for the office."""
    in_period = (InfoAdoption.adopted_on >= first, InfoAdoption.adopted_on <= last)
    rows = uow.execute(
        select(InfoItem.group_id, func.count(InfoAdoption.id), func.count(func.distinct(InfoAdoption.item_id)),
               func.coalesce(func.sum(InfoAdoption.points), 0))
        .join(InfoItem, InfoItem.id == InfoAdoption.item_id)
        .where(*in_period)
        .group_by(InfoItem.group_id)
    ).all()
    per_group = {int(g): _Adopted(int(n), int(d), int(p)) for g, n, d, p in rows}
    total = _Adopted(sum(a.adoptions for a in per_group.values()), sum(a.items for a in per_group.values()),
                     sum(a.points for a in per_group.values()))
    return per_group, total


def _reasons(halves: Iterable[HalfYearResult]) -> tuple[str, ...]:
    reasons = []
    for half in halves:
        if half.weeks_missed:
            reasons.append(f"{half.label}有{half.weeks_missed}周未完成信息报送任务")
        if half.articles_missed:
            reasons.append(f"{half.label}未完成调研文章任务")
    return tuple(reasons)


@acting
def notice(uow: UnitOfWork, actor: Actor, year: int, quarter: int | None = None, *,
           today: date | None = None) -> Notice:
    """The notice of the year (or its quarter 1–4): each active group's weeks, half-years, adoptions and
    eligibility, and the office's totals; ``today`` says which weeks and half-years have ended. For the editors
    and the groups' members."""
    year, quarter = _checked_period(year, quarter)
    _require_reader(uow, actor)
    today = today or date.today()
    calendar = work_calendar(uow)
    quotas = group_settings.quotas(uow)
    start, end = period_span(year, quarter)
    weeks = period_weeks(year, quarter)
    weeks_start, weeks_end = weeks[0], weeks[-1] + timedelta(days=6)

    # The whole year's weeks are read: the eligibility is the year's.
    year_weeks = weeks_of_half_year(year, 1) + weeks_of_half_year(year, 2)
    year_first = min(year_weeks[0], date(year, 1, 1))
    year_last = max(year_weeks[-1] + timedelta(days=6), date(year, 12, 31))
    written = _written(uow, year_first, year_last)
    adopted, adopted_total = _adoptions(uow, start, end)

    group_rows = uow.execute(
        select(InfoGroup.id, InfoGroup.name, User.full_name)
        .outerjoin(User, User.id == InfoGroup.leader_id)
        .where(InfoGroup.active == true())
        .order_by(InfoGroup.position, InfoGroup.id)
    ).all()
    results = []
    for group_id, name, leader in group_rows:
        item_days = [day for g, kind, day in written if g == group_id and kind == ITEM]
        article_days = [day for g, kind, day in written if g == group_id and kind == ARTICLE]
        year_halves = {
            half: half_year_result(year, half, item_days, article_days, calendar, today,
                                   per_week=quotas.items_per_week, articles_per_half_year=quotas.articles_per_half_year)
            for half in (1, 2)
        }
        by_monday = {w.monday: w for half in year_halves.values() for w in half.weeks}
        # Every week of a period of the year is one of the year's (by its Thursday).
        period_results = tuple(by_monday[monday] for monday in weeks)
        group_adopted = adopted.get(int(group_id), _Adopted(0, 0, 0))
        results.append(GroupResult(
            group_id=int(group_id), name=str(name), leader_name=str(leader or ""),
            weeks=period_results, halves=tuple(year_halves[h] for h in period_halves(quarter)),
            items=sum(w.written for w in period_results),
            articles=sum(1 for d in article_days if start <= d <= end),
            adoptions=group_adopted.adoptions, adopted_items=group_adopted.items, points=group_adopted.points,
            loses_eligibility=loses_eligibility(year_halves.values()),
            eligibility_reasons=_reasons(year_halves.values()),
        ))

    issues = int(uow.execute(
        select(func.count(InfoIssue.id))
        .where(InfoIssue.issued == true(), InfoIssue.issue_date >= start, InfoIssue.issue_date <= end)
    ).scalar_one())
    totals = Totals(
        issues=issues,
        items=sum(1 for _g, kind, day in written if kind == ITEM and weeks_start <= day <= weeks_end),
        adopted_items=adopted_total.items,
        points=adopted_total.points,
        articles=sum(1 for _g, kind, day in written if kind == ARTICLE and start <= day <= end),
        adoptions=adopted_total.adoptions,
    )
    return Notice(
        year=year, quarter=quarter, title=notice_title(year, quarter), start=start, end=end, groups=results,
        totals=totals, today=today, weeks_start=weeks_start, weeks_end=weeks_end,
        items_per_week=quotas.items_per_week, articles_per_half_year=quotas.articles_per_half_year,
    )
