"""信息台账's cells (app.core.information.ledger_sheet, app.core.sheet_cells): the header by name in any order under a
title, dates in every way an office writes them, 编入期号 as 8 or 第8期, types and levels, adoptions all or none,
every problem named with its row and column, and hostile cells refused without echoing them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.information.ledger_sheet import (
    COLUMNS,
    LedgerRow,
    RowProblem,
    SheetAdoption,
    SheetProblems,
    checked_rows,
    issue_dates,
    parse_rows,
    row_lines,
)
from app.core.sheet_cells import cell_text, parse_date, parse_whole, quoted

TODAY = date(2026, 11, 27)


def row(**cells: object) -> list[object]:
    values: dict[str, object] = {
        "标题": "我县农村公路提质改造取得新进展", "报送组": "第一信息组", "作者": "张文秘", "报送日期": "2026-03-05",
        "类型": "", "编入期号": "", "采用单位": "", "采用层级": "", "采用日期": "",
    }
    values.update(cells)
    return [values[name] for name in COLUMNS]


def one(**cells: object) -> LedgerRow:
    return checked_rows([list(COLUMNS), row(**cells)], TODAY)[0]


def problems(*rows: list[object], header: list[object] | None = None) -> list[str]:
    with pytest.raises(SheetProblems) as caught:
        checked_rows([header or list(COLUMNS), *rows], TODAY)
    return caught.value.lines()


@pytest.mark.parametrize("cell", [
    date(2026, 3, 5), datetime(2026, 3, 5, 9, 30), "2026-03-05", "2026-3-5", "2026/3/5", "2026.3.5", "2026年3月5日",
    " 2026 年 3 月 5 日 ", "20260305", 46086, 46086.0,
])
def test_dates_as_excel_keeps_them_or_as_people_type_them(cell: object) -> None:
    assert one(报送日期=cell).submitted_on == date(2026, 3, 5)


@pytest.mark.parametrize("cell", ["明天", "2026-02-30", "2026年13月1日", True, 3.5, 12, "3/5/2026"])
def test_a_bad_date_says_how_to_write_it(cell: object) -> None:
    (line,) = problems(row(报送日期=cell))
    assert line.startswith(f"第2行：报送日期“{cell_text(cell)}”不是有效日期，请写成2026-03-05或2026年3月5日")


def test_dates_in_the_future_or_before_2000_are_refused() -> None:
    assert problems(row(报送日期="2026-11-28"))[0] == "第2行：报送日期2026-11-28晚于今天，请核对"
    assert "太早" in problems(row(报送日期="1999-12-31"))[0]
    assert one(报送日期=TODAY).submitted_on == TODAY


@pytest.mark.parametrize(("cell", "seq"), [(8, 8), (8.0, 8), ("8", 8), ("第8期", 8), ("第 8 期", 8), ("8期", 8),
                                           ("", None), (None, None)])
def test_issue_numbers(cell: object, seq: int | None) -> None:
    assert one(编入期号=cell).issue_seq == seq


@pytest.mark.parametrize("cell", [0, -1, 8.5, "第八期", "八", 1000, True, date(2026, 1, 8), "８"])
def test_a_bad_issue_number(cell: object) -> None:
    (line,) = problems(row(编入期号=cell))
    assert line.startswith("第2行：编入期号“") and "请写期号，如8或第8期" in line


def test_types() -> None:
    assert one(类型="").kind == "item"
    assert one(类型="信息").kind == one(类型="政务信息").kind == "item"
    assert one(类型="调研文章").kind == one(类型="调研").kind == "article"
    assert problems(row(类型="诗歌")) == ["第2行：类型“诗歌”不对，请填写“信息”或“调研文章”（空着的按信息）"]


def test_an_adoption_is_all_three_or_none() -> None:
    got = one(采用单位="市政府办公室", 采用层级="市级", 采用日期="2026-03-12")
    assert got.adoption == SheetAdoption("市政府办公室", "市级", date(2026, 3, 12))
    assert one(采用单位="省政府办公厅", 采用层级="省", 采用日期="2026-03-12").adoption == SheetAdoption(
        "省政府办公厅", "省级", date(2026, 3, 12))
    assert one().adoption is None
    assert problems(row(采用层级="省级")) == ["第2行：已填采用层级，还缺采用单位、采用日期：上级采用的这三项要么都填，要么都空着"]
    assert problems(row(采用单位="市政府办公室", 采用层级="县级", 采用日期="2026-03-01")) == [
        "第2行：采用层级“县级”不对，只能是市级、省级、国家级；采用日期2026-03-01早于报送日期2026-03-05，请核对"]


def test_text_cells() -> None:
    assert one(标题="  我县  农村公路\n提质改造 ").title == "我县 农村公路 提质改造"
    assert one(标题=2026).title == "2026"
    lines = problems(row(标题="", 报送组=None, 作者="  "))
    assert lines == ["第2行：缺少标题，请填写信息或文章的标题；缺少报送组，请填写信息组的名称，如第一信息组；缺少作者，请填写作者姓名"]
    assert problems(row(标题="=1+1"))[0] == "第2行：标题“=1+1”以“=”开头，会被当作公式，请删去开头的符号"
    assert problems(row(作者="+1+1"))[0].startswith("第2行：作者“+1+1”以“+”开头，会被当作公式")
    assert problems(row(报送组=date(2026, 1, 1))) == ["第2行：报送组应为文字，不能是“2026-01-01”"]
    assert problems(row(作者="张" * 51)) == ["第2行：作者不能超过50个字，现在有51个字，请删短"]


def test_a_huge_cell_is_never_quoted_whole() -> None:
    huge = "9" * 1_000_000
    lines = problems(row(报送日期=huge, 编入期号=huge, 采用单位="市政府办公室", 采用层级=huge, 采用日期="2026-03-06"))
    assert len(lines) == 1 and len(lines[0]) < 300
    assert quoted(huge) == "9" * 20 + "…"


def test_the_header_in_any_order_under_a_title_with_a_serial_column() -> None:
    header: list[object] = ["序号", *reversed(COLUMNS), "备注"]
    rows: list[list[object]] = [["2026年政务信息报送台账"], [], header, [1, *reversed(row(编入期号=3)), "无"]]
    (got,), bad = parse_rows(rows, TODAY)
    assert bad == [] and (got.row, got.issue_seq, got.title) == (4, 3, "我县农村公路提质改造取得新进展")
    assert one().row == 2


def test_a_bad_header_is_named() -> None:
    assert problems(row(), header=["标题", "报送组", "作者", "采用级别"]) == [
        "第1行：表头有不认识的列“采用级别”，请删去该列或改为模板中的列名（标题、报送组、作者、报送日期、类型、编入期号、采用单位、采用层级、采用日期）；"
        "表头缺少“报送日期”列，请使用程序保存的导入模板"]
    assert problems(row(), header=[*COLUMNS, "标题"])[0] == "第1行：表头中“标题”列出现了两次，请只保留一列"
    # Spaces and a marking asterisk in a header cell are the same column.
    assert checked_rows([["*标 题", *COLUMNS[1:]], row()], TODAY)[0].title == "我县农村公路提质改造取得新进展"


def test_the_sheets_shape() -> None:
    with pytest.raises(SheetProblems, match="表格是空的"):
        parse_rows([], TODAY)
    with pytest.raises(SheetProblems, match="表格中没有任何稿件"):
        parse_rows([list(COLUMNS), [None, ""], []], TODAY)
    with pytest.raises(SheetProblems, match="表格超过5000行"):
        parse_rows([list(COLUMNS)] + [row()] * 5001, TODAY)


def test_a_row_repeating_another_and_every_bad_row_named() -> None:
    lines = problems(row(), row(标题="另一条"), row(), row(报送日期="明天"), [], row(报送组=""))
    assert lines[0] == "第4行：与第2行重复（标题、报送组和报送日期都相同），请删去其中一行"
    assert lines[1].startswith("第5行：报送日期“明天”") and lines[2].startswith("第7行：缺少报送组")
    # Blank rows are skipped and keep the numbering of the sheet.
    good, bad = parse_rows([list(COLUMNS), row(), [], row(标题="第二条")], TODAY)
    assert [r.row for r in good] == [2, 4] and bad == []


def test_the_message_names_twenty_rows() -> None:
    many = SheetProblems([RowProblem(n, "标题", "缺少标题") for n in range(30, 1, -1)] + [RowProblem(2, "作者", "缺少作者")])
    lines = str(many).splitlines()
    assert lines[0] == "表格中有29行有问题，未导入任何稿件，请改正后重新导入："
    assert lines[1] == "第2行：缺少标题；缺少作者" and lines[20] == "第21行：缺少标题" and lines[21] == "……另有9行有问题"
    assert many.rows[0] == 2 and len(many.lines()) == 29 and many.field == "file"
    assert row_lines([RowProblem(3, "", "甲"), RowProblem(3, "", "甲")]) == ["第3行：甲"]


def test_issue_dates_are_the_latest_of_their_items_per_year() -> None:
    rows = checked_rows([list(COLUMNS), row(编入期号=1), row(标题="二", 报送日期="2026-03-09", 编入期号=1),
                         row(标题="三", 报送日期="2025-12-30", 编入期号=1), row(标题="四")], TODAY)
    assert issue_dates(rows) == {(2026, 1): date(2026, 3, 9), (2025, 1): date(2025, 12, 30)}


@given(st.dates(min_value=date(1955, 1, 1), max_value=date(2118, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    for cell in (day, day.isoformat(), f"{day.year}年{day.month}月{day.day}日", f"{day.year}.{day.month}.{day.day}",
                 serial, float(serial)):
        assert parse_date(cell, "报送日期") == day


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_any_cell_is_a_whole_number_or_a_clear_refusal(cell: object) -> None:
    try:
        number = parse_whole(cell, "编入期号", low=1, high=999, prefix="第", suffix="期")
    except ValidationError as error:
        assert error.message.startswith("编入期号“") and "应为1至999的整数" in error.message
    else:
        assert 1 <= number <= 999
