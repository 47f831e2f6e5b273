"""What the case window shows, read in one unit of work off the GUI thread: the case as this user may read it
(its unmasked view audited by records.get_petition), where it stands with the moves open to this user, its
clocks, files and 催办, the assigned unit's task and objections, the follow-up visits, the unit's work items and,
for those who see every case, the petitioner's history. Nothing here builds SQL: each part is a service's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.bootstrap import AppContext
from app.core.petitions.flow import ENTITY
from app.services.kernel.actor import Actor
from app.services.kernel.attachments import AttachmentInfo, list_attachments
from app.services.petitions import lifecycle, records, repeats
from app.services.petitions.lifecycle import AssignmentInfo, ObjectionInfo, VisitInfo
from app.services.petitions.records import PetitionInfo
from app.services.petitions.repeats import HistoryRow
from app.services.workflow import clocks, parallel, urges
from app.services.workflow import detail as workflow_detail
from app.services.workflow.clocks import ClockView
from app.services.workflow.detail import InstanceDetail
from app.services.workflow.urges import UrgeInfo


@dataclass(frozen=True)
class CaseView:
    info: PetitionInfo
    workflow: InstanceDetail
    clocks: list[ClockView]
    files: list[AttachmentInfo]
    urges: list[UrgeInfo]
    assignment: AssignmentInfo | None
    objections: list[ObjectionInfo]
    visits: list[VisitInfo]
    work_items: parallel.WorkItems
    # The petitioner's cases and their reviews; None for a reader who does not see every case (a unit's 联络员).
    history: list[HistoryRow] | None
    today: date
    reader_id: int | None

    @property
    def responsible(self) -> bool:
        """Whether the reader answers for the case (首问负责)."""
        return self.reader_id is not None and self.reader_id == self.info.responsible_id

    def open_objection(self) -> ObjectionInfo | None:
        return next((o for o in reversed(self.objections) if not o.outcome), None)


def read_case(ctx: AppContext, actor: Actor, petition_id: int, today: date | None = None) -> CaseView:
    """The case window's parts as ``actor`` may read them."""
    today = today or date.today()
    with ctx.uow() as uow:
        info = records.get_petition(uow, actor, petition_id)
        flow = workflow_detail.instance_detail(uow, actor, info.instance_id, access_checked=True)
        history = repeats.petitioner_history(uow, actor, petition_id) if records.sees_all(actor) else None
        return CaseView(
            info=info, workflow=flow, clocks=clocks.clock_readings(uow, actor, info.instance_id, today),
            files=list_attachments(uow, ENTITY, petition_id), urges=urges.urges_for(uow, info.instance_id),
            assignment=lifecycle.assignment_of(uow, actor, petition_id, today=today),
            objections=lifecycle.objections_of(uow, actor, petition_id),
            visits=lifecycle.visits_of(uow, actor, petition_id),
            work_items=parallel.work_items_of(uow, actor, info.instance_id), history=history, today=today,
            reader_id=actor.id,
        )
