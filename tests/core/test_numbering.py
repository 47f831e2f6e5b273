"""Document numbers (发文字号) and incoming-register numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.numbering import (
    MAX_YEAR,
    MIN_YEAR,
    format_doc_number,
    format_receipt_number,
    issuing_organ,
    parse_doc_number,
)


def test_domain_example() -> None:
    assert format_doc_number("县政办发", 2026, 12) == "县政办发〔2026〕12号"
    assert parse_doc_number("县政办发〔2026〕12号") == ("县政办发", 2026, 12)


def test_brackets_are_hexagonal() -> None:
    text = format_doc_number("县政发", 2026, 1)
    assert "\u3014" in text and "\u3015" in text


@pytest.mark.parametrize(
    ("prefix", "year", "seq", "text"),
    [("县政发", 2026, 1, "县政发〔2026〕1号"), ("县政办函", 1949, 100, "县政办函〔1949〕100号"),
     ("X政发", 2999, 12345, "X政发〔2999〕12345号")],
)
def test_format(prefix: str, year: int, seq: int, text: str) -> None:
    assert format_doc_number(prefix, year, seq) == text


@pytest.mark.parametrize(
    ("prefix", "year", "seq"),
    [("", 2026, 1), (" 县政发", 2026, 1), ("县政 发", 2026, 1), ("县政发\t", 2026, 1),
     ("县〔政〕发", 2026, 1), ("县政发[", 2026, 1), ("县政(发)", 2026, 1), ("【县政发】", 2026, 1),
     ("2026", 2026, 1), ("１２", 2026, 1), ("县政发", 1948, 1), ("县政发", 3000, 1),
     ("县政发", 2026, 0), ("县政发", 2026, -3)],
)
def test_format_refuses(prefix: str, year: int, seq: int) -> None:
    with pytest.raises(ValidationError):
        format_doc_number(prefix, year, seq)


def test_format_refuses_non_int() -> None:
    with pytest.raises(ValidationError):
        format_doc_number("县政发", True, 1)
    with pytest.raises(ValidationError):
        format_doc_number("县政发", 2026, "1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("  县政办发〔2026〕12号\n", ("县政办发", 2026, 12)),
     ("县政办发〔２０２６〕１２号", ("县政办发", 2026, 12)),
     ("收〔2026〕15号", ("收", 2026, 15))],
)
def test_parse_accepts(text: str, parsed: tuple[str, int, int]) -> None:
    assert parse_doc_number(text) == parsed


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("县政办发[2026]12号", "〔〕"),
        ("县政办发(2026)12号", "〔〕"),
        ("县政办发（2026）12号", "〔〕"),
        ("县政办发【2026】12号", "〔〕"),
        ("县政办发［2026］12号", "〔〕"),
        ("县政办发〔2026]12号", "〔〕"),
        ("县政办发2026年12号", "〔〕"),
        ("县政办发〔2026〕012号", "虚位"),
        ("县政办发〔2026〕第12号", "第"),
        ("县政办发〔2026〕12", "号"),
        ("县政办发〔2026〕12号文", "之后"),
        ("县政办发〔2026〕12号 附件", "之后"),
        ("县政办发〔26〕12号", "四位"),
        ("县政办发〔20260〕12号", "四位"),
        ("〔2026〕12号", "机关代字"),
        ("县政 办发〔2026〕12号", "空格"),
        ("县政办发〔1900〕12号", "1949"),
        ("县政办发〔2026〕0号", "从1开始"),
        ("县政办发〔2026〕号", "序号"),
        ("", "请输入"),
        ("   ", "请输入"),
    ],
)
def test_parse_refuses(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_doc_number(text)
    assert fragment in info.value.message
    assert info.value.field == "doc_number"


def test_parse_refuses_non_str() -> None:
    with pytest.raises(ValidationError):
        parse_doc_number(None)  # type: ignore[arg-type]


def test_receipt_number() -> None:
    assert format_receipt_number(2026, 15) == "收〔2026〕15号"
    assert parse_doc_number(format_receipt_number(2026, 15)) == ("收", 2026, 15)
    with pytest.raises(ValidationError):
        format_receipt_number(2026, 0)


prefixes = st.text(
    st.sampled_from("县市区政府办发函字委局党纪要令乡镇XYZ甲乙丙0123"), min_size=1, max_size=12
).filter(lambda p: not p.isdigit())


@settings(max_examples=300)
@given(prefixes, st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 10**7))
def test_round_trip(prefix: str, year: int, seq: int) -> None:
    text = format_doc_number(prefix, year, seq)
    assert parse_doc_number(text) == (prefix, year, seq)
    assert text.endswith(f"〔{year}〕{seq}号")


@pytest.mark.parametrize(
    ("prefix", "issuers", "organ"),
    [
        ("县政办发", {}, "青山县人民政府办公室"),
        ("县政办函", {}, "青山县人民政府办公室"),
        ("县政发", {}, "青山县人民政府"),
        ("县政函", {}, "青山县人民政府"),
        ("县政发", {"县政发": "青山县人民政府（县长办公会议）"}, "青山县人民政府（县长办公会议）"),
        ("县政发", {"县政发": "  "}, "青山县人民政府"),
    ],
)
def test_the_issuing_body_of_a_code(prefix: str, issuers: dict[str, str], organ: str) -> None:
    assert issuing_organ(prefix, "青山县人民政府办公室", issuers) == organ


def test_an_office_not_named_as_an_office_issues_everything_itself() -> None:
    assert issuing_organ("县政发", "青山县政务服务中心") == "青山县政务服务中心"
