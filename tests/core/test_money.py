"""Capital amounts (DOMAIN.md §5) and amount parsing/formatting."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.money import (
    MAX_AMOUNT,
    amount_in_words,
    format_amount,
    parse_amount,
    words_to_amount,
)

DOMAIN_EXAMPLES = [
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
    ("107000", "壹拾万柒仟元整"),
    ("1000010", "壹佰万零壹拾元整"),
    ("10", "壹拾元整"),
    ("110", "壹佰壹拾元整"),
    ("0.50", "伍角整"),
    ("0.05", "伍分"),
    ("0", "零元整"),
    ("100000000", "壹亿元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100000001", "壹亿零壹元整"),
]

MORE_EXAMPLES = [
    ("1", "壹元整"),
    ("0.55", "伍角伍分"),
    ("1000", "壹仟元整"),
    ("1001", "壹仟零壹元整"),
    ("10000", "壹万元整"),
    ("10001000", "壹仟万壹仟元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("101000000", "壹亿零壹佰万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("10010001000", "壹佰亿壹仟万壹仟元整"),
    ("1680.02", "壹仟陆佰捌拾元零贰分"),
    ("1680.20", "壹仟陆佰捌拾元零贰角整"),
    ("1.500", "壹元伍角整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("amount", "words"), DOMAIN_EXAMPLES + MORE_EXAMPLES)
def test_amount_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words
    assert words_to_amount(words) == Decimal(amount)


@pytest.mark.parametrize(("amount", "words"), [(0, "零元整"), (10, "壹拾元整"), (107000, "壹拾万柒仟元整")])
def test_amount_in_words_accepts_int(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


@pytest.mark.parametrize(
    "amount",
    ["-1", "-0.01", "1.005", "1.001", "0.009", "1.0000000000000000000000000001", "NaN", "sNaN",
     "Infinity", "-Infinity", "1000000000000", "1E+12", "1E+999999999", "1E-999999999"],
)
def test_amount_in_words_refuses(amount: str) -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal(amount))


def test_amount_in_words_refuses_negative_int_and_float() -> None:
    with pytest.raises(ValueError):
        amount_in_words(-5)
    with pytest.raises(TypeError):
        amount_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        amount_in_words(True)


def test_zero_in_any_form_is_zero() -> None:
    assert amount_in_words(Decimal("-0.00")) == "零元整"
    assert amount_in_words(Decimal("0E-50")) == "零元整"
    assert amount_in_words(Decimal("1.2E+3")) == "壹仟贰佰元整"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("人民币壹仟元整", "1000"), ("壹仟元正", "1000"), ("壹仟圆整", "1000"), ("拾元整", "10"),
     (" 壹拾 元 整 ", "10"), ("零元伍角整", "0.50")],
)
def test_words_to_amount_tolerates_printed_variants(text: str, amount: str) -> None:
    assert words_to_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text", ["", "整", "元整", "壹仟", "壹贰元整", "仟元整", "壹拾拾元整", "壹佰仟元整", "伍角角", "abc",
             "壹万亿元整", "壹亿万元整", "壹元伍分角"],
)
def test_words_to_amount_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        words_to_amount(text)


# Two-place Decimals in [0, 10^12), weighted towards numbers with many zeros, where the
# 零 rules live.
_dense = st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100) - 1)
_sparse = st.lists(st.sampled_from("000000000123456789"), min_size=1, max_size=14).map(
    lambda ds: int("".join(ds))
)
amounts = st.one_of(_dense, _sparse).map(lambda cents: Decimal(cents).scaleb(-2))


@settings(max_examples=300)
@given(amounts)
def test_words_round_trip(amount: Decimal) -> None:
    assert words_to_amount(amount_in_words(amount)) == amount


@settings(max_examples=300)
@given(amounts)
def test_words_structure(amount: Decimal) -> None:
    words = amount_in_words(amount)
    cents = int(amount * 100)
    assert set(words) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert words.endswith("整") == (cents % 10 == 0)
    assert words.endswith("分") == (cents % 10 != 0)
    assert "零零" not in words
    assert words.startswith("零") == (amount == 0)
    assert re.search(r"(^|[^壹贰叁肆伍陆柒捌玖])拾", words) is None
    assert ("元" in words) == (amount >= 1 or amount == 0)


@pytest.mark.parametrize(
    ("amount", "text"),
    [("1234.56", "1,234.56"), ("0", "0.00"), ("0.5", "0.50"), ("1234567.8", "1,234,567.80"),
     ("100", "100.00"), ("-1234.5", "-1,234.50"), ("1.500", "1.50")],
)
def test_format_amount(amount: str, text: str) -> None:
    assert format_amount(Decimal(amount)) == text


def test_format_amount_never_rounds() -> None:
    with pytest.raises(ValueError):
        format_amount(Decimal("1.005"))
    assert format_amount(12) == "12.00"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1234.5", "1234.50"), ("1,234.56", "1234.56"), ("￥12", "12.00"), ("¥ 12", "12.00"),
     ("１２３４．５６", "1234.56"), ("  7.1 ", "7.10"), ("\u30008\u3000", "8.00"), ("12元", "12.00"),
     ("1.500", "1.50"), ("0", "0.00"), ("1，234", "1234.00"), ("-0", "0.00")],
)
def test_parse_amount(text: str, amount: str) -> None:
    value = parse_amount(text)
    assert value == Decimal(amount)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text", ["", "  ", "abc", "1.2.3", "12,34", "1,2345", ".5", "5.", "1e3", "1.005", "١٢", "12 34",
             "NaN", "1000000000000"],
)
def test_parse_amount_refuses(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount(text)
    assert info.value.field == "amount"


@pytest.mark.parametrize("text", ["-5", "-1,234.00", "￥-5", "－5"])
def test_parse_amount_refuses_negative(text: str) -> None:
    with pytest.raises(ValidationError, match="金额不能为负数"):
        parse_amount(text)


def test_parse_amount_format_message() -> None:
    with pytest.raises(ValidationError, match="金额格式不正确"):
        parse_amount("十二元")
    with pytest.raises(ValidationError, match="两位小数"):
        parse_amount("1.005")


@settings(max_examples=200)
@given(amounts)
def test_format_parse_round_trip(amount: Decimal) -> None:
    assert parse_amount(format_amount(amount)) == amount
