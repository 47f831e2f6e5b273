"""A 函 in the 信函格式 (GB/T 9704-2012 §10.1) read back from its PDF and measured (issue 20)."""

from __future__ import annotations

import functools
from dataclasses import replace

import pytest

from app.core.document_body import Body, BodyParagraph
from app.printing.documents.official.render import render_official_document
from app.printing.kit.page import SIZE_3
from tests.helpers import official_samples as samples
from tests.helpers.linecheck import breaking_faults, needs_pdftotext
from tests.helpers.official_measure import (
    DARK,
    PT,
    RED,
    Rule,
    body_lines,
    horizontal_rules,
    ink_box,
    page_number_lines,
    page_texts,
    red_rules,
    render_page,
    run_exact,
    runs,
    text_lines,
)
from tests.helpers.pdfcheck import assert_fonts_embedded, assert_no_missing_glyphs, compact, needs_pdftoppm, reader

pytestmark = needs_pdftotext

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
LEFT, WIDTH, TOP, HEIGHT = 28.0, 156.0, 37.0, 225.0
SEVEN_EIGHTHS_MM = 7 / 8 * SIZE_3 * PT  # 7/8 of a 三号 character: 4.94 mm
EM_DESCENT, EM_ASCENT = 0.12, 0.88


@functools.cache
def letter_pdf() -> bytes:
    return render_official_document(samples.letter())


def double_rules(pdf: bytes, page: int = 0) -> tuple[tuple[Rule, Rule], tuple[Rule, Rule]]:
    """The head and foot double lines: the red rules of the page in pairs, top to bottom."""
    rules = sorted(red_rules(pdf, page), key=lambda rule: rule.y)
    assert len(rules) == 4, rules
    return (rules[0], rules[1]), (rules[2], rules[3])


def top_edge(rule: Rule) -> float:
    return rule.y - rule.weight / 2


def bottom_edge(rule: Rule) -> float:
    return rule.y + rule.weight / 2


def test_the_sample_is_two_pages_sound_and_in_order() -> None:
    pdf = letter_pdf()
    assert len(reader(pdf).pages) == 2
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)
    assert breaking_faults(text_lines(pdf)) == []
    text = compact("".join(page_texts(pdf)))
    order = ["青山县人民政府办公室", "县政办函〔2026〕5号", "商请支持", "江州市交通运输局：", "请予函复。",
             "2026年12月18日", "（联系人：刘洋，联系电话：0791-6128866）", "抄送：江州市发展和改革委员会"]  # fmt: skip
    positions = [text.find(compact(part)) for part in order]
    assert -1 not in positions, [part for part, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    assert "文件" not in text


@needs_pdftoppm
def test_mark_is_red_centred_and_its_top_30_mm_from_the_page_top() -> None:
    pdf = letter_pdf()
    (head, _) = double_rules(pdf)
    image = render_page(pdf, 1, 300)
    mark = ink_box(image, 300, RED, (0, 0, PAGE_WIDTH, top_edge(head[0]) - 0.5))
    assert mark is not None, "no red 发文机关标志"
    assert mark.top == pytest.approx(30.0, abs=0.3)
    assert mark.left >= LEFT - 0.1 and mark.right <= LEFT + WIDTH + 0.1
    assert (mark.left - LEFT) == pytest.approx(LEFT + WIDTH - mark.right, abs=0.5)
    assert ink_box(image, 300, DARK, (mark.left, mark.top, mark.right, mark.bottom)) is None, "the mark is not red"
    # The double line's top edge 4 mm below the mark's ink.
    assert top_edge(head[0]) - mark.bottom == pytest.approx(4.0, abs=0.3)


def test_double_lines_are_170_mm_centred_thick_over_thin_at_the_head_thin_over_thick_at_the_foot() -> None:
    pdf = letter_pdf()
    head, foot = double_rules(pdf)
    for rule in (*head, *foot):
        assert rule.length == pytest.approx(170.0, abs=0.05)
        assert rule.x0 == pytest.approx((PAGE_WIDTH - 170.0) / 2, abs=0.05)
        assert rule.rgb[0] > 0.8 and rule.rgb[1] < 0.2 and rule.rgb[2] < 0.3
    assert head[0].weight > head[1].weight, "上粗下细"
    assert foot[0].weight < foot[1].weight, "上细下粗"
    assert 0 < top_edge(head[1]) - bottom_edge(head[0]) < 1.5, "the strokes make one double line"
    assert PAGE_HEIGHT - bottom_edge(foot[1]) == pytest.approx(20.0, abs=0.05)


def test_double_lines_are_on_the_first_page_only() -> None:
    pdf = letter_pdf()
    assert red_rules(pdf, 1) == []


def test_number_flush_right_seven_eighths_of_a_size_3_character_under_the_line() -> None:
    pdf = letter_pdf()
    head, _ = double_rules(pdf)
    page, number = run_exact(pdf, "县政办函〔2026〕5号")
    assert page == 0
    em_top = number.baseline - EM_ASCENT * number.size * PT
    assert em_top - bottom_edge(head[1]) == pytest.approx(SEVEN_EIGHTHS_MM, abs=0.1)
    line = next(line for line in body_lines(pdf, 1) if "县政办函" in line.text)
    assert line.x1 * PT == pytest.approx(LEFT + WIDTH, abs=0.5)


def test_copy_number_and_urgency_flush_left_level_with_the_number() -> None:
    pdf = render_official_document(replace(samples.letter(), copy_number="000012", urgency="加急"))
    _, number = run_exact(pdf, "县政办函〔2026〕5号")
    _, copy = run_exact(pdf, "000012")
    _, urgency = run_exact(pdf, "加急")
    assert copy.x == pytest.approx(LEFT, abs=0.1) and urgency.x == pytest.approx(LEFT, abs=0.1)
    assert copy.baseline == pytest.approx(number.baseline, abs=0.05)
    assert urgency.baseline == pytest.approx(copy.baseline + HEIGHT / 22, abs=0.05)
    # The title two lines below the last of them.
    title = next(line for line in body_lines(pdf, 1) if "商请" in line.text)
    assert title.top * PT > urgency.baseline + 2 * HEIGHT / 22 - 1


def test_text_keeps_seven_eighths_of_a_size_3_character_above_the_foot_line() -> None:
    # A body long enough to fill the first page to its last line.
    long_body = Body(
        tuple(BodyParagraph("我县将积极做好征地拆迁、资金筹措等工作，全力保障项目顺利实施。" * 3) for _ in range(12))
    )
    for pdf in (letter_pdf(), render_official_document(replace(samples.letter(), body=long_body))):
        _, foot = double_rules(pdf)
        lowest = max(run.baseline + EM_DESCENT * run.size * PT for run in runs(pdf, 0))
        assert top_edge(foot[0]) - lowest >= SEVEN_EIGHTHS_MM - 0.05
    # The full first page uses the room the 信函格式 gives it below the 版心, up to that distance.
    assert top_edge(foot[0]) - lowest == pytest.approx(SEVEN_EIGHTHS_MM, abs=HEIGHT / 22)
    assert lowest > TOP + HEIGHT


def test_no_page_number_on_the_first_page_and_one_on_the_second() -> None:
    numbers = page_number_lines(letter_pdf())
    assert 1 not in numbers
    assert compact(numbers[2].text) == "—2—"


def test_record_is_copy_to_alone_at_the_foot_of_the_last_page() -> None:
    pdf = letter_pdf()
    last = len(reader(pdf).pages)
    text = compact(page_texts(pdf)[-1])
    assert "抄送：江州市发展和改革委员会，县交通运输局，县财政局。" in text
    assert "印发" not in text
    lines = body_lines(pdf, last)
    assert "抄送" in lines[-1].text
    assert (lines[-1].top + lines[-1].height) * PT == pytest.approx(TOP + HEIGHT, abs=HEIGHT / 22)
    assert [rule for rule in horizontal_rules(pdf) if rule.page == last - 1] == [], "the 版记 has no rules"


def test_a_short_letter_stays_one_page_with_its_record() -> None:
    short = replace(samples.letter(), body=Body((BodyParagraph("请予函复。"),)))
    pdf = render_official_document(short)
    assert len(reader(pdf).pages) == 1, "no even-page rule for a letter"
    assert "抄送：" in page_texts(pdf)[0]
    assert page_number_lines(pdf) == {}


def test_without_copy_to_there_is_no_record() -> None:
    pdf = render_official_document(replace(samples.letter(), copy_to=""))
    assert "抄送" not in "".join(page_texts(pdf))
    assert len(reader(pdf).pages) == 2
