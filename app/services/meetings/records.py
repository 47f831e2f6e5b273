"""会议: who sees a meeting, registering one with its room booked and its attendees, changing it, and how a
meeting reads in every view.

A meeting is a record of the 会议 flow (app.core.meetings.flow); where it stands and who answers for it are
the workflow's. Its agenda, plan, sign-in, seating and decisions have modules of their own beside this one.

Who sees a meeting: everyone with a role in the office (its staff, its leaders, the county's leaders); a unit's
联络员, or anyone of a unit with no role, the meetings their unit organizes or attends or proposed a topic to;
a person named as an attendee, their own meetings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true, update

from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.meetings.flow import ENTITY, FLOW_KEY, PREPARE
from app.core.meetings.plan import MEETING_TYPES
from app.core.meetings.rooms import Booking, check_times, clash_message, first_clash
from app.core.printable import check_printable
from app.core.roles import Role
from app.models import Unit, User, WorkflowInstance
from app.models.base import utcnow
from app.models.meetings import Meeting, MeetingAttendee, MeetingBooking, MeetingRoom, MeetingTopic
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.sequences import next_number
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow
from app.services.workflow import visibility

MAX_TITLE = 200
MAX_NOTES = 2000
MAX_ATTENDEES = 300
# Who registers meetings and runs them: the office's 文秘 and its leaders.
ORGANIZERS: tuple[Role, ...] = (Role.SECRETARY, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
LEADERS: tuple[Role, ...] = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# Roles that see only the meetings of their own unit or their own person.
UNIT_ONLY: frozenset[str] = frozenset({Role.LIAISON.value})
FILES = attachments.RecordFiles(ENTITY, "找不到该文件，可能已被删除")
FILE_PURPOSES: dict[str, str] = {"material": "会议材料", "record": "会议记录"}


@dataclass(frozen=True)
class AttendeeInput:
    """One to attend: a unit (``name`` is whom it sends, may be blank until known) or a person (a user, or a
    name typed for a guest); ``rank`` 1 is the highest; ``zone`` "dais" (主席台) or "hall" (会场)."""

    unit_id: int | None = None
    user_id: int | None = None
    name: str = ""
    post: str = ""
    rank: int = 0
    zone: str = "hall"


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as the form gives it; the service checks and cleans every field. Times are local (naive) or
    aware; they are stored in UTC."""

    meeting_type: str
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    room_id: int | None
    place: str
    host_name: str
    organizer_unit_id: int | None
    notes: str = ""
    attendees: Sequence[AttendeeInput] = ()
    hall_per_row: int = 10


@dataclass(frozen=True)
class AttendeeInfo:
    id: int
    position: int
    unit_id: int | None
    unit_name: str
    user_id: int | None
    name: str
    post: str
    rank: int
    zone: str
    seat: int | None
    attendance: str
    leave_reason: str
    substitute_name: str
    signed_at: datetime | None

    @property
    def label(self) -> str:
        """How the notice, the sheet and the seat card name them: 姓名（职务）, or the unit."""
        who = self.name or self.unit_name
        if self.name and self.unit_name and not self.user_id:
            who = f"{self.unit_name}　{self.name}"
        return f"{who}（{self.post}）" if self.post else who


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    number: str
    meeting_type: str
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    room_name: str
    place: str
    host_name: str
    organizer_unit_id: int
    organizer_unit_name: str
    notes: str
    hall_per_row: int
    cancelled: bool
    instance_id: int
    state: str
    state_label: str
    closed: bool
    responsible_id: int | None
    responsible_name: str
    created_by_name: str
    version: int
    attendees: tuple[AttendeeInfo, ...] = field(default=())
    # The responsible person's phone, for the notice's 联系人.
    responsible_phone: str = ""
    # Where the room is (县政府办公楼三楼), for the printed forms' 会议地点.
    room_location: str = ""

    @property
    def where(self) -> str:
        """The room and its place, or the place typed."""
        return self.room_name or self.place

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone()

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone()

    @property
    def when(self) -> str:
        """2026年3月2日（星期一）上午9:00—11:30"""
        start, end = self.local_start, self.local_end
        weekday = "一二三四五六日"[start.weekday()]
        return f"{start.year}年{start.month}月{start.day}日（星期{weekday}）{start:%H:%M}—{end:%H:%M}"


@dataclass(frozen=True)
class RoomInfo:
    id: int
    name: str
    location: str
    capacity: int
    active: bool
    version: int


# ----- who sees what --------------------------------------------------------------------------------------


def sees_all(actor: Actor) -> bool:
    return actor.id is None or bool(actor.roles - UNIT_ONLY)


def own_meetings(actor: Actor) -> ColumnElement[bool]:
    """The meetings the actor's unit organizes, attends or proposed a topic to, and those they attend in person,
    as SQL on meetings."""
    attending = select(MeetingAttendee.meeting_id).where(
        or_(MeetingAttendee.user_id == actor.id,
            MeetingAttendee.unit_id == actor.unit_id if actor.unit_id is not None else MeetingAttendee.id.is_(None))
    )
    conditions: list[ColumnElement[bool]] = [Meeting.id.in_(attending)]
    if actor.unit_id is not None:
        conditions.append(Meeting.organizer_unit_id == actor.unit_id)
        conditions.append(Meeting.id.in_(select(MeetingTopic.meeting_id).where(MeetingTopic.unit_id == actor.unit_id)))
    return or_(*conditions)


def visible_meetings(actor: Actor) -> ColumnElement[bool]:
    """Which meetings the actor sees, as SQL on meetings (the lists and the calendar filter with it)."""
    return true() if sees_all(actor) else own_meetings(actor)


def _visible_instances(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool] | None:
    """The same rule on the flow's instances, for the workflow's own reads (app.services.workflow.visibility)."""
    if sees_all(actor):
        return None
    return WorkflowInstance.entity_id.in_(select(Meeting.id).where(own_meetings(actor)))


visibility.register(ENTITY, _visible_instances)


def _can_see(uow: UnitOfWork, actor: Actor, meeting: Meeting) -> bool:
    if sees_all(actor):
        return True
    found = uow.session.execute(
        select(Meeting.id).where(Meeting.id == meeting.id, own_meetings(actor)).limit(1)
    ).first()
    return found is not None


@acting
def load(
    uow: UnitOfWork, actor: Actor, meeting_id: int, expected_version: int | None = None
) -> tuple[Meeting, WorkflowInstance]:
    """The meeting and its flow instance, if the actor may see it and it is as they read it."""
    meeting = uow.session.get(Meeting, meeting_id)
    if meeting is None or meeting.instance_id is None:
        raise NotFound("找不到该会议，可能已被删除")
    instance = uow.found(WorkflowInstance, meeting.instance_id, "找不到该会议的办理记录")
    if not _can_see(uow, actor, meeting):
        raise PermissionDenied("您的单位不参加也不承办这个会议，不能查看")
    if expected_version is not None and meeting.version != expected_version:
        raise ConflictError(f"会议“{meeting.title}”已被其他人修改，请刷新后再操作")
    return meeting, instance


def require_organizer(actor: Actor, instance: WorkflowInstance, doing: str) -> None:
    """Who changes a meeting and its plan: its responsible person (经办人) and the office's leaders; the other
    文秘 too, since a meeting is the office's shared work."""
    if actor.id is not None and actor.id == instance.responsible_id:
        return
    require_role(actor, ORGANIZERS, doing)


def require_open(meeting: Meeting, instance: WorkflowInstance, doing: str) -> None:
    if instance.closed:
        raise WorkflowError(f"会议“{meeting.title}”已{'取消' if meeting.cancelled else '办结'}，不能再{doing}")


def touch(meeting: Meeting) -> None:
    """Every act on a meeting moves its version on, so a second client acting on what it saw is refused."""
    meeting.updated_at = utcnow()


class _MeetingRecords:
    """Meetings as app.services.workflow.acts opens them for an act: load() with its visibility."""

    noun = "这个会议"

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str
    ) -> tuple[Meeting, WorkflowInstance]:
        return load(uow, actor, record_id, expected_version)

    def name(self, meeting: Meeting) -> str:
        return f"会议“{meeting.title}”"

    def facts(self, uow: UnitOfWork, meeting: Meeting) -> Mapping[str, Any]:
        return {}


RECORDS = _MeetingRecords()

workflow.register_facts(
    ENTITY, lambda uow, meeting_id: {},
    lambda uow, meeting_id: touch(uow.found(Meeting, meeting_id, "找不到该会议")),
)


def _file_guard(uow: UnitOfWork, actor: Actor, meeting_id: int, purpose: str) -> None:
    if purpose not in FILE_PURPOSES:
        raise ValidationError("文件用途只能是会议材料或会议记录", field="purpose")
    meeting, instance = load(uow, actor, meeting_id)
    require_open(meeting, instance, "增删材料")
    require_organizer(actor, instance, "增删会议材料")


attachments.guard_owner(ENTITY, _file_guard)


# ----- times ----------------------------------------------------------------------------------------------


def to_utc(value: datetime) -> datetime:
    """A time as stored: a naive time is the machine's local time."""
    return value.astimezone(UTC)


# ----- building the views -----------------------------------------------------------------------------


def attendee_infos(uow: UnitOfWork, meeting: Meeting) -> tuple[AttendeeInfo, ...]:
    """The attendees in their order; a person invited by name has their own unit's name (the sign-in sheet's 单位)."""
    user_ids = {a.user_id for a in meeting.attendees if a.user_id is not None and a.unit_id is None}
    user_units = dict(uow.session.execute(
        select(User.id, User.unit_id).where(User.id.in_(user_ids))
    ).all()) if user_ids else {}
    unit_ids = {a.unit_id for a in meeting.attendees if a.unit_id is not None} | {
        u for u in user_units.values() if u is not None}
    names = dict(uow.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}

    def unit_name(a: MeetingAttendee) -> str:
        unit_id = a.unit_id if a.unit_id is not None else user_units.get(a.user_id) if a.user_id else None
        return names.get(unit_id, "") if unit_id is not None else ""

    return tuple(
        AttendeeInfo(
            id=a.id, position=a.position, unit_id=a.unit_id, unit_name=unit_name(a),
            user_id=a.user_id, name=a.name, post=a.post, rank=a.rank, zone=a.zone, seat=a.seat,
            attendance=a.attendance, leave_reason=a.leave_reason, substitute_name=a.substitute_name,
            signed_at=a.signed_at,
        )
        for a in meeting.attendees
    )


def meeting_info(uow: UnitOfWork, meeting: Meeting, instance: WorkflowInstance) -> MeetingInfo:
    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
    room = uow.session.get(MeetingRoom, meeting.room_id) if meeting.room_id is not None else None
    organizer = uow.session.get(Unit, meeting.organizer_unit_id)
    return MeetingInfo(
        id=meeting.id, number=meeting.number, meeting_type=meeting.meeting_type, title=meeting.title,
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, room_id=meeting.room_id,
        room_name=room.name if room is not None else "", place=meeting.place, host_name=meeting.host_name,
        organizer_unit_id=meeting.organizer_unit_id, organizer_unit_name=organizer.name if organizer else "",
        notes=meeting.notes, hall_per_row=meeting.hall_per_row, cancelled=meeting.cancelled,
        instance_id=instance.id, state=instance.state, state_label=flow.step(instance.state).label,
        closed=instance.closed, responsible_id=instance.responsible_id,
        responsible_name=workflow.user_full_name(uow, instance.responsible_id),
        created_by_name=meeting.created_by_name, version=meeting.version, attendees=attendee_infos(uow, meeting),
        responsible_phone=_phone(uow, instance.responsible_id),
        room_location=room.location if room is not None else "",
    )


def _phone(uow: UnitOfWork, user_id: int | None) -> str:
    if user_id is None:
        return ""
    return uow.session.execute(select(User.phone).where(User.id == user_id)).scalar_one_or_none() or ""


def commit_info(uow: UnitOfWork, meeting: Meeting, instance: WorkflowInstance) -> MeetingInfo:
    """How every act on a meeting ends: the meeting as the act leaves it, then committed."""
    uow.flush()
    info = meeting_info(uow, meeting, instance)
    uow.commit()
    return info


# ----- checking what was typed --------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedMeeting:
    meeting_type: str
    title: str
    starts_at: datetime
    ends_at: datetime
    room: MeetingRoom | None
    place: str
    host_name: str
    organizer: Unit
    notes: str
    attendees: tuple[AttendeeInput, ...]
    hall_per_row: int


def _short_text(value: str, limit: int, label: str, field_name: str) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


def _check_attendees(uow: UnitOfWork, attendees: Sequence[AttendeeInput]) -> tuple[AttendeeInput, ...]:
    if len(attendees) > MAX_ATTENDEES:
        raise ValidationError(f"参会人员不能超过{MAX_ATTENDEES}个，请分场次登记", field="attendees")
    cleaned: list[AttendeeInput] = []
    seen: set[tuple[str, int]] = set()
    for index, a in enumerate(attendees, start=1):
        where = f"第{index}位参会人员"
        if a.unit_id is None and a.user_id is None and not a.name.strip():
            raise ValidationError(f"{where}请选择单位或人员，或填写姓名", field="attendees")
        name = _short_text(a.name, 50, f"{where}的姓名", "attendees")
        post = _short_text(a.post, 60, f"{where}的职务", "attendees")
        if a.zone not in ("dais", "hall"):
            raise ValidationError(f"{where}的座位区域只能是主席台或会场", field="attendees")
        if isinstance(a.rank, bool) or not 0 <= a.rank <= 999:
            raise ValidationError(f"{where}的排名应为0至999的整数", field="attendees")
        if a.user_id is not None:
            user = uow.session.get(User, a.user_id)
            if user is None or not user.active:
                raise ValidationError(f"{where}已停用或不存在，请重新选择", field="attendees")
            name = name or user.full_name
            key = ("user", user.id)
            if key in seen:
                raise ValidationError(f"{user.full_name}重复了", field="attendees")
            seen.add(key)
        if a.unit_id is not None:
            unit = uow.session.get(Unit, a.unit_id)
            if unit is None or not unit.active:
                raise ValidationError(f"{where}的单位不存在或已停用，请重新选择", field="attendees")
            if a.user_id is None and not name:
                key = ("unit", unit.id)
                if key in seen:
                    raise ValidationError(f"参会单位{unit.name}重复了", field="attendees")
                seen.add(key)
        cleaned.append(AttendeeInput(a.unit_id, a.user_id, name, post, a.rank, a.zone))
    return tuple(cleaned)


def check_meeting(uow: UnitOfWork, data: MeetingInput) -> CheckedMeeting:
    """Every field of a meeting, or the first thing to fix, in the field's own words."""
    if data.meeting_type not in MEETING_TYPES:
        raise ValidationError(f"会议类型只能是{'、'.join(MEETING_TYPES)}之一", field="meeting_type")
    title = _short_text(data.title, MAX_TITLE, "会议名称", "title")
    if not title:
        raise ValidationError("请填写会议名称", field="title")
    if data.starts_at is None:
        raise ValidationError("请填写会议开始时间", field="starts_at")
    if data.ends_at is None:
        raise ValidationError("请填写会议结束时间", field="ends_at")
    starts, ends = to_utc(data.starts_at), to_utc(data.ends_at)
    check_times(starts, ends)
    room: MeetingRoom | None = None
    if data.room_id is not None:
        room = uow.session.get(MeetingRoom, data.room_id)
        if room is None or not room.active:
            raise ValidationError("所选会议室不存在或已停用，请重新选择", field="room_id")
    place = _short_text(data.place, 100, "会议地点", "place")
    if room is None and not place:
        raise ValidationError("请选择会议室，或填写会议地点", field="room_id")
    host = _short_text(data.host_name, 50, "主持人", "host_name")
    if data.organizer_unit_id is None:
        raise ValidationError("请选择承办单位", field="organizer_unit_id")
    organizer = uow.session.get(Unit, data.organizer_unit_id)
    if organizer is None or not organizer.active:
        raise ValidationError("所选承办单位不存在或已停用，请重新选择", field="organizer_unit_id")
    notes = data.notes.strip()
    if len(notes) > MAX_NOTES:
        raise ValidationError(f"会议要求不能超过{MAX_NOTES}个字，现在有{len(notes)}个字", field="notes")
    check_printable(notes, "会议要求", field="notes")
    if isinstance(data.hall_per_row, bool) or not 1 <= data.hall_per_row <= 40:
        raise ValidationError("会场每排座位数应为1至40个", field="hall_per_row")
    attendees = _check_attendees(uow, data.attendees)
    return CheckedMeeting(data.meeting_type, title, starts, ends, room, place, host, organizer, notes, attendees,
                          data.hall_per_row)


# ----- booking a room -----------------------------------------------------------------------------------


def book_room(uow: UnitOfWork, meeting: Meeting, room: MeetingRoom | None, starts: datetime, ends: datetime) -> None:
    """Holds the room for the meeting, or refuses naming the meeting it clashes with. Inside the caller's
    transaction: the room's row is locked first (the database's write lock on SQLite), so of two clients
    booking the same slot at once the second waits, then sees the first's booking and is refused."""
    existing = uow.session.execute(
        select(MeetingBooking).where(MeetingBooking.meeting_id == meeting.id)
    ).scalar_one_or_none()
    if room is None:
        if existing is not None:
            uow.session.delete(existing)
        return
    uow.execute(
        update(MeetingRoom.__table__).where(MeetingRoom.__table__.c.id == room.id)  # type: ignore[arg-type]
        .values(booking_count=MeetingRoom.__table__.c.booking_count + 1)
    )
    rows = uow.session.execute(
        select(MeetingBooking.room_id, MeetingBooking.starts_at, MeetingBooking.ends_at, MeetingBooking.meeting_id,
               Meeting.title)
        .join(Meeting, Meeting.id == MeetingBooking.meeting_id)
        .where(MeetingBooking.room_id == room.id, MeetingBooking.starts_at < ends, MeetingBooking.ends_at > starts,
               MeetingBooking.meeting_id != meeting.id)
    ).all()
    others = [Booking(r.room_id, _aware(r.starts_at), _aware(r.ends_at), r.meeting_id, r.title) for r in rows]
    clash = first_clash(Booking(room.id, starts, ends, meeting.id), others)
    if clash is not None:
        raise ValidationError(clash_message(room.name, _local(clash)), field="room_id")
    if existing is None:
        uow.session.add(MeetingBooking(room_id=room.id, meeting_id=meeting.id, starts_at=starts, ends_at=ends))
    else:
        existing.room_id, existing.starts_at, existing.ends_at = room.id, starts, ends
    uow.flush()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _local(booking: Booking) -> Booking:
    from dataclasses import replace

    return replace(booking, starts=booking.starts.astimezone(), ends=booking.ends.astimezone())


def release_room(uow: UnitOfWork, meeting: Meeting) -> None:
    """A cancelled meeting gives its room back. Inside the caller's transaction."""
    for booking in uow.session.execute(
        select(MeetingBooking).where(MeetingBooking.meeting_id == meeting.id)
    ).scalars():
        uow.session.delete(booking)


# ----- registering and changing ------------------------------------------------------------------------


def _set_attendees(uow: UnitOfWork, meeting: Meeting, attendees: Sequence[AttendeeInput]) -> None:
    """Keeps the sign-in and the hand-set seat of those who stay (matched by unit, person and name)."""
    kept = {(a.unit_id, a.user_id, a.name): a for a in meeting.attendees}
    rows: list[MeetingAttendee] = []
    for position, a in enumerate(attendees):
        row = kept.pop((a.unit_id, a.user_id, a.name), None)
        if row is None:
            row = MeetingAttendee(unit_id=a.unit_id, user_id=a.user_id, name=a.name)
        row.position, row.post, row.rank = position, a.post, a.rank
        if row.zone != a.zone:
            row.zone, row.seat = a.zone, None
        rows.append(row)
    meeting.attendees = rows


def format_number(year: int, seq: int) -> str:
    return f"会〔{year}〕{seq}号"


@acting
def create_meeting(uow: UnitOfWork, actor: Actor, data: MeetingInput, *, today: date | None = None) -> MeetingInfo:
    """A new meeting at 会前筹备, its room booked, answered for by whoever registers it. Commits."""
    today = today or date.today()
    require_role(actor, ORGANIZERS, "登记会议")
    checked = check_meeting(uow, data)
    if checked.starts_at.astimezone().date() < today:
        raise ValidationError("会议开始时间不能早于今天", field="starts_at")
    year = checked.starts_at.astimezone().year
    seq = next_number(uow, "meeting", year)
    meeting = Meeting(
        year=year, seq=seq, number=format_number(year, seq), meeting_type=checked.meeting_type, title=checked.title,
        starts_at=checked.starts_at, ends_at=checked.ends_at, room_id=checked.room.id if checked.room else None,
        place=checked.place, host_name=checked.host_name, organizer_unit_id=checked.organizer.id,
        notes=checked.notes, hall_per_row=checked.hall_per_row, created_by_name=actor.full_name,
    )
    uow.session.add(meeting)
    uow.flush()
    book_room(uow, meeting, checked.room, checked.starts_at, checked.ends_at)
    _set_attendees(uow, meeting, checked.attendees)
    instance = workflow.start(
        uow, actor, flow_key=FLOW_KEY, entity_type=ENTITY, entity_id=meeting.id, title=meeting.title,
        unit_id=checked.organizer.id, today=today,
    )
    instance.responsible_id = actor.id
    instance.due_date = checked.starts_at.astimezone().date()
    meeting.instance_id = instance.id
    uow.record(actor.id, actor.username, "create", ENTITY, meeting.id,
               {"title": meeting.title, "starts_at": meeting.starts_at.isoformat()}, change_op="insert")
    return commit_info(uow, meeting, instance)


@acting
def update_meeting(
    uow: UnitOfWork, actor: Actor, meeting_id: int, data: MeetingInput, *, expected_version: int | None = None,
) -> MeetingInfo:
    """Changes a meeting not yet closed: its time and room (booked again), attendees and the rest. Commits."""
    meeting, instance = load(uow, actor, meeting_id, expected_version)
    require_open(meeting, instance, "修改")
    require_organizer(actor, instance, "修改会议")
    checked = check_meeting(uow, data)
    if instance.state != PREPARE and (checked.starts_at, checked.ends_at) != (_aware(meeting.starts_at),
                                                                             _aware(meeting.ends_at)):
        raise WorkflowError("会议已召开，不能再更改会议时间")
    before = {"title": meeting.title, "starts_at": meeting.starts_at.isoformat(), "room_id": meeting.room_id}
    book_room(uow, meeting, checked.room, checked.starts_at, checked.ends_at)
    meeting.meeting_type, meeting.title = checked.meeting_type, checked.title
    meeting.starts_at, meeting.ends_at = checked.starts_at, checked.ends_at
    meeting.room_id = checked.room.id if checked.room else None
    meeting.place, meeting.host_name, meeting.organizer_unit_id = checked.place, checked.host_name, checked.organizer.id
    meeting.notes, meeting.hall_per_row = checked.notes, checked.hall_per_row
    _set_attendees(uow, meeting, checked.attendees)
    instance.title = meeting.title[:300]
    instance.unit_id = checked.organizer.id
    if instance.state == PREPARE:
        instance.due_date = checked.starts_at.astimezone().date()
    touch(meeting)
    uow.record(actor.id, actor.username, "update", ENTITY, meeting.id, {
        "before": before,
        "after": {"title": meeting.title, "starts_at": meeting.starts_at.isoformat(), "room_id": meeting.room_id},
    }, change_op="update")
    return commit_info(uow, meeting, instance)


@acting
def get_meeting(uow: UnitOfWork, actor: Actor, meeting_id: int) -> MeetingInfo:
    meeting, instance = load(uow, actor, meeting_id)
    return meeting_info(uow, meeting, instance)


@acting
def meeting_of_instance(uow: UnitOfWork, actor: Actor, instance_id: int) -> int:
    """The meeting behind a flow instance (the 工作台 opens records by instance)."""
    found = uow.session.execute(select(Meeting.id).where(Meeting.instance_id == instance_id)).scalar_one_or_none()
    if found is None:
        raise NotFound("找不到该会议，可能已被删除")
    load(uow, actor, found)
    return int(found)


# ----- rooms ---------------------------------------------------------------------------------------------


def _room_info(room: MeetingRoom) -> RoomInfo:
    return RoomInfo(room.id, room.name, room.location, room.capacity, room.active, room.version)


@acting
def list_rooms(uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False) -> list[RoomInfo]:
    query = select(MeetingRoom).order_by(MeetingRoom.name)
    if not include_inactive:
        query = query.where(MeetingRoom.active.is_(True))
    return [_room_info(r) for r in uow.session.execute(query).scalars()]


def _recorded_meetings_in(uow: UnitOfWork, actor: Actor, room_id: int, name: str, location: str) -> None:
    """A room renamed or moved: every meeting held in it reads its new name and place (its window, its forms and
    综合查询, which is kept by the meetings' own audit entries), so each gets one, naming the room."""
    for meeting_id in uow.session.execute(
        select(Meeting.id).where(Meeting.room_id == room_id).order_by(Meeting.id)
    ).scalars():
        uow.record(actor.id, actor.username, "room_renamed", ENTITY, meeting_id,
                   {"room": room_id, "name": name, "location": location}, change_op="update")


@acting
def save_room(
    uow: UnitOfWork, actor: Actor, room_id: int | None, *, name: str, location: str = "", capacity: int = 0,
    active: bool = True, expected_version: int | None = None,
) -> RoomInfo:
    """Adds a room, or changes one; for the office's leaders and 文秘 (and the administrator). Commits."""
    if actor.id is not None and not actor.has(*ORGANIZERS, Role.ADMIN):
        raise PermissionDenied("只有办公室主任、副主任、文秘人员或系统管理员可以维护会议室")
    name = _short_text(name, 60, "会议室名称", "name")
    if not name:
        raise ValidationError("请填写会议室名称", field="name")
    location = _short_text(location, 100, "会议室位置", "location")
    if isinstance(capacity, bool) or not 0 <= capacity <= 2000:
        raise ValidationError("容纳人数应为0至2000", field="capacity")
    same = uow.session.execute(select(MeetingRoom.id).where(MeetingRoom.name == name)).scalar_one_or_none()
    if same is not None and same != room_id:
        raise ValidationError(f"已有名为“{name}”的会议室", field="name")
    if room_id is None:
        room = MeetingRoom(name=name, location=location, capacity=capacity, active=active)
        uow.session.add(room)
    else:
        room = uow.found(MeetingRoom, room_id, "找不到该会议室，可能已被删除")
        if expected_version is not None and room.version != expected_version:
            raise ConflictError(f"会议室“{room.name}”已被其他人修改，请刷新后再操作")
        moved = (room.name, room.location) != (name, location)
        room.name, room.location, room.capacity, room.active = name, location, capacity, active
        if moved:
            _recorded_meetings_in(uow, actor, room.id, name, location)
    uow.flush()
    uow.record(actor.id, actor.username, "save", "meeting_room", room.id, {"name": name, "active": active},
               change_op="update" if room_id else "insert")
    info = _room_info(room)
    uow.commit()
    return info


# ----- the meeting's files (材料) -----------------------------------------------------------------------------


@acting
def add_file(
    uow: UnitOfWork, actor: Actor, meeting_id: int, *, filename: str, data: bytes, purpose: str,
    mime_type: str | None = None,
) -> attachments.AttachmentInfo:
    """Adds a file of the meeting's (通知, 材料 …); the guard of FILES checks the purpose and the rights."""
    meeting, _instance = load(uow, actor, meeting_id)
    return FILES.add(uow, actor, meeting, filename=filename, data=data, purpose=purpose, mime_type=mime_type)


@acting
def remove_file(uow: UnitOfWork, actor: Actor, meeting_id: int, attachment_id: int) -> None:
    meeting, _instance = load(uow, actor, meeting_id)
    FILES.remove(uow, actor, meeting, attachment_id)


@acting
def file_data(uow: UnitOfWork, actor: Actor, attachment_id: int) -> tuple[attachments.AttachmentInfo, bytes]:
    """A file's content for whoever may see its meeting; the download is audited, so this commits."""
    return FILES.download(uow, actor, attachment_id, lambda meeting_id: load(uow, actor, meeting_id))
