"""Every step of both document flows, tried by every role: allowed where DOMAIN.md says, refused elsewhere.

Each test walks documents through the real services. At each step every holder of the role under test
tries each action in a dry run (the service runs in full, then its unit of work rolls back), and the
walk then moves on by the usual person. What each person may do is written out here by hand, not
read from the flow definitions, so the test holds the flows to the rules rather than to themselves.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest

from app.bootstrap import AppContext
from app.core.roles import Role
from app.services.documents import archives, incoming, outgoing
from app.services.documents.records import get_document
from tests.helpers.document_office import (
    ROLE_HOLDERS,
    TODAY,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)
from tests.helpers.document_roles import OFFICE, SECRETARIES, Checker

DRAFTERS = OFFICE | {"liaison_fin", "liaison_edu"}
SIGNERS = {"mayor", "vice", "director"}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_outgoing_flow_by_role(ctx: AppContext, role: Role) -> None:
    o = build_office(ctx)
    check = Checker(o, role)
    fin = o.units["财政局"]
    check("拟稿", DRAFTERS, lambda uow, a: outgoing.create_draft(
        uow, a, title="关于开展安全生产大排查大整治的通知", doc_type="通知", disclosure="主动公开",
        drafting_unit_id=a.unit_id, today=TODAY,
    ))
    # An important 通知 with a co-issuing unit: 核稿 → 会签 → 签发 by the principal leader only.
    doc = new_draft(o, important=True, cosigner_unit_ids=[fin])
    check("送核稿", {"clerk"}, lambda uow, a: outgoing.submit(uow, a, doc, today=TODAY))
    check("作废", {"clerk"}, lambda uow, a: outgoing.cancel_draft(uow, a, doc, "重复起草", today=TODAY))
    advance_outgoing(o, doc, "review")
    check("核稿通过", {"director", "deputy"}, lambda uow, a: outgoing.review(uow, a, doc, "approve", today=TODAY))
    check("核稿退回", {"director", "deputy"}, lambda uow, a: outgoing.review(uow, a, doc, "return", "请修改", today=TODAY))
    advance_outgoing(o, doc, "cosign")
    check("会签未完毕即送签", set(), lambda uow, a: outgoing.review(uow, a, doc, "approve", today=TODAY))
    # The unit's liaison, or the office recording the unit's opinion for it (naming whose, and on what basis).
    check("会签意见", OFFICE | {"liaison_fin"}, lambda uow, a: outgoing.cosign(
        uow, a, doc, unit_id=fin, opinion="同意", given_by="吴局长", basis="电话"))
    o.run(outgoing.cosign, o.liaison_fin, doc, opinion="同意，请按程序报签")
    check("会签完毕", OFFICE, lambda uow, a: outgoing.review(uow, a, doc, "approve", today=TODAY))
    check("会签退回", OFFICE, lambda uow, a: outgoing.review(uow, a, doc, "return", "会签单位有异议", today=TODAY))
    advance_outgoing(o, doc, "sign")
    check("签发重要文件", {"mayor"}, lambda uow, a: outgoing.sign(uow, a, doc, "同意印发", today=TODAY))
    check("签发退回", SIGNERS, lambda uow, a: outgoing.review(uow, a, doc, "return", "请补充数据", today=TODAY))
    advance_outgoing(o, doc, "recheck")
    check("复核", OFFICE, lambda uow, a: outgoing.recheck(uow, a, doc, "approve", today=TODAY))
    check("退回复审", OFFICE, lambda uow, a: outgoing.recheck(uow, a, doc, "return", "附件不全", today=TODAY))
    advance_outgoing(o, doc, "number")
    check("编号", SECRETARIES, lambda uow, a: outgoing.assign_number(uow, a, doc, today=TODAY))
    advance_outgoing(o, doc, "print")
    check("印制", SECRETARIES, lambda uow, a: outgoing.mark_printed(uow, a, doc, copies=50, proofreader="赵文秘"))
    advance_outgoing(o, doc, "seal")
    check("用印", SECRETARIES, lambda uow, a: outgoing.mark_sealed(uow, a, doc, today=TODAY))
    advance_outgoing(o, doc, "distribute")
    check("分发", SECRETARIES, lambda uow, a: outgoing.distribute(uow, a, doc, [fin], today=TODAY))
    advance_outgoing(o, doc, "archive")
    check("签收分发件", {"liaison_fin"} | SECRETARIES, lambda uow, a: outgoing.confirm_receipt(
        uow, a, doc, unit_id=fin, received_by="吴联络"))
    check("归档", SECRETARIES, lambda uow, a: archives.archive_document(uow, a, doc, retention="Y", pages=5))

    # A 请示 (上行文) without co-issuers: 核稿 → 签发 directly, and again only the principal leader signs.
    upward = new_draft(o, title="关于申请拨付高标准农田建设配套资金的请示", doc_type="请示", main_recipients="江州市人民政府")
    advance_outgoing(o, upward, "review")
    o.run(outgoing.review, o.director, upward, "approve", today=TODAY)
    assert o.run(get_document, o.clerk, upward).document.state == "sign"
    check("签发上行文", {"mayor"}, lambda uow, a: outgoing.sign(uow, a, upward, "同意上报", today=TODAY))
    # A routine 函: any signing leader.
    routine = new_draft(o, title="关于商请提供有关统计数据的函", doc_type="函", prefix="县政办函")
    advance_outgoing(o, routine, "sign")
    check("签发一般文件", SIGNERS, lambda uow, a: outgoing.sign(uow, a, routine, "同意", today=TODAY))
    assert check.checked == 21 * len(ROLE_HOLDERS[role])


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_incoming_flow_by_role(ctx: AppContext, role: Role) -> None:
    o = build_office(ctx)
    check = Checker(o, role)
    fin, edu = o.units["财政局"], o.units["教育局"]
    check("登记收文", SECRETARIES, lambda uow, a: incoming.create_incoming(
        uow, a, title="关于报送年度统计数据的通知", source_unit="江州市统计局", today=TODAY))
    doc = new_incoming(o)
    arrived = datetime.combine(TODAY, time(9, 0))
    check("签收", SECRETARIES, lambda uow, a: incoming.sign_for(uow, a, doc, received_at=arrived, today=TODAY))
    advance_incoming(o, doc, "register")
    check("登记", SECRETARIES, lambda uow, a: incoming.register(uow, a, doc, today=TODAY))
    advance_incoming(o, doc, "screen")
    check("初审通过", OFFICE, lambda uow, a: incoming.screen(uow, a, doc, "accept", today=TODAY))
    check("退文", OFFICE, lambda uow, a: incoming.screen(uow, a, doc, "return", "不属于本机关职责", today=TODAY))
    advance_incoming(o, doc, "propose")
    check("拟办", {"director", "deputy"}, lambda uow, a: incoming.propose(uow, a, doc, "拟请县长阅示", today=TODAY))
    check("送传阅", OFFICE, lambda uow, a: incoming.circulate(uow, a, doc, [o.mayor.id]))
    advance_incoming(o, doc, "instruct")
    check("批办承办件", SIGNERS, lambda uow, a: incoming.instruct(
        uow, a, doc, "请县财政局牵头办理", needs_handling=True, main_unit_id=fin, workdays=5, today=TODAY))
    check("批办阅件", SIGNERS, lambda uow, a: incoming.instruct(uow, a, doc, "请各位领导阅", needs_handling=False,
                                                               today=TODAY))
    o.run(incoming.instruct, o.mayor, doc, "请县财政局牵头办理", needs_handling=True, today=TODAY)
    check("指定承办单位", OFFICE, lambda uow, a: incoming.assign_handling(
        uow, a, doc, main_unit_id=fin, co_unit_ids=[edu], workdays=5, today=TODAY))
    with pytest.raises(Exception, match="请先指定主办单位"):
        o.run(incoming.handled, o.clerk, doc, result="已办理")
    o.run(incoming.assign_handling, o.director, doc, main_unit_id=fin, co_unit_ids=[edu], workdays=5, today=TODAY)
    # The 主办 unit's liaison handles it; the 协办 unit's liaison may see it but not conclude the handling.
    check("承办完成并传阅", SECRETARIES | {"liaison_fin"}, lambda uow, a: incoming.handled(
        uow, a, doc, result="已完成", needs_circulation=True, today=TODAY))
    check("承办完成", SECRETARIES | {"liaison_fin"}, lambda uow, a: incoming.handled(uow, a, doc, result="已完成",
                                                                                 today=TODAY))
    advance_incoming(o, doc, "circulate")
    sent = o.run(incoming.circulate, o.clerk, doc, [o.mayor.id, o.vice.id])
    mine = sent[0].id
    check("阅文", {"mayor"} | SECRETARIES, lambda uow, a: incoming.mark_read(uow, a, mine, remark="已阅"))
    check("收回传阅件", OFFICE, lambda uow, a: incoming.recall(uow, a, mine))
    check("传阅未完即结束", set(), lambda uow, a: incoming.finish_circulation(uow, a, doc, today=TODAY))
    o.run(incoming.mark_read, o.mayor, sent[0].id, remark="已阅，同意办理结果")
    o.run(incoming.recall, o.clerk, sent[1].id, reason="副县长出差")
    check("传阅完毕", SECRETARIES, lambda uow, a: incoming.finish_circulation(uow, a, doc, today=TODAY))
    advance_incoming(o, doc, "conclude")
    check("办结", OFFICE, lambda uow, a: incoming.conclude(uow, a, doc, "已办结", today=TODAY))
    advance_incoming(o, doc, "archive")
    check("归档", SECRETARIES, lambda uow, a: archives.archive_document(uow, a, doc, retention="D10", pages=2))
    assert check.checked == 18 * len(ROLE_HOLDERS[role])
