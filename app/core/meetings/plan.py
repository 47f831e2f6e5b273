"""会议方案: the plan sets out a meeting's tasks in five phases, and each meeting type starts from its template."""

from __future__ import annotations

from dataclasses import dataclass

PHASES: tuple[str, ...] = ("材料准备", "会场布置", "会议签到", "会场保障", "会议总结")

MEETING_TYPES: tuple[str, ...] = ("常务会议", "专题会议", "工作会议", "全体会议", "座谈会", "视频会议")


@dataclass(frozen=True)
class TaskTemplate:
    phase: str
    text: str
    # Due so many hours before the meeting starts (negative: after it ends, for the summary's tasks).
    hours_before: int


_COMMON: tuple[TaskTemplate, ...] = (
    TaskTemplate("材料准备", "起草会议通知并报领导审定", 72),
    TaskTemplate("材料准备", "印发会议通知，确认参会人员", 48),
    TaskTemplate("材料准备", "收集、审核、印制会议材料", 24),
    TaskTemplate("会场布置", "确定会场，排定座次，制作桌签", 24),
    TaskTemplate("会场布置", "调试音响、话筒、投影和会标", 2),
    TaskTemplate("会议签到", "准备签到表，安排签到引导人员", 1),
    TaskTemplate("会议签到", "统计到会、请假和代会情况", 0),
    TaskTemplate("会场保障", "安排茶水、服务和会场秩序", 1),
    TaskTemplate("会场保障", "落实安全保卫和应急预案", 2),
    TaskTemplate("会议总结", "整理会议记录，起草会议纪要", -48),
    TaskTemplate("会议总结", "分解议定事项，转督查督办", -72),
)

_EXTRA: dict[str, tuple[TaskTemplate, ...]] = {
    "常务会议": (
        TaskTemplate("材料准备", "征集议题，报县长审定议题顺序", 120),
        TaskTemplate("材料准备", "通知列席单位负责人按议题候会", 24),
    ),
    "视频会议": (TaskTemplate("会场布置", "联调视频会议系统，确认分会场", 4),),
    "座谈会": (TaskTemplate("材料准备", "拟定座谈提纲，通知发言单位准备发言材料", 72),),
}


def plan_template(meeting_type: str) -> list[TaskTemplate]:
    """The tasks a new plan of this type starts with, phase by phase (an unknown type gets the common ones)."""
    tasks = list(_COMMON) + list(_EXTRA.get(meeting_type, ()))
    return sorted(tasks, key=lambda t: (PHASES.index(t.phase), -t.hours_before))
