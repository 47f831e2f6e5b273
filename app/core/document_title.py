"""Breaking a 公文's title into lines by meaning (GB/T 9704-2012 §7.3.1: "回行时，要做到词意完整，排列对称，
长短适宜，间距恰当，标题排列应当使用梯形或菱形").

A pure rule: the caller says how wide a piece of text is and how wide a line may be; this module says where the
lines break. It never breaks inside a number, a Latin word, a bracketed part or the issuing organ's name (the
text before 关于), and it breaks only at places a reader takes as the edge of a phrase:

- before 关于, that is after the organ's name (best);
- before a conjunction (和, 及, 与, 暨), after a pause mark (、，；);
- after a word of a small lexicon of the words titles are made of (工作, 期间, 项目 …), after "2027年";
- before the 文种 when no 的 joins it to what precedes (…资金 / 请示 is never made: 的请示 stays whole).

A line never ends with 关于, 的, 和, 及, 与, 对, 在 or an opening bracket, and never starts with 的 or a closing
mark. Among the breaks that fit, the shape is 梯形 (each line no longer than the one below) or 菱形 (the middle
line longest), as balanced as possible; only when no such break fits is a line cut between any two Chinese
characters outside the protected parts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

DOC_TYPES: tuple[str, ...] = (
    "实施意见", "意见", "通知", "通报", "请示", "报告", "批复", "函", "纪要", "决定", "公告", "通告", "决议",
    "命令", "令", "公报", "议案", "方案", "办法", "规定",
)  # fmt: skip

# Words titles are made of; a line may end after any of them. Longer words first, so that 专项资金 wins over 资金.
TITLE_WORDS: tuple[str, ...] = tuple(sorted((
    "工作", "期间", "项目", "专项资金", "资金", "方案", "办法", "规定", "意见", "制度", "管理", "改造", "计划",
    "情况", "问题", "活动", "安排", "建设", "发展", "实施", "做好", "加强", "进一步", "开展", "印发", "转发",
    "申请", "组织", "落实", "推进", "元旦春节", "春节", "节日期间", "节日", "安全生产", "农村公路", "提质改造", "整治",
    "检查", "专项", "行动", "考核", "评估", "试点", "改革", "机制", "体系", "任务", "责任", "目标", "措施",
    "调整", "设立", "成立", "公布", "表彰", "通报", "批复", "同意", "领导小组", "人员", "名单", "标准",
    "疫情防控", "防汛", "抗旱", "森林防火", "乡村振兴", "营商环境", "重点", "年度", "部署",
), key=len, reverse=True))  # fmt: skip

CONJUNCTIONS = "和及与暨"
PAUSES = "、，；："
# A line may not end with these (the phrase they open is on the next line).
NO_LINE_END: tuple[str, ...] = ("关于", "的", "和", "及", "与", "暨", "对", "在", "为", "（", "《", "〔", "“")
# A line may not start with these.
NO_LINE_START = "的）》〕”、，；：。"

_PROTECTED = re.compile(r"[0-9A-Za-z.%]+|（[^）]*）|〔[^〕]*〕")
# A quoted title (《…》, “…”) is broken only when it is too long for a line, and then by its own words.
_QUOTED = re.compile(r"《[^》]*》|“[^”]*”")

BEST, GOOD, FAIR, POOR, LAST_RESORT = 0, 1, 2, 4, 12


@dataclass(frozen=True)
class _Break:
    index: int  # the next line starts at text[index]
    penalty: int


def break_points(title: str) -> list[_Break]:
    """Where the title may break, each with how much worse than the best break it reads."""
    protected: set[int] = set()  # indexes i such that a break before text[i] cuts a protected part
    for match in _PROTECTED.finditer(title):
        protected.update(range(match.start() + 1, match.end()))
    quoted: set[int] = set()
    for match in _QUOTED.finditer(title):
        quoted.update(range(match.start() + 1, match.end()))
    about = title.find("关于")
    if about > 0:
        # The organ's name: breakable only between joint organs (separated by a space or 、).
        protected.update(i for i in range(1, about) if title[i - 1] not in " 、" and title[i] != " ")

    found: dict[int, int] = {}

    def offer(index: int, penalty: int) -> None:
        if 0 < index < len(title) and index not in protected and _legal(title, index):
            penalty += POOR if index in quoted else 0
            found[index] = min(penalty, found.get(index, penalty))

    for match in re.finditer("关于", title):
        offer(match.start(), BEST)
    for i, char in enumerate(title):
        if char in CONJUNCTIONS:
            offer(i, GOOD)
        if char in PAUSES or char == " ":
            offer(i + 1, GOOD)
        if char == "年" and i and title[i - 1].isdigit():
            offer(i + 1, FAIR)
    i = 0
    while i < len(title):
        word = next((w for w in TITLE_WORDS if title.startswith(w, i)), None)
        if word:
            offer(i + len(word), FAIR)
            i += len(word)
        else:
            i += 1
    for doc_type in DOC_TYPES:
        if title.endswith(doc_type):
            offer(len(title) - len(doc_type), FAIR)
            break
    # The last resort: between any two Chinese characters outside the protected parts.
    for index in range(1, len(title)):
        if _is_han(title[index - 1]) and _is_han(title[index]):
            offer(index, LAST_RESORT)
    return [_Break(index, penalty) for index, penalty in sorted(found.items())]


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _legal(title: str, index: int) -> bool:
    before, after = title[:index], title[index:]
    if after.lstrip()[:1] in tuple(NO_LINE_START) or not before.strip() or not after.strip():
        return False
    return not before.rstrip().endswith(NO_LINE_END)


def _shape_fault(widths: Sequence[float], tolerance: float) -> float:
    """0 for a 梯形 (no line longer than the one below) or a 菱形 (rising to a longest line, then falling);
    else how far the lines stray from the better of the two."""
    trapezoid = sum(max(0.0, a - b - tolerance) for a, b in itertools.pairwise(widths))
    peak = max(range(len(widths)), key=lambda k: widths[k])
    rising = sum(max(0.0, a - b - tolerance) for a, b in itertools.pairwise(widths[: peak + 1]))
    falling = sum(max(0.0, b - a - tolerance) for a, b in itertools.pairwise(widths[peak:]))
    diamond = rising + falling if 0 < peak < len(widths) - 1 else float("inf")
    return min(trapezoid, diamond)


def break_title(title: str, width_of: Callable[[str], float], max_width: float, max_lines: int = 4) -> list[str]:
    """The title's lines: as few as fit in max_width, broken where the meaning allows, in 梯形 or 菱形 shape.

    width_of gives a piece of text's printed width (the caller's font and size); a title that fits on one
    line stays on one line.
    """
    title = " ".join(title.split())
    if not title or width_of(title) <= max_width:
        return [title] if title else []
    points = break_points(title)
    one_char = width_of("国")
    fallbacks: list[tuple[tuple[bool, bool, int, float], list[str]]] = []
    for count in range(2, max_lines + 1):
        best: tuple[tuple[bool, bool, int, float], list[str]] | None = None
        for chosen in itertools.combinations(points, count - 1):
            cuts = [0, *(b.index for b in chosen), len(title)]
            lines = [title[a:b].strip() for a, b in itertools.pairwise(cuts)]
            widths = [width_of(line) for line in lines]
            if max(widths) > max_width:
                continue
            # Half a character does not spoil a shape.
            shape = _shape_fault(widths, 0.5 * one_char) / one_char
            spread = (max(widths) - min(widths)) / one_char
            cut_word = any(b.penalty >= LAST_RESORT for b in chosen)
            key = (shape > 0, cut_word, count, sum(b.penalty for b in chosen) * 3 + shape * 4 + spread * 0.5)
            if best is None or key < best[0]:
                best = (key, lines)
        if best is not None:
            if not best[0][0] and not best[0][1]:
                return best[1]
            fallbacks.append(best)
    # No count of lines gives a 梯形 or 菱形 broken only between words: the fewest lines that keep words whole,
    # else the best of what fits.
    if fallbacks:
        whole = [f for f in fallbacks if not f[0][1]]
        return min(whole or fallbacks, key=lambda f: (f[0][1], f[0][2], f[0][0], f[0][3]))[1]
    return _greedy(title, width_of, max_width)


def _greedy(title: str, width_of: Callable[[str], float], max_width: float) -> list[str]:
    lines: list[str] = []
    rest = title
    while rest and width_of(rest) > max_width:
        fitting = [b.index for b in break_points(rest) if width_of(rest[: b.index]) <= max_width]
        cut = (
            max(fitting)
            if fitting
            else max((k for k in range(1, len(rest)) if width_of(rest[:k]) <= max_width), default=1)
        )
        lines.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        lines.append(rest)
    return lines
