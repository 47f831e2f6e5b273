"""The words of 信访 work (DOMAIN.md §4): the channels a petition comes by, the decisions a reply gives, how a
follow-up visit is made and what it found, and what an unsatisfied petitioner's case becomes."""

from __future__ import annotations

from app.core.errors import ValidationError

# 信访方式, each with the ways it comes in: 来访 includes the Monday 领导大接访, 来电 the 24365 line, 网上信访 the
# 县长信箱 and 网上咨询.
CHANNELS: dict[str, tuple[str, ...]] = {
    "来信": ("",),
    "来访": ("", "领导大接访"),
    "来电": ("", "24365热线"),
    "网上信访": ("", "县长信箱", "网上咨询"),
    "传真": ("",),
}
LEADER_RECEPTION = "领导大接访"
# The representatives a group visit names (《信访工作条例》第十八条: 不超过5人).
MAX_REPRESENTATIVES = 5
MAX_PEOPLE = 10_000

# 处理意见书's decision (《信访工作条例》第三十二条).
DECISIONS: tuple[str, ...] = ("支持", "解释说明", "不予支持")
SATISFACTION: tuple[str, ...] = ("满意", "基本满意", "不满意")
UNSATISFIED = "不满意"
VISIT_METHODS: tuple[str, ...] = ("电话回访", "上门回访", "当面回访", "短信回访")
# What 不满意 makes of a case, as the office chooses: handled again by its responsible person, or raised to a
# leader of the office (提级办理) who answers for it from then on.
REOPEN, ESCALATE = "reopen", "escalate"
UNSATISFIED_ACTIONS: dict[str, str] = {REOPEN: "重新办理", ESCALATE: "提级办理"}

# The categories the office's ledger uses; a category outside the list may be typed (the list is a help).
CATEGORIES: tuple[str, ...] = (
    "城乡建设", "商品房两证办理", "征地拆迁", "农村农业", "劳动和社会保障", "复员退伍军人就业", "教育", "卫生健康",
    "交通运输", "自然资源", "生态环境", "民政", "市场监管", "政法", "其他",
)

# Stages of one matter: the petition, its 复查, its 复核 (《信访工作条例》第三十五条).
INITIAL, REVIEW, RE_REVIEW = "initial", "review", "re_review"
STAGE_LABELS: dict[str, str] = {INITIAL: "信访件", REVIEW: "复查", RE_REVIEW: "复核"}
# The number's mark per stage: 信〔2026〕15号, 复查〔2026〕3号, 复核〔2026〕1号.
STAGE_MARKS: dict[str, str] = {INITIAL: "信", REVIEW: "复查", RE_REVIEW: "复核"}
NEXT_STAGE: dict[str, str] = {INITIAL: REVIEW, REVIEW: RE_REVIEW}


def channel_of(channel: str, detail: str = "") -> tuple[str, str]:
    """The channel and its way in, checked; a refusal names the ones there are."""
    channel, detail = channel.strip(), detail.strip()
    if channel not in CHANNELS:
        raise ValidationError(f"信访方式只能是{'、'.join(CHANNELS)}", field="channel")
    if detail not in CHANNELS[channel]:
        ways = "、".join(d for d in CHANNELS[channel] if d)
        raise ValidationError(
            f"{channel}没有“{detail}”这种途径" + (f"，可选：{ways}" if ways else ""), field="channel_detail"
        )
    return channel, detail


def decision_of(decision: str) -> str:
    if decision.strip() not in DECISIONS:
        raise ValidationError(f"处理意见只能是{'、'.join(DECISIONS)}", field="decision")
    return decision.strip()


def satisfaction_of(value: str) -> str:
    if value.strip() not in SATISFACTION:
        raise ValidationError(f"回访满意度只能是{'、'.join(SATISFACTION)}", field="satisfaction")
    return value.strip()


def format_number(stage: str, year: int, seq: int) -> str:
    return f"{STAGE_MARKS[stage]}〔{year}〕{seq}号"
