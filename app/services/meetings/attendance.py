"""签到: each attendee's sign-in (到会, 请假 with the reason, 代会 with the substitute's name) and the attendance
summary.

A leave may be known before the meeting, so it is recorded while the meeting is prepared or held; 到会 and 代会
only once the organizers have clicked 开始签到 (the meeting is held). Once the meeting is over (会后落实) the
sign-in stands as recorded. The organizers record it; whoever sees the meeting sees the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.core.errors import NotFound, ValidationError, WorkflowError
from app.core.meetings.flow import ENTITY, HELD, PREPARE
from app.core.printable import check_printable
from app.models.base import utcnow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.meetings import records

PRESENT, LEAVE, SUBSTITUTE = "present", "leave", "substitute"
STATUSES: dict[str, str] = {"": "未签到", PRESENT: "到会", LEAVE: "请假", SUBSTITUTE: "代会"}
MAX_REASON = 200
MAX_SUBSTITUTE = 50


@dataclass(frozen=True)
class AttendanceSummary:
    expected: int
    present: int
    leave: int
    substitute: int
    unsigned: int
    # (present + substitute) / expected, to one decimal: "85.7%"; "—" with nobody expected. A unit that sent
    # someone in its place (代会) took part.
    rate: str
    # (attendee label, reason), in the attendees' order.
    leaves: list[tuple[str, str]]
    # (attendee label, substitute's name).
    substitutes: list[tuple[str, str]]


def _text(value: str, limit: int, label: str, field: str) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field)
    check_printable(text, label, field=field)
    return text


@acting
def sign_in(
    uow: UnitOfWork, actor: Actor, meeting_id: int, attendee_id: int, status: str, *, reason: str = "",
    substitute: str = "", expected_version: int | None = None,
) -> records.AttendeeInfo:
    """Records one attendee's sign-in: "present" (到会), "leave" (请假: the reason), "substitute" (代会: the
    substitute's name), or "" to clear a mistaken entry. Commits."""
    meeting, instance = records.load(uow, actor, meeting_id, expected_version)
    records.require_open(meeting, instance, "登记签到")
    records.require_organizer(actor, instance, "登记签到")
    person = next((a for a in meeting.attendees if a.id == attendee_id), None)
    if person is None:
        raise NotFound("找不到该参会人员，可能已被删除，请刷新后再登记")
    if status not in STATUSES:
        raise ValidationError("签到情况只能是到会、请假、代会或未签到", field="status")
    if instance.state not in (PREPARE, HELD):
        raise WorkflowError(f"会议“{meeting.title}”已经结束，不能再登记签到")
    if status in (PRESENT, SUBSTITUTE) and instance.state != HELD:
        raise WorkflowError("会议还没有开始签到：请先点击“开始签到”，再登记到会或代会")
    reason = _text(reason, MAX_REASON, "请假事由", "reason") if status == LEAVE else ""
    if status == LEAVE and not reason:
        raise ValidationError("请假请填写事由", field="reason")
    substitute = _text(substitute, MAX_SUBSTITUTE, "代会人姓名", "substitute") if status == SUBSTITUTE else ""
    if status == SUBSTITUTE and not substitute:
        raise ValidationError("代会请填写代会人姓名", field="substitute")
    before = person.attendance
    person.attendance, person.leave_reason, person.substitute_name = status, reason, substitute
    person.signed_at = utcnow() if status else None
    person.signed_by_name = actor.full_name if status else ""
    records.touch(meeting)
    uow.record(actor.id, actor.username, "sign_in", ENTITY, meeting.id, {
        "attendee": person.id, "name": person.name, "before": before, "after": status, "reason": reason,
        "substitute": substitute,
    }, change_op="update")
    uow.flush()
    info = next(a for a in records.attendee_infos(uow, meeting) if a.id == person.id)
    uow.commit()
    return info


@dataclass(frozen=True)
class SignInView:
    """What the 签到 tab shows: the meeting with its attendees, and the summary of how they signed in."""

    meeting: records.MeetingInfo
    summary: AttendanceSummary


@acting
def sign_in_of(uow: UnitOfWork, actor: Actor, meeting_id: int) -> SignInView:
    return SignInView(records.get_meeting(uow, actor, meeting_id), attendance_summary(uow, actor, meeting_id))


@acting
def attendance_summary(uow: UnitOfWork, actor: Actor, meeting_id: int) -> AttendanceSummary:
    """到会、请假、代会 and who has not signed, with the rate of attendance."""
    meeting, _ = records.load(uow, actor, meeting_id)
    people = records.attendee_infos(uow, meeting)
    tally = {status: sum(1 for a in people if a.attendance == status) for status in STATUSES}
    expected = len(people)
    if expected:
        share = Decimal(100 * (tally[PRESENT] + tally[SUBSTITUTE])) / Decimal(expected)
        rate = f"{share.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    else:
        rate = "—"
    return AttendanceSummary(
        expected=expected, present=tally[PRESENT], leave=tally[LEAVE], substitute=tally[SUBSTITUTE],
        unsigned=tally[""], rate=rate,
        leaves=[(a.label, a.leave_reason) for a in people if a.attendance == LEAVE],
        substitutes=[(a.label, a.substitute_name) for a in people if a.attendance == SUBSTITUTE],
    )
