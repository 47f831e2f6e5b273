"""Sample data for the printing tests, written as the office would fill it in."""

from __future__ import annotations

from datetime import date, datetime

from app.core.workflow.layout import FlowTrail
from app.printing.kit.urge_slip import PreviousUrge, UrgeSlipData


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
