"""Checking a 报销单 (DOMAIN.md §5): line items, receipts, the advance, totals in figures and capitals,
应退/应补, and the claim date. Every problem is reported against its field, all of them at once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.claims import (
    ADVANCE_TOO_LARGE,
    CATEGORIES,
    CLAIM_TOO_LARGE,
    LINE_TOO_LARGE,
    MAX_CLAIM_TOTAL,
    MAX_LINE_AMOUNT,
    MAX_LINES,
    CheckedClaim,
    ClaimLine,
    LineInput,
    check_claim,
    check_claim_date,
    claim_problems,
    claim_title,
    format_claim_number,
    settle,
)
from app.core.errors import ValidationError
from app.core.money import words_to_amount

TODAY = date(2026, 11, 27)


def one(amount: str | Decimal, category: str = "办公费", summary: str = "购买打印纸") -> list[LineInput]:
    return [LineInput(summary, category, amount)]


def problems_of(lines: list[LineInput], receipts: str | int = 1, advance: str | Decimal = "") -> dict[str, str]:
    checked, problems = claim_problems(lines, receipts, advance)
    assert (checked is None) == bool(problems), "a claim is either checked or has problems, never both"
    return problems


def checked(lines: list[LineInput], receipts: str | int = 1, advance: str | Decimal = "") -> CheckedClaim:
    claim, problems = claim_problems(lines, receipts, advance)
    assert claim is not None, problems
    return claim


# ----- amounts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["-5", "-0.01", "−12.00", Decimal("-1"), Decimal("-0.01")])
def test_negative_amounts_are_refused(amount: str | Decimal) -> None:
    assert problems_of(one(amount)) == {"line:0:amount": "金额不能为负数"}


@pytest.mark.parametrize("amount", ["12.345", "0.001", "1,234.567", Decimal("12.345"), Decimal("1.0001")])
def test_amounts_beyond_the_fen_are_refused(amount: str | Decimal) -> None:
    problems = problems_of(one(amount))
    assert list(problems) == ["line:0:amount"]
    assert "两位小数" in problems["line:0:amount"]


@pytest.mark.parametrize("amount", ["0", "0.00", "￥0", Decimal("0"), Decimal("0.00")])
def test_zero_is_refused(amount: str | Decimal) -> None:
    assert problems_of(one(amount)) == {"line:0:amount": "金额不能为零"}


@pytest.mark.parametrize("amount", ["abc", "12元5角", "1e3", "1.2.3", Decimal("NaN"), Decimal("Infinity")])
def test_amounts_that_are_not_numbers_are_refused(amount: str | Decimal) -> None:
    problems = problems_of(one(amount))
    assert list(problems) == ["line:0:amount"]
    assert "格式不正确" in problems["line:0:amount"]


def test_amounts_of_a_trillion_are_refused_per_line() -> None:
    assert "过大" in problems_of(one("1000000000000"))["line:0:amount"]


@pytest.mark.parametrize("amount", ["1000000.01", "99,999,999,999", Decimal("2000000")])
def test_a_line_beyond_a_million_yuan_is_refused(amount: str | Decimal) -> None:
    assert problems_of(one(amount)) == {"line:0:amount": LINE_TOO_LARGE}


def test_a_claim_beyond_ten_million_yuan_is_refused_though_each_line_is_allowed() -> None:
    full = [LineInput(f"第{i}项", "办公费", MAX_LINE_AMOUNT) for i in range(10)]
    assert checked(full).total == MAX_CLAIM_TOTAL
    assert problems_of([*full, LineInput("多一分", "办公费", "0.01")]) == {"lines": CLAIM_TOO_LARGE}


def test_an_advance_beyond_the_claim_maximum_is_refused() -> None:
    assert checked(one("100"), advance=MAX_CLAIM_TOTAL).advance == MAX_CLAIM_TOTAL
    assert problems_of(one("100"), advance="10000000.01") == {"advance": ADVANCE_TOO_LARGE}


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1409.5", "1409.50"), ("1,234.56", "1234.56"), ("￥２００", "200.00"), (" 12元 ", "12.00"),
     (Decimal("7"), "7.00")],
)
def test_amounts_as_typed_are_read_exactly_to_the_fen(typed: str | Decimal, value: str) -> None:
    claim = checked(one(typed))
    (line,) = claim.lines
    assert line.amount == Decimal(value) and line.amount.as_tuple().exponent == -2
    assert claim.total == Decimal(value)


# ----- rows --------------------------------------------------------------------------------------------


def test_an_empty_claim_is_refused_and_wholly_blank_rows_are_ignored() -> None:
    expected = {"lines": "报销单至少要有一行费用明细（摘要和金额）"}
    assert problems_of([]) == expected
    # A row whose category box still shows its default, but with nothing typed, is blank as on paper.
    assert problems_of([LineInput("", "", ""), LineInput("  ", "办公费", "  ")]) == expected
    with pytest.raises(ValidationError) as refused:
        check_claim([LineInput("", "", "")], 1, "")
    assert refused.value.field == "lines"


def test_blank_rows_between_lines_are_skipped_and_keep_the_row_numbers() -> None:
    claim = checked([LineInput("", "", ""), LineInput("交通费", "差旅费", "80"), LineInput(" ", "办公费", ""),
                     LineInput("打印纸", "办公费", "35.50")], receipts=3)
    assert [line.summary for line in claim.lines] == ["交通费", "打印纸"]
    assert claim.total == Decimal("115.50")
    # Problems name the row as the user sees it on the form (counting the blank rows).
    problems = problems_of([LineInput("", "", ""), LineInput("交通费", "差旅费", "-80")])
    assert problems == {"line:1:amount": "金额不能为负数"}


def test_a_half_filled_row_reports_each_missing_field() -> None:
    assert problems_of([LineInput("", "办公费", "12")]) == {"line:0:summary": "请填写摘要（费用的用途）"}
    assert problems_of([LineInput("购买硒鼓", "", "")]) == {
        "line:0:category": "请选择费用类别", "line:0:amount": "请输入金额",
    }
    assert problems_of([LineInput("购买硒鼓", "办公用品", "300")]) == {"line:0:category": "请选择费用类别"}
    assert "100" in problems_of([LineInput("长" * 101, "办公费", "1")])["line:0:summary"]
    assert checked([LineInput("长" * 100, "办公费", "1")]).lines[0].summary == "长" * 100


def test_summaries_are_trimmed() -> None:
    assert checked(one("1", summary="  会议室茶叶  ")).lines[0].summary == "会议室茶叶"


def test_too_many_lines_are_refused() -> None:
    lines = [LineInput(f"第{i}项", "办公费", "1") for i in range(MAX_LINES + 1)]
    assert problems_of(lines) == {"lines": f"一张报销单最多{MAX_LINES}行明细，请分开填报"}
    assert len(checked(lines[:MAX_LINES]).lines) == MAX_LINES


# ----- receipts ----------------------------------------------------------------------------------------

RECEIPTS_NEEDED = {"receipts_count": "请填写所附单据张数（差旅补助以外的费用都需要附单据）"}


@pytest.mark.parametrize("category", [c for c, needed in CATEGORIES.items() if needed])
@pytest.mark.parametrize("receipts", ["", "0", 0, "  "])
def test_receipts_are_required_for_every_category_but_the_travel_allowance(category: str, receipts: str | int) -> None:
    assert problems_of(one("100", category), receipts) == RECEIPTS_NEEDED


def test_the_travel_allowance_alone_needs_no_receipts() -> None:
    assert [c for c, needed in CATEGORIES.items() if not needed] == ["差旅补助"]
    allowance = LineInput("伙食补助 3天×100元", "差旅补助", "300")
    claim = checked([allowance], receipts="")
    assert claim.receipts_count == 0 and not claim.needs_receipts
    # One line with an invoice among allowances is enough to need the count.
    assert problems_of([allowance, LineInput("住宿费", "差旅费", "420")], receipts="") == RECEIPTS_NEEDED
    assert checked([allowance, LineInput("住宿费", "差旅费", "420")], receipts="2").needs_receipts


@pytest.mark.parametrize("receipts", ["1.5", "两张", "3张", "1e2"])
def test_receipts_count_must_be_a_whole_number(receipts: str) -> None:
    assert problems_of(one("100"), receipts) == {"receipts_count": "单据张数请填写整数"}


@pytest.mark.parametrize("receipts", ["-1", -3, "1000"])
def test_receipts_count_must_be_in_range(receipts: str | int) -> None:
    assert problems_of(one("100"), receipts) == {"receipts_count": "单据张数应在0到999之间"}


def test_receipts_count_as_typed() -> None:
    assert checked(one("100"), " 12 ").receipts_count == 12
    assert checked(one("100"), 999).receipts_count == 999
    # A bad count is refused even when no receipt is needed: the form must not keep nonsense.
    assert problems_of(one("300", "差旅补助"), "-1") == {"receipts_count": "单据张数应在0到999之间"}


# ----- the advance (原借款) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [("", "0.00"), ("   ", "0.00"), ("2000", "2000.00"), ("1,234.5", "1234.50"), ("￥２００", "200.00"),
     (Decimal("300"), "300.00"), ("0", "0.00")],
)
def test_the_advance_is_read_as_an_amount(typed: str | Decimal, value: str) -> None:
    advance = checked(one("100"), advance=typed).advance
    assert advance == Decimal(value) and advance.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("typed", "message"),
    [("-3", "原借款：金额不能为负数"), ("12.345", "原借款：金额最多只能有两位小数"),
     ("abc", "原借款：金额格式不正确，请输入数字，最多两位小数"), (Decimal("-1"), "原借款：金额不能为负数")],
)
def test_a_bad_advance_is_refused_under_its_own_field(typed: str | Decimal, message: str) -> None:
    assert problems_of(one("100"), advance=typed) == {"advance": message}


# ----- all problems at once ------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_under_its_field() -> None:
    lines = [
        LineInput("", "办公费", "-1"),
        LineInput("出差补助", "补贴", "12.345"),
        LineInput("", "", ""),
        LineInput("会议茶歇", "会议费", "0"),
        LineInput("车辆维修", "公务用车运行维护费", "880"),
    ]
    assert problems_of(lines, receipts="", advance="借了500") == {
        "line:0:summary": "请填写摘要（费用的用途）",
        "line:0:amount": "金额不能为负数",
        "line:1:category": "请选择费用类别",
        "line:1:amount": "金额最多只能有两位小数",
        "line:3:amount": "金额不能为零",
        "advance": "原借款：金额格式不正确，请输入数字，最多两位小数",
        # Reported with the others, not only once the lines are put right.
        "receipts_count": RECEIPTS_NEEDED["receipts_count"],
    }


def test_a_missing_receipt_count_is_reported_alongside_a_bad_line() -> None:
    problems = problems_of([LineInput("住宿费", "差旅费", "420"), LineInput("", "办公费", "30")], receipts="")
    assert problems == {"line:1:summary": "请填写摘要（费用的用途）", **RECEIPTS_NEEDED}


def test_check_claim_raises_the_first_problem_with_its_field() -> None:
    with pytest.raises(ValidationError) as refused:
        check_claim([LineInput("购买硒鼓", "办公费", "300"), LineInput("", "办公费", "-2")], "x", "")
    assert (refused.value.field, refused.value.message) == ("line:1:summary", "请填写摘要（费用的用途）")
    with pytest.raises(ValidationError) as refused:
        check_claim(one("300"), "", "")
    assert refused.value.field == "receipts_count"


def test_check_claim_returns_the_checked_claim() -> None:
    claim = check_claim(
        [LineInput("住宿费", "差旅费", "420"), LineInput("伙食补助", "差旅补助", "300"),
         LineInput("市内交通", "差旅费", "36.5")], "4", "1000",
    )
    assert claim.lines[2] == ClaimLine("市内交通", "差旅费", Decimal("36.50"))
    assert (claim.total, claim.receipts_count, claim.advance) == (Decimal("756.50"), 4, Decimal("1000.00"))
    assert claim.by_category() == {"差旅费": Decimal("456.50"), "差旅补助": Decimal("300.00")}
    assert claim.total_in_words == "柒佰伍拾陆元伍角整"
    assert (claim.settlement.refund, claim.settlement.top_up) == (Decimal("243.50"), Decimal("0.00"))


# ----- 应退/应补 ------------------------------------------------------------------------------------------


def test_settle_when_the_advance_was_more_than_spent() -> None:
    result = settle(Decimal("1609.50"), Decimal("2000"))
    assert (result.refund, result.top_up) == (Decimal("390.50"), Decimal("0.00"))


def test_settle_when_more_was_spent_than_advanced() -> None:
    result = settle(Decimal("1609.50"), Decimal("1000.00"))
    assert (result.refund, result.top_up) == (Decimal("0.00"), Decimal("609.50"))
    without_advance = settle(Decimal("88.80"), Decimal("0"))
    assert (without_advance.refund, without_advance.top_up) == (Decimal("0.00"), Decimal("88.80"))


def test_settle_when_the_advance_equals_the_total() -> None:
    result = settle(Decimal("500.00"), Decimal("500"))
    assert (result.refund, result.top_up) == (Decimal("0.00"), Decimal("0.00"))
    assert str(result.refund) == "0.00" and str(result.top_up) == "0.00"


# ----- totals: exact, and their capitals read back -------------------------------------------------------

# Whole 分 per line, up to what keeps 50 lines within the claim's maximum.
FEN = st.integers(min_value=1, max_value=int(MAX_CLAIM_TOTAL * 100) // MAX_LINES)


def _typed(fen: int, style: int) -> str | Decimal:
    yuan, rest = divmod(fen, 100)
    if style == 0:
        return f"{yuan}.{rest:02d}"
    if style == 1:
        return f"{yuan:,}.{rest:02d}"
    if style == 2:
        return Decimal(fen).scaleb(-2)
    return f"{yuan}" if rest == 0 else f"{yuan}.{rest:02d}".rstrip("0")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(FEN, st.integers(0, 3), st.sampled_from(sorted(CATEGORIES))), min_size=1, max_size=MAX_LINES),
    st.integers(min_value=0, max_value=int(MAX_CLAIM_TOTAL * 100)),
)
def test_totals_are_exact_and_their_capitals_read_back(
    items: list[tuple[int, int, str]], advance_fen: int
) -> None:
    lines = [LineInput(f"第{i + 1}项", category, _typed(fen, style)) for i, (fen, style, category) in enumerate(items)]
    advance = Decimal(advance_fen).scaleb(-2)
    claim = check_claim(lines, 1, advance)
    expected = Decimal(sum(fen for fen, _, _ in items)).scaleb(-2)
    assert claim.total == expected
    assert claim.total.as_tuple().exponent == -2
    assert [line.amount for line in claim.lines] == [Decimal(fen).scaleb(-2) for fen, _, _ in items]
    assert sum(claim.by_category().values(), Decimal("0.00")) == expected
    assert words_to_amount(claim.total_in_words) == expected
    result = claim.settlement
    assert result.refund - result.top_up == advance - expected
    assert min(result.refund, result.top_up) == 0


# ----- titles, numbers and dates -------------------------------------------------------------------------


def test_claim_title_names_the_first_line_and_counts_them_all() -> None:
    first = ClaimLine("赴市参加培训交通费", "差旅费", Decimal("80.00"))
    other = ClaimLine("住宿费", "差旅费", Decimal("420.00"))
    assert claim_title([]) == ""
    assert claim_title([first]) == "赴市参加培训交通费"
    assert claim_title([first, other, other]) == "赴市参加培训交通费等3项"


def test_claim_numbers() -> None:
    assert format_claim_number(2026, 7) == "BX2026-00007"
    assert format_claim_number(2027, 12345) == "BX2027-12345"


@pytest.mark.parametrize("value", [TODAY, date(2026, 1, 1), date(2025, 1, 1), date(2025, 12, 31)])
def test_claim_dates_from_last_year_to_today_are_accepted(value: date) -> None:
    check_claim_date(value, TODAY)


@pytest.mark.parametrize(
    ("value", "message"),
    [(date(2026, 11, 28), "报销日期不能晚于今天"), (date(2027, 1, 1), "报销日期不能晚于今天"),
     (date(2024, 12, 31), "报销日期不能早于上一年度"), (date(2020, 6, 1), "报销日期不能早于上一年度")],
)
def test_claim_dates_in_the_future_or_before_last_year_are_refused(value: date, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_claim_date(value, TODAY)
    assert (refused.value.field, refused.value.message) == ("claim_date", message)


def test_in_january_last_years_claims_are_still_accepted() -> None:
    check_claim_date(date(2025, 1, 2), date(2026, 1, 5))
    with pytest.raises(ValidationError):
        check_claim_date(date(2024, 12, 31), date(2026, 1, 5))
