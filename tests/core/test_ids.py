"""ID numbers (GB 11643-1999), phones, and masking."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.ids import (
    PROVINCE_CODES,
    birth_date_of,
    gender_of,
    id_check_digit,
    is_valid_id_number,
    is_valid_phone,
    mask_id_number,
    mask_phone,
    validate_id_number,
    validate_phone,
)

# The standard's own worked example and other hand-checked numbers.
VALID = ["11010519491231002X", "440524198001010013", "11010519491231002x"]


def make_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers(number: str) -> None:
    assert is_valid_id_number(number)
    assert validate_id_number(number) == number.upper()


def test_check_digit_known_values() -> None:
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052419800101001") == "3"


@pytest.mark.parametrize(
    "bad", ["", "1101051949123100", "1234", "110105194912310021", "1101051949123100a", "１１０１０５１９４９１２３１００２"]
)
def test_check_digit_needs_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValidationError):
        id_check_digit(bad)


def test_validate_normalizes() -> None:
    assert validate_id_number("  11010519491231002x ") == "11010519491231002X"
    assert validate_id_number("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("", "请输入"),
        ("110105194912310", "18位"),
        ("11010519491231002X1", "18位"),
        ("1101051949123100XX", "数字"),
        ("11010519491231002Y", "数字"),
        ("A1010519491231002X", "数字"),
        (make_id("99010519491231002"), "前两位"),
        (make_id("10010519491231002"), "前两位"),
        (make_id("11010519490231002"), "出生日期"),  # 1949-02-31
        (make_id("11010519491331002"), "出生日期"),  # month 13
        (make_id("11010518991231002"), "1900"),
        (make_id("11010530001231002"), "晚于今天"),
        ("110105194912310021", "校验位"),
    ],
)
def test_validate_says_what_is_wrong(number: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_id_number(number)
    assert fragment in info.value.message
    assert info.value.field == "id_number"
    assert not is_valid_id_number(number)


@pytest.mark.parametrize("value", [None, 11010519491231002, b"11010519491231002X", ["x"]])
def test_is_valid_never_raises_on_other_types(value: object) -> None:
    assert is_valid_id_number(value) is False


def test_future_birth_date_depends_on_today() -> None:
    number = make_id("110105" + "20300101" + "002")
    assert not is_valid_id_number(number, today=date(2026, 1, 1))
    assert is_valid_id_number(number, today=date(2030, 1, 1))


def test_birth_date_and_gender() -> None:
    assert birth_date_of("11010519491231002X") == date(1949, 12, 31)
    assert gender_of("11010519491231002X") == "女"
    assert gender_of("440524198001010013") == "男"
    with pytest.raises(ValidationError):
        birth_date_of("110105194912310021")
    with pytest.raises(ValidationError):
        gender_of("123")


def test_province_codes_constant() -> None:
    assert len(PROVINCE_CODES) == 5 + 3 + 7 + 6 + 5 + 5 + 5
    assert {"11", "15", "46", "54", "65", "71", "81", "82", "83", "91"} <= PROVINCE_CODES
    assert not {"10", "16", "20", "24", "47", "55", "66", "84", "90"} & PROVINCE_CODES


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(sorted(PROVINCE_CODES))) + draw(
        st.text("0123456789", min_size=4, max_size=4)
    )
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    return make_id(area + born.strftime("%Y%m%d") + seq)


@settings(max_examples=300)
@given(valid_ids())
def test_generated_numbers_are_valid(number: str) -> None:
    assert is_valid_id_number(number)
    assert is_valid_id_number(number.lower())
    assert validate_id_number(number) == number
    assert birth_date_of(number).strftime("%Y%m%d") == number[6:14]
    assert gender_of(number) in ("男", "女")


@settings(max_examples=300)
@given(valid_ids(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_is_caught(number: str, pos: int, data: st.DataObject) -> None:
    choices = "0123456789X" if pos == 17 else "0123456789"
    new = data.draw(st.sampled_from([c for c in choices if c != number[pos]]))
    assert not is_valid_id_number(number[:pos] + new + number[pos + 1 :])


@settings(max_examples=300)
@given(valid_ids(), st.integers(min_value=0, max_value=16))
def test_adjacent_transpositions_are_caught(number: str, pos: int) -> None:
    if number[pos] == number[pos + 1]:
        return
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2 :]
    assert not is_valid_id_number(swapped)


# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("440524188001011233", "440***********1233"),
        ("11010519491231002X", "110***********002X"),
        ("110105491231002", "110********1002"),  # old 15-digit number
        ("12345678", "****5678"),
        ("12345", "*2345"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value: str | None, masked: str) -> None:
    assert mask_id_number(value) == masked


@settings(max_examples=200)
@given(valid_ids())
def test_mask_id_keeps_length_and_ends(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[:3] == number[:3]
    assert masked[-4:] == number[-4:]
    assert masked[3:-4] == "*" * 11


@settings(max_examples=200)
@given(st.text(st.characters(blacklist_categories=("Z", "C")), max_size=30))
def test_mask_id_never_reveals_the_middle(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    if len(value) > 4:
        assert masked.endswith(value[-4:])
        assert masked.count("*") >= len(value) - 7


# --- phones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("0755-12345678", "0755-****5678"),
        ("010-1234567", "010-***4567"),
        ("0755-12345678-123", "0755-****5678-123"),
        ("(0755)12345678", "(0755)****5678"),
        ("12345678", "****5678"),
        ("12345", "*2345"),
        ("110", "110"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value: str | None, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    "value",
    ["13812345678", "19912345678", "+86 138 1234 5678", "0755-12345678", "075512345678",
     "010 12345678", "(0755)12345678", "0755-12345678-123", "0755-12345678转8001", "12345678",
     "2345678", "12345", "12315", "24365", "95588", "400-123-4567", "１３８１２３４５６７８"],
)
def test_valid_phones(value: str) -> None:
    assert is_valid_phone(value)
    validate_phone(value)


@pytest.mark.parametrize(
    "value",
    ["", "  ", "12812345678", "1381234567", "138123456789", "abc", "0755-123", "123456", "1234",
     "0755--12345678", "02345678"],
)
def test_invalid_phones(value: str) -> None:
    assert not is_valid_phone(value)
    with pytest.raises(ValidationError) as info:
        validate_phone(value)
    assert info.value.field == "phone"


def test_validate_phone_normalizes_mobile() -> None:
    assert validate_phone(" +86 138-1234-5678 ") == "13812345678"
    assert validate_phone(" 0755-12345678 ") == "0755-12345678"
    assert is_valid_phone(None) is False


@settings(max_examples=200)
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_mask_property(mobile: str) -> None:
    assert is_valid_phone(mobile)
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]


def test_today_boundary() -> None:
    today = date.today()
    number = make_id("110105" + today.strftime("%Y%m%d") + "002")
    assert is_valid_id_number(number)
    tomorrow = today + timedelta(days=1)
    assert not is_valid_id_number(make_id("110105" + tomorrow.strftime("%Y%m%d") + "002"))
