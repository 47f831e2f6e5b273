"""责任追究: the records an overdue item, a returned document or a recorded error leave against a person and
a unit (DOMAIN.md, shared rules), which the quarterly notices of every area read.

An area writes its own kinds with note_against, inside the act that finds the fault (a late 销号) or the
office's sweep that finds it (an item past its deadline); one record per record, kind and missed date, so a
sweep run again adds nothing. Reading them is for the office's leaders and staff and the county's leaders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import ValidationError
from app.core.roles import Role
from app.models import AccountabilityRecord, Unit, User
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork

READERS: tuple[Role, ...] = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY, Role.COUNTY_LEADER)
KIND_LABELS: dict[str, str] = {
    "overdue": "逾期未办结",
    "closed_late": "逾期办结",
    "returned": "公文退回",
    "error": "公文差错",
}


@dataclass(frozen=True)
class AccountabilityInfo:
    id: int
    kind: str
    entity_type: str
    entity_id: int
    title: str
    person_name: str
    unit_id: int | None
    unit_name: str
    occurred_on: date
    reason: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def note_against(
    uow: UnitOfWork, *, kind: str, entity_type: str, entity_id: int, title: str, person_id: int | None,
    unit_id: int | None, occurred_on: date, reason: str,
) -> bool:
    """Records the fault once (its area's act or sweep calls this inside its own unit of work); False where
    the same fault is recorded already. Names are kept as they were then: a person renamed or a unit merged
    later does not rewrite a past notice."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown accountability kind {kind!r}")
    R = AccountabilityRecord
    exists = uow.session.execute(select(R.id).where(
        R.kind == kind, R.entity_type == entity_type, R.entity_id == entity_id, R.occurred_on == occurred_on,
    )).first()
    if exists is not None:
        return False
    person = uow.session.get(User, person_id) if person_id is not None else None
    unit = uow.session.get(Unit, unit_id) if unit_id is not None else None
    uow.session.add(R(
        kind=kind, entity_type=entity_type, entity_id=entity_id, title=title[:300], person_id=person_id,
        person_name=person.full_name if person else "", unit_id=unit_id, unit_name=unit.name if unit else "",
        occurred_on=occurred_on, reason=reason,
    ))
    uow.flush()
    return True


@acting
def accountability_records(
    uow: UnitOfWork, actor: Actor, start: date, end: date, entity_type: str | None = None,
) -> list[AccountabilityInfo]:
    """The records of faults that occurred from ``start`` to ``end`` (both included), of one area's records
    or of all, by date."""
    if actor.id is not None:  # the command line (`govdesk print`) reads what the database holds
        require_role(actor, READERS, "查看责任追究记录")
    if end < start:
        raise ValidationError("结束日期不能早于开始日期", field="end")
    R = AccountabilityRecord
    query = select(R).where(R.occurred_on >= start, R.occurred_on <= end)
    if entity_type is not None:
        query = query.where(R.entity_type == entity_type)
    rows = uow.session.execute(query.order_by(R.occurred_on, R.id)).scalars()
    return [
        AccountabilityInfo(r.id, r.kind, r.entity_type, r.entity_id, r.title, r.person_name, r.unit_id, r.unit_name,
                           r.occurred_on, r.reason)
        for r in rows
    ]
