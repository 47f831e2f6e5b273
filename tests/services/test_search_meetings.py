"""综合查询 on 会议, on every database: what a meeting is found by (name, number, place, host, units and people
attending, approved topics, decisions, opinions), found the moment its act commits and not before, a change (and
a room renamed) replacing the old text, a cancelled meeting as the list shows it, a 联络员's scope (meetings of
their unit; another unit's topic, and its materials, only once approved), and the index the upkeep keeps equal to
a rebuild."""

from __future__ import annotations

from functools import partial

import pytest

from app.bootstrap import AppContext
from app.services.meetings import agenda, decisions, records
from app.services.search import query
from tests.helpers import search_checks
from tests.helpers.document_office import TODAY, Office, build_office
from tests.helpers.meetings_office import MEETING_DAY, add_rooms, later, meeting_input, new_meeting
from tests.helpers.meetings_steps import take

KIND = "meeting"
# Later meetings' times, so that they take no room from the first.
TWO_DAYS_ON, THREE_DAYS_ON = later(48), later(72)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


found = partial(search_checks.found, KIND)
hit = partial(search_checks.hit, KIND)
assert_upkeep_is_a_rebuild = partial(search_checks.assert_upkeep_is_a_rebuild, KIND)


def test_a_meeting_is_found_by_terms_of_every_length(office: Office) -> None:
    o = office
    rooms = add_rooms(o)
    executive = new_meeting(o, rooms["第一会议室"])  # 县政府第12次常务会议, 陈县长 hosts, 财政局 and 教育局 attend
    forum = new_meeting(o, None, meeting_type="座谈会", title="全县民营企业家座谈会", place="城关镇文化中心",
                        host_name="刘副县长", attendees=[], notes="请各企业负责人携带意见建议材料", starts_at=TWO_DAYS_ON["starts_at"],
                        ends_at=TWO_DAYS_ON["ends_at"])
    assert found(o.ctx, o.director, "务") == [executive]  # one character
    assert found(o.ctx, o.director, "企业") == [forum]  # two
    assert found(o.ctx, o.director, "民营企业") == [forum]  # four
    assert found(o.ctx, o.director, "营民") == []
    # Two words must both match, each in any field.
    assert found(o.ctx, o.director, "座谈会 文化中心") == [forum]
    assert found(o.ctx, o.director, "座谈会 第一会议室") == []
    assert found(o.ctx, o.director, "县政府办公楼三楼") == [executive]  # the room's place
    assert found(o.ctx, o.director, "钱局长") == [executive]  # a unit's attendee
    assert found(o.ctx, o.director, "县教育局") == [executive]  # an attending unit
    assert found(o.ctx, o.director, "刘副县长") == [executive, forum]  # attends one, hosts the other
    assert found(o.ctx, o.director, "意见建议") == [forum]  # 会议要求
    assert found(o.ctx, o.director, f"会〔{MEETING_DAY.year}〕2号") == [forum]
    shown = hit(o.ctx, o.director, "文化中心", forum)
    assert shown.snippet is not None and shown.snippet.label == "会议地点"
    assert (shown.state, shown.closed, shown.year) == ("会前筹备", False, MEETING_DAY.year)
    # Held, its decisions and their lead units are found.
    take(o, executive, "convene", "conclude")
    o.run(decisions.save_decisions, o.clerk, executive, [
        decisions.DecisionInput("县财政局牵头制定城区老旧小区改造资金筹措方案", o.units["财政局"], None),
    ])
    assert found(o.ctx, o.director, "老旧小区") == [executive]
    assert hit(o.ctx, o.director, "老旧小区", executive).snippet.label == "议定事项"  # type: ignore[union-attr]
    assert found(o.ctx, o.director, "会后落实") == []  # the step is a filter, not a word of the record
    assert found(o.ctx, o.director, "老旧小区", state="会后落实") == [executive]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_meeting_is_found_the_moment_its_act_commits_and_not_before(office: Office) -> None:
    o = office
    search_checks.assert_found_the_moment_its_act_commits(
        KIND, o.ctx, o.clerk, "防汛",
        lambda uow: records.create_meeting(
            uow, o.clerk, meeting_input(o, None, title="全县防汛工作专题会议", meeting_type="专题会议",
                                        place="县应急指挥中心"),
            today=TODAY,
        ).id,
    )


def test_a_change_replaces_the_old_text(office: Office) -> None:
    o = office
    rooms = add_rooms(o)
    meeting = new_meeting(o, rooms["第一会议室"])
    info = o.run(records.get_meeting, o.clerk, meeting)
    o.run(records.update_meeting, o.clerk, meeting,
          meeting_input(o, None, title="县政府第13次常务会议", place="县行政服务中心", host_name="王主任"),
          expected_version=info.version)
    assert found(o.ctx, o.director, "第12次") == []
    assert found(o.ctx, o.director, "第一会议室") == []
    assert found(o.ctx, o.director, "陈县长") == [meeting]  # still an attendee
    assert found(o.ctx, o.director, "第13次") == [meeting]
    assert found(o.ctx, o.director, "行政服务") == [meeting]
    # A room renamed: the meetings held in it are found by its new name, not the old one.
    second = new_meeting(o, rooms["第二会议室"], title="县政府第14次常务会议", starts_at=THREE_DAYS_ON["starts_at"],
                         ends_at=THREE_DAYS_ON["ends_at"])
    o.run(records.save_room, o.director, rooms["第二会议室"], name="县政府大会议室", location="县政府办公楼五楼",
          capacity=80)
    assert found(o.ctx, o.director, "第二会议室") == []
    assert found(o.ctx, o.director, "大会议室") == [second]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_cancelled_meeting_is_found_as_the_list_shows_it(office: Office) -> None:
    o = office
    rooms = add_rooms(o)
    meeting = new_meeting(o, rooms["第一会议室"])
    take(o, meeting, "cancel")
    # The 会议 list keeps a cancelled meeting (已取消); so does 综合查询, with its reason.
    assert found(o.ctx, o.director, "常务会议") == [meeting]
    assert found(o.ctx, o.director, "常务会议", state="已取消") == [meeting]
    assert found(o.ctx, o.director, "常务会议", state=query.OPEN) == []
    assert found(o.ctx, o.director, "会议改期") == [meeting]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_liaison_finds_the_meetings_of_their_unit_and_only_the_topics_they_may_read(office: Office, walk: str) -> None:
    o = office
    rooms = add_rooms(o)
    both = new_meeting(o, rooms["第一会议室"])  # 财政局 and 教育局 attend
    finance_only = new_meeting(
        o, None, meeting_type="专题会议", title="财政预算执行专题会议", place="县财政局三楼会议室",
        attendees=[records.AttendeeInput(unit_id=o.units["财政局"], name="钱局长", post="局长", rank=1)],
        starts_at=TWO_DAYS_ON["starts_at"], ends_at=TWO_DAYS_ON["ends_at"],
    )
    assert found(o.ctx, o.director, "会议") == [both, finance_only]
    assert found(o.ctx, o.liaison_fin, "会议") == [both, finance_only]
    assert found(o.ctx, o.liaison_edu, "会议") == [both]
    assert found(o.ctx, o.liaison_edu, "预算执行") == []
    # 财政局's topic, proposed: the organizers and its own unit read it in the agenda, 教育局 does not.
    topic = o.run(agenda.propose_topic, o.liaison_fin, both,
                  agenda.TopicInput("关于调整城区停车收费标准的议题", "拟将临时停车收费标准下调两成", "钱局长", None))
    assert found(o.ctx, o.director, "停车收费") == [both]
    assert found(o.ctx, o.director, "下调两成") == [both]
    assert found(o.ctx, o.liaison_edu, "停车收费") == []
    assert found(o.ctx, o.liaison_edu, "常务会议 停车") == []
    shown = hit(o.ctx, o.director, "停车收费", both)
    assert shown.snippet is not None and shown.snippet.label == "议题（未审定）"
    # Approved (a 常务会议's: reviewed by the office, then approved by its leaders), it is read by every attendee.
    o.run(agenda.review_topic, o.clerk, topic.id, True)
    o.run(agenda.review_topic, o.director, topic.id, True)
    assert found(o.ctx, o.liaison_edu, "停车收费") == [both]
    shown = hit(o.ctx, o.liaison_edu, "停车收费", both)
    assert shown.snippet is not None and shown.snippet.label == "议题"
    assert found(o.ctx, o.liaison_edu, "县财政局 停车") == [both]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_topics_materials_are_searched_as_the_meeting_by_those_who_may_read_the_topic(office: Office) -> None:
    from tests.helpers.docx_bodies import paragraphs

    o = office
    rooms = add_rooms(o)
    both = new_meeting(o, rooms["第一会议室"])  # 财政局 and 教育局 attend
    material = paragraphs("一、基本情况", "城区现有公共停车泊位三千二百个，潮汐停车矛盾突出。")
    topic = o.run(agenda.propose_topic, o.liaison_fin, both,
                  agenda.TopicInput("关于调整城区停车收费标准的议题", "拟将收费标准下调两成", "钱局长", None),
                  files=[("停车收费测算说明.docx", material)])
    # Proposed: its material is read by those who read the topic (the organizers), not by another attendee.
    assert found(o.ctx, o.director, "潮汐停车") == [both]
    assert found(o.ctx, o.director, "测算说明") == [both]  # the file's name
    shown = hit(o.ctx, o.director, "潮汐停车", both)
    assert shown.snippet is not None and shown.snippet.label == "议题材料《停车收费测算说明.docx》"
    assert found(o.ctx, o.liaison_edu, "潮汐停车") == []
    assert found(o.ctx, o.liaison_edu, "测算说明") == []
    # A material added later is found; removed, it is not.
    more = o.run(agenda.add_material, o.liaison_fin, topic.id, "补充说明.docx",
                 paragraphs("错时共享停车场由街道统筹。"))
    assert found(o.ctx, o.director, "错时共享") == [both]
    o.run(agenda.remove_material, o.liaison_fin, topic.id, more.id)
    assert found(o.ctx, o.director, "错时共享") == []
    # Approved, the topic and its material are read by every attendee.
    o.run(agenda.review_topic, o.clerk, topic.id, True)
    o.run(agenda.review_topic, o.director, topic.id, True)
    assert found(o.ctx, o.liaison_edu, "潮汐停车") == [both]
    assert_upkeep_is_a_rebuild(o.ctx)
