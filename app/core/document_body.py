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

_CN_NUMERAL = "一二三四五六七八九十百零〇两"
_LEVEL_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (LEVEL_1, re.compile(rf"^[{_CN_NUMERAL}]+、")),
    (LEVEL_2, re.compile(rf"^[（(][{_CN_NUMERAL}]+[）)]")),
    (LEVEL_3, re.compile(r"^\d+[.．](?!\d)")),
    (LEVEL_4, re.compile(r"^[（(]\d+[）)]")),
)


@dataclass(frozen=True)
class BodyParagraph:
    text: str
    level: int = PLAIN
    # A paragraph the author centred or set flush right (a sub-heading, a closing line) keeps it.
    align: str = "justify"  # justify | center | right


@dataclass(frozen=True)
class BodyTable:
    """A table's cells as text, row by row; the first ``header_rows`` rows are its heading and repeat on a
    new page. Merged cells are given as the text in the first cell and "" in the cells it covers."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1


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
    """The level a paragraph's opening marks it as (一、 → 1, （一） → 2, 1. → 3, （1） → 4), or 0."""
    stripped = text.lstrip()
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.match(stripped):
            return level
    return PLAIN
