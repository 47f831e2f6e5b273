"""复核 of a signed draft (条例 Art. 25), 会签 recorded by the office for a unit, and the 答复 to a 来文单位.

Every allowed and every refused act of the new steps, tried by every role in a dry run (as
test_documents_roles does); then what each act leaves behind; then a database of the flow's first version
upgraded by migration 0004, with documents open at each step.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.roles import Role
from app.db import migrate
from app.db.tables import workflow_instances as wi
from app.models import WorkflowInstance
from app.services.documents import incoming, outgoing
from app.services.documents.records import get_document
from tests.helpers.document_office import (
    ROLE_HOLDERS,
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    counts,
    new_draft,
    new_incoming,
)
from tests.helpers.document_roles import OFFICE, SECRETARIES, Checker

NOBODY: set[str] = set()


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_recheck_and_resigning_by_role(ctx: AppContext, role: Role) -> None:
    o = build_office(ctx)
    check = Checker(o, role)
    doc = new_draft(o, important=True)
    advance_outgoing(o, doc, "sign")
    check("签发前复核", NOBODY, lambda uow, a: outgoing.recheck(uow, a, doc, "approve", today=TODAY))
    advance_outgoing(o, doc, "recheck")
    # The office checks: 文秘人员 and the office's leaders; nobody numbers before the check.
    check("复核通过", OFFICE, lambda uow, a: outgoing.recheck(uow, a, doc, "approve", "手续完备", today=TODAY))
    check("退回复审", OFFICE, lambda uow, a: outgoing.recheck(
        uow, a, doc, "return", "附件二数据与正文不一致，需实质性修改", today=TODAY))
    check("复核前编号", NOBODY, lambda uow, a: outgoing.assign_number(uow, a, doc, today=TODAY))
    check("复核时再签发", NOBODY, lambda uow, a: outgoing.sign(uow, a, doc, "同意", today=TODAY))
    o.run(outgoing.recheck, o.clerk, doc, "return", "附件二数据与正文不一致，需实质性修改", today=TODAY)
    # 复审 is the signer's own (陈县长 signed): other signing leaders may neither sign nor return it now.
    check("复审后签发", {"mayor"}, lambda uow, a: outgoing.sign(uow, a, doc, "已核改，同意印发", today=TODAY))
    check("复审退回拟稿", {"mayor"}, lambda uow, a: outgoing.review(uow, a, doc, "return", "请重新核实数据", today=TODAY))
    check("复审时复核", NOBODY, lambda uow, a: outgoing.recheck(uow, a, doc, "approve", today=TODAY))
    o.run(outgoing.sign, o.mayor, doc, "已核改，同意印发", today=TODAY)
    assert o.run(get_document, o.clerk, doc).document.state == "recheck"
    check("复审后复核通过", OFFICE, lambda uow, a: outgoing.recheck(uow, a, doc, "approve", today=TODAY))
    o.run(outgoing.recheck, o.deputy, doc, "approve", today=TODAY)
    check("复核后编号", SECRETARIES, lambda uow, a: outgoing.assign_number(uow, a, doc, today=TODAY))
    assert check.checked == 10 * len(ROLE_HOLDERS[role])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_cosign_opinions_by_role(ctx: AppContext, role: Role) -> None:
    o = build_office(ctx)
    check = Checker(o, role)
    fin, town = o.units["财政局"], o.units["城关镇"]
    doc = new_draft(o, cosigner_unit_ids=[fin, town])
    advance_outgoing(o, doc, "review")
    check("会签前登记", NOBODY, lambda uow, a: outgoing.cosign(
        uow, a, doc, unit_id=town, opinion="同意", given_by="王镇长", basis="电话"))
    o.run(outgoing.review, o.deputy, doc, "approve", today=TODAY)
    # A unit's own liaison answers for it; the office records any unit's opinion for it (saying whose and on
    # what basis: the validation is tested below). Another unit's liaison may not.
    check("代为登记会签意见", OFFICE, lambda uow, a: outgoing.cosign(
        uow, a, doc, unit_id=town, opinion="同意", given_by="王镇长", basis="电话"))
    check("代为登记有联络员单位的意见", OFFICE | {"liaison_fin"}, lambda uow, a: outgoing.cosign(
        uow, a, doc, unit_id=fin, opinion="同意", given_by="吴局长", basis="书面意见"))
    assert check.checked == 3 * len(ROLE_HOLDERS[role])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_replies_to_the_sending_body_by_role(ctx: AppContext, role: Role) -> None:
    o = build_office(ctx)
    check = Checker(o, role)
    doc = new_incoming(o)

    def answer(uow, a):  # type: ignore[no-untyped-def]
        return incoming.reply(uow, a, doc, method="电话", content="已按要求部署，书面报告随后报送")

    advance_incoming(o, doc, "instruct")
    check("批办前答复", NOBODY, answer)
    advance_incoming(o, doc, "handle")
    # The office, or the 主办 unit's liaison (县财政局); not the 协办 unit's.
    check("承办中答复", OFFICE | {"liaison_fin"}, answer)
    advance_incoming(o, doc, "conclude")
    check("办结时答复", OFFICE | {"liaison_fin"}, answer)
    advance_incoming(o, doc, "archived")
    check("归档后答复", NOBODY, answer)
    assert check.checked == 4 * len(ROLE_HOLDERS[role])


def test_a_return_for_resigning_goes_to_the_signer_with_its_reason(office: Office) -> None:
    o = office
    doc = new_draft(o, title="关于调整城区限行措施的通告", doc_type="通告")
    advance_outgoing(o, doc, "sign")
    o.run(outgoing.sign, o.vice, doc, "同意发布", today=TODAY)
    before = counts(o.ctx)
    with pytest.raises(ValidationError, match="写明需要实质性修改的问题") as refused:
        o.run(outgoing.recheck, o.clerk, doc, "return", "  ", today=TODAY)
    assert refused.value.field == "opinion"
    with pytest.raises(ValidationError, match="复核结论只能是"):
        o.run(outgoing.recheck, o.clerk, doc, "maybe", today=TODAY)
    assert counts(o.ctx) == before
    back = o.run(outgoing.recheck, o.clerk, doc, "return", "限行时段与附件不一致", today=TODAY)
    assert (back.state, back.state_label) == ("sign", "签发")
    detail = o.run(get_document, o.vice, doc)
    assert [a.label for a in detail.instance.actions] == ["签发", "退回"]
    assert o.run(get_document, o.mayor, doc).instance.actions == []
    with pytest.raises(PermissionDenied, match="由刘副县长办理"):
        o.run(outgoing.sign, o.mayor, doc, "同意", today=TODAY)
    o.run(outgoing.sign, o.vice, doc, "已改正附件，同意发布", today=TODAY)
    done = o.run(outgoing.recheck, o.clerk2, doc, "approve", "手续完备", today=TODAY)
    assert done.state == "number" and done.signer_name == "刘副县长"
    trail = [(h.from_label, h.action_label, h.actor_name, h.opinion) for h in o.run(get_document, o.clerk, doc).instance.history]
    assert trail[-4:] == [
        ("签发", "签发", "刘副县长", "同意发布"),
        ("复核", "退回复审", "张文秘", "限行时段与附件不一致"),
        ("签发", "签发", "刘副县长", "已改正附件，同意发布"),
        ("复核", "复核通过", "赵文秘", "手续完备"),
    ]


def test_the_recheck_step_has_a_deadline(office: Office) -> None:
    o = office
    doc = new_draft(o)
    advance_outgoing(o, doc, "sign")
    info = o.run(outgoing.sign, o.vice, doc, "同意", today=TODAY)  # Friday 27 November 2026
    assert (info.state_label, info.due_date) == ("复核", TODAY + timedelta(days=3))


def test_the_office_records_a_units_cosign_opinion_saying_whose_and_on_what(office: Office) -> None:
    o = office
    fin, town = o.units["财政局"], o.units["城关镇"]
    doc = new_draft(o, cosigner_unit_ids=[fin, town])
    advance_outgoing(o, doc, "cosign")
    before = counts(o.ctx)
    with pytest.raises(ValidationError, match="城关镇提出意见的人员") as missing:
        o.run(outgoing.cosign, o.clerk, doc, unit_id=town, opinion="同意", basis="电话")
    assert missing.value.field == "given_by"
    with pytest.raises(ValidationError, match="请注明依据") as no_basis:
        o.run(outgoing.cosign, o.clerk, doc, unit_id=town, opinion="同意", given_by="王镇长")
    assert no_basis.value.field == "basis"
    with pytest.raises(ValidationError, match="依据不能超过20个字"):
        o.run(outgoing.cosign, o.clerk, doc, unit_id=town, given_by="王镇长", basis="电" * 21)
    assert counts(o.ctx) == before
    o.run(outgoing.cosign, o.liaison_fin, doc, opinion="同意")
    o.run(outgoing.cosign, o.clerk, doc, unit_id=town, opinion="同意，无修改意见", given_by="王镇长", basis="电话")
    detail = o.run(get_document, o.clerk, doc)
    assert [(c.unit_name, c.agreed, c.by_name, c.given_by, c.basis, c.on_behalf) for c in detail.cosigners] == [
        ("县财政局", True, "吴联络", "", "", False),
        ("城关镇", True, "张文秘", "王镇长", "电话", True),
    ]
    notes = [(h.action_label, h.actor_name, h.opinion) for h in detail.instance.history if h.action == "cosign_opinion"]
    assert notes == [
        ("会签（县财政局）", "吴联络", "同意"),
        ("会签（城关镇）", "张文秘", "同意，无修改意见（王镇长经电话提出，张文秘代为登记）"),
    ]
    assert detail.proxy_cosign_unit_ids == ()
    assert o.run(outgoing.review, o.clerk, doc, "approve", today=TODAY).state == "sign"


def test_internal_sections_and_leaders_are_not_cosigners(office: Office) -> None:
    o = office
    with pytest.raises(ValidationError, match="“秘书股”是办公室内设股室，不能作为会签单位") as refused:
        new_draft(o, cosigner_unit_ids=[o.units["财政局"], o.units["秘书股"]])
    assert refused.value.field == "cosigner_unit_ids"
    with pytest.raises(ValidationError, match="县政府领导，不能作为会签单位"):
        new_draft(o, cosigner_unit_ids=[o.units["县政府"]])
    doc = new_draft(o)
    with pytest.raises(ValidationError, match="内设股室"):
        o.run(outgoing.update_draft, o.clerk, doc, cosigner_unit_ids=[o.units["秘书股"]])
    offered = o.run(outgoing.cosign_candidates, o.clerk)
    assert [(c.name, c.kind_label, c.has_liaison) for c in offered] == [
        ("青山县人民政府办公室", "县政府部门", False),
        ("县财政局", "县政府部门", True),
        ("县教育局", "县政府部门", True),
        ("城关镇", "乡镇", False),
    ]


def test_the_office_sees_which_units_it_may_answer_for(office: Office) -> None:
    o = office
    fin, town = o.units["财政局"], o.units["城关镇"]
    doc = new_draft(o, cosigner_unit_ids=[fin, town])
    advance_outgoing(o, doc, "cosign")
    assert o.run(get_document, o.clerk, doc).proxy_cosign_unit_ids == (fin, town)
    assert o.run(get_document, o.director, doc).proxy_cosign_unit_ids == (fin, town)
    liaison = o.run(get_document, o.liaison_fin, doc)
    assert (liaison.my_cosign_unit_id, liaison.proxy_cosign_unit_ids) == (fin, ())
    assert o.run(get_document, o.mayor, doc).proxy_cosign_unit_ids == ()


def test_a_reply_is_its_own_act(office: Office) -> None:
    o = office
    doc = new_incoming(o)
    advance_incoming(o, doc, "handle")
    before = counts(o.ctx)
    for fields, message, field in (
        ({"method": " ", "content": "已办理"}, "请选择答复方式", "method"),
        ({"method": "电话", "content": "  "}, "请填写答复内容", "content"),
        ({"method": "电话", "content": "已办理", "replied_at": datetime.now() + timedelta(days=1)},
         "答复时间不能晚于现在", "replied_at"),
        ({"method": "电话", "content": "已办理", "replied_at": datetime.combine(TODAY, time(8))},
         "答复时间不能早于收文时间", "replied_at"),
        ({"method": "电话" * 11, "content": "已办理"}, "答复方式不能超过20个字", "method"),
    ):
        with pytest.raises(ValidationError, match=message) as refused:
            o.run(incoming.reply, o.clerk, doc, **fields)
        assert refused.value.field == field
    assert counts(o.ctx) == before
    at = datetime.combine(TODAY, time(16, 0))
    first = o.run(incoming.reply, o.liaison_fin, doc, method="电话", content="已部署自查，书面报告三日内报送",
                  replied_at=at)
    o.run(incoming.reply, o.clerk, doc, method="书面函复", content="报送自查报告", replied_by="县财政局吴联络")
    detail = o.run(get_document, o.clerk, doc)
    assert detail.document.state == "handle"
    assert [(r.method, r.recipient, r.replied_by_name, r.recorded_by_name) for r in detail.replies] == [
        ("电话", "江州市人民政府办公室", "吴联络", "吴联络"),
        ("书面函复", "江州市人民政府办公室", "县财政局吴联络", "张文秘"),
    ]
    assert first.replied_at == detail.replies[0].replied_at
    replies = [(h.action_label, h.actor_name, h.opinion) for h in detail.instance.history if h.action == "reply"]
    assert replies[0] == ("答复来文单位", "吴联络", "吴联络以电话方式答复江州市人民政府办公室：已部署自查，书面报告三日内报送")
    out = new_draft(o)
    with pytest.raises(ValidationError, match="发文不能答复来文单位"):
        o.run(incoming.reply, o.clerk, out, method="电话", content="已办理")
    other = new_incoming(o)
    with pytest.raises(WorkflowError, match="须在“承办、传阅、办结”环节办理"):
        o.run(incoming.reply, o.clerk, other, method="电话", content="已办理")


def test_migration_0004_moves_unsigned_drafts_to_the_recheck_flow(office: Office) -> None:
    """An office that upgrades with documents open: those not yet signed get 复核, those signed go on as before."""
    o = office
    at = {state: new_draft(o, title=f"关于{state}阶段公文的通知") for state in ("review", "sign", "number", "print")}
    for state, doc in at.items():
        advance_outgoing(o, doc, "recheck" if state in ("number", "print") else state)
    o.run(outgoing.recheck, o.clerk, at["print"], "approve", today=TODAY)
    o.run(outgoing.assign_number, o.clerk, at["print"], today=TODAY)
    archived = new_draft(o, title="关于已归档公文的通知")
    advance_outgoing(o, archived, "archived")
    # As the previous program left them: the first version of the flow, which had no 复核.
    migrate.downgrade(o.ctx.engine, "0003")
    try:
        with o.ctx.uow() as uow:
            # Table columns named alone: the 0003 table lacks the columns the mapped class has since gained.
            rows = uow.execute(select(wi.c.title, wi.c.flow_version, wi.c.state)).all()
        assert {version for _, version, _ in rows} == {1}
        # It waited at 复核: back on version 1 it goes on to 编号, as it would have then.
        assert {title: state for title, _, state in rows}["关于number阶段公文的通知"] == "number"
    finally:
        migrate.upgrade(o.ctx.engine)
    with o.ctx.uow() as uow:
        found = dict(uow.session.execute(select(WorkflowInstance.title, WorkflowInstance.flow_version)).all())
    assert {title: found[title] for title in found} == {
        "关于review阶段公文的通知": 2, "关于sign阶段公文的通知": 2, "关于number阶段公文的通知": 1,
        "关于print阶段公文的通知": 1, "关于已归档公文的通知": 1,
    }
    # Unsigned: signing now leads to 复核. Signed under version 1: numbered and printed as before.
    assert o.run(outgoing.sign, o.mayor, at["sign"], "同意", today=TODAY).state == "recheck"
    advance_outgoing(o, at["review"], "recheck")
    assert o.run(outgoing.assign_number, o.clerk, at["number"], today=TODAY).state == "print"
    assert o.run(get_document, o.clerk, at["print"]).document.state_label == "印制"
    old = o.run(get_document, o.clerk, archived)
    assert old.instance.flow.version == 1 and not old.instance.flow.has_step("recheck")
    assert o.run(get_document, o.clerk, at["review"]).instance.flow.has_step("recheck")
