"""The Monday study session's presenter (学习轮讲): fair rotation among the writing staff.

A session is held each Monday that is a working day (a Monday on holiday has none). Its presenter is whoever has
presented least so far this term, then whoever presented longest ago, then the staff list's order, among those not
absent that day; an absent person keeps their turn for the next session. So over a term, the numbers of sessions of
any two people who were never absent differ by at most one. Topics go round their list in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.core.calendar import WorkCalendar
from app.core.errors import ValidationError

TOPICS: tuple[str, ...] = ("案例解剖", "公文写作常识", "文件政策解读", "信息写作技巧", "调研方法交流")


@dataclass(frozen=True)
class Session:
    on: date
    presenter: str
    topic: str


def study_mondays(start: date, end: date, calendar: WorkCalendar) -> list[date]:
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    days = []
    while monday <= end:
        if calendar.is_workday(monday):
            days.append(monday)
        monday += timedelta(days=7)
    return days


def rotation(
    staff: Sequence[str], start: date, end: date, calendar: WorkCalendar,
    absences: Mapping[str, frozenset[date]] | None = None, topics: Sequence[str] = TOPICS,
) -> list[Session]:
    """The term's sessions from ``start`` to ``end``: each Monday's presenter and topic."""
    if not staff:
        raise ValidationError("请先设置参加轮讲的人员")
    if len(set(staff)) != len(staff):
        raise ValidationError("轮讲人员名单中有重复的姓名")
    if end < start:
        raise ValidationError("学期的结束日期不能早于开始日期")
    if not topics:
        raise ValidationError("请至少设置一个学习主题")
    away = absences or {}
    presented = dict.fromkeys(staff, 0)
    last: dict[str, date | None] = dict.fromkeys(staff, None)
    order = {name: i for i, name in enumerate(staff)}
    sessions: list[Session] = []
    for monday in study_mondays(start, end, calendar):
        present = [name for name in staff if monday not in away.get(name, frozenset())]
        if not present:
            continue
        chosen = min(present, key=lambda n: (presented[n], last[n] or date.min, order[n]))
        presented[chosen] += 1
        last[chosen] = monday
        sessions.append(Session(monday, chosen, topics[len(sessions) % len(topics)]))
    return sessions
