"""The Monday study session's presenter (学习轮讲): fair rotation among the writing staff.

A session is held each Monday that is a working day (a Monday on holiday has none; a Monday made a working day by
the holiday notice or the office's own calendar has one). Its presenter is whoever has presented least so far this
term, then whoever presented longest ago, then the staff list's order, among those not absent that day; an absent
person keeps their turn for the next session. So over a term, the numbers of sessions of any two people who were
never absent differ by at most one. Topics go round their list in order.

A rotation remade in the middle of a term takes the sessions already held as its ``history``: who presented them
(a stand-in counts for whoever stood in) and how many there were (the topics go on from there). Remade from a
history the rule itself produced, it gives the same sessions as the rotation made at the start; from any other
history (stand-ins, people who joined or left) it never widens the gap between two people who are never absent
beyond what the history left, or one session, whichever is more, and closes it as the term goes on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.core.calendar import WorkCalendar
from app.core.errors import ValidationError

TOPICS: tuple[str, ...] = ("案例解剖", "公文写作常识", "文件政策解读", "信息写作技巧", "调研方法交流")

# chinesecalendar's names of the statutory holidays, as the office says them.
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class Session:
    on: date
    presenter: str
    topic: str


@dataclass(frozen=True)
class Skipped:
    """A Monday with no session: a holiday (its name when known)."""

    on: date
    reason: str


def mondays(start: date, end: date) -> list[date]:
    """Every Monday from ``start`` to ``end``."""
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    days = []
    while monday <= end:
        days.append(monday)
        monday += timedelta(days=7)
    return days


def study_mondays(start: date, end: date, calendar: WorkCalendar) -> list[date]:
    """The Mondays from ``start`` to ``end`` that are working days: the days a session is held."""
    return [monday for monday in mondays(start, end) if calendar.is_workday(monday)]


def holiday_name(day: date) -> str:
    """The statutory holiday ``day`` falls in (春节, 国庆节 …), or "" when it is none or its year is unknown."""
    import chinese_calendar

    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    if not on_holiday or not name:
        return ""
    return HOLIDAY_NAMES.get(str(name), "")


def skipped_mondays(start: date, end: date, calendar: WorkCalendar) -> list[Skipped]:
    """The Mondays from ``start`` to ``end`` that are not working days, each with why (the holiday's name)."""
    skipped = []
    for monday in mondays(start, end):
        if not calendar.is_workday(monday):
            name = holiday_name(monday)
            skipped.append(Skipped(monday, f"{name}放假" if name else "节假日放假"))
    return skipped


def rotation(
    staff: Sequence[str], start: date, end: date, calendar: WorkCalendar,
    absences: Mapping[str, frozenset[date]] | None = None, topics: Sequence[str] = TOPICS,
    history: Sequence[Session] = (),
) -> list[Session]:
    """The sessions from ``start`` to ``end``: each working Monday's presenter and topic, counting on from the
    sessions already held (``history``, all before ``start``)."""
    if not staff:
        raise ValidationError("请先设置参加轮讲的人员")
    if len(set(staff)) != len(staff):
        raise ValidationError("轮讲人员名单中有重复的姓名")
    if end < start:
        raise ValidationError("学期的结束日期不能早于开始日期")
    if not topics:
        raise ValidationError("请至少设置一个学习主题")
    if any(held.on >= start for held in history):
        raise ValidationError("已举行的学习应在重新安排的日期之前")
    away = absences or {}
    presented = dict.fromkeys(staff, 0)
    last: dict[str, date | None] = dict.fromkeys(staff, None)
    for held in sorted(history, key=lambda s: s.on):
        if held.presenter in presented:
            presented[held.presenter] += 1
            last[held.presenter] = held.on
    order = {name: i for i, name in enumerate(staff)}
    sessions: list[Session] = []
    for monday in study_mondays(start, end, calendar):
        present = [name for name in staff if monday not in away.get(name, frozenset())]
        if not present:
            continue
        chosen = min(present, key=lambda n: (presented[n], last[n] or date.min, order[n]))
        presented[chosen] += 1
        last[chosen] = monday
        sessions.append(Session(monday, chosen, topics[(len(history) + len(sessions)) % len(topics)]))
    return sessions
