"""The 督办台账 filtered by the step an item stands at, as the list's 环节 choice asks it; an unknown step is refused."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.services.supervision import ledger
from tests.helpers.document_office import TODAY, build_office
from tests.helpers.supervision_office import assigned_item, item_in_review, new_item


def test_the_ledger_filters_by_step(ctx: AppContext) -> None:
    o = build_office(ctx)
    registered = new_item(o, title="立项中的事项")
    handled = assigned_item(o, title="落实中的事项")
    reviewed = item_in_review(o, title="待销号的事项")

    def shown(state: str | None, box: ledger.Box = "all") -> list[int]:
        with ctx.uow() as uow:
            f = ledger.LedgerFilter(box=box, state=state)
            return sorted(r.id for r in ledger.list_items(uow, o.director, f, today=TODAY).rows)

    assert shown("register") == [registered]
    assert shown("handle") == [handled]
    assert shown("review") == [reviewed]
    assert shown(None) == sorted([registered, handled, reviewed])
    assert shown("closed") == []
    assert ledger.LedgerFilter(box="active", state="review").describe() == "在办事项，销号审核"
    with ctx.uow() as uow, pytest.raises(ValidationError, match="办理环节只能是"):
        ledger.list_items(uow, o.director, ledger.LedgerFilter(state="archived"), today=TODAY)
