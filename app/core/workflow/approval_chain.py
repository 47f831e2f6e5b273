"""The 报账 flow as an administrator edits it: an ordered list of approval steps.

An administrator thinks of the flow as a list: who approves, in what order, within how many working
days, and which steps apply only above an amount or when a claim is over budget. This module keeps
that list (ApprovalChain) and compiles it into the engine's Flow, so the engine's checks (an
unreachable step, a path that never ends) judge every edited flow, and the flowchart, the to-do list
and the services read it like any other flow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from app.core.roles import ROLE_LABELS, Role
from app.core.workflow.engine import (
    ANY_ROLE,
    HEADS_UNIT,
    NOT_OWNER,
    OWNER,
    Condition,
    Flow,
    FlowDefinitionError,
    Step,
    TimeLimit,
    Transition,
    roles,
)

FLOW_KEY = "reimbursement"
FLOW_LABEL = "报账流程"

# The handler of a step that the head of the claim's department takes, whatever their role.
UNIT_HEAD = "unit_head"
UNIT_HEAD_LABEL = "本部门负责人"

# Where a step's approval goes when it names no step: the next step of the list.
NEXT_IN_ORDER: str | None = None

StepKind = Literal["review", "pay", "book"]
STEP_KINDS: dict[str, str] = {"review": "审核审批", "pay": "出纳付款", "book": "记账归档"}

FILL_STEP = "fill"
CLOSED_STEP = "closed"
WITHDRAWN_STEP = "withdrawn"
RESERVED_KEYS = frozenset({FILL_STEP, CLOSED_STEP, WITHDRAWN_STEP})

MAX_TIME_LIMIT = 60
MAX_STEPS = 20

OVER_BUDGET = Condition("over_budget", "==", True)
# The unit head's step applies only when someone other than the claimant heads the unit: a head's own
# claim (they would review themselves), or one from a unit with no head set, goes on to the next step,
# and the leaders above still approve it.
HAS_UNIT_REVIEWER = Condition("no_unit_reviewer", "==", False)
NO_UNIT_REVIEWER = Condition("no_unit_reviewer", "==", True)

FIELD_LABELS: dict[str, str] = {
    "amount": "报销金额",
    "over_budget": "超出预算",
    "!over_budget": "未超预算",
    "actor_heads_unit": "本部门负责人",
    "actor_is_owner": "经办人本人",
    # Checked at every step but not drawn on each branch: the engine names it when it refuses.
    "!actor_is_owner": "",
    "no_unit_reviewer": "报销人即部门负责人或部门未设负责人",
    "!no_unit_reviewer": "部门另有负责人",
}

# Roles that may handle a step, in the order the editor offers them.
HANDLERS: tuple[str, ...] = (
    UNIT_HEAD,
    Role.FINANCE.value,
    Role.DEPUTY_DIRECTOR.value,
    Role.DIRECTOR.value,
    Role.COUNTY_LEADER.value,
    Role.CASHIER.value,
    Role.SECRETARY.value,
)


def handler_label(handler: str) -> str:
    if handler == UNIT_HEAD:
        return UNIT_HEAD_LABEL
    try:
        return ROLE_LABELS[Role(handler)]
    except ValueError:
        return handler


@dataclass(frozen=True)
class ChainStep:
    """One step of an administrator's approval list."""

    key: str
    label: str
    kind: StepKind
    handler: str
    time_limit: int
    # The step applies only when the claim is above this amount ...
    min_amount: Decimal | None = None
    # ... or (also) when the claim is over its department's budget. Neither: the step always applies.
    when_over_budget: bool = False
    # Where an approval here goes: a step key, or NEXT_IN_ORDER for the next step of the list.
    next_key: str | None = NEXT_IN_ORDER

    @property
    def conditional(self) -> bool:
        return self.min_amount is not None or self.when_over_budget

    def describe_condition(self) -> str:
        parts = []
        if self.min_amount is not None:
            parts.append(f"金额超过{self.min_amount:,}元")
        if self.when_over_budget:
            parts.append("超出预算")
        text = "或".join(parts)
        if self.handler == UNIT_HEAD:
            # A head's own claim, or one from a unit with no head, passes over this step.
            return f"部门另有负责人且{text}" if text else "部门另有负责人时"
        return text or "始终经过"


@dataclass(frozen=True)
class ApprovalChain:
    """The approval list an administrator edits, compiled into a Flow."""

    steps: tuple[ChainStep, ...]
    fill_time_limit: int = 5

    def step(self, key: str) -> ChainStep:
        for step in self.steps:
            if step.key == key:
                return step
        raise FlowDefinitionError(f"没有“{key}”这个环节")

    def new_key(self) -> str:
        """A key no step of this chain uses, for a step the administrator adds."""
        taken = {s.key for s in self.steps} | RESERVED_KEYS
        n = 1
        while f"step{n}" in taken:
            n += 1
        return f"step{n}"


DEFAULT_THRESHOLD = Decimal("5000")

DEFAULT_CHAIN = ApprovalChain(
    steps=(
        ChainStep("dept_review", "部门负责人审核", "review", UNIT_HEAD, 2),
        ChainStep("finance_review", "财务审核", "review", Role.FINANCE.value, 3),
        ChainStep("leader_approval", "分管领导审批", "review", Role.DEPUTY_DIRECTOR.value, 2),
        ChainStep(
            "principal_approval", "主要领导审批", "review", Role.DIRECTOR.value, 2,
            min_amount=DEFAULT_THRESHOLD, when_over_budget=True,
        ),
        ChainStep("payment", "出纳付款", "pay", Role.CASHIER.value, 3),
        ChainStep("bookkeeping", "记账归档", "book", Role.FINANCE.value, 5),
    ),
    fill_time_limit=5,
)


# ----- checking -------------------------------------------------------------------------------------


def _check_step(index: int, step: ChainStep, keys: set[str]) -> None:
    where = f"第{index + 1}个环节"
    if not step.key or step.key in RESERVED_KEYS:
        raise FlowDefinitionError(f"{where}的内部代码无效", field=f"step:{index}:label")
    if not step.label.strip():
        raise FlowDefinitionError(f"请填写{where}的名称", field=f"step:{index}:label")
    if len(step.label) > 20:
        raise FlowDefinitionError(f"{where}的名称不能超过20个字", field=f"step:{index}:label")
    if step.kind not in STEP_KINDS:
        raise FlowDefinitionError(f"{where}的类型无效", field=f"step:{index}:kind")
    if step.handler not in HANDLERS:
        raise FlowDefinitionError(f"请为“{step.label}”选择办理人", field=f"step:{index}:handler")
    if not isinstance(step.time_limit, int) or not 1 <= step.time_limit <= MAX_TIME_LIMIT:
        raise FlowDefinitionError(
            f"“{step.label}”的办理时限应为1到{MAX_TIME_LIMIT}个工作日", field=f"step:{index}:time_limit"
        )
    if step.min_amount is not None:
        if step.min_amount < 0 or step.min_amount != step.min_amount.quantize(Decimal("0.01")):
            raise FlowDefinitionError(
                f"“{step.label}”的金额条件应为不小于0、最多两位小数的金额", field=f"step:{index}:min_amount"
            )
    if step.kind != "review" and step.conditional:
        raise FlowDefinitionError(f"“{step.label}”是{STEP_KINDS[step.kind]}环节，不能设置经过条件",
                                  field=f"step:{index}:condition")
    if step.next_key is not None:
        if step.kind != "review":
            raise FlowDefinitionError(f"“{step.label}”办完后只能进入下一环节", field=f"step:{index}:next")
        if step.next_key not in keys:
            raise FlowDefinitionError(f"“{step.label}”通过后转到的环节不存在", field=f"step:{index}:next")
        if step.next_key == step.key:
            raise FlowDefinitionError(f"“{step.label}”通过后不能转回自己", field=f"step:{index}:next")


def check_chain(chain: ApprovalChain) -> None:
    """The rules of the list itself; compile_chain then lets the engine judge the paths."""
    if not chain.steps:
        raise FlowDefinitionError("流程至少需要出纳付款和记账归档两个环节", field="steps")
    if len(chain.steps) > MAX_STEPS:
        raise FlowDefinitionError(f"流程最多{MAX_STEPS}个环节", field="steps")
    if not isinstance(chain.fill_time_limit, int) or not 1 <= chain.fill_time_limit <= MAX_TIME_LIMIT:
        raise FlowDefinitionError(f"填报时限应为1到{MAX_TIME_LIMIT}个工作日", field="fill_time_limit")
    keys = [s.key for s in chain.steps]
    labels = [s.label.strip() for s in chain.steps]
    for i, step in enumerate(chain.steps):
        _check_step(i, step, set(keys))
        # A repeat is reported at the later step: most likely the one the administrator just added.
        if step.key in keys[:i]:
            raise FlowDefinitionError(f"环节代码“{step.key}”重复", field=f"step:{i}:label")
        if step.label.strip() in labels[:i]:
            raise FlowDefinitionError(f"环节名称“{step.label.strip()}”重复，请改用不同的名称", field=f"step:{i}:label")
        if step.next_key is not None and step.next_key in keys[:i]:
            # Going on in order from an earlier step leads back here, so every claim sent back would go
            # round for ever; the engine cannot see it when this step applies only above an amount.
            earlier = chain.steps[keys.index(step.next_key)]
            raise FlowDefinitionError(
                f"“{step.label}”通过后不能转回前面的“{earlier.label}”环节，否则报销单会在这几个环节之间循环、永远无法办结；"
                "需要重新审核时请退回经办人",
                field=f"step:{i}:next",
            )
    kinds = [s.kind for s in chain.steps]
    if kinds.count("pay") != 1:
        raise FlowDefinitionError("流程必须有且只有一个出纳付款环节", field="steps")
    if kinds.count("book") != 1:
        raise FlowDefinitionError("流程必须有且只有一个记账归档环节", field="steps")
    pay, book = kinds.index("pay"), kinds.index("book")
    if book != len(kinds) - 1 or pay != len(kinds) - 2:
        raise FlowDefinitionError("出纳付款和记账归档必须是最后两个环节，审核审批环节都在付款之前", field="steps")
    if not any(s.kind == "review" and not _skippable(s) for s in chain.steps):
        raise FlowDefinitionError(
            "至少需要一个始终经过、且不由部门负责人办理的审核审批环节（部门负责人自己的报销单不经本部门审核）",
            field="steps",
        )


# ----- compiling ------------------------------------------------------------------------------------


def _approve_label(step: ChainStep) -> str:
    if step.kind == "pay":
        return "付款"
    if step.kind == "book":
        return "记账归档"
    if "审核" in step.label:
        return "审核同意"
    if "审批" in step.label:
        return "审批同意"
    return "同意"


def _own_conditions(step: ChainStep) -> tuple[Condition, ...]:
    return (HEADS_UNIT, NOT_OWNER) if step.handler == UNIT_HEAD else (NOT_OWNER,)


def _skippable(step: ChainStep) -> bool:
    """Whether the step applies only to some claims: above an amount, over budget, or not a head's own."""
    return step.conditional or step.handler == UNIT_HEAD


def _entry_alternatives(step: ChainStep) -> list[tuple[Condition, ...]]:
    """Each way a step that applies only to some claims is entered."""
    ways: list[tuple[Condition, ...]] = []
    if step.min_amount is not None:
        ways.append((Condition("amount", ">", step.min_amount),))
    if step.when_over_budget:
        ways.append((OVER_BUDGET,))
    if step.handler == UNIT_HEAD:
        ways = [way + (HAS_UNIT_REVIEWER,) for way in ways] or [(HAS_UNIT_REVIEWER,)]
    return ways


def _onward(
    chain: ApprovalChain, start: int, source_key: str, action: str, label: str, guards: tuple[Condition, ...]
) -> list[Transition]:
    """Transitions from ``source_key`` to the first step from ``start`` that applies to the claim.

    The engine takes the first transition whose guards hold, so conditional steps come first and the
    next step that always applies (or the end) closes the list.
    """
    result: list[Transition] = []
    # Passing over a unit head's step that has no other condition means exactly "no other head": said
    # on the later branches so that the flowchart names why a claim skips it.
    passed_over: tuple[Condition, ...] = ()
    for step in chain.steps[start:]:
        if step.key == source_key:
            continue
        if _skippable(step):
            for way in _entry_alternatives(step):
                result.append(Transition(source_key, action, step.key, label, conditions=guards + passed_over + way))
            if step.handler == UNIT_HEAD and not step.conditional and NO_UNIT_REVIEWER not in passed_over:
                passed_over += (NO_UNIT_REVIEWER,)
            continue
        result.append(Transition(source_key, action, step.key, label, conditions=guards + passed_over))
        return result
    result.append(Transition(source_key, action, CLOSED_STEP, label, conditions=guards + passed_over))
    return result


def compile_chain(chain: ApprovalChain, version: int = 1) -> Flow:
    """The engine's Flow for this list; FlowDefinitionError says what is wrong with a broken one."""
    check_chain(chain)
    index = {s.key: i for i, s in enumerate(chain.steps)}
    steps: list[Step] = [Step(FILL_STEP, "经办人填报", roles(ANY_ROLE), TimeLimit(chain.fill_time_limit))]
    transitions: list[Transition] = []
    transitions += _onward(chain, 0, FILL_STEP, "submit", "提交", (OWNER,))
    transitions.append(Transition(FILL_STEP, "withdraw", WITHDRAWN_STEP, "撤销", conditions=(OWNER,), kind="cancel"))
    for i, step in enumerate(chain.steps):
        handler = roles(ANY_ROLE) if step.handler == UNIT_HEAD else roles(step.handler)
        description = step.describe_condition() if step.conditional else ""
        steps.append(Step(step.key, step.label, handler, TimeLimit(step.time_limit), description=description))
        action = {"review": "approve", "pay": "pay", "book": "book"}[step.kind]
        start = index[step.next_key] if step.next_key is not None else i + 1
        onward = _onward(chain, start, step.key, action, _approve_label(step), _own_conditions(step))
        # A payment made is not undone by a step back (撤回); an approval or a submission is.
        transitions += [replace(t, withdrawable=False) for t in onward] if step.kind == "pay" else onward
        if step.kind == "review":
            transitions.append(
                Transition(step.key, "return", FILL_STEP, "退回", conditions=_own_conditions(step), kind="return",
                           requires_opinion=True)
            )
    steps.append(Step(CLOSED_STEP, "已办结", frozenset(), final=True))
    steps.append(Step(WITHDRAWN_STEP, "已撤销", frozenset(), final=True))
    return Flow(
        key=FLOW_KEY,
        label=FLOW_LABEL,
        start=FILL_STEP,
        version=version,
        steps=tuple(steps),
        transitions=tuple(transitions),
        field_labels=dict(FIELD_LABELS),
    )


# ----- storing --------------------------------------------------------------------------------------


def chain_to_dict(chain: ApprovalChain) -> dict[str, Any]:
    return {
        "fill_time_limit": chain.fill_time_limit,
        "steps": [
            {
                "key": s.key,
                "label": s.label,
                "kind": s.kind,
                "handler": s.handler,
                "time_limit": s.time_limit,
                "min_amount": str(s.min_amount) if s.min_amount is not None else None,
                "when_over_budget": s.when_over_budget,
                "next_key": s.next_key,
            }
            for s in chain.steps
        ],
    }


def chain_from_dict(data: Mapping[str, Any]) -> ApprovalChain:
    try:
        steps = tuple(
            ChainStep(
                key=str(s["key"]),
                label=str(s["label"]),
                kind=s["kind"],
                handler=str(s["handler"]),
                time_limit=int(s["time_limit"]),
                min_amount=Decimal(s["min_amount"]) if s.get("min_amount") is not None else None,
                when_over_budget=bool(s.get("when_over_budget", False)),
                next_key=s.get("next_key"),
            )
            for s in data["steps"]
        )
        return ApprovalChain(steps=steps, fill_time_limit=int(data.get("fill_time_limit", 5)))
    except (KeyError, TypeError, ValueError, InvalidOperation) as error:
        raise FlowDefinitionError(f"保存的报账流程无法读取：{error}") from None


def moved(chain: ApprovalChain, index: int, offset: int) -> ApprovalChain:
    """The chain with step ``index`` moved up (-1) or down (+1); unchanged at either end."""
    target = index + offset
    if not 0 <= index < len(chain.steps) or not 0 <= target < len(chain.steps):
        return chain
    steps = list(chain.steps)
    steps[index], steps[target] = steps[target], steps[index]
    return replace(chain, steps=tuple(steps))


def without(chain: ApprovalChain, index: int) -> ApprovalChain:
    """The chain without step ``index``; steps that jumped to it go on in order instead."""
    gone = chain.steps[index].key
    steps = [
        replace(s, next_key=None) if s.next_key == gone else s for i, s in enumerate(chain.steps) if i != index
    ]
    return replace(chain, steps=tuple(steps))
