"""A small test flow for the worklist's features (send to a named person, 撤回, 代理, actor facts), saved as an
administrator's flow version so the generic services run it, and helpers to walk records along it on the
document office (tests.helpers.document_office: 陈县长 is the principal county leader, 刘副县长 is not)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.core.roles import Role
from app.core.workflow import Condition, Flow, Step, TimeLimit, Transition, flow_to_dict, roles
from app.core.workflow.engine import OWNER, PRINCIPAL
from app.models import AuditEntry, FlowDefinition, WorkflowHistory
from app.services.kernel.actor import Actor
from app.services.workflow import moves, todo
from tests.helpers.document_office import TODAY, Office

RESPONSIBLE = Condition("actor_is_responsible", "==", True)

FLOW = Flow(
    key="worklist_test",
    label="测试流程",
    start="draft",
    steps=(
        Step("draft", "拟稿", roles(Role.SECRETARY), TimeLimit(3)),
        Step("review", "审核", roles(Role.DIRECTOR, Role.DEPUTY_DIRECTOR), TimeLimit(2)),
        Step("sign", "签批", roles(Role.COUNTY_LEADER), TimeLimit(2)),
        Step("done", "办结", frozenset(), final=True),
    ),
    transitions=(
        Transition("draft", "submit", "review", "送审", conditions=(OWNER,)),
        Transition("review", "approve", "sign", "审核通过"),
        # The person answerable for the record (its starter) may close it at 审核 themself.
        Transition("review", "close", "done", "直接办结", roles=roles(Role.SECRETARY), conditions=(RESPONSIBLE,)),
        Transition("review", "return", "draft", "退回", kind="return", requires_opinion=True),
        Transition("sign", "sign", "done", "签批", conditions=(PRINCIPAL,)),
        Transition("sign", "return", "review", "退回", kind="return", requires_opinion=True),
    ),
)


def save_test_flow(office: Office) -> None:
    with office.ctx.uow() as uow:
        uow.session.add(FlowDefinition(
            flow_key=FLOW.key, flow_version=FLOW.version, created_by=office.admin.id,
            definition=json.dumps(flow_to_dict(FLOW), ensure_ascii=False),
        ))
        uow.commit()


def start_record(office: Office, who: Actor, title: str = "关于冬季防火的请示", urgency: str = "") -> int:
    with office.ctx.uow() as uow:
        instance = moves.start(uow, who, flow_key=FLOW.key, entity_type="test", title=title, urgency=urgency,
                               today=TODAY)
        uow.commit()
        return instance.id


def move(office: Office, who: Actor, instance_id: int, action: str, opinion: str = "", *,
         send_to: int | None = None, today: date = TODAY) -> moves.InstanceInfo:
    return office.run(moves.transition, who, instance_id, action, opinion, today=today, send_to=send_to)


def todo_titles(office: Office, who: Actor, today: date = TODAY, view: str = "all") -> list[str]:
    with office.ctx.uow() as uow:
        return [i.info.title for i in todo.todo(uow, who, today=today, view=view).items]


def todo_items(office: Office, who: Actor, today: date = TODAY) -> list[todo.TodoItem]:
    with office.ctx.uow() as uow:
        return todo.todo(uow, who, today=today).items


def state_of(office: Office, instance_id: int) -> tuple[str, int | None, int | None]:
    """Step, assignee and mover of a record."""
    with office.ctx.uow() as uow:
        instance = moves.get_instance(uow, instance_id)
        return instance.state, instance.assignee_id, instance.moved_by_id


def trail(office: Office, instance_id: int) -> list[tuple[str, str, str]]:
    """(action, actor, on behalf of) of each history row."""
    with office.ctx.uow() as uow:
        rows = uow.session.execute(
            select(WorkflowHistory.action, WorkflowHistory.actor_name, WorkflowHistory.on_behalf_of_name)
            .where(WorkflowHistory.instance_id == instance_id).order_by(WorkflowHistory.id)
        ).all()
        return [(a, n, b) for a, n, b in rows]


def audit_count(office: Office) -> int:
    with office.ctx.uow() as uow:
        return int(uow.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def snapshot(office: Office, instance_id: int) -> tuple[Any, ...]:
    """What a refusal must leave as it was."""
    return state_of(office, instance_id), len(trail(office, instance_id)), audit_count(office)
