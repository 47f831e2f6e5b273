"""会议's lists and calendar: the meetings a user may see (records.visible_meetings), a page at a time with the
list's filters and total (即将召开, 筹备中, 待落实, 全部), or all those in a stretch of days for the week and month
views; whom the editor offers as attendees; and what a meeting's window shows. The UI shows what these return
and builds no SQL of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, false, func, or_, select, true

from app.core.errors import ValidationError
from app.core.meetings.flow import CANCELLED, ENTITY, FLOW_KEY, FOLLOW_UP, HELD, MEETING, PREPARE
from app.core.meetings.plan import MEETING_TYPES
from app.models import Unit, User, WorkflowInstance
from app.models.meetings import Meeting, MeetingRoom
from app.services.admin.users import UnitInfo, list_units
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.attachments import AttachmentInfo, list_attachments
from app.services.kernel.uow import UnitOfWork
from app.services.meetings.records import (
    ORGANIZERS,
    MeetingInfo,
    RoomInfo,
    list_rooms,
    load,
    meeting_info,
    visible_meetings,
)
from app.services.workflow import detail as workflow_detail
from app.services.workflow import urges
from app.services.workflow.worklist import Page, check_page, escape_like, search_text, sort_order

Box = Literal["upcoming", "prepare", "follow_up", "all"]
BOXES: dict[str, str] = {"upcoming": "即将召开", "prepare": "筹备中", "follow_up": "待落实", "all": "全部会议"}
SORT_KEYS = ("starts", "number", "type", "room", "id")
STATE_LABELS: dict[str, str] = {step.key: step.label for step in MEETING.steps}
# A calendar asks for a week or a month (six weeks shown); a longer stretch is no view of ours.
MAX_CALENDAR_DAYS = 62
# More meetings than a month's grid can show in a stretch is a runaway query, not an office's month.
MAX_CALENDAR_MEETINGS = 1000


@dataclass(frozen=True)
class MeetingRow:
    id: int
    number: str
    meeting_type: str
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None
    where: str
    host_name: str
    organizer_unit_name: str
    responsible_name: str
    state: str
    state_label: str
    closed: bool
    cancelled: bool
    instance_id: int

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone()

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone()

    @property
    def time_text(self) -> str:
        """12-01 09:00—11:30 (a meeting over two days says both days)."""
        start, end = self.local_start, self.local_end
        if start.date() == end.date():
            return f"{start:%m-%d %H:%M}—{end:%H:%M}"
        return f"{start:%m-%d %H:%M}—{end:%m-%d %H:%M}"

    @property
    def status(self) -> str:
        """What the 状态 column and the calendar's block say."""
        return "已取消" if self.cancelled else self.state_label


@dataclass(frozen=True)
class MeetingFilter:
    box: Box = "all"
    meeting_type: str | None = None
    room_id: int | None = None
    state: str | None = None
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None


def _day_start(day: date) -> datetime:
    """The local midnight that begins the day, in UTC (meetings are stored in UTC, days are the office's)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def _conditions(actor: Actor, f: MeetingFilter, now: datetime) -> list[ColumnElement[bool]]:
    if f.box not in BOXES:
        raise ValidationError("没有这个会议列表", field="box")
    if f.meeting_type is not None and f.meeting_type not in MEETING_TYPES:
        raise ValidationError(f"会议类型只能是{'、'.join(MEETING_TYPES)}之一", field="meeting_type")
    conditions: list[ColumnElement[bool]] = [visible_meetings(actor), WorkflowInstance.flow_key == FLOW_KEY]
    if f.box == "upcoming":
        # Not yet over, not called off: what the office is getting ready for or holding now.
        conditions += [Meeting.ends_at > now, WorkflowInstance.state.in_((PREPARE, HELD))]
    elif f.box == "prepare":
        conditions.append(WorkflowInstance.state == PREPARE)
    elif f.box == "follow_up":
        conditions.append(WorkflowInstance.state == FOLLOW_UP)
    if f.meeting_type:
        conditions.append(Meeting.meeting_type == f.meeting_type)
    if f.room_id is not None:
        conditions.append(Meeting.room_id == f.room_id)
    if f.state:
        if f.state not in STATE_LABELS:
            raise ValidationError(f"会议环节只能是{'、'.join(STATE_LABELS.values())}", field="state")
        conditions.append(WorkflowInstance.state == f.state)
    if f.year is not None:
        conditions.append(Meeting.year == f.year)
    if f.date_from is not None and f.date_to is not None and f.date_from > f.date_to:
        raise ValidationError("起始日期不能晚于截止日期", field="date_from")
    if f.date_from is not None:
        conditions.append(Meeting.ends_at > _day_start(f.date_from))
    if f.date_to is not None:
        conditions.append(Meeting.starts_at < _day_start(f.date_to + timedelta(days=1)))
    text = search_text(f.search)
    if text:
        pattern = f"%{escape_like(text)}%"
        conditions.append(or_(
            Meeting.number.like(pattern, escape="\\"), Meeting.title.like(pattern, escape="\\"),
            Meeting.host_name.like(pattern, escape="\\"), Meeting.place.like(pattern, escape="\\"),
        ))
    return conditions


def _rows(uow: UnitOfWork, ids_query: Any, order: Sequence[ColumnElement[Any]]) -> list[MeetingRow]:
    """The rows of the meetings the query selects (by id), in this order, with their room, unit and state."""
    page = ids_query.subquery("page")
    found = uow.session.execute(
        select(Meeting, WorkflowInstance, MeetingRoom.name, Unit.name, User.full_name)
        .join(page, page.c.id == Meeting.id)
        .join(WorkflowInstance, WorkflowInstance.id == Meeting.instance_id)
        .outerjoin(MeetingRoom, MeetingRoom.id == Meeting.room_id)
        .outerjoin(Unit, Unit.id == Meeting.organizer_unit_id)
        .outerjoin(User, User.id == WorkflowInstance.responsible_id)
        .order_by(*order)
    ).all()
    return [
        MeetingRow(
            id=meeting.id, number=meeting.number, meeting_type=meeting.meeting_type, title=meeting.title,
            starts_at=meeting.starts_at, ends_at=meeting.ends_at, room_id=meeting.room_id,
            where=room_name or meeting.place, host_name=meeting.host_name, organizer_unit_name=unit_name or "",
            responsible_name=person or "", state=instance.state,
            state_label=STATE_LABELS.get(instance.state, instance.state), closed=instance.closed,
            cancelled=meeting.cancelled or instance.state == CANCELLED, instance_id=instance.id,
        )
        for meeting, instance, room_name, unit_name, person in found
    ]


def _joined() -> ColumnElement[bool]:
    return Meeting.instance_id == WorkflowInstance.id


@acting
def list_meetings(
    uow: UnitOfWork, actor: Actor, f: MeetingFilter = MeetingFilter(), *, offset: int = 0, limit: int = 50,
    order_by: str = "starts", descending: bool | None = None, now: datetime | None = None,
) -> Page[MeetingRow]:
    """A page of a list and its total. 即将召开 and 筹备中 read soonest first; 待落实 and 全部 the latest first,
    unless asked otherwise."""
    check_page(offset, limit)
    if order_by not in SORT_KEYS:
        raise ValidationError(f"不能按“{order_by}”排序", field="order_by")
    now = now or datetime.now(UTC)
    if descending is None:
        descending = f.box in ("follow_up", "all")
    conditions = _conditions(actor, f, now)
    total = int(uow.session.execute(
        select(func.count()).select_from(Meeting).join(WorkflowInstance, _joined()).where(*conditions)
    ).scalar_one())
    sorts: dict[str, list[Any]] = {
        "starts": [Meeting.starts_at, Meeting.id],
        "number": [Meeting.year, Meeting.seq],
        "type": [Meeting.meeting_type, Meeting.starts_at, Meeting.id],
        "room": [Meeting.room_id, Meeting.starts_at, Meeting.id],
        "id": [Meeting.id],
    }
    order = sort_order(sorts[order_by], descending)
    ids = (select(Meeting.id).join(WorkflowInstance, _joined()).where(*conditions)
           .order_by(*order).offset(offset).limit(limit))
    return Page(_rows(uow, ids, order), total, offset)


@acting
def meetings_between(
    uow: UnitOfWork, actor: Actor, first_day: date, last_day: date, *, room_id: int | None = None,
    include_cancelled: bool = True,
) -> list[MeetingRow]:
    """The meetings the actor sees that take place on any of these days (the office's local days, both ends
    included), earliest first: what a week or a month of the calendar shows."""
    if last_day < first_day:
        raise ValidationError("起始日期不能晚于截止日期", field="first_day")
    if (last_day - first_day).days + 1 > MAX_CALENDAR_DAYS:
        raise ValidationError(f"日历一次最多显示{MAX_CALENDAR_DAYS}天", field="last_day")
    conditions = [
        visible_meetings(actor), WorkflowInstance.flow_key == FLOW_KEY,
        Meeting.starts_at < _day_start(last_day + timedelta(days=1)), Meeting.ends_at > _day_start(first_day),
    ]
    if room_id is not None:
        conditions.append(Meeting.room_id == room_id)
    if not include_cancelled:
        conditions += [Meeting.cancelled == false(), WorkflowInstance.state != CANCELLED]
    order: list[Any] = [Meeting.starts_at.asc(), Meeting.id.asc()]
    ids = (select(Meeting.id).join(WorkflowInstance, _joined()).where(*conditions)
           .order_by(*order).limit(MAX_CALENDAR_MEETINGS))
    return _rows(uow, ids, order)



# ----- whom the editor offers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonChoice:
    id: int
    name: str
    title: str
    unit_name: str


@acting
def people_choices(uow: UnitOfWork, actor: Actor) -> list[PersonChoice]:
    """The active users a meeting may name as attendees, by rank (县领导 and the office's leaders first), for
    those who register meetings."""
    require_role(actor, ORGANIZERS, "选择参会人员")
    rows = uow.session.execute(
        select(User.id, User.full_name, User.title, Unit.name)
        .outerjoin(Unit, Unit.id == User.unit_id)
        .where(User.active == true())
        .order_by(User.rank_order, User.full_name, User.id)
    ).all()
    return [PersonChoice(r.id, r.full_name, r.title or "", r.name or "") for r in rows]


@dataclass(frozen=True)
class EditorChoices:
    """What the meeting's form offers: the rooms in use, the units (承办单位) and the people (参会人员)."""

    rooms: list[RoomInfo]
    units: list[UnitInfo]
    people: list[PersonChoice]


@acting
def editor_choices(uow: UnitOfWork, actor: Actor) -> EditorChoices:
    return EditorChoices(list_rooms(uow, actor), list_units(uow, actor), people_choices(uow, actor))


# ----- what the meeting's window shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDetail:
    info: MeetingInfo
    workflow: workflow_detail.InstanceDetail
    files: list[AttachmentInfo]
    urges: list[urges.UrgeInfo]
    # 修改 and the material: the meeting's 经办人 and the office's 文秘 and leaders, while it is open
    # (records.require_organizer and require_open say the same to the services).
    may_edit: bool


@acting
def meeting_detail(uow: UnitOfWork, actor: Actor, meeting_id: int) -> MeetingDetail:
    """The meeting, where it stands with the moves this user may make, its files and its 催办. Commits (the
    window's opening is noted for 撤回, app.services.workflow.withdrawal)."""
    meeting, instance = load(uow, actor, meeting_id)
    info = meeting_info(uow, meeting, instance)
    flow_detail = workflow_detail.instance_detail(uow, actor, instance.id, access_checked=True)
    organizer = (actor.id is not None and actor.id == instance.responsible_id) or actor.has(*ORGANIZERS)
    detail = MeetingDetail(
        info=info, workflow=flow_detail, files=list_attachments(uow, ENTITY, meeting.id),
        urges=urges.urges_for(uow, instance.id), may_edit=organizer and not instance.closed,
    )
    uow.commit()
    return detail
