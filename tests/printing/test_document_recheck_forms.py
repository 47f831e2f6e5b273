"""The 发文稿纸, the 收文处理笺 and the flowchart of real documents, loaded from the database as the program
prints them, and read back: 复核 and its 复审, the 拟稿日期 beside the 签发 date, a 会签 opinion the office
recorded for a unit, and the 答复 to the 来文单位."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from app.bootstrap import AppContext
from app.forms import load_flowchart
from app.forms.documents import load_incoming_slip, load_outgoing_draft
from app.models import Document, WorkflowHistory
from app.printing.documents.incoming_slip import render_incoming_slip
from app.printing.documents.outgoing_draft import local_time, render_outgoing_draft
from app.printing.kit.flowchart import render_flowchart
from app.printing.kit.page import format_cn_date, format_cn_datetime
from app.services.documents import incoming, outgoing
from app.services.documents.records import get_document
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)
from tests.helpers.pdfcheck import assert_no_missing_glyphs, compact, page_text


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _stamp(o: Office, doc: int, drafted: datetime, moves: dict[str, datetime]) -> None:
    """The draft's creation and each move's time, as if done on those days (services stamp the real clock)."""
    with o.ctx.uow() as uow:
        instance_id = uow.session.get(Document, doc).workflow_instance_id  # type: ignore[union-attr]
        uow.session.execute(update(Document).where(Document.id == doc).values(created_at=drafted))
        for action, at in moves.items():
            uow.session.execute(
                update(WorkflowHistory)
                .where(WorkflowHistory.instance_id == instance_id, WorkflowHistory.action == action)
                .values(at=at)
            )
        uow.commit()


def test_the_draft_sheet_prints_the_drafting_date_and_the_signing_date_apart(office: Office) -> None:
    o = office
    doc = new_draft(o, title="关于做好冬季森林防火工作的通知")
    advance_outgoing(o, doc, "sign")
    o.run(outgoing.sign, o.mayor, doc, "同意印发", today=TODAY)
    _stamp(o, doc, datetime(2026, 11, 20, 2, 0, tzinfo=UTC), {"sign": datetime(2026, 11, 27, 3, 0, tzinfo=UTC)})
    text = compact(page_text(render_outgoing_draft(load_outgoing_draft(o.ctx, doc))))
    # 拟稿日期 is the day the draft was made; the 签发 date stands with the 签发 opinion (before: both 27日).
    assert "拟稿日期2026年11月20日" in text
    assert "同意印发签发人：陈县长2026年11月27日" in text
    # Signed, not yet checked: the 复核 box is blank, with its signature line.
    assert "复核复核人：" in text


def test_the_draft_sheet_prints_the_recheck_and_its_return_for_resigning(office: Office) -> None:
    o = office
    doc = new_draft(o, title="关于调整城区限行措施的通告", doc_type="通告")
    advance_outgoing(o, doc, "recheck")
    o.run(outgoing.recheck, o.clerk, doc, "return", "限行时段与附件不一致", today=TODAY)
    returned = compact(page_text(render_outgoing_draft(load_outgoing_draft(o.ctx, doc))))
    assert "退回复审：限行时段与附件不一致复核人：张文秘" in returned
    o.run(outgoing.sign, o.mayor, doc, "已改正附件，同意发布", today=TODAY)
    o.run(outgoing.recheck, o.clerk2, doc, "approve", "审批手续完备，附件齐全，格式规范", today=TODAY)
    pdf = render_outgoing_draft(load_outgoing_draft(o.ctx, doc))
    text = compact(page_text(pdf))
    checked_on = format_cn_date(local_time(datetime.now(UTC)).date())
    assert f"审批手续完备，附件齐全，格式规范复核人：赵文秘{checked_on}" in text
    assert "已改正附件，同意发布签发人：陈县长" in text
    trail = text[text.index("办理意见") :]
    assert trail.index("退回复审") < trail.index("已改正附件") < trail.index("复核通过")
    assert_no_missing_glyphs(pdf)


def test_a_cosign_opinion_the_office_recorded_says_whose_it_is(office: Office) -> None:
    o = office
    doc = new_draft(o, cosigner_unit_ids=[o.units["财政局"], o.units["城关镇"]])
    advance_outgoing(o, doc, "cosign")
    o.run(outgoing.cosign, o.liaison_fin, doc, opinion="同意")
    o.run(outgoing.cosign, o.clerk, doc, unit_id=o.units["城关镇"], opinion="同意", given_by="王镇长", basis="电话")
    text = compact(page_text(render_outgoing_draft(load_outgoing_draft(o.ctx, doc))))
    assert "县财政局同意吴联络" in text
    assert "城关镇同意（电话，张文秘代为登记）王镇长" in text


def test_the_slip_prints_each_reply_to_the_sending_body(office: Office) -> None:
    o = office
    doc = new_incoming(o)
    advance_incoming(o, doc, "handle")
    o.run(incoming.handled, o.liaison_fin, doc, result="已按要求完成自查。", today=TODAY)
    replied = datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
    o.run(incoming.reply, o.clerk, doc, method="书面函复", content="报送自查报告（青财函〔2026〕8号）",
          replied_by="吴联络", replied_at=replied)
    text = compact(page_text(render_incoming_slip(load_incoming_slip(o.ctx, doc))))
    result = text[text.index("办理结果") :]
    when = compact(format_cn_datetime(local_time(replied)))
    assert result.startswith(f"办理结果已按要求完成自查。答复：{when}，吴联络以书面函复方式答复江州市人民政府办公室")
    assert "报送自查报告（青财函〔2026〕8号）" in result


def test_the_flowchart_shows_the_recheck_and_the_return_to_the_signer(office: Office) -> None:
    o = office
    doc = new_draft(o)
    advance_outgoing(o, doc, "recheck")
    instance = o.run(get_document, o.clerk, doc).document.instance_id
    text = compact(page_text(render_flowchart(load_flowchart(o.ctx, instance))))
    for words in ("复核", "时限：1个工作日", "复核通过", "退回复审", "办公室主任、副主任、文秘人员"):
        assert words in text
    assert "当前环节：复核" in text
