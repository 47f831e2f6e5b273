"""What the 报销单 window shows (app.services.claims.records.get_claim), read in two statements.

The claim, its flow record and the stored text of its flow version, the names and heads of its
department and of the responsible unit, and the owner's name are one statement; after the visibility
check (app.services.claims.records.can_see's rules), the lines, the history, the receipts, the 催办 and the
department's budgets for the year, each with what the department's other claims have used, are one more
(app.services.kernel.child_rows). With BEGIN and ROLLBACK that is four round trips on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import false, func, select, true

from app.core.claims import settle, totals_by_category
from app.core.errors import NotFound, PermissionDenied
from app.core.roles import Role
from app.core.workflow.approval_chain import FILL_STEP
from app.db.tables import units, users, workflow_history, workflow_instances
from app.models import Attachment, Budget, Claim, ClaimLineItem, Urge
from app.services.claims import budgets
from app.services.claims.records import ENTITY, OVERSEERS, ClaimDetail, ClaimInfo, ClaimLineInfo, handler_roles
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.child_rows import Branch, read_children
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import detail as workflow_detail
from app.services.workflow import urges
from app.services.workflow.moves import WINDOW_COLUMNS, flow_with_definition, info_from_row, stored_definition

_department = units.alias("claim_unit")
_responsible = units.alias("responsible_unit")
_owner = users.alias("owner")


def _header(uow: UnitOfWork, actor: Actor, claim_id: int) -> Any:
    table = Claim.__table__
    wi = workflow_instances.c
    statement = (
        select(
            *table.c,
            *(column.label(f"wi_{column.key}") for column in WINDOW_COLUMNS),
            wi.id.is_not(None).label("has_instance"),
            stored_definition(wi.flow_key, wi.flow_version).label("stored_flow"),
            _department.c.name.label("unit_name"),
            _department.c.head_user_id.label("unit_head_id"),
            _responsible.c.name.label("responsible_unit_name"),
            _responsible.c.head_user_id.label("responsible_head_id"),
            _owner.c.full_name.label("owner_name"),
            workflow_detail.delegated_to(actor).label("delegated"),
        )
        .select_from(table)
        .outerjoin(workflow_instances, wi.id == table.c.instance_id)
        .outerjoin(_department, _department.c.id == table.c.unit_id)
        .outerjoin(_responsible, _responsible.c.id == wi.unit_id)
        .outerjoin(_owner, _owner.c.id == wi.owner_id)
        .where(table.c.id == claim_id)
    )
    return uow.execute(statement).one_or_none()


def _can_see(actor: Actor, claim: Any, handlers: frozenset[str]) -> bool:
    """app.services.claims.records.can_see, on the header row."""
    if actor.id is None or claim.claimant_id == actor.id:
        return True
    if not claim.submitted:
        return False
    if actor.has(*OVERSEERS) or actor.roles & handlers:
        return True
    # The claim's department is one the actor heads.
    return bool(claim.unit_head_id == actor.id)


def _branches(claim: Any) -> list[Branch]:
    moves = workflow_history.c
    first, last = date(claim.claim_date.year, 1, 1), date(claim.claim_date.year, 12, 31)
    other = Claim.__table__.alias("other_claim")
    other_lines = ClaimLineItem.__table__.alias("other_line")
    used = (
        select(func.coalesce(func.sum(other_lines.c.amount), 0))
        .select_from(other_lines.join(other, other.c.id == other_lines.c.claim_id))
        .where(
            other.c.unit_id == claim.unit_id, other.c.claim_date >= first, other.c.claim_date <= last,
            other.c.submitted == true(), other.c.withdrawn == false(), other.c.id != claim.id,
            other_lines.c.category == Budget.category,
        )
        .scalar_subquery()
    )
    return [
        Branch("line", ClaimLineItem.__table__, {
            "id": ClaimLineItem.id, "position": ClaimLineItem.position, "summary": ClaimLineItem.summary,
            "category": ClaimLineItem.category, "amount": ClaimLineItem.amount,
        }, ClaimLineItem.claim_id == claim.id, ("position", "id")),
        Branch("history", workflow_history, {
            "id": moves.id, "at": moves.at, "from_state": moves.from_state, "to_state": moves.to_state,
            "action": moves.action, "action_label": moves.action_label, "actor_name": moves.actor_name,
            "opinion": moves.opinion, "on_behalf_of_name": moves.on_behalf_of_name,
        }, moves.instance_id == claim.instance_id),
        Branch("file", Attachment.__table__, {
            "id": Attachment.id, "owner_type": Attachment.owner_type, "owner_id": Attachment.owner_id,
            "purpose": Attachment.purpose, "filename": Attachment.filename, "mime_type": Attachment.mime_type,
            "size": Attachment.size, "sha256": Attachment.sha256, "sort_order": Attachment.sort_order,
        }, (Attachment.owner_type == ENTITY) & (Attachment.owner_id == claim.id), ("sort_order", "id")),
        Branch("urge", Urge.__table__, {
            "id": Urge.id, "instance_id": Urge.instance_id, "by_name": Urge.by_name, "method": Urge.method,
            "note": Urge.note, "at": Urge.at, "reply_due": Urge.reply_due,
            "reply_due_provisional": Urge.reply_due_provisional,
        }, Urge.instance_id == claim.instance_id),
        Branch("budget", Budget.__table__, {
            "id": Budget.id, "category": Budget.category, "amount": Budget.amount, "used": used,
        }, (Budget.unit_id == claim.unit_id) & (Budget.year == claim.claim_date.year)),
    ]


@acting
def read_claim_detail(uow: UnitOfWork, actor: Actor, claim_id: int) -> ClaimDetail:
    claim = _header(uow, actor, claim_id)
    if claim is None or claim.instance_id is None:
        raise NotFound("找不到该报销单，可能已被删除")
    if not claim.has_instance:
        raise NotFound("找不到该报销单的办理记录")
    flow = flow_with_definition(uow, claim.wi_flow_key, claim.wi_flow_version, claim.stored_flow)
    if not _can_see(actor, claim, handler_roles(flow)):
        if not claim.submitted:
            raise PermissionDenied(f"报销单{claim.number}还没有提交，只有报销人{claim.claimant_name}本人可以查看")
        raise PermissionDenied("这张报销单不是您的，也不在您审批的范围内，不能查看")
    instance = info_from_row([getattr(claim, f"wi_{column.key}") for column in WINDOW_COLUMNS], flow)
    children = read_children(uow, _branches(claim))

    # The claim's facts for its flow's guards (claims._facts).
    facts = {
        "amount": claim.total,
        "over_budget": bool(claim.over_budget),
        "no_unit_reviewer": claim.unit_head_id is None or claim.unit_head_id == claim.claimant_id,
    }
    detail = workflow_detail.assembled_detail(
        actor, instance, flow, workflow_detail.labelled_history(children["history"], flow), facts,
        actor_heads_unit=actor.id is not None and claim.responsible_head_id == actor.id,
        owner_name=claim.owner_name or "", unit_name=claim.responsible_unit_name or "",
        principals=workflow_detail.acting_for(uow, actor, instance) if claim.delegated else (),
    )
    # Opened by someone who may act at the step: its mover can no longer withdraw it (撤回).
    workflow_detail.opened(uow, actor, detail)
    lines = [ClaimLineInfo(line.summary, line.category, Decimal(line.amount)) for line in children["line"]]
    by_category = totals_by_category((line.category, line.amount) for line in lines)
    filling = not instance.closed and instance.state == FILL_STEP
    owner = actor.id is not None and claim.claimant_id == actor.id
    return ClaimDetail(
        info=_claim_info(claim, instance),
        lines=lines,
        budget=_budget_lines(children["budget"], by_category),
        workflow=detail,
        receipts=[
            attachments.AttachmentInfo(a.id, a.owner_type, a.owner_id, a.purpose, a.filename, a.mime_type, a.size,
                                       a.sha256)
            for a in children["file"]
        ],
        urges=[
            urges.UrgeInfo(u.id, u.instance_id, u.by_name, u.method, u.note, u.at, u.reply_due,
                           bool(u.reply_due_provisional))
            for u in children["urge"]
        ],
        can_edit=owner and filling,
        # As claims._require_receipt_rights: the claimant while filling, then finance, on others' claims only.
        can_add_receipts=not instance.closed and (
            (owner and filling) or (not owner and bool(claim.submitted) and actor.has(Role.FINANCE))
        ),
    )


def _budget_lines(rows: list[Any], by_category: dict[str, Decimal]) -> list[budgets.BudgetLine]:
    """budgets.budget_status, from the department's budget rows read with their use."""
    found = {row.category: row for row in rows}
    lines = []
    for category, amount in by_category.items():
        row = found.get(category)
        if row is None:
            continue
        budget = Decimal(row.amount).quantize(budgets.ZERO)
        spent = Decimal(row.used or 0).quantize(budgets.ZERO)
        lines.append(budgets.BudgetLine(category, budget, spent, amount, budget - spent - amount))
    return lines


def _claim_info(claim: Any, instance: Any) -> ClaimInfo:
    total, advance = Decimal(claim.total), Decimal(claim.advance)
    settlement = settle(total, advance)
    return ClaimInfo(
        id=claim.id, number=claim.number, title=claim.title, unit_id=claim.unit_id,
        unit_name=claim.unit_name or "", claimant_id=claim.claimant_id, claimant_name=claim.claimant_name,
        claim_date=claim.claim_date, receipts_count=claim.receipts_count, total=total, advance=advance,
        refund=settlement.refund, top_up=settlement.top_up, over_budget=claim.over_budget,
        submitted=claim.submitted, withdrawn=claim.withdrawn, paid_on=claim.paid_on,
        payment_method=claim.payment_method, paid_by_name=claim.paid_by_name, voucher_number=claim.voucher_number,
        booked_on=claim.booked_on, booked_by_name=claim.booked_by_name, instance_id=instance.id,
        state=instance.state, state_label=instance.state_label, closed=instance.closed,
        due_date=instance.due_date, due_provisional=instance.due_provisional, flow_version=instance.flow_version,
        version=claim.version,
    )
