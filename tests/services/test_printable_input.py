"""The services refuse text that no bundled font can print, naming the characters, before anything is saved."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.claims import LineInput
from app.core.errors import ValidationError
from app.services.claims import records as claims
from app.services.documents import incoming
from app.services.documents import records as documents
from tests.helpers.claims_flow_office import TODAY, Office, build_flow_office
from tests.helpers.document_office import build_office, counts, new_draft, new_incoming


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_flow_office(ctx)


def test_an_emoji_in_a_title_or_recipients_is_refused(ctx: AppContext) -> None:
    o = build_office(ctx)
    before = counts(ctx)
    with pytest.raises(ValidationError) as refused:
        new_draft(o, title="关于做好冬季森林防火工作的通知😀")
    assert refused.value.field == "title"
    assert refused.value.message == "标题中的“😀”无法打印，请删去或换成文字"
    with pytest.raises(ValidationError) as refused:
        new_draft(o, main_recipients="各乡镇人民政府🏛️")
    assert refused.value.field == "main_recipients" and "“🏛️”无法打印" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        new_incoming(o, source_unit="江州市人民政府办公室✨")
    assert refused.value.field == "source_unit" and "来文单位中的“✨”" in refused.value.message
    assert counts(ctx) == before


def test_an_emoji_in_an_opinion_is_refused(ctx: AppContext) -> None:
    o = build_office(ctx)
    doc = new_incoming(o)
    o.run(incoming.sign_for, o.clerk, doc, today=TODAY)
    o.run(incoming.register, o.clerk, doc, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        o.run(incoming.screen, o.clerk, doc, "return", "不属于本机关办理👎", today=TODAY)
    assert refused.value.field == "opinion"
    assert refused.value.message == "意见中的“👎”无法打印，请删去或换成文字"
    with ctx.uow() as uow:
        assert documents.get_document(uow, o.clerk, doc).document.state == "screen"


def test_an_emoji_in_a_claim_line_or_an_approval_is_refused(ctx: AppContext, office: Office) -> None:
    with pytest.raises(ValidationError) as refused, ctx.uow() as uow:
        claims.create_claim(
            uow,
            office.claimant,
            claims.ClaimInput(office.unit, TODAY, [LineInput("出差🚄火车票", "差旅费", "120")], 1, ""),
            today=TODAY,
        )
    assert "摘要中的“🚄”无法打印，请删去或换成文字" in refused.value.message
    with ctx.uow() as uow:
        claim = claims.create_claim(
            uow,
            office.claimant,
            claims.ClaimInput(office.unit, TODAY, [LineInput("出差火车票", "差旅费", "120")], 1, ""),
            today=TODAY,
        )
        claims.submit(uow, office.claimant, claim.id, today=TODAY)
    with pytest.raises(ValidationError) as refused, ctx.uow() as uow:
        claims.decide(uow, office.head, claim.id, "approve", "同意👌", today=TODAY)
    assert refused.value.field == "opinion"
    assert refused.value.message == "意见中的“👌”无法打印，请删去或换成文字"


def test_an_emoji_in_a_reference_a_remark_or_a_voucher_names_its_own_field(ctx: AppContext) -> None:
    o = build_office(ctx)
    for field, value, words in (
        ("source_number", "江府办发〔2026〕45号🔖", "来文字号中的“🔖”"),
        ("remark", "原件已交档案室📁", "备注中的“📁”"),
    ):
        with pytest.raises(ValidationError) as refused:
            new_incoming(o, **{field: value})
        assert refused.value.field == field and words in refused.value.message
