"""The 报账 flow as an administrator edits it (an approval list), compiled into the engine's flow.

The default list must make the flow DOMAIN.md §5 describes; the editor's operations must do what the
administrator sees; a broken list is refused with the field to show the message beside; and a new
amount condition routes claims as it says.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import PermissionDenied, WorkflowError
from app.core.roles import Role
from app.core.workflow import Flow, FlowDefinitionError, Step, Transition, flow_from_dict, flow_to_dict, roles
from app.core.workflow.approval_chain import (
    DEFAULT_CHAIN,
    HANDLERS,
    MAX_STEPS,
    UNIT_HEAD,
    ApprovalChain,
    ChainStep,
    chain_from_dict,
    chain_to_dict,
    check_chain,
    compile_chain,
    moved,
    without,
)

FINANCE = Role.FINANCE.value
DEPUTY = Role.DEPUTY_DIRECTOR.value
DIRECTOR = Role.DIRECTOR.value
CASHIER = Role.CASHIER.value
COUNTY = Role.COUNTY_LEADER.value

# The default list, by index: 0 部门负责人审核, 1 财务审核, 2 分管领导审批, 3 主要领导审批, 4 出纳付款, 5 记账归档.
DEPT, FIN, LEADER, PRINCIPAL, PAY, BOOK = range(6)


def edited(chain: ApprovalChain, index: int, **changes: Any) -> ApprovalChain:
    steps = list(chain.steps)
    steps[index] = replace(steps[index], **changes)
    return replace(chain, steps=tuple(steps))


def inserted(chain: ApprovalChain, index: int, step: ChainStep) -> ApprovalChain:
    steps = list(chain.steps)
    steps.insert(index, step)
    return replace(chain, steps=tuple(steps))


def walk(chain: ApprovalChain, amount: str, over_budget: bool = False) -> list[str]:
    """Where a claim goes when each step's handler approves it: the steps it passes, then its end."""
    flow = compile_chain(chain)
    facts: dict[str, Any] = {"amount": Decimal(amount), "over_budget": over_budget, "no_unit_reviewer": False}
    state = flow.resolve("fill", "submit", [], {**facts, "actor_is_owner": True}).target
    path = [state]
    while not flow.step(state).final:
        step = chain.step(state)
        action = {"review": "approve", "pay": "pay", "book": "book"}[step.kind]
        heads = step.handler == UNIT_HEAD
        context = {**facts, "actor_heads_unit": heads, "actor_is_owner": False}
        state = flow.resolve(state, action, [] if heads else [step.handler], context).target
        path.append(state)
        assert len(path) <= len(chain.steps) + 1, f"the claim goes round in circles: {path}"
    return path


# ----- the default list makes the default flow ------------------------------------------------------------


def test_the_default_list_compiles_to_the_steps_of_domain_md() -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    assert [(s.key, s.label, s.roles, s.time_limit.amount if s.time_limit else None, s.final) for s in flow.steps] == [
        ("fill", "经办人填报", roles("*"), 5, False),
        ("dept_review", "部门负责人审核", roles("*"), 2, False),
        ("finance_review", "财务审核", roles(FINANCE), 3, False),
        ("leader_approval", "分管领导审批", roles(DEPUTY), 2, False),
        ("principal_approval", "主要领导审批", roles(DIRECTOR), 2, False),
        ("payment", "出纳付款", roles(CASHIER), 3, False),
        ("bookkeeping", "记账归档", roles(FINANCE), 5, False),
        ("closed", "已办结", frozenset(), None, True),
        ("withdrawn", "已撤销", frozenset(), None, True),
    ]
    assert flow.step("principal_approval").description == "金额超过5,000元或超出预算"
    assert (flow.key, flow.label, flow.start) == ("reimbursement", "报账流程", "fill")


def test_the_default_list_compiles_to_the_transitions_of_domain_md() -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    got = {(t.source, t.action, t.target, t.describe_guard(flow), t.kind) for t in flow.transitions}
    assert got == {
        ("fill", "submit", "dept_review", "经办人本人且部门另有负责人", "forward"),
        # A unit head's own claim skips the review they would give themselves.
        ("fill", "submit", "finance_review", "经办人本人且报销人即部门负责人或部门未设负责人", "forward"),
        ("fill", "withdraw", "withdrawn", "经办人本人", "cancel"),
        ("dept_review", "approve", "finance_review", "本部门负责人", "forward"),
        ("dept_review", "return", "fill", "本部门负责人", "return"),
        ("finance_review", "approve", "leader_approval", "", "forward"),
        ("finance_review", "return", "fill", "", "return"),
        ("leader_approval", "approve", "principal_approval", "报销金额大于5,000", "forward"),
        ("leader_approval", "approve", "principal_approval", "超出预算", "forward"),
        ("leader_approval", "approve", "payment", "", "forward"),
        ("leader_approval", "return", "fill", "", "return"),
        ("principal_approval", "approve", "payment", "", "forward"),
        ("principal_approval", "return", "fill", "", "return"),
        ("payment", "pay", "bookkeeping", "", "forward"),
        ("bookkeeping", "book", "closed", "", "forward"),
    }
    # Only approvers send a claim back: the cashier and the bookkeeper have no return.
    assert {t.source for t in flow.transitions if t.kind == "return"} == {
        "dept_review", "finance_review", "leader_approval", "principal_approval"}
    assert len(flow.transitions) == len(got)


@pytest.mark.parametrize(
    ("amount", "over_budget", "path"),
    [
        ("5000.00", False, ["dept_review", "finance_review", "leader_approval", "payment", "bookkeeping", "closed"]),
        ("5000.01", False, ["dept_review", "finance_review", "leader_approval", "principal_approval", "payment",
                            "bookkeeping", "closed"]),
        ("0.01", True, ["dept_review", "finance_review", "leader_approval", "principal_approval", "payment",
                        "bookkeeping", "closed"]),
        ("80000", True, ["dept_review", "finance_review", "leader_approval", "principal_approval", "payment",
                         "bookkeeping", "closed"]),
    ],
)
def test_the_default_flow_routes_by_amount_and_budget(amount: str, over_budget: bool, path: list[str]) -> None:
    assert walk(DEFAULT_CHAIN, amount, over_budget) == path


def test_only_the_head_of_the_claims_unit_reviews_it_whatever_their_roles() -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    facts = {"amount": Decimal("100"), "over_budget": False, "actor_is_owner": False}
    for action, opinion in (("approve", ""), ("return", "请补充发票")):
        for who in ([], [FINANCE], [DIRECTOR, DEPUTY]):
            with pytest.raises(PermissionDenied) as refused:
                flow.resolve("dept_review", action, who, {**facts, "actor_heads_unit": False}, opinion)
            assert "本部门负责人" in refused.value.message
        assert flow.resolve("dept_review", action, [], {**facts, "actor_heads_unit": True}, opinion).target in (
            "finance_review", "fill")


def test_only_the_claimant_submits_or_withdraws() -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    for action in ("submit", "withdraw"):
        with pytest.raises(PermissionDenied, match="经办人本人"):
            flow.resolve("fill", action, [FINANCE, DIRECTOR], {"actor_is_owner": False})
    assert flow.resolve("fill", "withdraw", [], {"actor_is_owner": True}).target == "withdrawn"


@pytest.mark.parametrize(
    ("step", "who"),
    [("dept_review", []), ("finance_review", [FINANCE]), ("leader_approval", [DEPUTY]),
     ("principal_approval", [DIRECTOR])],
)
def test_every_return_to_the_claimant_needs_an_opinion(step: str, who: list[str]) -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    facts = {"amount": Decimal("9000"), "over_budget": False, "actor_heads_unit": True, "actor_is_owner": False}
    with pytest.raises(WorkflowError) as refused:
        flow.resolve(step, "return", who, facts, opinion="  ")
    assert (refused.value.field, refused.value.message) == ("opinion", "退回时必须填写意见或理由")
    assert flow.resolve(step, "return", who, facts, opinion="发票抬头不符").target == "fill"


@pytest.mark.parametrize(
    ("step", "action", "who", "holder"),
    [("finance_review", "approve", [DEPUTY, CASHIER], "财务人员"), ("leader_approval", "approve", [DIRECTOR], "副主任"),
     ("principal_approval", "approve", [DEPUTY, COUNTY], "办公室主任"), ("payment", "pay", [FINANCE], "出纳"),
     ("bookkeeping", "book", [CASHIER], "财务人员")],
)
def test_each_step_is_taken_by_its_handler_only(step: str, action: str, who: list[str], holder: str) -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    with pytest.raises(PermissionDenied, match=f"只有{holder}可以"):
        flow.resolve(step, action, who, {"amount": Decimal("9000"), "over_budget": False, "actor_is_owner": False})


# ----- the editor's operations ------------------------------------------------------------------------------


def test_new_key_is_unused() -> None:
    assert DEFAULT_CHAIN.new_key() == "step1"
    county = ChainStep(DEFAULT_CHAIN.new_key(), "县领导审批", "review", COUNTY, 3, min_amount=Decimal("20000"))
    added = inserted(DEFAULT_CHAIN, PAY, county)
    assert added.new_key() == "step2"
    gapped = inserted(added, PAY, replace(county, key="step3", label="县长审批"))
    assert gapped.new_key() == "step2"


def test_a_step_added_only_above_20000_routes_by_amount() -> None:
    county = ChainStep(DEFAULT_CHAIN.new_key(), "县领导审批", "review", COUNTY, 3, min_amount=Decimal("20000"))
    chain = inserted(DEFAULT_CHAIN, PAY, county)
    check_chain(chain)
    flow = compile_chain(chain)
    assert flow.step("step1").description == "金额超过20,000元"
    assert flow.step("step1").roles == roles(COUNTY)
    start = ["dept_review", "finance_review", "leader_approval"]
    end = ["payment", "bookkeeping", "closed"]
    assert walk(chain, "3000") == start + end
    assert walk(chain, "3000", over_budget=True) == start + ["principal_approval"] + end
    assert walk(chain, "20000.00") == start + ["principal_approval"] + end
    assert walk(chain, "20000.01") == start + ["principal_approval", "step1"] + end
    assert walk(chain, "20000.01", over_budget=True) == start + ["principal_approval", "step1"] + end


def test_a_step_added_before_the_principal_is_passed_first() -> None:
    county = ChainStep("step1", "县领导审批", "review", COUNTY, 3, min_amount=Decimal("20000"))
    chain = inserted(DEFAULT_CHAIN, PRINCIPAL, county)
    assert walk(chain, "25000") == ["dept_review", "finance_review", "leader_approval", "step1", "principal_approval",
                                    "payment", "bookkeeping", "closed"]
    assert walk(chain, "8000") == ["dept_review", "finance_review", "leader_approval", "principal_approval",
                                   "payment", "bookkeeping", "closed"]


def test_a_forward_jump_lets_a_large_claim_skip_the_office_leaders() -> None:
    # 县领导 approve the largest claims in the office leaders' stead, then the cashier pays.
    county = ChainStep("step1", "县领导审批", "review", COUNTY, 3, min_amount=Decimal("50000"), next_key="payment")
    chain = inserted(DEFAULT_CHAIN, LEADER, county)
    assert walk(chain, "60000") == ["dept_review", "finance_review", "step1", "payment", "bookkeeping", "closed"]
    assert walk(chain, "6000") == ["dept_review", "finance_review", "leader_approval", "principal_approval",
                                   "payment", "bookkeeping", "closed"]


def test_without_removes_a_step_and_routes_around_it() -> None:
    chain = without(DEFAULT_CHAIN, PRINCIPAL)
    assert [s.key for s in chain.steps] == ["dept_review", "finance_review", "leader_approval", "payment",
                                            "bookkeeping"]
    assert walk(chain, "90000", over_budget=True) == ["dept_review", "finance_review", "leader_approval", "payment",
                                                      "bookkeeping", "closed"]
    assert DEFAULT_CHAIN.steps[PRINCIPAL].key == "principal_approval", "the original list is left as it was"


def test_without_sends_jumps_to_the_removed_step_on_in_order() -> None:
    # 县领导 approve claims above 20000 and send them straight to the principal, skipping 分管领导.
    county = ChainStep("step1", "县领导审批", "review", COUNTY, 3, min_amount=Decimal("20000"),
                       next_key="principal_approval")
    chain = inserted(DEFAULT_CHAIN, LEADER, county)
    assert walk(chain, "30000") == ["dept_review", "finance_review", "step1", "principal_approval", "payment",
                                    "bookkeeping", "closed"]
    gone = without(chain, PRINCIPAL + 1)
    assert gone.step("step1").next_key is None
    assert gone.step("leader_approval") == DEFAULT_CHAIN.steps[LEADER]
    # The jump now goes to the next step of the list: 分管领导审批.
    assert walk(gone, "30000") == ["dept_review", "finance_review", "step1", "leader_approval", "payment",
                                   "bookkeeping", "closed"]


def test_moved_swaps_neighbours_and_the_flow_follows_the_new_order() -> None:
    chain = moved(DEFAULT_CHAIN, FIN, -1)
    assert [s.key for s in chain.steps][:2] == ["finance_review", "dept_review"]
    assert walk(chain, "100") == ["finance_review", "dept_review", "leader_approval", "payment", "bookkeeping",
                                  "closed"]
    assert moved(chain, DEPT, +1) == DEFAULT_CHAIN
    down = moved(DEFAULT_CHAIN, LEADER, +1)
    assert [s.key for s in down.steps][2:4] == ["principal_approval", "leader_approval"]
    assert walk(down, "9000") == ["dept_review", "finance_review", "principal_approval", "leader_approval",
                                  "payment", "bookkeeping", "closed"]


@pytest.mark.parametrize(("index", "offset"), [(0, -1), (BOOK, +1), (-1, +1), (6, -1), (99, -1)])
def test_moved_past_either_end_leaves_the_list_as_it_is(index: int, offset: int) -> None:
    assert moved(DEFAULT_CHAIN, index, offset) is DEFAULT_CHAIN


# ----- refusals, each with the field the editor shows it beside ---------------------------------------------

REFUSALS: list[tuple[str, ApprovalChain, str, str]] = [
    ("empty label", edited(DEFAULT_CHAIN, FIN, label="  "), "step:1:label", "请填写第2个环节的名称"),
    ("long label", edited(DEFAULT_CHAIN, FIN, label="财" * 21), "step:1:label", "不能超过20个字"),
    ("duplicate label", edited(DEFAULT_CHAIN, LEADER, label=" 财务审核 "), "step:2:label", "环节名称“财务审核”重复"),
    ("duplicate key", edited(DEFAULT_CHAIN, PRINCIPAL, key="leader_approval"), "step:3:label", "环节代码“leader_approval”重复"),
    ("reserved key", edited(DEFAULT_CHAIN, DEPT, key="closed"), "step:0:label", "内部代码无效"),
    ("bad kind", edited(DEFAULT_CHAIN, FIN, kind="approve"), "step:1:kind", "类型无效"),
    ("unknown handler", edited(DEFAULT_CHAIN, FIN, handler="nobody"), "step:1:handler", "请为“财务审核”选择办理人"),
    ("handler not offered", edited(DEFAULT_CHAIN, FIN, handler=Role.PETITION_OFFICER.value), "step:1:handler",
     "选择办理人"),
    ("time limit 0", edited(DEFAULT_CHAIN, LEADER, time_limit=0), "step:2:time_limit", "应为1到60个工作日"),
    ("time limit 61", edited(DEFAULT_CHAIN, LEADER, time_limit=61), "step:2:time_limit", "应为1到60个工作日"),
    ("negative min_amount", edited(DEFAULT_CHAIN, PRINCIPAL, min_amount=Decimal("-1")), "step:3:min_amount",
     "金额条件"),
    ("3-decimal min_amount", edited(DEFAULT_CHAIN, PRINCIPAL, min_amount=Decimal("5000.001")), "step:3:min_amount",
     "最多两位小数"),
    ("condition on pay", edited(DEFAULT_CHAIN, PAY, min_amount=Decimal("100")), "step:4:condition",
     "“出纳付款”是出纳付款环节，不能设置经过条件"),
    ("condition on book", edited(DEFAULT_CHAIN, BOOK, when_over_budget=True), "step:5:condition", "不能设置经过条件"),
    ("jump from pay", edited(DEFAULT_CHAIN, PAY, next_key="bookkeeping"), "step:4:next", "只能进入下一环节"),
    ("jump to a missing step", edited(DEFAULT_CHAIN, FIN, next_key="step9"), "step:1:next", "转到的环节不存在"),
    ("jump to itself", edited(DEFAULT_CHAIN, FIN, next_key="finance_review"), "step:1:next", "不能转回自己"),
    ("no pay step", without(DEFAULT_CHAIN, PAY), "steps", "必须有且只有一个出纳付款环节"),
    ("two pay steps", inserted(DEFAULT_CHAIN, PAY, ChainStep("step1", "预付款", "pay", CASHIER, 2)), "steps",
     "必须有且只有一个出纳付款环节"),
    ("two book steps", inserted(DEFAULT_CHAIN, PAY, ChainStep("step1", "预记账", "book", FINANCE, 2)), "steps",
     "必须有且只有一个记账归档环节"),
    ("pay not second to last", moved(DEFAULT_CHAIN, PAY, -1), "steps", "必须是最后两个环节"),
    ("book not last", moved(moved(DEFAULT_CHAIN, BOOK, -1), PAY, -1), "steps", "必须是最后两个环节"),
    ("no unconditional review",
     replace(DEFAULT_CHAIN, steps=tuple(replace(s, when_over_budget=True) if s.kind == "review" else s
                                        for s in DEFAULT_CHAIN.steps)),
     "steps", "至少需要一个始终经过、且不由部门负责人办理的审核审批环节"),
    ("no steps", replace(DEFAULT_CHAIN, steps=()), "steps", "至少需要出纳付款和记账归档"),
    ("too many steps",
     replace(DEFAULT_CHAIN, steps=tuple(ChainStep(f"step{i}", f"审核{i}", "review", FINANCE, 1)
                                        for i in range(MAX_STEPS - 1)) + DEFAULT_CHAIN.steps[PAY:]),
     "steps", f"最多{MAX_STEPS}个环节"),
    ("fill time limit 0", replace(DEFAULT_CHAIN, fill_time_limit=0), "fill_time_limit", "填报时限"),
]


@pytest.mark.parametrize(("chain", "field", "words"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_a_broken_list_is_refused_beside_its_field(chain: ApprovalChain, field: str, words: str) -> None:
    with pytest.raises(FlowDefinitionError) as refused:
        check_chain(chain)
    assert refused.value.field == field
    assert words in refused.value.message
    with pytest.raises(FlowDefinitionError, match=re.escape(words)):
        compile_chain(chain)


def test_the_largest_list_allowed_compiles() -> None:
    reviews = tuple(ChainStep(f"step{i}", f"审核{i}", "review", FINANCE, 1) for i in range(MAX_STEPS - 2))
    chain = replace(DEFAULT_CHAIN, steps=reviews + DEFAULT_CHAIN.steps[PAY:])
    assert len(compile_chain(chain).steps) == MAX_STEPS + 3  # with 填报, 已办结 and 已撤销


def test_a_forward_jump_that_skips_a_step_leaves_it_unreachable() -> None:
    chain = edited(DEFAULT_CHAIN, FIN, next_key="payment")
    check_chain(chain)  # the list itself is well formed; the engine sees that the leaders are never reached
    with pytest.raises(FlowDefinitionError) as refused:
        compile_chain(chain)
    assert refused.value.message == "流程“报账流程”中无法到达的环节：分管领导审批、主要领导审批"


def test_a_unit_heads_own_claim_skips_the_review_they_would_give_themselves() -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    facts = {"amount": Decimal("100"), "over_budget": False, "actor_is_owner": True}
    assert flow.resolve("fill", "submit", [], {**facts, "no_unit_reviewer": False}).target == "dept_review"
    assert flow.resolve("fill", "submit", [], {**facts, "no_unit_reviewer": True}).target == "finance_review"


@pytest.mark.parametrize(
    ("step", "action", "who"),
    [("dept_review", "approve", []), ("finance_review", "approve", [FINANCE]), ("finance_review", "return", [FINANCE]),
     ("leader_approval", "approve", [DEPUTY]), ("principal_approval", "approve", [DIRECTOR]),
     ("payment", "pay", [CASHIER]), ("bookkeeping", "book", [FINANCE])],
)
def test_nobody_reviews_pays_or_books_their_own_claim(step: str, action: str, who: list[str]) -> None:
    flow = compile_chain(DEFAULT_CHAIN)
    facts = {"amount": Decimal("9000"), "over_budget": False, "actor_heads_unit": True}
    with pytest.raises(PermissionDenied) as refused:
        flow.resolve(step, action, who, {**facts, "actor_is_owner": True}, opinion="同意")
    assert refused.value.message.startswith(f"不能在“{flow.step(step).label}”环节")
    assert "自己经办的事项" in refused.value.message
    assert flow.resolve(step, action, who, {**facts, "actor_is_owner": False}, opinion="同意")


def test_a_jump_back_is_refused_because_the_claim_would_go_round_for_ever() -> None:
    chain = edited(DEFAULT_CHAIN, LEADER, next_key="finance_review")
    with pytest.raises(FlowDefinitionError) as refused:
        compile_chain(chain)
    assert refused.value.field == "step:2:next"
    assert "“分管领导审批”通过后不能转回前面的“财务审核”环节" in refused.value.message
    assert "永远无法办结" in refused.value.message


def test_a_jump_back_from_a_conditional_step_is_refused_too() -> None:
    # Every step stays reachable here, so the engine alone would accept it; yet a claim above 5000
    # would go 财务审核 → 分管领导审批 → 主要领导审批 → 财务审核 … and never be paid.
    chain = edited(DEFAULT_CHAIN, PRINCIPAL, next_key="finance_review")
    with pytest.raises(FlowDefinitionError, match="永远无法办结") as refused:
        compile_chain(chain)
    assert refused.value.field == "step:3:next"


def test_the_engine_names_unreachable_and_endless_steps_in_one_message() -> None:
    # What the approval list cannot produce any more, the engine still judges for any flow.
    flow_steps = (
        Step("fill", "经办人填报", roles("*")),
        Step("a", "财务审核", roles(FINANCE)),
        Step("b", "分管领导审批", roles(DEPUTY)),
        Step("c", "出纳付款", roles(CASHIER)),
        Step("closed", "已办结", frozenset(), final=True),
    )
    transitions = (
        Transition("fill", "submit", "a", "提交"),
        Transition("a", "approve", "b", "审核同意"),
        Transition("b", "approve", "a", "审批同意"),
        Transition("c", "pay", "closed", "付款"),
    )
    with pytest.raises(FlowDefinitionError) as refused:
        Flow("reimbursement", "报账流程", flow_steps, transitions, start="fill")
    assert refused.value.message == (
        "流程“报账流程”中无法到达的环节：出纳付款、已办结；这些环节之后永远无法办结：经办人填报、财务审核、分管领导审批"
    )


# ----- storing the list ---------------------------------------------------------------------------------------


def test_a_stored_list_reads_back_through_json() -> None:
    county = ChainStep("step1", "县领导审批", "review", COUNTY, 3, min_amount=Decimal("20000.50"),
                       when_over_budget=True, next_key="payment")
    chain = replace(inserted(DEFAULT_CHAIN, LEADER, county), fill_time_limit=7)
    data = json.loads(json.dumps(chain_to_dict(chain), ensure_ascii=False))
    assert data["steps"][2]["min_amount"] == "20000.50"
    again = chain_from_dict(data)
    assert again == chain
    assert isinstance(again.step("step1").min_amount, Decimal)


@pytest.mark.parametrize(
    "data",
    [{}, {"steps": [{"key": "a"}]}, {"steps": [{**chain_to_dict(DEFAULT_CHAIN)["steps"][0], "time_limit": "两天"}]},
     {"steps": [{**chain_to_dict(DEFAULT_CHAIN)["steps"][3], "min_amount": "五千"}]}, {"steps": 3}],
)
def test_an_unreadable_stored_list_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(FlowDefinitionError, match="保存的报账流程无法读取"):
        chain_from_dict(data)


LABELS = ["部门负责人审核", "财务审核", "分管领导审批", "主要领导审批", "县领导审批", "纪检审核", "审计复核", "会签"]


@st.composite
def chains(draw: st.DrawFn) -> ApprovalChain:
    """Valid lists: some review steps (at least one always passed, maybe jumping forward), then pay and book."""
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=6, unique=True))
    always = draw(st.integers(0, len(labels) - 1))
    # The step every claim passes cannot be the unit head's: a head's own claim skips that one.
    always_handler = draw(st.sampled_from([h for h in HANDLERS if h != UNIT_HEAD]))
    reviews = []
    for i, label in enumerate(labels):
        amount = draw(st.none() | st.integers(0, 10**8).map(lambda fen: Decimal(fen).scaleb(-2)))
        over_budget = draw(st.booleans())
        if i == always:
            amount, over_budget = None, False
        handler = always_handler if i == always else draw(st.sampled_from(HANDLERS))
        reviews.append(ChainStep(
            f"step{i + 1}", label, "review", handler, draw(st.integers(1, 60)),
            min_amount=amount, when_over_budget=over_budget,
        ))
    tail = [ChainStep("pay", "出纳付款", "pay", CASHIER, draw(st.integers(1, 60))),
            ChainStep("book", "记账归档", "book", FINANCE, draw(st.integers(1, 60)))]
    # A jump from a conditional step to a later step of the list (at most one, so nothing is cut off).
    jumps = [i for i, s in enumerate(reviews) if s.conditional or s.handler == UNIT_HEAD]
    jump: bool = draw(st.booleans())
    if jumps and jump:
        i = draw(st.sampled_from(jumps))
        later = [s.key for s in reviews[i + 2:]] + ["pay"]
        reviews[i] = replace(reviews[i], next_key=draw(st.sampled_from(later)))
    return ApprovalChain(tuple(reviews + tail), fill_time_limit=draw(st.integers(1, 60)))


@settings(max_examples=150, deadline=None)
@given(chains())
def test_any_valid_list_round_trips_and_compiles_to_the_same_flow(chain: ApprovalChain) -> None:
    again = chain_from_dict(json.loads(json.dumps(chain_to_dict(chain))))
    assert again == chain
    flow = compile_chain(chain, version=3)
    assert compile_chain(again, version=3) == flow
    assert flow_from_dict(json.loads(json.dumps(flow_to_dict(flow)))) == flow


@settings(max_examples=150, deadline=None)
@given(chains().filter(lambda c: all(s.next_key is None for s in c.steps)),
       st.integers(1, 2 * 10**8).map(lambda fen: Decimal(fen).scaleb(-2)), st.booleans())
def test_a_claim_passes_exactly_the_steps_that_apply_to_it(chain: ApprovalChain, amount: Decimal,
                                                             over_budget: bool) -> None:
    def applies(step: ChainStep) -> bool:
        if not step.conditional:
            return True
        return (step.min_amount is not None and amount > step.min_amount) or (step.when_over_budget and over_budget)

    expected = [s.key for s in chain.steps if applies(s)] + ["closed"]
    assert walk(chain, str(amount), over_budget) == expected
