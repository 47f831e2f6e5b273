"""Demo 报账 data: claims as a county office fills them in, the budgets they run against, and the driver
that takes each claim through app.services.claims.records (create_claim, submit, decide, pay, book, withdraw).

The claims are built here; when each one happens and which state it ends in is the planner's business
(app.demo.flows). Three things are settled for the whole set before any claim is written, because a
claim's route depends on them:

- the departments' budgets (plan_budgets): a claim goes to the 主要领导 when, at its submission, it takes
  a category of its department over the year's budget. The demo drives claims one after another, so
  what each submission finds already used is known in advance, and the budgets are chosen so that the
  last claims of a few departments go over while the others stay within;
- the accounting vouchers (记账凭证号), numbered per month in the order the claims were booked;
- which claims carry a scanned receipt (a small PDF or PNG made here), so that printing a claim with
  its receipts has something to show.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, Protocol

from sqlalchemy import event

from app.core.claims import CATEGORIES, ClaimLine, LineInput, claim_title, totals_by_category
from app.core.money import amount_in_words
from app.core.roles import Role
from app.core.workflow import ANY_ROLE, DEFAULT_FLOWS, Flow
from app.demo.flows import (
    Clock,
    FlowDemo,
    Hop,
    Plan,
    Planner,
    local_day,
    local_moment,
    refit_times,
    rerouted,
    route_to,
    stamp,
    with_return_loop,
)
from app.demo.office import CITY, COUNTY, OFFICE_NAME, TOWNSHIPS, AppContext
from app.models import Budget, Claim, WorkflowInstance
from app.services.claims import budgets
from app.services.claims import records as claims
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork

FLOW_KEY = "reimbursement"
# A target the planner understands besides the flow's steps: sent back by a reviewer and waiting at
# 经办人填报 (state 'fill', with the return and its reason in the history).
RETURNED = "fill:returned"
REVIEW_STEPS = ("dept_review", "finance_review", "leader_approval", "principal_approval")

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


# ----- what a claim holds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    county: str
    city: str
    townships: tuple[str, ...]


@dataclass(frozen=True)
class ClaimSketch:
    """One claim as its claimant fills in the form: the lines, 附单据 N 张 and any 原借款."""

    kind: str
    lines: tuple[LineInput, ...]
    receipts_count: int
    advance: Decimal

    @property
    def amounts(self) -> list[Decimal]:
        return [Decimal(line.amount) for line in self.lines]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)

    @property
    def title(self) -> str:
        """The title the service gives the claim: its first line, and how many more."""
        return claim_title([ClaimLine(line.summary, line.category, Decimal(line.amount)) for line in self.lines])

    def by_category(self) -> dict[str, Decimal]:
        return totals_by_category((line.category, Decimal(line.amount)) for line in self.lines)


# (summary, category, amount in 元, receipts attached for the line)
_Line = tuple[str, str, Decimal, int]


def _yuan(rng: random.Random, low: float, high: float, whole: bool = False) -> Decimal:
    """An amount between low and high 元: to the 分, or whole 元 for fees and fixed rates."""
    if whole:
        return Decimal(rng.randint(int(low), int(high))).quantize(CENT)
    return (Decimal(rng.randint(round(low * 100), round(high * 100))) / 100).quantize(CENT)


def _fare(rng: random.Random, far: bool) -> tuple[str, Decimal]:
    """A one-way ticket: 高铁 to the provincial capital, 客车 or 高铁 to the city. Fares end in 0 or 5 角."""
    if far:
        return "高铁票", Decimal(rng.randint(312, 778)) / 2
    vehicle = rng.choice(("车票", "高铁票"))
    return vehicle, Decimal(rng.randint(58, 136)) / 2


_TRIP_PURPOSES = (
    "参加业务培训",
    "参加全市政务公开工作推进会",
    "参加全市安全生产工作会议",
    "汇报防汛抗旱工作",
    "报送年度统计资料",
    "参加信访业务培训",
    "对接项目资金争取工作",
    "参加全市督查工作座谈会",
    "参加政务信息工作会议",
)
_FIELD_TASKS = (
    "督查安全生产工作",
    "调研高标准农田建设",
    "督办信访事项",
    "检查防汛准备工作",
    "开展森林防火检查",
    "督查民生实事项目进度",
)
_TRAINING_TOPICS = ("公文写作与处理", "政务信息", "保密工作", "档案管理", "财务会计业务", "应急管理", "网络安全", "信访业务")
_MEETINGS = (
    "全县安全生产工作会议",
    "全县防汛抗旱工作会议",
    "全县政务公开工作推进会",
    "全县信访工作联席会议",
    "全县经济运行分析会",
    "全县森林防火工作会议",
)


def _travel(rng: random.Random, dest: str, far: bool, purpose: str, days: int) -> list[_Line]:
    vehicle, one_way = _fare(rng, far)
    lines: list[_Line] = [(f"赴{dest}{purpose}往返{vehicle}", "差旅费", (one_way * 2).quantize(CENT), 2)]
    if days > 1:
        nights = days - 1
        rate = rng.choice((260, 280, 300, 320, 350, 380, 420, 450))
        lines.append((f"{dest}住宿费（{nights}晚）", "差旅费", Decimal(rate * nights).quantize(CENT), 1))
    lines.append((f"伙食补助（{days}天×100元）", "差旅补助", Decimal(days * 100).quantize(CENT), 0))
    if rng.random() < 0.6:
        lines.append((f"市内交通补助（{days}天×80元）", "差旅补助", Decimal(days * 80).quantize(CENT), 0))
    return lines


def _trip(rng: random.Random, places: Places) -> list[_Line]:
    far = rng.random() < 0.35
    dest = "省城" if far else places.city
    days = rng.randint(2, 5) if far else rng.randint(1, 3)
    return _travel(rng, dest, far, rng.choice(_TRIP_PURPOSES), days)


def _field_trip(rng: random.Random, places: Places) -> list[_Line]:
    town = rng.choice(places.townships)
    task = rng.choice(_FIELD_TASKS)
    days = rng.randint(1, 3)
    lines: list[_Line] = [(f"赴{town}{task}伙食补助（{days}天×100元）", "差旅补助", Decimal(days * 100).quantize(CENT), 0)]
    if rng.random() < 0.5:
        lines.append((f"赴{town}{task}公务用车加油费", "公务用车运行维护费", _yuan(rng, 120, 480), 1))
    return lines


def _training(rng: random.Random, places: Places) -> list[_Line]:
    far = rng.random() < 0.3
    dest = "省城" if far else places.city
    topic = rng.choice(_TRAINING_TOPICS)
    fee = Decimal(rng.randint(6, 38) * 100).quantize(CENT)
    lines: list[_Line] = [(f"参加{dest}{topic}培训班培训费", "培训费", fee, 1)]
    lines += _travel(rng, dest, far, f"参加{topic}培训", rng.randint(2, 4))[:3]
    return lines


def _meeting(rng: random.Random, places: Places) -> list[_Line]:
    meeting = rng.choice(_MEETINGS)
    lines: list[_Line] = [(f"{meeting}会场租赁及布置费", "会议费", _yuan(rng, 1200, 6800, whole=True), 1)]
    if rng.random() < 0.7:
        lines.append((f"{meeting}会议材料印制", "印刷费", _yuan(rng, 300, 2600), 1))
    if rng.random() < 0.5:
        people = rng.randint(40, 150)
        lines.append((f"{meeting}参会人员工作餐（{people}人）", "会议费", Decimal(people * rng.choice((30, 40, 50))).quantize(CENT), 1))
    return lines


def _supplies(rng: random.Random, places: Places) -> list[_Line]:
    options: list[Callable[[], _Line]] = [
        lambda: _count_line(rng, "购买A4复印纸（{n}箱）", "办公费", 5, 30, 145, 185),
        lambda: _count_line(rng, "购买打印机硒鼓（{n}个）", "办公费", 2, 8, 280, 560),
        lambda: ("购买档案盒、文件夹等办公用品", "办公费", _yuan(rng, 200, 1500), 1),
        lambda: _count_line(rng, "购买U盘、移动硬盘（{n}个）", "办公费", 2, 6, 60, 480),
        lambda: ("购买签字笔、笔记本等办公用品", "办公费", _yuan(rng, 120, 800), 1),
    ]
    return [make() for make in rng.sample(options, rng.randint(1, 3))]


def _count_line(rng: random.Random, summary: str, category: str, least: int, most: int, low: int, high: int) -> _Line:
    n = rng.randint(least, most)
    price = _yuan(rng, low, high)
    return summary.format(n=n), category, (price * n).quantize(CENT), 1


def _printing(rng: random.Random, places: Places) -> list[_Line]:
    options: list[Callable[[], _Line]] = [
        lambda: _count_line(rng, f"印制《{places.county}人民政府工作报告》（{{n}}册）", "印刷费", 300, 1000, 6, 15),
        lambda: ("印制县政府文件用纸及信封", "印刷费", _yuan(rng, 800, 3500), 1),
        lambda: _count_line(rng, "印制《政务信息》专刊（{n}期）", "印刷费", 1, 6, 600, 1200),
        lambda: _count_line(rng, "印制安全生产宣传册（{n}份）", "印刷费", 1000, 5000, 2, 6),
    ]
    return [make() for make in rng.sample(options, rng.randint(1, 2))]


def _reception(rng: random.Random, places: Places) -> list[_Line]:
    guest = rng.choice((
        f"{places.city}人民政府办公室调研组", f"{places.city}应急管理局督查组", f"{places.city}信访局检查组",
        "省政务公开考核组", f"{places.city}统计局执法检查组",
    ))
    people = rng.randint(4, 12)
    lines: list[_Line] = [(f"接待{guest}工作餐（{people}人）", "公务接待费", Decimal(people * rng.randint(60, 120)).quantize(CENT), 1)]
    if rng.random() < 0.3:
        rooms = rng.randint(2, 5)
        lines.append((f"接待{guest}住宿费（{rooms}间）", "公务接待费", Decimal(rooms * rng.choice((260, 300, 320))).quantize(CENT), 1))
    return lines


def _vehicle(rng: random.Random, places: Places) -> list[_Line]:
    plate = f"江J{rng.choice('CDEFGH')}{rng.randint(1000, 9999)}"
    options: list[Callable[[], _Line]] = [
        lambda: (f"公务用车{plate}维修保养", "公务用车运行维护费", _yuan(rng, 400, 6800), 1),
        lambda: (f"公务用车{plate}加油费", "公务用车运行维护费", _yuan(rng, 600, 2400), rng.randint(2, 6)),
        lambda: (f"公务用车{plate}年度保险费", "公务用车运行维护费", _yuan(rng, 3200, 6400), 1),
        lambda: (f"公务用车{plate}过路过桥费", "公务用车运行维护费", _yuan(rng, 80, 460), rng.randint(2, 8)),
    ]
    return [make() for make in rng.sample(options, rng.randint(1, 2))]


def _postage(rng: random.Random, places: Places) -> list[_Line]:
    options: list[Callable[[], _Line]] = [
        lambda: ("机要文件邮寄费", "邮电费", _yuan(rng, 80, 600), rng.randint(1, 4)),
        lambda: ("办公室固定电话及宽带费（季度）", "邮电费", _yuan(rng, 600, 1800), 3),
    ]
    return [make() for make in rng.sample(options, rng.randint(1, 2))]


def _repairs(rng: random.Random, places: Places) -> list[_Line]:
    floor = rng.randint(2, 5)
    return [rng.choice((
        (f"办公楼{floor}楼会议室空调维修", "维修（护）费", _yuan(rng, 600, 4800), 1),
        ("打印复印一体机维修", "维修（护）费", _yuan(rng, 280, 1200), 1),
        ("办公楼屋面防水维修", "维修（护）费", _yuan(rng, 6800, 23000, whole=True), 2),
        ("档案室密集架维修", "维修（护）费", _yuan(rng, 1500, 5800, whole=True), 1),
    ))]


def _labour(rng: random.Random, places: Places) -> list[_Line]:
    if rng.random() < 0.5:
        return [(f"聘请专家评审《{places.county}应急预案》劳务费", "劳务费", Decimal(rng.randint(10, 60) * 100).quantize(CENT), 1)]
    people, days = rng.randint(2, 5), rng.randint(5, 20)
    return [(f"聘请临时人员整理档案劳务费（{people}人×{days}天）", "劳务费", Decimal(people * days * 150).quantize(CENT), 1)]


# kind: (maker, weight, whether an advance (原借款) is usual for it)
_KINDS: dict[str, tuple[Callable[[random.Random, Places], list[_Line]], int, bool]] = {
    "差旅": (_trip, 28, True),
    "下乡": (_field_trip, 10, False),
    "培训": (_training, 10, True),
    "会议": (_meeting, 8, True),
    "办公用品": (_supplies, 12, False),
    "印刷": (_printing, 6, False),
    "公务接待": (_reception, 6, False),
    "公务用车": (_vehicle, 10, False),
    "邮电": (_postage, 4, False),
    "维修": (_repairs, 4, False),
    "劳务": (_labour, 2, True),
}


def sketch_claim(rng: random.Random, places: Places) -> ClaimSketch:
    """A claim of a kind the office files, with 1–4 lines whose 摘要 fit their category, amounts to the 分."""
    kind = rng.choices(list(_KINDS), weights=[weight for _, weight, _ in _KINDS.values()])[0]
    make, _, advances = _KINDS[kind]
    lines = make(rng, places)[:4]
    assert all(category in CATEGORIES for _, category, _, _ in lines)
    total = sum((amount for _, _, amount, _ in lines), ZERO)
    advance = ZERO
    if advances and rng.random() < 0.3:
        advance = _refunded(total) if rng.random() < 0.5 or total < 1000 else _topped_up(total)
    return ClaimSketch(
        kind=kind,
        lines=tuple(LineInput(summary, category, amount) for summary, category, amount, _ in lines),
        receipts_count=sum(receipts for _, _, _, receipts in lines),
        advance=advance,
    )


def _refunded(total: Decimal) -> Decimal:
    """An advance (原借款) above what was spent, so the claimant returns the rest (应退)."""
    advance = (total / 500).to_integral_value(ROUND_CEILING) * 500
    return (advance + 500 if advance == total else advance).quantize(CENT)


def _topped_up(total: Decimal) -> Decimal:
    """An advance below what was spent (total of 1,000 元 or more), so the office pays the rest (应补)."""
    return ((total / 1000).to_integral_value(ROUND_FLOOR) * 1000).quantize(CENT)


def with_both_advances(sketches: Sequence[ClaimSketch]) -> list[ClaimSketch]:
    """The sketches, with an advance given to the first claims of a kind that draws one where none has an
    advance above its total (应退), or below it (应补): even a small demo shows both."""
    result = list(sketches)
    refund = any(s.advance > s.total for s in result)
    top_up = any(ZERO < s.advance < s.total for s in result)
    for i, sketch in enumerate(result):
        if sketch.advance or not _KINDS[sketch.kind][2]:
            continue
        if not refund:
            result[i], refund = replace(sketch, advance=_refunded(sketch.total)), True
        elif not top_up and sketch.total >= 1000:
            result[i], top_up = replace(sketch, advance=_topped_up(sketch.total)), True
    return result


# ----- budgets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetEntry:
    """One claim as the budget sees it, in the order the demo writes the claims."""

    unit_id: int
    year: int
    by_category: dict[str, Decimal]
    submitted: bool  # submitted at least once, so it is checked against the budget
    counts_after: bool  # still holds budget once written (submitted and not withdrawn)


@dataclass(frozen=True)
class BudgetPlan:
    amounts: dict[tuple[int, str], Decimal]  # (unit_id, category) → the year's budget
    over: list[bool]  # per entry: over budget when submitted


def _nice_between(low: Decimal, high: Decimal) -> Decimal:
    """A round amount at least ``low`` and below ``high`` (low < high)."""
    for step in (Decimal(1000), Decimal(500), Decimal(100), Decimal(10), Decimal(1)):
        value = (low / step).to_integral_value(ROUND_CEILING) * step
        if low <= value < high:
            return value.quantize(CENT)
    return low.quantize(CENT)


def _round_up(value: Decimal, step: int) -> Decimal:
    return ((value / step).to_integral_value(ROUND_CEILING) * step).quantize(CENT)


def plan_budgets(entries: Sequence[BudgetEntry], year: int, tight_units: int = 3) -> BudgetPlan:
    """Budgets for ``year`` under which the last claims of a few departments go over, and whether each
    entry is over budget at its submission, as app.services.claims.budgets will find it.

    The departments with the most submitted claims in one category get a tight budget in it (their last
    one or two claims go over); they also get a comfortable budget for their other categories.
    """
    pairs: dict[tuple[int, str], list[int]] = {}
    for index, entry in enumerate(entries):
        if entry.year != year or not entry.submitted:
            continue
        for category in entry.by_category:
            pairs.setdefault((entry.unit_id, category), []).append(index)
    # Flat-rate allowances (差旅补助) follow the days travelled; it is spending on receipts that runs over.
    ranked = sorted(
        ((len(ix), key) for key, ix in pairs.items() if len(ix) >= 2 and CATEGORIES.get(key[1], True)),
        key=lambda p: (-p[0], p[1]),
    )
    amounts: dict[tuple[int, str], Decimal] = {}
    tight: set[int] = set()
    for _, (unit_id, category) in ranked:
        if unit_id in tight or len(tight) >= tight_units:
            continue
        tight.add(unit_id)
        reached = _reached(entries, year, unit_id, category, pairs[(unit_id, category)])
        going_over = 1 if len(reached) <= 3 else 2
        low = max(reached[: len(reached) - going_over])
        high = reached[len(reached) - going_over]
        amounts[(unit_id, category)] = _nice_between(low, high) if low < high else (high - CENT)
    for (unit_id, category), indexes in sorted(pairs.items()):
        if unit_id in tight and (unit_id, category) not in amounts:
            spent = sum((entries[i].by_category[category] for i in indexes), ZERO)
            amounts[(unit_id, category)] = _round_up(spent + 5000, 5000)
    return BudgetPlan(amounts, _over_flags(entries, amounts, year))


def _reached(
    entries: Sequence[BudgetEntry], year: int, unit_id: int, category: str, indexes: list[int]
) -> list[Decimal]:
    """For each submission in the pair: what others had used plus this claim (over when above the budget)."""
    used = ZERO
    result = []
    position = 0
    for index, entry in enumerate(entries):
        if position < len(indexes) and index == indexes[position]:
            position += 1
            result.append(used + entry.by_category[category])
        if entry.counts_after and entry.year == year and entry.unit_id == unit_id:
            used += entry.by_category.get(category, ZERO)
    return result


def _over_flags(entries: Sequence[BudgetEntry], amounts: dict[tuple[int, str], Decimal], year: int) -> list[bool]:
    used: dict[tuple[int, str], Decimal] = {}
    flags = []
    for entry in entries:
        over = False
        if entry.year == year and entry.submitted:
            for category, amount in entry.by_category.items():
                budget = amounts.get((entry.unit_id, category))
                if budget is not None and budget - used.get((entry.unit_id, category), ZERO) - amount < 0:
                    over = True
        flags.append(over)
        if entry.year == year and entry.counts_after:
            for category, amount in entry.by_category.items():
                used[(entry.unit_id, category)] = used.get((entry.unit_id, category), ZERO) + amount
    return flags


def voucher_numbers(booked: Sequence[date]) -> list[str]:
    """记账凭证号 for claims booked on these days: per month, numbered in booking order (记-2026-11-031)."""
    order = sorted(range(len(booked)), key=lambda i: (booked[i], i))
    counters: dict[tuple[int, int], int] = {}
    numbers = [""] * len(booked)
    for i in order:
        month = (booked[i].year, booked[i].month)
        # A month's vouchers hold other payments too: the claims take every few numbers.
        counters[month] = counters.get(month, 0) + 1 + (i * 7 + 3) % 4
        numbers[i] = f"记-{month[0]}-{month[1]:02d}-{counters[month]:03d}"
    return numbers


# ----- scanned receipts --------------------------------------------------------------------------------


def _png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ticket_png(seed: int) -> bytes:
    """A small picture of a scanned ticket: pale blue paper, printed rows, a red stamp. No text: demo only."""
    rng = random.Random(seed)
    width, height = 320, 200
    rows = [(24 + 22 * i, rng.randint(120, 280)) for i in range(7)]
    cx, cy, radius = 250, 140, 34

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if x < 6 or y < 6 or x >= width - 6 or y >= height - 6:
            return (255, 255, 255)
        if x in (10, width - 11) or y in (10, height - 11):
            return (70, 110, 160)
        distance = (x - cx) ** 2 + (y - cy) ** 2
        if (radius - 4) ** 2 <= distance <= radius**2:
            return (200, 40, 40)
        for top, length in rows:
            if top <= y < top + 7 and 24 <= x < 24 + length:
                return (60, 60, 70)
        return (222, 236, 248)

    return _png(width, height, pixel)


def _invoice_font() -> str:
    """The bundled 黑体 (WenQuanYi Micro Hei), embedded as a subset so the invoice reads on any machine;
    Adobe's STSong-Light (named, not embedded) if the resources are missing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    name = "GovDeskDemoHei"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    from app.paths import resources_dir

    path = resources_dir() / "fonts" / "wqy-microhei.ttc"
    if path.is_file():
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        return name
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def invoice_pdf(*, number: str, issued: date, seller: str, buyer: str, item: str, amount: Decimal) -> bytes:
    """A one-page electronic invoice (电子发票) for the demo, marked as such; the same bytes for the same facts."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    font = _invoice_font()
    buffer = io.BytesIO()
    width, height = 210 * mm, 140 * mm
    canvas = Canvas(buffer, pagesize=(width, height), invariant=True, initialFontName=font)
    canvas.setTitle(f"电子发票 {number}")
    canvas.setStrokeColorRGB(0.55, 0.3, 0.15)
    canvas.setFillColorRGB(0.55, 0.3, 0.15)
    canvas.setFont(font, 16)
    canvas.drawCentredString(width / 2, height - 18 * mm, "电子发票（普通发票）")
    canvas.setFont(font, 9)
    canvas.drawString(width - 70 * mm, height - 28 * mm, f"发票号码：{number}")
    canvas.drawString(width - 70 * mm, height - 33 * mm, f"开票日期：{issued.year}年{issued.month:02d}月{issued.day:02d}日")
    canvas.rect(10 * mm, 25 * mm, width - 20 * mm, height - 65 * mm)
    canvas.line(10 * mm, height - 58 * mm, width - 10 * mm, height - 58 * mm)
    canvas.line(10 * mm, 40 * mm, width - 10 * mm, 40 * mm)
    canvas.drawString(14 * mm, height - 48 * mm, f"购买方  名称：{buyer}")
    canvas.drawString(14 * mm, height - 54 * mm, f"销售方  名称：{seller}")
    tax = (amount * Decimal("0.06") / Decimal("1.06")).quantize(CENT)
    canvas.drawString(14 * mm, height - 66 * mm, "项目名称")
    canvas.drawString(90 * mm, height - 66 * mm, "金额")
    canvas.drawString(125 * mm, height - 66 * mm, "税率")
    canvas.drawString(150 * mm, height - 66 * mm, "税额")
    canvas.drawString(14 * mm, height - 73 * mm, item)
    canvas.drawString(90 * mm, height - 73 * mm, f"{amount - tax:,.2f}")
    canvas.drawString(125 * mm, height - 73 * mm, "6%")
    canvas.drawString(150 * mm, height - 73 * mm, f"{tax:,.2f}")
    canvas.drawString(14 * mm, 31 * mm, f"价税合计（大写）{amount_in_words(amount)}")
    canvas.drawString(140 * mm, 31 * mm, f"（小写）¥{amount:,.2f}")
    canvas.setFont(font, 8)
    canvas.drawString(10 * mm, 18 * mm, "演示数据，非真实发票")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


_SELLERS: dict[str, str] = {
    "办公费": "青山县文汇办公用品经营部",
    "印刷费": "青山县新华印务有限责任公司",
    "邮电费": "中国邮政集团有限公司青山县分公司",
    "差旅费": "江州市青山宾馆有限公司",
    "会议费": "青山县会议服务中心",
    "培训费": "江州市干部培训中心",
    "公务接待费": "青山县青山宾馆有限公司",
    "公务用车运行维护费": "青山县顺达汽车维修服务有限公司",
    "维修（护）费": "青山县建安维修工程有限公司",
}


def _is_ticket(line: LineInput) -> bool:
    return line.summary.endswith("票")


def has_ticket(sketch: ClaimSketch) -> bool:
    return any(_is_ticket(line) for line in sketch.lines)


def receipt_files(sketch: ClaimSketch, claimed: date, office_name: str, seed: int) -> list[tuple[str, bytes, str]]:
    """The scans a claimant attaches: a picture of the ticket, and an invoice PDF for the first other line
    that needs a receipt."""
    rng = random.Random(seed)
    files: list[tuple[str, bytes, str]] = []
    for line in sketch.lines:
        if not CATEGORIES.get(line.category, True):
            continue
        if _is_ticket(line) and not any(name.endswith(".png") for name, _, _ in files):
            files.append((f"车票扫描件{len(files) + 1}.png", ticket_png(seed), "image/png"))
        elif not any(name.endswith(".pdf") for name, _, _ in files):
            number = f"{claimed.year % 100:02d}{rng.randint(10**17, 10**18 - 1)}"
            seller = _SELLERS.get(line.category, "青山县综合服务有限公司")
            item = f"*{line.category}*{line.summary}"[:40]
            pdf = invoice_pdf(number=number, issued=claimed, seller=seller, buyer=office_name, item=item,
                              amount=Decimal(line.amount))
            files.append((f"电子发票{number[-6:]}.pdf", pdf, "application/pdf"))
    return files


# ----- taking a claim through the services -----------------------------------------------------------

_APPROVALS: dict[str, tuple[str, ...]] = {
    "dept_review": ("情况属实，同意报销。", "属实，同意。", "同意报销。"),
    "finance_review": ("已审核，票据齐全，符合开支标准。", "经审核，金额无误，同意报销。", "票据合规，同意。"),
    "leader_approval": ("同意。", "同意报销。", "同意，按规定报销。"),
    "principal_approval": ("同意。", "同意报销。", "同意，请财务按规定办理。"),
}
_RETURNS: dict[str, tuple[str, ...]] = {
    "dept_review": ("出差天数与出差审批单不符，请核对后重新提交。", "请附会议通知复印件后重新提交。"),
    "finance_review": (
        "票据不全，请补齐住宿发票后重新提交。",
        "超出差旅费开支标准部分请说明原因。",
        "发票抬头有误，请更换后重新提交。",
        "伙食补助天数计算有误，请更正。",
    ),
    "leader_approval": ("请说明费用必要性后再报。", "请附采购审批单后再报。"),
    "principal_approval": ("请按程序补充集体研究意见后再报。",),
}
_WITHDRAW_REASONS = ("费用改由其他渠道列支，撤销本次报销。", "重复填报，撤销。", "该笔费用已由项目资金列支，撤销。")


def opinion(rng: random.Random, source: str, action: str) -> str:
    if action == "approve":
        return rng.choice(_APPROVALS.get(source, ("同意。",)))
    if action == "return":
        return rng.choice(_RETURNS.get(source, ("请修改后重新提交。",)))
    if action == "withdraw":
        return rng.choice(_WITHDRAW_REASONS)
    return ""


def payment_method(rng: random.Random, total: Decimal) -> str:
    if total < 1000 and rng.random() < 0.3:
        return "现金"
    return rng.choices(("银行转账", "公务卡", "支票"), weights=(6, 3, 1))[0]


class HopLike(Protocol):
    """A planned move (app.demo.flows.Hop)."""

    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def action(self) -> str: ...


# The planner's choice of who makes a move: (flow, instance, hop, facts, opinion) → actor.
ActorFor = Callable[[Flow, WorkflowInstance, Any, dict[str, Any], str], Actor]


@dataclass
class ClaimRun:
    """What the driver needs of one planned claim."""

    flow: Flow
    owner: Actor
    unit_id: int | None
    sketch: ClaimSketch
    facts: dict[str, Any]
    hops: Sequence[HopLike]
    times: Sequence[datetime]
    voucher: str = ""
    receipts: Sequence[tuple[str, bytes, str]] = ()


def drive_claim(
    uow: UnitOfWork,
    run: ClaimRun,
    *,
    rng: random.Random,
    actor_for: ActorFor,
    set_now: Callable[[datetime], None],
    local_day: Callable[[datetime], date],
) -> int:
    """Fills in the claim on its first day, attaches its scans, then makes each planned move through the
    claims service, as the person the planner picks; returns the claim's id."""
    claimed = local_day(run.times[0])
    data = claims.ClaimInput(run.unit_id, claimed, run.sketch.lines, run.sketch.receipts_count, run.sketch.advance)
    info = claims.create_claim(uow, run.owner, data, today=claimed)
    for filename, content, mime in run.receipts:
        claims.add_receipt(uow, run.owner, info.id, filename=filename, data=content, mime_type=mime)
    instance = uow.session.get(WorkflowInstance, info.instance_id)
    assert instance is not None
    returned = False
    for hop, when in zip(run.hops, run.times[1:], strict=True):
        set_now(when)
        day = local_day(when)
        text = opinion(rng, hop.source, hop.action)
        actor = actor_for(run.flow, instance, hop, run.facts, text)
        if hop.action == "submit" and returned:
            # The claimant adds the missing receipt the reviewer asked for and sends the claim again.
            data = claims.ClaimInput(run.unit_id, claimed, run.sketch.lines, run.sketch.receipts_count + 1,
                                     run.sketch.advance)
            claims.update_claim(uow, actor, info.id, data, submit=True, today=day)
        elif hop.action == "submit":
            claims.submit(uow, actor, info.id, today=day)
        elif hop.action in ("approve", "return"):
            claims.decide(uow, actor, info.id, hop.action, text, today=day)
            returned = returned or hop.action == "return"
        elif hop.action == "withdraw":
            claims.withdraw(uow, actor, info.id, text, today=day)
        elif hop.action == "pay":
            claims.pay(uow, actor, info.id, paid_on=day, method=payment_method(rng, run.sketch.total), today=day)
        elif hop.action == "book":
            claims.book(uow, actor, info.id, voucher_number=run.voucher, booked_on=day, today=day)
        else:
            raise RuntimeError(f"演示数据不会办理报销单的“{hop.action}”")
        if instance.state != hop.target:
            raise RuntimeError(f"报销单{info.number}到了“{instance.state}”，而不是计划的“{hop.target}”")
    return info.id


# ----- the claims in the demo office's plan (app.demo.flows) -------------------------------------------

# Entity type of the records in the 报账 flow (app.services.claims.records).
CLAIM_ENTITY = "claim"
PLACES = Places(county=COUNTY, city=CITY, townships=TOWNSHIPS)
# The moments each claim record keeps, stamped with the simulated time like the workflow rows.
RECORD_TIMES: dict[type, tuple[str, ...]] = {
    Claim: ("created_at", "updated_at", "paid_at"),
    Budget: ("created_at", "updated_at"),
}


def claimants(users: Sequence[Actor], heads: dict[int, int]) -> list[Actor]:
    """Who files claims in the demo: the staff of units with a head (who reviews them, or whose own claims
    skip that step), but not the county leaders, nor anyone who alone holds a role the 报账 flow needs
    later on: nobody approves, pays or books their own claim, so theirs could never be settled."""
    flow = DEFAULT_FLOWS[FLOW_KEY]
    needed = {role for step in flow.steps if step.key != flow.start for role in step.roles} - {ANY_ROLE}
    holders = {role: [a.id for a in users if role in a.roles] for role in needed}
    sole = {ids[0] for ids in holders.values() if len(ids) == 1}
    return [
        a for a in users
        if a.unit_id in heads and a.id not in sole and Role.COUNTY_LEADER.value not in a.roles
    ]


def sample_claim(planner: Planner, flow: Flow) -> Plan:
    """A claim by one of those who file claims, its lines sketched for the office's places."""
    rng = planner.rng
    owner = rng.choice(claimants(planner.org.users, planner.org.heads))
    sketch = sketch_claim(rng, PLACES)
    # Over budget or not is settled for all claims at once, once they are in order (settle).
    # As app.services.claims.records decides it: nobody else in the unit to review (the claimant is its
    # head).
    head = planner.org.heads.get(owner.unit_id) if owner.unit_id is not None else None
    facts = {"amount": sketch.total, "over_budget": False, "no_unit_reviewer": head in (None, owner.id)}
    plan = Plan(flow, CLAIM_ENTITY, sketch.title, facts, owner, owner.unit_id, "", [])
    plan.extra["claim"] = sketch
    return plan


def route_claim(planner: Planner, flow: Flow, plan: Plan, target: str) -> list[Hop] | None:
    """The moves to the target; a claim may be sent back on its way, as real ones are."""
    rng = planner.rng
    sent_back = target == RETURNED or (target == "withdrawn" and rng.random() < 0.4)
    if not sent_back:
        hops = route_to(flow, plan.facts, target)
        return None if hops is None else with_return_loop(flow, plan.facts, hops, rng)
    # Returned by a reviewer: waiting for the claimant, or withdrawn by the claimant afterwards.
    reviewer = rng.choice([s for s in REVIEW_STEPS if s != "principal_approval"])
    hops = route_to(flow, plan.facts, reviewer)
    if hops is None:
        return None
    hops.append(Hop(reviewer, flow.start, "return"))
    if target == "withdrawn":
        hops.append(Hop(flow.start, "withdrawn", "withdraw"))
    return hops


def settle(ctx: AppContext, planner: Planner, plans: Sequence[Plan]) -> None:
    """What the claims need settled all at once, now that they are in the order they will be written:
    the budgets (set now, as the finance staff set them at the start of the year) and so which claims
    are over budget and go to the 主要领导; the voucher numbers; and which claims carry scans."""
    claim_plans = [plan for plan in plans if plan.entity_type == CLAIM_ENTITY]
    if not claim_plans:
        return
    sketches = with_both_advances([plan.extra["claim"] for plan in claim_plans])
    entries = []
    for plan, sketch in zip(claim_plans, sketches, strict=True):
        plan.extra["claim"] = sketch
        actions = {hop.action for hop in plan.hops}
        assert plan.unit_id is not None
        entries.append(
            BudgetEntry(
                unit_id=plan.unit_id, year=local_day(plan.times[0]).year, by_category=sketch.by_category(),
                submitted="submit" in actions, counts_after="submit" in actions and "withdraw" not in actions,
            )
        )
    year = planner.today.year
    budget_plan = plan_budgets(entries, year)
    for plan, over in zip(claim_plans, budget_plan.over, strict=True):
        if over:
            plan.facts["over_budget"] = True
            hops = rerouted(plan.flow, plan.facts, plan.hops)
            plan.times = refit_times(plan.times, len(hops))
            plan.hops = hops

    booked = [
        (plan, local_day(when))
        for plan in claim_plans
        for hop, when in zip(plan.hops, plan.times[1:], strict=True)
        if hop.action == "book"
    ]
    for (plan, _), number in zip(booked, voucher_numbers([day for _, day in booked]), strict=True):
        plan.extra["voucher"] = number

    # Three claims carry scans: the first with a ticket (a picture) and the first two with invoices (PDF).
    submitted = [plan for plan in claim_plans if any(hop.action == "submit" for hop in plan.hops)]
    with_ticket = [plan for plan in submitted if has_ticket(plan.extra["claim"])][:1]
    scanned = with_ticket + [plan for plan in submitted if plan not in with_ticket][:2]
    for plan in sorted(scanned, key=claim_plans.index):
        day = local_day(plan.times[0])
        seed = planner.rng.getrandbits(32)
        plan.extra["receipts"] = receipt_files(plan.extra["claim"], day, OFFICE_NAME, seed)

    if budget_plan.amounts:
        first = date(year, 1, 1)
        while not planner.calendar.is_workday(first):
            first += timedelta(days=1)
        clock = Clock(local_moment(min(first, planner.today), 45).astimezone(UTC))
        listener = stamp(clock, RECORD_TIMES)
        finance = planner.org.with_role(Role.FINANCE)[0]
        with ctx.uow() as uow:
            event.listen(uow.session, "before_flush", listener)
            try:
                for (unit_id, category), amount in sorted(budget_plan.amounts.items()):
                    budgets.set_budget(uow, finance, year=year, unit_id=unit_id, category=category, amount=amount)
            finally:
                event.remove(uow.session, "before_flush", listener)


def _drive_claim(uow: UnitOfWork, planner: Planner, plan: Plan, clock: Clock) -> None:
    run = ClaimRun(
        flow=plan.flow, owner=plan.owner, unit_id=plan.unit_id, sketch=plan.extra["claim"], facts=plan.facts,
        hops=plan.hops, times=plan.times, voucher=str(plan.extra.get("voucher", "")),
        receipts=plan.extra.get("receipts", ()),
    )

    def set_now(moment: datetime) -> None:
        clock.now = moment

    drive_claim(
        uow, run, rng=planner.rng, actor_for=planner.actor_for, set_now=set_now, local_day=local_day
    )


FLOWS: dict[str, FlowDemo] = {
    FLOW_KEY: FlowDemo(
        weight=2, sample=sample_claim, drive=_drive_claim, route=route_claim,
        extra_targets=(RETURNED,), start_variant=RETURNED,
    ),
}
