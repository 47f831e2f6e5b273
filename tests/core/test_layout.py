"""The flow layout shared by the screen and the printed flowchart: complete, tidy and deterministic."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS, Condition, Flow, Step, TimeLimit, Transition, roles
from app.core.workflow.layout import (
    OTHERWISE,
    FlowLayout,
    FlowTrail,
    LayoutEdge,
    Point,
    Rect,
    layout_flow,
    roles_text,
    wrap_text,
)

FLOW_KEYS = sorted(DEFAULT_FLOWS)


# ----- geometric helpers ------------------------------------------------------------------------------


def segments(edge: LayoutEdge) -> list[tuple[Point, Point]]:
    return list(zip(edge.points, edge.points[1:], strict=False))


def segment_box(a: Point, b: Point) -> Rect:
    return Rect.around([a, b])


def crosses_interior(a: Point, b: Point, rect: Rect) -> bool:
    """True when the segment enters the box itself, not just touches its border."""
    inner = rect.inflated(-1.0)
    box = segment_box(a, b)
    # A zero-width segment box intersects when it lies strictly inside the shrunken box's span.
    return box.x <= inner.right and inner.x <= box.right and box.y <= inner.bottom and inner.y <= box.bottom


def on_border(p: Point, rect: Rect) -> bool:
    x, y = p
    within_x = rect.x - 0.01 <= x <= rect.right + 0.01
    within_y = rect.y - 0.01 <= y <= rect.bottom + 0.01
    on_vertical = abs(x - rect.x) < 0.01 or abs(x - rect.right) < 0.01
    on_horizontal = abs(y - rect.y) < 0.01 or abs(y - rect.bottom) < 0.01
    return within_x and within_y and (on_vertical or on_horizontal)


def proper_crossings(layout: FlowLayout) -> int:
    """Points where a horizontal of one edge crosses a vertical of another, away from their ends."""
    count = 0
    for e1, e2 in itertools.combinations(layout.edges, 2):
        for (a, b), (c, d) in itertools.product(segments(e1), segments(e2)):
            for (h1, h2), (v1, v2) in (((a, b), (c, d)), ((c, d), (a, b))):
                if h1[1] != h2[1] or v1[0] != v2[0]:
                    continue
                x, y = v1[0], h1[1]
                if min(h1[0], h2[0]) + 0.5 < x < max(h1[0], h2[0]) - 0.5 and (
                    min(v1[1], v2[1]) + 0.5 < y < max(v1[1], v2[1]) - 0.5
                ):
                    count += 1
    return count


def collinear_overlaps(layout: FlowLayout) -> list[tuple[str, str]]:
    found = []
    for e1, e2 in itertools.combinations(layout.edges, 2):
        for (a, b), (c, d) in itertools.product(segments(e1), segments(e2)):
            if a[0] == b[0] == c[0] == d[0]:
                low, high = max(min(a[1], b[1]), min(c[1], d[1])), min(max(a[1], b[1]), max(c[1], d[1]))
            elif a[1] == b[1] == c[1] == d[1]:
                low, high = max(min(a[0], b[0]), min(c[0], d[0])), min(max(a[0], b[0]), max(c[0], d[0]))
            else:
                continue
            if high - low > 0.5:
                found.append((e1.label, e2.label))
    return found


def check_invariants(flow: Flow, layout: FlowLayout) -> None:
    # Every step once, every transition in exactly one edge.
    assert sorted(n.key for n in layout.nodes) == sorted(s.key for s in flow.steps)
    covered = sorted(i for e in layout.edges for i in e.transitions)
    assert covered == list(range(len(flow.transitions)))
    for edge in layout.edges:
        for i in edge.transitions:
            t = flow.transitions[i]
            assert (t.source, t.target, t.kind) == (edge.source, edge.target, edge.kind)

    # Boxes keep apart.
    for n1, n2 in itertools.combinations(layout.nodes, 2):
        assert not n1.rect.inflated(2).intersects(n2.rect), (n1.key, n2.key)

    bounds = layout.bounds
    for node in layout.nodes:
        assert bounds.x <= node.x and node.rect.right <= bounds.right
        assert bounds.y <= node.y and node.rect.bottom <= bounds.bottom
    rects = {n.key: n.rect for n in layout.nodes}
    for edge in layout.edges:
        assert len(edge.points) >= 2
        for a, b in segments(edge):
            assert a[0] == b[0] or a[1] == b[1], f"{edge.label}: slanted segment {a}->{b}"
            for p in (a, b):
                assert bounds.x <= p[0] <= bounds.right and bounds.y <= p[1] <= bounds.bottom
            for node in layout.nodes:
                assert not crosses_interior(a, b, node.rect), f"{edge.label} runs through {node.label}"
        assert on_border(edge.points[0], rects[edge.source]), edge.label
        assert on_border(edge.points[-1], rects[edge.target]), edge.label
        box = edge.label_box
        assert bounds.x <= box.x and box.right <= bounds.right + 0.01
        assert bounds.y <= box.y and box.bottom <= bounds.bottom + 0.01

    # Forward edges point down the ranks, except those that close a cycle.
    rank = {n.key: n.rank for n in layout.nodes}
    for edge in layout.edges:
        if edge.kind == "forward" and not edge.back:
            assert rank[edge.target] > rank[edge.source], edge.label


# ----- the office's flows ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", FLOW_KEYS)
def test_default_flows_lay_out_cleanly(key: str) -> None:
    flow = DEFAULT_FLOWS[key]
    layout = layout_flow(flow)
    check_invariants(flow, layout)
    assert collinear_overlaps(layout) == []
    # Labels touch no box, no other label and no line.
    for edge in layout.edges:
        for node in layout.nodes:
            assert not edge.label_box.intersects(node.rect), (edge.label, node.label)
        for other in layout.edges:
            if other is not edge:
                assert not edge.label_box.intersects(other.label_box), (edge.label, other.label)
            for a, b in segments(other):
                assert not edge.label_box.intersects(segment_box(a, b)), (edge.label, other.label)


@pytest.mark.parametrize("key", FLOW_KEYS)
def test_layout_is_deterministic(key: str) -> None:
    assert layout_flow(DEFAULT_FLOWS[key]) == layout_flow(DEFAULT_FLOWS[key])


def test_crossings_are_few() -> None:
    assert proper_crossings(layout_flow(DEFAULT_FLOWS["reimbursement"])) == 0
    assert proper_crossings(layout_flow(DEFAULT_FLOWS["outgoing_document"])) == 0
    # Two bypasses whose spans interleave (批办→传阅 and 承办→办结) must cross once.
    assert proper_crossings(layout_flow(DEFAULT_FLOWS["incoming_document"])) <= 1


def test_reimbursement_branches_carry_their_conditions() -> None:
    layout = layout_flow(DEFAULT_FLOWS["reimbursement"])
    to_principal = layout.edges_between("leader_approval", "principal_approval")
    assert len(to_principal) == 1  # the two guarded transitions are one arrow
    assert to_principal[0].condition == "报销金额大于5,000或超出预算"
    assert len(to_principal[0].transitions) == 2
    (bypass,) = layout.edges_between("leader_approval", "payment")
    assert bypass.condition == OTHERWISE
    assert "".join(bypass.label_lines) == "审批同意" + OTHERWISE
    assert to_principal[0].label == "审批同意（报销金额大于5,000或超出预算）"


def test_spine_is_a_straight_column_and_branches_sit_beside_it() -> None:
    layout = layout_flow(DEFAULT_FLOWS["reimbursement"])
    spine = [
        "fill",
        "dept_review",
        "finance_review",
        "leader_approval",
        "principal_approval",
        "payment",
        "bookkeeping",
        "closed",
    ]
    assert [layout.node(k).rank for k in spine] == list(range(len(spine)))
    assert {layout.node(k).column for k in spine} == {0}
    assert len({layout.node(k).center[0] for k in spine}) == 1
    withdrawn = layout.node("withdrawn")
    assert withdrawn.rank == layout.node("fill").rank and withdrawn.column > 0
    # The bypass runs to the right of the spine, the returns up lanes on the left.
    spine_left = layout.node("fill").x
    spine_right = layout.node("fill").rect.right
    (bypass,) = layout.edges_between("leader_approval", "payment")
    assert max(x for x, _ in bypass.points) > spine_right
    returns = [e for e in layout.edges if e.kind == "return"]
    assert len(returns) == 4
    lanes = {min(x for x, _ in e.points) for e in returns}
    assert len(lanes) == 4 and max(lanes) < spine_left  # one lane each


def test_nodes_say_who_acts_and_the_time_limit() -> None:
    flow = DEFAULT_FLOWS["reimbursement"]
    layout = layout_flow(flow)
    assert layout.node("finance_review").roles_text == "财务人员"
    assert layout.node("finance_review").time_limit_text == "时限：3个工作日"
    # Anyone may fill in a claim, but only for themselves: the guard names the person.
    assert layout.node("fill").roles_text == "经办人本人"
    assert layout.node("dept_review").roles_text == "本部门负责人"
    assert layout.node("closed").final and layout.node("closed").time_limit_text == ""
    assert roles_text(flow, flow.step("closed")) == ""


def test_trail_path_ends_at_the_current_step() -> None:
    when = datetime(2026, 11, 20, 9, 0)
    trail = FlowTrail(
        "finance_review",
        [
            ("fill", "张三", when),
            ("dept_review", "李四", when),
            ("fill", "张三", when),
            ("dept_review", "李四", when),
        ],
    )
    assert trail.path() == [
        ("fill", "dept_review"),
        ("dept_review", "fill"),
        ("fill", "dept_review"),
        ("dept_review", "finance_review"),
    ]
    assert trail.visits("fill") == [("张三", when), ("张三", when)]
    assert FlowTrail(None).path() == []


def test_wrapping_keeps_numbers_whole_and_breaks_before_or() -> None:
    assert wrap_text("报销金额大于5,000或超出预算", 8, 96) == ["报销金额大于5,000", "或超出预算"]
    assert all("5,000" in line or "5" not in line for line in wrap_text("金额大于5,000元", 8, 40))


# ----- any flow an administrator might declare ------------------------------------------------------------------


@st.composite
def flows(draw: st.DrawFn) -> Flow:
    n = draw(st.integers(min_value=1, max_value=9))
    keys = [f"s{i}" for i in range(n)]
    clerk = roles(Role.SECRETARY)
    steps = [Step(k, f"环节{i}", clerk, TimeLimit(draw(st.integers(0, 5)))) for i, k in enumerate(keys)]
    steps.append(Step("done", "已办结", frozenset(), final=True))
    with_cancel = draw(st.booleans())
    if with_cancel:
        steps.append(Step("cancelled", "已作废", frozenset(), final=True))
    chain = keys + ["done"]
    transitions = [Transition(a, f"go{i}", b, "下一步") for i, (a, b) in enumerate(itertools.pairwise(chain))]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n))
    for i, (a, b) in enumerate(draw(st.lists(pairs, max_size=6))):
        target = chain[b]
        if target == keys[a]:
            continue
        kind: Literal["forward", "return"] = "return" if b < a else "forward"
        # A forward edge back up the chain makes a cycle the layout must break.
        if b < a and draw(st.booleans()):
            kind = "forward"
        guard = (Condition("amount", ">", i * 1000),) if draw(st.booleans()) else ()
        label = "退回" if kind == "return" else "转办"
        transitions.append(Transition(keys[a], f"x{i}", target, label, conditions=guard, kind=kind))
    # Side branches: steps off the main chain that rejoin it further down, drawn beside the spine.
    for j, (a, b) in enumerate(draw(st.lists(pairs, max_size=3))):
        key = f"b{j}"
        steps.append(Step(key, f"分支{j}", clerk, TimeLimit(1)))
        transitions.append(Transition(keys[a], f"branch{j}", key, "分办"))
        transitions.append(Transition(key, f"join{j}", chain[max(b, a + 1)], "办毕"))
    if with_cancel:
        for a in draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True)):
            transitions.append(Transition(keys[a], "cancel", "cancelled", "作废", kind="cancel"))
    return Flow(
        key="random",
        label="随机流程",
        steps=tuple(steps),
        transitions=tuple(transitions),
        start="s0",
        field_labels={"amount": "金额"},
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flows())
def test_any_flow_lays_out_without_overlap(flow: Flow) -> None:
    layout = layout_flow(flow)
    check_invariants(flow, layout)
    assert layout == layout_flow(flow)
