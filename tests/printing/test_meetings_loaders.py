"""会议's forms loaded through the meetings services as the user who prints (app.forms.meetings), drawn and read
back: whoever may see the meeting gets it, with the print in the audit log; whoever may not is refused by the
service and leaves no trace. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.db.tables import audit_log
from app.forms import PrintContext, build_registry
from app.forms.meetings import load_meeting_notice, load_sign_in
from app.printing.meetings.data import LEAVE, SUBSTITUTE
from app.services.meetings import records
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, new_meeting
from tests.helpers.pdfcheck import compact, reader


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def text_of(pdf: bytes) -> str:
    return compact("".join(page.extract_text() for page in reader(pdf).pages))


def prints(ctx: AppContext) -> list[Any]:
    with ctx.uow() as uow:
        return list(uow.execute(
            select(audit_log.c.user_id, audit_log.c.entity_type, audit_log.c.entity_id, audit_log.c.detail)
            .where(audit_log.c.action == "print").order_by(audit_log.c.seq)
        ))


SEERS = ["clerk", "clerk2", "director", "deputy", "mayor", "vice", "petition", "admin", "liaison_fin", "liaison_edu"]


@pytest.mark.parametrize("who", SEERS)
def test_the_notice_prints_for_whoever_sees_the_meeting(office: Office, who: str) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    actor = o.people[who]
    data = load_meeting_notice(PrintContext(o.ctx, actor), meeting)
    assert (data.meeting.office_name, data.meeting.place) == ("青山县人民政府办公室", "第一会议室（县政府办公楼三楼）")
    assert data.recipients == ("县财政局", "县教育局") and data.contact == o.clerk.full_name
    text = text_of(build_registry().get("meeting-notice").renderer(data))
    for words in ("关于召开县政府第12次常务会议的通知", "县财政局、县教育局：",
                  "会议时间：2026年12月1日（星期二）上午9:00", "会议地点：第一会议室（县政府办公楼三楼）",
                  "主持人：陈县长", "参会人员：县长陈县长，副县长刘副县长；县财政局局长钱局长，县教育局局长孙局长。",
                  "有关要求：请参会单位主要负责人准时参加，不得委托他人", f"联系人：{o.clerk.full_name}",
                  "青山县人民政府办公室"):
        assert words in text, words
    (entry,) = prints(o.ctx)
    assert entry[:3] == (actor.id, "meeting", meeting)
    assert json.loads(entry[3])["form"] == "meeting-notice"


@pytest.mark.parametrize("load", [load_meeting_notice, load_sign_in])
def test_a_unit_that_neither_attends_nor_organizes_is_refused(
    office: Office, load: Callable[[PrintContext, int], object]
) -> None:
    o = office
    theirs = new_meeting(o, add_rooms(o)["第二会议室"], title="教育工作会", attendees=[])
    before = counts(o.ctx)
    with pytest.raises(PermissionDenied, match="不能查看"):
        load(PrintContext(o.ctx, o.liaison_fin), theirs)
    assert counts(o.ctx) == before and prints(o.ctx) == []
    # The office prints it.
    load(PrintContext(o.ctx, o.clerk), theirs)
    assert len(prints(o.ctx)) == 1


def test_the_sign_in_sheet_carries_the_recorded_sign_in(office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    # The sign-in as the attendance service records it (on its own branch still): set on the rows here.
    from app.models.meetings import MeetingAttendee

    with o.ctx.uow() as uow:
        rows = {a.name: a for a in uow.session.execute(
            select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting)).scalars()}
        rows["刘副县长"].attendance, rows["刘副县长"].leave_reason = LEAVE, "赴市参加会议"
        rows["钱局长"].attendance, rows["钱局长"].substitute_name = SUBSTITUTE, "赵副局长"
        uow.commit()
    pdf = build_registry().load_and_render("meeting-sign-in", PrintContext(o.ctx, o.director), meeting)
    text = text_of(pdf)
    assert "县政府第12次常务会议签到表" in text
    assert "时间：2026年12月1日（星期二）上午9:00—11:30" in text
    assert "1陈县长县长2刘副县长副县长请假（赴市参加会议）3县财政局钱局长局长代会：赵副局长4县教育局孙局长局长" in text
    assert "应到4人，实到＿＿＿人，请假1人，代会1人" in text
    (entry,) = prints(o.ctx)
    assert entry[:3] == (o.director.id, "meeting", meeting)
    assert json.loads(entry[3])["form_title"] == "签到表"


def test_a_meeting_in_a_typed_place_prints_that_place(office: Office) -> None:
    o = office
    meeting = new_meeting(o, None, place="城关镇便民服务中心二楼会议室")
    data = load_sign_in(PrintContext(o.ctx, o.clerk), meeting)
    assert data.meeting.place == "城关镇便民服务中心二楼会议室"
    assert o.run(records.get_meeting, o.clerk, meeting).where == data.meeting.place
