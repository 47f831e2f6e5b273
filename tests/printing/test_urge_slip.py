"""催办单: its text, fonts and layout."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from app.printing.kit.fonts import resolve_fonts
from app.printing.kit.urge_slip import PreviousUrge, UrgeSlipData, method_boxes, overdue_text, render_urge_slip
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    needs_pdftoppm,
    page_text,
    reader,
    render_png,
)
from tests.helpers.print_samples import urge_slip

LABELS = (
    "催办事项",
    "事项类别",
    "当前环节",
    "责任单位",
    "责任人",
    "办理时限",
    "逾期情况",
    "催办时间",
    "催办人",
    "催办方式",
    "催办意见",
    "反馈时限",
    "办理情况",
    "反馈",
    "责任人签名",
    "催办记录",
    "次数",
    "方式",
    "情况",
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_urge_slip(urge_slip())


def test_the_slip_says_everything(pdf: bytes) -> None:
    text = compact(page_text(pdf))
    assert "青山县人民政府办公室" in text
    assert "催办单" in text
    for label in LABELS:
        assert label in text, label
    for expected in (
        "编号：催〔2026〕5号",
        "关于报送2026年度政府工作报告目标任务第三季度完成情况的通知",
        "发文办理",
        "核稿",
        "县发展和改革局",
        "王晓明",
        "2026年11月20日",  # due date in full Chinese form
        "已逾期5个工作日",
        "2026年11月29日9:05",
        "李娜",
        "■电话",
        "□短信",
        "请于2026年12月1日前反馈办理情况",
        "2026年11月23日15:30",  # the earlier urge
        "已提醒，正在汇总数据",
        "本次催办",
    ):
        assert expected in text, expected


def test_one_page_with_embedded_fonts_and_no_missing_glyph(pdf: bytes) -> None:
    assert len(reader(pdf).pages) == 1
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_every_string_of_the_form_has_its_glyphs() -> None:
    fonts = resolve_fonts()
    data = urge_slip()
    strings = [v for v in vars(data).values() if isinstance(v, str)] + list(LABELS)
    for text in strings:
        # Values are set in 仿宋, labels in 宋体: with the fallback, nothing is ever missing.
        assert fonts.missing(text, fonts.fang) == set(), text
        assert fonts.missing(text, fonts.song) == set(), text


def test_a_name_outside_gb2312_still_prints() -> None:
    data = dataclasses.replace(urge_slip(), responsible_person="李喆", urged_by="王堃")
    pdf = render_urge_slip(data)
    assert "李喆" in compact(page_text(pdf))
    assert_no_missing_glyphs(pdf)


def test_a_first_urge_without_history_or_deadline() -> None:
    data = dataclasses.replace(urge_slip(), previous_urges=[], reply_deadline=None, overdue_days=None)
    text = compact(page_text(render_urge_slip(data)))
    assert "请尽快反馈办理情况" in text
    assert "未逾期" in text
    assert "1" in text and "本次催办" in text


def test_plain_tuples_work_as_previous_urges() -> None:
    earlier = (datetime(2026, 11, 21, 10, 0), "周敏", "当面", "当面督促")
    data = dataclasses.replace(urge_slip(), previous_urges=[earlier])  # type: ignore[list-item]
    assert "当面督促" in compact(page_text(render_urge_slip(data)))
    assert PreviousUrge(*earlier).method == "当面"


@pytest.mark.parametrize(
    ("days", "text"),
    [(None, "未逾期"), (0, "今日到期"), (3, "已逾期3个工作日"), (-2, "距到期还有2个工作日")],
)
def test_overdue_words(days: int | None, text: str) -> None:
    assert overdue_text(days) == text


def test_provisional_deadlines_say_so() -> None:
    data = dataclasses.replace(urge_slip(), due_provisional=True, reply_provisional=True)
    text = compact(page_text(render_urge_slip(data)))
    assert "办理时限2026年11月20日（待国务院公布）逾期情况" in text
    assert "请于2026年12月1日（待国务院公布）前反馈办理情况" in text
    plain = compact(page_text(render_urge_slip(urge_slip())))
    assert "待国务院公布" not in plain


def test_method_boxes_mark_the_chosen_way() -> None:
    assert method_boxes("书面") == "□电话\u3000□短信\u3000□当面\u3000■书面"
    assert method_boxes("微信").endswith("■微信")


@needs_pdftoppm
def test_nothing_spills_outside_the_type_area(pdf: bytes, tmp_path: Path) -> None:
    """The slip stays inside the 156 × 225 mm 版心: the margins of the rendered page are blank."""
    (image,) = render_png(pdf, tmp_path, dpi=50)
    width, height = image.size
    per_mm = 50 / 25.4
    left, top = int(28 * per_mm) - 2, int(37 * per_mm) - 2
    right, bottom = int((28 + 156) * per_mm) + 2, int((37 + 225) * per_mm) + 2
    data = image.tobytes()
    for y in range(height):
        for x in list(range(left)) + list(range(right, width)):
            assert data[3 * (y * width + x)] > 200, f"ink in the margin at {x},{y}"
    for y in list(range(top)) + list(range(bottom, height)):
        for x in range(width):
            assert data[3 * (y * width + x)] > 200, f"ink in the margin at {x},{y}"


def test_the_dataclass_is_plain() -> None:
    # No ORM, no session: printing gets plain values.
    assert dataclasses.is_dataclass(UrgeSlipData)


def test_more_urges_shrink_the_reply_box_to_stay_on_one_page() -> None:
    urges = [
        PreviousUrge(datetime(2026, 11, day, 10, 0), "李娜", "短信", "已提醒，正在办理")
        for day in (10, 12, 14)
    ]
    data = dataclasses.replace(urge_slip(), previous_urges=urges)
    pdf = render_urge_slip(data)
    assert len(reader(pdf).pages) == 1
    assert "2026年11月14日10:00" in compact(page_text(pdf))


def test_a_slip_too_long_for_one_page_runs_on_with_page_numbers() -> None:
    urges = [PreviousUrge(datetime(2026, 11, day, 10, 0), "李娜", "短信", "已提醒") for day in range(1, 20)]
    pdf = render_urge_slip(dataclasses.replace(urge_slip(), previous_urges=urges))
    assert len(reader(pdf).pages) == 2
    text = page_text(pdf)
    assert "— 1 —" in text and "— 2 —" in text
