"""档号 and retention periods (DA/T 22-2015, DA/T 13)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.archives import (
    RETENTIONS,
    format_archive_code,
    format_archive_date,
    retention_code,
    retention_name,
)
from app.core.errors import ValidationError


def test_the_examples() -> None:
    assert format_archive_code("J012", 2026, "Y", 1) == "J012-WS·2026-Y-0001"
    assert format_archive_code("J012", 2026, "Y", 1, "BGS") == "J012-WS·2026-Y-BGS-0001"


def test_the_dot_is_the_middle_dot_and_hyphens_are_ascii() -> None:
    code = format_archive_code("J012", 2026, "D30", 12, "BGS")
    assert code == "J012-WS\u00b72026-D30-BGS-0012"
    assert code.isascii() is False and code.replace("\u00b7", "").isascii()


def test_retentions() -> None:
    assert RETENTIONS == {"Y": "永久", "D30": "定期30年", "D10": "定期10年"}
    assert format_archive_code("Z109", 2015, "D10", 9999) == "Z109-WS·2015-D10-9999"


@pytest.mark.parametrize(
    ("given_value", "code"),
    [("Y", "Y"), ("y", "Y"), (" D30 ", "D30"), ("d10", "D10"), ("永久", "Y"), ("定期30年", "D30"),
     ("30年", "D30"), ("定期10年", "D10"), ("10年", "D10")],
)
def test_retention_codes_and_names(given_value: str, code: str) -> None:
    assert retention_code(given_value) == code
    assert retention_name(given_value) == RETENTIONS[code]


@pytest.mark.parametrize("bad", ["", "长期", "短期", "D20", "Y1", "永久保存"])
def test_unknown_retention_is_refused_in_chinese(bad: str) -> None:
    with pytest.raises(ValidationError, match="保管期限应为永久") as error:
        format_archive_code("J012", 2026, bad, 1)
    assert error.value.field == "retention"


def test_org_code_is_optional_and_blank_means_none() -> None:
    assert format_archive_code("J012", 2026, "Y", 5, None) == format_archive_code("J012", 2026, "Y", 5, "  ")
    assert format_archive_code("J012", 2026, "Y", 5, "001") == "J012-WS·2026-Y-001-0005"


def test_lower_case_letters_are_the_same_codes() -> None:
    assert format_archive_code("j012", 2026, "y", 7, "bgs") == "J012-WS·2026-Y-BGS-0007"


@pytest.mark.parametrize(
    ("fonds", "year", "retention", "item", "org", "field", "words"),
    [
        ("", 2026, "Y", 1, None, "fonds", "全宗号不能为空"),
        ("J12", 2026, "Y", 1, None, "fonds", "全宗号应为4位"),
        ("J0123", 2026, "Y", 1, None, "fonds", "全宗号应为4位"),
        ("J-12", 2026, "Y", 1, None, "fonds", "全宗号应为4位"),
        ("Ｊ０１２", 2026, "Y", 1, None, "fonds", "全宗号应为4位"),
        ("J012", 26, "Y", 1, None, "year", "年度应为四位数字"),
        ("J012", 20260, "Y", 1, None, "year", "年度应为四位数字"),
        ("J012", True, "Y", 1, None, "year", "年度必须是整数"),
        ("J012", 2026, "Y", 0, None, "item", "件号应在1至9999之间"),
        ("J012", 2026, "Y", 10000, None, "item", "件号应在1至9999之间"),
        ("J012", 2026, "Y", "1", None, "item", "件号必须是整数"),
        ("J012", 2026, "Y", 1, "BG", "org_code", "机构（问题）代码应为3位"),
        ("J012", 2026, "Y", 1, "BGSS", "org_code", "机构（问题）代码应为3位"),
        ("J012", 2026, "Y", 1, "B1S", "org_code", "机构（问题）代码应为3位"),
        ("J012", 2026, "Y", 1, "办公室", "org_code", "机构（问题）代码应为3位"),
    ],
)
def test_refusals_say_why_in_chinese(
    fonds: str, year: int, retention: str, item: int, org: str | None, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as error:
        format_archive_code(fonds, year, retention, item, org)
    assert words in error.value.message
    assert error.value.field == field


@given(
    fonds=st.from_regex(r"[A-Z0-9]{4}", fullmatch=True),
    year=st.integers(1000, 9999),
    retention=st.sampled_from(sorted(RETENTIONS)),
    item=st.integers(1, 9999),
    org=st.one_of(st.none(), st.from_regex(r"[A-Z]{3}|[0-9]{3}", fullmatch=True)),
)
def test_the_code_reads_back_into_its_parts(
    fonds: str, year: int, retention: str, item: int, org: str | None
) -> None:
    code = format_archive_code(fonds, year, retention, item, org)
    head, _, rest = code.partition("\u00b7")
    assert head == f"{fonds}-WS"
    parts = rest.split("-")
    assert parts[0] == str(year) and parts[1] == retention and parts[-1] == f"{item:04d}"
    assert parts[2:-1] == ([org] if org else [])


def test_archive_date_is_eight_digits() -> None:
    assert format_archive_date(date(2026, 11, 29)) == "20261129"
    assert format_archive_date(date(2026, 1, 5)) == "20260105"
