"""What 综合查询 finds a 报销单 by: its 事由 (the title made from its lines), its number, the claimant and the
department, each line's 摘要 and category, the amount, the voucher it was booked in, and the approvers' opinions.

The upkeep (app.services.search.upkeep) adds the text of its receipts and where its flow stands. Who finds a
claim is the claims' own rule (app.services.claims.records registers it with the workflow's visibility): a draft
never submitted is its claimant's alone, in 综合查询 as in the lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from sqlalchemy import select

from app.db.tables import units
from app.models.reimbursement import Claim, ClaimLineItem
from app.services.search.sources import SearchEntry, SearchField

if TYPE_CHECKING:
    from sqlalchemy import Table

    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

ENTITY = "claim"

_CLAIMS = cast("Table", Claim.__table__)
_LINES = cast("Table", ClaimLineItem.__table__)


class ClaimSearch:
    """报销单 as 综合查询 reads them (app.services.search.sources.SearchSource)."""

    files_private = False

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        ids = list(record_ids)
        if not ids:
            return []
        c = _CLAIMS.c
        rows = uow.execute(
            select(
                c.id, c.number, c.title, c.claim_date, c.claimant_name, c.total, c.payment_method,
                c.voucher_number, units.c.name.label("unit_name"),
            )
            .select_from(_CLAIMS.outerjoin(units, units.c.id == c.unit_id))
            .where(c.id.in_(ids))
        ).all()
        if not rows:
            return []
        summaries: dict[int, list[str]] = {}
        categories: dict[int, dict[str, None]] = {}
        line = _LINES.c
        for claim_id, summary, category in uow.execute(
            select(line.claim_id, line.summary, line.category).where(line.claim_id.in_(ids))
            .order_by(line.claim_id, line.position)
        ):
            summaries.setdefault(claim_id, []).append(summary)
            categories.setdefault(claim_id, {})[category] = None
        entries = []
        for r in rows:
            fields = [
                SearchField("编号", r.number),
                SearchField("报销人", r.claimant_name),
                SearchField("报销部门", r.unit_name or ""),
                SearchField("明细摘要", "；".join(s for s in summaries.get(r.id, ()) if s.strip())),
                SearchField("费用类别", "、".join(categories.get(r.id, {}))),
                SearchField("金额", f"{Decimal(r.total):.2f}"),
                SearchField("付款方式", r.payment_method),
                SearchField("记账凭证号", r.voucher_number),
            ]
            entries.append(
                SearchEntry(record_id=r.id, year=r.claim_date.year, title=r.title,
                            fields=tuple(f for f in fields if f.value.strip()))
            )
        return entries

    def record_ids(self, uow: UnitOfWork, after: int, limit: int) -> list[int]:
        c = _CLAIMS.c
        return [int(i) for i in uow.execute(select(c.id).where(c.id > after).order_by(c.id).limit(limit)).scalars()]

    def sees_private(self, actor: Actor) -> bool:
        # Nothing of a claim is masked: who may see the claim sees all of it.
        return True


SOURCE = ClaimSearch()
