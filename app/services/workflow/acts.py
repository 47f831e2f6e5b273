"""One way to act on a record in a flow: the opening every step's service shares.

A step's service (发文 签发, 收文 批办, 报账 审批 …) opens its record with open_act, which
1. loads the record as its area does, with the area's own visibility rule;
2. refuses a record changed since the caller read it (expected_version: ConflictError);
3. refuses the act unless the record's own flow version allows it at the step where the record stands. The
   steps are read from that flow, as the steps a transition with the act's move leaves from, and are not
   typed in the service: a flow an administrator has edited is followed as it was saved, and a record begun
   on an older version follows that version to its end;
4. refuses, before anything the user wrote is judged, someone who may not take the move now (the flow's
   roles, the person the step is assigned to, the guards on who acts).
The step's service then holds only what is particular to that step. Nothing here writes, so a refusal
leaves no history, audit or change-feed row behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from app.core.errors import WorkflowError
from app.core.workflow import Flow
from app.core.workflow.flows import builtin_flow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow

if TYPE_CHECKING:
    from app.models import WorkflowInstance

R = TypeVar("R")


class RecordArea(Protocol[R]):
    """How an area's records are opened for an act (app.services.documents.records.DocumentArea, claims.RECORDS)."""

    # What a refusal calls a record of the area where it says where the record stands: "这份公文".
    noun: str

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str
    ) -> tuple[R, WorkflowInstance]:
        """The record and its flow instance, or the area's refusal: not found, not the actor's to see,
        changed since expected_version (ConflictError), or not a record this act is for."""
        ...

    def name(self, record: R) -> str:
        """The record as a refusal names it: “关于…的通知”, 报销单BX2026-0001."""
        ...

    def facts(self, uow: UnitOfWork, record: R) -> Mapping[str, Any]:
        """The facts about the record that its flow's guards read."""
        ...


def flow_of(uow: UnitOfWork, instance: WorkflowInstance) -> Flow:
    """The flow version the record runs on. A built-in version is used as it is, without asking the database:
    the versions an administrator saves are numbered after the built-in ones, so none replaces them."""
    return builtin_flow(instance.flow_key, instance.flow_version) or workflow.flow_for(
        uow, instance.flow_key, instance.flow_version
    )


def steps_taking(flow: Flow, moves: Iterable[str]) -> tuple[str, ...]:
    """The steps of this flow that a transition with one of these moves leaves from, in the flow's order."""
    wanted = set(moves)
    return tuple(s.key for s in flow.steps if any(t.action in wanted for t in flow.transitions_from(s.key)))


def require_step(
    flow: Flow, instance: WorkflowInstance, steps: Sequence[str], doing: str, *, name: str, noun: str
) -> None:
    """Refuses, saying where the record stands and where the act belongs, a record at none of these steps."""
    if instance.state in steps:
        return
    here = flow.step(instance.state).label
    if instance.closed:
        # The final steps are mostly named as done already (已归档, 已撤销); 办结 is not.
        raise WorkflowError(f"{name}{'' if here.startswith('已') else '已'}{here}，不能再{doing}")
    if not steps:
        raise WorkflowError(
            f"{name}按{flow.label}流程第{flow.version}版办理，这一版流程中没有可以{doing}的环节"
        )
    names = "、".join(flow.step(s).label for s in steps)
    raise WorkflowError(f"{doing}须在“{names}”环节办理，{noun}现在在“{here}”环节")


def _require_mover(
    uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, flow: Flow, move: str, facts: Mapping[str, Any]
) -> None:
    """Refuses someone who may not take this move now, as the move itself would (app.services.workflow.moves):
    a delegate inside the period (代理) may, wherever the person who delegated may."""
    # What the record itself must meet (会签 complete, every 传阅 copy read …) is judged by the move, with
    # the facts as this step leaves them: here only who acts (PermissionDenied) may refuse.
    with contextlib.suppress(WorkflowError):
        workflow.resolve_for(uow, actor, instance, move, None, facts)


@acting
def open_act(
    uow: UnitOfWork,
    actor: Actor,
    area: RecordArea[R],
    record_id: int,
    doing: str,
    *,
    move: str | None = None,
    at_steps_of: str | Sequence[str] | None = None,
    during: Sequence[str] = (),
    who: Callable[[R, WorkflowInstance], None] | None = None,
    elsewhere: Callable[[R, WorkflowInstance], None] | None = None,
    expected_version: int | None = None,
) -> tuple[R, WorkflowInstance]:
    """Opens a record for one act (``doing`` names it in refusals: "签发"), or refuses it; writes nothing.

    move: the flow's move the act takes. It may be done at the steps that move leaves from, by someone who
      may take it now.
    at_steps_of: for an act that prepares or accompanies a move (修改拟稿 before 送核稿, 指定承办单位 before
      承办完成), or whose decision picks its move (复核: on, or back for 复审): the act is done at the steps
      these moves leave from. Without move, who may act is the step service's own rule (who).
    during: for an act that is no move at all (a unit's 会签 opinion, 传阅, 答复): the steps, by key, at which
      it is done, of those the record's flow version has.
    who: the step's own rule on who acts, checked after loading and before the step (its refusal first).
    elsewhere: called when the record stands at none of the act's steps, to refuse in the step's own words
      (这份公文已有发文字号); where it does not raise, the refusal names the steps.
    With none of move, at_steps_of and during, the act is not tied to a step (签收 of a distributed copy).
    """
    record, instance = area.load(uow, actor, record_id, expected_version, doing)
    if who is not None:
        who(record, instance)
    if move is None and at_steps_of is None and not during:
        return record, instance
    flow = flow_of(uow, instance)
    if at_steps_of is not None:
        steps = steps_taking(flow, (at_steps_of,) if isinstance(at_steps_of, str) else at_steps_of)
    elif move is not None:
        steps = steps_taking(flow, (move,))
    else:
        steps = tuple(key for key in during if flow.has_step(key))
    if instance.state not in steps and elsewhere is not None:
        elsewhere(record, instance)
    require_step(flow, instance, steps, doing, name=area.name(record), noun=area.noun)
    if move is not None:
        _require_mover(uow, actor, instance, flow, move, area.facts(uow, record))
    return record, instance


__all__ = ["RecordArea", "flow_of", "open_act", "require_step", "steps_taking"]
