"""Sample data for the printing tests, written as the office would fill it in."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

from app.core.workflow.layout import FlowTrail
from app.printing.claims.form import ClaimFormData, ClaimFormLine, Signature
from app.printing.kit.urge_slip import PreviousUrge, UrgeSlipData

OFFICE = "青山县人民政府办公室"
CAPTIONS = ("报销人", "部门负责人", "财务审核", "单位领导", "出纳", "领款人")


def urge_slip() -> UrgeSlipData:
    return UrgeSlipData(
        office_name="青山县人民政府办公室",
        serial="催〔2026〕5号",
        item_title="关于报送2026年度政府工作报告目标任务第三季度完成情况的通知",
        item_kind="发文办理",
        current_step="核稿",
        responsible_unit="县发展和改革局",
        responsible_person="王晓明",
        due_date=date(2026, 11, 20),
        overdue_days=5,  # working days: 11-23 … 11-27
        urged_at=datetime(2026, 11, 29, 9, 5),
        urged_by="李娜",
        method="电话",
        note="该事项已超过办理时限，请抓紧办理并按时反馈。",
        previous_urges=[PreviousUrge(datetime(2026, 11, 23, 15, 30), "李娜", "短信", "已提醒，正在汇总数据")],
        reply_deadline=date(2026, 12, 1),  # two working days after Sunday 11-29
    )


def reimbursement_trail() -> FlowTrail:
    """A claim returned once by finance, resubmitted, and now before the deputy director."""
    return FlowTrail(
        "leader_approval",
        [
            ("fill", "张三", datetime(2026, 11, 20, 9, 12)),
            ("dept_review", "李四", datetime(2026, 11, 20, 15, 40)),
            ("finance_review", "王会计", datetime(2026, 11, 23, 10, 5)),
            ("fill", "张三", datetime(2026, 11, 24, 8, 50)),
            ("dept_review", "李四", datetime(2026, 11, 24, 11, 0)),
            ("finance_review", "王会计", datetime(2026, 11, 25, 16, 20)),
        ],
    )


def signatures(*filled: tuple[str, date]) -> tuple[Signature, ...]:
    """The six boxes, the first ones signed as given, the rest blank for a pen."""
    names = list(filled) + [("", None)] * (len(CAPTIONS) - len(filled))
    return tuple(Signature(caption, name, on) for caption, (name, on) in zip(CAPTIONS, names, strict=True))


def claim(**changes: object) -> ClaimFormData:
    """A travel claim by 张三, approved by his head of department and by finance, awaiting the leader."""
    data = ClaimFormData(
        office_name=OFFICE,
        number="BX2026-00012",
        unit_name="综合科",
        claimant_name="张三",
        claim_date=date(2026, 11, 20),
        receipts_count=5,
        lines=(
            ClaimFormLine("11月18日至19日赴市财政局参加2026年度部门预算编制培训会往返高铁票", "差旅费", Decimal("236.00")),
            ClaimFormLine("住宿费（1晚）", "差旅费", Decimal("380.00")),
            ClaimFormLine("伙食补助、市内交通补助", "差旅费", Decimal("200.00")),
            ClaimFormLine("打印纸、墨盒", "办公费", Decimal("593.50")),
        ),
        total=Decimal("1409.50"),
        advance=Decimal("1000.00"),
        refund=Decimal("0"),
        top_up=Decimal("409.50"),
        signatures=signatures(
            ("张三", date(2026, 11, 20)), ("李四", date(2026, 11, 20)), ("王会计", date(2026, 11, 25))
        ),
        state_label="审批中",
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]
