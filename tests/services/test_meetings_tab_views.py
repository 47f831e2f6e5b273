"""What each tab of the meeting window reads in one service call (agenda_of, sign_in_of, decisions_view,
listing.editor_choices) and the meeting's files (records.add_file, remove_file, file_data): the same as the
parts they are made of, for whoever may see the meeting, and refused to anyone else with nothing changed; on
SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.services.meetings import agenda, attendance, decisions, listing, records
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, new_meeting


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


@pytest.mark.parametrize("who", ["clerk", "director", "liaison_fin"])
def test_each_tab_reads_what_its_parts_say(office: Office, who: str) -> None:
    meeting_id = new_meeting(office, add_rooms(office)["第一会议室"])
    actor = office.people[who]
    meeting = office.run(records.get_meeting, actor, meeting_id)
    shown = office.run(agenda.agenda_of, actor, meeting_id)
    assert (shown.meeting_type, shown.topics) == (meeting.meeting_type, office.run(agenda.topics_of, actor, meeting_id))
    signed = office.run(attendance.sign_in_of, actor, meeting_id)
    assert signed.meeting == meeting
    assert signed.summary == office.run(attendance.attendance_summary, actor, meeting_id)
    decided = office.run(decisions.decisions_view, actor, meeting_id)
    assert (decided.title, decided.decisions) == (meeting.title, office.run(decisions.decisions_of, actor, meeting_id))


@pytest.mark.parametrize("read", [agenda.agenda_of, attendance.sign_in_of, decisions.decisions_view])
def test_a_tab_of_a_meeting_one_may_not_see_is_refused(office: Office, read: object) -> None:
    theirs = new_meeting(office, add_rooms(office)["第二会议室"], title="教育工作会", attendees=[])
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(read, office.liaison_fin, theirs)  # type: ignore[arg-type]
    assert counts(office.ctx) == before


def test_the_form_offers_rooms_units_and_people_to_those_who_register_meetings(office: Office) -> None:
    rooms = add_rooms(office)
    choices = office.run(listing.editor_choices, office.clerk)
    assert {room.name for room in choices.rooms} == set(rooms)
    assert [p.id for p in choices.people] == [p.id for p in office.run(listing.people_choices, office.clerk)]
    assert choices.units and all(unit.name for unit in choices.units)
    with pytest.raises(PermissionDenied):
        office.run(listing.editor_choices, office.liaison_fin)


def test_the_meetings_files_through_its_services(office: Office) -> None:
    meeting_id = new_meeting(office, add_rooms(office)["第一会议室"])
    purpose = sorted(records.FILE_PURPOSES)[0]
    added = office.run(records.add_file, office.clerk, meeting_id, filename="会议材料.txt", data=b"agenda",
                       purpose=purpose)
    info, data = office.run(records.file_data, office.liaison_fin, added.id)
    assert (info.filename, data) == ("会议材料.txt", b"agenda")
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(records.add_file, office.liaison_fin, meeting_id, filename="x.txt", data=b"x", purpose=purpose)
    with pytest.raises(PermissionDenied):
        office.run(records.remove_file, office.liaison_fin, meeting_id, added.id)
    assert counts(office.ctx) == before
    office.run(records.remove_file, office.clerk, meeting_id, added.id)
    assert office.run(listing.meeting_detail, office.clerk, meeting_id).files == []
