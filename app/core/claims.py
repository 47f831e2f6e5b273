"""Reimbursement claims (报销单): expense categories, checking a claim, totals and 应退/应补.

A claim is an accounting voucher, so amounts are exact Decimals to the 分 and the checks here are the
ones the office's finance staff apply on paper. Every problem is reported against its field, so a
form can show all of them beside their fields at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.core.errors import ValidationError
from app.core.money import MAX_AMOUNT, amount_in_words, parse_amount
from app.core.printable import printable_problem

# 支出经济分类 items a county office claims most, and whether a claim of that kind needs receipts.
# Travel allowances (伙食补助、交通补助) are paid at a flat daily rate and have no invoice.
CATEGORIES: dict[str, bool] = {
    "办公费": True,
    "印刷费": True,
    "邮电费": True,
    "差旅费": True,
    "差旅补助": False,
    "会议费": True,
    "培训费": True,
    "公务接待费": True,
    "公务用车运行维护费": True,
    "维修（护）费": True,
    "劳务费": True,
    "其他": True,
}

# The catch-all category, also what a row counts as before the user has chosen one.
OTHER_CATEGORY = "其他"

PAYMENT_METHODS: tuple[str, ...] = ("银行转账", "公务卡", "现金", "支票")

MAX_LINES = 50
# The most one line and one claim may come to. A 报销单 repays what staff spent for the office, item by item:
# an item of more than 100万元 is a purchase that goes through 政府采购 and is paid on its contract by 国库集中
# 支付, not claimed on a 报销单, and a claim of more than 1000万元 (ten such lines) is certainly a typing error.
# Below the 1万亿 that money.MAX_AMOUNT refuses as unreadable, these catch a slip of a few zeros.
MAX_LINE_AMOUNT = Decimal("1000000.00")
MAX_CLAIM_TOTAL = Decimal("10000000.00")
LINE_TOO_LARGE = "单行金额不能超过1,000,000.00元（100万元）；更大的支出应走政府采购和合同支付，请核对金额"
CLAIM_TOO_LARGE = "一张报销单合计不能超过10,000,000.00元（1000万元），请核对金额或分开填报"
ADVANCE_TOO_LARGE = "原借款不能超过10,000,000.00元（1000万元），请核对金额"
MAX_RECEIPTS = 999
SUMMARY_LENGTH = 100
VOUCHER_LENGTH = 30


@dataclass(frozen=True)
class LineInput:
    """One line as typed: the amount stays text until checked, so nothing typed is lost."""

    summary: str
    category: str
    amount: str | Decimal


@dataclass(frozen=True)
class ClaimLine:
    summary: str
    category: str
    amount: Decimal


@dataclass(frozen=True)
class Settlement:
    """What happens to an advance (原借款): the claimant returns 应退, or the office pays 应补."""

    refund: Decimal  # 应退: the advance was more than was spent
    top_up: Decimal  # 应补: more was spent than advanced


def settle(total: Decimal, advance: Decimal) -> Settlement:
    zero = Decimal("0.00")
    if advance >= total:
        return Settlement(refund=(advance - total).quantize(zero), top_up=zero)
    return Settlement(refund=zero, top_up=(total - advance).quantize(zero))


def line_field(index: int, name: str) -> str:
    return f"line:{index}:{name}"


def _amount(value: str | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError("金额格式不正确")
        if value < 0:
            raise ValidationError("金额不能为负数")
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError("金额最多只能有两位小数（到分）")
        if value >= MAX_AMOUNT:
            raise ValidationError("金额过大（应小于1万亿元）")
        return value.quantize(Decimal("0.01"))
    return parse_amount(value)


def _is_blank(line: LineInput) -> bool:
    return not line.summary.strip() and not str(line.amount).strip()


@dataclass(frozen=True)
class CheckedClaim:
    lines: tuple[ClaimLine, ...]
    receipts_count: int
    advance: Decimal
    total: Decimal

    @property
    def total_in_words(self) -> str:
        return amount_in_words(self.total)

    @property
    def settlement(self) -> Settlement:
        return settle(self.total, self.advance)

    @property
    def needs_receipts(self) -> bool:
        return needs_receipts(line.category for line in self.lines)

    def by_category(self) -> dict[str, Decimal]:
        return totals_by_category((line.category, line.amount) for line in self.lines)


def needs_receipts(categories: Iterable[str]) -> bool:
    """Whether any of these categories is paid against receipts (差旅补助 alone is not)."""
    return any(CATEGORIES.get(category, False) for category in categories)


def totals_by_category(lines: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The claim's amount per expense category, from (category, amount) pairs: what budgets are held to."""
    sums: dict[str, Decimal] = {}
    for category, amount in lines:
        sums[category] = sums.get(category, Decimal("0.00")) + amount
    return sums


def claim_problems(
    lines: Sequence[LineInput], receipts_count: str | int, advance: str | Decimal
) -> tuple[CheckedClaim | None, dict[str, str]]:
    """The checked claim, or every problem keyed by field (line:N:amount, receipts_count …).

    Rows left wholly blank are ignored, as on paper; any other row must be complete.
    """
    problems: dict[str, str] = {}
    checked: list[ClaimLine] = []
    kept = [(i, line) for i, line in enumerate(lines) if not _is_blank(line)]
    if not kept:
        problems["lines"] = "报销单至少要有一行费用明细（摘要和金额）"
    if len(kept) > MAX_LINES:
        problems["lines"] = f"一张报销单最多{MAX_LINES}行明细，请分开填报"
    for i, line in kept:
        summary = line.summary.strip()
        if not summary:
            problems[line_field(i, "summary")] = "请填写摘要（费用的用途）"
        elif len(summary) > SUMMARY_LENGTH:
            problems[line_field(i, "summary")] = f"摘要不能超过{SUMMARY_LENGTH}个字"
        elif unprintable := printable_problem(summary, "摘要"):
            problems[line_field(i, "summary")] = unprintable
        if line.category not in CATEGORIES:
            problems[line_field(i, "category")] = "请选择费用类别"
        try:
            amount = _amount(line.amount)
        except ValidationError as error:
            problems[line_field(i, "amount")] = error.message
            continue
        if amount == 0:
            problems[line_field(i, "amount")] = "金额不能为零"
            continue
        if amount > MAX_LINE_AMOUNT:
            problems[line_field(i, "amount")] = LINE_TOO_LARGE
            continue
        checked.append(ClaimLine(summary, line.category, amount))
    try:
        advance_value = _amount(advance) if str(advance).strip() else Decimal("0.00")
    except ValidationError as error:
        problems["advance"] = "原借款：" + error.message
        advance_value = Decimal("0.00")
    if advance_value > MAX_CLAIM_TOTAL:
        problems["advance"] = ADVANCE_TOO_LARGE
    receipts = _receipts(receipts_count, problems)
    # Judged on every row typed (not only the rows without problems), so that a missing count is
    # reported together with the rows' own problems rather than only once they are fixed.
    if needs_receipts(line.category for _, line in kept) and receipts == 0 and "receipts_count" not in problems:
        problems["receipts_count"] = "请填写所附单据张数（差旅补助以外的费用都需要附单据）"
    total = sum((line.amount for line in checked), Decimal("0.00"))
    if total > MAX_CLAIM_TOTAL:
        problems["lines"] = CLAIM_TOO_LARGE
    if problems:
        return None, problems
    return CheckedClaim(tuple(checked), receipts, advance_value, total), {}


def _receipts(value: str | int, problems: dict[str, str]) -> int:
    text = str(value).strip()
    if not text:
        return 0
    try:
        count = int(text)
    except ValueError:
        problems["receipts_count"] = "单据张数请填写整数"
        return 0
    if not 0 <= count <= MAX_RECEIPTS:
        problems["receipts_count"] = f"单据张数应在0到{MAX_RECEIPTS}之间"
        return 0
    return count


def check_claim(lines: Sequence[LineInput], receipts_count: str | int, advance: str | Decimal) -> CheckedClaim:
    """As claim_problems, raising the first problem with its field (for services)."""
    claim, problems = claim_problems(lines, receipts_count, advance)
    if claim is None:
        field, message = next(iter(problems.items()))
        raise ValidationError(message, field=field)
    return claim


def claim_title(lines: Sequence[ClaimLine]) -> str:
    """What a list shows for a claim: its first line, and how many more there are."""
    if not lines:
        return ""
    first = lines[0].summary
    return f"{first}等{len(lines)}项" if len(lines) > 1 else first


def format_claim_number(year: int, seq: int) -> str:
    return f"BX{year}-{seq:05d}"


def check_claim_date(value: date, today: date) -> None:
    if value > today:
        raise ValidationError("报销日期不能晚于今天", field="claim_date")
    if value.year < today.year - 1:
        raise ValidationError("报销日期不能早于上一年度", field="claim_date")
