"""What a record's entering a step changes beside the step itself: each engine feature that follows the record
across moves (its clocks, its recurring duties …) keeps its own tables in step here.

moves.start and moves.apply_transition call after_move inside the move's unit of work, once the instance stands
at its new step with its step's due date set; from_state is None at the start. An effect may refuse the move
(raising a GovDeskError): the unit of work then rolls back with everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from app.core.workflow import Flow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork

if TYPE_CHECKING:
    from app.models import WorkflowInstance

MoveEffect = Callable[[UnitOfWork, Actor, "WorkflowInstance", Flow, "str | None", date], None]


def _effects() -> tuple[MoveEffect, ...]:
    # Imported on the first move, not with moves (which the 工作台 loads at every start).
    from app.services.workflow import clocks, duties

    return (clocks.follow_move, duties.follow_move)


@acting
def after_move(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, flow: Flow, from_state: str | None, today: date
) -> None:
    for effect in _effects():
        effect(uow, actor, instance, flow, from_state, today)
