"""Clocks on the flowchart (app.core.workflow.layout, app.printing.kit.flowchart): a labelled bracket beside
the rows of the steps each clock spans, clear of the chart and of the other clocks, with a record's reading of
it when a trail is drawn; and the printed page carrying them, read back."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

from app.bootstrap import AppContext
from app.core.workflow import TimeLimit
from app.core.workflow.clocks import Clock
from app.core.workflow.layout import FlowLayout, FlowTrail, Rect, layout_flow
from app.printing.kit.flowchart import CLOCK, MIN_TEXT_SIZE, plan_chart, render_flowchart_pdf
from tests.helpers.clock_flow import clock_flow
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

FLOW = clock_flow()
TRAIL = FlowTrail(
    current_step="handle",
    visited=[("register", "孙接待", datetime(2026, 6, 1, 9, 30))],
    clock_notes=(
        ("acceptance", "2026年6月1日办结（时限2026年6月16日）", False),
        ("handling", "应于2026年7月31日前完成，已超期10日", True),
    ),
)


def chart_parts(layout: FlowLayout) -> list[Rect]:
    """Every box, edge label and edge run of the chart itself."""
    parts = [n.rect for n in layout.nodes] + [e.label_box for e in layout.edges]
    parts += [Rect.around([a, b]) for e in layout.edges for a, b in zip(e.points, e.points[1:], strict=False)]
    return parts


def test_each_clock_is_a_labelled_bracket_over_the_rows_of_its_steps() -> None:
    layout = layout_flow(FLOW)
    acceptance, handling = layout.clocks
    register, handle, reply = layout.node("register"), layout.node("handle"), layout.node("reply")
    assert (acceptance.top, acceptance.bottom) == (register.y, register.rect.bottom)
    assert (handling.top, handling.bottom) == (handle.y, reply.rect.bottom)
    assert acceptance.lines == ("受理时限 15日", "登记")
    assert handling.lines == ("办理时限 60日", "办理至答复")
    # Right of the whole chart, touching none of it; the page's layout grew to hold them.
    chart_right = max(r.right for r in chart_parts(layout))
    for clock in layout.clocks:
        assert clock.bracket.x > chart_right
        assert clock.label_box.right <= layout.width and clock.label_box.bottom <= layout.height
        assert not any(clock.label_box.intersects(r) for r in chart_parts(layout))
    # The two do not overlap in height: they share a column.
    assert acceptance.x == handling.x
    assert not acceptance.label_box.intersects(handling.label_box)


def test_overlapping_clocks_stand_in_columns_of_their_own() -> None:
    whole = Clock("whole", "办结时限", "register", "reply", TimeLimit(60, "day"))
    flow = dataclasses.replace(FLOW, clocks=(*FLOW.clocks, whole))
    layout = layout_flow(flow)
    acceptance, handling, overall = layout.clocks
    assert overall.x > handling.x == acceptance.x
    assert overall.bracket.x > max(c.label_box.right for c in (acceptance, handling))
    labels = [c.label_box for c in layout.clocks]
    assert not any(a.intersects(b) for i, a in enumerate(labels) for b in labels[i + 1 :])


def test_a_trail_adds_each_clocks_reading_by_its_bracket() -> None:
    layout = layout_flow(FLOW, clock_notes=TRAIL.clock_notes)
    acceptance, handling = layout.clocks
    assert acceptance.lines[2:] and "".join(acceptance.lines[2:]) == "2026年6月1日办结（时限2026年6月16日）"
    assert "".join(handling.lines[2:]) == "应于2026年7月31日前完成，已超期10日"
    assert handling.overdue and not acceptance.overdue
    # A flow without clocks is laid out exactly as before.
    plain = dataclasses.replace(FLOW, clocks=())
    assert layout_flow(plain).clocks == ()
    assert layout_flow(plain) == layout_flow(plain, clock_notes=TRAIL.clock_notes)


def test_the_printed_chart_carries_the_clocks_and_their_readings() -> None:
    pdf = render_flowchart_pdf(FLOW, TRAIL, "测试信访：群众反映道路破损", "青山县人民政府办公室")
    assert len(reader(pdf).pages) == 1
    text = compact(page_text(pdf))
    for expected in ("受理时限15日", "办理时限60日", "办理至答复", "已超期10日", "时限区间"):
        assert expected in text, expected
    assert_fonts_embedded(pdf)
    assert_no_missing_glyphs(pdf)
    blank = compact(page_text(render_flowchart_pdf(FLOW)))
    assert "受理时限15日" in blank and "已超期" not in blank
    plan = plan_chart(FLOW, TRAIL)
    assert plan.layout.metrics.edge_label_size * plan.place.scale >= MIN_TEXT_SIZE
    # The “who, when” notes keep clear of the clocks.
    for box in plan.note_boxes.values():
        assert not any(box.intersects(c.label_box) or box.intersects(c.bracket) for c in plan.layout.clocks)


@needs_pdftoppm
def test_the_brackets_print_in_the_clock_colour(tmp_path: Path) -> None:
    plan = plan_chart(FLOW, TRAIL)
    (image,) = render_png(render_flowchart_pdf(FLOW, TRAIL), tmp_path, dpi=100)
    handling = plan.layout.clocks[1]
    x0, y0 = plan.place.point((handling.x - 1.5, (handling.top + handling.bottom) / 2 - 10))
    x1, y1 = plan.place.point((handling.x + 1.5, (handling.top + handling.bottom) / 2 + 10))
    k = 100 / 72
    box = (round(x0 * k), round((plan.place.page_height - y0) * k), round(x1 * k) + 1,
           round((plan.place.page_height - y1) * k))
    r, g, b = CLOCK.rgb()
    assert share_of_colour(image, box, (round(r * 255), round(g * 255), round(b * 255)), tolerance=60) > 0.2


def test_the_printed_flowchart_of_a_record_shows_where_its_clocks_stand(ctx: AppContext) -> None:
    from app.core.roles import Role
    from app.forms import load_flowchart
    from app.printing.kit.flowchart import render_flowchart
    from app.services.kernel.clock import office_today
    from tests.helpers import add_unit, add_user
    from tests.helpers.clock_flow import new_clocked, overdue_reading

    unit = add_unit(ctx, "信访局")
    starter = add_user(ctx, "petition", [Role.PETITION_OFFICER], unit, "孙接待")
    today = office_today()
    record = new_clocked(ctx, starter, today - timedelta(days=70), at="handle")
    text = compact(page_text(render_flowchart(load_flowchart(ctx, record))))
    for expected in ("受理时限15日", "办理时限60日", overdue_reading(text, today), "当前环节：办理"):
        assert expected in text, expected
