"""The printable forms with their data sources: where the printing registry meets the services.

The CLI (`govdesk print`) and the GUI's print actions both use build_registry(), so a form prints the
same from either. Loaders turn a record id into the plain dataclass a form draws.
"""

from __future__ import annotations

from datetime import timedelta

from app.bootstrap import AppContext
from app.core.workflow.layout import FlowTrail
from app.printing.flowchart import FlowchartData
from app.printing.registry import FormRegistry, default_registry
from app.printing.urge_slip import PreviousUrge, UrgeSlipData
from app.services import urges, workflow
from app.services.actor import SYSTEM_ACTOR
from app.services.settings import get_setting


def load_urge_slip(ctx: AppContext, instance_id: int) -> UrgeSlipData:
    with ctx.uow() as uow:
        facts = urges.urge_slip_facts(uow, instance_id)
    latest = facts.latest
    return UrgeSlipData(
        office_name=facts.office_name,
        serial=facts.serial,
        item_title=facts.item_title,
        item_kind=facts.item_kind,
        current_step=facts.current_step,
        responsible_unit=facts.responsible_unit,
        responsible_person=facts.responsible_person,
        due_date=facts.due_date,
        overdue_days=facts.overdue_days,
        urged_at=latest.at,
        urged_by=latest.by_name,
        method=latest.method,
        note=latest.note,
        previous_urges=tuple(PreviousUrge(u.at, u.by_name, u.method, u.note) for u in facts.previous),
        # The reply is due within two days of the urge: the office's 限时办结 practice.
        reply_deadline=latest.at.astimezone().date() + timedelta(days=2),
    )


def load_flowchart(ctx: AppContext, instance_id: int) -> FlowchartData:
    with ctx.uow() as uow:
        detail = workflow.instance_detail(uow, SYSTEM_ACTOR, instance_id)
        office = str(get_setting(uow, "office_name"))
    trail: FlowTrail = detail.trail
    return FlowchartData(
        flow=detail.flow, trail=trail, title=f"{detail.flow.label}：{detail.info.title}", office_name=office
    )


def build_registry() -> FormRegistry:
    registry = default_registry()
    registry.attach_loader("urge-slip", load_urge_slip)
    registry.attach_loader("flowchart", load_flowchart)
    return registry


__all__ = ["build_registry"]
