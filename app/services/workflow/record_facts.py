"""Facts about a record that the engine's own features supply to its guards, beside the area's facts and the
actor's: today the parallel work a transition waits for (Transition.waits_for).

moves.available_actions and moves.resolve_transition merge these in after the caller's facts, so that no
caller can say the work is done when it is not. A step none of whose transitions waits for anything costs
nothing: nothing is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.workflow import Flow
from app.core.workflow.engine import PENDING_WORK_FACT
from app.services.kernel.uow import UnitOfWork

if TYPE_CHECKING:
    from app.models import WorkflowInstance


def record_facts(uow: UnitOfWork, instance: WorkflowInstance, flow: Flow) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    if any(t.waits_for for t in flow.transitions_from(instance.state)):
        # Imported here: moves (which the 工作台 loads at every start) needs it only for such a step.
        from app.services.workflow.parallel import pending_work

        facts[PENDING_WORK_FACT] = pending_work(uow, instance.id, instance.state)
    return facts
