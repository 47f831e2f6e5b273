"""Declarative workflows: steps, transitions and guards, declared once as data.

One definition drives the service layer (which actions are allowed), the flowchart
(drawn from the same steps and transitions) and the deadline logic (each step's time limit).
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from app.core.errors import PermissionDenied, WorkflowError
from app.core.workflow.actor_facts import ACTOR_FACT_PREFIX, ACTOR_FACTS

if TYPE_CHECKING:
    from app.core.workflow.clocks import Clock
    from app.core.workflow.duties import Duty

ANY_ROLE = "*"
# The unfinished parallel work of the record's step, supplied by the services (app.core.workflow.parallel).
PENDING_WORK_FACT = "pending_work_items"
# The actor drafted or filed the record (flows.py lists the facts guards read).
OWNER_FACT = "actor_is_owner"

TimeUnit = Literal["day", "workday"]
TransitionKind = Literal["forward", "return", "cancel"]

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "in": lambda left, right: left in right,
    "not in": lambda left, right: left not in right,
}

_OPERATOR_WORDS: dict[str, str] = {
    "==": "为",
    "!=": "不为",
    ">": "大于",
    ">=": "不少于",
    "<": "小于",
    "<=": "不超过",
    "in": "属于",
    "not in": "不属于",
}


class FlowDefinitionError(WorkflowError):
    """A flow that cannot work as declared. Raised when it is declared, never while in use."""


@dataclass(frozen=True)
class TimeLimit:
    """How long a step may take, in days or working days."""

    amount: int
    unit: TimeUnit = "workday"

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise FlowDefinitionError("办理时限不能为负数")
        if self.unit not in ("day", "workday"):
            raise FlowDefinitionError(f"办理时限的单位只能是“日”或“工作日”，不能是“{self.unit}”")

    def describe(self) -> str:
        return f"{self.amount}个{'工作日' if self.unit == 'workday' else '日'}"


@dataclass(frozen=True)
class Condition:
    """A guard on facts of the record or the actor, e.g. amount > 5000."""

    field: str
    op: str
    value: Any

    def __post_init__(self) -> None:
        if self.op not in _OPERATORS:
            raise FlowDefinitionError(f"条件运算符“{self.op}”无效")

    def holds(self, context: Mapping[str, Any]) -> bool:
        if self.field not in context:
            return False
        left = context[self.field]
        right = self.value
        if isinstance(left, Decimal) and isinstance(right, (int, float, str)) and not isinstance(right, bool):
            right = Decimal(str(right))
        try:
            return bool(_OPERATORS[self.op](left, right))
        except TypeError:
            return False

    def describe(self, labels: Mapping[str, str]) -> str:
        name = labels.get(self.field, self.field)
        value = self.value
        if isinstance(value, bool):
            if value == (self.op == "=="):
                return name
            # A flow may name the negation itself ("!has_cosigners": 无会签单位); 非… is the fallback.
            return labels.get(f"!{self.field}", f"非{name}")
        if isinstance(value, Decimal):
            value = f"{value:,}"
        return f"{name}{_OPERATOR_WORDS[self.op]}{value}"


# Guards on who acts, shared by every flow (flows.py lists the facts the services supply).
OWNER = Condition(OWNER_FACT, "==", True)
# 不相容职务分离: someone other than whoever drafted or filed the record.
NOT_OWNER = Condition(OWNER_FACT, "==", False)
HEADS_UNIT = Condition("actor_heads_unit", "==", True)
PRINCIPAL = Condition("actor_is_principal", "==", True)


@dataclass(frozen=True)
class Predicate:
    """A named check in code, for guards that a comparison cannot say (e.g. a body file is attached)."""

    label: str
    check: Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Step:
    """One step of a flow: who acts there and how long it may take."""

    key: str
    label: str
    roles: frozenset[str]
    time_limit: TimeLimit | None = None
    final: bool = False
    description: str = ""


@dataclass(frozen=True)
class Transition:
    """A move from one step to another, who may make it and on what conditions."""

    source: str
    action: str
    target: str
    label: str
    # None means whoever may act at the source step.
    roles: frozenset[str] | None = None
    conditions: tuple[Condition, ...] = ()
    predicates: tuple[str, ...] = ()
    kind: TransitionKind = "forward"
    requires_opinion: bool = False
    # Parallel work this move waits for (app.core.workflow.parallel): every item of the step ("all"), or
    # the 主办's ("lead"); "" for none.
    waits_for: Literal["", "all", "lead"] = ""
    # 撤回: whether the mover may take this move back before the next handler opens or acts on it. None: as
    # its kind says (a forward move may be, a return or cancellation may not). False where the move does
    # what a plain step back cannot undo (a number assigned, a signature, copies sent).
    withdrawable: bool | None = None

    def may_withdraw(self, flow: Flow) -> bool:
        if flow.step(self.target).final:
            return False
        return self.withdrawable if self.withdrawable is not None else self.kind == "forward"

    def allowed_roles(self, flow: Flow) -> frozenset[str]:
        return self.roles if self.roles is not None else flow.step(self.source).roles

    def role_matches(self, flow: Flow, roles: Iterable[str]) -> bool:
        allowed = self.allowed_roles(flow)
        return ANY_ROLE in allowed or bool(allowed.intersection(roles))

    def guards_hold(self, flow: Flow, context: Mapping[str, Any]) -> bool:
        return self.conditions_hold(flow, context) and self.work_done(context)

    def conditions_hold(self, flow: Flow, context: Mapping[str, Any]) -> bool:
        """The guards on facts of the record and the actor, the parallel work left aside."""
        return all(c.holds(context) for c in self.conditions) and all(
            flow.predicates[name].check(context) for name in self.predicates
        )

    def work_done(self, context: Mapping[str, Any]) -> bool:
        """Whether the parallel work this move waits for is done; without the fact, it is not known to be."""
        if not self.waits_for:
            return True
        from app.core.workflow.parallel import waiting_on

        pending = context.get(PENDING_WORK_FACT)
        return pending is not None and not waiting_on(self.waits_for, pending)

    def actor_guards_hold(self, context: Mapping[str, Any]) -> bool:
        return all(c.holds(context) for c in self.conditions if c.field.startswith(ACTOR_FACT_PREFIX))

    def describe_actor_guard(self, flow: Flow) -> str:
        parts = [c.describe(flow.field_labels) for c in self.conditions if c.field.startswith(ACTOR_FACT_PREFIX)]
        return "且".join(p for p in parts if p)

    def describe_guard(self, flow: Flow) -> str:
        # A condition labelled "" is a house rule every step shares (not one's own record): it would only
        # clutter each branch of a flowchart, so it is checked but not drawn.
        parts = [c.describe(flow.field_labels) for c in self.conditions]
        parts += [flow.predicates[name].label for name in self.predicates]
        if self.waits_for:
            from app.core.workflow.parallel import describe_wait

            parts.append(describe_wait(self.waits_for))
        return "且".join(p for p in parts if p)


@dataclass(frozen=True)
class Flow:
    """A whole flow: its steps and transitions, checked when it is built."""

    key: str
    label: str
    steps: tuple[Step, ...]
    transitions: tuple[Transition, ...]
    start: str
    version: int = 1
    field_labels: Mapping[str, str] = field(default_factory=dict)
    predicates: Mapping[str, Predicate] = field(default_factory=dict)
    # Time limits over a stretch of steps (app.core.workflow.clocks), beside each step's own.
    clocks: tuple[Clock, ...] = ()
    # Reports due on a rhythm over a stretch of steps (app.core.workflow.duties).
    duties: tuple[Duty, ...] = ()

    def __post_init__(self) -> None:
        self._validate()

    # ----- lookups -------------------------------------------------------------------
    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise WorkflowError(f"流程“{self.label}”中没有“{key}”环节")

    def clock(self, key: str) -> Clock:
        for clock in self.clocks:
            if clock.key == key:
                return clock
        raise WorkflowError(f"流程“{self.label}”中没有“{key}”时限")

    def has_step(self, key: str) -> bool:
        return any(step.key == key for step in self.steps)

    def transitions_from(self, key: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.source == key)

    def names_handler(self, key: str) -> bool:
        """Whether a move into this step may name the person who acts there (送曹县长签发): any step but a
        final one and one where only the record's owner acts."""
        step = self.step(key)
        moves = self.transitions_from(key)
        return not step.final and bool(moves) and not all(OWNER in t.conditions for t in moves)

    def final_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.final)

    def steps_for_roles(self, roles: Iterable[str]) -> tuple[Step, ...]:
        """Steps at which a holder of any of these roles may act: the base of the to-do list."""
        wanted = set(roles)
        result = []
        for step in self.steps:
            if step.final:
                continue
            actors: set[str] = set()
            for t in self.transitions_from(step.key):
                actors |= t.allowed_roles(self)
            if ANY_ROLE in actors or actors & wanted:
                result.append(step)
        return tuple(result)

    # ----- deciding --------------------------------------------------------------------
    def available(
        self, step_key: str, roles: Iterable[str], context: Mapping[str, Any] | None = None
    ) -> list[Transition]:
        """The actions this actor may take now, one per action, in declaration order."""
        role_set = set(roles)
        facts = context or {}
        seen: set[str] = set()
        result: list[Transition] = []
        for t in self.transitions_from(step_key):
            if t.action in seen:
                continue
            if t.role_matches(self, role_set) and t.guards_hold(self, facts):
                seen.add(t.action)
                result.append(t)
        return result

    def resolve(
        self,
        step_key: str,
        action: str,
        roles: Iterable[str],
        context: Mapping[str, Any] | None = None,
        opinion: str | None = "",
    ) -> Transition:
        """The transition this action takes, or a clear refusal saying why."""
        step = self.step(step_key)
        facts = context or {}
        role_set = set(roles)
        candidates = [t for t in self.transitions_from(step_key) if t.action == action]
        if not candidates:
            raise WorkflowError(f"“{step.label}”环节不能执行“{action}”操作")
        by_role = [t for t in candidates if t.role_matches(self, role_set)]
        if not by_role:
            allowed: set[str] = set()
            for t in candidates:
                allowed |= t.allowed_roles(self)
            raise PermissionDenied(
                f"只有{_role_words(allowed)}可以在“{step.label}”环节{candidates[0].label}"
            )
        for t in by_role:
            if t.guards_hold(self, facts):
                # None: only whether the actor may act is asked; the opinion is judged later.
                if t.requires_opinion and opinion is not None and not opinion.strip():
                    raise WorkflowError(f"{t.label}时必须填写意见或理由", field="opinion")
                return t
        if not any(t.actor_guards_hold(facts) for t in by_role):
            # Who the actor is (the owner, the unit's head) is a question of permission, not of the record.
            if facts.get(OWNER_FACT) and any(t.actor_guards_hold({**facts, OWNER_FACT: False}) for t in by_role):
                raise PermissionDenied(
                    f"不能在“{step.label}”环节{by_role[0].label}自己经办的事项，请由其他有权限的人员办理"
                )
            who = "或".join(dict.fromkeys(w for t in by_role if (w := t.describe_actor_guard(self))))
            raise PermissionDenied(f"只有{who or '有权限的人员'}可以在“{step.label}”环节{by_role[0].label}")
        waiting = [t for t in by_role if t.conditions_hold(self, facts) and not t.work_done(facts)]
        pending = facts.get(PENDING_WORK_FACT)
        if waiting and pending is not None:
            # Only the parallel work holds the move back: say who has not finished.
            from app.core.workflow.parallel import describe_waiting

            raise WorkflowError(f"暂不能{waiting[0].label}：{describe_waiting(waiting[0].waits_for, pending)}")
        reasons = "；或".join(t.describe_guard(self) for t in by_role if t.describe_guard(self))
        raise WorkflowError(f"当前不满足“{by_role[0].label}”的条件：{reasons}")

    # ----- checking the declaration -------------------------------------------------------
    def _validate(self) -> None:
        keys = [s.key for s in self.steps]
        if not keys:
            raise FlowDefinitionError(f"流程“{self.label}”没有任何环节")
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            raise FlowDefinitionError(f"流程“{self.label}”的环节重复：{'、'.join(sorted(duplicates))}")
        known = set(keys)
        if self.start not in known:
            raise FlowDefinitionError(f"流程“{self.label}”的起始环节“{self.start}”不存在")
        for t in self.transitions:
            for end in (t.source, t.target):
                if end not in known:
                    raise FlowDefinitionError(
                        f"流程“{self.label}”的操作“{t.label}”指向不存在的环节“{end}”"
                    )
            for name in t.predicates:
                if name not in self.predicates:
                    raise FlowDefinitionError(f"流程“{self.label}”引用了未定义的条件“{name}”")
            if self.step(t.source).final:
                raise FlowDefinitionError(f"流程“{self.label}”的结束环节“{self.step(t.source).label}”不能再有后续操作")
            if t.roles is not None and not t.roles:
                raise FlowDefinitionError(f"流程“{self.label}”的操作“{t.label}”没有指定办理角色")
            for c in t.conditions:
                self._check_actor_condition(t, c)
        for s in self.steps:
            if not s.final and not s.roles and all(t.roles is None for t in self.transitions_from(s.key)):
                raise FlowDefinitionError(f"流程“{self.label}”的环节“{s.label}”没有指定办理角色")
        if not self.final_steps():
            raise FlowDefinitionError(f"流程“{self.label}”没有结束环节")
        if self.clocks:
            from app.core.workflow.clocks import check_clocks

            check_clocks(self.label, keys, self.clocks)
        for t in self.transitions:
            if t.waits_for not in ("", "all", "lead"):
                raise FlowDefinitionError(f"流程“{self.label}”的操作“{t.label}”等待的并行事项只能是“all”或“lead”")
        if self.duties:
            from app.core.workflow.duties import check_duties

            check_duties(self.label, keys, [s.key for s in self.final_steps()], self.duties)

        reachable = _closure({self.start}, {(t.source, t.target) for t in self.transitions})
        reverse = {(t.target, t.source) for t in self.transitions}
        can_finish = _closure({s.key for s in self.final_steps()}, reverse)
        problems = []
        unreachable = [s.label for s in self.steps if s.key not in reachable]
        if unreachable:
            problems.append(f"无法到达的环节：{'、'.join(unreachable)}")
        # A step that cannot be reached says nothing about the paths users take, so only reached ones count.
        endless = [s.label for s in self.steps if s.key not in can_finish and s.key in reachable]
        if endless:
            problems.append(f"这些环节之后永远无法办结：{'、'.join(endless)}")
        if problems:
            raise FlowDefinitionError(f"流程“{self.label}”中{'；'.join(problems)}")


    def _check_actor_condition(self, t: Transition, c: Condition) -> None:
        """A guard on who acts must name a registered fact, as 是/否: the 工作台 must be able to ask it in SQL."""
        if not c.field.startswith(ACTOR_FACT_PREFIX):
            return
        if c.field not in ACTOR_FACTS:
            raise FlowDefinitionError(
                f"流程“{self.label}”的操作“{t.label}”使用了未登记的办理人条件“{c.field}”，"
                f"可用的办理人条件有：{'、'.join(f.label for f in ACTOR_FACTS.values())}"
            )
        if c.op not in ("==", "!=") or not isinstance(c.value, bool):
            raise FlowDefinitionError(
                f"流程“{self.label}”的操作“{t.label}”中，办理人条件“{ACTOR_FACTS[c.field].label}”只能判断“是”或“否”"
            )


def _closure(seeds: set[str], edges: set[tuple[str, str]]) -> set[str]:
    found = set(seeds)
    queue = deque(seeds)
    while queue:
        node = queue.popleft()
        for source, target in edges:
            if source == node and target not in found:
                found.add(target)
                queue.append(target)
    return found


def _role_words(roles: Iterable[str]) -> str:
    from app.core.roles import ROLE_LABELS, Role

    labels = []
    for code in sorted(roles):
        if code == ANY_ROLE:
            labels.append("任何用户")
            continue
        try:
            labels.append(ROLE_LABELS[Role(code)])
        except ValueError:
            labels.append(code)
    return "、".join(labels)


def roles(*codes: str) -> frozenset[str]:
    return frozenset(codes)
