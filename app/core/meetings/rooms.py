"""Room bookings: a booking holds its room from its start up to (not including) its end, so one meeting may
begin the minute the last ends. Two bookings of one room clash when their times overlap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.errors import ValidationError

# Longer than this is a mistake in the end time, not a meeting (a multi-day session is booked per day).
MAX_BOOKING = timedelta(hours=14)
# Bookings are made to the minute.
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Booking:
    room_id: int
    starts: datetime
    ends: datetime
    meeting_id: int | None = None
    title: str = ""

    def overlaps(self, other: Booking) -> bool:
        return self.room_id == other.room_id and self.starts < other.ends and other.starts < self.ends


def check_times(starts: datetime, ends: datetime) -> None:
    """Refuses a booking whose times cannot be right, saying what to fix."""
    if ends <= starts:
        raise ValidationError("结束时间应晚于开始时间", field="ends")
    if ends - starts > MAX_BOOKING:
        raise ValidationError("一次预订不能超过14小时；跨天的会议请按天分别预订", field="ends")
    if starts.second or starts.microsecond or ends.second or ends.microsecond:
        raise ValidationError("会议时间精确到分钟即可", field="starts")


def first_clash(wanted: Booking, others: Iterable[Booking]) -> Booking | None:
    """The earliest other booking of the same room that overlaps, leaving out the meeting's own booking."""
    clashes = [
        b for b in others
        if b.overlaps(wanted) and (wanted.meeting_id is None or b.meeting_id != wanted.meeting_id)
    ]
    return min(clashes, key=lambda b: (b.starts, b.meeting_id or 0), default=None)


def clash_message(room_name: str, clash: Booking) -> str:
    """The refusal naming the meeting the booking clashes with and its time."""
    day = f"{clash.starts.month}月{clash.starts.day}日"
    span = f"{clash.starts:%H:%M}—{clash.ends:%H:%M}"
    title = f"“{clash.title}”" if clash.title else "其他会议"
    return f"{room_name}在{day}{span}已被{title}预订，请换一个会议室或时间"
