"""What 信访's printed forms take: plain frozen dataclasses that the loaders fill from the services (never ORM
objects). The petitioner's particulars arrive as the printing user may read them (masked unless they handle
petitions): the forms print what they are given.

Each refuses, with a Chinese message naming what to fix, what would print a wrong form: a case without a
number or a request, a 处理意见书 that is not yet signed or whose decision is not one of the three, a 交办单
without its unit or whose 办理期限 comes before the assignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.core.errors import ValidationError
from app.core.petitions.terms import DECISIONS, INITIAL, RE_REVIEW, REVIEW, STAGE_LABELS

# What each stage's reply is called on paper (《信访工作条例》第三十二、三十五条).
OPINION_TITLES: dict[str, str] = {INITIAL: "信访事项处理意见书", REVIEW: "信访事项复查意见书",
                                  RE_REVIEW: "信访事项复核意见书"}


def _required(value: str, message: str, field: str) -> None:
    if not value.strip():
        raise ValidationError(message, field=field)


@dataclass(frozen=True)
class Person:
    """The petitioner or a representative, as the printing user may read them."""

    name: str
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Handling:
    """One entry of the case's history as the 登记表's 拟办意见/受理情况 prints it: what was done, by whom, when,
    with the opinion written then."""

    action: str
    by: str
    on: date
    opinion: str = ""


@dataclass(frozen=True)
class CaseFacts:
    """The case as every form heads it."""

    office_name: str
    number: str
    stage: str
    received_on: date
    channel: str
    petitioner: Person
    request: str
    address: str = ""
    people_count: int = 1
    facts: str = ""
    category: str = ""
    place: str = ""

    def __post_init__(self) -> None:
        _required(self.number, "信访件缺少编号，不能打印", "number")
        _required(self.petitioner.name, f"信访件{self.number}缺少信访人姓名，不能打印", "name")
        _required(self.request, f"信访件{self.number}缺少信访诉求，不能打印", "request")
        if self.stage not in STAGE_LABELS:
            raise ValidationError(f"未知的信访件类型“{self.stage}”", field="stage")

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]


# ----- 信访登记表 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterSheet:
    """信访登记表: the registration as typed, the representatives of a group visit, who registered it, what was
    done with it so far, and the earlier cases it repeats."""

    case: CaseFacts
    registered_by: str
    printed_on: date
    representatives: Sequence[Person] = ()
    handling: Sequence[Handling] = ()
    is_repeat: bool = False
    repeats: Sequence[str] = ()  # the earlier cases' numbers
    # The particulars are masked (the printing user does not handle petitions): the form says so.
    masked: bool = False
    # A 复查/复核's case it reviews.
    reviews_number: str = ""

    def __post_init__(self) -> None:
        if self.repeats and not self.is_repeat:
            raise ValidationError("登记表列出了重复的信访件，却未标记为重复信访", field="repeats")
        object.__setattr__(self, "representatives", tuple(self.representatives))
        object.__setattr__(self, "handling", tuple(self.handling))
        object.__setattr__(self, "repeats", tuple(self.repeats))


# ----- 交办单 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentSlip:
    """交办单: the case sent to the unit that answers for it, with its task, its 办理期限 and the 5 working days in
    which the unit may dispute the assignment."""

    case: CaseFacts
    unit: str
    task: str
    assigned_on: date
    due: date
    objection_by: date
    # The extension granted on the 办理 clock, if any (the slip is printed again after it).
    extension: str = ""

    def __post_init__(self) -> None:
        _required(self.unit, "交办单缺少承办单位", "unit")
        _required(self.task, "交办单缺少交办任务", "task")
        if self.due < self.assigned_on:
            raise ValidationError("办理期限不能早于交办日期", field="due")
        if self.objection_by < self.assigned_on:
            raise ValidationError("异议期限不能早于交办日期", field="objection_by")


# ----- 处理意见书 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpinionLetter:
    """处理意见书 (复查意见书, 复核意见书): addressed to the petitioner; the request, the facts found, the decision
    and its basis, and what the petitioner may do next."""

    case: CaseFacts
    findings: str
    decision: str
    basis: str
    replied_on: date | None
    # The case a 复查 reviews, or the 复查 a 复核 reviews (its number), for the opening sentence.
    reviews_number: str = ""

    def __post_init__(self) -> None:
        number = self.case.number
        if self.replied_on is None:
            raise ValidationError(
                f"信访件{number}的处理意见尚未审核签发，不能打印{self.title}，请在审核通过后再打印", field="replied_on")
        _required(self.findings, f"信访件{number}的处理意见没有写明查明的事实，不能打印", "findings")
        _required(self.basis, f"信访件{number}的处理意见没有写明依据，不能打印", "basis")
        if self.decision not in DECISIONS:
            raise ValidationError(f"处理意见只能是{'、'.join(DECISIONS)}，信访件{number}是“{self.decision}”",
                                  field="decision")

    @property
    def title(self) -> str:
        return OPINION_TITLES[self.case.stage]


# ----- 信访台账 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One case of the ledger, as the list shows it (the phone masked unless the reader handles petitions)."""

    serial: int
    number: str
    received_on: date
    channel: str
    name: str
    phone: str
    request: str
    category: str
    place: str
    unit: str
    state: str
    decision: str = ""
    is_repeat: bool = False

    def __post_init__(self) -> None:
        if not self.number.strip():
            raise ValidationError(f"台账第{self.serial}行缺少编号", field="rows")
        if not self.state.strip():
            raise ValidationError(f"台账第{self.serial}行缺少办理状态", field="rows")


@dataclass(frozen=True)
class LedgerTotals:
    cases: int
    people: int
    repeats: int
    closed: int
    by_decision: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class LedgerSheet:
    """信访台账: the cases a period (or a list's filters) selects, oldest first, with its totals."""

    office_name: str
    period: str  # e.g. 2026年第四季度
    printed_on: date
    rows: Sequence[LedgerRow] = ()
    # The people each case counts (a group visit counts its people), by serial.
    people: Sequence[int] = ()
    closed: Sequence[bool] = ()
    masked: bool = False

    def __post_init__(self) -> None:
        serials = [row.serial for row in self.rows]
        if len(set(serials)) != len(serials):
            raise ValidationError("台账中有重复的序号，请按列表顺序重新编号", field="rows")
        for name in ("rows", "people", "closed"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.people and len(self.people) != len(self.rows):
            raise ValidationError("台账的人数与行数不一致", field="people")
        if self.closed and len(self.closed) != len(self.rows):
            raise ValidationError("台账的办结情况与行数不一致", field="closed")

    @property
    def totals(self) -> LedgerTotals:
        decisions = [(d, sum(1 for row in self.rows if row.decision == d)) for d in DECISIONS]
        return LedgerTotals(
            cases=len(self.rows), people=sum(self.people) if self.people else len(self.rows),
            repeats=sum(1 for row in self.rows if row.is_repeat), closed=sum(1 for c in self.closed if c),
            by_decision=tuple(decisions),
        )
