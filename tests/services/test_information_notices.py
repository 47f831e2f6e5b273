"""The notice of the groups' quota completion (app.services.information.notices): weeks counted once, in the
period of their Thursday (across 6-30/7-1 and across New Year), weeks shortened by the real holiday calendar (国庆,
a make-up working Saturday), a week not yet ended is not missed, articles per half-year, adoptions keeping the
points they earned, the office's totals, 评先评优, and who may read it; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.models.information import InfoIssue
from app.services.information import adoptions, items, notices
from app.services.kernel import settings
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, group_id, new_item


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def _quota(o: Office, weekly: int, research: int = 1) -> None:
    with o.ctx.uow() as uow:
        settings.update_settings(uow, o.admin, {"info_weekly_quota": weekly, "info_research_quota": research})


def _group(notice: notices.Notice, name: str) -> notices.GroupResult:
    return next(g for g in notice.groups if g.name == name)


def _week(result: notices.GroupResult, monday: date) -> tuple[int, int, bool, bool]:
    week = next(w for w in result.weeks if w.monday == monday)
    return week.quota, week.written, week.ended, week.missed


def test_periods_and_their_weeks() -> None:
    assert notices.period_span(2026, 3) == (date(2026, 7, 1), date(2026, 9, 30))
    assert notices.period_span(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert notices.notice_title(2026, 3) == "关于2026年第三季度政务信息报送情况的通报"
    assert notices.notice_title(2026, None) == "关于2026年度政务信息报送情况的通报"
    # 2026-01-01 is a Thursday: the week from 2025-12-29 is 2026's, and the week of 2026-12-31 (Thursday) too.
    year = notices.period_weeks(2026, None)
    assert (year[0], year[-1], len(year)) == (date(2025, 12, 29), date(2026, 12, 28), 53)
    # The week across 6-30/7-1 (Thursday 7-2) is the third quarter's, not the second's.
    assert notices.period_weeks(2026, 2)[-1] == date(2026, 6, 22)
    assert notices.period_weeks(2026, 3)[0] == date(2026, 6, 29)
    # Every week of the year is in exactly one quarter.
    quarters = [m for q in (1, 2, 3, 4) for m in notices.period_weeks(2026, q)]
    assert quarters == year


def test_every_years_weeks_are_its_quarters_and_its_half_years() -> None:
    from app.core.information.quotas import weeks_of_half_year

    for year in range(notices.MIN_YEAR, notices.MAX_YEAR + 1):
        weeks = notices.period_weeks(year, None)
        assert [m for q in (1, 2, 3, 4) for m in notices.period_weeks(year, q)] == weeks, year
        assert weeks_of_half_year(year, 1) + weeks_of_half_year(year, 2) == weeks, year
        assert notices.period_weeks(year, 1) + notices.period_weeks(year, 2) == weeks_of_half_year(year, 1), year
        assert all((m + timedelta(days=3)).year == year and m.weekday() == 0 for m in weeks), year
        assert len(weeks) in (52, 53), year
        # The next year starts the Monday after this one's last week ends: no week lost or counted twice.
        assert notices.period_weeks(year + 1, 1)[0] == weeks[-1] + timedelta(days=7), year


def test_a_week_across_the_half_years_counts_once_in_the_half_with_its_thursday(office: Office) -> None:
    o = office
    _quota(o, 2)
    new_item(o, today=date(2026, 6, 29))
    new_item(o, today=date(2026, 6, 30))
    new_item(o, today=date(2026, 6, 26))  # a Friday: the week of 6-22, the second quarter's last
    today = date(2026, 7, 20)
    q2 = _group(o.run(notices.notice, o.clerk, 2026, 2, today=today), "第一信息组")
    q3 = _group(o.run(notices.notice, o.clerk, 2026, 3, today=today), "第一信息组")
    assert q2.items == 1 and q3.items == 2
    assert _week(q2, date(2026, 6, 22)) == (2, 1, True, True)
    assert _week(q3, date(2026, 6, 29)) == (2, 2, True, False)
    assert date(2026, 6, 29) not in [w.monday for w in q2.weeks]
    # The half-years agree: the week of 6-29 is the second half's.
    assert [h.half for h in q3.halves] == [2] and q3.halves[0].weeks[0].monday == date(2026, 6, 29)
    assert q3.halves[0].items == 2


def test_across_new_year_the_week_is_the_year_of_its_thursday(office: Office) -> None:
    o = office
    _quota(o, 1)
    new_item(o, today=date(2025, 12, 30))  # Tuesday of the week whose Thursday is 2026-01-01
    today = date(2026, 1, 20)
    first = _group(o.run(notices.notice, o.clerk, 2026, 1, today=today), "第一信息组")
    assert _week(first, date(2025, 12, 29)) == (1, 1, True, False)
    assert first.items == 1
    earlier = _group(o.run(notices.notice, o.clerk, 2025, 4, today=today), "第一信息组")
    assert earlier.weeks[-1].monday == date(2025, 12, 22) and earlier.items == 0
    # The office's totals count it in 2026's weeks, not 2025's days.
    assert o.run(notices.notice, o.clerk, 2026, 1, today=today).totals.items == 1
    assert o.run(notices.notice, o.clerk, 2025, 4, today=today).totals.items == 0


def test_weeks_cut_by_holidays_ask_less(office: Office) -> None:
    o = office
    notice = o.run(notices.notice, o.clerk, 2026, 4, today=date(2026, 12, 31))
    first = _group(notice, "第一信息组")
    # 国庆: 9-28..9-30 work (Thursday 10-1 puts the week in the fourth quarter): 3 of 5.
    assert _week(first, date(2026, 9, 28))[0] == 3
    # 10-5..10-11: 10-8, 10-9 and the make-up Saturday 10-10 are working days: 3 of 5.
    assert _week(first, date(2026, 10, 5))[0] == 3
    assert _week(first, date(2026, 10, 12))[0] == 5
    # 2026-02-09..15: six working days (a make-up Saturday) ask no more than five.
    spring = _group(o.run(notices.notice, o.clerk, 2026, 1, today=date(2026, 12, 31)), "第一信息组")
    assert _week(spring, date(2026, 2, 9))[0] == 5
    # The Spring Festival week 2-16..22 is wholly on holiday: it asks none and cannot be missed.
    assert _week(spring, date(2026, 2, 16)) == (0, 0, True, False)
    # An office's own holiday (a day set in 系统设置) cuts the week too.
    with o.ctx.uow() as uow:
        settings.set_holiday(uow, o.admin, date(2026, 10, 14), False, "防汛停休补假")
    again = _group(o.run(notices.notice, o.clerk, 2026, 4, today=date(2026, 12, 31)), "第一信息组")
    assert _week(again, date(2026, 10, 12))[0] == 4


def test_meeting_and_missing_the_quota_and_an_open_week(office: Office) -> None:
    o = office
    _quota(o, 2)
    for day in (date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 23)):
        new_item(o, today=day)
    new_item(o, "clerk2", today=date(2026, 11, 23))
    # A draft never counts; nor does an item sent back to its author.
    new_item(o, today=date(2026, 11, 10), submit=False)
    returned = new_item(o, today=date(2026, 11, 10))
    o.run(items.return_item, o.clerk, returned, "请补充数据来源", today=date(2026, 11, 11))
    # An article is not an item.
    new_item(o, today=date(2026, 11, 9), kind="article")
    today = date(2026, 11, 25)  # a Wednesday: the week of 11-23 is still open
    notice = o.run(notices.notice, o.clerk, 2026, 4, today=today)
    first, second = _group(notice, "第一信息组"), _group(notice, "第二信息组")
    assert _week(first, date(2026, 11, 2)) == (2, 2, True, False)
    assert _week(first, date(2026, 11, 9)) == (2, 1, True, True)
    assert _week(first, date(2026, 11, 16)) == (2, 0, True, True)
    assert _week(first, date(2026, 11, 23)) == (2, 1, False, False)
    assert _week(first, date(2026, 12, 7)) == (2, 0, False, False)
    assert first.items == 5 - 1 and first.articles == 1
    assert second.items == 1
    # The fourth quarter's 14 weeks, 国庆's two shortened ones asking ceil(2×3/5) = 2 each; 应报 counts the 8
    # weeks ended by 11-25 (9-28 … 11-16), 实报 every item so far.
    assert len(first.weeks) == 14 and first.period_quota == 28
    assert first.quota == 16 and first.completion_text == "25%"
    ended = [w for w in first.weeks if w.ended]
    assert first.weeks_missed == sum(1 for w in ended if w.written < w.quota)
    # The order is the groups' own; every active group is listed.
    assert [g.name for g in notice.groups][:3] == ["第一信息组", "第二信息组", "第三信息组"]
    assert len(notice.groups) == 8
    assert (second.leader_name, first.leader_name) == ("王主任", "李副主任")


def test_articles_per_half_year(office: Office) -> None:
    o = office
    _quota(o, 0, research=1)
    new_item(o, today=date(2026, 3, 10), kind="article")
    new_item(o, "clerk2", today=date(2026, 7, 10), kind="article")
    # In the first half's last days the half-year is open: nobody has missed it.
    june = o.run(notices.notice, o.clerk, 2026, 2, today=date(2026, 6, 30))
    assert not _group(june, "第二信息组").halves[0].articles_missed
    assert not _group(june, "第二信息组").loses_eligibility
    notice = o.run(notices.notice, o.clerk, 2026, None, today=date(2026, 8, 1))
    first, second = _group(notice, "第一信息组"), _group(notice, "第二信息组")
    assert [(h.half, h.articles, h.articles_missed) for h in first.halves] == [(1, 1, False), (2, 0, False)]
    assert [(h.half, h.articles, h.articles_missed) for h in second.halves] == [(1, 0, True), (2, 1, False)]
    assert (first.article_quota, first.half_articles, first.articles) == (2, 1, 1)
    assert second.loses_eligibility and not first.loses_eligibility
    assert second.eligibility_reasons == ("2026年上半年未完成调研文章任务",)
    # A quarter shows its half-year's articles, and the articles of its own days.
    q3 = _group(o.run(notices.notice, o.clerk, 2026, 3, today=date(2026, 8, 1)), "第二信息组")
    assert (q3.article_quota, q3.half_articles, q3.articles) == (1, 1, 1)
    assert o.run(notices.notice, o.clerk, 2026, None, today=date(2026, 8, 1)).totals.articles == 2


def test_eligibility_is_the_years(office: Office) -> None:
    o = office
    _quota(o, 1, research=0)
    new_item(o, today=date(2025, 12, 29))
    new_item(o, today=date(2026, 1, 5))
    new_item(o, "clerk2", today=date(2026, 1, 5))
    today = date(2026, 1, 12)
    notice = o.run(notices.notice, o.clerk, 2026, 4, today=today)
    first, second = _group(notice, "第一信息组"), _group(notice, "第二信息组")
    # The fourth quarter has not begun, but the second group missed 2026's first week: the year's 评先评优 is lost.
    assert first.weeks_missed == second.weeks_missed == 0
    assert not first.loses_eligibility and first.eligibility_text == "保留"
    assert second.loses_eligibility and second.eligibility_text == "取消"
    assert second.eligibility_reasons == ("2026年上半年有1周未完成信息报送任务",)
    assert [g.name for g in notice.losing][:2] == ["第二信息组", "第三信息组"]


def test_adoptions_keep_their_points_and_the_totals(office: Office) -> None:
    o = office
    one = new_item(o, today=date(2026, 10, 12))
    two = new_item(o, "clerk2", today=date(2026, 10, 13))
    summer = new_item(o, today=date(2026, 8, 3))
    o.run(adoptions.record_adoption, o.clerk, one, body="市政府办公室", level="市级", adopted_on=date(2026, 10, 20),
          today=date(2026, 10, 20))
    o.run(adoptions.record_adoption, o.clerk, one, body="省政府办公厅", level="省级", adopted_on=date(2026, 10, 21),
          today=date(2026, 10, 21))
    # Adopted in the fourth quarter, written in the third: it counts where its adoption is dated.
    o.run(adoptions.record_adoption, o.clerk, summer, body="市政府办公室", level="市级", adopted_on=date(2026, 10, 2),
          today=date(2026, 10, 2))
    # Adopted in the third quarter: not the fourth's.
    o.run(adoptions.record_adoption, o.clerk, summer, body="省政府办公厅", level="省级", adopted_on=date(2026, 9, 2),
          today=date(2026, 10, 2))
    with o.ctx.uow() as uow:
        settings.update_settings(uow, o.admin, {"adoption_points": {"市级": "4", "省级": "6", "国家级": "12"}})
    o.run(adoptions.record_adoption, o.clerk, two, body="国务院办公厅", level="国家级", adopted_on=date(2026, 11, 2),
          today=date(2026, 11, 2))
    with o.ctx.uow() as uow:
        for seq, (day, issued) in enumerate([(date(2026, 10, 15), True), (date(2026, 11, 5), True),
                                             (date(2026, 9, 30), True), (date(2026, 12, 1), False)], start=1):
            uow.session.add(InfoIssue(year=2026, seq=seq, issue_date=day, issued=issued))
        uow.commit()
    notice = o.run(notices.notice, o.clerk, 2026, 4, today=date(2026, 12, 1))
    first, second = _group(notice, "第一信息组"), _group(notice, "第二信息组")
    # The old adoptions keep 3 and 5 points; the one after the change earns the new 12.
    assert (first.adoptions, first.adopted_items, first.points) == (3, 2, 3 + 5 + 3)
    assert (second.adoptions, second.adopted_items, second.points) == (1, 1, 12)
    assert notice.totals == notices.Totals(issues=2, items=2, adopted_items=3, points=23, articles=0, adoptions=4)
    third = _group(o.run(notices.notice, o.clerk, 2026, 3, today=date(2026, 12, 1)), "第一信息组")
    assert (third.adoptions, third.points, third.items) == (1, 5, 1)


def test_inactive_groups_are_left_out_but_their_items_count_for_the_office(office: Office) -> None:
    o = office
    new_item(o, "clerk", today=date(2026, 10, 12), group_id=group_id(o, "second"), author_name="钱会计")
    from app.services.information import groups

    second = next(g for g in o.run(groups.list_groups, o.admin) if g.name == "第二信息组")
    o.run(groups.save_group, o.admin, second.id, name=second.name, leader_id=second.leader_id,
          member_ids=[m.user_id for m in second.members], active=False)
    notice = o.run(notices.notice, o.clerk, 2026, 4, today=date(2026, 12, 1))
    assert "第二信息组" not in [g.name for g in notice.groups]
    assert notice.totals.items == 1


def test_who_may_read_it(office: Office) -> None:
    o = office
    for who in ("clerk", "director", "deputy", "petition", "finance", "clerk2"):
        assert o.run(notices.notice, o.people[who], 2026, 4, today=date(2026, 12, 1)).year == 2026
    for who in ("cashier", "mayor", "liaison_fin"):
        with pytest.raises(PermissionDenied, match="信息组"):
            o.run(notices.notice, o.people[who], 2026, 4, today=date(2026, 12, 1))


@pytest.mark.parametrize(("year", "quarter", "field"), [
    (1999, None, "year"), (2101, 1, "year"), (2026, 0, "quarter"), (2026, 5, "quarter"), (True, None, "year"),
])
def test_a_bad_period_is_refused(office: Office, year: int, quarter: int | None, field: str) -> None:
    o = office
    with pytest.raises(ValidationError) as raised:
        o.run(notices.notice, o.clerk, year, quarter, today=date(2026, 12, 1))
    assert raised.value.field == field
    assert "年份" in str(raised.value) or "季度" in str(raised.value)


def test_the_workbook_reads_back_and_quotes_formula_like_names(office: Office) -> None:
    import io

    from openpyxl import load_workbook

    from app.services.information import groups
    from app.services.information.notice_sheet import notice_sheet

    o = office
    _quota(o, 1)
    third = next(g for g in o.run(groups.list_groups, o.admin) if g.name == "第三信息组")
    o.run(groups.save_group, o.admin, third.id, name="=HYPERLINK(\"x\")组", leader_id=None, member_ids=[])
    one = new_item(o, today=date(2026, 10, 12))
    o.run(adoptions.record_adoption, o.clerk, one, body="市政府办公室", level="市级", adopted_on=date(2026, 10, 20),
          today=date(2026, 10, 20))
    notice = o.run(notices.notice, o.clerk, 2026, 4, today=date(2026, 10, 21))
    content = notice_sheet(notice)
    assert content[:2] == b"PK"
    book = load_workbook(io.BytesIO(content))
    summary, weeks = book["各组完成情况"], book["每周明细"]
    rows = [[c.value for c in row] for row in summary.iter_rows()]
    assert rows[0][0] == "关于2026年第四季度政务信息报送情况的通报"
    assert rows[1][:5] == ["组别", "分管领导", "应报信息", "实报信息", "完成率"]
    first = rows[2]
    # By 10-21 the weeks of 9-28, 10-5 and 10-12 have ended: 3 asked, 1 written.
    assert first[:4] == ["第一信息组", "李副主任", 3, 1] and first[4] == pytest.approx(1 / 3) and first[10] == 3
    assert first[11] == "取消" and "未完成信息报送任务" in first[12]
    # The name that looks like a formula is text, quoted, never a live formula.
    cell = summary.cell(row=5, column=1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=HYPERLINK(\"x\")组", "s", True)
    totals = {row[1]: row[2] for row in rows if row and row[0] == "合计"}
    assert totals == {"编发《政务信息》（期）": 0, "报送信息（条）": 1, "被上级采用（条）": 1, "得分（分）": 3,
                      "完成调研文章（篇）": 0}
    week_rows = [[c.value for c in row] for row in weeks.iter_rows(min_row=3)]
    assert len(week_rows) == 14 * 8
    def day(value: object) -> date:
        return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]

    assert [(r[0], day(r[1]), day(r[2]), r[3], r[4], r[5]) for r in week_rows[:4]] == [
        ("第一信息组", date(2026, 9, 28), date(2026, 10, 4), 1, 0, "未完成"),
        ("第一信息组", date(2026, 10, 5), date(2026, 10, 11), 1, 0, "未完成"),
        ("第一信息组", date(2026, 10, 12), date(2026, 10, 18), 1, 1, "已完成"),
        ("第一信息组", date(2026, 10, 19), date(2026, 10, 25), 1, 0, "进行中"),
    ]
