"""会议's forms loaded through the meetings services as the user who prints (app.forms.meetings), drawn and read
back: whoever may see the meeting gets it, with the print in the audit log; whoever may not is refused by the
service and leaves no trace. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.db.tables import audit_log
from app.forms import PrintContext, build_registry
from app.forms.meetings import load_meeting_notice, load_plan, load_seating_chart, load_sign_in
from app.printing.meetings.data import LEAVE, SUBSTITUTE
from app.services.meetings import agenda, attendance, plan, records
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meetings_office import add_rooms, new_meeting
from tests.helpers.meetings_steps import take
from tests.helpers.pdfcheck import compact, reader, text_runs


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


@pytest.mark.parametrize("load", [load_meeting_notice, load_sign_in, load_seating_chart, load_plan])
def test_a_unit_that_neither_attends_nor_organizes_is_refused(
    office: Office, load: Callable[[PrintContext, int], object]
) -> None:
    o = office
    alone = [records.AttendeeInput(user_id=o.mayor.id, post="县长", rank=1, zone="dais")]
    theirs = new_meeting(o, add_rooms(o)["第二会议室"], title="教育工作会", attendees=alone)
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
    people = {a.name: a.id for a in o.run(records.get_meeting, o.clerk, meeting).attendees}
    o.run(attendance.sign_in, o.clerk, meeting, people["刘副县长"], LEAVE, reason="赴市参加会议")
    take(o, meeting, "convene")  # 开始签到: 到会 and 代会 are recorded from then on
    o.run(attendance.sign_in, o.clerk, meeting, people["钱局长"], SUBSTITUTE, substitute="赵副局长")
    pdf = build_registry().load_and_render("meeting-sign-in", PrintContext(o.ctx, o.director), meeting)
    text = text_of(pdf)
    assert "县政府第12次常务会议签到表" in text
    assert "时间：2026年12月1日（星期二）上午9:00—11:30" in text
    # Leaders invited by name sign under their own unit.
    assert "1青山县人民政府陈县长县长2青山县人民政府刘副县长副县长请假（赴市参加会议）3县财政局钱局长局长代会：赵副局长4县教育局孙局长局长" in text
    assert "应到4人，实到＿＿＿人，请假1人，代会1人" in text
    # Once everyone is signed, the sheet counts who came as the attendance summary does.
    for name in ("陈县长", "孙局长"):
        o.run(attendance.sign_in, o.clerk, meeting, people[name], "present")
    summary = o.run(attendance.attendance_summary, o.clerk, meeting)
    text = text_of(build_registry().load_and_render("meeting-sign-in", PrintContext(o.ctx, o.director), meeting))
    assert (f"应到{summary.expected}人，实到{summary.present + summary.substitute}人，"
            f"请假{summary.leave}人，代会{summary.substitute}人") == "应到4人，实到3人，请假1人，代会1人"
    assert "应到4人，实到3人，请假1人，代会1人" in text
    first, _again = prints(o.ctx)
    assert first[:3] == (o.director.id, "meeting", meeting)
    assert json.loads(first[3])["form_title"] == "签到表"


def test_a_meeting_in_a_typed_place_prints_that_place(office: Office) -> None:
    o = office
    meeting = new_meeting(o, None, place="城关镇便民服务中心二楼会议室")
    data = load_sign_in(PrintContext(o.ctx, o.clerk), meeting)
    assert data.meeting.place == "城关镇便民服务中心二楼会议室"
    assert o.run(records.get_meeting, o.clerk, meeting).where == data.meeting.place


def topic(o: Office, unit: str, title: str) -> agenda.TopicInput:
    return agenda.TopicInput(title=title, summary="提请审议。", reporter="", unit_id=o.units[unit])


def test_the_notice_lists_the_approved_agenda_in_its_order(office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    budget = o.run(agenda.propose_topic, o.liaison_fin, meeting, topic(o, "财政局", "审议2027年县级预算调整方案")).id
    schools = o.run(agenda.propose_topic, o.liaison_edu, meeting, topic(o, "教育局", "研究城区学校布局调整事项")).id
    o.run(agenda.propose_topic, o.liaison_edu, meeting, topic(o, "教育局", "研究校车购置事项"))  # not reviewed
    for topic_id in (budget, schools):
        o.run(agenda.review_topic, o.clerk, topic_id, True)  # 办公室已审核
        o.run(agenda.review_topic, o.director, topic_id, True)  # 已审定
    o.run(agenda.order_topics, o.director, meeting, [schools, budget])
    text = text_of(build_registry().load_and_render("meeting-notice", PrintContext(o.ctx, o.liaison_fin), meeting))
    assert ("会议议程（一）研究城区学校布局调整事项（汇报单位：县教育局）"
            "（二）审议2027年县级预算调整方案（汇报单位：县财政局）六、有关要求") in text
    assert "校车购置" not in text


def test_the_seating_chart_prints_the_dais_as_the_audience_sees_it(office: Office) -> None:
    o = office
    dais = [records.AttendeeInput(user_id=o.mayor.id, post="县长", rank=1, zone="dais"),
            records.AttendeeInput(user_id=o.vice.id, post="副县长", rank=2, zone="dais")]
    dais += [records.AttendeeInput(name=name, post="副县长", rank=rank, zone="dais")
             for rank, name in ((3, "张三"), (4, "李四"), (5, "王五"))]
    hall = [records.AttendeeInput(unit_id=o.units["财政局"], name="钱局长", post="局长", rank=1),
            records.AttendeeInput(unit_id=o.units["教育局"], rank=2)]
    meeting = new_meeting(o, add_rooms(o)["第一会议室"], attendees=dais + hall)
    pdf = build_registry().load_and_render("meeting-seating", PrintContext(o.ctx, o.liaison_edu), meeting)
    runs = sorted((x, text.strip()) for text, x, _y, _font in text_runs(pdf, 0))
    leaders = [name for _x, name in runs if name in {"陈县长", "刘副县长", "张三", "李四", "王五"}]
    assert leaders == ["王五", "张三", "陈县长", "刘副县长", "李四"]  # ranks 5 3 1 2 4
    # The hall's row: 钱局长 (rank 1) on the audience's left of the 教育局, which has not said whom it sends.
    hall_names = [name for _x, name in runs if name in {"钱局长", "县教育局"}]
    assert hall_names == ["钱局长", "县教育局"]
    assert "县政府第12次常务会议座次图" in text_of(pdf)
    (entry,) = prints(o.ctx)
    assert entry[:3] == (o.liaison_edu.id, "meeting", meeting)


def test_the_plan_prints_its_phases_with_what_is_done_and_late(office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"])
    view = o.run(plan.make_plan, o.clerk, meeting)
    first = view.tasks[0]
    o.run(plan.set_done, o.clerk, first.id, True)
    sheet = load_plan(PrintContext(o.ctx, o.director), meeting)
    assert [(t.phase, t.text, t.owner, t.done) for t in sheet.tasks] == [
        (t.phase, t.text, o.clerk.full_name, t.id == first.id) for t in view.tasks]
    now = datetime.now(UTC)
    late = [t for t in o.run(plan.plan_of, o.director, meeting).tasks if t.late(now)]
    text = text_of(build_registry().get("meeting-plan").renderer(sheet))
    assert text.startswith("县政府第12次常务会议方案")
    assert f"1{first.text}{o.clerk.full_name}" in text and "已完成" in text
    done = 1
    summary = f"共{len(view.tasks)}项工作任务，已完成{done}项，未完成{len(view.tasks) - done}项"
    assert summary in text
    assert text.count("逾期未完成") == len(late) + (1 if late else 0)  # each late task, and the count
    assert len(prints(o.ctx)) == 1


def test_a_meeting_with_nobody_to_seat_has_no_chart(office: Office) -> None:
    o = office
    meeting = new_meeting(o, add_rooms(o)["第一会议室"], attendees=[])
    before = counts(o.ctx)
    with pytest.raises(ValidationError, match="还没有排座次"):
        load_seating_chart(PrintContext(o.ctx, o.clerk), meeting)
    assert counts(o.ctx) == before and prints(o.ctx) == []
