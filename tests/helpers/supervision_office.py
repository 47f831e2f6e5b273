"""The 公文 tests' office with 督办事项: an item of the 财政局 (co-unit 教育局) answered for by the clerk, taken
along its flow by the people who act there. No tests live here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta

from app.services.supervision import campaigns, items, lifecycle
from app.services.workflow import duties
from tests.helpers.document_office import TODAY, Office

DEADLINE = TODAY + timedelta(days=30)
EVIDENCE = ("验收报告.pdf", b"%PDF-1.4\n% evidence\n")
PROGRESS_FILE = ("进展照片.pdf", b"%PDF-1.4\n% progress\n")
# The 目标任务分解表's header as the office's template has it (app.core.supervision.ledger_sheet.COLUMNS).
SHEET_HEADER = ("序号", "事项来源", "事项名称", "工作要求", "牵头单位", "协办单位", "责任人", "督办类别", "办结时限")


def item_input(o: Office, **fields: object) -> items.ItemInput:
    values: dict[str, object] = {
        "source": "政府工作报告", "title": "推进城区停车场建设", "requirement": "年内建成公共停车位500个",
        "lead_unit_id": o.units["财政局"], "co_unit_ids": [o.units["教育局"]], "responsible_id": o.clerk.id,
        "priority": "重点督办", "deadline": DEADLINE,
    }
    values.update(fields)
    return items.ItemInput(**values)  # type: ignore[arg-type]


def new_item(o: Office, by: str = "clerk", today: date = TODAY, **fields: object) -> int:
    return int(o.run(items.create_item, o.people[by], item_input(o, **fields), today=today).id)


def assigned_item(o: Office, today: date = TODAY, **fields: object) -> int:
    item = new_item(o, today=today, **fields)
    o.run(lifecycle.assign_item, o.clerk, item, today=today)
    return item


def completed_item(o: Office, today: date = TODAY, **fields: object) -> int:
    """Assigned, and the lead unit's 办结报告 sent with its evidence."""
    item = assigned_item(o, today, **fields)
    o.run(lifecycle.report_task, o.liaison_fin, item, "停车场已建成并通过验收", [EVIDENCE], completion=True)
    return item


def item_in_review(o: Office, today: date = TODAY, **fields: object) -> int:
    item = completed_item(o, today, **fields)
    o.run(lifecycle.request_close, o.clerk, item, today=today)
    return item


def closed_item(o: Office, today: date = TODAY, closed_on: date | None = None, **fields: object) -> int:
    """销号 by the director on ``closed_on`` (the day it went to review, unless given)."""
    item = item_in_review(o, today, **fields)
    o.run(lifecycle.close_item, o.director, item, "同意销号", today=closed_on or today)
    return item


def info(o: Office, item: int, who: str = "director") -> items.ItemInfo:
    return o.run(items.get_item, o.people[who], item)  # type: ignore[no-any-return]


def progress_duty(o: Office, item: int, today: date = TODAY, who: str = "director") -> duties.DutyInfo:
    """The item's 进展报告 duty as ``who`` sees it on ``today``."""
    instance = info(o, item).instance_id
    found = o.run(duties.duties_of, o.people[who], instance, today)
    return next(d for d in found if d.key == "progress")  # type: ignore[no-any-return]


def sheet_bytes(rows: Sequence[Sequence[object]], header: Sequence[object] = SHEET_HEADER) -> bytes:
    """An .xlsx workbook of one sheet, the header first, written by openpyxl as Excel would save it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "目标任务分解表"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def prepare_for_matrix(o: Office) -> dict[str, int]:
    """The records the permission matrix's 督查督办 rows act on (tests/services/test_permission_matrix): items of
    the 财政局 alone, answered for by the clerk, one at each point of the flow, each row's act taken
    from there; a closed one to reopen; a 综合督查 campaign with a finding not yet an item. Made on TODAY with
    deadlines after it, so the rows' acts (on TODAY) find nothing overdue but the one made so on purpose."""
    # No co-unit: the 教育局's 联络员 is a stranger to every one of them.
    ids = {
        "sv_register": new_item(o, co_unit_ids=[]),
        "sv_handle": assigned_item(o, co_unit_ids=[]),
        "sv_completed": completed_item(o, co_unit_ids=[]),
        "sv_review": item_in_review(o, co_unit_ids=[]),
        "sv_closed": closed_item(o, co_unit_ids=[]),
    }
    campaign = o.run(campaigns.record_campaign, o.clerk, "2026年第四季度综合督查", "重点项目推进情况",
                     TODAY - timedelta(days=7), TODAY, [campaigns.FindingInput("停车场项目进度滞后", o.units["财政局"])])
    ids["sv_campaign"] = campaign.id
    ids["sv_finding"] = campaign.findings[0].id
    ids["sv_instance"] = info(o, ids["sv_handle"]).instance_id
    ids["sv_closed_instance"] = info(o, ids["sv_closed"]).instance_id
    return ids
