"""Citizen ID numbers (GB 11643-1999) and phone numbers: validation and masking for display."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.core.errors import ValidationError

__all__ = [
    "PROVINCE_CODES",
    "birth_date_of",
    "gender_of",
    "id_check_digit",
    "is_valid_id_number",
    "is_valid_phone",
    "mask_id_number",
    "mask_phone",
    "validate_id_number",
    "validate_phone",
]

# First two digits of the address code (GB/T 2260 provinces). 71 台湾, 81 香港, 82 澳门 appear on
# residence permits for people from those regions, 83 is used for Taiwan residents' permits, and
# 91 is the code given to foreigners' permanent-residence numbers in the same 18-digit format.
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(c) for c in range(11, 16)]
    + [str(c) for c in range(21, 24)]
    + [str(c) for c in range(31, 38)]
    + [str(c) for c in range(41, 47)]
    + [str(c) for c in range(50, 55)]
    + [str(c) for c in range(61, 66)]
    + ["71", "81", "82", "83", "91"]
)

# ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)
_ASCII_DIGITS = frozenset("0123456789")


def _normalize(s: str) -> str:
    # Full-width digits and Ｘ come from Chinese input methods; NFKC maps them to ASCII.
    return unicodedata.normalize("NFKC", s).strip().upper()


def _is_ascii_digits(s: str) -> bool:
    # str.isdigit() would also accept superscripts and other scripts' digits.
    return bool(s) and all(ch in _ASCII_DIGITS for ch in s)


def id_check_digit(first17: str) -> str:
    """The check character ('0'-'9' or 'X') for the first 17 digits of an ID number."""
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValidationError("计算校验位需要17位数字", field="id_number")
    total = sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def _problem(number: str, today: date) -> str | None:
    """Why ``number`` (already normalized) is not a valid ID number, or None if it is."""
    if not number:
        return "请输入身份证号码"
    if len(number) != 18:
        return f"身份证号码应为18位，当前为{len(number)}位"
    if not _is_ascii_digits(number[:17]) or not (
        number[17] == "X" or number[17] in _ASCII_DIGITS
    ):
        return "身份证号码前17位应为数字，最后一位应为数字或X"
    if number[:2] not in PROVINCE_CODES:
        return "身份证号码前两位（省级行政区划代码）不正确"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号码中的出生日期（第7至14位）不是有效日期"
    if born < _EARLIEST_BIRTH:
        return "身份证号码中的出生日期早于1900年1月1日"
    if born > today:
        return "身份证号码中的出生日期晚于今天"
    if id_check_digit(number[:17]) != number[17]:
        # The expected digit is not shown: a wrong check digit usually means a typo elsewhere.
        return "身份证号码校验位（最后一位）不正确，请核对号码"
    return None


def validate_id_number(s: str, *, today: date | None = None) -> str:
    """Return the normalized number (stripped, ASCII, upper-case X) or raise ValidationError."""
    if not isinstance(s, str):
        raise ValidationError("请输入身份证号码", field="id_number")
    number = _normalize(s)
    problem = _problem(number, today or date.today())
    if problem is not None:
        raise ValidationError(problem, field="id_number")
    return number


def is_valid_id_number(s: object, *, today: date | None = None) -> bool:
    """True when validate_id_number would accept ``s``; never raises."""
    if not isinstance(s, str):
        return False
    return _problem(_normalize(s), today or date.today()) is None


def birth_date_of(id_number: str) -> date:
    number = validate_id_number(id_number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_of(id_number: str) -> str:
    """'男' or '女', from the parity of the 17th digit (the sequence code)."""
    number = validate_id_number(id_number)
    return "男" if int(number[16]) % 2 == 1 else "女"


def _mask_keeping(s: str, head: int, tail: int) -> str:
    return s[:head] + "*" * (len(s) - head - tail) + s[len(s) - tail :]


def mask_id_number(s: str | None) -> str:
    """'440***********1233': first 3 (province and city) and last 4 kept, same length."""
    if not s:
        return ""
    s = s.strip()
    if len(s) >= 11:
        return _mask_keeping(s, 3, 4)
    if len(s) > 4:
        return _mask_keeping(s, 0, 4)
    # Even a fragment of an ID number is personal data; with 4 or fewer characters there is
    # nothing that could be shown without showing all of it.
    return "*" * len(s)


_MOBILE_RE = re.compile(r"(?:\+?86)?(1[3-9][0-9]{9})")
# Area code 0xx/0xxx, local number of 7-8 digits not starting with 0, optional extension.
_LANDLINE_RE = re.compile(
    r"(?:(?P<area>\(0[0-9]{2,3}\)|0[0-9]{2,3})(?P<sep>[- ]?))?"
    r"(?P<local>[1-9][0-9]{6,7})"
    r"(?P<ext>(?:-|转|#|ext\.?|EXT\.?)[0-9]{1,6})?"
)
# 5-digit service numbers (12345 government hotline, 12315, 24365, 95588 ...) and the 400/800
# numbers used by enterprises.
_SERVICE_RE = re.compile(r"[1-9][0-9]{4}|[48]00-?[0-9]{3}-?[0-9]{4}")


def _phone_text(s: str) -> str:
    return unicodedata.normalize("NFKC", s).strip()


def _mobile_digits(s: str) -> str | None:
    # Mobile numbers are often typed as 138 1234 5678 or 138-1234-5678.
    match = _MOBILE_RE.fullmatch(re.sub(r"[\s-]", "", s))
    return match.group(1) if match else None


def validate_phone(s: str) -> str:
    """Normalize a phone number or raise ValidationError.

    A mobile number is returned as its 11 digits; landline and service numbers are kept as
    written (only full-width characters and surrounding spaces are normalized).
    """
    if not isinstance(s, str) or not s.strip():
        raise ValidationError("请输入联系电话", field="phone")
    text = _phone_text(s)
    mobile = _mobile_digits(text)
    if mobile is not None:
        return mobile
    if _LANDLINE_RE.fullmatch(text) or _SERVICE_RE.fullmatch(text):
        return text
    raise ValidationError(
        "电话号码格式不正确：手机号应为11位（1开头），固定电话如 0755-12345678", field="phone"
    )


def is_valid_phone(s: object) -> bool:
    if not isinstance(s, str):
        return False
    try:
        validate_phone(s)
    except ValidationError:
        return False
    return True


def mask_phone(s: str | None) -> str:
    """'138****5678' for mobiles, '0755-****5678' for landlines; otherwise all but the last 4.

    Long unrecognised strings (11 or more characters) keep their first 3 as well, like ID numbers.
    """
    if not s:
        return ""
    text = _phone_text(s)
    mobile = _mobile_digits(text)
    if mobile is not None:
        # Shown in the canonical 11-digit form whatever spacing or +86 it was stored with.
        return _mask_keeping(mobile, 3, 4)
    landline = _LANDLINE_RE.fullmatch(text)
    if landline is not None and landline["area"]:
        local = landline["local"]
        return (
            landline["area"]
            + landline["sep"]
            + _mask_keeping(local, 0, 4)
            + (landline["ext"] or "")
        )
    if len(text) >= 11:
        return _mask_keeping(text, 3, 4)
    # Four characters or fewer can only be a short public number such as 110; nothing is private.
    if len(text) <= 4:
        return text
    return _mask_keeping(text, 0, 4)
