"""The declarative flow engine: declaration checks, guards, branches and refusals."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.core.areas.claims import REIMBURSEMENT
from app.core.areas.documents import INCOMING_DOCUMENT, OUTGOING_DOCUMENT
from app.core.errors import PermissionDenied, WorkflowError
from app.core.roles import Role
from app.core.workflow import (
    DEFAULT_FLOWS,
    Condition,
    Flow,
    FlowDefinitionError,
    Predicate,
    Step,
    TimeLimit,
    Transition,
    flow_from_dict,
    flow_to_dict,
    roles,
)

A, B = Role.SECRETARY.value, Role.DIRECTOR.value


def tiny(**changes: object) -> Flow:
    spec: dict[str, object] = {
        "key": "t",
        "label": "测试流程",
        "start": "a",
        "steps": (Step("a", "起草", roles(A)), Step("b", "审核", roles(B)), Step("z", "结束", frozenset(), final=True)),
        "transitions": (Transition("a", "go", "b", "送审"), Transition("b", "ok", "z", "同意")),
    }
    spec.update(changes)
    return Flow(**spec)  # type: ignore[arg-type]


def test_default_flows_are_valid_and_round_trip_through_json() -> None:
    for flow in DEFAULT_FLOWS.values():
        again = flow_from_dict(json.loads(json.dumps(flow_to_dict(flow))), flow.predicates)
        assert again == flow


def test_transition_to_unknown_step_fails_at_declaration() -> None:
    with pytest.raises(FlowDefinitionError, match="不存在的环节“nowhere”"):
        tiny(transitions=(Transition("a", "go", "nowhere", "送审"), Transition("b", "ok", "z", "同意")))


def test_unreachable_step_fails_at_declaration() -> None:
    steps = (
        Step("a", "起草", roles(A)),
        Step("b", "审核", roles(B)),
        Step("orphan", "孤立环节", roles(B)),
        Step("z", "结束", frozenset(), final=True),
    )
    transitions = (
        Transition("a", "go", "b", "送审"),
        Transition("b", "ok", "z", "同意"),
        Transition("orphan", "ok", "z", "同意"),
    )
    with pytest.raises(FlowDefinitionError, match="无法到达的环节：孤立环节"):
        tiny(steps=steps, transitions=transitions)


def test_a_loop_with_no_way_out_fails_at_declaration() -> None:
    steps = (
        Step("a", "起草", roles(A)),
        Step("b", "审核", roles(B)),
        Step("c", "复核", roles(B)),
        Step("z", "结束", frozenset(), final=True),
    )
    transitions = (
        Transition("a", "go", "b", "送审"),
        Transition("a", "done", "z", "直接办结"),
        Transition("b", "ok", "c", "同意"),
        Transition("c", "back", "b", "退回"),
    )
    with pytest.raises(FlowDefinitionError, match="永远无法办结：审核、复核"):
        tiny(steps=steps, transitions=transitions)


def test_other_broken_declarations() -> None:
    with pytest.raises(FlowDefinitionError, match="起始环节"):
        tiny(start="x")
    with pytest.raises(FlowDefinitionError, match="环节重复"):
        tiny(steps=(Step("a", "起草", roles(A)), Step("a", "又一个", roles(A)), Step("z", "结束", frozenset(), final=True)))
    with pytest.raises(FlowDefinitionError, match="没有结束环节"):
        tiny(
            steps=(Step("a", "起草", roles(A)), Step("b", "审核", roles(B)), Step("z", "结束", roles(B))),
            transitions=(Transition("a", "go", "b", "送审"), Transition("b", "ok", "z", "同意")),
        )
    with pytest.raises(FlowDefinitionError, match="未定义的条件"):
        tiny(transitions=(Transition("a", "go", "b", "送审", predicates=("ghost",)), Transition("b", "ok", "z", "同意")))
    with pytest.raises(FlowDefinitionError, match="运算符"):
        Condition("amount", "~", 1)
    with pytest.raises(FlowDefinitionError, match="单位"):
        TimeLimit(3, "hour")  # type: ignore[arg-type]


def test_available_actions_depend_on_role() -> None:
    flow = tiny()
    assert [t.action for t in flow.available("a", [A])] == ["go"]
    assert flow.available("a", [B]) == []
    assert [t.action for t in flow.available("b", [B])] == ["ok"]


def test_refusals_say_who_may_act() -> None:
    flow = tiny()
    with pytest.raises(PermissionDenied, match="只有办公室主任可以在“审核”环节同意"):
        flow.resolve("b", "ok", [A])
    with pytest.raises(WorkflowError, match="“起草”环节不能执行“ok”操作"):
        flow.resolve("a", "ok", [A])


def test_amount_threshold_routes_reimbursement() -> None:
    deputy = [Role.DEPUTY_DIRECTOR.value]
    other = {"actor_is_owner": False}
    above = REIMBURSEMENT.resolve(
        "leader_approval", "approve", deputy, {**other, "amount": Decimal("5000.01"), "over_budget": False})
    at = REIMBURSEMENT.resolve(
        "leader_approval", "approve", deputy, {**other, "amount": Decimal("5000.00"), "over_budget": False})
    over_budget = REIMBURSEMENT.resolve(
        "leader_approval", "approve", deputy, {**other, "amount": Decimal("10"), "over_budget": True})
    assert above.target == "principal_approval"
    assert at.target == "payment"
    assert over_budget.target == "principal_approval"


def test_return_requires_a_reason() -> None:
    with pytest.raises(WorkflowError, match="必须填写意见或理由"):
        REIMBURSEMENT.resolve("finance_review", "return", [Role.FINANCE.value], {"actor_is_owner": False}, opinion="  ")
    chosen = REIMBURSEMENT.resolve(
        "finance_review", "return", [Role.FINANCE.value], {"actor_is_owner": False}, opinion="发票抬头不符")
    assert chosen.target == "fill" and chosen.kind == "return"


def test_important_documents_need_the_principal_leader() -> None:
    leader = [Role.COUNTY_LEADER.value]
    facts = {"important": True, "upward": False}
    with pytest.raises(WorkflowError, match="主要领导签发"):
        OUTGOING_DOCUMENT.resolve("sign", "sign", leader, {**facts, "actor_is_principal": False})
    assert OUTGOING_DOCUMENT.resolve("sign", "sign", leader, {**facts, "actor_is_principal": True}).target == "recheck"
    routine = {"important": False, "upward": False, "actor_is_principal": False}
    assert OUTGOING_DOCUMENT.resolve("sign", "sign", [Role.DIRECTOR.value], routine).target == "recheck"
    upward = {"important": False, "upward": True, "actor_is_principal": False}
    with pytest.raises(WorkflowError):
        OUTGOING_DOCUMENT.resolve("sign", "sign", [Role.DIRECTOR.value], upward)


def test_cosign_step_only_when_cosigners_named() -> None:
    lead = [Role.DEPUTY_DIRECTOR.value]
    assert OUTGOING_DOCUMENT.resolve("review", "approve", lead, {"has_cosigners": True}).target == "cosign"
    assert OUTGOING_DOCUMENT.resolve("review", "approve", lead, {"has_cosigners": False}).target == "sign"


def test_a_missing_fact_never_satisfies_a_guard() -> None:
    with pytest.raises(WorkflowError, match="不满足"):
        OUTGOING_DOCUMENT.resolve("review", "approve", [Role.DIRECTOR.value], {})


def test_predicates_are_named_checks() -> None:
    flow = tiny(
        transitions=(Transition("a", "go", "b", "送审", predicates=("has_body",)), Transition("b", "ok", "z", "同意")),
        predicates={"has_body": Predicate("已上传正文", lambda facts: bool(facts.get("body")))},
    )
    assert flow.available("a", [A], {"body": False}) == []
    with pytest.raises(WorkflowError, match="已上传正文"):
        flow.resolve("a", "go", [A], {"body": False})
    assert flow.resolve("a", "go", [A], {"body": True}).target == "b"


def test_incoming_flow_branches_on_handling() -> None:
    director = [Role.DIRECTOR.value]
    assert INCOMING_DOCUMENT.resolve("instruct", "instruct", director, {"needs_handling": False}, "请阅").target == "circulate"
    assert INCOMING_DOCUMENT.resolve("instruct", "instruct", director, {"needs_handling": True}, "请办").target == "handle"


def test_steps_for_roles_feeds_the_todo_list() -> None:
    keys = {s.key for s in REIMBURSEMENT.steps_for_roles([Role.CASHIER.value])}
    # fill and dept_review are open to any role (guarded by ownership and unit headship).
    assert {"payment", "fill", "dept_review"} == keys
