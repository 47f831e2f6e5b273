"""报账: filling in a claim (报销单), moving it through its approval flow, paying and booking it.

Who may do what at each step comes from the claim's flow version (app.services.claims.flow); this module
adds what the flow cannot say: the claim's own checks, the budget, the payment and the voucher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select

from app.core.claims import (
    PAYMENT_METHODS,
    VOUCHER_LENGTH,
    CheckedClaim,
    ClaimLine,
    LineInput,
    check_claim,
    check_claim_date,
    claim_title,
    format_claim_number,
    settle,
    totals_by_category,
)
from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.money import amount_in_words
from app.core.printable import check_printable
from app.core.roles import Role
from app.core.workflow import ANY_ROLE, Flow
from app.core.workflow.approval_chain import FILL_STEP, FLOW_KEY
from app.models import Claim, ClaimLineItem, Unit, WorkflowInstance
from app.models.base import utcnow
from app.services.claims import budgets
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.sequences import next_number
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import acts as workflow_acts
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from app.services.workflow import urges, visibility

ENTITY = "claim"
# A claim's files are its receipts (票据).
RECEIPTS = attachments.RecordFiles(ENTITY, "找不到该票据，可能已被删除")
# Roles that see every claim: the office's finance staff and its leaders.
OVERSEERS: tuple[Role, ...] = (Role.FINANCE, Role.CASHIER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)


@dataclass(frozen=True)
class ClaimInput:
    unit_id: int | None
    claim_date: date
    lines: Sequence[LineInput]
    receipts_count: str | int
    advance: str | Decimal = ""


# A line as a claim's views show it is the line as the rules checked it.
ClaimLineInfo = ClaimLine


@dataclass(frozen=True)
class ClaimInfo:
    id: int
    number: str
    title: str
    unit_id: int
    unit_name: str
    claimant_id: int | None
    claimant_name: str
    claim_date: date
    receipts_count: int
    total: Decimal
    advance: Decimal
    refund: Decimal
    top_up: Decimal
    over_budget: bool
    submitted: bool
    withdrawn: bool
    paid_on: date | None
    payment_method: str
    paid_by_name: str
    voucher_number: str
    booked_on: date | None
    booked_by_name: str
    instance_id: int
    state: str
    state_label: str
    closed: bool
    due_date: date | None
    due_provisional: bool
    flow_version: int
    version: int

    @property
    def total_in_words(self) -> str:
        return amount_in_words(self.total)


@dataclass(frozen=True)
class ClaimDetail:
    info: ClaimInfo
    lines: list[ClaimLineInfo]
    budget: list[budgets.BudgetLine]
    workflow: workflow_detail.InstanceDetail
    receipts: list[attachments.AttachmentInfo]
    urges: list[urges.UrgeInfo]
    can_edit: bool
    can_add_receipts: bool

    @property
    def flow(self) -> Flow:
        return self.workflow.flow


# ----- loading and permissions ------------------------------------------------------------------------


def handler_roles(flow: Flow) -> frozenset[str]:
    """Roles named at some step of the flow (not 'anyone'): they see the claims that pass them."""
    named: set[str] = set()
    for step in flow.steps:
        named |= step.roles
    return frozenset(named - {ANY_ROLE})


@acting
def sees_all(uow: UnitOfWork, actor: Actor) -> bool:
    if actor.has(*OVERSEERS):
        return True
    return bool(actor.roles & handler_roles(workflow.flow_for(uow, FLOW_KEY)))


@acting
def headed_units(uow: UnitOfWork, actor: Actor) -> list[int]:
    if actor.id is None:
        return []
    return list(uow.session.execute(select(Unit.id).where(Unit.head_user_id == actor.id)).scalars())


@acting
def can_see(uow: UnitOfWork, actor: Actor, claim: Claim, instance: WorkflowInstance) -> bool:
    if actor.id is None:
        # The command line (`govdesk print`) acts for whoever may read the database itself.
        return True
    if claim.claimant_id == actor.id:
        return True
    if not claim.submitted:
        # A draft never submitted is still the claimant's own business.
        return False
    if actor.has(*OVERSEERS):
        return True
    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
    if actor.roles & handler_roles(flow):
        return True
    return claim.unit_id in headed_units(uow, actor)


def _visible_instances(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool] | None:
    """can_see as SQL on the flow's instances, for the workflow's own reads (app.services.workflow.visibility)."""
    entity = WorkflowInstance.entity_id
    own = entity.in_(select(Claim.id).where(Claim.claimant_id == actor.id))
    # Asked as "not a draft never submitted": the drafts are few, the submitted claims nearly all (a list of
    # them cost a query 20 ms at 100,000 claims, every time).
    never_submitted = select(Claim.id).where(Claim.submitted == false())
    submitted = entity.not_in(never_submitted)
    if actor.has(*OVERSEERS):
        return or_(own, submitted)
    # The roles named in the claim's own flow version, as can_see reads them.
    versions = [version for (key, version), flow in workflow.every_flow(uow).items()
                if key == FLOW_KEY and actor.roles & handler_roles(flow)]
    # Read by the unit (ix_claims_unit_date), "submitted" asked of the few drafts: given "submitted = true",
    # SQLite read every submitted claim to find the head's department's (78 ms at 100,000, for every query).
    headed = entity.in_(
        select(Claim.id).where(
            Claim.unit_id.in_(select(Unit.id).where(Unit.head_user_id == actor.id)), Claim.id.not_in(never_submitted)
        )
    )
    if not versions:
        # Left out, not "IN ()": the rule is then two lists of claims, which 综合查询 can walk instead of every
        # claim holding a common term (app.services.search.query).
        return or_(own, headed)
    return or_(own, and_(WorkflowInstance.flow_version.in_(versions), submitted), headed)


visibility.register(ENTITY, _visible_instances)


@acting
def load(
    uow: UnitOfWork, actor: Actor, claim_id: int, expected_version: int | None = None
) -> tuple[Claim, WorkflowInstance]:
    claim = uow.session.get(Claim, claim_id)
    if claim is None or claim.instance_id is None:
        raise NotFound("找不到该报销单，可能已被删除")
    instance = uow.found(WorkflowInstance, claim.instance_id, "找不到该报销单的办理记录")
    if not can_see(uow, actor, claim, instance):
        if not claim.submitted:
            raise PermissionDenied(f"报销单{claim.number}还没有提交，只有报销人{claim.claimant_name}本人可以查看")
        raise PermissionDenied("这张报销单不是您的，也不在您审批的范围内，不能查看")
    if expected_version is not None and claim.version != expected_version:
        raise ConflictError(f"报销单{claim.number}已被其他人修改或办理，请刷新后再操作")
    return claim, instance


def _facts(uow: UnitOfWork, claim: Claim) -> dict[str, Any]:
    head = uow.session.execute(select(Unit.head_user_id).where(Unit.id == claim.unit_id)).scalar_one_or_none()
    return {
        "amount": claim.total,
        "over_budget": bool(claim.over_budget),
        "no_unit_reviewer": head is None or head == claim.claimant_id,
    }


# The claim's facts for the reads that have only its flow instance (whom a move may be sent to).
workflow.register_facts(
    ENTITY, lambda uow, claim_id: _facts(uow, uow.found(Claim, claim_id, "找不到该报销单")),
    lambda uow, claim_id: _touch(uow.found(Claim, claim_id, "找不到该报销单")),
)


class _ClaimRecords:
    """Claims as app.services.workflow.acts opens them for a step's service: load() with its visibility."""

    noun = "这张报销单"

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str
    ) -> tuple[Claim, WorkflowInstance]:
        return load(uow, actor, record_id, expected_version)

    def name(self, claim: Claim) -> str:
        return f"报销单{claim.number}"

    def facts(self, uow: UnitOfWork, claim: Claim) -> dict[str, Any]:
        return _facts(uow, claim)


RECORDS = _ClaimRecords()


def _open_filling(
    uow: UnitOfWork, actor: Actor, claim_id: int, doing: str, move: str | None, expected_version: int | None
) -> tuple[Claim, WorkflowInstance]:
    """A claim its claimant fills in (修改, 提交, 撤销): at the step the flow's 提交 leaves from, the claimant's own."""

    def claimant_only(claim: Claim, instance: WorkflowInstance) -> None:
        if actor.id is None or claim.claimant_id != actor.id:
            raise PermissionDenied(f"只有报销人{claim.claimant_name}本人可以{doing}")

    def submitted(claim: Claim, instance: WorkflowInstance) -> None:
        if not instance.closed:
            raise WorkflowError(f"报销单{claim.number}已经提交审批，不能再{doing}；如需修改，请审批人退回")

    return workflow_acts.open_act(
        uow, actor, RECORDS, claim_id, doing, move=move, at_steps_of="submit", who=claimant_only,
        elsewhere=submitted, expected_version=expected_version,
    )


def _touch(claim: Claim) -> None:
    """Every act on a claim bumps its version, so a second client acting on what it saw is refused."""
    claim.updated_at = utcnow()


def _audit(uow: UnitOfWork, actor: Actor, action: str, claim: Claim, detail: dict[str, Any]) -> None:
    uow.record(actor.id, actor.username, action, ENTITY, claim.id, detail, change_op="update")


def _unit(uow: UnitOfWork, actor: Actor, unit_id: int | None) -> Unit:
    chosen = unit_id if unit_id is not None else actor.unit_id
    if chosen is None:
        raise ValidationError("请选择报销部门", field="unit_id")
    unit = uow.session.get(Unit, chosen)
    if unit is None or not unit.active:
        raise ValidationError("所选报销部门不存在或已停用，请重新选择", field="unit_id")
    if actor.unit_id is not None and unit.id != actor.unit_id and not actor.has(Role.FINANCE):
        # The department pays from its budget and its head reviews: nobody charges another's.
        raise ValidationError("只能以本人所在部门报销；代其他部门填报请找财务人员", field="unit_id")
    return unit


# ----- building the views -----------------------------------------------------------------------------


def claim_info(uow: UnitOfWork, claim: Claim, instance: WorkflowInstance) -> ClaimInfo:
    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
    unit = uow.session.get(Unit, claim.unit_id)
    total, advance = Decimal(claim.total), Decimal(claim.advance)
    settlement = settle(total, advance)
    return ClaimInfo(
        id=claim.id, number=claim.number, title=claim.title, unit_id=claim.unit_id,
        unit_name=unit.name if unit else "", claimant_id=claim.claimant_id, claimant_name=claim.claimant_name,
        claim_date=claim.claim_date, receipts_count=claim.receipts_count, total=total, advance=advance,
        refund=settlement.refund, top_up=settlement.top_up, over_budget=claim.over_budget,
        submitted=claim.submitted, withdrawn=claim.withdrawn, paid_on=claim.paid_on,
        payment_method=claim.payment_method, paid_by_name=claim.paid_by_name, voucher_number=claim.voucher_number,
        booked_on=claim.booked_on, booked_by_name=claim.booked_by_name, instance_id=instance.id,
        state=instance.state, state_label=flow.step(instance.state).label, closed=instance.closed,
        due_date=instance.due_date, due_provisional=instance.due_provisional, flow_version=instance.flow_version,
        version=claim.version,
    )


def _commit_info(uow: UnitOfWork, claim: Claim, instance: WorkflowInstance) -> ClaimInfo:
    """How every act on a claim ends: the claim as the act leaves it, read in the act's transaction, then
    committed."""
    info = claim_info(uow, claim, instance)
    uow.commit()
    return info


def _by_category(claim: Claim) -> dict[str, Decimal]:
    return totals_by_category((line.category, Decimal(line.amount)) for line in claim.lines)


@acting
def get_claim(uow: UnitOfWork, actor: Actor, claim_id: int) -> ClaimDetail:
    """Everything the claim's window shows, with the same visibility as load(), in two statements
    (app.services.claims.detail)."""
    from app.services.claims.detail import read_claim_detail

    return read_claim_detail(uow, actor, claim_id)


# ----- filling in -------------------------------------------------------------------------------------


def _write_lines(claim: Claim, checked: CheckedClaim) -> None:
    claim.lines.clear()
    for position, line in enumerate(checked.lines):
        claim.lines.append(ClaimLineItem(position=position, summary=line.summary, category=line.category,
                                         amount=line.amount))
    claim.total = checked.total
    claim.advance = checked.advance
    claim.receipts_count = checked.receipts_count
    claim.title = claim_title(checked.lines)[:200]


@acting
def create_claim(
    uow: UnitOfWork, actor: Actor, data: ClaimInput, *, submit: bool = False, today: date | None = None
) -> ClaimInfo:
    """A new claim by the acting user, saved as a draft at 经办人填报, or submitted at once."""
    today = today or date.today()
    if actor.id is None:
        raise PermissionDenied("报销单必须由具体的经办人填报")
    unit = _unit(uow, actor, data.unit_id)
    check_claim_date(data.claim_date, today)
    checked = check_claim(data.lines, data.receipts_count, data.advance)
    year = data.claim_date.year
    seq = next_number(uow, "claim", year)
    claim = Claim(
        year=year, seq=seq, number=format_claim_number(year, seq), unit_id=unit.id, claimant_id=actor.id,
        claimant_name=actor.full_name, claim_date=data.claim_date, title="", total=Decimal(0),
    )
    _write_lines(claim, checked)
    uow.session.add(claim)
    uow.flush()
    instance = workflow.start(
        uow, actor, flow_key=FLOW_KEY, entity_type=ENTITY, entity_id=claim.id,
        title=f"{claim.number} {claim.title}", unit_id=unit.id, today=today,
    )
    claim.instance_id = instance.id
    if submit:
        _submit(uow, actor, claim, instance, today)
    uow.flush()
    return _commit_info(uow, claim, instance)


@acting
def update_claim(
    uow: UnitOfWork, actor: Actor, claim_id: int, data: ClaimInput, *, expected_version: int | None = None,
    submit: bool = False, today: date | None = None,
) -> ClaimInfo:
    """The claimant edits a draft or a returned claim, and may resubmit it in the same step."""
    today = today or date.today()
    claim, instance = _open_filling(uow, actor, claim_id, "修改", None, expected_version)
    unit = _unit(uow, actor, data.unit_id)
    check_claim_date(data.claim_date, today)
    checked = check_claim(data.lines, data.receipts_count, data.advance)
    before = {"total": str(claim.total), "unit_id": claim.unit_id, "lines": len(claim.lines)}
    claim.unit_id = unit.id
    claim.claim_date = data.claim_date
    _write_lines(claim, checked)
    instance.unit_id = unit.id
    instance.title = f"{claim.number} {claim.title}"[:300]
    _touch(claim)
    _audit(uow, actor, "update", claim, {
        "before": before, "after": {"total": str(claim.total), "unit_id": unit.id, "lines": len(claim.lines)},
    })
    if submit:
        _submit(uow, actor, claim, instance, today)
    uow.flush()
    return _commit_info(uow, claim, instance)


def _submit(
    uow: UnitOfWork, actor: Actor, claim: Claim, instance: WorkflowInstance, today: date, send_to: int | None = None
) -> None:
    status = budgets.budget_status(uow, claim.unit_id, claim.claim_date.year, _by_category(claim), claim.id)
    claim.over_budget = any(line.over for line in status)
    claim.submitted = True
    uow.flush()
    workflow.apply_transition(uow, actor, instance, "submit", "", _facts(uow, claim), today, send_to=send_to)
    _touch(claim)


@acting
def submit(
    uow: UnitOfWork, actor: Actor, claim_id: int, *, expected_version: int | None = None, today: date | None = None,
    send_to: int | None = None,
) -> ClaimInfo:
    """提交; send_to: the person named to review it first (None: the step's holders)."""
    claim, instance = _open_filling(uow, actor, claim_id, "提交", "submit", expected_version)
    _submit(uow, actor, claim, instance, today or date.today(), send_to)
    return _commit_info(uow, claim, instance)


@acting
def withdraw(
    uow: UnitOfWork, actor: Actor, claim_id: int, reason: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> ClaimInfo:
    claim, instance = _open_filling(uow, actor, claim_id, "撤销", "withdraw", expected_version)
    workflow.apply_transition(uow, actor, instance, "withdraw", reason, _facts(uow, claim), today)
    claim.withdrawn = True
    _touch(claim)
    return _commit_info(uow, claim, instance)


# ----- approving ---------------------------------------------------------------------------------------


@acting
def decide(
    uow: UnitOfWork, actor: Actor, claim_id: int, action: str, opinion: str, *,
    expected_version: int | None = None, today: date | None = None, send_to: int | None = None,
) -> ClaimInfo:
    """审核/审批: approve with an opinion, or return to the claimant with the reason. send_to: the person named
    to act at the step an approval leads to (审批)."""
    if action not in ("approve", "return"):
        raise WorkflowError("审批只能是同意或退回")
    claim, instance = workflow_acts.open_act(
        uow, actor, RECORDS, claim_id, "审批" if action == "approve" else "退回", move=action,
        expected_version=expected_version,
    )
    if action == "approve" and not opinion.strip():
        raise ValidationError("请填写审批意见（例如：同意。）", field="opinion")
    if len(opinion.strip()) > 500:
        raise ValidationError("意见不能超过500个字", field="opinion")
    workflow.apply_transition(uow, actor, instance, action, opinion, _facts(uow, claim), today, send_to=send_to)
    _touch(claim)
    return _commit_info(uow, claim, instance)


@acting
def pay(
    uow: UnitOfWork, actor: Actor, claim_id: int, *, paid_on: date, method: str, note: str = "",
    expected_version: int | None = None, today: date | None = None,
) -> ClaimInfo:
    """出纳付款: the date and how the money went out."""
    today = today or date.today()
    claim, instance = workflow_acts.open_act(
        uow, actor, RECORDS, claim_id, "付款", move="pay", expected_version=expected_version
    )
    if method not in PAYMENT_METHODS:
        raise ValidationError(f"付款方式只能是：{'、'.join(PAYMENT_METHODS)}", field="method")
    if paid_on > today:
        raise ValidationError("付款日期不能晚于今天", field="paid_on")
    if paid_on < claim.claim_date:
        raise ValidationError("付款日期不能早于报销日期", field="paid_on")
    opinion = f"{method}付款" + (f"：{note.strip()}" if note.strip() else "")
    workflow.apply_transition(uow, actor, instance, "pay", opinion, _facts(uow, claim), today)
    claim.paid_on = paid_on
    claim.payment_method = method
    claim.paid_by_name = actor.full_name
    claim.paid_at = utcnow()
    _touch(claim)
    _audit(uow, actor, "pay", claim, {"paid_on": paid_on.isoformat(), "method": method})
    return _commit_info(uow, claim, instance)


@acting
def book(
    uow: UnitOfWork, actor: Actor, claim_id: int, *, voucher_number: str, booked_on: date,
    expected_version: int | None = None, today: date | None = None,
) -> ClaimInfo:
    """记账归档: the accounting voucher the claim went into; this closes the claim."""
    today = today or date.today()
    claim, instance = workflow_acts.open_act(
        uow, actor, RECORDS, claim_id, "记账", move="book", expected_version=expected_version
    )
    voucher = voucher_number.strip()
    if not voucher:
        raise ValidationError("请填写记账凭证号", field="voucher_number")
    if len(voucher) > VOUCHER_LENGTH:
        raise ValidationError(f"记账凭证号不能超过{VOUCHER_LENGTH}个字符", field="voucher_number")
    check_printable(voucher, "记账凭证号", field="voucher_number")
    if booked_on > today:
        raise ValidationError("记账日期不能晚于今天", field="booked_on")
    if claim.paid_on is not None and booked_on < claim.paid_on:
        raise ValidationError("记账日期不能早于付款日期", field="booked_on")
    workflow.apply_transition(uow, actor, instance, "book", f"记账凭证号：{voucher}", _facts(uow, claim), today)
    claim.voucher_number = voucher
    claim.booked_on = booked_on
    claim.booked_by_name = actor.full_name
    _touch(claim)
    return _commit_info(uow, claim, instance)


@acting
def hasten(
    uow: UnitOfWork, actor: Actor, claim_id: int, method: str, note: str = "", today: date | None = None
) -> urges.UrgeInfo:
    _, instance = load(uow, actor, claim_id)
    return urges.urge(uow, actor, instance.id, method, note, today)


# ----- receipts (scanned 票据) ---------------------------------------------------------------------------


def _require_receipt_rights(actor: Actor, claim: Claim, instance: WorkflowInstance) -> None:
    if instance.closed:
        raise WorkflowError(f"报销单{claim.number}已办结，不能再更改票据")
    own = actor.id is not None and claim.claimant_id == actor.id
    if own and instance.state == FILL_STEP:
        return  # the claimant's own draft, or their claim returned to them
    # Once submitted, the receipts are part of what the approvers approve: only finance may add what was
    # missing, and never to their own claim, whatever roles they hold (they are paid from it).
    if own:
        raise PermissionDenied(
            f"报销单{claim.number}已提交，报销人本人不能再更改票据；需要补充的，请财务人员添加，或请审批人退回后修改"
        )
    if not actor.has(Role.FINANCE):
        raise PermissionDenied("票据只能由报销人在填报时添加或删除，提交后由财务人员补充")
    if not claim.submitted:
        raise PermissionDenied(f"报销单{claim.number}还没有提交，票据只能由报销人本人添加或删除")


def _guard_receipts(uow: UnitOfWork, actor: Actor, claim_id: int, purpose: str) -> None:
    if purpose != "scan":
        raise ValidationError("报销单只能添加票据扫描件", field="attachments")
    claim, instance = load(uow, actor, claim_id)
    _require_receipt_rights(actor, claim, instance)


attachments.guard_owner(ENTITY, _guard_receipts)


@acting
def add_receipt(
    uow: UnitOfWork, actor: Actor, claim_id: int, *, filename: str, data: bytes, mime_type: str | None = None
) -> attachments.AttachmentInfo:
    claim, _ = load(uow, actor, claim_id)
    # The guard registered with the receipt rules checks the rights.
    return RECEIPTS.add(uow, actor, claim, filename=filename, data=data, purpose="scan", mime_type=mime_type)


@acting
def remove_receipt(uow: UnitOfWork, actor: Actor, claim_id: int, attachment_id: int) -> None:
    claim, _ = load(uow, actor, claim_id)
    RECEIPTS.remove(uow, actor, claim, attachment_id)


@acting
def receipt_data(uow: UnitOfWork, actor: Actor, attachment_id: int) -> tuple[attachments.AttachmentInfo, bytes]:
    """A receipt's content, only for those who may see its claim. The download is audited, so this commits."""
    return RECEIPTS.download(uow, actor, attachment_id, lambda claim_id: load(uow, actor, claim_id))
