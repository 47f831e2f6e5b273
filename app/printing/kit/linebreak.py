"""Chinese line-breaking for every printed form: GB/T 15834's rules and the usual 禁则, on reportlab platypus.

reportlab wraps CJK text (``wordWrap='CJK'``) in ``Paragraph.breakLinesCJK``, which cuts "like a knife"
wherever the width runs out (``reportlab.platypus.paragraph.cjkFragSplit``, ``reportlab.lib.textsplit``).
Three things in it are wrong for Chinese print (tests/printing/test_linebreak.py pins each one down):

- a mark that may not start a line is hung past the right edge instead of being kept inside the frame;
- ``ALL_CANNOT_END`` is never consulted, so a line may end with （《“;
- a CJK line counts as one word, so ``TA_JUSTIFY`` justifies nothing and the right edge stays ragged.

This module keeps reportlab's parsing, measuring (``cjkU``), line objects (``makeCJKParaLine``), splitting
across frames and drawing, and replaces only the choice of break points and the spacing of a line:

- a line breaks only where neither side forbids it, never inside a Western word or number; when the
  character after the last one that fits may not start a line, characters are pulled down to the next line
  (nothing hangs), and justification spreads the line out again;
- a justified line is set to the full measure by character spacing (PDF ``Tc``); the last line of a
  paragraph and a line ended by a hard break stay left-aligned;
- a style may carry ``cjkTracking`` (points between characters, may be negative), the character grid of a
  公文: GB/T 9704 sets 28 characters of 三号 to the 156 mm line, which is 16 pt × 28 = 448 pt in 442 pt;
- a 《 inside 《》 becomes 〈 (and its 》 becomes 〉), as GB/T 15834 asks for nested book titles.

reportlab offers no hook to choose a line breaker, so ``install()`` sets these methods on its Paragraph:
every paragraph with ``wordWrap='CJK'``, in every form, follows the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.rl_config import _FUZZ

# GB/T 15834-2011 and the usual 禁则. A line may not start with a 点号 (。，、；：？！), the closing half of a
# quotation mark, bracket or book-title mark, a connecting or separating mark, or the second half of a dash
# or an ellipsis (which also keeps ——/…… whole). Half-width forms are listed for mixed text.
CANNOT_START = "，。、；：？！）〕］｝》〉」』】〗〙〛”’…—～·・％‰℃,.;:?!)]}%"
# A line may not end with the opening half of a quotation mark, bracket or book-title mark.
CANNOT_END = "（〔［｛《〈「『【〖〘〚“‘([{"

BOOK_OPEN, BOOK_CLOSE = "《", "》"
INNER_BOOK_OPEN, INNER_BOOK_CLOSE = "〈", "〉"


def nest_book_titles(text: str) -> str:
    """A book-title mark inside another alternates 《》 and 〈〉 (GB/T 15834-2011 4.15.3: 《…〈…〉…》).

    The outermost pair stays as typed; unmatched marks are left alone.
    """
    out: list[str] = []
    depth = 0
    for char in text:
        if char in (BOOK_OPEN, INNER_BOOK_OPEN):
            if depth:
                char = INNER_BOOK_OPEN if depth % 2 else BOOK_OPEN
            depth += 1
        elif char in (BOOK_CLOSE, INNER_BOOK_CLOSE) and depth:
            depth -= 1
            if depth:
                char = INNER_BOOK_CLOSE if depth % 2 else BOOK_CLOSE
        out.append(char)
    return "".join(out)


def _in_word(char: str) -> bool:
    """Part of a Western word or number, which breaks only at spaces (2026, GB/T, 3.5%)."""
    return bool(char) and ord(char) < 0x2000 and not char.isspace() and char not in "·"


def may_break_between(before: str, after: str) -> bool:
    """Whether a line may end after ``before`` and the next start with ``after``."""
    if after in CANNOT_START or before in CANNOT_END:
        return False
    return not (_in_word(before) and _in_word(after))


def grid_tracking(width: float, font_size: float, chars: int) -> float:
    """The spacing between characters that sets exactly ``chars`` full-width characters on a line of ``width``."""
    return (width - chars * font_size) / (chars - 1)


@dataclass(frozen=True)
class PlannedLine:
    start: int
    end: int  # exclusive; trailing spaces are left out
    justify: bool  # False for the last line and for a line ended by a hard break
    ink: float  # width from the first character's left edge to the last one's right edge


def _ink(widths: Sequence[float], start: int, end: int, tracking: float) -> float:
    return sum(widths[start:end]) + tracking * max(0, end - start - 1)


def plan_lines(
    text: str,
    widths: Sequence[float],
    max_widths: Sequence[float],
    tracking: float = 0.0,
    hard_breaks: frozenset[int] = frozenset(),
) -> list[PlannedLine]:
    """Where the lines of ``text`` break. ``hard_breaks`` are indexes of characters that end their line.

    Each line takes as many characters as fit; if it may not break there, it gives characters back to the
    next line until it may. Only a line with no legal break point at all (a long number) is cut where it is full.
    """
    n = len(text)
    lines: list[PlannedLine] = []
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        # Spaces do not start a line (reportlab strips them too).
        while start < n and text[start] == " " and start not in hard_breaks:
            start += 1
        if start >= n:
            break
        end = start
        hard = False
        while end < n:
            if _ink(widths, start, end + 1, tracking) > max_width + _FUZZ and end > start:
                break
            end += 1
            if end - 1 in hard_breaks:
                hard = True
                break
        if not hard and end < n:
            cut = next((j for j in range(end, start, -1) if may_break_between(text[j - 1], text[j])), end)
            end = cut
        stop = end
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        last = end >= n
        lines.append(PlannedLine(start, stop, not (hard or last), _ink(widths, start, stop, tracking)))
        start = end
    return lines


# ----- reportlab ------------------------------------------------------------------------------------


def _width(u: Any, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):  # an image sized relative to the line, as in cjkFragSplit
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return float(w)


def break_lines_cjk(self: Any, maxWidths: Any) -> Any:
    """Paragraph.breakLinesCJK for Chinese: the legal break points of plan_lines, justified by spacing."""
    if not isinstance(maxWidths, list | tuple):
        maxWidths = [maxWidths]
    style = self.style
    self.height = 0
    rl_paragraph._handleBulletWidth(self.bulletText, style, maxWidths)
    if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
        return self.blPara  # the first half of a split paragraph keeps the lines it was split with
    # Tables wrap each cell several times at the same width (to measure, then to draw): break it once.
    key = (tuple(maxWidths), id(self.frags), len(self.frags), id(style))
    cached = getattr(self, "_cjk_kit_lines", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    result = _break(self, maxWidths)
    self._cjk_kit_lines = (key, result)
    return result


def _break(self: Any, maxWidths: list[float]) -> Any:
    style = self.style
    if not self.frags:
        return rl_paragraph.ParaLines(
            kind=0,
            fontSize=style.fontSize,
            fontName=style.fontName,
            textColor=style.textColor,
            lines=[],
            ascent=style.fontSize,
            descent=-0.2 * style.fontSize,
        )
    units: list[Any] = []
    for frag in self.frags:
        text = frag.text.decode("utf8") if isinstance(frag.text, bytes) else frag.text
        if text:
            units.extend(rl_paragraph.cjkU(c, frag, "utf8") for c in text)
        else:
            units.append(rl_paragraph.cjkU(text, frag, "utf8"))
    text = "".join(str(u) or "\n" for u in units)
    nested = nest_book_titles(text)
    for i, (old, new) in enumerate(zip(text, nested, strict=True)):
        if old != new:
            units[i] = rl_paragraph.cjkU(new, units[i].frag, "utf8")
    tracking = float(getattr(style, "cjkTracking", 0.0) or 0.0)
    widths = [_width(u, maxWidths[0]) for u in units]
    hard = frozenset(i for i, u in enumerate(units) if hasattr(u.frag, "lineBreak"))
    autoLeading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
    calc_bounds = autoLeading not in ("", "off")
    justify = style.alignment == rl_paragraph.TA_JUSTIFY
    lines = []
    planned = plan_lines(nested, widths, maxWidths, tracking, hard)
    for index, line in enumerate(planned):
        max_width = maxWidths[min(index, len(maxWidths) - 1)]
        # A hard break's own (empty) unit is the last of the line it ends, as in reportlab.
        broken = line.end - 1 in hard
        spacing = tracking
        extra = max_width - line.ink
        count = line.end - line.start
        if justify and line.justify and count > 1:
            spacing += extra / (count - 1)
            extra = 0.0
        frag_line = rl_paragraph.makeCJKParaLine(
            units[line.start : line.end], max_width, line.ink, extra, broken, calc_bounds
        )
        frag_line.cjkCharSpace = spacing
        lines.append(frag_line)
    return rl_paragraph.ParaLines(kind=1, lines=lines, cjkKit=True)


def _split_cjk_lines(blPara: Any, start: int, stop: int) -> list[Any]:
    """The frags of lines[start:stop], joined as they are: reportlab's own joiner puts a space between lines."""
    return [word for line in blPara.lines[start:stop] for word in line.words]


_stock_split_func = rl_paragraph.Paragraph._get_split_blParaFunc


def _get_split_blParaFunc(self: Any) -> Any:
    if getattr(self.blPara, "cjkKit", False):
        return _split_cjk_lines
    return _stock_split_func(self)


class _SpacedText(PDFTextObject):
    """A text object that sets each paragraph line's character spacing before its first glyph."""

    def __init__(self, canvas: Any, x: float, y: float, spacings: list[float]) -> None:
        super().__init__(canvas, x, y)
        self._spacings = spacings
        self._line = 0
        self._line_started = False

    def _textOut(self, text: str, TStar: int = 0) -> None:
        if not self._line_started and self._line < len(self._spacings):
            self.setCharSpace(self._spacings[self._line])
            self._line_started = True
        super()._textOut(text, TStar)
        if TStar:
            self._line += 1
            self._line_started = False


def _begin_text(self: Any, x: float, y: float) -> Any:
    lines = getattr(getattr(self, "blPara", None), "lines", None) or []
    spacings = [float(getattr(line, "cjkCharSpace", 0.0)) for line in lines]
    if any(spacings):
        return _SpacedText(self.canv, x, y, spacings)
    return self.canv.beginText(x, y)


def install() -> None:
    """Make reportlab's Paragraph break and justify CJK text by these rules. Idempotent."""
    cls = rl_paragraph.Paragraph
    cls.breakLinesCJK = break_lines_cjk
    cls._get_split_blParaFunc = _get_split_blParaFunc
    cls.beginText = _begin_text
