"""综合查询 on 报销单, on every database: what a claim is found by (事由, number, claimant, department, lines, amount,
voucher, opinions), found the moment its act commits and not before, a change replacing the old text, a withdrawn
claim as the list shows it, who finds a claim (a draft is its claimant's alone), and the index the upkeep keeps
equal to a rebuild."""

from __future__ import annotations

from functools import partial

from app.core.claims import LineInput
from app.services.claims import records as claims
from app.services.search import query
from tests.helpers import search_checks
from tests.helpers.claims_office import TODAY, Office, new_claim

KIND = "claim"

found = partial(search_checks.found, KIND)
assert_upkeep_is_a_rebuild = partial(search_checks.assert_upkeep_is_a_rebuild, KIND)


def data(office: Office, *lines: tuple[str, str, str], unit: str = "综合股") -> claims.ClaimInput:
    return claims.ClaimInput(office.units[unit], TODAY, [LineInput(*line) for line in lines], len(lines))


def test_a_claim_is_found_by_terms_of_every_length(office: Office) -> None:
    o = office
    trip = new_claim(o)  # 赴省参加业务培训的差旅费, 8000.00, by 张报销 of 综合股
    p = o.people
    other = int(o.run(claims.create_claim, p["colleague"],
                      data(o, ("购买办公用纸", "办公费", "320.00"), ("打印机硒鼓", "办公费", "460.50")),
                      submit=True, today=TODAY).id)
    o.run(claims.decide, p["head"], trip, "approve", "情况属实，同意报销", today=TODAY)
    assert found(o.ctx, p["finance"], "省") == [trip]  # one character
    assert found(o.ctx, p["finance"], "培训") == [trip]  # two
    assert found(o.ctx, p["finance"], "业务培训") == [trip]  # four
    assert found(o.ctx, p["finance"], "训培") == []
    assert found(o.ctx, p["finance"], "综合股") == sorted([trip, other])  # the department
    assert found(o.ctx, p["finance"], "办公费") == [other]  # the lines' category
    # Two words must both match, each in any field.
    assert found(o.ctx, p["finance"], "刘同事 硒鼓") == [other]  # the claimant, and the second line's 摘要
    assert found(o.ctx, p["finance"], "张报销 硒鼓") == []
    assert found(o.ctx, p["finance"], "460.50") == []  # a line's amount is no field; the total is
    assert found(o.ctx, p["finance"], "780.50") == [other]
    assert found(o.ctx, p["finance"], "同意报销") == [trip]  # the head's opinion
    number = o.run(claims.get_claim, p["finance"], trip).info.number
    assert found(o.ctx, p["finance"], number) == [trip]
    with o.ctx.uow() as uow:
        results = query.search_kind(uow, p["finance"], KIND, "同意报销")
    assert results.hits[0].snippet is not None and results.hits[0].snippet.label == "办理意见"
    assert results.hits[0].year == TODAY.year
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_claim_is_found_the_moment_its_act_commits_and_not_before(office: Office) -> None:
    o = office
    claimant = o.people["claimant"]
    search_checks.assert_found_the_moment_its_act_commits(
        KIND, o.ctx, claimant, "防汛",
        lambda uow: claims.create_claim(uow, claimant, data(o, ("防汛物资搬运劳务费", "劳务费", "600.00")), today=TODAY).id,
    )


def test_a_change_replaces_the_old_text(office: Office) -> None:
    o = office
    p = o.people
    trip = new_claim(o)
    o.run(claims.decide, p["head"], trip, "return", "住宿发票抬头不符，请更换", today=TODAY)
    assert found(o.ctx, p["claimant"], "差旅") == [trip]
    o.run(claims.update_claim, p["claimant"], trip, data(o, ("市级会议交通费", "会议费", "150.00")), today=TODAY)
    assert found(o.ctx, p["claimant"], "差旅") == []
    assert found(o.ctx, p["claimant"], "8000.00") == []
    assert found(o.ctx, p["claimant"], "会议交通") == [trip]
    assert found(o.ctx, p["claimant"], "150.00") == [trip]
    # The return's reason stays in the history, and so in what is found.
    assert found(o.ctx, p["claimant"], "发票抬头") == [trip]
    # Paid and booked: the voucher is found.
    o.run(claims.submit, p["claimant"], trip, today=TODAY)
    for who in ("head", "finance", "deputy"):
        o.run(claims.decide, p[who], trip, "approve", "同意。", today=TODAY)
    o.run(claims.pay, p["cashier"], trip, paid_on=TODAY, method="银行转账", today=TODAY)
    o.run(claims.book, p["finance"], trip, voucher_number="记-2026-11-031", booked_on=TODAY, today=TODAY)
    assert found(o.ctx, p["claimant"], "记-2026-11-031") == [trip]
    assert found(o.ctx, p["claimant"], "会议交通", state=query.CLOSED) == [trip]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_withdrawn_claim_is_found_as_the_list_shows_it(office: Office) -> None:
    o = office
    p = o.people
    trip = new_claim(o, submit=False)
    o.run(claims.withdraw, p["claimant"], trip, "重复填报", today=TODAY)
    # The claimant's list keeps a withdrawn claim, closed; so does 综合查询, with the reason.
    assert found(o.ctx, p["claimant"], "培训") == [trip]
    assert found(o.ctx, p["claimant"], "培训", state=query.CLOSED) == [trip]
    assert found(o.ctx, p["claimant"], "重复填报") == [trip]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_who_finds_a_claim(office: Office, walk: str) -> None:
    o = office
    p = o.people
    draft = new_claim(o, submit=False)
    # A draft never submitted is its claimant's alone.
    assert found(o.ctx, p["claimant"], "培训") == [draft]
    for who in ("finance", "director", "head", "colleague"):
        assert found(o.ctx, p[who], "培训") == [], who
    o.run(claims.submit, p["claimant"], draft, today=TODAY)
    # Submitted: finance, the leaders and the department's head; not a colleague, nor another unit's head.
    for who in ("claimant", "finance", "cashier", "director", "deputy", "head"):
        assert found(o.ctx, p[who], "培训") == [draft], who
    for who in ("colleague", "other_head", "secretary"):
        assert found(o.ctx, p[who], "培训") == [], who
