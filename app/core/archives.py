"""Archive codes (档号) and retention periods of DA/T 22-2015 《归档文件整理规则》, with DA/T 13 for the parts.

The 档号 of an archived document (件) is 全宗号-档案门类代码·年度-保管期限代码-机构（问题）代码-件号, e.g.
J012-WS·2026-Y-BGS-0001. Upper and lower parts are joined by the hyphen (连接号), parts of the same level by
the middle dot (间隔号 ·). The office archives documents (文书), whose 门类代码 is WS; the 机构（问题）代码 is
optional and left out when the office does not classify by unit.
"""

from __future__ import annotations

import re
from datetime import date

from app.core.errors import ValidationError

__all__ = [
    "CATEGORY_DOCUMENTS",
    "RETENTIONS",
    "RETENTION_ORDER",
    "format_archive_code",
    "format_archive_date",
    "retention_code",
    "retention_name",
]

# 档案门类代码 of 文书档案.
CATEGORY_DOCUMENTS = "WS"

# 保管期限代码 -> the period's name as DA/T 22-2015 writes it.
RETENTIONS: dict[str, str] = {"Y": "永久", "D30": "定期30年", "D10": "定期10年"}
RETENTION_ORDER: tuple[str, ...] = ("Y", "D30", "D10")

# The 间隔号 of DA/T 13: U+00B7, the character GB 2312 maps its “·” to.
_DOT = "\u00b7"
# DA/T 13: 全宗号 is four digits or letters and digits; DA/T 22: 机构（问题）代码 is three pinyin initials or
# three digits (办公室 → BGS).
_FONDS_RE = re.compile(r"[A-Z0-9]{4}")
_ORG_RE = re.compile(r"[A-Z]{3}|[0-9]{3}")
_MIN_YEAR, _MAX_YEAR = 1000, 9999
_MAX_ITEM = 9999


def _fail(message: str, field: str) -> ValidationError:
    return ValidationError(message, field=field)


def retention_code(value: str) -> str:
    """The 保管期限代码 (Y, D30, D10) for a code or a name (永久, 定期30年, 30年 …); ValidationError if neither."""
    if isinstance(value, str):
        text = value.strip()
        if text.upper() in RETENTIONS:
            return text.upper()
        for code, name in RETENTIONS.items():
            # “30年” is how the period is often said aloud and written on older stamps.
            if text in (name, name.removeprefix("定期")):
                return code
    raise _fail("保管期限应为永久（Y）、定期30年（D30）或定期10年（D10）", "retention")


def retention_name(value: str) -> str:
    """永久, 定期30年 or 定期10年 for a code or a name."""
    return RETENTIONS[retention_code(value)]


def _check_fonds(fonds: str) -> str:
    if not isinstance(fonds, str) or not fonds.strip():
        raise _fail("全宗号不能为空", "fonds")
    # Letters are written in capitals on stamps and in catalogues; a lower-case entry is the same 全宗号.
    text = fonds.strip().upper()
    if not _FONDS_RE.fullmatch(text):
        raise _fail("全宗号应为4位数字或字母与数字的组合，例如 J012", "fonds")
    return text


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise _fail("年度必须是整数", "year")
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise _fail("年度应为四位数字的公元纪年，例如 2026", "year")
    return year


def _check_item(item: int) -> int:
    if isinstance(item, bool) or not isinstance(item, int):
        raise _fail("件号必须是整数", "item")
    if not 1 <= item <= _MAX_ITEM:
        raise _fail(f"件号应在1至{_MAX_ITEM}之间（4位数字，不足4位前面补0）", "item")
    return item


def _check_org(org_code: str) -> str:
    if not isinstance(org_code, str):
        raise _fail("机构（问题）代码应为文字", "org_code")
    text = org_code.strip().upper()
    if not _ORG_RE.fullmatch(text):
        raise _fail("机构（问题）代码应为3位汉字拼音首字母或3位数字，例如 BGS", "org_code")
    return text


def format_archive_code(
    fonds: str, year: int, retention: str, item: int, org_code: str | None = None
) -> str:
    """'J012-WS·2026-Y-0001', or with a 机构（问题）代码 'J012-WS·2026-Y-BGS-0001'.

    retention is a code or a name (see retention_code); 件号 is padded to four digits, as DA/T 22 asks.
    """
    parts = [
        f"{_check_fonds(fonds)}-{CATEGORY_DOCUMENTS}{_DOT}{_check_year(year)}",
        retention_code(retention),
    ]
    if org_code is not None and org_code.strip():
        parts.append(_check_org(org_code))
    parts.append(f"{_check_item(item):04d}")
    return "-".join(parts)


def format_archive_date(d: date) -> str:
    """A document's date as the 归档文件目录 prints it: eight digits, e.g. 20261129."""
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"
