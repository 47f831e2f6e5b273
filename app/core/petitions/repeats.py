"""When a new registration repeats an earlier one (重复信访): the same ID number, or the same name and phone, or
a request told in very nearly the same words. The services find the candidates in the database; this module
judges each and says why it matched, for the list shown before saving.

Request texts are compared by the two-character pieces they share (Dice's coefficient on their sets of bigrams),
with punctuation and the words every petition uses (反映, 要求, 解决 …) taken out first: a request retold by another
clerk keeps most of its own two-character words, whatever the order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Two requests this alike (0..1) are flagged as one request retold. Chosen on the samples in
# tests/core/test_petition_rules.py: retold versions score 0.43 to 0.61, different requests of one kind 0.27 at most.
SIMILAR_REQUEST = 0.4
# A text with fewer distinct pieces says too little to be compared ("要求解决" would match every case).
MIN_COMPARED_PIECES = 4
# Words of every petition: shared by unrelated requests, they say nothing about which request it is.
FILLER_WORDS: tuple[str, ...] = (
    "反映", "要求", "请求", "希望", "解决", "问题", "政府", "有关", "部门", "处理", "尽快", "帮助", "本人", "严重",
    "村民", "群众", "相关", "依法",
)

_NOT_WORDS = re.compile(r"[\W_]+", re.UNICODE)
# The texts a check compares come back again and again (the latest cases of a category, every registration):
# each is cut into pieces once per process.
_PIECES_CACHE = 8192


@dataclass(frozen=True)
class PetitionerFacts:
    """What the repeat check compares of one registration."""

    name: str
    id_number: str
    phone: str
    request: str


@dataclass(frozen=True)
class RepeatMatch:
    reasons: tuple[str, ...]
    similarity: float


def normalized_id(id_number: str) -> str:
    return unicodedata.normalize("NFKC", id_number).strip().upper()


def normalized_phone(phone: str) -> str:
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone) if ch.isdigit())
    # A mobile number written with the country code is the same number.
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


@functools.lru_cache(maxsize=_PIECES_CACHE)
def request_pieces(text: str) -> frozenset[str]:
    """The two-character pieces of a request, its filler words and punctuation taken out first."""
    plain = unicodedata.normalize("NFKC", text)
    for word in FILLER_WORDS:
        plain = plain.replace(word, " ")
    pieces: set[str] = set()
    for run in _NOT_WORDS.sub(" ", plain).split():
        pieces.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(pieces)


def request_similarity(a: str, b: str) -> float:
    """How alike two request texts are: Dice's coefficient of their sets of two-character pieces, 1.0 for the
    same pieces, 0.0 for none shared; 0.0 when either says too little to be compared."""
    first, second = request_pieces(a), request_pieces(b)
    if len(first) < MIN_COMPARED_PIECES or len(second) < MIN_COMPARED_PIECES:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def repeat_match(new: PetitionerFacts, earlier: PetitionerFacts) -> RepeatMatch | None:
    """Why ``new`` repeats ``earlier``, or None where it does not."""
    reasons: list[str] = []
    if new.id_number.strip() and normalized_id(new.id_number) == normalized_id(earlier.id_number):
        reasons.append("身份证号相同")
    same_name = new.name.strip() != "" and new.name.strip() == earlier.name.strip()
    phone = normalized_phone(new.phone)
    if same_name and phone and phone == normalized_phone(earlier.phone):
        reasons.append("姓名和联系电话相同")
    similarity = request_similarity(new.request, earlier.request)
    if similarity >= SIMILAR_REQUEST:
        reasons.append(f"诉求内容相似（相似度{round(similarity * 100)}%）")
    return RepeatMatch(tuple(reasons), similarity) if reasons else None
