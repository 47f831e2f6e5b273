"""The 信访台账 sheet's pure rules (app.core.petitions.ledger_sheet), no database: a date however Excel or a person
wrote it, a channel with its way in, a count of people, the header found below a title, every bad cell of a row
named at once, and the period a printed ledger covers."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.petitions.ledger_sheet import (
    COLUMNS,
    RowProblem,
    SheetProblems,
    SheetRow,
    ledger_period,
    parse_channel,
    parse_date,
    parse_people,
    parse_rows,
)


@pytest.mark.parametrize("cell", [
    date(2026, 11, 2), datetime(2026, 11, 2, 9, 30), "2026-11-02", "2026/11/2", "2026.11.2", "2026年11月2日",
    " 2026 年 11 月 2 日 ", 46328, 46328.0,
])
def test_a_date_as_excel_or_a_person_writes_it(cell: object) -> None:
    assert parse_date(cell) == date(2026, 11, 2)


@given(st.dates(min_value=date(1955, 1, 1), max_value=date(2099, 12, 31)))
def test_excel_day_numbers_and_iso_text_give_the_same_day(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == parse_date(day.isoformat()) == day


@pytest.mark.parametrize("cell", ["2026-02-30", "上个月", "11/2", 3, True])
def test_a_date_that_is_not_one_says_how_to_write_it(cell: object) -> None:
    with pytest.raises(ValidationError, match="请写成2026-11-02或2026年11月2日"):
        parse_date(cell)


def test_a_channel_with_its_way_in_and_a_count_of_people() -> None:
    assert parse_channel("来电（24365热线）") == ("来电", "24365热线")
    assert parse_channel("网上信访(县长信箱)") == ("网上信访", "县长信箱")
    assert parse_channel(" 来信 ") == ("来信", "")
    with pytest.raises(ValidationError, match="信访方式“上访”不对"):
        parse_channel("上访")
    assert [parse_people(v) for v in (None, "", 3, 3.0, "12", "5人")] == [1, 1, 3, 3, 12, 5]
    for bad in ("几个", 2.5, True):
        with pytest.raises(ValidationError, match="应为整数"):
            parse_people(bad)


def test_rows_below_a_title_each_parsed_or_named_with_all_its_problems() -> None:
    header = list(reversed(COLUMNS))
    good = dict(zip(COLUMNS, ["2026-11-02", "来信", "王建国", "", "13812345678", "", "要求办证", "商品房两证办理",
                              "城关镇", 2], strict=True))
    rows: list[list[object]] = [["青山县信访台账"], [], header, [good[c] for c in header], [None] * len(header),
                                [{**good, "登记日期": "", "信访方式": "上访", "人数": "许多"}[c] for c in header]]
    first, second = parse_rows(rows)
    assert first == SheetRow(4, date(2026, 11, 2), "来信", "", "王建国", "", "13812345678", "", "要求办证",
                             "商品房两证办理", "城关镇", 2)
    assert isinstance(second, RowProblem) and second.row == 6
    assert second.message == "缺少登记日期；信访方式“上访”不对，只能是来信、来访、来电、网上信访、传真；人数“许多”应为整数"


def test_an_empty_or_headless_sheet_is_refused() -> None:
    for rows, says in (([], "表格是空的"), ([list(COLUMNS)], "表格中没有任何信访件"),
                       ([["姓名", "诉求"], ["王建国", "要求办证"]], "表头缺少“登记日期”“信访方式”“问题类别”“问题属地”列")):
        with pytest.raises(SheetProblems, match=says):
            parse_rows(rows)


@pytest.mark.parametrize(("quarter", "month", "start", "end", "text"), [
    (None, None, date(2028, 1, 1), date(2028, 12, 31), "2028年"),
    (1, None, date(2028, 1, 1), date(2028, 3, 31), "2028年第一季度"),
    (4, None, date(2028, 10, 1), date(2028, 12, 31), "2028年第四季度"),
    (None, 2, date(2028, 2, 1), date(2028, 2, 29), "2028年2月"),
])
def test_the_period_of_a_printed_ledger(quarter: int | None, month: int | None, start: date, end: date,
                                        text: str) -> None:
    period = ledger_period(2028, quarter, month)
    assert (period.start, period.end, period.text) == (start, end, text)


def test_a_period_out_of_range_is_refused() -> None:
    for quarter, month, says in ((0, None, "季度应为1至4"), (None, 13, "月份应为1至12"), (1, 1, "只给出其中一个")):
        with pytest.raises(ValidationError, match=says):
            ledger_period(2026, quarter, month)
