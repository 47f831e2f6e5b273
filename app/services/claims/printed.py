"""What the printed 报销单 shows of a claim: its fields, lines, and who signed each box and when.

The boxes are filled from the workflow history since the claim was last submitted; approvals given
before a return were for a claim that has since changed, so they do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.core.roles import Role
from app.core.workflow.approval_chain import UNIT_HEAD, ApprovalChain
from app.services.claims import flow as claim_flow
from app.services.claims import records as claims
from app.services.kernel import attachments, settings
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.clock import local_date
from app.services.kernel.uow import UnitOfWork

CAPTIONS = ("报销人", "部门负责人", "财务审核", "单位领导", "出纳", "领款人")
_LEADERS = frozenset({Role.DIRECTOR.value, Role.DEPUTY_DIRECTOR.value, Role.COUNTY_LEADER.value})


@dataclass(frozen=True)
class SignatureFact:
    caption: str
    name: str
    on: date | None


@dataclass(frozen=True)
class ReceiptFile:
    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class ClaimPrintFacts:
    office_name: str
    info: claims.ClaimInfo
    lines: list[claims.ClaimLineInfo]
    signatures: list[SignatureFact]
    receipts: list[ReceiptFile]


def _caption_for_step(chain: ApprovalChain, step_key: str) -> str | None:
    for step in chain.steps:
        if step.key != step_key:
            continue
        if step.kind != "review":
            return None
        if step.handler == UNIT_HEAD:
            return "部门负责人"
        if step.handler in _LEADERS:
            return "单位领导"
        return "财务审核"
    return None


def _signatures(detail: claims.ClaimDetail, chain: ApprovalChain) -> list[SignatureFact]:
    history = detail.workflow.history
    last_return = max((i for i, h in enumerate(history) if h.action == "return"), default=-1)
    current = history[last_return + 1:]
    signed: dict[str, list[tuple[str, datetime]]] = {}
    for entry in current:
        if entry.action == "submit":
            signed["报销人"] = [(entry.actor_name, entry.at)]
            continue
        if entry.action != "approve" or entry.from_state is None:
            continue
        caption = _caption_for_step(chain, entry.from_state)
        if caption is not None:
            names = signed.setdefault(caption, [])
            if entry.actor_name not in [name for name, _ in names]:
                names.append((entry.actor_name, entry.at))
    result = []
    for caption in CAPTIONS:
        entries = signed.get(caption, [])
        if not entries:
            result.append(SignatureFact(caption, "", None))
            continue
        # Several leaders may approve one claim (分管 then 主要): all of them sign the one box.
        result.append(SignatureFact(caption, "、".join(name for name, _ in entries), local_date(entries[-1][1])))
    # The cashier's box carries the payment itself: who paid, and the day the money went out.
    if detail.info.paid_on is not None:
        result[CAPTIONS.index("出纳")] = SignatureFact("出纳", detail.info.paid_by_name, detail.info.paid_on)
    return result


@acting
def claim_print_facts(
    uow: UnitOfWork, actor: Actor, claim_id: int, *, with_receipts: bool = False
) -> ClaimPrintFacts:
    detail = claims.get_claim(uow, actor, claim_id)
    chain, _ = claim_flow.chain_for(uow, detail.info.flow_version)
    receipts = []
    if with_receipts:
        for item in detail.receipts:
            info, data = attachments.attachment_data(uow, item.id)
            receipts.append(ReceiptFile(info.filename, info.mime_type, data))
    return ClaimPrintFacts(
        office_name=str(settings.get_setting(uow, "office_name")),
        info=detail.info,
        lines=detail.lines,
        signatures=_signatures(detail, chain),
        receipts=receipts,
    )

