"""The structure levels a paragraph's opening marks, typed bodies, and removing a draft's copy of the title and
主送 line (app.core.document_body)."""

from __future__ import annotations

import pytest

from app.core.document_body import (
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    LEVEL_4,
    PLAIN,
    Body,
    BodyImage,
    BodyParagraph,
    BodyTable,
    CellSpan,
    body_from_text,
    strip_heading,
    structure_level,
)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、提高思想认识", LEVEL_1),
        ("十、其他事项", LEVEL_1),
        ("十二、附则", LEVEL_1),
        ("二十一、附则", LEVEL_1),
        ("\u3000\u3000三、保障措施", LEVEL_1),
        ("（一）落实属地管理责任。", LEVEL_2),
        ("(二)落实部门监管责任。", LEVEL_2),
        ("(三）括号一半一全", LEVEL_2),
        ("（十二）第十二项", LEVEL_2),
        ("1. 道路交通安全。", LEVEL_3),
        ("1．全角的点", LEVEL_3),
        ("12.第十二条", LEVEL_3),
        ("１．全角数字", LEVEL_3),
        ("3、顿号写的序号", LEVEL_3),
        ("（1）加强重点路段管控。", LEVEL_4),
        ("(2)半角括号", LEVEL_4),
        ("（１０）全角数字", LEVEL_4),
    ],
)
def test_the_four_levels_in_their_usual_spellings(text: str, level: int) -> None:
    assert structure_level(text) == level


@pytest.mark.parametrize(
    "text",
    [
        "1.5亿元用于道路改造。",
        "2026年全县安全生产形势平稳。",
        "2026.12.6召开会议。",
        "100.以上不是序号",
        "一、二季度全县经济运行平稳。",
        "1、2月份降水偏少。",
        "一是压实责任，二是强化督查。",
        "十分重要、必须落实。",
        "（注：数据截至11月底）",
        "",
    ],
)
def test_numbers_that_are_not_headings_are_plain(text: str) -> None:
    assert structure_level(text) == PLAIN


def test_a_typed_body_is_one_paragraph_a_line_without_its_indent() -> None:
    typed = "\u3000\u3000为做好节日期间工作，现通知如下：\n\n  一、提高认识\r\n\t（一）落实责任。\n1.5亿元 | 用于 \t 改造  \n   \n（1）专人值守。"
    body = body_from_text(typed)
    assert body.blocks == (
        BodyParagraph("为做好节日期间工作，现通知如下：", PLAIN),
        BodyParagraph("一、提高认识", LEVEL_1),
        BodyParagraph("（一）落实责任。", LEVEL_2),
        BodyParagraph("1.5亿元 | 用于 \t 改造", PLAIN),
        BodyParagraph("（1）专人值守。", LEVEL_4),
    )
    assert body.dropped == ()
    assert body_from_text(" \n\u3000\n").blocks == ()


TITLE = "青山县人民政府办公室关于做好2027年元旦春节期间安全生产工作的通知"
RECIPIENTS = "各乡镇人民政府，县政府各部门："


def _body(*texts: str) -> Body:
    return Body(tuple(BodyParagraph(text) for text in texts), dropped=("第2段的批注（“核实”）不会排版",))


def test_a_leading_title_and_main_recipients_line_are_removed() -> None:
    body = _body("青山县人民政府办公室关于做好2027年元旦春节期间安全生产工作的通知", "各乡镇人民政府，县政府各部门：",
                 "为切实做好……", "一、提高思想认识")
    stripped = strip_heading(body, TITLE, RECIPIENTS)
    assert [p.text for p in stripped.paragraphs] == ["为切实做好……", "一、提高思想认识"]
    assert stripped.dropped == body.dropped


def test_a_title_on_two_lines_with_spaces_and_a_recipients_line_without_colon_count_as_copies() -> None:
    body = _body("青山县人民政府办公室关于做好2027年元旦", "春节期间安全生产工作的 通知", "各乡镇人民政府， 县政府各部门", "正文。")
    assert [p.text for p in strip_heading(body, TITLE, "各乡镇人民政府，县政府各部门").paragraphs] == ["正文。"]


def test_only_exact_copies_go() -> None:
    body = _body("关于做好元旦春节期间安全生产工作的通知", "各乡镇人民政府：", "正文。")
    assert strip_heading(body, TITLE, RECIPIENTS) == body
    # A 主送 line is only taken at the start (after the title, if any): the same line later stays.
    later = _body("正文。", "各乡镇人民政府，县政府各部门：")
    assert strip_heading(later, TITLE, RECIPIENTS) == later
    # Nothing to compare with: nothing is removed, not even an empty first line's worth.
    assert strip_heading(body, "", "") == body


def test_a_title_followed_by_a_table_or_picture_is_still_removed_but_not_the_table() -> None:
    table = BodyTable((("单位", "数量"), ("城关镇", "12")))
    image = BodyImage(b"png", 60.0, 30.0)
    body = Body((BodyParagraph(TITLE), table, image, BodyParagraph("正文。")))
    assert strip_heading(body, TITLE, RECIPIENTS).blocks == (table, image, BodyParagraph("正文。"))
    starts_with_table = Body((table, BodyParagraph(TITLE)))
    assert strip_heading(starts_with_table, TITLE, RECIPIENTS) == starts_with_table


# ----- merged cells in a table ----------------------------------------------------------------------


def test_a_table_names_its_merged_areas_and_finds_the_one_covering_a_cell() -> None:
    heading, column = CellSpan(0, 0, columns=3), CellSpan(1, 0, rows=2)
    table = BodyTable((("各乡镇检查情况", "", ""), ("城关镇", "检查企业", "12"), ("", "整改隐患", "7")), 1, (heading, column))
    assert table.span_at(0, 2) == heading and table.span_at(2, 0) == column
    assert table.span_at(1, 1) is None and table.span_at(2, 2) is None
    # Old callers give no spans: every cell is its own.
    assert BodyTable((("单位", "数量"),)).spans == ()


@pytest.mark.parametrize(
    ("spans", "problem"),
    [
        ((CellSpan(0, 0, rows=0),), "至少为1"),
        ((CellSpan(0, 0, columns=0),), "至少为1"),
        ((CellSpan(0, 1, columns=2),), "超出了3行2列"),
        ((CellSpan(2, 0, rows=2),), "超出了3行2列"),
        ((CellSpan(-1, 0),), "超出了3行2列"),
        ((CellSpan(0, 0, rows=2), CellSpan(1, 0, columns=2)), "重叠于第2行第1列"),
        ((CellSpan(0, 0, columns=2), CellSpan(0, 0, columns=2)), "重叠于第1行第1列"),
    ],
)
def test_merged_areas_outside_the_table_overlapping_or_empty_are_refused(
    spans: tuple[CellSpan, ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        BodyTable((("a", "b"), ("c", "d"), ("e", "f")), 1, spans)
