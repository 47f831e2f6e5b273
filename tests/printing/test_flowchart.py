"""The printed flowchart: one page, every step and condition, the record's position and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS, Flow, Step, TimeLimit, Transition, roles
from app.core.workflow.layout import FlowTrail, Rect
from app.printing.kit.flowchart import (
    ACCENT,
    MIN_TEXT_SIZE,
    PAGE_MARGIN,
    VISITED_FILL,
    FlowchartData,
    PagePlacement,
    choose_page,
    flowchart_layout,
    heading_for,
    place_notes,
    plan_chart,
    render_flowchart,
    render_flowchart_pdf,
    visit_notes,
)
from app.printing.kit.fonts import resolve_fonts
from tests.helpers.linecheck import breaking_faults, needs_pdftotext, printed_lines
from tests.helpers.pdfcheck import (
    assert_fonts_embedded,
    assert_no_missing_glyphs,
    compact,
    needs_pdftoppm,
    page_text,
    reader,
    render_png,
    share_of_colour,
)
from tests.helpers.print_samples import reimbursement_trail

REIMBURSEMENT = DEFAULT_FLOWS["reimbursement"]
WHITE = (255, 255, 255)


def rgb(colour: object) -> tuple[int, int, int]:
    r, g, b = colour.rgb()  # type: ignore[attr-defined]
    return (round(r * 255), round(g * 255), round(b * 255))


def pixel_box(place: PagePlacement, rect: Rect, dpi: int, inset: float) -> tuple[int, int, int, int]:
    """A layout rectangle (shrunk by inset points) in the pixels of the page rendered at dpi."""
    x0, y0 = place.point((rect.x + inset, rect.y + inset))
    x1, y1 = place.point((rect.right - inset, rect.bottom - inset))
    k = dpi / 72
    return (
        round(x0 * k),
        round((place.page_height - y0) * k),
        round(x1 * k),
        round((place.page_height - y1) * k),
    )


@pytest.mark.parametrize("key", sorted(DEFAULT_FLOWS))
def test_each_default_flow_prints_on_one_page(key: str) -> None:
    flow = DEFAULT_FLOWS[key]
    pdf = render_flowchart_pdf(flow, office_name="青山县人民政府办公室")
    assert len(reader(pdf).pages) == 1
    text = compact(page_text(pdf))
    for step in flow.steps:
        assert step.label in text, step.label
    for transition in flow.transitions:
        assert transition.label in text
    assert "青山县人民政府办公室" in text
    assert "图例" in text
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)


def test_reimbursement_chart_shows_the_branch_conditions() -> None:
    text = compact(page_text(render_flowchart_pdf(REIMBURSEMENT)))
    assert "报账流程图" in text
    assert "报销金额大于5,000" in text
    assert "超出预算" in text
    assert "其他情况" in text  # the branch that skips 主要领导审批
    assert "时限：2个工作日" in text
    assert "经办人本人" in text


def test_trail_shows_who_and_when() -> None:
    pdf = render_flowchart_pdf(REIMBURSEMENT, reimbursement_trail(), office_name="青山县人民政府办公室")
    text = compact(page_text(pdf))
    assert "当前环节：分管领导审批" in text
    for expected in ("张三11月20日9:12", "张三11月24日8:50", "李四11月24日11:00", "王会计11月25日16:20"):
        assert expected in text
    assert "已走路径" in text
    assert_no_missing_glyphs(pdf)


def test_notes_sit_clear_of_boxes_lines_and_labels() -> None:
    trail = reimbursement_trail()
    layout = flowchart_layout(REIMBURSEMENT, trail)
    placed = place_notes(layout, visit_notes(trail))
    assert set(placed) == {"fill", "dept_review", "finance_review"}
    for key, box in placed.items():
        for node in layout.nodes:
            assert not box.intersects(node.rect), (key, node.key)
        for edge in layout.edges:
            assert not box.intersects(edge.label_box), (key, edge.label)
            for a, b in zip(edge.points, edge.points[1:], strict=False):
                assert not box.intersects(Rect.around([a, b])), (key, edge.label)
        # Beside its own box, on the same row, or just above it when the row has no room.
        node = layout.node(key)
        beside = node.rect.y - 1 <= box.y <= node.rect.bottom
        above = node.rect.y - 8 <= box.bottom <= node.rect.y and box.x < node.rect.right and box.right > node.rect.x
        assert beside or above, (key, box, node.rect)


def test_long_trails_are_shortened() -> None:
    from datetime import datetime

    visits = [("fill", "张三", datetime(2026, 11, day, 9, 0)) for day in range(1, 7)]
    notes = visit_notes(FlowTrail("dept_review", visits))
    assert len(notes["fill"]) == 3 and notes["fill"][0] == "…前4次略"


@needs_pdftoppm
def test_current_step_is_accent_blue_and_the_path_is_highlighted(tmp_path: Path) -> None:
    trail = reimbursement_trail()
    pdf = render_flowchart_pdf(REIMBURSEMENT, trail)
    plan = plan_chart(REIMBURSEMENT, trail)
    (image,) = render_png(pdf, tmp_path, dpi=50)

    def share(key: str, colour: tuple[int, int, int]) -> float:
        return share_of_colour(image, pixel_box(plan.place, plan.layout.node(key).rect, 50, inset=3), colour)

    assert share("leader_approval", rgb(ACCENT)) > 0.6  # current: filled accent blue
    for visited in ("fill", "dept_review", "finance_review"):
        assert share(visited, rgb(VISITED_FILL)) > 0.6, visited
    for ahead in ("principal_approval", "payment", "bookkeeping"):
        assert share(ahead, WHITE) > 0.6, ahead
        assert share(ahead, rgb(ACCENT)) < 0.05, ahead


@needs_pdftoppm
def test_travelled_edges_are_bold_blue(tmp_path: Path) -> None:
    trail = reimbursement_trail()
    plan = plan_chart(REIMBURSEMENT, trail)
    layout = plan.layout
    (image,) = render_png(render_flowchart_pdf(REIMBURSEMENT, trail), tmp_path, dpi=100)

    def ink_at_middle(source: str, target: str) -> float:
        (edge,) = [e for e in layout.edges_between(source, target) if e.kind == "forward"]
        (a, b) = max(zip(edge.points, edge.points[1:], strict=False), key=lambda s: abs(s[1][1] - s[0][1]))
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        return share_of_colour(
            image, pixel_box(plan.place, Rect(mid[0] - 2.5, mid[1] - 2.5, 5, 5), 100, 0), rgb(ACCENT)
        )

    assert ink_at_middle("fill", "dept_review") > 0.2
    assert ink_at_middle("finance_review", "leader_approval") > 0.2
    assert ink_at_middle("payment", "bookkeeping") == 0


def test_a_wide_flow_turns_the_page() -> None:
    clerk = roles(Role.SECRETARY)
    branches = [f"b{i}" for i in range(6)]
    steps = [Step("start", "分办", clerk, TimeLimit(1))]
    steps += [Step(b, f"第{i + 1}科室办理", clerk, TimeLimit(5)) for i, b in enumerate(branches)]
    steps += [Step("done", "已办结", frozenset(), final=True)]
    transitions = [Transition("start", f"to_{b}", b, "分办") for b in branches]
    transitions += [Transition(b, "done", "done", "办结") for b in branches]
    flow = Flow("wide", "并行办理", tuple(steps), tuple(transitions), "start")
    pdf = render_flowchart(FlowchartData(flow, title="并行办理流程图"))
    page = reader(pdf).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    assert "并行办理流程图" in compact(page_text(pdf))


def test_chart_fits_the_page() -> None:
    for flow in DEFAULT_FLOWS.values():
        layout = flowchart_layout(flow)
        place = choose_page(layout)
        x0, y0 = place.point((0, 0))
        x1, y1 = place.point((layout.width, layout.height))
        assert 0 < x0 < x1 < place.page_width
        assert 0 < y1 < y0 < place.page_height


def test_unknown_current_step_is_ignored() -> None:
    pdf = render_flowchart_pdf(REIMBURSEMENT, FlowTrail("no_such_step"))
    assert "当前环节：" not in compact(page_text(pdf))


LONG_TITLE = "报账流程图：报销单BX2026-0012 2026年11月赴省财政厅汇报县级财政预算执行情况差旅费及会务费"


def _text_sizes(pdf: bytes) -> list[tuple[float, str]]:
    """(printed size in points, text) of every run of text on the first page."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((size * tm[0] * cm[0], text.strip()))

    reader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


@needs_pdftotext
@pytest.mark.parametrize("trail", [None, reimbursement_trail()], ids=["chart", "claim"])
def test_a_long_title_breaks_within_the_page(trail: FlowTrail | None) -> None:
    pdf = render_flowchart_pdf(REIMBURSEMENT, trail, title=LONG_TITLE, office_name="青山县人民政府办公室")
    assert len(reader(pdf).pages) == 1
    width = float(reader(pdf).pages[0].mediabox.width)
    lines = printed_lines(pdf)
    assert breaking_faults(lines) == []
    for line in lines:
        assert PAGE_MARGIN - 0.5 <= line.x0 and line.x1 <= width - PAGE_MARGIN + 0.5, line
    title = [line.text for line in lines if line.height > 15]
    assert len(title) == 2
    assert "".join(title).replace(" ", "") == LONG_TITLE.replace(" ", "")


def test_a_title_breaks_after_its_colon_when_each_half_fits() -> None:
    fonts = resolve_fonts()
    heading = heading_for("报账流程图：报销单BX2026-0012 县财政局差旅费报销", fonts, 420)
    assert heading.lines == ("报账流程图：", "报销单BX2026-0012 县财政局差旅费报销")
    assert heading_for("报账流程图", fonts, 300).lines == ("报账流程图",)


@pytest.mark.parametrize("key", sorted(DEFAULT_FLOWS))
def test_every_label_prints_at_the_minimum_size(key: str) -> None:
    sizes = _text_sizes(render_flowchart_pdf(DEFAULT_FLOWS[key], office_name="青山县人民政府办公室"))
    small = [(round(size, 2), text) for size, text in sizes if size < MIN_TEXT_SIZE - 0.01]
    assert not small, small
    assert MIN_TEXT_SIZE >= 8.0


def test_a_claims_chart_with_who_and_when_prints_at_the_minimum_size() -> None:
    """A claim's chart: its notes find room beside or above the boxes, and nothing prints below the minimum."""
    sizes = _text_sizes(render_flowchart_pdf(REIMBURSEMENT, reimbursement_trail(), title=LONG_TITLE))
    small = [(round(size, 2), text) for size, text in sizes if size < MIN_TEXT_SIZE - 0.01]
    assert not small, small  # 4.95 pt notes and 5.65 pt labels before
