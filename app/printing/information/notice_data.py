"""What the printed notice (政务信息报送情况通报) takes: plain frozen dataclasses that app.forms.information's
load_notice fills from the notice service (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.errors import ValidationError


@dataclass(frozen=True)
class NoticeGroupRow:
    """One group's line of the table and its bars in the chart."""

    name: str
    leader: str
    # 应报 and 实报 信息: the period's weeks' quotas and the items 报送 in them.
    quota: int
    items: int
    weeks: int
    weeks_missed: int
    # 调研文章: the half-year(s)' quota and the articles 报送 in them.
    article_quota: int
    articles: int
    # Adoptions by higher levels dated in the period: distinct items and their points.
    adopted_items: int
    points: int
    # 评先评优 for the year, and why it is lost.
    loses_eligibility: bool
    reasons: tuple[str, ...] = ()

    @property
    def completion_text(self) -> str:
        return "—" if not self.quota else f"{self.items / self.quota * 100:.0f}%"

    @property
    def eligibility_text(self) -> str:
        return "取消" if self.loses_eligibility else "保留"


@dataclass(frozen=True)
class NoticeTotals:
    issues: int
    items: int
    adopted_items: int
    points: int
    articles: int


@dataclass(frozen=True)
class NoticeSheet:
    """The notice of a year (quarter None) or a quarter."""

    title: str
    period_label: str
    office_name: str
    # The day it is drawn up (落款) and the day the figures stand at; ``open`` while the period runs on.
    issued_on: date
    totals: NoticeTotals
    groups: tuple[NoticeGroupRow, ...]
    year: int
    quarter: int | None = None
    open: bool = False
    items_per_week: int = 5
    articles_per_half_year: int = 1

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValidationError("通报缺少标题")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValidationError("季度应为1至4", field="quarter")

    @property
    def losing(self) -> tuple[NoticeGroupRow, ...]:
        return tuple(g for g in self.groups if g.loses_eligibility)
