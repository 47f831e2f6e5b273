"""The registry of actor facts, the refusal of a flow that names one it lacks, and which moves may be withdrawn."""

from __future__ import annotations

import pytest

from app.core.roles import Role
from app.core.workflow import Condition, Flow, FlowDefinitionError, Step, Transition, flow_from_dict, flow_to_dict
from app.core.workflow.actor_facts import ACTOR_FACTS, is_actor_fact
from app.core.workflow.engine import roles
from app.core.workflow.flows import BUILTIN_FLOWS, DEFAULT_FLOWS


def _flow(*conditions: Condition, withdrawable: bool | None = None) -> Flow:
    return Flow(
        key="t", label="测试流程", start="a",
        steps=(Step("a", "起草", roles(Role.SECRETARY)), Step("b", "审核", roles(Role.DIRECTOR)),
               Step("z", "办结", frozenset(), final=True)),
        transitions=(
            Transition("a", "go", "b", "送审", conditions=conditions, withdrawable=withdrawable),
            Transition("b", "back", "a", "退回", kind="return"),
            Transition("b", "end", "z", "办结"),
        ),
    )


def test_every_actor_fact_a_built_in_flow_reads_is_registered_with_a_chinese_label() -> None:
    used = {c.field for flow in BUILTIN_FLOWS.values() for t in flow.transitions for c in t.conditions
            if is_actor_fact(c.field)}
    assert used == {"actor_is_owner", "actor_is_principal", "actor_heads_unit", "actor_is_responsible"}
    assert used <= set(ACTOR_FACTS)
    for fact in ACTOR_FACTS.values():
        assert fact.label and all("\u4e00" <= ch <= "\u9fff" for ch in fact.label)


def test_a_flow_naming_an_unregistered_actor_fact_is_refused_when_declared() -> None:
    with pytest.raises(FlowDefinitionError, match="未登记的办理人条件“actor_is_on_duty”"):
        _flow(Condition("actor_is_on_duty", "==", True))
    # A stored flow is declared as it is read back: refused the same way.
    data = flow_to_dict(_flow())
    data["transitions"][0]["conditions"] = [{"field": "actor_rank", "op": ">", "value": 3}]
    with pytest.raises(FlowDefinitionError, match="actor_rank"):
        flow_from_dict(data)


def test_an_actor_fact_is_judged_yes_or_no_only() -> None:
    with pytest.raises(FlowDefinitionError, match="只能判断“是”或“否”"):
        _flow(Condition("actor_is_owner", ">", 1))
    # The registered facts, as 是 or 否, are accepted.
    for key in ACTOR_FACTS:
        _flow(Condition(key, "==", True))
        _flow(Condition(key, "!=", True))


def test_a_forward_move_may_be_withdrawn_unless_declared_otherwise_a_return_or_a_final_step_never() -> None:
    flow = _flow()
    go, back, end = flow.transitions
    assert go.may_withdraw(flow)
    assert not back.may_withdraw(flow)
    assert not end.may_withdraw(flow), "a move to a final step closes the record"
    declared = _flow(withdrawable=False)
    assert not declared.transitions[0].may_withdraw(declared)


def test_withdrawable_is_stored_only_where_declared() -> None:
    plain = flow_to_dict(_flow())
    assert all("withdrawable" not in t for t in plain["transitions"])
    declared = flow_to_dict(_flow(withdrawable=False))
    assert declared["transitions"][0]["withdrawable"] is False
    assert not flow_from_dict(declared).transitions[0].may_withdraw(flow_from_dict(declared))


def test_the_office_flows_keep_side_effects_from_being_withdrawn() -> None:
    def withdrawable(key: str) -> set[tuple[str, str, str]]:
        flow = DEFAULT_FLOWS[key]
        return {(t.source, t.action, t.target) for t in flow.transitions if t.may_withdraw(flow)}

    outgoing = withdrawable("outgoing_document")
    # 送核稿 and 送签发 may be taken back; 会签 sent, 签发, 编号 and everything after may not.
    assert {("draft", "submit", "review"), ("review", "approve", "sign"), ("cosign", "approve", "sign")} <= outgoing
    assert not {m for m in outgoing if m[0] in ("sign", "number", "print", "seal", "distribute", "archive")}
    assert ("review", "approve", "cosign") not in outgoing
    assert ("propose", "propose", "instruct") in withdrawable("incoming_document")
    claims = withdrawable("reimbursement")
    assert ("fill", "submit", "dept_review") in claims
    assert not {m for m in claims if m[1] in ("pay", "book")}


def test_a_step_takes_a_named_handler_unless_final_or_the_owners_own() -> None:
    outgoing = DEFAULT_FLOWS["outgoing_document"]
    assert outgoing.names_handler("sign") and outgoing.names_handler("review")
    assert not outgoing.names_handler("draft"), "only the drafter acts at 拟稿"
    assert not outgoing.names_handler("archived")
