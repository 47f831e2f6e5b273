"""Rules for typesetting a 公文 (GB/T 9704-2012): which steps it may be typeset at, the 发文机关标志 and the 纪要标志,
the 附注 that says the 公开属性, and the up- or down-going layout. The issuing organ by the 机关代字 is
app.core.numbering.issuing_organ, as the 归档文件目录's 责任者 has it."""

from __future__ import annotations

import re
from typing import Literal

from app.core.documents import is_upward
from app.core.errors import ValidationError

# down: 下行文 and 平行文 (发文字号 centred); up: 上行文 (发文字号 left, 签发人 right); minutes: 纪要 (GB/T 9704 §10.3);
# letter: 函 in the 信函格式 (GB/T 9704 §10.1: the organ's name 30 mm from the page top between red double lines).
Layout = Literal["down", "up", "minutes", "letter"]

# 生成正式公文 from 印制 on: the number is given and the text was signed (and re-checked at 复核).
TYPESET_STATES: tuple[str, ...] = ("print", "seal", "distribute", "archive")
MINUTES_TYPE = "纪要"
LETTER_TYPE = "函"

_DISCLOSURE_NOTES: dict[str, str] = {
    "主动公开": "此件公开发布",
    "依申请公开": "此件依申请公开",
    "不予公开": "此件不公开",
}
_ORDINAL = re.compile(r"第[一二三四五六七八九十百零〇两\d]+次")


def issuer_mark(organ: str, doc_type: str, prefix: str = "") -> str:
    """The 发文机关标志: the organ's name and 文件; a 函 (or a 代字 of 函) carries the name alone (GB/T 9704 §10.1)."""
    if doc_type == LETTER_TYPE or prefix.endswith("函"):
        return organ
    return f"{organ}文件"


def minutes_mark(title: str, organ: str) -> str:
    """The 纪要标志 (GB/T 9704 §10.3): the meeting's name and 纪要, without the sitting's ordinal
    (县政府第十二次常务会议纪要 → 县政府常务会议纪要); the organ's 纪要 when the title names no meeting."""
    text = "".join(title.split())
    if text.endswith(MINUTES_TYPE) and len(text) > len(MINUTES_TYPE):
        return _ORDINAL.sub("", text)
    return f"{organ}{MINUTES_TYPE}"


def disclosure_note(disclosure: str) -> str:
    """The 附注 that states the 公开属性, without its brackets (the typesetter adds them)."""
    return _DISCLOSURE_NOTES.get(disclosure.strip(), "")


def layout_of(doc_type: str) -> Layout:
    """down (下行文 and 平行文), up (上行文: 请示, 报告), minutes (纪要) or letter (函, in the 信函格式)."""
    if doc_type == MINUTES_TYPE:
        return "minutes"
    if doc_type == LETTER_TYPE:
        return "letter"
    return "up" if is_upward(doc_type) else "down"


def minutes_number(seq: int | None) -> str:
    return f"第{seq}期" if seq else ""


_NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")


def signer_names(text: str) -> tuple[str, ...]:
    """The 签发人 as typed: one name, or several separated by 、 ， or spaces (a joint 上行文)."""
    return tuple(name for name in _NAME_SEPARATORS.split(text) if name)


def names_text(names: tuple[str, ...]) -> str:
    return "、".join(names)


def note_text(text: str) -> str:
    """A 附注 as typed, without the brackets the typesetter puts round it."""
    return text.strip().strip("（）()").strip()


_COPY_NUMBER = re.compile(r"\d{6}")


def check_copy_number(text: str) -> str:
    """份号 (GB/T 9704 §7.2.1): six Arabic digits, or none at all."""
    number = text.strip()
    if number and not _COPY_NUMBER.fullmatch(number):
        raise ValidationError("份号为6位阿拉伯数字，如 000001", field="copy_number")
    return number
