"""The loaders of the workflow's own forms, for a record of any area: the 催办单 and the 流程图."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.forms.context import Source, actor_of, record_item_print
from app.services.kernel.settings import get_setting

if TYPE_CHECKING:
    from app.printing.kit.flowchart import FlowchartData
    from app.printing.kit.urge_slip import UrgeSlipData


def load_urge_slip(ctx: Source, instance_id: int) -> UrgeSlipData:
    from app.printing.kit.urge_slip import PreviousUrge, UrgeSlipData
    from app.services.workflow import urges, visibility

    with ctx.uow() as uow:
        # The slip names the record and its urges: only for whoever may see the record (app.services.workflow.visibility).
        visibility.require_visible(uow, actor_of(ctx), instance_id, "打印催办单")
        facts = urges.urge_slip_facts(uow, instance_id)
        record_item_print(uow, ctx, "urge-slip", instance_id)
    latest = facts.latest
    return UrgeSlipData(
        **facts.head_fields(),
        due_provisional=facts.due_provisional,
        urged_at=latest.at,
        urged_by=latest.by_name,
        method=latest.method,
        note=latest.note,
        previous_urges=tuple(PreviousUrge(u.at, u.by_name, u.method, u.note) for u in facts.previous),
        reply_deadline=facts.reply_due,
        reply_provisional=facts.reply_provisional,
    )


def load_flowchart(ctx: Source, instance_id: int) -> FlowchartData:
    from app.core.workflow.layout import FlowTrail
    from app.printing.kit.flowchart import FlowchartData
    from app.services.workflow import clocks
    from app.services.workflow import detail as workflow_detail

    with ctx.uow() as uow:
        detail = workflow_detail.instance_detail(uow, actor_of(ctx), instance_id)
        # Where each of the record's clocks stands, printed by its bracket.
        clock_views = clocks.clock_readings(uow, actor_of(ctx), instance_id)
        office = str(get_setting(uow, "office_name"))
        record_item_print(uow, ctx, "flowchart", instance_id)
    trail: FlowTrail = clocks.trail_with_clocks(detail.trail, clock_views)
    return FlowchartData(
        flow=detail.flow, trail=trail, title=f"{detail.flow.label}：{detail.info.title}", office_name=office
    )

