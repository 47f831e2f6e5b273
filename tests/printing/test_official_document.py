"""The typeset 公文 read back from its PDF and measured against GB/T 9704-2012 (issue 20, Verify)."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date

import pytest

from app.core.document_body import Body, BodyImage, BodyParagraph, BodyTable
from app.printing.documents.official.data import OfficialDocumentData
from app.printing.documents.official.masthead import GRID_CHAR
from app.printing.documents.official.render import render_official_document
from app.printing.kit.fonts import resolve_fonts
from app.printing.kit.page import SIZE_3, SIZE_4
from tests.helpers import official_samples as samples
from tests.helpers.linecheck import breaking_faults, needs_pdftotext
from tests.helpers.official_measure import (
    DARK,
    PT,
    RED,
    body_lines,
    horizontal_rules,
    ink_box,
    page_number_lines,
    page_texts,
    pictures,
    red_rules,
    render_page,
    run_exact,
    run_starting,
    runs,
    text_lines,
)
from tests.helpers.pdfcheck import assert_fonts_embedded, assert_no_missing_glyphs, compact, needs_pdftoppm, reader

pytestmark = needs_pdftotext

TOP, LEFT, WIDTH, HEIGHT = 37.0, 28.0, 156.0, 225.0
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT
EM_MM = SIZE_3 * PT  # one 3号 character
GRID_MM = GRID_CHAR * PT  # one character of the body's grid, its tracking included


@functools.cache
def pdf_of(kind: str) -> bytes:
    return render_official_document(getattr(samples, kind)())


KINDS = ("down_going", "up_going", "minutes")


def face(role: str) -> str:
    """The face name a role's font carries in the PDF."""
    from reportlab.pdfbase import pdfmetrics

    name = pdfmetrics.getFont(getattr(resolve_fonts(), role)).face.name
    return name.decode() if isinstance(name, bytes) else str(name)


def plain_body(paragraphs: int, chars: int = 130) -> Body:
    text = "县人民政府各部门要认真贯彻落实安全生产责任制度，加强隐患排查治理，确保人民群众生命财产安全。"
    return Body(tuple(BodyParagraph((text * 5)[:chars]) for _ in range(paragraphs)))


def document(body: Body, **changes: object) -> OfficialDocumentData:
    return replace(samples.down_going(), body=body, attachments=(), **changes)  # type: ignore[arg-type]


# ----- the whole document -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_fonts_are_embedded_and_no_glyph_is_missing(kind: str) -> None:
    pdf = pdf_of(kind)
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_but_the_page_number_leaves_the_type_area(kind: str) -> None:
    pdf = pdf_of(kind)
    numbers = page_number_lines(pdf)
    for line in text_lines(pdf):
        if numbers.get(line.page) == line:
            continue
        assert line.x0 * PT >= LEFT - 0.3 and line.x1 * PT <= RIGHT + 0.3, line
        assert line.top * PT >= TOP - 0.3 and (line.top + line.height) * PT <= BOTTOM + 0.3, line
    for rule in horizontal_rules(pdf):
        assert LEFT - 0.01 <= rule.x0 and rule.x1 <= RIGHT + 0.01, rule
        # A table's rule on the type area's edge may stand out by half its weight (0.09 mm).
        assert TOP <= rule.y - rule.weight / 2 + 0.1 and rule.y + rule.weight / 2 <= BOTTOM + 0.1, rule


@pytest.mark.parametrize("kind", KINDS)
def test_no_line_breaks_against_the_rules(kind: str) -> None:
    assert breaking_faults(text_lines(pdf_of(kind))) == []


def test_the_text_is_all_there_in_order() -> None:
    text = compact("".join(page_texts(pdf_of("down_going"))))
    order = [
        "特急", "县政办发〔2026〕12号", "各乡镇人民政府，县政府各部门：", "一、提高思想认识", "（一）落实属地管理责任",
        "1.道路交通安全", "（1）加强重点路段管控", "三、加强督查检查", "附件：1.青山县2027年元旦春节期间值班安排表",
        "2.青山县节日期间安全检查工作方案", "青山县人民政府办公室2026年12月20日", "（此件公开发布）", "附件1",
        "带班领导县应急管理局0791-6123456李明", "抄送：县委办公室，县人大常委会办公室，县政协办公室。", "2026年12月21日印发",
    ]  # fmt: skip
    positions = [text.find(compact(part)) for part in order]
    assert -1 not in positions, [part for part, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


# ----- 版头 -----------------------------------------------------------------------------------------


@needs_pdftoppm
@pytest.mark.parametrize("kind", KINDS)
def test_issuer_mark_is_red_centred_and_its_top_35_mm_below_the_type_area(kind: str) -> None:
    pdf = pdf_of(kind)
    separator = red_rules(pdf)[0]
    image = render_page(pdf, 1, 300)
    # The red above the 发文字号's lines is the mark alone.
    mark = ink_box(image, 300, RED, (0, 0, 210, separator.y - 15))
    assert mark is not None, "no red 发文机关标志"
    assert mark.top == pytest.approx(TOP + 35, abs=0.3)
    assert mark.bottom - mark.top <= 22.2
    assert mark.left >= LEFT - 0.1 and mark.right <= RIGHT + 0.1
    assert (mark.left - LEFT) == pytest.approx(RIGHT - mark.right, abs=0.5)
    assert ink_box(image, 300, DARK, (mark.left, mark.top, mark.right, mark.bottom)) is None, "the mark is not red"


@needs_pdftoppm
@pytest.mark.parametrize("kind", ["down_going", "up_going"])
def test_separator_is_red_as_wide_as_the_type_area_and_4_mm_below_the_number(kind: str) -> None:
    pdf = pdf_of(kind)
    (separator,) = red_rules(pdf)
    assert separator.x0 == pytest.approx(LEFT, abs=0.05) and separator.x1 == pytest.approx(RIGHT, abs=0.05)
    _, number = run_starting(pdf, getattr(samples, kind)().doc_number)
    # Decided and documented in masthead.py: 4 mm below the bottom of the number's em box (0.12 em under
    # the baseline), which is the lowest any character of the number reaches.
    assert separator.y - (number.baseline + 0.12 * EM_MM) == pytest.approx(4.0, abs=0.05)
    image = render_page(pdf, 1, 300)
    ink = ink_box(image, 300, DARK, (LEFT, number.baseline - 8, RIGHT, separator.y - 1))
    assert ink is not None
    assert 3.5 <= separator.y - ink.bottom <= 4.6


def test_down_going_number_is_centred_with_the_urgency_top_left() -> None:
    pdf = pdf_of("down_going")
    _, number = run_starting(pdf, "县政办发")
    width = resolve_fonts().string_width("县政办发〔2026〕12号", resolve_fonts().fang, SIZE_3) * PT
    assert number.x + width / 2 == pytest.approx(LEFT + WIDTH / 2, abs=0.3)
    _, urgency = run_starting(pdf, "特急")
    assert urgency.x == pytest.approx(LEFT, abs=0.05)
    assert TOP < urgency.baseline < TOP + 10.3
    assert urgency.font == face("hei")


def test_copy_number_and_secrecy_stand_above_the_urgency() -> None:
    pdf = render_official_document(replace(samples.down_going(), copy_number="000123"))
    _, copy = run_starting(pdf, "000123")
    _, urgency = run_starting(pdf, "特急")
    assert copy.x == urgency.x == pytest.approx(LEFT, abs=0.05)
    assert urgency.baseline - copy.baseline == pytest.approx(225 / 22, abs=0.05)


def test_up_going_number_left_and_signer_right_on_one_line() -> None:
    pdf = pdf_of("up_going")
    _, number = run_starting(pdf, "青政〔2026〕8号")
    _, label = run_starting(pdf, "签发人：")
    _, name = run_starting(pdf, "陈建国")
    fonts = resolve_fonts()
    assert number.x == pytest.approx(LEFT + EM_MM, abs=0.05)
    assert number.baseline == pytest.approx(name.baseline, abs=0.01) == pytest.approx(label.baseline, abs=0.01)
    name_right = name.x + fonts.string_width("陈建国", fonts.kai, SIZE_3) * PT
    assert name_right == pytest.approx(RIGHT - EM_MM, abs=0.05)
    assert name.font == face("kai") and label.font == face("fang")
    assert label.x < name.x


def test_several_signers_each_on_a_line_with_the_number_beside_the_last() -> None:
    pdf = render_official_document(replace(samples.up_going(), signers=("陈建国", "周明亮")))
    _, first = run_starting(pdf, "陈建国")
    _, second = run_starting(pdf, "周明亮")
    _, number = run_starting(pdf, "青政〔2026〕8号")
    assert second.baseline - first.baseline == pytest.approx(225 / 22, abs=0.05)
    assert number.baseline == pytest.approx(second.baseline, abs=0.01)
    (separator,) = red_rules(pdf)
    assert separator.y - (second.baseline + 0.12 * EM_MM) == pytest.approx(4.0, abs=0.05)


# ----- 主体 -----------------------------------------------------------------------------------------


def test_full_body_page_holds_22_lines_of_28_characters() -> None:
    pdf = render_official_document(document(plain_body(30, 280)))
    lines = body_lines(pdf, 2)
    assert len(lines) == 22
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)]
    assert all(p * PT == pytest.approx(225 / 22, abs=0.02) for p in pitches)
    assert lines[0].top * PT >= TOP and (lines[-1].top + lines[-1].height) * PT <= BOTTOM
    full = [line for line in lines if line.x0 * PT == pytest.approx(LEFT, abs=0.1)]
    assert full, "no line starts at the type area's left edge"
    for line in full:
        if line.x1 * PT == pytest.approx(RIGHT, abs=0.2):
            assert len(line.text.strip()) == 28, line.text
    first_lines = [line for line in lines if line.x0 * PT == pytest.approx(LEFT + 2 * GRID_MM, abs=0.1)]
    assert first_lines, "no paragraph starts two characters in"
    assert sum(1 for line in lines if line.x1 * PT == pytest.approx(RIGHT, abs=0.2)) >= 18


def test_structure_levels_are_set_in_their_faces() -> None:
    pdf = pdf_of("down_going")
    expected = {"一、": "hei", "（一）": "kai", "1.": "fang", "（1）": "fang", "为切实做好": "fang"}
    for opening, role in expected.items():
        _, run = run_starting(pdf, opening)
        assert run.font == face(role), (opening, run.font)
        assert run.size == SIZE_3


def test_title_is_2hao_centred_in_a_trapezoid_below_the_separator() -> None:
    pdf = pdf_of("down_going")
    (separator,) = red_rules(pdf)
    title_runs = [r for r in runs(pdf, 0) if r.size == 22]
    assert len(title_runs) == 2
    fonts = resolve_fonts()
    widths = [fonts.string_width(r.text, fonts.song, 22) * PT for r in title_runs]
    for run, width in zip(title_runs, widths, strict=True):
        assert run.x + width / 2 == pytest.approx(LEFT + WIDTH / 2, abs=0.3)
    assert widths[0] <= widths[1] + 0.5 * 22 * PT
    # two blank lines (of the body's pitch) between the separator and the title's line
    assert title_runs[0].baseline - separator.y > 2 * 225 / 22


def test_recipients_flush_left_one_blank_line_below_the_title() -> None:
    pdf = pdf_of("down_going")
    _, recipients = run_starting(pdf, "各乡镇人民政府")
    assert recipients.x == pytest.approx(LEFT, abs=0.05)


def test_attachment_notes_numbered_and_aligned() -> None:
    pdf = pdf_of("down_going")
    _, first = run_starting(pdf, "附件：1.")
    _, second = run_starting(pdf, "2.青山县")
    assert first.x == pytest.approx(LEFT + 2 * GRID_MM, abs=0.05)
    fonts = resolve_fonts()
    label = fonts.string_width("附件：", fonts.fang, SIZE_3) * PT + 3 * (GRID_MM - EM_MM)
    assert second.x == pytest.approx(first.x + label, abs=0.1)
    assert not compact(first.text).endswith("。") and not compact(second.text).endswith("。")


def test_sealed_signature_date_four_characters_in_with_the_name_centred_above() -> None:
    pdf = pdf_of("down_going")
    fonts = resolve_fonts()
    _, when = run_starting(pdf, "2026年12月20日")
    _, office = run_exact(pdf, "青山县人民政府办公室")
    when_width = fonts.string_width("2026年12月20日", fonts.fang, SIZE_3) * PT
    office_width = fonts.string_width("青山县人民政府办公室", fonts.fang, SIZE_3) * PT
    assert when.x + when_width == pytest.approx(RIGHT - 4 * GRID_MM, abs=0.1)
    assert office.x + office_width / 2 == pytest.approx(when.x + when_width / 2, abs=0.1)
    assert when.baseline - office.baseline == pytest.approx(225 / 22, abs=0.05)
    _, note = run_starting(pdf, "（此件公开发布）")
    assert note.x == pytest.approx(LEFT + 2 * GRID_MM, abs=0.05)
    assert note.baseline - when.baseline == pytest.approx(225 / 22, abs=0.5)


def test_table_keeps_its_heading_on_every_page() -> None:
    rows = (("序号", "单位", "检查事项"), *((str(n), f"第{n}检查组", "节日期间安全生产检查") for n in range(1, 70)))
    pdf = render_official_document(document(Body((BodyParagraph("检查安排如下："), BodyTable(rows)))))
    pages = page_texts(pdf)
    with_rows = [i for i, text in enumerate(pages) if "检查组" in text]
    assert len(with_rows) >= 2
    for index in with_rows:
        assert "序号" in pages[index] and "检查事项" in pages[index]
    for index in with_rows:
        for run in runs(pdf, index):
            if "序号" in run.text:
                assert run.font == face("hei")


def test_attachment_starts_its_own_page_with_its_number_top_left() -> None:
    pdf = pdf_of("down_going")
    page, label = run_starting(pdf, "附件1")
    assert label.x == pytest.approx(LEFT, abs=0.05) and label.font == face("hei")
    assert TOP < label.baseline < TOP + 225 / 22
    assert compact(page_texts(pdf)[page]).startswith("附件1青山县2027年元旦春节期间值班安排表")
    signature_page, _ = run_starting(pdf, "2026年12月20日")
    assert page > signature_page
    title = [r for r in runs(pdf, page) if r.size == 22]
    assert title and title[0].baseline > label.baseline + 225 / 22  # the title on the third line


def test_a_single_attachment_is_labelled_without_a_number() -> None:
    data = samples.down_going()
    pdf = render_official_document(replace(data, attachments=data.attachments[:1]))
    text = compact("".join(page_texts(pdf)))
    assert "附件：青山县2027年元旦春节期间值班安排表" in text
    assert "附件1" not in text
    page, label = run_exact(pdf, "附件")
    assert label.x == pytest.approx(LEFT, abs=0.05) and label.font == face("hei")
    assert compact(page_texts(pdf)[page]).startswith("附件青山县2027年元旦春节期间值班安排表")


def test_pictures_keep_their_proportion_and_never_leave_the_type_area() -> None:
    wide = BodyImage(samples.png(), 300.0, 150.0, "宽图")
    small = BodyImage(samples.png(), 60.0, 30.0, "小图")
    pdf = render_official_document(document(Body((BodyParagraph("如图所示："), wide, small))))
    first, second = pictures(pdf)
    assert first.width == pytest.approx(WIDTH, abs=0.05) and first.height == pytest.approx(WIDTH / 2, abs=0.05)
    assert second.width == pytest.approx(60.0, abs=0.05) and second.height == pytest.approx(30.0, abs=0.05)
    for picture in (first, second):
        assert LEFT - 0.01 <= picture.left and picture.left + picture.width <= RIGHT + 0.01
        assert TOP - 0.01 <= picture.top and picture.top + picture.height <= BOTTOM + 0.01
        assert picture.left + picture.width / 2 == pytest.approx(LEFT + WIDTH / 2, abs=0.05)


def test_joint_sealed_document_puts_the_organs_side_by_side_the_last_over_the_date() -> None:
    data = replace(samples.down_going(), issuer_names=("青山县人民政府办公室", "青山县财政局"))
    pdf = render_official_document(data)
    fonts = resolve_fonts()
    _, lead = run_exact(pdf, "青山县人民政府办公室")
    _, other = run_exact(pdf, "青山县财政局")
    _, when = run_exact(pdf, "2026年12月20日")
    assert lead.baseline == pytest.approx(other.baseline, abs=0.01) and lead.x < other.x
    when_centre = when.x + fonts.string_width("2026年12月20日", fonts.fang, SIZE_3) * PT / 2
    other_centre = other.x + fonts.string_width("青山县财政局", fonts.fang, SIZE_3) * PT / 2
    assert other_centre == pytest.approx(when_centre, abs=0.1)
    assert lead.x >= LEFT


# ----- 页码 and 版记 --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_page_numbers_on_the_outer_side_7_mm_below_the_type_area(kind: str) -> None:
    pdf = pdf_of(kind)
    numbers = page_number_lines(pdf)
    assert numbers, "no page numbers"
    for page, line in numbers.items():
        assert compact(line.text) == f"—{page}—"
        if page % 2:
            assert line.x1 * PT == pytest.approx(RIGHT - SIZE_4 * PT, abs=0.3)
        else:
            assert line.x0 * PT == pytest.approx(LEFT + SIZE_4 * PT, abs=0.3)
    for index in range(len(reader(pdf).pages)):
        for run in runs(pdf, index):
            if run.text.strip().startswith("—"):
                # The em dashes (0.3 em above the baseline) 7 mm below the type area, 4号.
                assert run.baseline - 0.3 * SIZE_4 * PT == pytest.approx(BOTTOM + 7, abs=0.05)
                assert run.size == SIZE_4


def record_page(pdf: bytes) -> int:
    """The 1-based page that holds the 版记."""
    for index, text in enumerate(page_texts(pdf), start=1):
        if "印发" in compact(text) and "2026年12月21日印发" in compact(text):
            return index
    raise AssertionError("no 版记")


def test_record_on_even_page_after_a_text_ending_on_an_odd_page() -> None:
    for count in range(1, 30):
        pdf = render_official_document(document(plain_body(count, 200)))
        texts = [compact(text) for text in page_texts(pdf)]
        if len(texts) == 4 and "2026年12月20日" in texts[2]:
            break
    else:
        pytest.fail("no body ended on page 3")
    # The text ends on page 3 (odd): the 版记 stands alone at the foot of page 4, which has no page number
    # (GB/T 9704 §7.5); pages 1 to 3 are numbered.
    assert record_page(pdf) == 4
    assert all("印发" not in text for text in texts[:3])
    assert texts[3].startswith("抄送：")
    assert set(page_number_lines(pdf)) == {1, 2, 3}


def test_record_shares_the_attachment_s_even_last_page() -> None:
    pdf = pdf_of("down_going")
    pages = len(reader(pdf).pages)
    assert pages % 2 == 0 and record_page(pdf) == pages
    assert "附件1" in compact(page_texts(pdf)[pages - 1])
    assert set(page_number_lines(pdf)) == set(range(1, pages + 1))


def test_record_shares_an_even_last_page_that_has_room() -> None:
    pdf = render_official_document(document(plain_body(3)))
    assert len(reader(pdf).pages) == 2 and record_page(pdf) == 2
    assert set(page_number_lines(pdf)) == {1, 2}, "a page with text keeps its number"


def test_full_even_page_gets_a_blank_page_and_the_record_page() -> None:
    # Find a body whose text fills the second page: the 版记 then needs two more pages.
    for count in range(8, 30):
        pdf = render_official_document(document(plain_body(count, 60)))
        lines = body_lines(pdf, 2)
        if len(reader(pdf).pages) == 4 and len(lines) > 18 and "印发" not in compact(page_texts(pdf)[1]):
            break
    else:
        pytest.fail("no body filled the second page")
    assert record_page(pdf) == 4
    assert compact(page_texts(pdf)[2]) == "", "page 3 is blank"
    assert set(page_number_lines(pdf)) == {1, 2}


def test_record_rules_and_lines() -> None:
    pdf = pdf_of("down_going")
    page = record_page(pdf) - 1
    # The 版记's rules (the attachment's table on the same page draws 0.18 mm rules).
    rules = sorted((r for r in horizontal_rules(pdf) if r.page == page and r.weight > 0.2), key=lambda r: r.y)
    assert [round(r.weight, 2) for r in rules] == [0.35, 0.25, 0.35]
    for rule in rules:
        assert rule.x0 == pytest.approx(LEFT, abs=0.05) and rule.x1 == pytest.approx(RIGHT, abs=0.05)
    assert rules[-1].y + rules[-1].weight / 2 == pytest.approx(BOTTOM, abs=0.02)
    _, copy = run_starting(pdf, "抄送：")
    assert copy.x == pytest.approx(LEFT + SIZE_4 * PT, abs=0.05) and copy.size == SIZE_4
    assert rules[0].y < copy.baseline < rules[1].y
    printed_runs = [r for r in runs(pdf, page) if "印发" in r.text]
    fonts = resolve_fonts()
    (printed,) = printed_runs
    width = fonts.string_width("2026年12月21日印发", fonts.fang, SIZE_4) * PT
    assert printed.x + width == pytest.approx(RIGHT - SIZE_4 * PT, abs=0.1)
    assert rules[1].y < printed.baseline < rules[2].y


# ----- 纪要 ----------------------------------------------------------------------------------------


def test_minutes_head_people_and_distribution() -> None:
    pdf = pdf_of("minutes")
    text = compact("".join(page_texts(pdf)))
    assert "第12期" in text and "分送：" in text and "抄送" not in text
    fonts = resolve_fonts()
    for label in ("出席：", "请假：", "列席："):
        _, run = run_starting(pdf, label)
        assert run.x == pytest.approx(LEFT + 2 * GRID_MM, abs=0.05), label
        assert run.font == face("hei")
    # A wrapped 列席 line starts under the first character after the colon.
    page, attending = run_starting(pdf, "列席：")
    label_width = fonts.string_width("列席：", fonts.hei, SIZE_3) * PT + 3 * (GRID_MM - EM_MM)
    after = [r for r in runs(pdf, page) if r.baseline > attending.baseline + 1 and r.baseline < attending.baseline + 12]
    assert after and after[0].x == pytest.approx(attending.x + label_width, abs=0.1)
    # No 署名 below the people: the last lines before the 版记 are theirs.
    assert "青山县人民政府2026年12月11日" not in text.split("列席")[1].split("分送")[0]


def test_title_breaking_keeps_words_whole_in_the_pdf() -> None:
    data = replace(
        samples.down_going(), title="青山县人民政府办公室关于印发青山县节日期间安全检查工作方案和值班安排的通知"
    )
    pdf = render_official_document(data)
    lines = ["".join(r.text.split()) for r in runs(pdf, 0) if r.size == 22]
    assert lines == ["青山县人民政府办公室", "关于印发青山县节日期间安全检查", "工作方案和值班安排的通知"]


def test_joint_unsealed_document_names_every_organ() -> None:
    data = replace(
        samples.down_going(),
        issuer_names=("青山县人民政府办公室", "青山县财政局"),
        sealed=False,
        signed_on=date(2026, 12, 20),
    )
    pdf = render_official_document(data)
    _, lead = run_exact(pdf, "青山县人民政府办公室")
    _, other = run_exact(pdf, "青山县财政局")
    _, when = run_exact(pdf, "2026年12月20日")
    assert lead.baseline < other.baseline < when.baseline
    fonts = resolve_fonts()
    for run in (lead, other):
        width = fonts.string_width(run.text.strip(), fonts.fang, SIZE_3) * PT
        assert run.x + width == pytest.approx(RIGHT - 2 * GRID_MM, abs=0.1)


def test_unsealed_single_organ_two_characters_in_from_the_right() -> None:
    pdf = render_official_document(replace(samples.down_going(), sealed=False))
    fonts = resolve_fonts()
    _, office = run_exact(pdf, "青山县人民政府办公室")
    _, when = run_exact(pdf, "2026年12月20日")
    office_width = fonts.string_width("青山县人民政府办公室", fonts.fang, SIZE_3) * PT
    assert office.x + office_width == pytest.approx(RIGHT - 2 * EM_MM, abs=0.1)
    assert when.baseline > office.baseline


def test_a_document_without_organ_names_or_title_still_typesets() -> None:
    pdf = render_official_document(replace(samples.down_going(), issuer_names=(), title="", copy_to=""))
    text = compact("".join(page_texts(pdf)))
    assert "2026年12月20日" in text and "2026年12月21日印发" in text and "抄送" not in text
    assert len(reader(pdf).pages) % 2 == 0
