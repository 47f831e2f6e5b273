"""What the services refuse whatever the window lets through: a claim line, a claim or an advance beyond its
sane maximum, and 0 copies printed. Each refusal names its field and says in Chinese what to fix."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.claims import (
    ADVANCE_TOO_LARGE,
    CLAIM_TOO_LARGE,
    LINE_TOO_LARGE,
    MAX_CLAIM_TOTAL,
    MAX_LINE_AMOUNT,
    LineInput,
)
from app.core.errors import ValidationError
from app.services.claims import records as claims
from app.services.documents import outgoing
from app.services.documents import records as documents
from tests.helpers.claims_flow_office import TODAY, Office, build_flow_office
from tests.helpers.document_office import advance_outgoing, build_office, new_draft


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_flow_office(ctx)


def create(ctx: AppContext, who: Office, lines: list[LineInput], advance: str = "") -> claims.ClaimInfo:
    with ctx.uow() as uow:
        return claims.create_claim(
            uow, who.claimant, claims.ClaimInput(who.unit, TODAY, lines, 2, advance), today=TODAY)


def test_a_line_of_a_hundred_billion_yuan_is_refused(ctx: AppContext, office: Office) -> None:
    with pytest.raises(ValidationError) as refused:
        create(ctx, office, [LineInput("会议室租用", "会议费", "99,999,999,999")])
    assert refused.value.field == "line:0:amount" and refused.value.message == LINE_TOO_LARGE


def test_a_claim_beyond_its_maximum_is_refused_though_each_line_is_allowed(
    ctx: AppContext, office: Office
) -> None:
    lines = [LineInput(f"第{i + 1}项设备维修", "维修（护）费", str(MAX_LINE_AMOUNT)) for i in range(10)]
    # Exactly at both limits: allowed.
    assert create(ctx, office, lines).total == MAX_CLAIM_TOTAL
    with pytest.raises(ValidationError) as refused:
        create(ctx, office, [*lines, LineInput("再加一分", "办公费", "0.01")])
    assert refused.value.field == "lines" and refused.value.message == CLAIM_TOO_LARGE
    with pytest.raises(ValidationError) as refused:
        create(ctx, office, lines[:1], advance="10000000.01")
    assert refused.value.field == "advance" and refused.value.message == ADVANCE_TOO_LARGE


def test_zero_copies_printed_is_refused_not_replaced(ctx: AppContext) -> None:
    o = build_office(ctx)
    doc = new_draft(o)
    advance_outgoing(o, doc, "print")
    for typed, words in ((0, "至少为1份"), (-3, "至少为1份"), (100_001, "不能超过100000份")):
        with pytest.raises(ValidationError) as refused:
            o.run(outgoing.mark_printed, o.clerk, doc, copies=typed, proofreader="赵文秘")
        assert refused.value.field == "copies" and words in refused.value.message
    with ctx.uow() as uow:
        assert documents.get_document(uow, o.clerk, doc).document.state == "print"
    assert o.run(outgoing.mark_printed, o.clerk, doc, copies=1, proofreader="赵文秘").copies == 1
