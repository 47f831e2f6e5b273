"""The 公文 tests' office with 督办事项: an item of the 财政局 (co-unit 教育局) answered for by the clerk, taken
along its flow by the people who act there. No tests live here."""

from __future__ import annotations

from datetime import date, timedelta

from app.services.supervision import items, lifecycle
from tests.helpers.document_office import TODAY, Office

DEADLINE = TODAY + timedelta(days=30)
EVIDENCE = ("验收报告.pdf", b"%PDF-1.4\n% evidence\n")


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
