"""The 报账 flow an administrator edits: the current approval list, saving a new version, the versions.

Every save is a new version. A claim keeps the version it started with (WorkflowInstance.flow_version),
so changing the flow never moves a claim that is already on its way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, select

from app.core.errors import ConflictError
from app.core.roles import Role
from app.core.workflow import Flow, flow_to_dict
from app.core.workflow.approval_chain import (
    DEFAULT_CHAIN,
    FLOW_KEY,
    ApprovalChain,
    chain_from_dict,
    chain_to_dict,
    compile_chain,
)
from app.models import FlowDefinition, User, WorkflowInstance
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import flow_for

BUILT_IN_VERSION = 1


@dataclass(frozen=True)
class FlowVersionInfo:
    version: int
    saved_at: datetime | None  # None for the built-in version
    saved_by: str
    open_claims: int
    current: bool


def _stored(uow: UnitOfWork, version: int | None = None) -> FlowDefinition | None:
    query = select(FlowDefinition).where(FlowDefinition.flow_key == FLOW_KEY)
    if version is not None:
        query = query.where(FlowDefinition.flow_version == version)
    return uow.session.execute(query.order_by(FlowDefinition.flow_version.desc()).limit(1)).scalar_one_or_none()


def current_version(uow: UnitOfWork) -> int:
    latest = uow.session.execute(
        select(func.max(FlowDefinition.flow_version)).where(FlowDefinition.flow_key == FLOW_KEY)
    ).scalar_one_or_none()
    return int(latest) if latest is not None else BUILT_IN_VERSION


def chain_for(uow: UnitOfWork, version: int | None = None) -> tuple[ApprovalChain, int]:
    """The approval list of that version (the newest when None), and its version number."""
    row = _stored(uow, version)
    if row is None or (version is not None and row.flow_version != version):
        return DEFAULT_CHAIN, BUILT_IN_VERSION
    data = json.loads(row.definition)
    if "chain" not in data:
        # Saved by something other than this editor: the list cannot be recovered, so start from the default.
        return DEFAULT_CHAIN, row.flow_version
    return chain_from_dict(data["chain"]), row.flow_version


def preview(chain: ApprovalChain) -> Flow:
    """The flow this list would make, for the editor's flowchart; FlowDefinitionError says what is wrong."""
    return compile_chain(chain, version=0)


@acting
def save_chain(uow: UnitOfWork, actor: Actor, chain: ApprovalChain, expected_version: int) -> Flow:
    """Stores the list as the next version. Claims already started keep theirs."""
    require_role(actor, [Role.ADMIN], "修改报账流程")
    current = current_version(uow)
    if expected_version != current:
        raise ConflictError(
            f"报账流程已被其他管理员改为第{current}版，请关闭编辑器重新打开，在最新版本上修改"
        )
    flow = compile_chain(chain, version=current + 1)
    definition = {**flow_to_dict(flow), "chain": chain_to_dict(chain)}
    uow.session.add(
        FlowDefinition(
            flow_key=FLOW_KEY, flow_version=flow.version, definition=json.dumps(definition, ensure_ascii=False),
            created_by=actor.id,
        )
    )
    uow.flush()
    uow.record(
        actor.id, actor.username, "update", "flow", flow.version,
        {"flow": FLOW_KEY, "version": flow.version, "steps": [s.label for s in chain.steps]},
        change_op="update",
    )
    uow.cache.clear()
    uow.commit()
    return flow


@acting
def versions(uow: UnitOfWork, actor: Actor) -> list[FlowVersionInfo]:
    """Every version, newest first, with how many claims are still on their way under each."""
    require_role(actor, [Role.ADMIN], "查看报账流程的版本")
    open_counts = dict(
        uow.session.execute(
            select(WorkflowInstance.flow_version, func.count())
            .where(WorkflowInstance.flow_key == FLOW_KEY, WorkflowInstance.closed == false())
            .group_by(WorkflowInstance.flow_version)
        ).all()
    )
    current = current_version(uow)
    rows = uow.session.execute(
        select(FlowDefinition, User.full_name)
        .outerjoin(User, User.id == FlowDefinition.created_by)
        .where(FlowDefinition.flow_key == FLOW_KEY)
        .order_by(FlowDefinition.flow_version.desc())
    )
    result = [
        FlowVersionInfo(row.flow_version, row.created_at, name or "", int(open_counts.get(row.flow_version, 0)),
                        row.flow_version == current)
        for row, name in rows
    ]
    result.append(
        FlowVersionInfo(BUILT_IN_VERSION, None, "系统默认", int(open_counts.get(BUILT_IN_VERSION, 0)),
                        current == BUILT_IN_VERSION)
    )
    return result


def current_flow(uow: UnitOfWork) -> Flow:
    return flow_for(uow, FLOW_KEY)
