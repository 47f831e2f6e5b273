"""Which characters a printed form can draw, so that input the paper cannot show is refused where it is typed.

A character that no bundled font has (an emoji, a rare symbol) would be left off the paper or drawn as an
empty box. The fonts live with the printing layer, which core may not import, so the characters they cover
come from a table generated from the font files (app/core/printable_chars.py, by
tests/helpers/printable_table.py; a test holds the table to the files).
"""

from __future__ import annotations

from bisect import bisect_right

from app.core.errors import ValidationError
from app.core.printable_chars import RANGES

_STARTS = RANGES[0::2]
_ENDS = RANGES[1::2]

# Line breaks and tabs are laid out, never drawn.
_LAYOUT = frozenset("\n\r\t")


def is_printable(char: str) -> bool:
    if char in _LAYOUT:
        return True
    point = ord(char)
    i = bisect_right(_STARTS, point) - 1
    return i >= 0 and point <= _ENDS[i]


def unprintable(text: str | None) -> list[str]:
    """The characters of text that no bundled font can draw, each once, in the order they first appear.

    An emoji written with a variation selector or a skin-tone modifier is one piece (“👍🏻”), as typed.
    """
    found: list[str] = []
    pieces = _pieces(text or "")
    for piece in pieces:
        if not all(is_printable(c) for c in piece) and piece not in found:
            found.append(piece)
    return found


def _pieces(text: str) -> list[str]:
    """Characters, with the joiners, selectors and modifiers that belong to the one before kept on it."""
    pieces: list[str] = []
    joined = False
    for char in text:
        point = ord(char)
        attaches = (
            0xFE00 <= point <= 0xFE0F  # variation selectors (emoji or text presentation)
            or 0x1F3FB <= point <= 0x1F3FF  # skin-tone modifiers
            or 0xE0020 <= point <= 0xE007F  # tag characters of flag sequences
            or point == 0x20E3  # combining keycap
        )
        if pieces and (attaches or joined or point == 0x200D):
            pieces[-1] += char
        else:
            pieces.append(char)
        joined = point == 0x200D  # a zero-width joiner glues the next character on too
    return pieces


def printable_problem(text: str | None, what: str) -> str | None:
    """A message naming what cannot be printed, or None: “标题中的“😀”无法打印，请删去或换成文字”."""
    found = unprintable(text)
    if not found:
        return None
    shown = "".join(f"“{piece}”" for piece in found[:5]) + ("等" if len(found) > 5 else "")
    return f"{what}中的{shown}无法打印，请删去或换成文字"


def check_printable(text: str | None, what: str, field: str | None = None) -> None:
    """Refuse text that holds a character no bundled font can draw (see printable_problem)."""
    problem = printable_problem(text, what)
    if problem:
        raise ValidationError(problem, field=field)
