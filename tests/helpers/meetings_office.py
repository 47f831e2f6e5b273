"""The 公文 tests' office with 会议: two rooms, and a 常务会议 of the office in the 第一会议室 that the 财政局 and
the 教育局 attend with the county's leaders, registered by the clerk. No tests live here."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.services.meetings import records
from tests.helpers.document_office import TODAY, Office

# The meeting's day: the Tuesday after TODAY (2026-11-27, a Friday).
MEETING_DAY = date(2026, 12, 1)
STARTS = datetime(2026, 12, 1, 9, 0)
ENDS = datetime(2026, 12, 1, 11, 30)


def add_rooms(o: Office) -> dict[str, int]:
    """Two rooms, made by the director: {name: id}."""
    made = {}
    for name, location, capacity in (("第一会议室", "县政府办公楼三楼", 40), ("第二会议室", "县政府办公楼五楼", 80)):
        made[name] = o.run(records.save_room, o.director, None, name=name, location=location, capacity=capacity).id
    return made


def attendees(o: Office) -> list[records.AttendeeInput]:
    return [
        records.AttendeeInput(user_id=o.mayor.id, post="县长", rank=1, zone="dais"),
        records.AttendeeInput(user_id=o.vice.id, post="副县长", rank=2, zone="dais"),
        records.AttendeeInput(unit_id=o.units["财政局"], name="钱局长", post="局长", rank=3),
        records.AttendeeInput(unit_id=o.units["教育局"], name="孙局长", post="局长", rank=4),
    ]


def meeting_input(o: Office, room_id: int | None, **fields: object) -> records.MeetingInput:
    values: dict[str, object] = {
        "meeting_type": "常务会议", "title": "县政府第12次常务会议", "starts_at": STARTS, "ends_at": ENDS,
        "room_id": room_id, "place": "", "host_name": "陈县长", "organizer_unit_id": o.units["办公室"],
        "notes": "请参会单位主要负责人准时参加，不得委托他人", "attendees": attendees(o),
    }
    values.update(fields)
    return records.MeetingInput(**values)  # type: ignore[arg-type]


def new_meeting(o: Office, room_id: int | None, by: str = "clerk", today: date = TODAY, **fields: object) -> int:
    return int(o.run(records.create_meeting, o.people[by], meeting_input(o, room_id, **fields), today=today).id)


def later(hours: float) -> dict[str, datetime]:
    """The meeting's times moved on by so many hours, as fields for meeting_input."""
    shift = timedelta(hours=hours)
    return {"starts_at": STARTS + shift, "ends_at": ENDS + shift}
