"""What the periodic 督查通报 counts, defined once: the service feeds it each item's few facts, and the summary,
the tables, the chart and the text all read the same figures (issue 16: "every figure is defined once and counted
the same way").

An item counts for its lead unit (牵头单位). Days are local dates; an item closed on its deadline is on time.
"""

from __future__ import annotations

import calendar as month_days
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.core.errors import ValidationError
from app.core.notice_figures import Figure

DUE = Figure("应办结", "项", "办结时限在统计期内的事项")
CLOSED_ON_TIME = Figure("按期办结", "项", "应办结事项中，在办结时限当日或之前销号的事项")
COMPLETION_RATE = Figure(
    "按期办结率", "%", "按期办结事项数 ÷ 应办结事项数 × 100%，保留一位小数；没有应办结事项的不计算，记为“—”"
)
CLOSED = Figure("已办结", "项", "统计期内销号的事项，含逾期办结的")
CLOSED_LATE = Figure("逾期办结", "项", "统计期内销号、但销号晚于办结时限的事项")
IN_PROGRESS = Figure("正在办理", "项", "统计期末尚未销号、也未超过办结时限的事项")
OVERDUE = Figure("逾期未办结", "项", "统计期末尚未销号且已超过办结时限的事项")

# In the order the tables show them.
NOTICE_FIGURES: tuple[Figure, ...] = (DUE, CLOSED_ON_TIME, COMPLETION_RATE, CLOSED, CLOSED_LATE, IN_PROGRESS, OVERDUE)


@dataclass(frozen=True)
class Period:
    """The days a notice covers, both ends included."""

    start: date
    end: date
    label: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("统计期的结束日期不能早于开始日期")


def month_period(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise ValidationError(f"月份应为1至12，不能是{month}", field="month")
    last = month_days.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), f"{year}年{month}月")


def quarter_period(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise ValidationError(f"季度应为1至4，不能是{quarter}", field="quarter")
    first = 3 * quarter - 2
    last = month_days.monthrange(year, first + 2)[1]
    return Period(date(year, first, 1), date(year, first + 2, last), f"{year}年第{'一二三四'[quarter - 1]}季度")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"{year}年")


@dataclass(frozen=True)
class ItemFacts:
    """What the notice needs to know of one item."""

    id: int
    title: str
    unit: str
    source: str
    opened_on: date
    deadline: date
    closed_on: date | None = None


@dataclass(frozen=True)
class Tally:
    """The figures of one group of items (a unit, a source, or the whole office)."""

    name: str
    due: int = 0
    closed_on_time: int = 0
    closed: int = 0
    closed_late: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def rate(self) -> Decimal | None:
        """按期办结率 in percent, one decimal; None where nothing was due."""
        if not self.due:
            return None
        return (Decimal(100 * self.closed_on_time) / Decimal(self.due)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate}%"

    @property
    def counted(self) -> bool:
        return any((self.due, self.closed, self.in_progress, self.overdue))


@dataclass(frozen=True)
class NoticeFigures:
    period: Period
    office: Tally
    # Ranked: the best completion rate first (units with nothing due after those with), then fewer overdue.
    by_unit: tuple[Tally, ...]
    by_source: tuple[Tally, ...]
    # Still open past their deadline at the period's end, the longest overdue first.
    overdue_items: tuple[ItemFacts, ...]

    def rank_of(self, unit: str) -> int | None:
        for place, tally in enumerate(self.by_unit, start=1):
            if tally.name == unit:
                return place
        return None


def _kinds(item: ItemFacts, period: Period) -> dict[str, bool]:
    """Which figures one item adds to, by their definitions above."""
    if item.opened_on > period.end:
        return {}
    # Closed before the period starts, it counts only where it was due in the period (closed early, on time).
    closed_by_end = item.closed_on is not None and item.closed_on <= period.end
    due = period.start <= item.deadline <= period.end
    closed_in_period = item.closed_on is not None and period.start <= item.closed_on <= period.end
    on_time = item.closed_on is not None and item.closed_on <= item.deadline
    return {
        "due": due,
        "closed_on_time": due and on_time and closed_by_end,
        "closed": closed_in_period,
        "closed_late": closed_in_period and not on_time,
        "in_progress": not closed_by_end and item.deadline >= period.end,
        "overdue": not closed_by_end and item.deadline < period.end,
    }


def _tally(name: str, kinds: Iterable[dict[str, bool]]) -> Tally:
    counts = dict.fromkeys(("due", "closed_on_time", "closed", "closed_late", "in_progress", "overdue"), 0)
    for found in kinds:
        for kind, adds in found.items():
            counts[kind] += int(adds)
    return Tally(name, **counts)


def _grouped(judged: Sequence[tuple[ItemFacts, dict[str, bool]]], key: Callable[[ItemFacts], str]) -> list[Tally]:
    groups: dict[str, list[dict[str, bool]]] = {}
    for item, kinds in judged:
        groups.setdefault(key(item), []).append(kinds)
    return [t for name, members in groups.items() if (t := _tally(name, members)).counted]


def _ranking_key(tally: Tally) -> tuple[int, Decimal, int, int, str]:
    rate = tally.rate
    return (rate is None, -(rate or Decimal(0)), tally.overdue, -tally.closed, tally.name)


def notice_figures(items: Sequence[ItemFacts], period: Period, sources: Sequence[str] = ()) -> NoticeFigures:
    """The notice's figures for the period; ``sources`` lists the sources in their order (each shown, even empty)."""
    # Each item judged once, then tallied for the office, its unit and its source (a quarter at 20,000 items
    # judges some thousands: bench/supervision.py).
    judged = [(item, _kinds(item, period)) for item in items]
    by_unit = sorted(_grouped(judged, lambda i: i.unit), key=_ranking_key)
    found_sources = {t.name: t for t in _grouped(judged, lambda i: i.source)}
    ordered = [found_sources.pop(name, Tally(name)) for name in sources]
    ordered += sorted(found_sources.values(), key=lambda t: t.name)
    overdue = sorted((i for i, kinds in judged if kinds.get("overdue")), key=lambda i: (i.deadline, i.unit, i.id))
    office = _tally("全部", (kinds for _item, kinds in judged))
    return NoticeFigures(period, office, tuple(by_unit), tuple(ordered), tuple(overdue))


def notice_text(figures: NoticeFigures) -> list[str]:
    """The 通报's paragraphs, written from the same figures as its tables (each named as NOTICE_FIGURES names it)."""
    office, period = figures.office, figures.period
    paragraphs = [
        f"{period.label}，{DUE.name}督办事项{office.due}项，其中{CLOSED_ON_TIME.name}{office.closed_on_time}项，"
        + (f"{COMPLETION_RATE.name}{office.rate_text}" if office.due else f"不计算{COMPLETION_RATE.name}")
        + f"；统计期内{CLOSED.name}{office.closed}项（其中{CLOSED_LATE.name}"
        f"{office.closed_late}项），统计期末{IN_PROGRESS.name}{office.in_progress}项，{OVERDUE.name}{office.overdue}项。"
    ]
    # Praise is for a unit that closed every item due on time; the best of the rest is only named.
    perfect = [t for t in figures.by_unit if t.rate is not None and t.rate == 100]
    rated = [t for t in figures.by_unit if t.rate is not None and t.rate > 0]
    if perfect:
        names = "、".join(t.name for t in perfect[:10])
        paragraphs.append(f"{names}应办结事项全部按期办结，{COMPLETION_RATE.name}100%，予以通报表扬。")
    elif rated:
        best = [t for t in rated if t.rate == rated[0].rate]
        names = "、".join(t.name for t in best[:5])
        paragraphs.append(f"{names}{COMPLETION_RATE.name}最高（{rated[0].rate_text}）。")
    late = [t for t in figures.by_unit if t.overdue]
    if late:
        listed = "、".join(f"{t.name}（{t.overdue}项）" for t in sorted(late, key=lambda t: (-t.overdue, t.name))[:10])
        paragraphs.append(f"{OVERDUE.name}的单位：{listed}。请相关单位认真分析原因，明确整改措施和完成时限，"
                          "按要求报送办理进展，确保事项按期落实。")
    else:
        paragraphs.append("统计期末无逾期未办结事项。")
    return paragraphs
