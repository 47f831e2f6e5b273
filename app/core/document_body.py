"""A 公文's body as the typesetter takes it: paragraphs with their structure level, tables and images, and
what could not be kept, named so that the clerk hears of it before typesetting (never dropped in silence).

The body comes from the approved draft's .docx (app.services.documents.body_reader) or from text typed in
the program (body_from_text). GB/T 9704-2012 §7.3.3 names the four levels of the structure: 一、 (黑体),
（一） (楷体), 1. and （1） (仿宋).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Level 0 is a plain paragraph; 1 to 4 are the structure's levels in GB/T 9704's order.
PLAIN, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = 0, 1, 2, 3, 4
LEVEL_EXAMPLES: dict[int, str] = {LEVEL_1: "一、", LEVEL_2: "（一）", LEVEL_3: "1.", LEVEL_4: "（1）"}

# A heading's number: 一 to 九十九 (a 公文 never has a hundred sections), in Arabic numerals one or two digits,
# half- or full-width. Brackets may be half- or full-width, and a typist mixes them: "(一）" counts.
_CN_NUMBER = "(?:[一二三四五六七八九]|[二三四五六七八九]?十[一二三四五六七八九]?)"
_DIGITS = "[0-9０-９]{1,2}"
_OPEN, _CLOSE = "[（(]", "[）)]"
_CN_DIGIT = "一二三四五六七八九十"
_LEVEL_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    # "一、二季度…" is a sentence about two quarters, not heading 一: a numeral right after 、 rules it out.
    (LEVEL_1, re.compile(rf"^{_CN_NUMBER}、(?![{_CN_DIGIT}])")),
    (LEVEL_2, re.compile(rf"^{_OPEN}\s*{_CN_NUMBER}\s*{_CLOSE}")),
    # "1." or "1．" (or "1、", which drafts write for 1.), but not "1.5亿元": a digit after the point is a decimal.
    (LEVEL_3, re.compile(rf"^{_DIGITS}[.．、](?![0-9０-９])")),
    (LEVEL_4, re.compile(rf"^{_OPEN}\s*{_DIGITS}\s*{_CLOSE}")),
)

# What the typesetter indents by itself, so the text carries none at the start of a line.
_INDENT = " \u3000\t\u00a0"


@dataclass(frozen=True)
class BodyParagraph:
    text: str
    level: int = PLAIN
    # A paragraph the author centred or set flush right (a sub-heading, a closing line) keeps it.
    align: str = "justify"  # justify | center | right


@dataclass(frozen=True)
class CellSpan:
    """A merged area of a table: its top-left cell (row and column from 0) and how many rows and columns it
    covers, itself included."""

    row: int
    column: int
    rows: int = 1
    columns: int = 1

    def covers(self, row: int, column: int) -> bool:
        return self.row <= row < self.row + self.rows and self.column <= column < self.column + self.columns


@dataclass(frozen=True)
class BodyTable:
    """A table's cells as text, row by row; the first ``header_rows`` rows are its heading and repeat on a
    new page. A merged cell's text stands in its top-left cell and "" in the cells it covers; ``spans`` names
    each merged area, so that the typesetter draws it as one cell and an empty cell stays an empty cell.

    A table is built by code (the body reader, tests), never typed by a user: spans that do not fit the table
    are a programming error and raise ValueError."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    spans: tuple[CellSpan, ...] = ()

    def __post_init__(self) -> None:
        height = len(self.rows)
        width = max((len(row) for row in self.rows), default=0)
        taken: dict[tuple[int, int], int] = {}  # each cell of a merged area: the index of its span
        for index, span in enumerate(self.spans):
            if span.rows < 1 or span.columns < 1:
                raise ValueError(f"合并单元格 {span} 的行数和列数至少为1")
            if span.row < 0 or span.column < 0 or span.row + span.rows > height or span.column + span.columns > width:
                raise ValueError(f"合并单元格 {span} 超出了{height}行{width}列的表格")
            for row in range(span.row, span.row + span.rows):
                for column in range(span.column, span.column + span.columns):
                    other = taken.setdefault((row, column), index)
                    if other != index:
                        raise ValueError(
                            f"合并单元格 {span} 与 {self.spans[other]} 重叠于第{row + 1}行第{column + 1}列")

    def span_at(self, row: int, column: int) -> CellSpan | None:
        """The merged area covering this cell, or None for a cell of its own."""
        return next((span for span in self.spans if span.covers(row, column)), None)


@dataclass(frozen=True)
class BodyImage:
    """A picture in the body, as PNG or JPEG bytes, with the size it had in the document (millimetres)."""

    data: bytes
    width_mm: float
    height_mm: float
    name: str = ""


BodyBlock = BodyParagraph | BodyTable | BodyImage


@dataclass(frozen=True)
class Body:
    blocks: tuple[BodyBlock, ...]
    # What the source held that the typeset document cannot keep, each said for the clerk
    # (e.g. "第3段的批注", "文本框中的文字：……").
    dropped: tuple[str, ...] = ()

    @property
    def paragraphs(self) -> tuple[BodyParagraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, BodyParagraph))


def structure_level(text: str) -> int:
    """The level a paragraph's opening marks it as (一、 → 1, （一） → 2, 1. → 3, （1） → 4), or 0.

    Brackets and points may be half- or full-width ("(一）", "1．", "（１）"), and "1、" counts as 1.; a number
    that goes on ("1.5亿元", "2026年", "一、二季度", "1、2月份") is text, not a heading."""
    stripped = text.lstrip()
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.match(stripped):
            return level
    return PLAIN


def body_from_text(text: str) -> Body:
    """A body typed in the program: one paragraph a line, each with the level its opening marks.

    Blank lines are dropped and the indent at a line's start (spaces, full-width spaces, tabs) is removed,
    because the typesetter indents every paragraph itself. Nothing else is read into the text: a line with
    tabs or "|" stays a paragraph (tables come only from a .docx), so what is typed is what is printed."""
    paragraphs: list[BodyParagraph] = []
    for line in text.splitlines():
        cleaned = line.lstrip(_INDENT).rstrip()
        if cleaned:
            paragraphs.append(BodyParagraph(cleaned, structure_level(cleaned)))
    return Body(tuple(paragraphs))


def strip_heading(body: Body, title: str, main_recipients: str) -> Body:
    """The body without a leading copy of the document's title and of its 主送 line.

    Drafts often start with the title and "各乡镇人民政府，县政府各部门：", which the typeset document prints
    from its own fields. Only exact copies go (compared without spaces, the 主送 also without its final
    colon); the title may stand on several lines. Anything else stays, for the clerk to see: the program
    does not guess. What is removed is a duplicate, not a loss, so ``dropped`` does not name it."""
    blocks = list(body.blocks)
    start = _leading_copy(blocks, 0, _compact(title))
    start = _leading_copy(blocks, start, _compact(main_recipients).rstrip("：:"), strip_colon=True)
    if start == 0:
        return body
    return Body(tuple(blocks[start:]), body.dropped)


def _leading_copy(blocks: list[BodyBlock], start: int, wanted: str, *, strip_colon: bool = False) -> int:
    """The index after the paragraphs from ``start`` whose joined text is ``wanted``; ``start`` if none."""
    if not wanted:
        return start
    joined = ""
    for index in range(start, len(blocks)):
        block = blocks[index]
        if not isinstance(block, BodyParagraph):
            return start
        joined += _compact(block.text)
        candidate = joined.rstrip("：:") if strip_colon else joined
        if candidate == wanted:
            return index + 1
        if not wanted.startswith(joined):
            return start
    return start


def _compact(text: str) -> str:
    return "".join(text.split())
