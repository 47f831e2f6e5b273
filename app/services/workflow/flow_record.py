"""What the window of a record that is a flow alone (a 事项 of the 工作台, with no area's record behind it)
reads: where it stands, its 催办 and its clocks, in one unit of work and one check of who may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.services.kernel.access import acting
from app.services.kernel.clock import office_today
from app.services.workflow import clocks, urges
from app.services.workflow.detail import InstanceDetail, instance_detail

if TYPE_CHECKING:
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class FlowRecord:
    detail: InstanceDetail
    urges: list[urges.UrgeInfo]
    clocks: list[clocks.ClockView]


@acting
def flow_record(uow: UnitOfWork, actor: Actor, instance_id: int, today: date | None = None) -> FlowRecord:
    """Refused (as instance_detail refuses) to one who may not see the record, before its 催办 are read."""
    detail = instance_detail(uow, actor, instance_id)
    return FlowRecord(
        detail, urges.urges_for(uow, instance_id),
        clocks.clock_readings(uow, actor, instance_id, today or office_today()),
    )
