"""重新打开: a record at a final step taken back to a step of its flow, with the reason recorded (a 已销号
督办事项 whose problem came back). A final step has no moves, so this is no transition: the history reads
"重新打开" with the reason, and the engine's features that follow moves (clocks, duties) start again as on
any entry into the step.

The area's service says who may reopen its records and when; this checks what every reopening needs: the
record is visible to the actor, it is at a final step, the step it goes back to is one of the flow's and
the actor acts there, and a reason is given.
"""

from __future__ import annotations

from datetime import date

from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.printable import check_printable
from app.models import WorkflowHistory, WorkflowInstance
from app.models.base import utcnow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.move_effects import after_move
from app.services.workflow.moves import _set_due, flow_for
from app.services.workflow.visibility import require_visible

MAX_REASON = 500


@acting
def reopen(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, to_step: str, reason: str, today: date | None = None,
) -> None:
    """Reopens the record at ``to_step``. Does not commit: the area's service commits with its own changes."""
    today = today or date.today()
    require_visible(uow, actor, instance.id, "重新打开")
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    if not instance.closed or not flow.step(instance.state).final:
        raise WorkflowError(f"“{instance.title}”尚未办结，不需要重新打开")
    target = flow.step(to_step)
    if target.final:
        raise WorkflowError(f"不能重新打开到结束环节“{target.label}”")
    if not actor.roles & target.roles:
        raise PermissionDenied(f"您不在“{target.label}”环节办理，不能重新打开这件事项")
    reason = reason.strip()
    if not reason:
        raise ValidationError("请填写重新打开的理由", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"重新打开的理由不能超过{MAX_REASON}个字", field="reason")
    check_printable(reason, "重新打开的理由", field="reason")
    from_state = instance.state
    instance.state = target.key
    instance.closed = False
    instance.closed_at = None
    instance.entered_at = utcnow()
    instance.assignee_id = None
    instance.moved_by_id = actor.id
    instance.opened_at = None
    _set_due(instance, flow, work_calendar(uow), today)
    after_move(uow, actor, instance, flow, from_state, today)
    uow.session.add(WorkflowHistory(
        instance_id=instance.id, from_state=from_state, to_state=target.key, action="reopen",
        action_label="重新打开", actor_id=actor.id, actor_name=actor.full_name, opinion=reason,
        at=instance.entered_at,
    ))
    uow.record(
        actor.id, actor.username, "reopen", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        {"instance": instance.id, "state": [from_state, target.key], "reason": reason}, change_op="update",
    )
    uow.flush()
