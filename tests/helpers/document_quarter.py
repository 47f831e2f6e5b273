"""A hand-built quarter of 公文 work for the reports: documents driven through the services with ``today``
set to each day of the scenario, their history rows then set to those days, as if the work had happened then."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select, update

from app.models import DocumentError, WorkflowHistory
from app.services.documents import incoming, outgoing
from app.services.documents.records import ErrorInput, get_document
from app.services.kernel.clock import CST
from tests.helpers.document_office import Office, new_draft, new_incoming


def day(month: int, d: int, hour: int = 9) -> date:
    return date(2026, month, d)


def stamp(office: Office, document_id: int, days: list[date]) -> None:
    """Sets the document's history rows, in order, to 09:00, 09:01 … on the given days (and its errors
    to the moment of the return they were recorded with)."""
    instance_id = office.run(get_document, office.clerk, document_id).document.instance_id
    with office.ctx.uow() as uow:
        rows = uow.session.execute(
            select(WorkflowHistory).where(WorkflowHistory.instance_id == instance_id).order_by(WorkflowHistory.id)
        ).scalars().all()
        assert len(rows) == len(days), [r.action_label for r in rows]
        for i, (row, when) in enumerate(zip(rows, days, strict=True)):
            row.at = datetime.combine(when, time(9, i % 60), CST).astimezone(UTC)
        uow.session.flush()
        for row in rows:
            uow.session.execute(
                update(DocumentError).where(DocumentError.history_id == row.id).values(at=row.at)
            )
        uow.session.commit()


def build_quarter(o: Office) -> dict[str, int]:
    fin = o.units["财政局"]
    # A: 秘书股's 通知 — returned once with two errors, signed late, now waiting for its 复核 (then its number).
    a = new_draft(o, title="关于做好冬季森林防火工作的通知", today=day(11, 2))
    o.run(outgoing.submit, o.clerk, a, today=day(11, 3))
    o.run(outgoing.review, o.deputy, a, "return", "格式不规范，请修改", today=day(11, 5),
          errors=[ErrorInput("文字", "错别字"), ErrorInput("格式", "标题字号不对")])
    o.run(outgoing.submit, o.clerk, a, today=day(11, 6))
    o.run(outgoing.review, o.deputy, a, "approve", today=day(11, 9))
    o.run(outgoing.sign, o.mayor, a, "同意印发", today=day(11, 16))
    stamp(o, a, [day(11, 2), day(11, 3), day(11, 5), day(11, 6), day(11, 9), day(11, 16)])
    # B: 县财政局's 请示, sent for review the day it was drafted and not reviewed since.
    b = new_draft(o, drafter=o.liaison_fin, title="关于申请拨付防汛资金的请示", doc_type="请示", today=day(11, 10))
    o.run(outgoing.submit, o.liaison_fin, b, today=day(11, 10))
    stamp(o, b, [day(11, 10), day(11, 10)])
    # D: a 通知 from the city, handled by 县财政局 two days after its deadline, now waiting to be filed.
    d = new_incoming(o, title="关于开展安全生产大检查的通知", source_unit="江州市应急管理局", today=day(11, 2))
    o.run(incoming.sign_for, o.clerk, d, received_at=datetime.combine(day(11, 2), time(8, 40)), today=day(11, 2))
    o.run(incoming.register, o.clerk, d, today=day(11, 2))
    o.run(incoming.screen, o.clerk, d, "accept", today=day(11, 3))
    o.run(incoming.propose, o.deputy, d, "拟请县财政局牵头办理", today=day(11, 3))
    o.run(incoming.instruct, o.mayor, d, "同意", needs_handling=True, main_unit_id=fin, workdays=5, today=day(11, 4))
    o.run(incoming.handled, o.liaison_fin, d, result="已完成检查并报送", today=day(11, 13))
    o.run(incoming.conclude, o.clerk, d, today=day(11, 16))
    stamp(o, d, [day(11, 2), day(11, 2), day(11, 2), day(11, 3), day(11, 3), day(11, 4), day(11, 13), day(11, 16)])
    # C: a 请示 from a township, returned (退文) at screening with an error in procedure.
    c = new_incoming(o, title="城关镇人民政府关于申请解决办公用房维修经费的请示", source_unit="城关镇人民政府",
                     today=day(11, 4))
    o.run(incoming.sign_for, o.clerk, c, received_at=datetime.combine(day(11, 4), time(10, 0)), today=day(11, 4))
    o.run(incoming.register, o.clerk, c, today=day(11, 4))
    o.run(incoming.screen, o.clerk, c, "return", "未按程序经县级主管部门审核", today=day(11, 5),
          errors=[ErrorInput("程序", "越级报送")])
    stamp(o, c, [day(11, 4), day(11, 4), day(11, 4), day(11, 5)])
    # E: last quarter's draft, returned with an error and then cancelled; it does not count now.
    e = new_draft(o, title="关于开展秋季植树活动的通知", today=day(9, 7))
    o.run(outgoing.submit, o.clerk, e, today=day(9, 8))
    o.run(outgoing.review, o.director, e, "return", "文种不当", today=day(9, 9), errors=[ErrorInput("文种")])
    o.run(outgoing.cancel_draft, o.clerk, e, "不再发文", today=day(9, 10))
    stamp(o, e, [day(9, 7), day(9, 8), day(9, 9), day(9, 10)])
    return {"A": a, "B": b, "C": c, "D": d, "E": e}
