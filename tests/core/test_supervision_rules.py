"""督查督办's rules without a database: classes and sources, the notice's arithmetic, and the sheet's rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES, priority_class, source_of
from app.core.supervision.ledger_sheet import COLUMNS, SheetProblems, check_rows, parse_deadline
from app.core.supervision.notice import (
    ItemFacts,
    Tally,
    month_period,
    notice_figures,
    quarter_period,
    year_period,
)

# ----- classes and sources ---------------------------------------------------------------------------------


def test_each_class_sets_its_rhythm() -> None:
    assert [(c.label, c.rhythm, c.every) for c in PRIORITY_CLASSES] == [
        ("重点督办", "weekly", 1), ("马上督办", "workdays", 1), ("定期督办", "monthly", 1),
    ]
    assert priority_class(" 重点 ").label == "重点督办"
    with pytest.raises(ValidationError, match="督办类别“一般督办”无效，应为重点督办、马上督办、定期督办之一"):
        priority_class("一般督办")


def test_sources_and_their_other_names() -> None:
    assert source_of("市级交办") == "上级交办事项"
    assert all(source_of(s) == s for s in SOURCES)
    with pytest.raises(ValidationError, match="事项来源“群众来信”无效"):
        source_of("群众来信")


# ----- the notice ------------------------------------------------------------------------------------------

Q3 = quarter_period(2026, 3)


def item(n: int, unit: str, deadline: date, closed: date | None = None, *, opened: date = date(2026, 1, 5),
         source: str = "政府工作报告") -> ItemFacts:
    return ItemFacts(n, f"事项{n}", unit, source, opened, deadline, closed)


def test_periods() -> None:
    assert (Q3.start, Q3.end, Q3.label) == (date(2026, 7, 1), date(2026, 9, 30), "2026年第三季度")
    feb = month_period(2028, 2)
    assert (feb.start, feb.end, feb.label) == (date(2028, 2, 1), date(2028, 2, 29), "2028年2月")
    assert year_period(2026).end == date(2026, 12, 31)
    with pytest.raises(ValidationError, match="季度应为1至4"):
        quarter_period(2026, 5)
    with pytest.raises(ValidationError, match="月份应为1至12"):
        month_period(2026, 0)


def test_completion_rate_counts_only_items_due_in_the_period() -> None:
    items = [
        item(1, "交通局", date(2026, 8, 31), date(2026, 8, 31)),  # due, closed on its deadline: on time
        item(2, "交通局", date(2026, 8, 31), date(2026, 9, 2)),  # due, closed late
        item(3, "交通局", date(2026, 9, 15)),  # due, still open at the end: overdue
        item(4, "交通局", date(2026, 12, 31), date(2026, 8, 1)),  # due after the period, closed early
        item(5, "交通局", date(2026, 12, 31)),  # due after the period, open: in progress
        item(6, "交通局", date(2026, 7, 10), date(2026, 6, 30)),  # due in the period, closed before it began
        item(7, "交通局", date(2026, 9, 30), opened=date(2026, 10, 8)),  # opened after the period: not counted
    ]
    office = notice_figures(items, Q3).office
    assert (office.due, office.closed_on_time) == (4, 2)
    assert office.rate == Decimal("50.0") and office.rate_text == "50.0%"
    assert (office.closed, office.closed_late) == (3, 1)
    assert (office.in_progress, office.overdue) == (1, 1)


def test_nothing_due_has_no_rate() -> None:
    figures = notice_figures([item(1, "教育局", date(2027, 3, 1))], Q3)
    assert figures.office.rate is None and figures.office.rate_text == "—"
    assert figures.by_unit[0].in_progress == 1


def test_units_are_ranked_by_rate_then_fewer_overdue() -> None:
    items = [
        item(1, "甲局", date(2026, 8, 1), date(2026, 7, 30)),
        item(2, "甲局", date(2026, 8, 1)),
        item(3, "乙局", date(2026, 8, 1), date(2026, 7, 30)),
        item(4, "丙局", date(2026, 8, 1), date(2026, 7, 30)),
        item(5, "丙局", date(2026, 12, 1)),
        item(6, "丁局", date(2027, 1, 1)),  # nothing due: ranked last
    ]
    figures = notice_figures(items, Q3)
    assert [t.name for t in figures.by_unit] == ["丙局", "乙局", "甲局", "丁局"]
    assert figures.rank_of("甲局") == 3 and figures.rank_of("戊局") is None
    assert [i.id for i in figures.overdue_items] == [2]


def test_sources_keep_their_order_and_show_empty_ones() -> None:
    items = [item(1, "甲局", date(2026, 8, 1), source="领导批示")]
    figures = notice_figures(items, Q3, SOURCES)
    assert [t.name for t in figures.by_source] == list(SOURCES)
    assert figures.by_source[SOURCES.index("领导批示")].due == 1 and figures.by_source[0] == Tally("政府工作报告")


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30))


@given(st.lists(st.tuples(st.sampled_from("甲乙丙"), days, days, st.one_of(st.none(), days)), max_size=30))
def test_units_add_up_to_the_office(rows: list[tuple[str, date, date, date | None]]) -> None:
    items = [ItemFacts(n, "t", unit, "领导批示", min(a, b), max(a, b), closed and max(closed, min(a, b)))
             for n, (unit, a, b, closed) in enumerate(rows)]
    figures = notice_figures(items, Q3)
    for field in ("due", "closed_on_time", "closed", "closed_late", "in_progress", "overdue"):
        assert sum(getattr(t, field) for t in figures.by_unit) == getattr(figures.office, field)
    assert figures.office.closed_on_time <= figures.office.due
    assert len(figures.overdue_items) == figures.office.overdue


# ----- the sheet -------------------------------------------------------------------------------------------

UNITS = {"交通运输局": 1, "交通局": 1, "财政局": 2, "城关镇": 3}
PEOPLE = {"张伟": [10], "王芳": [11, 12]}


def test_a_good_sheet() -> None:
    rows: list[list[object]] = [
        list(COLUMNS),
        [1, "政府工作报告", "农村公路提质改造", "完成100公里", "交通局", "财政局、城关镇，交通局", "张伟", "重点督办",
         datetime(2026, 11, 30, 0, 0)],
        [None] * 9,  # a blank row is skipped
        [2.0, "市交办", "城区停车位建设", "", "城关镇", "", "", "定期", 46387.0],  # Excel's day number
    ]
    first, second = check_rows(rows, UNITS, PEOPLE)
    assert (first.row, first.lead_unit_id, first.co_unit_ids, first.responsible_id) == (2, 1, (2, 3), 10)
    assert first.priority.label == "重点督办" and first.deadline == date(2026, 11, 30)
    assert (second.row, second.source, second.responsible_id) == (4, "上级交办事项", None)
    assert second.deadline == date(2026, 12, 31)


def test_every_bad_row_is_named_with_what_to_fix() -> None:
    rows: list[list[object]] = [
        ["序号", "事项来源", "事项名称", "工作要求", "牵头单位", "协办单位", "责任人", "督办类别", "办结时限"],
        [1, "政府工作报告", "好的一行", "", "财政局", "", "", "重点督办", "2026-12-31"],
        [2, "政府工作报告", "单位不对", "", "水务局", "", "", "重点督办", "2026年12月31日"],
        [3, "政府工作报告", "日期不对", "", "财政局", "", "", "重点督办", "年底前"],
        [4, "政府工作报告", "没有牵头", "", "", "", "", "重点督办", "2026/12/31"],
        [5, "政府工作报告", "重名", "", "财政局", "统计局", "王芳", "重点督办", "2026.2.30"],
    ]
    with pytest.raises(SheetProblems) as raised:
        check_rows(rows, UNITS, PEOPLE)
    problems = [str(p) for p in raised.value.problems]
    assert problems[0] == "第3行：牵头单位“水务局”不在单位名录中，请先在单位管理中添加或改为名录中的名称"
    assert problems[1].startswith("第4行：办结时限“年底前”不是有效日期")
    assert problems[2] == "第5行：缺少牵头单位"
    assert problems[3].startswith("第6行：协办单位“统计局”不在单位名录中；有2位用户都叫“王芳”")
    assert "办结时限“2026.2.30”不是有效日期" in problems[3]
    assert "有4处问题，未导入任何事项" in raised.value.message


def test_a_header_without_its_columns_is_refused() -> None:
    with pytest.raises(SheetProblems, match="表头缺少“牵头单位”“办结时限”列"):
        check_rows([["序号", "事项来源", "事项名称", "督办类别"]], UNITS, PEOPLE)


def test_hostile_cells_are_named() -> None:
    rows: list[list[object]] = [list(COLUMNS), [1, "领导批示", "事项\u202e名称", "", "财政局", "", "", "马上督办", "2026-12-31"],
            [2, "领导批示", "长" * 201, "", "财政局", "", "", "马上督办", "2026-12-31"]]
    with pytest.raises(SheetProblems) as raised:
        check_rows(rows, UNITS, PEOPLE)
    assert raised.value.problems[0].row == 2 and "事项名称" in raised.value.problems[0].message
    assert raised.value.problems[1].message == "事项名称超过200字（现有201字）"


@pytest.mark.parametrize("value", [True, 12, 3.5, "2026-13-01", "", None])
def test_deadlines_that_are_not_dates(value: object) -> None:
    with pytest.raises(ValidationError, match="不是有效日期"):
        parse_deadline(value)
