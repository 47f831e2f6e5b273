"""座次: where each attendee sits, on the 主席台 (one row) and in the hall (rows of the meeting's seats per row).

By rank unless someone dragged a seat: app.core.meetings.seating.arrange has the rule. A drag writes the whole
zone's order as hand-set seats (and the zone the person left, if they changed zone), so what the organizer saw
is what stays; 恢复按排名 clears them. Anyone who sees the meeting sees its seating; its organizers change it
while it is not closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import NotFound
from app.core.meetings.flow import ENTITY
from app.core.meetings.seating import DAIS_PER_ROW, arrange, drop, flatten
from app.models.meetings import Meeting, MeetingAttendee
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.meetings import records

ZONES: dict[str, str] = {"dais": "主席台", "hall": "会场"}


@dataclass(frozen=True)
class SeatView:
    attendee_id: int
    # As the seat card prints them: 姓名（职务）, or the unit (records.AttendeeInfo.label).
    label: str
    name: str
    post: str
    rank: int
    zone: str
    # 0-based: the row from the front, the seat from the audience's left.
    row: int
    column: int
    unit_name: str = ""


@dataclass(frozen=True)
class SeatingPlan:
    meeting_id: int
    title: str
    # Rows front first, each from the audience's left.
    dais: list[list[SeatView]]
    hall: list[list[SeatView]]
    # Whether any seat was set by hand (a drag), rather than all by rank.
    by_hand: bool
    # The meeting's version, for the next drag's expected_version.
    version: int = 0
    hall_per_row: int = 10


def _per_row(meeting: Meeting, zone: str) -> int:
    return DAIS_PER_ROW if zone == "dais" else meeting.hall_per_row


def _zone_rows(meeting: Meeting) -> dict[str, list[list[int]]]:
    """Each zone's rows of attendee ids, as arrange() seats them."""
    return {
        zone: arrange([(a.id, a.rank, a.seat) for a in meeting.attendees if a.zone == zone], _per_row(meeting, zone))
        for zone in ZONES
    }


def _plan(uow: UnitOfWork, meeting: Meeting) -> SeatingPlan:
    infos = {a.id: a for a in records.attendee_infos(uow, meeting)}
    rows = _zone_rows(meeting)

    def views(zone: str) -> list[list[SeatView]]:
        return [
            [
                SeatView(
                    attendee_id=i, label=infos[i].label, name=infos[i].name or infos[i].unit_name, post=infos[i].post,
                    rank=infos[i].rank, zone=zone, row=r, column=c, unit_name=infos[i].unit_name,
                )
                for c, i in enumerate(row)
            ]
            for r, row in enumerate(rows[zone])
        ]

    return SeatingPlan(
        meeting_id=meeting.id, title=meeting.title, dais=views("dais"), hall=views("hall"),
        by_hand=any(a.seat is not None for a in meeting.attendees), version=meeting.version,
        hall_per_row=meeting.hall_per_row,
    )


def _commit_plan(uow: UnitOfWork, meeting: Meeting) -> SeatingPlan:
    records.touch(meeting)
    uow.flush()
    plan = _plan(uow, meeting)
    uow.commit()
    return plan


@acting
def seating_of(uow: UnitOfWork, actor: Actor, meeting_id: int) -> SeatingPlan:
    """The 座次: for the chart on screen, the printed 座次图 and the seat cards."""
    meeting, _ = records.load(uow, actor, meeting_id)
    return _plan(uow, meeting)


@acting
def move_seat(
    uow: UnitOfWork, actor: Actor, meeting_id: int, attendee_id: int, zone: str, index: int, *,
    expected_version: int | None = None,
) -> SeatingPlan:
    """Puts the attendee at seat ``index`` (0-based, from the audience's left, row by row) of ``zone`` ("dais"
    主席台 or "hall" 会场), which may be the other zone; past the last seat puts them last. The zones it
    touches keep the order shown, now by hand. Commits."""
    meeting, instance = records.load(uow, actor, meeting_id, expected_version)
    records.require_open(meeting, instance, "调整座次")
    records.require_organizer(actor, instance, "调整座次")
    person = next((a for a in meeting.attendees if a.id == attendee_id), None)
    if person is None:
        raise NotFound("找不到该参会人员，可能已被删除，请刷新后再调整")
    rows = _zone_rows(meeting)
    orders = drop({z: flatten(r) for z, r in rows.items()}, person.id, zone, index)
    touched = {zone, person.zone}
    before = {"zone": person.zone, "seat": person.seat}
    person.zone = zone
    by_id: dict[int, MeetingAttendee] = {a.id: a for a in meeting.attendees}
    for name in touched:
        for seat, attendee_id_in_zone in enumerate(orders[name]):
            by_id[attendee_id_in_zone].seat = seat
    uow.record(actor.id, actor.username, "move_seat", ENTITY, meeting.id, {
        "attendee": person.id, "name": person.name, "before": before, "after": {"zone": zone, "seat": person.seat},
    }, change_op="update")
    return _commit_plan(uow, meeting)


@acting
def reset_seating(
    uow: UnitOfWork, actor: Actor, meeting_id: int, *, expected_version: int | None = None
) -> SeatingPlan:
    """恢复按排名: clears every hand-set seat, so both zones are seated by rank again (each person stays in the
    zone they were put in). Commits."""
    meeting, instance = records.load(uow, actor, meeting_id, expected_version)
    records.require_open(meeting, instance, "调整座次")
    records.require_organizer(actor, instance, "调整座次")
    cleared = 0
    for attendee in meeting.attendees:
        if attendee.seat is not None:
            attendee.seat = None
            cleared += 1
    uow.record(actor.id, actor.username, "reset_seating", ENTITY, meeting.id, {"cleared": cleared},
               change_op="update")
    return _commit_plan(uow, meeting)
