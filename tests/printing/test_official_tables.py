"""Merged cells in a 公文's body table as typeset (app.printing.documents.official.body): a merged area is one
cell with its text once and no rules inside it, a heading repeats with its merged cells, and a long table
whose row-spanned cells meet a page break still prints, with each merged cell kept whole or, when taller than
a page, its text repeated on the next one."""

from __future__ import annotations

import functools
from dataclasses import replace

import pytest

from app.core.document_body import Body, BodyParagraph, BodyTable, CellSpan
from app.printing.documents.official.body import heading_rows
from app.printing.documents.official.render import render_official_document
from tests.helpers import official_samples as samples
from tests.helpers.official_measure import DARK, Rule, horizontal_rules, ink_box, page_texts, render_page, run_exact
from tests.helpers.pdfcheck import needs_pdftoppm

# 单位 is two rows high beside the heading, 检查情况 two columns wide above 检查企业 and 整改隐患, and 城关镇
# two rows high in the body; 青山镇's cell beside the empty cell below it is merged with nothing.
MERGED = BodyTable(
    (
        ("单位", "检查情况", ""),
        ("", "检查企业", "整改隐患"),
        ("城关镇", "12", "7"),
        ("", "9", "3"),
        ("青山镇", "5", ""),
    ),
    header_rows=1,
    spans=(CellSpan(0, 1, columns=2), CellSpan(0, 0, rows=2), CellSpan(2, 0, rows=2)),
)
DPI = 600


def document(*blocks: BodyTable) -> bytes:
    body = Body((BodyParagraph("各乡镇检查情况如下："), *blocks))
    return render_official_document(replace(samples.down_going(), body=body, attachments=()))


@functools.cache
def merged_pdf() -> bytes:
    return document(MERGED)


def table_rules(pdf: bytes) -> list[Rule]:
    """The table's rules on page 1: black ones (the 版头's are red, the 版记's on a later page)."""
    return [r for r in horizontal_rules(pdf) if r.page == 0 and r.rgb == (0, 0, 0)]


def rules_between(pdf: bytes, top: float, bottom: float) -> list[tuple[float, float]]:
    """The table's rules (x0, x1 in mm) on page 1 lying between two heights (mm from the top)."""
    return [(r.x0, r.x1) for r in table_rules(pdf) if top < r.y < bottom]


def test_merged_text_is_printed_once() -> None:
    lines = [line.strip() for line in page_texts(merged_pdf())[0].splitlines()]
    for text in ("单位", "检查情况", "检查企业", "整改隐患", "城关镇", "青山镇"):
        assert lines.count(text) == 1, text


def test_no_rule_is_drawn_across_a_cell_merged_down() -> None:
    pdf = merged_pdf()
    _, unit = run_exact(pdf, "单位")
    _, heading = run_exact(pdf, "检查情况")
    _, below_heading = run_exact(pdf, "检查企业")
    _, town = run_exact(pdf, "城关镇")
    _, first = run_exact(pdf, "12")
    _, second = run_exact(pdf, "9")
    # Between the heading's two rows a rule runs under 检查情况 but not under 单位, which reaches down past it;
    # between 城关镇's two rows a rule runs under 12 but not under 城关镇.
    for upper, lower, merged in ((heading, below_heading, unit), (first, second, town)):
        rules = rules_between(pdf, upper.baseline, lower.baseline)
        assert rules, (upper, lower)
        assert all(x0 > merged.x + 6 for x0, _ in rules), rules  # 6 mm: past the merged cell's text
    # A merged cell's text stands in the middle of its rows: 单位, two rows high, half a row lower than
    # 检查情况 in the first row.
    (middle,) = {round(r.y, 3) for r in table_rules(pdf) if heading.baseline < r.y < below_heading.baseline}
    (bottom,) = {round(r.y, 3) for r in table_rules(pdf) if below_heading.baseline < r.y < first.baseline}
    assert unit.baseline == pytest.approx(heading.baseline + (bottom - middle) / 2, abs=0.3)


@needs_pdftoppm
def test_no_rule_is_drawn_inside_a_heading_merged_across() -> None:
    pdf = merged_pdf()
    _, heading = run_exact(pdf, "检查情况")
    _, left_text = run_exact(pdf, "检查企业")
    _, right_text = run_exact(pdf, "整改隐患")
    top = min(r.y for r in table_rules(pdf))
    (middle,) = {round(r.y, 3) for r in table_rules(pdf) if top < r.y < left_text.baseline}
    page = render_page(pdf, 1, DPI)
    # The column rule between 检查企业 and 整改隐患, found in their row's top padding (above the glyphs).
    rule = ink_box(page, DPI, DARK, (left_text.x + 21, middle + 0.3, right_text.x - 1, middle + 0.9))
    assert rule is not None and rule.right - rule.left < 0.5
    # In the merged heading's top padding, above 检查情况's glyphs, that rule does not go on up...
    strip = (rule.left - 0.2, top + 0.3, rule.right + 0.2, top + 0.9)
    assert heading.baseline - 4 > strip[3]
    assert ink_box(page, DPI, DARK, strip) is None
    # ...while the rule left of the heading, beside 单位, does.
    _, unit = run_exact(pdf, "单位")
    assert ink_box(page, DPI, DARK, (unit.x + 9, top + 0.3, heading.x - 1, top + 0.9)) is not None


def test_the_heading_takes_in_a_merged_cell_that_reaches_below_it() -> None:
    assert heading_rows(MERGED) == 2
    assert heading_rows(BodyTable((("序号", "单位"), ("1", "城关镇")))) == 1
    chained = BodyTable((("a", "b"), ("", "c"), ("d", ""), ("e", "f")), 1, (CellSpan(0, 0, 2), CellSpan(1, 1, 2)))
    assert heading_rows(chained) == 3


def grouped_table(groups: int, rows_each: int) -> BodyTable:
    """A long table of inspection groups, each group's name in one cell as high as its rows, under a heading
    of two rows whose 检查事项 is merged across two columns."""
    rows: list[tuple[str, ...]] = [("检查组", "检查事项", ""), ("", "内容", "完成时限")]
    spans = [CellSpan(0, 0, rows=2), CellSpan(0, 1, columns=2)]
    for group in range(1, groups + 1):
        spans.append(CellSpan(len(rows), 0, rows=rows_each))
        for item in range(1, rows_each + 1):
            rows.append((f"{group}号组" if item == 1 else "", f"事项{group}-{item}", "2026年12月31日"))
    return BodyTable(tuple(rows), 2, tuple(spans))


def test_a_long_table_breaks_pages_between_merged_cells_and_repeats_its_merged_heading() -> None:
    pdf = document(grouped_table(groups=30, rows_each=3))
    pages = [[line.strip() for line in text.splitlines()] for text in page_texts(pdf)]
    with_rows = [i for i, lines in enumerate(pages) if any(line.startswith("事项") for line in lines)]
    assert len(with_rows) >= 3
    for index in with_rows:
        assert pages[index].count("检查事项") == 1 and pages[index].count("完成时限") == 1
    # Every group's name stands on the page of each of its rows: no page break falls inside a merged cell.
    for group in range(1, 31):
        (page,) = [i for i in with_rows if f"{group}号组" in pages[i]]
        for item in range(1, 4):
            assert f"事项{group}-{item}" in pages[page], (group, item)


def test_a_merged_cell_taller_than_a_page_is_cut_and_its_text_repeated() -> None:
    pdf = document(grouped_table(groups=1, rows_each=90))
    pages = [[line.strip() for line in text.splitlines()] for text in page_texts(pdf)]
    with_rows = [i for i, lines in enumerate(pages) if any(line.startswith("事项") for line in lines)]
    assert len(with_rows) >= 3
    for index in with_rows:
        assert pages[index].count("1号组") == 1 and pages[index].count("检查事项") == 1
    printed = [line for index in with_rows for line in pages[index] if line.startswith("事项")]
    assert printed == [f"事项1-{item}" for item in range(1, 91)]
