"""Where a supervision item comes from, and its priority class with the rhythm of progress reports it sets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.errors import ValidationError

# The rhythms a recurring duty knows (app.core.workflow's recurring duties): every N weeks, every N months, or
# within N working days of the last report.
RhythmKind = Literal["weekly", "monthly", "workdays"]

# 事项来源 (DOMAIN.md §3), as the ledger, the sheet and the notice name them; and the problems a 综合督查
# campaign found, each of which becomes an item in one action.
SOURCES: tuple[str, ...] = ("政府工作报告", "常务会议决定事项", "上级交办事项", "领导批示", "综合督查")
FINDING_SOURCE = "综合督查"

# Older sheets and offices say these; each means one of SOURCES.
_SOURCE_ALIASES: dict[str, str] = {
    "政府工作报告目标任务": "政府工作报告",
    "工作报告": "政府工作报告",
    "常务会议": "常务会议决定事项",
    "常务会议决定": "常务会议决定事项",
    "上级交办": "上级交办事项",
    "市级交办": "上级交办事项",
    "市交办": "上级交办事项",
    "批示": "领导批示",
    "领导批办": "领导批示",
    "督查发现": "综合督查",
    "综合督查发现问题": "综合督查",
}


@dataclass(frozen=True)
class PriorityClass:
    """A 督办类别 and the progress reports it asks for."""

    label: str
    rhythm: RhythmKind
    every: int
    description: str


PRIORITY_CLASSES: tuple[PriorityClass, ...] = (
    PriorityClass("重点督办", "weekly", 1, "重大事项，每周报送一次进展"),
    PriorityClass("马上督办", "workdays", 1, "紧急事项，1个工作日内报送进展"),
    PriorityClass("定期督办", "monthly", 1, "常规事项，每月报送一次进展"),
)


def priority_class(label: str) -> PriorityClass:
    """The class a label names (surrounding spaces ignored), or a refusal listing the classes there are."""
    wanted = label.strip()
    for found in PRIORITY_CLASSES:
        if found.label == wanted or found.label.removesuffix("督办") == wanted:
            return found
    names = "、".join(c.label for c in PRIORITY_CLASSES)
    raise ValidationError(f"督办类别“{wanted}”无效，应为{names}之一", field="priority")


def source_of(label: str) -> str:
    """The source a label names (one of SOURCES or a common other name for it), or a refusal."""
    wanted = label.strip()
    if wanted in SOURCES:
        return wanted
    if wanted in _SOURCE_ALIASES:
        return _SOURCE_ALIASES[wanted]
    raise ValidationError(f"事项来源“{wanted}”无效，应为{'、'.join(SOURCES)}之一", field="source")
