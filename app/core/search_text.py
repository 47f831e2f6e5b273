"""What 综合查询 matches on: text folded the same way on every database, cut into the one- and two-character
grams the index keeps, a query cut into the needles that must all be found, and where they show.

Chinese terms are mostly two characters, which trigram indexes cannot serve; the index therefore keeps every
distinct character and every pair of neighbouring characters of a record's text (app.services.search). A term of
one character is found by its character, one of two by its pair, a longer one by all its pairs and then checked
as a whole, so every length is served by the index alone.

A gram is kept as one integer (the first code point shifted past the second), so that every database compares
and sorts it the same way whatever its collation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Bits of a code point: the second character of a pair sits below these, the first above.
_SHIFT = 21
# A query is cut to this many needles and each needle to this many characters: enough for a 文号 or a
# sentence copied from a document, and bounded whatever is pasted into the box.
MAX_NEEDLES = 8
MAX_NEEDLE_CHARS = 40
# The text of one record that is indexed (a long body beyond this is still stored, found by its first part).
MAX_INDEXED_CHARS = 200_000
# What separates words: everything but letters and digits (str.isalnum), as runs() splits them.
_NOT_WORD = re.compile(r"[\W_]")


class _FoldTable(dict[int, str]):
    """Each character's folded form, worked out the first time it is met: str.translate looks every character
    up here, which is several times quicker than folding them one by one in Python (a Chinese text with
    full-width punctuation is not NFKC-normal, so most texts take this path)."""

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code)).casefold()
        self[code] = folded
        return folded


_FOLDED = _FoldTable()


def _fold_char(char: str) -> str:
    return _FOLDED[ord(char)]


def fold(text: str) -> str:
    """The text as it is matched: full-width letters and digits as half-width, capitals as small letters.
    Folded a character at a time, so a position in the folded text maps back to the typed one (fold_map)."""
    if text.isascii():
        return text.lower()
    if unicodedata.is_normalized("NFKC", text) and text == text.casefold():
        return text
    return text.translate(_FOLDED)


def fold_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the typed character it came from."""
    if fold(text) == text:
        return text, list(range(len(text)))
    parts: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origins.extend([index] * len(folded))
    return "".join(parts), origins


def is_word_char(char: str) -> bool:
    """Letters (Chinese characters among them) and digits; spaces and punctuation separate words."""
    return char.isalnum()


def runs(folded: str) -> list[str]:
    """The folded text's runs of word characters: a gram never spans a space, a comma or a bracket."""
    found: list[str] = []
    start = -1
    for index, char in enumerate(folded):
        if char.isalnum():
            if start < 0:
                start = index
        elif start >= 0:
            found.append(folded[start:index])
            start = -1
    if start >= 0:
        found.append(folded[start:])
    return found


def gram_code(gram: str) -> int:
    """A gram of one or two characters as the integer the index keeps."""
    if len(gram) == 1:
        return ord(gram) << _SHIFT
    if len(gram) == 2:
        return (ord(gram[0]) << _SHIFT) | ord(gram[1])
    raise ValueError(f"a gram has one or two characters, not {gram!r}")


def gram_text(code: int) -> str:
    """The gram an index code stands for (for messages and tests)."""
    first, second = code >> _SHIFT, code & ((1 << _SHIFT) - 1)
    return chr(first) + (chr(second) if second else "")


def text_grams(folded: str) -> set[int]:
    """Every distinct character and neighbouring pair of the folded text's words, as codes."""
    # Worked on the distinct characters and pairs, not on every character: a body of thousands of characters
    # has a few hundred of each. A space or punctuation becomes 0, which no gram holds.
    codes = list(map(ord, _NOT_WORD.sub("\0", folded[:MAX_INDEXED_CHARS])))
    singles = set(codes)
    singles.discard(0)
    grams = {code << _SHIFT for code in singles}
    grams.update((first << _SHIFT) | second for first, second in set(zip(codes, codes[1:])) if first and second)
    return grams


@dataclass(frozen=True)
class Query:
    """What was typed, as the needles that must all be found (folded words; a word typed with punctuation
    inside, such as a 文号, gives one needle per part)."""

    needles: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.needles

    def needle_grams(self, needle: str) -> list[int]:
        """The codes that must all be in a record for the needle to be there: its character, or its pairs."""
        if len(needle) == 1:
            return [gram_code(needle)]
        seen: dict[int, None] = {}
        for index in range(len(needle) - 1):
            seen[gram_code(needle[index:index + 2])] = None
        return list(seen)

    def grams(self) -> list[int]:
        seen: dict[int, None] = {}
        for needle in self.needles:
            for code in self.needle_grams(needle):
                seen[code] = None
        return list(seen)

    @property
    def checked_needles(self) -> tuple[str, ...]:
        """Needles the grams alone do not prove (three characters or more: the pairs may sit apart)."""
        return tuple(needle for needle in self.needles if len(needle) > 2)


def parse_query(typed: str) -> Query:
    """The query box's text as needles: words separated by spaces must all match, in any field."""
    needles: dict[str, None] = {}
    for run in runs(fold(typed or "")):
        needles[run[:MAX_NEEDLE_CHARS]] = None
    # A needle inside another (安全, 安全生产) adds nothing: the longer one proves it.
    kept = [n for n in needles if not any(n != other and n in other for other in needles)]
    return Query(tuple(kept[:MAX_NEEDLES]))


def hit_spans(text: str, needles: Sequence[str]) -> list[tuple[int, int]]:
    """Where the needles stand in the typed text, as (start, end) indexes, merged where they touch."""
    if not text or not needles:
        return []
    folded, origins = fold_map(text)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        start = folded.find(needle)
        while start >= 0:
            end = start + len(needle)
            spans.append((origins[start], origins[end - 1] + 1))
            start = folded.find(needle, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Snippet:
    """A piece of one field around the first hit: the field's name, the text shown, and the hits in it."""

    label: str
    text: str
    spans: tuple[tuple[int, int], ...]


def snippet(fields: Iterable[tuple[str, str]], needles: Sequence[str], width: int = 60) -> Snippet | None:
    """The field that holds most of the needles (the first such), cut to about ``width`` characters around its
    first hit, with an ellipsis where it was cut. Only that piece is mapped back to the typed text, so a long
    body costs no more than a short field."""
    best: tuple[int, str, str, int] | None = None
    for label, value in fields:
        folded = fold(value)
        found = [folded.find(needle) for needle in needles]
        present = [at for at in found if at >= 0]
        if not present:
            continue
        if best is None or len(present) > best[0]:
            best = (len(present), label, value, min(present))
        if len(present) == len(needles):
            break
    if best is None:
        return None
    _, label, value, first_hit = best
    # The folded text is as long as the typed one, but where folding changes a length (rare: ㈠ → (一)):
    # then the typed text is searched from its start.
    if len(fold(value)) != len(value):
        first_hit = 0
    start = max(0, first_hit - width)
    piece = " ".join(value[start:first_hit + 2 * width].split())
    spans = hit_spans(piece, needles)
    if not spans:
        return None
    first_start = spans[0][0]
    cut = max(0, min(first_start - width // 3, len(piece) - width))
    end = min(len(piece), cut + width)
    prefix = "…" if cut > 0 or start > 0 else ""
    suffix = "…" if end < len(piece) or first_hit + 2 * width < len(value) else ""
    shown = prefix + piece[cut:end] + suffix
    shift = len(prefix) - cut
    inside = tuple((max(s, cut) + shift, min(e, end) + shift) for s, e in spans if s < end and e > cut)
    return Snippet(label, shown, inside)
