"""What 会议's printed forms take: plain frozen dataclasses that the loaders fill from the services (never ORM
objects), and the few words the forms share (a meeting's time as the office writes it, a task's 完成情况).

Each refuses, with a Chinese message naming what to fix, what would print a wrong form: a meeting without a
name, one that ends before it starts, a plan task in a phase that is not one of the five.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.core.errors import ValidationError
from app.core.meetings.plan import PHASES
from app.core.meetings.seating import MAX_SEATS

WEEKDAYS = "一二三四五六日"

# 完成情况 of a plan task.
DONE = "已完成"
NOT_DONE = "未完成"
LATE = "逾期未完成"

# AttendeeInfo.attendance, as the 签到表's 备注 says it.
PRESENT, LEAVE, SUBSTITUTE = "present", "leave", "substitute"


def day_text(moment: datetime | date) -> str:
    """2026年12月1日（星期二）"""
    return f"{moment.year}年{moment.month}月{moment.day}日（星期{WEEKDAYS[moment.weekday()]}）"


def clock_text(moment: datetime) -> str:
    """上午9:00, 中午12:30, 下午3:00, 晚上7:30: the twelve-hour clock the office's notices use."""
    hour, minute = moment.hour, moment.minute
    if hour < 12:
        part, shown = "上午", hour
    elif hour == 12:
        part, shown = "中午", 12
    elif hour < 18:
        part, shown = "下午", hour - 12
    else:
        part, shown = "晚上", hour - 12
    return f"{part}{shown}:{minute:02d}"


def meeting_time_text(starts_at: datetime) -> str:
    """2026年12月1日（星期二）上午9:00"""
    return f"{day_text(starts_at)}{clock_text(starts_at)}"


def due_text(moment: datetime) -> str:
    """A task's 完成时限: 11月28日 17:00 (a plan spans days around one meeting, so no year)."""
    return f"{moment.month}月{moment.day}日 {moment.hour}:{moment.minute:02d}"


@dataclass(frozen=True)
class MeetingFacts:
    """The meeting as every form heads it. Times are the office's local time."""

    office_name: str
    number: str  # 会〔2026〕1号
    meeting_type: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    host: str
    organizer_unit: str
    responsible: str = ""

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValidationError("会议缺少名称，不能打印", field="title")
        if self.ends_at <= self.starts_at:
            raise ValidationError("会议结束时间应晚于开始时间", field="ends_at")

    @property
    def when(self) -> str:
        """2026年12月1日（星期二）上午9:00"""
        return meeting_time_text(self.starts_at)

    @property
    def span(self) -> str:
        """2026年12月1日（星期二）上午9:00—11:30 (the end's own day when it ends on another)."""
        end = self.ends_at
        tail = f"{end.hour}:{end.minute:02d}" if end.date() == self.starts_at.date() else meeting_time_text(end)
        return f"{self.when}—{tail}"


@dataclass(frozen=True)
class Attendee:
    """One attendee as the forms print them: a unit (``name`` blank until the unit says whom it sends) or a
    person; with their sign-in as far as it is recorded."""

    unit: str
    name: str
    post: str = ""
    attendance: str = ""
    leave_reason: str = ""
    substitute_name: str = ""
    # Invited by name (a county leader), not as a unit: the notice names the person alone and does not send
    # to their unit; the sign-in sheet still shows the unit.
    in_person: bool = False

    def __post_init__(self) -> None:
        if not (self.unit.strip() or self.name.strip()):
            raise ValidationError("参会人员缺少单位和姓名", field="attendees")
        if self.attendance not in ("", PRESENT, LEAVE, SUBSTITUTE):
            raise ValidationError(f"未知的签到情况“{self.attendance}”", field="attendees")

    @property
    def remark(self) -> str:
        """The 签到表's 备注: 请假 (and why) or 代会 (and who), where it is recorded."""
        if self.attendance == LEAVE:
            return f"请假（{self.leave_reason}）" if self.leave_reason.strip() else "请假"
        if self.attendance == SUBSTITUTE:
            return f"代会：{self.substitute_name}" if self.substitute_name.strip() else "代会"
        return ""

    @property
    def named(self) -> str:
        """How the notice lists them: 职务姓名 (县长陈某), or the unit with whom it sends."""
        who = f"{self.post}{self.name}" if self.name else ""
        if self.unit and who and not self.in_person:
            return f"{self.unit}{who}"
        return who or f"{self.unit}负责人"


@dataclass(frozen=True)
class AgendaEntry:
    """One approved topic (议题), in the order it is taken, with the unit that reports on it."""

    title: str
    unit: str = ""


@dataclass(frozen=True)
class MeetingNoticeData:
    """会议通知: the meeting, whom it goes to (主送: the attending units), who attends, the agenda, the
    meeting's requirements (有关要求), the contact (联系人), and the office's 署名 and 成文日期."""

    meeting: MeetingFacts
    attendees: Sequence[Attendee]
    issued_on: date
    agenda: Sequence[AgendaEntry] = ()
    notes: str = ""
    contact: str = ""
    contact_phone: str = ""

    def __post_init__(self) -> None:
        if self.issued_on > self.meeting.starts_at.date():
            raise ValidationError("通知的成文日期不能晚于会议召开的日期", field="issued_on")
        object.__setattr__(self, "attendees", tuple(self.attendees))
        object.__setattr__(self, "agenda", tuple(self.agenda))

    @property
    def recipients(self) -> tuple[str, ...]:
        """The attending units, each once, in the order they are listed."""
        seen: list[str] = []
        for attendee in self.attendees:
            if attendee.unit and not attendee.in_person and attendee.unit not in seen:
                seen.append(attendee.unit)
        return tuple(seen)


@dataclass(frozen=True)
class SignInSheet:
    """签到表: one row per attendee, in the order they are listed."""

    meeting: MeetingFacts
    attendees: Sequence[Attendee]

    def __post_init__(self) -> None:
        object.__setattr__(self, "attendees", tuple(self.attendees))


@dataclass(frozen=True)
class Seat:
    """One seat of the 座次图: who sits there (blank: a seat left free)."""

    name: str = ""
    post: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.post.strip())


@dataclass(frozen=True)
class SeatingChart:
    """座次图: the 主席台's rows and the hall's rows, each row's seats from the AUDIENCE's left to its right,
    the front row first (the 主席台's row nearest the hall, the hall's row nearest the 主席台)."""

    meeting: MeetingFacts
    dais: Sequence[Sequence[Seat]]
    hall: Sequence[Sequence[Seat]] = ()

    def __post_init__(self) -> None:
        dais = tuple(tuple(row) for row in self.dais if row)
        hall = tuple(tuple(row) for row in self.hall if row)
        for rows, where in ((dais, "主席台"), (hall, "会场")):
            for number, row in enumerate(rows, start=1):
                if len(row) > MAX_SEATS:
                    raise ValidationError(f"{where}第{number}排有{len(row)}个座位，一排最多{MAX_SEATS}个",
                                          field="seats")
        if not dais and not hall:
            raise ValidationError("还没有排座次，请先排定主席台或会场的座次", field="seats")
        object.__setattr__(self, "dais", dais)
        object.__setattr__(self, "hall", hall)


@dataclass(frozen=True)
class PlanTask:
    """One task of the plan: in which phase, what, who answers for it, by when, and whether it is done."""

    phase: str
    text: str
    owner: str = ""
    due_at: datetime | None = None
    done: bool = False

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValidationError(f"工作任务“{self.text}”的阶段“{self.phase}”不是会议方案的五个阶段之一",
                                  field="tasks")
        if not self.text.strip():
            raise ValidationError(f"{self.phase}阶段有一项工作任务没有内容", field="tasks")


@dataclass(frozen=True)
class PlanSheet:
    """会议方案: the meeting and its tasks, phase by phase, as they stand at ``as_of`` (the print's time)."""

    meeting: MeetingFacts
    tasks: Sequence[PlanTask]
    as_of: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "tasks", tuple(self.tasks))

    def phase_tasks(self, phase: str) -> tuple[PlanTask, ...]:
        return tuple(task for task in self.tasks if task.phase == phase)

    def status(self, task: PlanTask) -> str:
        """已完成, or 未完成, or 逾期未完成 when its time has passed undone."""
        if task.done:
            return DONE
        if task.due_at is not None and task.due_at < self.as_of:
            return LATE
        return NOT_DONE
