"""Chinese line-breaking (GB/T 15834 and the usual 禁则) on every printed form, read back from the PDF."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib import textsplit
from reportlab.platypus import Paragraph

from app.printing.documents.notice import render_document_notice
from app.printing.kit.fonts import resolve_fonts
from app.printing.kit.linebreak import (
    CANNOT_END,
    CANNOT_START,
    grid_tracking,
    may_break_between,
    nest_book_titles,
    plan_lines,
)
from app.printing.kit.page import (
    BODY_CHARS_PER_LINE,
    BODY_LEADING,
    LEFT_MARGIN,
    SIZE_3,
    TYPE_AREA_WIDTH,
    BoldTitle,
    build_pdf,
    gb_styles,
)
from app.printing.kit.table_form import CELL_PAD_X, FormBuilder, label, value
from tests.helpers import document_samples as samples
from tests.helpers.linecheck import PAGE_NUMBER, PrintedLine, breaking_faults, needs_pdftotext, printed_lines
from tests.helpers.pdfcheck import compact, page_text

RIGHT_EDGE = LEFT_MARGIN + TYPE_AREA_WIDTH
PITCH = TYPE_AREA_WIDTH / BODY_CHARS_PER_LINE  # one character of the 28-a-line grid
TOLERANCE = 0.05  # points; poppler rounds the boxes it reports

# Punctuation placed so that a knife-cut at 27 or 28 characters lands on every kind of forbidden break.
BODY_TEXT = (
    "为贯彻落实《国务院办公厅关于印发〈政务服务效能提升行动方案〉的通知》精神，进一步规范全县公文办理，"
    "县政府办公室制定了本办法。各乡镇、各部门要高度重视，认真组织学习，结合实际抓好落实；"
    "对执行中遇到的问题，请及时向县政府办公室（秘书股）反馈。办文“三审”制度、“限时办结”制度和"
    "《青山县公文处理细则》（试行）同时执行，原《关于加强公文管理的通知》（县政办发〔2019〕8号）同时废止。"
    "请各单位于每季度末（3月、6月、9月、12月）报送办理情况，并确保报送材料真实、准确、完整！"
) * 2


def _ems(text: str) -> float:
    """How many 三号 characters wide the text is set in 仿宋 (a half-width digit or quote mark is less than one)."""
    fonts = resolve_fonts()
    return fonts.string_width(text, fonts.fang, SIZE_3) / SIZE_3


# ----- what reportlab does on its own (why the kit exists) -------------------------------------------


def test_reportlab_alone_breaks_chinese_where_the_rules_forbid() -> None:
    font = resolve_fonts().song
    # Its no-line-start list is Japanese: the full-width comma is not in it.
    assert [text for _, text in textsplit.wordSplit("一二三，四", 30, font, 10)] == ["一二三", "，四"]
    # A full stop, which is in the list, hangs 10 pt past the 30 pt line.
    lines = textsplit.wordSplit("一二三。四", 30, font, 10)
    assert [text for _, text in lines] == ["一二三。", "四"]
    assert lines[0][0] < 0
    # Its no-line-end list is never consulted.
    lines = textsplit.wordSplit("一二（三四", 30, font, 10)
    assert [text for _, text in lines] == ["一二（", "三四"]


# ----- the rules, without reportlab ------------------------------------------------------------------


def _lines(text: str, width: float, widths: list[float] | None = None, tracking: float = 0.0) -> list[str]:
    planned = plan_lines(text, widths or [10.0] * len(text), [width], tracking)
    return [text[line.start : line.end] for line in planned]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一二三，四", ["一二", "三，四"]),  # the comma pulls 三 down instead of hanging
        ("一二（三四", ["一二", "（三四"]),  # （ does not end a line
        ("一二三》，四", ["一二", "三》，", "四"]),  # two closing marks in a row pull one character down
        ("一《二》三四五", ["一", "《二》", "三四五"]),  # 《 is not left at a line's end, nor 》 at a start
        ("一二三四五六", ["一二三", "四五六"]),
    ],
)
def test_lines_break_where_the_rules_allow(text: str, expected: list[str]) -> None:
    assert _lines(text, 30) == expected


def test_a_western_word_or_number_stays_whole() -> None:
    text = "年度2026号文"
    widths = [10.0 if ord(c) > 0x2E80 else 5.0 for c in text]
    assert _lines(text, 30, widths) == ["年度", "2026号", "文"]


def test_a_run_with_no_legal_break_is_cut_where_it_is_full() -> None:
    assert _lines("，，，，，", 30) == ["，，，", "，，"]


def test_hard_breaks_end_their_line_and_spaces_do_not_start_one() -> None:
    text = "一二\n三 四五"
    planned = plan_lines(text, [10.0] * len(text), [100.0], hard_breaks=frozenset({2}))
    assert [(text[p.start : p.end], p.justify) for p in planned] == [("一二\n", False), ("三 四五", False)]
    assert _lines("一二三 四五", 30) == ["一二三", "四五"]


def test_the_grid_sets_28_characters_of_sanhao_on_the_156_mm_line() -> None:
    tracking = grid_tracking(TYPE_AREA_WIDTH, SIZE_3, 28)
    assert tracking < 0  # 16 pt × 28 = 448 pt is wider than 442.2 pt
    assert len(_lines("中" * 60, TYPE_AREA_WIDTH, [SIZE_3] * 60, tracking)[0]) == 28
    assert len(_lines("中" * 60, TYPE_AREA_WIDTH, [SIZE_3] * 60)[0]) == 27  # without the grid


_MARKS = CANNOT_START[:12] + CANNOT_END[:8]


@given(st.text(alphabet="一二三四五六七八九" + _MARKS + "ab1 ", min_size=1, max_size=80), st.integers(3, 12))
def test_no_line_is_wider_than_the_measure_or_breaks_where_it_may_not(text: str, chars: int) -> None:
    widths = [5.0 if c.isascii() else 10.0 for c in text]
    planned = plan_lines(text, widths, [chars * 10.0])
    assert "".join(text[p.start : p.end] for p in planned).replace(" ", "") == text.replace(" ", "")
    for line, following in zip(planned, planned[1:], strict=False):
        assert line.ink <= chars * 10.0 + 1e-6 or line.end - line.start == 1
        legal = any(may_break_between(text[j - 1], text[j]) for j in range(line.start + 1, following.start + 1))
        if legal:  # only a run with no legal break point at all may break illegally
            assert (
                may_break_between(text[following.start - 1], text[following.start]) or text[following.start - 1] == " "
            )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《关于印发《办法》的通知》", "《关于印发〈办法〉的通知》"),
        ("《一《二《三》二》一》", "《一〈二《三》二〉一》"),
        ("《甲》和《乙》", "《甲》和《乙》"),
        ("〈单独〉", "〈单独〉"),
        ("《未闭合《内", "《未闭合〈内"),
        ("多余》", "多余》"),
    ],
)
def test_nested_book_titles_alternate(text: str, expected: str) -> None:
    assert nest_book_titles(text) == expected


# ----- on paper --------------------------------------------------------------------------------------


def _body_lines(lines: list[PrintedLine]) -> list[PrintedLine]:
    """The 三号 lines of the body (16 pt boxes), leaving out titles, tables and page numbers."""
    return [line for line in lines if abs(line.height - SIZE_3) < 0.5]


def _paragraph_ends(body: list[PrintedLine]) -> list[bool]:
    """For each body line, whether it ends its paragraph: the next one is indented, or is not the next line."""
    ends = []
    for line, after in zip(body, [*body[1:], None], strict=True):
        ends.append(
            after is None
            or after.x0 > LEFT_MARGIN + PITCH / 2
            or (after.page == line.page and after.top - line.top > BODY_LEADING + 1)
        )
    return ends


def _assert_body_is_set_to_the_grid(body: list[PrintedLine]) -> None:
    assert body
    full = 0
    for line, ends in zip(body, _paragraph_ends(body), strict=True):
        assert LEFT_MARGIN - TOLERANCE <= line.x0 and line.x1 <= RIGHT_EDGE + TOLERANCE, f"出版心：{line}"
        if ends:
            continue
        # Justified: every line but a paragraph's last reaches the right edge of the 版心.
        assert line.x1 == pytest.approx(RIGHT_EDGE, abs=TOLERANCE), line
        ems = _ems(line.text) + round((line.x0 - LEFT_MARGIN) / PITCH)
        assert ems <= BODY_CHARS_PER_LINE + 1e-6, line
        full += ems > BODY_CHARS_PER_LINE - 1e-6
    assert full >= 3


@needs_pdftotext
def test_a_body_paragraph_sets_28_characters_justified_and_breaks_by_the_rules() -> None:
    styles = gb_styles()
    pdf = build_pdf([Paragraph(BODY_TEXT, styles.body)], title="测试")
    lines = printed_lines(pdf)
    assert breaking_faults(lines) == []
    body = _body_lines(lines)
    _assert_body_is_set_to_the_grid(body)
    assert body[-1].x1 < RIGHT_EDGE - PITCH  # the last line stays left-aligned
    text = compact(page_text(pdf))
    assert "《国务院办公厅关于印发〈政务服务效能提升行动方案〉的通知》" in text
    assert PAGE_NUMBER.sub("", text) == nest_book_titles(compact(BODY_TEXT))  # nothing lost or added


@needs_pdftotext
def test_the_notice_sets_its_body_to_the_grid_and_nests_book_titles() -> None:
    sample = samples.document_notice()
    nested = dataclasses.replace(sample.overdue_items[-1], title="关于贯彻落实《青山县政府投资项目管理办法》的通知")
    data = dataclasses.replace(sample, overdue_items=(*sample.overdue_items[:-1], nested))
    pdf = render_document_notice(data)
    lines = printed_lines(pdf)
    assert breaking_faults(lines) == []
    for line in lines:
        assert LEFT_MARGIN - TOLERANCE <= line.x0 and line.x1 <= RIGHT_EDGE + TOLERANCE, f"出版心：{line}"
    _assert_body_is_set_to_the_grid(_body_lines(lines))
    assert "《关于贯彻落实〈青山县政府投资项目管理办法〉的通知》" in compact(page_text(pdf))


def test_lines_drawn_directly_nest_book_titles_too() -> None:
    pdf = build_pdf([BoldTitle(["《关于印发《青山县公文处理细则》的通知》解读"])], title="测试")
    assert "《关于印发〈青山县公文处理细则〉的通知》解读" in compact(page_text(pdf))


@needs_pdftotext
def test_table_cells_break_by_the_rules_inside_their_rules() -> None:
    form = FormBuilder("测试表")
    for n in range(1, 12):
        # Each row shifts the punctuation by one place, so some row's line ends on every kind of mark.
        form.row([label("事由", 2), value("文" * n + "，“关于《办法》（试行）”。" * 6, 6)])
    pdf = build_pdf([form.build()], title="测试表")
    lines = printed_lines(pdf)
    assert breaking_faults(lines) == []
    inner_right = LEFT_MARGIN + TYPE_AREA_WIDTH - CELL_PAD_X
    cells = [line for line in lines if line.text.startswith("文") or line.x0 > LEFT_MARGIN + form.span_width(0, 2)]
    assert len(cells) > 22
    for line in cells:
        assert line.x1 <= inner_right + TOLERANCE, f"超出单元格：{line}"


# ----- every form --------------------------------------------------------------------------------------


def _every_form() -> list[tuple[str, bytes]]:
    from app.printing.claims.form import render_claim_form_pdf
    from app.printing.documents.archive_forms import render_archive_catalogue, render_archive_stamps
    from app.printing.documents.incoming_slip import render_incoming_slip
    from app.printing.documents.outgoing_draft import render_outgoing_draft
    from app.printing.documents.receipt_register import render_receipt_register
    from app.printing.kit.urge_slip import render_urge_slip
    from tests.helpers import print_samples as slips
    from tests.helpers.print_samples import claim

    # Text with punctuation wherever the sample's own wording lets it in, so that breaks land on marks.
    marked = "关于《青山县〈公文处理细则〉（试行）》的意见：“同意”，请抓紧办理；另，附件（二）已补齐。" * 3
    draft = samples.outgoing_draft()
    return [
        ("发文稿纸", render_outgoing_draft(dataclasses.replace(draft, title=draft.title + marked))),
        ("收文处理笺", render_incoming_slip(samples.incoming_slip())),
        ("收文登记簿", render_receipt_register(samples.receipt_register(30))),
        ("归档章", render_archive_stamps(samples.archive_stamps(4))),
        ("归档文件目录", render_archive_catalogue(samples.archive_catalogue(30))),
        ("通报", render_document_notice(samples.document_notice())),
        ("催办单", render_urge_slip(dataclasses.replace(slips.urge_slip(), note=marked))),
        ("报销单", render_claim_form_pdf(claim())),
    ]


@needs_pdftotext
def test_no_form_breaks_a_line_where_the_rules_forbid() -> None:
    faults = {name: breaking_faults(printed_lines(pdf)) for name, pdf in _every_form()}
    assert {name: found for name, found in faults.items() if found} == {}
