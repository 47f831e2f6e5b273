"""信访排查 (app.services.petitions.screening) on every database: the counts by category, place, channel and period
over a range, with each filter; the hot issues ranked with their repeats and people; first petitions only (a 复查
is not a new matter); only those who see every case may screen."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.core.petitions.terms import REVIEW
from app.services.petitions import records
from app.services.petitions.screening import (
    ScreeningFilter,
    filter_choices,
    month_range,
    quarter_range,
    screen,
    year_range,
)
from tests.helpers.document_office import Office
from tests.helpers.petitions_office import build_petition_office, id_number, petition_input, register

YEAR = year_range(2026)

# (received, category, place, channel, people, birth of the petitioner, request): six cases of 2026, one of 2025.
# The fourth is the first petitioner again (the same ID number), so it is flagged as a repeat.
CASES = (
    (date(2026, 9, 10), "商品房两证办理", "城关镇", "来访", 1, "19650312",
     "幸福小区交房五年仍未办理不动产权证书，开发商一直拖延"),
    (date(2026, 10, 12), "商品房两证办理", "城关镇", "来信", 3, "19700101",
     "阳光花园业主的土地使用证迟迟不能分割登记到户"),
    (date(2026, 10, 20), "复员退伍军人就业", "河西乡", "来电", 2, "19800505",
     "退役后安置岗位没有落实，乡里说等指标"),
    (date(2026, 11, 2), "商品房两证办理", "城关镇", "来访", 1, "19650312",
     "再次来访：小区产权证办理进度缓慢，问何时能拿到"),
    (date(2026, 11, 5), "复员退伍军人就业", "河西乡", "网上信访", 1, "19810909",
     "转业士官自主就业补助金至今未发放"),
    (date(2026, 11, 10), "征地拆迁", "城关镇", "来访", 5, "19750707",
     "老街改造拆迁补偿标准低于周边项目，五户联名"),
    (date(2025, 12, 20), "商品房两证办理", "城关镇", "来访", 1, "19600606",
     "锦绣家园的房产证办理一事去年反映过至今无果"),
)


def _register_cases(o: Office) -> list[int]:
    ids = []
    for serial, (received, category, place, channel, people, birth, request) in enumerate(CASES, start=100):
        ids.append(register(
            o, received_on=received, category=category, place=place, channel=channel, people_count=people,
            id_number=id_number(birth, str(serial) if birth != "19650312" else "123"),
            name="王建国" if birth == "19650312" else f"信访人{serial}",
            phone=f"1381234{serial:04d}", request=request, facts="",
        ).petition.id)
    return ids


@pytest.fixture
def office(ctx: AppContext) -> Office:
    o = build_petition_office(ctx)
    ids = _register_cases(o)
    # A 复查 of the first case: the same matter again, not counted as a new one.
    first = ids[0]

    def add_review(uow: object) -> None:
        petition, _instance = records.load(uow, o.petition, first)  # type: ignore[arg-type]
        checked = records.check_petition(petition_input(received_on=date(2026, 11, 20), request="请求复查原处理意见"),
                                         date(2026, 11, 27))
        records.add_petition(uow, o.petition, checked, date(2026, 11, 27), stage=REVIEW,  # type: ignore[arg-type]
                             reviews=petition)
        uow.commit()  # type: ignore[attr-defined]

    o.run(add_review)
    return o


def _year(**narrowing: object) -> ScreeningFilter:
    return ScreeningFilter(YEAR[0], YEAR[1], **narrowing)  # type: ignore[arg-type]


def test_the_years_counts_by_category_place_channel_and_month(office: Office) -> None:
    s = office.run(screen, office.petition, _year())
    assert (s.cases, s.people) == (6, 13)
    assert [(t.key, t.cases, t.people) for t in s.by_category] == [
        ("商品房两证办理", 3, 5), ("复员退伍军人就业", 2, 3), ("征地拆迁", 1, 5)]
    assert [(t.key, t.cases, t.people) for t in s.by_place] == [("城关镇", 4, 10), ("河西乡", 2, 3)]
    assert [(t.key, t.cases) for t in s.by_channel][0] == ("来访", 3)
    assert {(t.key, t.cases, t.people) for t in s.by_channel[1:]} == {
        ("来信", 1, 3), ("来电", 1, 2), ("网上信访", 1, 1)}
    assert [p.label for p in s.by_period] == [f"2026年{m}月" for m in range(1, 13)]
    assert [p.cases for p in s.by_period] == [0] * 8 + [1, 2, 3, 0]
    assert s.by_period[10].start == date(2026, 11, 1) and s.by_period[10].end == date(2026, 11, 30)
    # The counts add up: every case is in one category, one place, one channel and one month.
    for breakdown in (s.by_category, s.by_place, s.by_channel):
        assert sum(t.cases for t in breakdown) == s.cases
    assert sum(p.cases for p in s.by_period) == s.cases


def test_the_hot_issues_rank_category_and_place_with_repeats_and_people(office: Office) -> None:
    s = office.run(screen, office.director, _year())
    assert [(h.rank, h.category, h.place, h.cases, h.repeats, h.people) for h in s.hot_issues] == [
        (1, "商品房两证办理", "城关镇", 3, 1, 5), (2, "复员退伍军人就业", "河西乡", 2, 0, 3)]
    first = s.hot_issues[0]
    assert (first.first_received, first.last_received) == (date(2026, 9, 10), date(2026, 11, 2))
    assert first.suggested_title == "城关镇商品房两证办理问题"
    # A single case is no issue; the limit cuts the list.
    assert "征地拆迁" not in {h.category for h in s.hot_issues}
    assert len(office.run(screen, office.director, _year(), hot_limit=1).hot_issues) == 1
    for limit in (0, 101):
        with pytest.raises(ValidationError, match="热点问题最多列出100项"):
            office.run(screen, office.director, _year(), hot_limit=limit)


@pytest.mark.parametrize(("narrowing", "cases", "categories"), [
    ({"category": "商品房两证办理"}, 3, ["商品房两证办理"]),
    ({"place": "河西乡"}, 2, ["复员退伍军人就业"]),
    ({"channel": "来访"}, 3, ["商品房两证办理", "征地拆迁"]),
    ({"place": "城关镇", "channel": "来信"}, 1, ["商品房两证办理"]),
    ({"category": " 征地拆迁 "}, 1, ["征地拆迁"]),
])
def test_each_filter_narrows_every_count(
    office: Office, narrowing: dict[str, str], cases: int, categories: list[str]
) -> None:
    s = office.run(screen, office.petition, _year(**narrowing))
    assert s.cases == cases
    assert [t.key for t in s.by_category] == categories
    assert sum(p.cases for p in s.by_period) == cases


def test_a_period_counts_only_its_days_and_quarters_group_the_months(office: Office) -> None:
    november = office.run(screen, office.petition, ScreeningFilter(*month_range(2026, 11)))
    assert november.cases == 3 and [p.label for p in november.by_period] == ["2026年11月"]
    q4 = office.run(screen, office.petition, ScreeningFilter(*quarter_range(2026, 4)))
    assert q4.cases == 5
    # From mid-December 2025 to 2026: the quarters of both years, the first cut to the period's own start.
    span = office.run(screen, office.petition, ScreeningFilter(date(2025, 12, 15), date(2026, 12, 31),
                                                               granularity="quarter"))
    assert [(p.label, p.cases) for p in span.by_period] == [
        ("2025年第四季度", 1), ("2026年第一季度", 0), ("2026年第二季度", 0), ("2026年第三季度", 1),
        ("2026年第四季度", 5)]
    assert span.by_period[0].start == date(2025, 12, 15) and span.by_period[-1].end == date(2026, 12, 31)
    assert span.cases == 7
    # The days at either end are in the period.
    one_day = office.run(screen, office.petition, ScreeningFilter(date(2026, 11, 10), date(2026, 11, 10)))
    assert one_day.cases == 1


@pytest.mark.parametrize("who", ["petition", "director", "deputy", "clerk", "mayor"])
def test_whoever_sees_every_case_screens_the_same_counts(office: Office, who: str) -> None:
    s = office.run(screen, office.people[who], _year())
    assert (s.cases, len(s.hot_issues)) == (6, 2)
    choices = office.run(filter_choices, office.people[who])
    assert set(choices.categories) == {"商品房两证办理", "复员退伍军人就业", "征地拆迁"}
    assert set(choices.places) == {"城关镇", "河西乡"}


@pytest.mark.parametrize("who", ["liaison_fin", "finance", "admin", "cashier"])
def test_others_may_not_screen(office: Office, who: str) -> None:
    with pytest.raises(PermissionDenied, match="信访排查"):
        office.run(screen, office.people[who], _year())
    with pytest.raises(PermissionDenied):
        office.run(filter_choices, office.people[who])


@pytest.mark.parametrize(("f", "field", "words"), [
    (ScreeningFilter(None, date(2026, 1, 1)), "date_from", "起始日期"),
    (ScreeningFilter(date(2026, 1, 1), None), "date_to", "截止日期"),
    (ScreeningFilter(date(2026, 2, 1), date(2026, 1, 1)), "date_from", "不能晚于"),
    (ScreeningFilter(date(2020, 1, 1), date(2026, 1, 1)), "date_from", "不能超过3年"),
    (ScreeningFilter(*YEAR, channel="飞鸽"), "channel", "信访方式只能是"),
    (ScreeningFilter(*YEAR, granularity="week"), "granularity", "按月或按季度"),  # type: ignore[arg-type]
])
def test_a_bad_filter_is_refused_beside_its_field(office: Office, f: ScreeningFilter, field: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as refused:
        office.run(screen, office.petition, f)
    assert refused.value.field == field


def test_a_period_without_cases_is_all_zeros(office: Office) -> None:
    s = office.run(screen, office.petition, ScreeningFilter(*quarter_range(2026, 1)))
    assert (s.cases, s.people, s.by_category, s.hot_issues) == (0, 0, (), ())
    assert [p.cases for p in s.by_period] == [0, 0, 0]
    with pytest.raises(ValidationError, match="季度"):
        quarter_range(2026, 5)
