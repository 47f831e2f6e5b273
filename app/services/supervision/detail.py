"""What an item's window shows: the item, where it stands and its history, its files, its 催办, and what this
user may do now — the flow's moves and the item's own acts (进展报告, 反馈, 办结报告, 修改, 重新打开)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.roles import Role
from app.core.supervision.flow import HANDLE, PROGRESS_DUTY
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.attachments import AttachmentInfo, list_attachments
from app.services.kernel.uow import UnitOfWork
from app.services.supervision.items import ENTITY, LEADERS, ItemInfo, item_info, load
from app.services.workflow import detail as workflow_detail
from app.services.workflow import duties, parallel, urges
from app.services.workflow import moves as workflow


@dataclass(frozen=True)
class ItemDetail:
    info: ItemInfo
    workflow: workflow_detail.InstanceDetail
    files: list[AttachmentInfo]
    urges: list[urges.UrgeInfo]
    # The item's own acts open to this user now.
    may_edit: bool
    may_report_progress: bool
    may_report_task: bool
    may_report_completion: bool
    may_reopen: bool
    # 报请销号 where the lead unit's 办结报告 is in but not yet accepted: the move accepts it (the flow's own
    # move is offered once the report is accepted in 责任与进展).
    may_request_close: bool
    may_add_files: bool
    # The progress reports' rhythm and next due day, as the header says them ("每周，下次12月4日前").
    rhythm_text: str
    next_report_due: date | None
    report_overdue: bool


@acting
def item_detail(uow: UnitOfWork, actor: Actor, item_id: int, today: date | None = None) -> ItemDetail:
    today = today or date.today()
    item, instance = load(uow, actor, item_id)
    info = item_info(uow, item, instance)
    flow_detail = workflow_detail.instance_detail(uow, actor, instance.id, access_checked=True)
    progress = next((d for d in duties.duties_of(uow, actor, instance.id, today) if d.key == PROGRESS_DUTY), None)
    open_tasks = [i for i in parallel.work_items_of(uow, actor, instance.id).items
                  if i.step_key == HANDLE and i.state == "sent" and actor.unit_id is not None
                  and i.unit_id == actor.unit_id and actor.has(Role.LIAISON)]
    acting_for = {actor.id, *(p.id for p in workflow.principals_of(uow, actor, today))}
    responsible = instance.responsible_id is not None and instance.responsible_id in acting_for
    leads = [i for i in parallel.work_items_of(uow, actor, instance.id).items if i.lead and i.step_key == HANDLE]
    office = actor.has(Role.SECRETARY, *LEADERS)
    related_unit = actor.has(Role.LIAISON) and actor.unit_id in {info.lead_unit_id, *(u for u, _n in info.co_units)}
    detail = ItemDetail(
        info=info, workflow=flow_detail, files=list_attachments(uow, ENTITY, item.id),
        urges=urges.urges_for(uow, instance.id),
        may_edit=not instance.closed and (responsible or actor.has(*LEADERS)),
        may_report_progress=progress is not None and progress.active and progress.may_report,
        may_report_task=any(not t.lead for t in open_tasks),
        may_report_completion=any(t.lead for t in open_tasks),
        may_reopen=instance.closed and not item.cancelled and actor.has(*LEADERS),
        may_request_close=instance.state == HANDLE and responsible and bool(leads) and leads[-1].state == "reported",
        may_add_files=not instance.closed and (office or related_unit),
        rhythm_text=progress.rhythm.describe() if progress is not None else "",
        next_report_due=progress.next_due if progress is not None and progress.active else None,
        report_overdue=bool(progress and progress.active and progress.next_due and progress.next_due < today),
    )
    uow.commit()
    return detail


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@acting
def responsible_choices(uow: UnitOfWork, actor: Actor) -> list[Person]:
    """Who the register form offers as 责任人 (一事一人): the office's active 文秘 and leaders."""
    from app.core.errors import PermissionDenied
    from app.services.supervision.items import REGISTRARS, responsible_candidates

    if not actor.has(*REGISTRARS):
        raise PermissionDenied("只有文秘人员、办公室主任或副主任可以登记督办事项")
    return [Person(u.id, u.full_name) for u in responsible_candidates(uow)]


@dataclass(frozen=True)
class SlipFacts:
    """What the 督办通知单 of one item prints: the item, the office, and the day it was sent (交办)."""

    info: ItemInfo
    office_name: str
    issued_on: date
    rhythm_text: str


@acting
def slip_facts(uow: UnitOfWork, actor: Actor, item_id: int) -> SlipFacts:
    """The 督办通知单's facts, for whoever sees the item: issued on the day of its latest 交办 or 重新打开 (its
    registration before it is sent)."""
    from sqlalchemy import select

    from app.models import WorkflowHistory
    from app.services.kernel.clock import local_date
    from app.services.kernel.settings import get_setting

    item, instance = load(uow, actor, item_id)
    info = item_info(uow, item, instance)
    sent = uow.session.execute(
        select(WorkflowHistory.at).where(WorkflowHistory.instance_id == instance.id,
                                         WorkflowHistory.action.in_(("assign", "reopen")))
        .order_by(WorkflowHistory.id.desc()).limit(1)
    ).scalar_one_or_none()
    issued = local_date(sent) if sent is not None else local_date(instance.created_at)
    progress = next((d for d in duties.duties_of(uow, actor, instance.id) if d.key == PROGRESS_DUTY), None)
    rhythm = f"{progress.rhythm.describe()}报送一次进展" if progress is not None else ""
    return SlipFacts(info, str(get_setting(uow, "office_name")), min(issued, info.deadline), rhythm)
