"""Recurring duties: a report due on a rhythm while a record stands in a stretch of its flow (督查督办:
重点督办 every week, 马上督办 within 1 working day, 定期督办 every month), declared in the flow as data.

A duty starts on entering ``starts_on`` and stops on leaving ``stops_on``, as a clock does. Its holder is
the record's responsible person (一事一人), or the record's unit, whose 联络员 reports for it. The rhythm a
duty starts with is the flow's; each record may be given its own (app.services.workflow.duties.set_rhythm).
Each report moves the next due date on from the day it was made.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.core.calendar import Deadline, WorkCalendar
from app.core.workflow.engine import FlowDefinitionError

RhythmKind = Literal["weekly", "monthly", "workdays"]
DutyHolder = Literal["responsible", "unit"]

RHYTHM_KINDS: tuple[RhythmKind, ...] = ("weekly", "monthly", "workdays")
HOLDERS: tuple[DutyHolder, ...] = ("responsible", "unit")
HOLDER_LABELS: dict[DutyHolder, str] = {"responsible": "责任人", "unit": "承办单位联络员"}
# The longest rhythm an office keeps: a report less often than twice a year is no follow-up.
MAX_EVERY: dict[RhythmKind, int] = {"weekly": 26, "monthly": 6, "workdays": 60}


@dataclass(frozen=True)
class Rhythm:
    """How often a report is due: every ``every`` weeks, every ``every`` months, or within ``every``
    working days of the last one."""

    kind: RhythmKind
    every: int = 1

    def __post_init__(self) -> None:
        if self.kind not in RHYTHM_KINDS:
            raise FlowDefinitionError(f"汇报周期只能是每周、每月或若干个工作日内，不能是“{self.kind}”")
        top = MAX_EVERY[self.kind]
        if not 1 <= self.every <= top:
            raise FlowDefinitionError(f"“{_KIND_WORDS[self.kind]}”的间隔应为1至{top}", field="every")

    def describe(self) -> str:
        if self.kind == "weekly":
            return "每周" if self.every == 1 else f"每{self.every}周"
        if self.kind == "monthly":
            return "每月" if self.every == 1 else f"每{self.every}个月"
        return f"{self.every}个工作日内"


_KIND_WORDS: dict[RhythmKind, str] = {"weekly": "每周", "monthly": "每月", "workdays": "工作日内"}

# The office's three follow-up classes (DOMAIN §3), for the pickers.
WEEKLY = Rhythm("weekly", 1)
MONTHLY = Rhythm("monthly", 1)
NEXT_WORKDAY = Rhythm("workdays", 1)


@dataclass(frozen=True)
class Duty:
    """A report due on a rhythm from entering ``starts_on`` until leaving ``stops_on``."""

    key: str
    label: str
    starts_on: str
    stops_on: str
    holder: DutyHolder = "responsible"
    rhythm: Rhythm = WEEKLY

    def __post_init__(self) -> None:
        if self.holder not in HOLDERS:
            raise FlowDefinitionError(f"汇报事项“{self.label}”的汇报人只能是责任人或承办单位，不能是“{self.holder}”")

    def describe(self) -> str:
        return f"{self.label}：{self.rhythm.describe()}由{HOLDER_LABELS[self.holder]}汇报"


def check_duties(flow_label: str, step_keys: Iterable[str], final_keys: Iterable[str], duties: Sequence[Duty]) -> None:
    """Refuse, when the flow is declared, duties that name steps it lacks, share a key, or start at an end."""
    known, finals = set(step_keys), set(final_keys)
    seen: set[str] = set()
    for duty in duties:
        if duty.key in seen:
            raise FlowDefinitionError(f"流程“{flow_label}”的汇报事项“{duty.label}”重复")
        seen.add(duty.key)
        for step in (duty.starts_on, duty.stops_on):
            if step not in known:
                raise FlowDefinitionError(f"流程“{flow_label}”的汇报事项“{duty.label}”指向不存在的环节“{step}”")
        if duty.starts_on in finals or duty.stops_on in finals:
            # A record never leaves its final step, so a duty there would be due for ever.
            raise FlowDefinitionError(f"流程“{flow_label}”的汇报事项“{duty.label}”不能在结束环节开始或停止")


def add_months(day: date, months: int) -> date:
    """The same day ``months`` months later; the month's last day where that month is shorter (1月31日 → 2月28日)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def next_due(rhythm: Rhythm, after: date, calendar: WorkCalendar) -> Deadline:
    """When the next report is due, counted from ``after`` (the start, or the last report).

    A due date on a rest day or holiday moves to the next working day, as every period of days does
    (WorkCalendar.add_days); within N working days counts working days only."""
    if rhythm.kind == "workdays":
        return calendar.add_workdays(after, rhythm.every)
    if rhythm.kind == "weekly":
        return calendar.add_days(after, 7 * rhythm.every)
    end = add_months(after, rhythm.every)
    return calendar.add_days(after, (end - after).days)


def duties_entered(duties: Sequence[Duty], source: str | None, target: str) -> list[Duty]:
    """The duties a move from ``source`` (None: the record's start) to ``target`` starts."""
    return [d for d in duties if target == d.starts_on and source != target]


def duties_left(duties: Sequence[Duty], source: str | None, target: str) -> list[Duty]:
    """The duties a move from ``source`` to ``target`` stops: leaving a duty's last step."""
    return [d for d in duties if source is not None and source == d.stops_on and target != source]
