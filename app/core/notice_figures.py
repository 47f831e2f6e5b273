"""What each figure of the quarterly 公文运转及差错情况通报 means, defined once.

The service counts by these definitions, and the printed notice takes its headings, its units (件, 次,
处, 工作日, 环节次) and its closing 说明 from them, so the summary, the table and the list of overdue
documents cannot mean different things by the same word.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.calendar import LATENESS_RULE

__all__ = [
    "AVERAGE_STEP_TIME",
    "COUNTY_UNIT_KINDS",
    "ERRORS",
    "HANDLED",
    "LATE_STEPS",
    "NOTICE_FIGURES",
    "OVERDUE",
    "RETURNS",
    "Figure",
    "notice_explanation",
]

# The county's own units (DOMAIN.md: 乡镇, 县政府各部门, 办公室内设股室), as app.models.org.UNIT_KINDS
# names them. The notice goes to them; 来文单位 above the county and the county's leaders are not rows.
COUNTY_UNIT_KINDS: tuple[str, ...] = ("township", "department", "section")


@dataclass(frozen=True)
class Figure:
    """One figure of the notice: its name as printed, what it is counted in, and its definition."""

    name: str
    unit: str
    definition: str

    @property
    def heading(self) -> str:
        """The name with its unit, as a column heading or a 说明 entry reads: 办理公文（件）."""
        return f"{self.name}（{self.unit}）"


HANDLED = Figure(
    "办理公文", "件",
    "本季度内有流转、办结或退回记录，或截至统计截止日仍在办理的公文，每件计1件，计入承办单位"
    "（发文为拟稿单位；收文为主办单位，未交办的为登记股室）",
)
AVERAGE_STEP_TIME = Figure(
    "平均每环节用时", "工作日",
    "本季度内完成的各办理环节，自进入该环节至完成所用工作日数的平均值，当日完成的计0个工作日",
)
RETURNS = Figure(
    "退回", "次",
    "本季度内发文稿被退回修改的次数，计入拟稿单位；县内单位报送的来文被退文的次数，计入报送单位",
)
ERRORS = Figure(
    "差错", "处",
    "本季度内登记的格式、文字、文种、程序差错，计入被登记的县内单位",
)
OVERDUE = Figure(
    "逾期公文", "件",
    "本季度内有办理环节超过时限才完成，或截至统计截止日仍停留在已超过时限的环节的公文，每件计1件，"
    "计入承办单位",
)
LATE_STEPS = Figure(
    "超时环节", "环节次",
    "逾期公文中超过办理时限的环节，含截至统计截止日仍未完成的环节，每个环节计1次",
)

# In the order the table and the 说明 give them.
NOTICE_FIGURES: tuple[Figure, ...] = (HANDLED, AVERAGE_STEP_TIME, RETURNS, ERRORS, OVERDUE, LATE_STEPS)


def notice_explanation() -> list[str]:
    """The 说明 printed under the notice's table: each figure's definition, the lateness rule, and who
    is counted."""
    lines = [f"{n}. {figure.heading}：{figure.definition}。" for n, figure in enumerate(NOTICE_FIGURES, start=1)]
    lines.append(f"{len(lines) + 1}. {LATENESS_RULE}。")
    lines.append(
        f"{len(lines) + 1}. 统计范围为各乡镇、县政府各部门和县政府办公室各股室；"
        "县外来文单位的退文和差错不列入本通报。"
    )
    return lines
