"""Document numbers (发文字号, GB/T 9704-2012 §7.2.4) and incoming-register numbers (收文编号).

A number is 机关代字 + 〔year〕 + sequence + 号, e.g. 县政办发〔2026〕12号: hexagonal brackets,
no padding (虚位) and no 第 before the sequence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.core.errors import ValidationError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "RECEIPT_PREFIX",
    "format_doc_number",
    "format_receipt_number",
    "issuing_organ",
    "parse_doc_number",
]

# Numbers before the People's Republic are not issued by this office; anything past 2999 is a
# typing error.
MIN_YEAR = 1949
MAX_YEAR = 2999
RECEIPT_PREFIX = "收"

_OPEN, _CLOSE = "\u3014", "\u3015"  # 〔 〕
# Brackets people type by mistake instead of 〔〕 (half-width, full-width, 【】, 〈〉, 《》 ...).
_WRONG_BRACKETS = "[]()（）【】［］{}｛｝〈〉<>《》〖〗"
_ALL_BRACKETS = _WRONG_BRACKETS + _OPEN + _CLOSE
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FIELD = "doc_number"
_EXAMPLE = "县政办发〔2026〕12号"

_DOC_NUMBER_RE = re.compile(
    rf"(?P<prefix>[^{re.escape(_ALL_BRACKETS)}]+){_OPEN}(?P<year>[0-9]+){_CLOSE}"
    r"(?P<seq>[0-9]+)号"
)


def _fail(message: str) -> ValidationError:
    return ValidationError(message, field=_FIELD)


def _check_prefix(prefix: str) -> None:
    if not isinstance(prefix, str) or not prefix:
        raise _fail("机关代字不能为空")
    if any(ch.isspace() for ch in prefix):
        raise _fail("机关代字中不能有空格")
    if any(ch in _ALL_BRACKETS for ch in prefix):
        raise _fail("机关代字中不能含有括号")
    if prefix.translate(_FULLWIDTH_DIGITS).isdigit():
        raise _fail("机关代字不能只有数字")


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int):
        raise _fail("年份必须是整数")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(f"年份应在{MIN_YEAR}至{MAX_YEAR}之间")


def _check_seq(seq: int) -> None:
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise _fail("序号必须是整数")
    if seq < 1:
        raise _fail("序号应从1开始")


def format_doc_number(prefix: str, year: int, seq: int) -> str:
    """'县政办发〔2026〕12号'."""
    _check_prefix(prefix)
    _check_year(year)
    _check_seq(seq)
    return f"{prefix}{_OPEN}{year}{_CLOSE}{seq}号"


def _diagnose(s: str) -> str:
    """The most useful explanation of why ``s`` is not a well-formed number."""
    if any(ch in _WRONG_BRACKETS for ch in s) or _OPEN not in s or _CLOSE not in s:
        return f"年份应使用六角括号〔〕，例如 {_EXAMPLE}"
    number_part = s[: s.index("号") + 1] if "号" in s else s
    # Space after 号 is reported as trailing content below, which says more.
    if any(ch.isspace() for ch in number_part):
        return "发文字号中不能有空格"
    head, _, tail = s.partition(_OPEN)
    if not head:
        return f"发文字号缺少机关代字，例如 {_EXAMPLE}"
    year, _, rest = tail.partition(_CLOSE)
    if not re.fullmatch(r"[0-9]{4}", year):
        return "年份应为四位数字，写在〔〕内"
    if rest.startswith("第"):
        return "序号前不加“第”字"
    seq_match = re.match(r"[0-9]+", rest)
    if seq_match is None:
        return "〔〕后应为序号，例如 12号"
    after = rest[seq_match.end() :]
    if not after.startswith("号"):
        return "发文字号应以“号”结尾"
    if after != "号":
        return "“号”字之后不应再有其他内容"
    return f"发文字号格式不正确，例如 {_EXAMPLE}"


def parse_doc_number(s: str) -> tuple[str, int, int]:
    """Split '县政办发〔2026〕12号' into ('县政办发', 2026, 12); ValidationError if malformed."""
    if not isinstance(s, str) or not s.strip():
        raise _fail("请输入发文字号")
    text = s.strip().translate(_FULLWIDTH_DIGITS)
    match = _DOC_NUMBER_RE.fullmatch(text)
    if match is None:
        raise _fail(_diagnose(text))
    prefix, year_text, seq_text = match["prefix"], match["year"], match["seq"]
    if len(year_text) != 4:
        raise _fail("年份应为四位数字，写在〔〕内")
    if seq_text.strip("0") and seq_text.startswith("0"):
        raise _fail("序号不编虚位，不能以0开头（例如 12号，而不是 012号）")
    _check_prefix(prefix)
    year, seq = int(year_text), int(seq_text)
    _check_year(year)
    _check_seq(seq)
    return prefix, year, seq


def format_receipt_number(year: int, seq: int, prefix: str = RECEIPT_PREFIX) -> str:
    """收文编号 in the same shape as a document number, e.g. '收〔2026〕15号'.

    Sharing the shape means parse_doc_number reads these back too.
    """
    return format_doc_number(prefix, year, seq)


OFFICE_SUFFIX = "办公室"


def issuing_organ(prefix: str, office_name: str, issuers: Mapping[str, str] | None = None) -> str:
    """The 发文机关 (责任者 in the 归档文件目录) of the documents numbered under a 机关代字.

    An administrator may name it per 代字 (县政发=青山县人民政府). Otherwise the 代字 tells, by the usual
    convention: one with 办 (县政办发, 县政办函) is the office's own; one without (县政发, 县政函) is the
    government's, which the office drafts and numbers for it: the office's name without 办公室.
    """
    named = (issuers or {}).get(prefix, "").strip()
    if named:
        return named
    if "办" in prefix or not office_name.endswith(OFFICE_SUFFIX):
        return office_name
    return office_name.removesuffix(OFFICE_SUFFIX)

