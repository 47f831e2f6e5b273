"""Page furniture to GB/T 9704-2012."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.printing.kit.page import (
    BOTTOM_MARGIN,
    LEFT_MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT_MARGIN,
    TOP_MARGIN,
    TYPE_AREA_HEIGHT,
    TYPE_AREA_WIDTH,
    build_pdf,
    format_cn_date,
    format_cn_datetime,
    gb_styles,
    page_number_text,
)
from tests.helpers.pdfcheck import assert_fonts_embedded, page_text, reader, text_runs


def test_type_area_measures() -> None:
    assert (PAGE_WIDTH, PAGE_HEIGHT) == pytest.approx((210 * mm, 297 * mm), abs=0.5)
    assert TOP_MARGIN == pytest.approx(37 * mm)
    assert LEFT_MARGIN == pytest.approx(28 * mm)
    assert (TYPE_AREA_WIDTH, TYPE_AREA_HEIGHT) == pytest.approx((156 * mm, 225 * mm))
    assert RIGHT_MARGIN == pytest.approx(26 * mm, abs=0.5)
    assert BOTTOM_MARGIN == pytest.approx(35 * mm, abs=0.5)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 29), "2026年11月29日"),
        (date(2026, 1, 5), "2026年1月5日"),  # no zero padding
        (datetime(2026, 10, 1, 8, 0), "2026年10月1日"),
    ],
)
def test_full_chinese_dates(day: date, text: str) -> None:
    assert format_cn_date(day) == text


def test_date_and_time() -> None:
    assert format_cn_datetime(datetime(2026, 3, 7, 9, 5)) == "2026年3月7日 9:05"


def test_page_number_text() -> None:
    assert page_number_text(1) == "— 1 —"


def test_every_style_wraps_chinese() -> None:
    styles = gb_styles()
    for style in vars(styles).values():
        assert style.wordWrap == "CJK"
    assert styles.body.fontSize == 16 and 28 <= styles.body.leading <= 29.5
    assert styles.title.fontSize == 22


def test_a_one_page_form_has_no_page_number() -> None:
    pdf = build_pdf([Paragraph("正文一段。", gb_styles().body)], title="测试")
    assert len(reader(pdf).pages) == 1
    assert "— 1 —" not in page_text(pdf)
    assert_fonts_embedded(pdf)


def test_page_numbers_sit_on_the_outer_side() -> None:
    body = gb_styles().body
    pdf = build_pdf(
        [Paragraph("县人民政府办公室关于做好有关工作的通知。" * 12, body) for _ in range(12)], title="测试"
    )
    document = reader(pdf)
    assert len(document.pages) >= 2
    metadata = document.metadata
    assert metadata is not None and metadata.title == "测试"
    for index in (0, 1):
        runs = [r for r in text_runs(pdf, index) if "—" in r[0]]
        assert runs, f"no page number on page {index + 1}"
        text, x, y, _ = runs[-1]
        assert text.replace(" ", "") == f"—{index + 1}—"
        # 7 mm below the type area; odd pages on the right, even pages on the left.
        assert y < BOTTOM_MARGIN - 7 * mm
        if index == 0:
            assert x > PAGE_WIDTH / 2
        else:
            assert x < PAGE_WIDTH / 2
