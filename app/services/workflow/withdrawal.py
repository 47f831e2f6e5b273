"""撤回: the person who moved a record on takes the move back, until its next handler has opened the record or
acted on it, and only for moves a plain step back undoes (Transition.may_withdraw).

Each move records its mover and clears the time the record was first opened (app.services.workflow.moves);
the record windows' reads call note_opened when someone who may act at the step opens it. A withdrawal puts
the record back at the step it came from, as the mover's own (assigned to them), with its due date and clocks
recomputed, a history row (撤回) and an audit entry: the next handler's to-do is gone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update

from app.core.calendar import local_time
from app.core.errors import PermissionDenied, WorkflowError
from app.core.printable import check_printable
from app.core.workflow import Flow, Transition
from app.db.tables import utcnow, workflow_history, workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.move_effects import after_move
from app.services.workflow.moves import (
    InstanceInfo,
    _set_due,
    flow_for,
    get_instance,
    instance_info,
    touch_record,
    user_full_name,
)

# The history's action for a withdrawal: not "withdraw", which the 报账 flow's 撤销 already is.
WITHDRAW_ACTION = "take_back"
WITHDRAW_LABEL = "撤回"
_WI = workflow_instances.c


def withdrawn_move(flow: Flow, from_state: str | None, action: str, to_state: str) -> Transition | None:
    """The flow's transition a history row records, if it is one that may be withdrawn."""
    if from_state is None or not flow.has_step(from_state) or not flow.has_step(to_state):
        return None
    for t in flow.transitions_from(from_state):
        if t.action == action and t.target == to_state:
            return t if t.may_withdraw(flow) else None
    return None


def may_withdraw(actor: Actor, info: InstanceInfo, flow: Flow, last: Any) -> bool:
    """Whether the actor may withdraw the record's last move now, from what a record's window has read: the
    record and its latest history row (with from_state, to_state and action), without a statement."""
    if actor.id is None or info.closed or info.moved_by_id != actor.id or info.opened_at is not None:
        return False
    if last is None or last.to_state != info.state:
        return False
    return withdrawn_move(flow, last.from_state, last.action, last.to_state) is not None


@acting
def note_opened(uow: UnitOfWork, actor: Actor, info: InstanceInfo, may_act: bool) -> None:
    """The record's window was opened by someone who may act at its step: from now on its mover cannot
    withdraw it. Written once (one statement and its commit, only the first time), by no one else."""
    if not may_act or info.closed or info.opened_at is not None or info.moved_by_id in (None, actor.id):
        return
    uow.execute(
        update(workflow_instances)
        .where(_WI.id == info.id, _WI.opened_at.is_(None), _WI.state == info.state)
        .values(opened_at=utcnow())
    )
    uow.commit()


def _last_row(uow: UnitOfWork, instance_id: int) -> Any:
    h = workflow_history.c
    return uow.execute(
        select(h.from_state, h.to_state, h.action, h.action_label, h.actor_id)
        .where(h.instance_id == instance_id)
        .order_by(h.id.desc())
        .limit(1)
    ).first()


@acting
def withdraw(
    uow: UnitOfWork,
    actor: Actor,
    instance_id: int,
    *,
    reason: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> InstanceInfo:
    """撤回 the actor's last move of this record (see the module's doc); commits."""
    from app.models import WorkflowHistory
    from app.services.workflow.visibility import require_visible

    instance = get_instance(uow, instance_id, expected_version)
    require_visible(uow, actor, instance.id, "撤回")
    check_printable(reason, "撤回理由", field="opinion")
    if instance.closed:
        raise WorkflowError(f"“{instance.title}”已办结，不能撤回")
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    here = flow.step(instance.state).label
    last = _last_row(uow, instance.id)
    if instance.moved_by_id != actor.id or last is None:
        mover = user_full_name(uow, instance.moved_by_id)
        who = f"由{mover}送出" if mover else "不是您送出的"
        raise PermissionDenied(f"“{instance.title}”现在在“{here}”环节，{who}，只有送出它的人可以撤回")
    if (last.actor_id != actor.id or last.to_state != instance.state or last.from_state is None
            or last.from_state == last.to_state):
        raise WorkflowError(f"“{here}”环节已有人办理过此事项，不能撤回；如需修改，请联系对方退回")
    if instance.opened_at is not None:
        opened = local_time(instance.opened_at)
        raise WorkflowError(
            f"对方已于{opened:%m月%d日 %H:%M}打开此事项，不能撤回；如需修改，请联系“{here}”环节的办理人退回"
        )
    move = withdrawn_move(flow, last.from_state, last.action, last.to_state)
    if move is None:
        raise WorkflowError(f"“{last.action_label}”之后不能撤回（已有不能撤销的后续手续），如需修改，请联系对方退回")
    day = today or date.today()
    back_to = last.from_state
    instance.state = back_to
    instance.entered_at = utcnow()
    # Theirs again: the role pool of the step does not get it back, the mover does.
    instance.assignee_id = actor.id
    instance.moved_by_id = None
    instance.opened_at = None
    _set_due(instance, flow, work_calendar(uow), day)
    after_move(uow, actor, instance, flow, last.to_state, day)
    # The area's record changed with it: a window that read it before is refused, as after any act.
    touch_record(uow, instance)
    uow.session.add(
        WorkflowHistory(
            instance_id=instance.id, from_state=last.to_state, to_state=back_to, action=WITHDRAW_ACTION,
            action_label=WITHDRAW_LABEL, actor_id=actor.id, actor_name=actor.full_name, opinion=reason.strip(),
            at=instance.entered_at,
        )
    )
    uow.record(
        actor.id, actor.username, "withdraw", instance.entity_type,
        instance.entity_id if instance.entity_id is not None else instance.id,
        # As a move's "transition" entry (instance, action, state), with the move it takes back.
        {"instance": instance.id, "action": WITHDRAW_ACTION, "state": [last.to_state, back_to],
         "withdrawn": last.action, "reason": reason.strip()},
        change_op="update",
    )
    uow.flush()
    info = instance_info(instance, flow)
    uow.commit()
    return info

