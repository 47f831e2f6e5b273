"""Money amounts: capital characters (大写金额) for vouchers, display and parsing of figures.

All arithmetic is done on whole 分 (cents) as Python ints, so nothing is ever rounded: an amount
that cannot be represented exactly in 分 is refused rather than adjusted.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.core.errors import ValidationError

__all__ = [
    "MAX_AMOUNT",
    "amount_in_words",
    "format_amount",
    "parse_amount",
    "words_to_amount",
]

# A voucher amount of 1 万亿 or more is certainly a typing error, and 万亿 is also where the
# 4-digit grouping (亿, 万, units) used by the capital form would need another level.
MAX_AMOUNT = Decimal(10) ** 12

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_DIGIT_VALUE = {ch: i for i, ch in enumerate(_DIGITS)}
_IN_GROUP_UNITS = ("仟", "佰", "拾", "")
_UNIT_VALUE = {"仟": 1000, "佰": 100, "拾": 10}

_CENT = Decimal("0.01")


def _to_cents(amount: Decimal | int, *, allow_negative: bool = False) -> int:
    """Exact number of 分 in ``amount``; ValueError if it is not a whole number of 分 or too large.

    Decimal multiplication would round to the context precision (28 digits), which could make
    1.0000000000000000000000000001 look like a whole number of 分, so the digits are inspected
    directly instead.
    """
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        # float is refused on purpose: 0.1 + 0.2 style values cannot be trusted on a voucher.
        raise TypeError(f"金额必须是 Decimal 或整数，不能是 {type(amount).__name__}")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValueError("金额必须是有限的数字")
    if amount < 0 and not allow_negative:
        raise ValueError("金额不能为负数")
    # Checked before conversion so that something like Decimal("1E+999999999") is refused
    # instead of building a billion-digit integer; copy_abs() because abs() applies the
    # context and would overflow on exactly such values.
    magnitude_value = amount.copy_abs() if isinstance(amount, Decimal) else abs(amount)
    if magnitude_value >= MAX_AMOUNT:
        raise ValueError("金额过大（应小于1万亿元）")
    if isinstance(amount, int):
        return amount * 100
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # guaranteed by is_finite() above
    if exponent >= -2:
        magnitude = int("".join(map(str, digits))) * 10 ** (exponent + 2)
    else:
        extra = -exponent - 2
        kept, dropped = digits[:-extra], digits[-extra:]
        if any(dropped):
            raise ValueError("金额最多只能有两位小数")
        magnitude = int("".join(map(str, kept))) if kept else 0
    return -magnitude if sign and magnitude else magnitude


def _group_in_words(group: int, started: bool) -> str:
    """Read one non-zero 4-digit group; ``started`` says whether a higher group was written.

    Trailing zeros of a group are silent, so no 零 is carried out of a group here; the caller
    handles whole-zero groups.
    """
    out: list[str] = []
    pending_zero = False
    for digit_char, unit in zip(f"{group:04d}", _IN_GROUP_UNITS):
        digit = int(digit_char)
        if digit == 0:
            # Zeros before anything was written (leading zeros of the number) are silent.
            pending_zero = pending_zero or started
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + unit)
        started = True
    return "".join(out)


def _integer_in_words(yuan: int) -> str:
    text: list[str] = []
    started = False
    owe_zero = False
    for group, group_unit in (
        (yuan // 10**8, "亿"),
        (yuan // 10**4 % 10**4, "万"),
        (yuan % 10**4, ""),
    ):
        if group == 0:
            # A whole zero group between written groups still needs its single 零
            # (1,0000,0001 → 壹亿零壹).
            owe_zero = owe_zero or started
            continue
        words = _group_in_words(group, started)
        if owe_zero and not words.startswith("零"):
            words = "零" + words
        owe_zero = False
        text.append(words + group_unit)
        started = True
    return "".join(text)


def amount_in_words(amount: Decimal | int) -> str:
    """Capital amount for an accounting voucher (会计基础工作规范 Art. 52), without 人民币.

    >>> amount_in_words(Decimal("1680.32"))
    '壹仟陆佰捌拾元零叁角贰分'
    """
    cents = _to_cents(amount)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    parts: list[str] = []
    if yuan:
        parts.append(_integer_in_words(yuan) + "元")
    if jiao:
        # 1680.32: the silent 元 digit 0 must still be shown, or 捌拾元叁角 could be misread.
        if yuan and yuan % 10 == 0:
            parts.append("零")
        parts.append(_DIGITS[jiao] + "角")
    elif fen and yuan:
        # 16409.02: 零 stands for the empty 角 position.
        parts.append("零")
    if fen:
        parts.append(_DIGITS[fen] + "分")
    else:
        parts.append("整")
    return "".join(parts)


_FRACTION_RE = re.compile(
    f"零?(?:(?P<jiao>[{_DIGITS}])角)?零?(?:(?P<fen>[{_DIGITS}])分)?"
)


def _section_value(text: str, original: str) -> int:
    """Value of a section below 万 (up to 9999) written with 仟佰拾."""
    value = 0
    pending: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _DIGIT_VALUE:
            if pending not in (None, 0) and _DIGIT_VALUE[ch] != 0:
                raise ValueError(f"无法识别的大写金额：{original}")
            pending = _DIGIT_VALUE[ch]
        elif ch in _UNIT_VALUE:
            unit = _UNIT_VALUE[ch]
            if unit >= last_unit:
                raise ValueError(f"无法识别的大写金额：{original}")
            if pending is None:
                # A bare 拾 (拾元) is common on hand-written forms and means 壹拾.
                if ch != "拾" or value:
                    raise ValueError(f"无法识别的大写金额：{original}")
                pending = 1
            if pending == 0:
                raise ValueError(f"无法识别的大写金额：{original}")
            value += pending * unit
            pending = None
            last_unit = unit
        else:
            raise ValueError(f"无法识别的大写金额：{original}")
    if pending:
        value += pending
    return value


def _integer_value(text: str, original: str) -> int:
    yi, sep, rest = text.partition("亿")
    if not sep:
        yi, rest = "", text
    wan, sep, units = rest.partition("万")
    if not sep:
        wan, units = "", rest
    if (yi == "" and "亿" in text) or (wan == "" and "万" in rest):
        raise ValueError(f"无法识别的大写金额：{original}")
    total = 0
    for section, scale in ((yi, 10**8), (wan, 10**4), (units, 1)):
        if section:
            total += _section_value(section, original) * scale
    return total


def words_to_amount(text: str) -> Decimal:
    """Read a capital amount back into a Decimal with two places; inverse of amount_in_words.

    Also tolerates what is seen on printed and hand-written vouchers: a leading 人民币, 正 for 整,
    圆 for 元, and spaces.
    """
    original = text
    s = "".join(text.split())
    s = s.removeprefix("人民币").replace("圆", "元").replace("正", "整")
    if not s:
        raise ValueError("大写金额为空")
    s = s.removesuffix("整")
    integer_part, sep, fraction_part = s.partition("元")
    if not sep:
        integer_part, fraction_part = "", s
        if not fraction_part or fraction_part[-1] not in "角分":
            raise ValueError(f"无法识别的大写金额：{original}")
    elif not integer_part:
        raise ValueError(f"无法识别的大写金额：{original}")
    match = _FRACTION_RE.fullmatch(fraction_part)
    if match is None:
        raise ValueError(f"无法识别的大写金额：{original}")
    yuan = _integer_value(integer_part, original) if integer_part else 0
    jiao = _DIGIT_VALUE[match["jiao"]] if match["jiao"] else 0
    fen = _DIGIT_VALUE[match["fen"]] if match["fen"] else 0
    cents = yuan * 100 + jiao * 10 + fen
    if cents >= MAX_AMOUNT * 100:
        raise ValueError("金额过大（应小于1万亿元）")
    return Decimal(cents).scaleb(-2)


def format_amount(amount: Decimal | int) -> str:
    """Figures for display and print: ``1,234.56``.

    Negative values are allowed here (an 应退/应补 difference can be negative); more than two
    decimal places is refused, because a displayed amount must be the stored amount.
    """
    cents = _to_cents(amount, allow_negative=True)
    sign = "-" if cents < 0 else ""
    yuan, fen = divmod(abs(cents), 100)
    return f"{sign}{yuan:,}.{fen:02d}"


_AMOUNT_RE = re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_FORMAT_MESSAGE = "金额格式不正确，请输入数字，最多两位小数"


def parse_amount(text: str) -> Decimal:
    """Parse an amount typed by a user into a Decimal with exactly two places.

    Accepts 1234.5, 1,234.56, ￥12, 12元, full-width characters and surrounding spaces.
    """
    if not isinstance(text, str):
        raise ValidationError(_FORMAT_MESSAGE, field="amount")
    # NFKC turns full-width digits, ． ， and ￥ into their ASCII forms, as typed by a Chinese IME.
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise ValidationError("请输入金额", field="amount")
    negative = False
    if s[0] in "-\u2212":
        negative = True
        s = s[1:].lstrip()
    s = s.removeprefix("¥").removeprefix("RMB").lstrip()
    if s[:1] in ("-", "\u2212"):
        negative = True
        s = s[1:].lstrip()
    s = s.removesuffix("元").rstrip()
    match = _AMOUNT_RE.fullmatch(s)
    if match is None:
        raise ValidationError(_FORMAT_MESSAGE, field="amount")
    frac = match["frac"] or ""
    if frac[2:].strip("0"):
        raise ValidationError("金额最多只能有两位小数", field="amount")
    try:
        value = Decimal(match["int"].replace(",", "") + "." + (frac[:2] or "0"))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise ValidationError(_FORMAT_MESSAGE, field="amount") from None
    if negative and value != 0:
        raise ValidationError("金额不能为负数", field="amount")
    if value >= MAX_AMOUNT:
        raise ValidationError("金额过大（应小于1万亿元）", field="amount")
    return value.quantize(_CENT)
