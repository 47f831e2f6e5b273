"""What 督查督办's printed forms take: plain frozen dataclasses that the services fill (never ORM objects).

Each refuses, with a Chinese message naming what to fix, what would print a wrong or self-contradicting form:
an unknown source or class, a notice whose tables do not add up to its totals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from app.core.errors import ValidationError
from app.core.notice_figures import Figure
from app.core.supervision.classes import priority_class, source_of
from app.core.supervision.ledger_sheet import TITLE_MAX
from app.core.supervision.notice import (
    CLOSED,
    CLOSED_LATE,
    CLOSED_ON_TIME,
    DUE,
    IN_PROGRESS,
    OVERDUE,
    ItemFacts,
    NoticeFigures,
    Period,
    Tally,
)

# The counts a Tally holds, each with the figure it is (the rate is computed from two of them).
COUNT_FIGURES: dict[str, Figure] = {
    "due": DUE,
    "closed_on_time": CLOSED_ON_TIME,
    "closed": CLOSED,
    "closed_late": CLOSED_LATE,
    "in_progress": IN_PROGRESS,
    "overdue": OVERDUE,
}


def _canonical_class(label: str) -> str:
    return priority_class(label).label


# ----- 督办通知单 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionNoticeSlip:
    """督办通知单: one item as it is sent to its lead unit, who signs for it (签收)."""

    office_name: str
    number: str  # 督办编号, e.g. 督〔2026〕12号
    title: str
    source: str
    requirement: str
    lead_unit: str
    co_units: Sequence[str]
    responsible_person: str
    priority: str
    deadline: date
    issued_on: date
    # 报送要求; empty: what the priority class asks (app.core.supervision.classes).
    report_rhythm: str = ""
    remarks: str = ""

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValidationError("督办通知单缺少事项名称", field="title")
        if not self.lead_unit.strip():
            raise ValidationError("督办通知单缺少牵头单位", field="lead_unit")
        if self.deadline < self.issued_on:
            raise ValidationError("办结时限不能早于通知单的签发日期", field="deadline")
        # Frozen: setting the canonical names (常务会议 → 常务会议决定事项) is part of construction.
        object.__setattr__(self, "source", source_of(self.source))
        object.__setattr__(self, "priority", _canonical_class(self.priority))
        if not self.report_rhythm.strip():
            object.__setattr__(self, "report_rhythm", priority_class(self.priority).description)
        object.__setattr__(self, "co_units", tuple(u.strip() for u in self.co_units if u.strip()))


# ----- 督办台账 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One item of the ledger, as the list showed it."""

    serial: int  # 序号
    source: str
    title: str
    requirement: str  # 工作要求, as short as the list shows it
    lead_unit: str
    co_units: Sequence[str]
    responsible_person: str
    priority: str
    deadline: date
    state: str  # 状态: 办理中, 逾期, 已销号 …
    latest_report: str = ""  # 最新进展
    latest_report_on: date | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValidationError(f"台账第{self.serial}项缺少事项名称", field="rows")
        if len(self.title) > TITLE_MAX:
            raise ValidationError(f"台账第{self.serial}项的事项名称超过{TITLE_MAX}字，请精简", field="rows")
        if not self.state.strip():
            raise ValidationError(f"台账第{self.serial}项缺少状态", field="rows")
        if self.latest_report_on is not None and not self.latest_report.strip():
            raise ValidationError(f"台账第{self.serial}项有进展日期却没有进展内容", field="rows")
        try:
            object.__setattr__(self, "source", source_of(self.source))
            object.__setattr__(self, "priority", _canonical_class(self.priority))
        except ValidationError as error:
            raise ValidationError(f"台账第{self.serial}项：{error.message}", field="rows") from error
        object.__setattr__(self, "co_units", tuple(u.strip() for u in self.co_units if u.strip()))


@dataclass(frozen=True)
class LedgerSheet:
    """督办台账: the items a list showed, under the filters it had (printed as the subtitle)."""

    office_name: str
    filters: str  # e.g. 来源：政府工作报告；状态：办理中; empty: all items
    printed_on: date
    rows: Sequence[LedgerRow] = ()

    def __post_init__(self) -> None:
        serials = [row.serial for row in self.rows]
        if len(set(serials)) != len(serials):
            raise ValidationError("台账中有重复的序号，请按列表顺序重新编号", field="rows")
        object.__setattr__(self, "rows", tuple(self.rows))


# ----- 督查通报 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueEntry:
    """One item still open past its deadline at the period's end."""

    unit: str
    title: str
    deadline: date
    days_overdue: int

    def __post_init__(self) -> None:
        if self.days_overdue < 1:
            raise ValidationError(f"逾期事项“{self.title}”的逾期天数应至少为1天", field="overdue_items")


@dataclass(frozen=True)
class AccountabilityEntry:
    """One 责任追究 record of the period: against whom, of which unit, for which item, and why."""

    person: str
    unit: str
    item: str
    reason: str
    recorded_on: date | None = None


@dataclass(frozen=True)
class SupervisionNotice:
    """督查通报 of a period: the office's figures, the units ranked, the sources, the overdue items, the
    accountability records, and the office's own words (``paragraphs``, printed as 有关要求)."""

    office_name: str
    period: Period
    issued_on: date
    office: Tally
    # Ranked: the first is first (app.core.supervision.notice.notice_figures ranks them).
    by_unit: Sequence[Tally]
    by_source: Sequence[Tally]
    overdue_items: Sequence[OverdueEntry] = ()
    accountability: Sequence[AccountabilityEntry] = ()
    paragraphs: Sequence[str] = ()
    recipients: str = "各乡镇人民政府，县政府各部门"
    # How the office names itself in the text.
    office_short_name: str = "县政府督查室"

    def __post_init__(self) -> None:
        if self.issued_on < self.period.start:
            raise ValidationError("通报日期不能早于统计期的开始日期", field="issued_on")
        names = [t.name for t in self.by_unit]
        if len(set(names)) != len(names):
            raise ValidationError("通报的单位排名中有重复的单位", field="by_unit")
        # Every item counts for one lead unit and one source: the tables must add up to the totals, and the
        # list of overdue items to the 逾期未办结 figure, or the text would contradict a table.
        for group, label in ((self.by_unit, "各单位"), (self.by_source, "各来源")):
            for count, figure in COUNT_FIGURES.items():
                total = sum(getattr(t, count) for t in group)
                if total != getattr(self.office, count):
                    raise ValidationError(
                        f"通报数据前后不一致：{label}{figure.name}合计{total}{figure.unit}，"
                        f"全部事项却是{getattr(self.office, count)}{figure.unit}",
                        field="by_unit" if group is self.by_unit else "by_source",
                    )
        if len(self.overdue_items) != self.office.overdue:
            raise ValidationError(
                f"通报数据前后不一致：{OVERDUE.name}{self.office.overdue}{OVERDUE.unit}，"
                f"逾期事项清单却列了{len(self.overdue_items)}{OVERDUE.unit}",
                field="overdue_items",
            )
        for name in ("by_unit", "by_source", "overdue_items", "accountability", "paragraphs"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def rank_of(self, unit: str) -> int | None:
        for place, tally in enumerate(self.by_unit, start=1):
            if tally.name == unit:
                return place
        return None


def calendar_days_overdue(item: ItemFacts, period: Period) -> int:
    """Days from the deadline to the period's last day: how long an open item had been overdue by then."""
    return (period.end - item.deadline).days


def notice_from_figures(
    figures: NoticeFigures,
    *,
    office_name: str,
    issued_on: date,
    accountability: Sequence[AccountabilityEntry] = (),
    paragraphs: Sequence[str] = (),
    days_overdue: Callable[[ItemFacts, Period], int] = calendar_days_overdue,
    recipients: str = "各乡镇人民政府，县政府各部门",
    office_short_name: str = "县政府督查室",
) -> SupervisionNotice:
    """The notice of what app.core.supervision.notice counted: its tallies as they are, its overdue items with
    their days overdue (``days_overdue``: the service may count working days instead)."""
    overdue = tuple(
        OverdueEntry(item.unit, item.title, item.deadline, days_overdue(item, figures.period))
        for item in figures.overdue_items
    )
    return SupervisionNotice(
        office_name=office_name,
        period=figures.period,
        issued_on=issued_on,
        office=figures.office,
        by_unit=figures.by_unit,
        by_source=figures.by_source,
        overdue_items=overdue,
        accountability=tuple(accountability),
        paragraphs=tuple(paragraphs),
        recipients=recipients,
        office_short_name=office_short_name,
    )
