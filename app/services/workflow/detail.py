"""A record's flow as its window shows it: where it stands, its history with the labels a reader
sees, and the moves open to this user now.

Apart from app.services.workflow.moves, which the 工作台 loads at every start: these records are needed only
once a record's window opens."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.core.workflow import Flow
from app.db.tables import workflow_history
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import (
    InstanceInfo,
    available_actions,
    effective_roles,
    flow_for,
    get_instance,
    instance_info,
    unit_name,
    user_full_name,
)
from app.services.workflow.visibility import require_visible

if TYPE_CHECKING:
    from app.core.workflow.layout import FlowTrail


@dataclass(frozen=True)
class HistoryEntry:
    """One move in a record's history, with the labels a reader sees."""

    at: datetime
    from_state: str | None
    from_label: str
    to_state: str
    to_label: str
    action: str
    action_label: str
    actor_name: str
    opinion: str


def history(uow: UnitOfWork, instance_id: int) -> list[HistoryEntry]:
    instance = get_instance(uow, instance_id)
    return flow_history(uow, instance_id, flow_for(uow, instance.flow_key, instance.flow_version))


def flow_history(uow: UnitOfWork, instance_id: int, flow: Flow) -> list[HistoryEntry]:
    """An instance's history labelled by its flow, on the plain table: for a caller that has the flow
    already and reads no mapped object (a printed form, app.services.documents.printed)."""
    moves = workflow_history.c
    rows = uow.execute(select(workflow_history).where(moves.instance_id == instance_id).order_by(moves.id))
    return labelled_history(rows, flow)


def labelled_history(rows: Iterable[Any], flow: Flow) -> list[HistoryEntry]:
    """History rows (with the workflow_history columns' names, in their order) labelled by their flow."""

    def label(state: str | None) -> str:
        return flow.step(state).label if state and flow.has_step(state) else ""

    return [
        HistoryEntry(
            at=r.at, from_state=r.from_state, from_label=label(r.from_state), to_state=r.to_state,
            to_label=label(r.to_state), action=r.action, action_label=r.action_label,
            actor_name=r.actor_name, opinion=r.opinion,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ActionChoice:
    """A move the actor may make now, with whether it needs an opinion."""

    action: str
    label: str
    kind: str
    requires_opinion: bool


@dataclass(frozen=True)
class InstanceDetail:
    """A record's window: where it stands, its history and what the actor may do."""

    info: InstanceInfo
    history: list[HistoryEntry]
    actions: list[ActionChoice]
    owner_name: str
    unit_name: str
    flow: Flow

    @property
    def trail(self) -> FlowTrail:
        """Who acted at which step and when, for the flowchart's highlighted path."""
        # Imported here: the layout module is only needed when a flowchart is drawn, not at start-up.
        from app.core.workflow.layout import FlowTrail

        visited = [(h.from_state, h.actor_name, h.at) for h in self.history if h.from_state]
        return FlowTrail(current_step=None if self.info.closed and not visited else self.info.state,
                         visited=visited)


@acting
def instance_detail(
    uow: UnitOfWork, actor: Actor, instance_id: int, facts: Mapping[str, Any] | None = None,
    *, access_checked: bool = False,
) -> InstanceDetail:
    """Everything a record's window shows about where it stands, and what this user may do now.

    access_checked: the record's own service has already decided that this user may see it.
    """
    instance = get_instance(uow, instance_id)
    if not access_checked:
        require_visible(uow, actor, instance.id)
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    choices = [
        ActionChoice(t.action, t.label, t.kind, t.requires_opinion)
        for t in available_actions(uow, actor, instance, facts)
    ]
    return InstanceDetail(
        info=instance_info(instance, flow),
        history=history(uow, instance_id),
        actions=choices,
        owner_name=user_full_name(uow, instance.owner_id),
        unit_name=unit_name(uow, instance.unit_id),
        flow=flow,
    )


def assembled_detail(
    actor: Actor,
    info: InstanceInfo,
    flow: Flow,
    history_entries: list[HistoryEntry],
    facts: Mapping[str, Any],
    *,
    actor_heads_unit: bool,
    owner_name: str,
    unit_name: str,
) -> InstanceDetail:
    """instance_detail from what a record's service has already read with its record (no statement): the
    same moves as app.services.workflow.moves.available_actions, with the same facts about the actor."""
    choices: list[ActionChoice] = []
    if not info.closed and (info.assignee_id is None or info.assignee_id == actor.id):
        context = {
            **facts,
            "actor_is_owner": actor.id is not None and info.owner_id == actor.id,
            "actor_is_principal": actor.is_principal,
            "actor_heads_unit": actor_heads_unit,
        }
        choices = [
            ActionChoice(t.action, t.label, t.kind, t.requires_opinion)
            for t in flow.available(info.state, effective_roles(actor, info), context)  # type: ignore[arg-type]
        ]
    return InstanceDetail(
        info=info, history=history_entries, actions=choices, owner_name=owner_name, unit_name=unit_name, flow=flow
    )
