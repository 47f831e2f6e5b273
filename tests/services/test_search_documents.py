"""综合查询 on 公文, on every database: what a document is found by (title, 文号, 来文单位, units, opinions, 办理结果),
found the moment its act commits and not before, a change replacing the old text, a 作废 draft as the list shows
it, a 联络员's scope, and the index the upkeep keeps equal to a rebuild."""

from __future__ import annotations

from functools import partial

import pytest

from app.bootstrap import AppContext
from app.core.search_text import gram_code
from app.services.documents import incoming, outgoing
from app.services.search import query
from app.services.search.upkeep import postings_of
from tests.helpers import search_checks
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)

KIND = "document"
CODE = 1


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


found = partial(search_checks.found, KIND)
hit = partial(search_checks.hit, KIND)
assert_upkeep_is_a_rebuild = partial(search_checks.assert_upkeep_is_a_rebuild, KIND)


def test_a_document_is_found_by_terms_of_every_length(office: Office) -> None:
    o = office
    draft = new_draft(o)  # 关于做好冬季森林防火工作的通知, 县政办发
    received = new_incoming(o)  # 江州市人民政府办公室关于开展安全生产大检查的通知
    advance_outgoing(o, draft, "archived")
    advance_incoming(o, received, "archived")
    assert found(o.ctx, o.director, "林") == [draft]  # one character
    assert found(o.ctx, o.director, "防火") == [draft]  # two
    assert found(o.ctx, o.director, "森林防火") == [draft]  # four
    assert found(o.ctx, o.director, "森火") == []  # its characters, but not side by side
    assert found(o.ctx, o.director, "通知") == [draft, received]
    # Two words must both match, each in any field.
    assert found(o.ctx, o.director, "江州 安全") == [received]
    assert found(o.ctx, o.director, "江州 防火") == []
    # 文号, 来文字号 and 来文单位; the units named on it; the opinions and the result.
    assert found(o.ctx, o.director, "县政办发〔2026〕1号") == [draft]
    assert found(o.ctx, o.director, "江府办发〔2026〕45号") == [received]
    assert found(o.ctx, o.director, "秘书股") == [draft]  # 拟稿单位
    assert found(o.ctx, o.director, "城关镇") == [draft]  # 分发单位
    assert found(o.ctx, o.director, "县教育局") == [received]  # 协办单位
    assert found(o.ctx, o.director, "阅示") == [received]  # 拟办意见
    assert found(o.ctx, o.director, "完成自查") == [received]  # 办理结果
    assert found(o.ctx, o.director, "县政府各部门") == [draft]  # 主送机关
    shown = hit(o.ctx, o.director, "阅示", received)
    assert shown.snippet is not None and shown.snippet.label == "办理意见" and "阅示" in shown.snippet.text
    assert (shown.state, shown.closed, shown.year) == ("已归档", True, TODAY.year)
    assert hit(o.ctx, o.director, "防火", draft).title_spans == ((8, 10),)
    # The index holds it as grams: the pair 防火 is posted for the draft alone.
    with o.ctx.uow() as uow:
        postings = postings_of(uow, CODE)
    assert {record for (gram, _, record) in postings if gram == gram_code("防火")} == {draft}
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_document_is_found_the_moment_its_act_commits_and_not_before(office: Office) -> None:
    o = office
    made = search_checks.assert_found_the_moment_its_act_commits(
        KIND, o.ctx, o.clerk, "防汛",
        lambda uow: incoming.create_incoming(
            uow, o.clerk, title="市防汛抗旱指挥部关于做好汛期值班的通知", source_unit="江州市防汛抗旱指挥部",
            source_number="江汛指〔2026〕3号", today=TODAY,
        ).id,
    )
    assert found(o.ctx, o.clerk, "汛指") == [made]


def test_a_change_replaces_the_old_text(office: Office) -> None:
    o = office
    draft = new_draft(o, remark="请于月底前印发")
    assert found(o.ctx, o.director, "森林") == [draft]
    o.run(outgoing.update_draft, o.clerk, draft, title="关于做好春季农村公路养护工作的通知", remark="")
    assert found(o.ctx, o.director, "森林") == []
    assert found(o.ctx, o.director, "月底") == []
    assert found(o.ctx, o.director, "农村公路") == [draft]
    # An opinion given later is found; one taken back by the drafter's new version of the 会签 units is not kept.
    o.run(outgoing.submit, o.clerk, draft, today=TODAY)
    o.run(outgoing.review, o.deputy, draft, "return", "请补充养护资金来源", today=TODAY)
    assert found(o.ctx, o.director, "养护资金") == [draft]
    o.run(outgoing.update_draft, o.clerk, draft, cosigner_unit_ids=[o.units["财政局"]])
    assert found(o.ctx, o.director, "县财政局") == [draft]
    o.run(outgoing.update_draft, o.clerk, draft, cosigner_unit_ids=[])
    assert found(o.ctx, o.director, "县财政局") == []
    # 登记 corrects what the 签收 took down.
    received = new_incoming(o, source_unit="江州市应急管理局")
    advance_incoming(o, received, "register")
    o.run(incoming.register, o.clerk, received, source_unit="江州市人民政府办公室", today=TODAY)
    assert found(o.ctx, o.director, "应急") == []
    assert found(o.ctx, o.director, "江州市人民政府办公室") == [received]
    assert found(o.ctx, o.director, "收〔2026〕1号") == [received]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_cancelled_draft_is_found_as_the_list_shows_it(office: Office) -> None:
    o = office
    draft = new_draft(o)
    o.run(outgoing.cancel_draft, o.clerk, draft, "内容已并入其他文件")
    # The 公文 list keeps a 作废 draft (at its step 已作废); so does 综合查询, with its reason.
    assert found(o.ctx, o.director, "森林防火") == [draft]
    assert found(o.ctx, o.director, "森林防火", state="已作废") == [draft]
    assert found(o.ctx, o.director, "森林防火", state=query.OPEN) == []
    assert found(o.ctx, o.director, "并入") == [draft]
    assert_upkeep_is_a_rebuild(o.ctx)


def test_a_liaison_finds_only_the_documents_of_their_unit(office: Office, walk: str) -> None:
    o = office
    cosigned = new_draft(o, cosigner_unit_ids=[o.units["财政局"]])
    advance_outgoing(o, cosigned, "sign")
    received = new_incoming(o)
    advance_incoming(o, received, "handle")  # 主办 县财政局, 协办 县教育局
    plain = new_draft(o, title="关于做好冬季森林防火巡查的通知")
    assert found(o.ctx, o.director, "森林防火") == [cosigned, plain]
    assert found(o.ctx, o.liaison_fin, "森林防火") == [cosigned]
    assert found(o.ctx, o.liaison_edu, "森林防火") == []
    assert found(o.ctx, o.liaison_edu, "安全生产") == [received]
    # Nor by a field of a document they may not see: the 会签 unit's name.
    assert found(o.ctx, o.liaison_edu, "县财政局") == [received]
