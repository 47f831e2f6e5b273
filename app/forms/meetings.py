"""The loaders of 会议's forms: a meeting's 会议通知, 签到表, 座次图 and 会议方案, each given the meeting's id.

Each reads through the meetings services as the user who prints (so a user who may not see the meeting is
refused by the service's own check), turns the meeting's UTC times into the office's local time, makes the
form's data (which refuses what would print wrong), and only then records the print in the audit log against
the meeting: a refused print leaves no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from app.forms.context import Source, actor_of, record_print

if TYPE_CHECKING:
    from app.printing.meetings.data import (
        AgendaEntry,
        Attendee,
        MeetingFacts,
        MeetingNoticeData,
        PlanSheet,
        SeatingChart,
        SignInSheet,
    )
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork
    from app.services.meetings.records import AttendeeInfo, MeetingInfo

ENTITY = "meeting"
T = TypeVar("T")


def local(moment: datetime) -> datetime:
    """A stored (UTC) time as the office's wall clock shows it, without its zone: the forms compare and
    print plain local times."""
    return moment.astimezone().replace(tzinfo=None)


def _place(info: MeetingInfo) -> str:
    """The room with where it is (第一会议室（县政府办公楼三楼）), or the place typed."""
    location = info.room_location.strip()
    return f"{info.room_name}（{location}）" if info.room_name and location else info.where


def meeting_facts(uow: UnitOfWork, info: MeetingInfo) -> MeetingFacts:
    from app.printing.meetings.data import MeetingFacts
    from app.services.kernel.settings import get_setting

    return MeetingFacts(
        office_name=str(get_setting(uow, "office_name")), number=info.number, meeting_type=info.meeting_type,
        title=info.title, starts_at=local(info.starts_at), ends_at=local(info.ends_at),
        place=_place(info), host=info.host_name, organizer_unit=info.organizer_unit_name,
        responsible=info.responsible_name,
    )


def attendee(info: AttendeeInfo) -> Attendee:
    from app.printing.meetings.data import Attendee

    return Attendee(unit=info.unit_name, name=info.name, post=info.post, attendance=info.attendance,
                    leave_reason=info.leave_reason, substitute_name=info.substitute_name,
                    in_person=info.user_id is not None and info.unit_id is None)


def agenda(uow: UnitOfWork, actor: Actor, meeting_id: int) -> list[AgendaEntry]:
    """The approved topics in the order they are taken: what the notice lists as 会议议程 (a topic still under
    review, or turned down, is not on it)."""
    from app.core.meetings.agenda import APPROVED
    from app.printing.meetings.data import AgendaEntry
    from app.services.meetings.agenda import topics_of

    return [AgendaEntry(t.title, t.unit_name) for t in topics_of(uow, actor, meeting_id) if t.state == APPROVED]


def _load(ctx: Source, meeting_id: int, form: str, build: Callable[[UnitOfWork, Actor, MeetingInfo, MeetingFacts], T]) -> T:
    """One form's data, read as the user who prints, then the print recorded: ``build`` makes the data from the
    meeting (refusing what would print wrong) before the audit entry is written, so a refusal leaves none."""
    from app.services.meetings.records import get_meeting

    actor = actor_of(ctx)
    with ctx.uow() as uow:
        info = get_meeting(uow, actor, meeting_id)
        data = build(uow, actor, info, meeting_facts(uow, info))
        record_print(uow, ctx, form, ENTITY, info.id)
    return data


def load_meeting_notice(ctx: Source, meeting_id: int) -> MeetingNoticeData:
    """会议通知: dated today, or the meeting's day when it is printed again after the meeting."""
    from app.printing.meetings.data import MeetingNoticeData

    def build(uow: UnitOfWork, actor: Actor, info: MeetingInfo, facts: MeetingFacts) -> MeetingNoticeData:
        return MeetingNoticeData(
            meeting=facts, attendees=[attendee(a) for a in info.attendees], agenda=agenda(uow, actor, info.id),
            issued_on=min(date.today(), facts.starts_at.date()), notes=info.notes, contact=info.responsible_name,
            contact_phone=info.responsible_phone,
        )

    return _load(ctx, meeting_id, "meeting-notice", build)


def load_sign_in(ctx: Source, meeting_id: int) -> SignInSheet:
    from app.printing.meetings.data import SignInSheet

    return _load(ctx, meeting_id, "meeting-sign-in", lambda uow, actor, info, facts: SignInSheet(
        meeting=facts, attendees=[attendee(a) for a in info.attendees]))


def load_seating_chart(ctx: Source, meeting_id: int) -> SeatingChart:
    """座次图: the seating as app.services.meetings.seating arranges it (by rank, or as dragged), each row from
    the audience's left; a seat names its person, or the unit when it has not said whom it sends. A meeting
    with nobody to seat is refused."""
    from app.printing.meetings.data import Seat, SeatingChart
    from app.services.meetings.seating import seating_of

    def build(uow: UnitOfWork, actor: Actor, info: MeetingInfo, facts: MeetingFacts) -> SeatingChart:
        seating = seating_of(uow, actor, info.id)
        return SeatingChart(
            meeting=facts,
            dais=[[Seat(view.name, view.post) for view in row] for row in seating.dais],
            hall=[[Seat(view.name, view.post) for view in row] for row in seating.hall],
        )

    return _load(ctx, meeting_id, "meeting-seating", build)


def load_plan(ctx: Source, meeting_id: int) -> PlanSheet:
    """会议方案: the plan's tasks as they stand now (a task past its time undone prints as 逾期未完成)."""
    from app.printing.meetings.data import PlanSheet, PlanTask
    from app.services.meetings.plan import plan_of

    def build(uow: UnitOfWork, actor: Actor, info: MeetingInfo, facts: MeetingFacts) -> PlanSheet:
        tasks = plan_of(uow, actor, info.id).tasks
        return PlanSheet(
            meeting=facts,
            tasks=[PlanTask(t.phase, t.text, t.owner_name, local(t.due_at), t.done) for t in tasks],
            as_of=datetime.now(),
        )

    return _load(ctx, meeting_id, "meeting-plan", build)
