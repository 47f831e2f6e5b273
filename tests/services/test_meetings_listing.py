"""会议's lists and calendar (app.services.meetings.listing): the boxes, the filters and the total, the days a
week or month shows, and who sees which meetings; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.services.meetings import listing, records
from app.services.meetings.listing import MeetingFilter
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.meetings_office import ENDS, add_rooms, later, new_meeting

# Before the meetings of the helpers (2026-12-01), after TODAY.
NOW = datetime(2026, 11, 28, 8, 0).astimezone(UTC)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _three(office: Office) -> dict[str, int]:
    rooms = add_rooms(office)
    return {
        "常务": new_meeting(office, rooms["第一会议室"]),
        "专题": new_meeting(office, rooms["第二会议室"], title="安全生产专题会", meeting_type="专题会议",
                          attendees=[], **later(1)),
        "工作": new_meeting(office, None, title="全县教育工作会", meeting_type="工作会议", place="县教育局三楼",
                          attendees=[], **later(24 * 9)),
    }


def _titles(page: listing.Page[listing.MeetingRow]) -> list[str]:
    return [r.title for r in page.rows]


def test_the_lists_show_the_meetings_soonest_first_with_their_total(office: Office) -> None:
    _three(office)
    upcoming = office.run(listing.list_meetings, office.clerk, MeetingFilter(box="upcoming"), now=NOW)
    assert (upcoming.total, _titles(upcoming)) == (3, ["县政府第12次常务会议", "安全生产专题会", "全县教育工作会"])
    first = upcoming.rows[0]
    assert (first.number, first.where, first.organizer_unit_name, first.status, first.time_text) == (
        "会〔2026〕1号", "第一会议室", "青山县人民政府办公室", "会前筹备", "12-01 09:00—11:30")
    assert upcoming.rows[2].where == "县教育局三楼"
    # 全部 reads the latest first; a page of one keeps the total.
    every = office.run(listing.list_meetings, office.clerk, MeetingFilter(box="all"), limit=1, offset=1, now=NOW)
    assert (every.total, _titles(every)) == (3, ["安全生产专题会"])
    # Once over, a meeting is no longer upcoming.
    after = ENDS.astimezone(UTC)
    later_on = office.run(listing.list_meetings, office.clerk, MeetingFilter(box="upcoming"), now=after)
    assert _titles(later_on) == ["安全生产专题会", "全县教育工作会"]
    assert office.run(listing.list_meetings, office.clerk, MeetingFilter(box="follow_up"), now=NOW).total == 0
    assert office.run(listing.list_meetings, office.clerk, MeetingFilter(box="prepare"), now=NOW).total == 3


def test_the_filters_narrow_the_list(office: Office) -> None:
    made = _three(office)
    rooms = {r.name: r.id for r in office.run(records.list_rooms, office.clerk)}

    def titles(**fields: object) -> list[str]:
        return _titles(office.run(listing.list_meetings, office.clerk, MeetingFilter(**fields),  # type: ignore[arg-type]
                                  order_by="starts", descending=False, now=NOW))

    assert titles(meeting_type="专题会议") == ["安全生产专题会"]
    assert titles(room_id=rooms["第二会议室"]) == ["安全生产专题会"]
    assert titles(search="教育") == ["全县教育工作会"]
    assert titles(search="会〔2026〕1") == ["县政府第12次常务会议"]
    assert titles(search="100%_") == []
    assert titles(date_from=date(2026, 12, 2)) == ["全县教育工作会"]
    assert titles(date_to=date(2026, 12, 1)) == ["县政府第12次常务会议", "安全生产专题会"]
    assert titles(year=2027) == []
    assert titles(state="prepare", box="all") == ["县政府第12次常务会议", "安全生产专题会", "全县教育工作会"]
    assert made["常务"] in {r.id for r in office.run(listing.list_meetings, office.clerk).rows}


@pytest.mark.parametrize(("fields", "message"), [
    ({"box": "mine"}, "没有这个会议列表"),
    ({"meeting_type": "茶话会"}, "会议类型只能是"),
    ({"state": "done"}, "会议环节只能是"),
    ({"date_from": date(2026, 12, 5), "date_to": date(2026, 12, 1)}, "起始日期不能晚于截止日期"),
    ({"search": "字" * 101}, "搜索内容最多"),
])
def test_a_bad_filter_is_refused_in_words(office: Office, fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        office.run(listing.list_meetings, office.clerk, MeetingFilter(**fields))  # type: ignore[arg-type]


def test_a_bad_sort_or_page_is_refused(office: Office) -> None:
    with pytest.raises(ValidationError, match="不能按“title”排序"):
        office.run(listing.list_meetings, office.clerk, order_by="title")
    with pytest.raises(ValidationError, match="分页参数"):
        office.run(listing.list_meetings, office.clerk, limit=0)


def test_the_calendar_shows_the_days_asked_for(office: Office) -> None:
    _three(office)
    week = office.run(listing.meetings_between, office.clerk, date(2026, 11, 30), date(2026, 12, 6))
    assert [r.title for r in week] == ["县政府第12次常务会议", "安全生产专题会"]
    assert [r.local_start.hour for r in week] == [9, 10]
    month = office.run(listing.meetings_between, office.clerk, date(2026, 11, 30), date(2027, 1, 10))
    assert len(month) == 3
    assert office.run(listing.meetings_between, office.clerk, date(2026, 12, 2), date(2026, 12, 6)) == []
    one_room = office.run(listing.meetings_between, office.clerk, date(2026, 11, 30), date(2026, 12, 6),
                          room_id=week[1].room_id)
    assert [r.title for r in one_room] == ["安全生产专题会"]
    with pytest.raises(ValidationError, match="最多显示62天"):
        office.run(listing.meetings_between, office.clerk, date(2026, 11, 1), date(2027, 1, 10))
    with pytest.raises(ValidationError, match="起始日期不能晚于截止日期"):
        office.run(listing.meetings_between, office.clerk, date(2026, 12, 6), date(2026, 11, 30))


@pytest.mark.parametrize(("who", "seen"), [
    ("clerk", 3), ("director", 3), ("mayor", 3), ("vice", 3), ("petition", 3),
    # The 财政局's 联络员 sees the 常务会议 the 财政局 attends; the 教育局's, that one only too (its unit is an
    # attendee), not the 工作会 it has no part in.
    ("liaison_fin", 1), ("liaison_edu", 1),
])
def test_each_role_sees_what_records_lets_it_see(office: Office, who: str, seen: int) -> None:
    _three(office)
    actor = office.people[who]
    page = office.run(listing.list_meetings, actor, MeetingFilter(box="all"), now=NOW)
    assert page.total == len(page.rows) == seen
    calendar = office.run(listing.meetings_between, actor, date(2026, 11, 30), date(2027, 1, 10))
    assert len(calendar) == seen


@pytest.mark.parametrize("who", ["clerk", "director", "deputy"])
def test_the_office_picks_attendees_from_the_active_users(office: Office, who: str) -> None:
    people = office.run(listing.people_choices, office.people[who])
    names = {p.name: p for p in people}
    assert {"陈县长", "刘副县长"} <= set(names)
    assert names["吴联络"].unit_name == "县财政局"
    assert len(names) == len(people)


@pytest.mark.parametrize("who", ["petition", "finance", "mayor", "liaison_fin", "admin"])
def test_nobody_else_lists_the_users(office: Office, who: str) -> None:
    with pytest.raises(PermissionDenied, match="选择参会人员"):
        office.run(listing.people_choices, office.people[who])


@pytest.mark.parametrize(("who", "may_edit", "moves"), [
    ("clerk", True, ["开始签到", "取消会议"]), ("clerk2", True, ["开始签到", "取消会议"]),
    ("director", True, ["开始签到", "取消会议"]), ("deputy", True, ["开始签到", "取消会议"]),
    ("mayor", False, []), ("petition", False, []), ("liaison_fin", False, []),
])
def test_the_window_shows_each_role_what_it_may_do(office: Office, who: str, may_edit: bool,
                                                   moves: list[str]) -> None:
    made = _three(office)
    detail = office.run(listing.meeting_detail, office.people[who], made["常务"])
    assert (detail.info.title, detail.may_edit) == ("县政府第12次常务会议", may_edit)
    assert sorted(c.label for c in detail.workflow.actions) == sorted(moves)
    assert [h.action_label for h in detail.workflow.history] and detail.files == [] and detail.urges == []


def test_the_window_of_a_meeting_not_theirs_is_refused(office: Office) -> None:
    made = _three(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="不能查看"):
        office.run(listing.meeting_detail, office.liaison_fin, made["工作"])
    assert counts(office.ctx) == before
