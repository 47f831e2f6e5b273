"""The target-decomposition sheet's deadlines judged with the rest of a row (app.core.supervision.ledger_sheet):
a deadline before the day of the import is named with every other bad row, so one reading lists them all."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.supervision.ledger_sheet import COLUMNS, SheetProblems, check_rows

UNITS = {"财政局": 1, "城关镇": 2}
IMPORTED_ON = date(2026, 11, 27)


def _row(number: int, unit: str, deadline: object) -> list[object]:
    return [number, "领导批示", f"事项{number}", "", unit, "", "", "马上督办", deadline]


def test_a_deadline_on_the_day_of_the_import_is_good() -> None:
    [item] = check_rows([list(COLUMNS), _row(1, "财政局", "2026-11-27")], UNITS, {}, earliest=IMPORTED_ON)
    assert item.deadline == IMPORTED_ON


def test_a_past_deadline_is_named_with_the_other_bad_rows_and_problems_of_its_row() -> None:
    rows = [list(COLUMNS), _row(1, "水务局", "2026-12-31"), _row(2, "水务局", "2026-11-26"),
            _row(3, "城关镇", date(2025, 12, 31))]
    with pytest.raises(SheetProblems) as raised:
        check_rows(rows, UNITS, {}, earliest=IMPORTED_ON)
    assert [(p.row, p.message) for p in raised.value.problems] == [
        (2, "牵头单位“水务局”不在单位名录中，请先在单位管理中添加或改为名录中的名称"),
        (3, "牵头单位“水务局”不在单位名录中，请先在单位管理中添加或改为名录中的名称；"
            "办结时限2026-11-26已过，请改为今天或以后的日期"),
        (4, "办结时限2025-12-31已过，请改为今天或以后的日期"),
    ]


def test_without_a_day_of_import_no_deadline_is_judged_past() -> None:
    assert len(check_rows([list(COLUMNS), _row(1, "财政局", "2020-01-01")], UNITS, {})) == 1


def test_the_header_is_found_below_a_title_and_rows_keep_their_numbers() -> None:
    rows: list[list[object]] = [
        ["2026年县政府工作报告目标任务分解表"],
        [],
        ["填报单位：县政府办公室", None, None, None, None, None, None, None, "2026年1月5日"],
        list(COLUMNS),
        _row(1, "财政局", "2026-12-31"),
        _row(2, "水务局", "2026-12-31"),
    ]
    with pytest.raises(SheetProblems) as raised:
        check_rows(rows, UNITS, {}, earliest=IMPORTED_ON)
    assert [p.row for p in raised.value.problems] == [6]
    [item] = check_rows(rows[:5], UNITS, {})
    assert item.row == 5


def test_a_sheet_without_a_full_header_names_the_row_that_comes_nearest() -> None:
    rows: list[list[object]] = [["目标任务分解表"], ["序号", "事项来源", "事项名称", "牵头单位", "督办类别"],
                                _row(1, "财政局", "2026-12-31")]
    with pytest.raises(SheetProblems) as raised:
        check_rows(rows, UNITS, {})
    assert [str(p) for p in raised.value.problems] == ["第2行：表头缺少“办结时限”列，请使用程序导出的模板"]
