"""A record's flow as its window shows it: where it stands, its history with the labels a reader
sees, and the moves open to this user now.

Apart from app.services.workflow.moves, which the 工作台 loads at every start: these records are needed only
once a record's window opens."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, exists, false, select

from app.core.workflow import Flow, Transition
from app.db.tables import delegations, workflow_history
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import (
    InstanceInfo,
    active_delegation,
    actor_facts_for,
    available_actions,
    effective_roles,
    flow_for,
    get_instance,
    instance_info,
    principals_of,
    unit_head_id,
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
    # A delegate's act: the person it was done for (代理), "" for one's own.
    on_behalf_of_name: str = ""

    @property
    def actor_text(self) -> str:
        """Who acted, as the history shows it: 刘副县长（代陈县长）."""
        return f"{self.actor_name}（代{self.on_behalf_of_name}）" if self.on_behalf_of_name else self.actor_name


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
            actor_name=r.actor_name, opinion=r.opinion, on_behalf_of_name=getattr(r, "on_behalf_of_name", "") or "",
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ActionChoice:
    """A move the actor may make now, with whether it needs an opinion, and whether the person who acts at the
    step it leads to may be named (送…: app.services.workflow.handlers.handler_candidates)."""

    action: str
    label: str
    kind: str
    requires_opinion: bool
    target_label: str = ""
    names_handler: bool = False


def choice_of(flow: Flow, t: Transition) -> ActionChoice:
    return ActionChoice(t.action, t.label, t.kind, t.requires_opinion, flow.step(t.target).label,
                        t.kind == "forward" and flow.names_handler(t.target))


@dataclass(frozen=True)
class InstanceDetail:
    """A record's window: where it stands, its history and what the actor may do."""

    info: InstanceInfo
    history: list[HistoryEntry]
    actions: list[ActionChoice]
    owner_name: str
    unit_name: str
    flow: Flow
    # 撤回: the actor made the last move and may still take it back (app.services.workflow.withdrawal).
    may_withdraw: bool = False

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
    from app.services.workflow.withdrawal import may_withdraw, note_opened

    instance = get_instance(uow, instance_id)
    if not access_checked:
        require_visible(uow, actor, instance.id)
    flow = flow_for(uow, instance.flow_key, instance.flow_version)
    choices = [choice_of(flow, t) for t in available_actions(uow, actor, instance, facts)]
    info = instance_info(instance, flow)
    entries = history(uow, instance_id)
    detail = InstanceDetail(
        info=info,
        history=entries,
        actions=choices,
        owner_name=user_full_name(uow, instance.owner_id),
        unit_name=unit_name(uow, instance.unit_id),
        flow=flow,
        may_withdraw=may_withdraw(actor, info, flow, entries[-1] if entries else None),
    )
    note_opened(uow, actor, info, bool(choices))
    return detail


def delegated_to(actor: Actor, today: date | None = None) -> ColumnElement[bool]:
    """Whether someone has delegated to the actor for today, as a column a record's own statement reads (so
    that the window asks who, in a statement of its own, only when someone has)."""
    if actor.id is None:
        return false()
    return exists().where(delegations.c.delegate_id == actor.id, active_delegation(today or date.today()))


@acting
def acting_for(uow: UnitOfWork, actor: Actor, info: InstanceInfo) -> list[tuple[Actor, bool]]:
    """The people the actor acts for today, each with whether they head the record's unit: for
    assembled_detail, when the record's statement said someone has delegated to the actor."""
    head = unit_head_id(uow, info.unit_id)
    return [(p, p.id == head) for p in principals_of(uow, actor)]


@acting
def opened(uow: UnitOfWork, actor: Actor, detail: InstanceDetail) -> InstanceDetail:
    """What a record's own detail service does with its assembled detail: notes that someone who may act
    at the step opened it (so its mover can no longer withdraw it)."""
    from app.services.workflow.withdrawal import note_opened

    note_opened(uow, actor, detail.info, bool(detail.actions))
    return detail


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
    principals: Sequence[tuple[Actor, bool]] = (),
) -> InstanceDetail:
    """instance_detail from what a record's service has already read with its record (no statement): the
    same moves as app.services.workflow.moves.available_actions, with the same facts about the actor, and
    about each person the actor acts for today (principals, with whether each heads the record's unit)."""
    from app.services.workflow.withdrawal import may_withdraw

    found: dict[str, ActionChoice] = {}
    if not info.closed:
        for who, heads in ((actor, actor_heads_unit), *principals):
            if info.assignee_id is not None and info.assignee_id != who.id:
                continue
            context = {**facts, **actor_facts_for(who, info, heads)}
            for t in flow.available(info.state, effective_roles(who, info), context):  # type: ignore[arg-type]
                found.setdefault(t.action, choice_of(flow, t))
    return InstanceDetail(
        info=info, history=history_entries, actions=list(found.values()), owner_name=owner_name,
        unit_name=unit_name, flow=flow,
        may_withdraw=may_withdraw(actor, info, flow, history_entries[-1] if history_entries else None),
    )
