"""Registers and notices built from documents: the 收文登记簿, and the quarterly 公文运转及差错情况通报
(counted in app.services.documents.notice, whose names this module also gives)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.core.documents import INCOMING
from app.core.errors import PermissionDenied
from app.core.workflow import Flow
from app.models import Document, DocumentCoHandler, Unit, WorkflowHistory, WorkflowInstance
from app.services.documents.notice import (
    REPORT_ROLES,
    ErrorLine,
    LateStep,
    OverdueLine,
    QuarterlyNotice,
    StepTime,
    UnitFigures,
    quarter_bounds,
    quarterly_notice,
)
from app.services.documents.records import flow_version, unit_scoped
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.clock import local_date
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.worklist import date_range

# ----- 收文登记簿 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One line of the 收文登记簿."""

    receipt_number: str
    received_on: date
    source_unit: str
    source_number: str
    title: str
    copies: int | None
    secrecy: str
    urgency: str
    handling_unit: str
    co_units: str
    deadline: date | None
    deadline_provisional: bool
    state_label: str
    result: str
    document_id: int
    concluded_on: date | None = None  # 办结日期: the day the 办结 step was completed
    remark: str = ""  # where the document stands: 已归档, 已退文, or the step it waits at (待归档 …)


def register_remark(step_label: str, final: bool) -> str:
    """备注 of the 收文登记簿. An open step reads as waiting (待归档), never as if done (归档)."""
    return step_label if final else f"待{step_label}"


def _concluded_on(uow: UnitOfWork, instance_ids: list[int]) -> dict[int, date]:
    """The local day each instance last left its 办结 step by concluding."""
    found: dict[int, date] = {}
    for start in range(0, len(instance_ids), 500):
        for instance_id, at in uow.session.execute(
            select(WorkflowHistory.instance_id, func.max(WorkflowHistory.at))
            .where(
                WorkflowHistory.instance_id.in_(instance_ids[start : start + 500]),
                WorkflowHistory.from_state == "conclude",
                WorkflowHistory.action == "conclude",
            )
            .group_by(WorkflowHistory.instance_id)
        ):
            found[instance_id] = local_date(at)
    return found


@acting
def incoming_register(uow: UnitOfWork, actor: Actor, *, date_from: date, date_to: date) -> list[RegisterRow]:
    """The 收文登记簿 for a period: every registered incoming document, in 收文编号 order."""
    if unit_scoped(actor):
        raise PermissionDenied("收文登记簿由办公室查阅和打印，请向办公室文秘人员索取")
    period = date_range(Document.doc_date, date_from, date_to)
    handling = aliased(Unit)
    rows = uow.session.execute(
        select(
            Document.id, Document.receipt_number, Document.doc_date, Document.source_unit, Document.source_number,
            Document.title, Document.copies_received, Document.secrecy, Document.urgency, Document.handling_deadline,
            Document.handling_provisional, Document.result, WorkflowInstance.flow_key, WorkflowInstance.flow_version,
            WorkflowInstance.state, WorkflowInstance.id.label("instance_id"), handling.name.label("handling_name"),
        )
        .join(WorkflowInstance, WorkflowInstance.id == Document.workflow_instance_id)
        .outerjoin(handling, handling.id == Document.handling_unit_id)
        .where(
            Document.direction == INCOMING,
            Document.receipt_number.is_not(None),
            *period,
        )
        .order_by(Document.receipt_year, Document.receipt_seq)
    ).all()
    co_names: dict[int, list[str]] = defaultdict(list)
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        for doc_id, name in uow.session.execute(
            select(DocumentCoHandler.document_id, Unit.name)
            .join(Unit, Unit.id == DocumentCoHandler.unit_id)
            .where(DocumentCoHandler.document_id.in_(ids[start : start + 500]))
            .order_by(DocumentCoHandler.id)
        ):
            co_names[doc_id].append(name)
    concluded = _concluded_on(uow, [row.instance_id for row in rows])
    flows: dict[tuple[str, int], Flow] = {}
    result = []
    for row in rows:
        key = (row.flow_key, row.flow_version)
        flow = flows.setdefault(key, flow_version(uow, *key))
        step = flow.step(row.state)
        result.append(
            RegisterRow(
                receipt_number=row.receipt_number or "", received_on=row.doc_date, source_unit=row.source_unit,
                source_number=row.source_number, title=row.title, copies=row.copies_received, secrecy=row.secrecy,
                urgency=row.urgency, handling_unit=row.handling_name or "", co_units="、".join(co_names[row.id]),
                deadline=row.handling_deadline, deadline_provisional=row.handling_provisional,
                state_label=step.label, result=row.result, document_id=row.id,
                concluded_on=concluded.get(row.instance_id), remark=register_remark(step.label, step.final),
            )
        )
    return result


__all__ = [
    "REPORT_ROLES",
    "ErrorLine",
    "LateStep",
    "OverdueLine",
    "QuarterlyNotice",
    "RegisterRow",
    "StepTime",
    "UnitFigures",
    "incoming_register",
    "quarter_bounds",
    "quarterly_notice",
]
