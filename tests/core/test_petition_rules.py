"""信访's rules without a database: the statutory limits across holidays, 调休 and an unpublished year, and the
repeat check."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.calendar import HolidayOverrides, WorkCalendar
from app.core.errors import ValidationError
from app.core.petitions import (
    acceptance_deadline,
    handling_deadline,
    objection_deadline,
    review_decision_deadline,
    review_request_deadline,
)
from app.core.petitions.repeats import SIMILAR_REQUEST, PetitionerFacts, repeat_match, request_similarity

# ----- limits (2026: 2/15–2/23 and 10/1–10/7 off; 2/14, 2/28 and 10/10 make-up working days) ---------------


def test_acceptance_ends_after_the_national_day_holiday() -> None:
    found = acceptance_deadline(date(2026, 9, 16))  # the 15th day is 10/1, a holiday
    assert (found.date, found.provisional) == (date(2026, 10, 8), False)


def test_handling_with_and_without_an_extension() -> None:
    assert handling_deadline(date(2026, 8, 2)).date == date(2026, 10, 8)
    # 90 days end on Saturday 10/31: the next working day.
    assert handling_deadline(date(2026, 8, 2), 30).date == date(2026, 11, 2)


@pytest.mark.parametrize("days", [31, -1])
def test_an_extension_beyond_30_days_or_below_0_is_refused(days: int) -> None:
    with pytest.raises(ValidationError, match="延期不能超过30日") as raised:
        handling_deadline(date(2026, 8, 2), days)
    assert raised.value.field == "extension_days"


def test_review_request_ends_after_the_spring_festival() -> None:
    assert review_request_deadline(date(2026, 1, 16)).date == date(2026, 2, 24)  # 2/15 is in the holiday


def test_objection_counts_working_days_with_make_up_days() -> None:
    # 2/13 Fri, 2/14 Sat (make-up working day), then the holiday, 2/24, 2/25, 2/26.
    assert objection_deadline(date(2026, 2, 12)).date == date(2026, 2, 26)


def test_an_unpublished_year_gives_a_provisional_date() -> None:
    if WorkCalendar().is_known(date(2028, 5, 1)):
        pytest.skip("chinesecalendar now knows 2028")
    found = review_decision_deadline(date(2028, 4, 20))  # 5/20 is a Saturday
    assert (found.date, found.provisional) == (date(2028, 5, 22), True)


def test_an_administrators_holiday_counts() -> None:
    overrides = HolidayOverrides(holidays=frozenset({date(2026, 10, 8)}))
    assert acceptance_deadline(date(2026, 9, 16), overrides).date == date(2026, 10, 9)


# ----- repeats -----------------------------------------------------------------------------------------------

RETOLD = [
    ("本人承包的村集体土地被征收，征地补偿款至今未发放到位，要求镇政府尽快兑现补偿款。",
     "反映其承包地被征收后，镇政府一直没有发放征地补偿款，请求尽快兑现。"),
    ("要求解决拖欠农民工工资问题，某建筑公司拖欠其工资三万元。", "反映某建筑公司拖欠其务工工资3万元未付，要求帮助讨薪。"),
    ("小区楼下烧烤店油烟和噪音扰民严重，夜间经营到凌晨，要求有关部门依法处理。",
     "反映小区门口烧烤摊油烟噪音扰民，晚上经营到很晚，请求处理。"),
]
DIFFERENT = [
    ("本人承包的村集体土地被征收，征地补偿款至今未发放到位，要求镇政府尽快兑现补偿款。", "反映征地补偿标准过低，要求提高青苗补偿费用。"),
    ("要求解决拖欠农民工工资问题，某建筑公司拖欠其工资三万元。", "反映某物业公司拖欠小区保洁人员工资，要求处理。"),
    ("小区楼下烧烤店油烟和噪音扰民严重，夜间经营到凌晨，要求有关部门依法处理。", "反映小区装修噪音扰民，周末早上七点就开始施工。"),
    ("反映青山镇石桥村道路年久失修，雨天积水无法通行，要求维修村道。", "反映城关镇新华路路灯损坏多日无人维修，夜间出行不便。"),
]


@pytest.mark.parametrize(("a", "b"), RETOLD)
def test_a_retold_request_is_similar(a: str, b: str) -> None:
    assert request_similarity(a, b) >= SIMILAR_REQUEST
    assert request_similarity(a, b) == request_similarity(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_requests_of_one_kind_are_not(a: str, b: str) -> None:
    assert request_similarity(a, b) < SIMILAR_REQUEST


def test_too_short_a_request_matches_nothing() -> None:
    assert request_similarity("要求解决", "要求解决") == 0.0


def facts(name: str = "李明", id_number: str = "", phone: str = "", request: str = "反映其他事项") -> PetitionerFacts:
    return PetitionerFacts(name, id_number, phone, request)


def test_why_a_registration_repeats_an_earlier_one() -> None:
    earlier = facts(id_number="11010519491231002x", phone="13800138000", request=RETOLD[0][0])
    by_id = repeat_match(facts("李敏", id_number=" 11010519491231002X"), earlier)
    assert by_id is not None and by_id.reasons == ("身份证号相同",)
    by_phone = repeat_match(facts(phone="+86 138-0013-8000"), earlier)
    assert by_phone is not None and by_phone.reasons == ("姓名和联系电话相同",)
    by_text = repeat_match(facts("王五", request=RETOLD[0][1]), earlier)
    assert by_text is not None and by_text.reasons[0].startswith("诉求内容相似（相似度")
    assert repeat_match(facts("李明", phone="13900000000", request=DIFFERENT[0][1]), earlier) is None
    # The same name alone, or the same phone under another name, is not a repeat.
    assert repeat_match(facts("张三", phone="13800138000"), earlier) is None
    assert repeat_match(facts(), facts()) is None
