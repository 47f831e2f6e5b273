"""The 督办台账's lists (在办事项, 待我办理, 我负责的, 已销号, 全部事项): columns, filters and the fetch that calls
the service with them."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.bootstrap import AppContext
from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES
from app.services.kernel.actor import Actor
from app.services.supervision import ledger
from app.services.supervision.ledger import ItemRow, LedgerFilter
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.theme import ACCENT, MUTED, OK, SOON, URGENT
from app.ui.widgets.batch_print_action import PrintForm
from app.ui.widgets.lazy_table import Column
from app.ui.widgets.list_page import Choice, Fetch, ListSpec


def status_chip(row: ItemRow) -> tuple[str, str]:
    status = row.status
    colour = {"已撤销": MUTED, "已销号": OK, "逾期办结": SOON, "逾期未办结": URGENT}.get(status, ACCENT)
    return tr(status), colour


def _report(row: ItemRow) -> str:
    if not row.latest_report:
        return "—"
    return f"{row.latest_report_on:%m-%d} {row.latest_report}" if row.latest_report_on else row.latest_report


COLUMNS: list[Column[ItemRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", "督办编号"), lambda r: r.number, sort_key="number", width=120, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "事项名称"), lambda r: r.title, width=200, tooltip=lambda r: r.requirement or r.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", "事项来源"), lambda r: r.source, width=120, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "牵头单位"), lambda r: r.lead_unit_name, sort_key="unit", width=110,
           tooltip=lambda r: tr("协办：{0}").format(r.co_unit_names) if r.co_unit_names else ""),
    Column(QT_TRANSLATE_NOOP("GovDesk", "责任人"), lambda r: r.responsible_name, width=64),
    Column(QT_TRANSLATE_NOOP("GovDesk", "督办类别"), lambda r: r.priority, sort_key="priority", width=76, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "办结时限"), lambda r: f"{r.deadline:%Y-%m-%d}", sort_key="deadline", width=100,
           fit=True, excel=lambda r: r.deadline),
    Column(QT_TRANSLATE_NOOP("GovDesk", "最新进展"), _report, width=170, tooltip=lambda r: r.latest_report),
    Column(QT_TRANSLATE_NOOP("GovDesk", "状态"), lambda r: r.status, width=96, chip=status_chip),
]

BOX_TITLES: dict[str, str] = {
    "active": QT_TRANSLATE_NOOP("GovDesk", "在办事项"),
    "waiting": QT_TRANSLATE_NOOP("GovDesk", "待我办理"),
    "mine": QT_TRANSLATE_NOOP("GovDesk", "我负责的"),
    "closed": QT_TRANSLATE_NOOP("GovDesk", "已销号"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "全部事项"),
}
EMPTY_TEXTS: dict[str, str] = {
    "active": QT_TRANSLATE_NOOP("GovDesk", "没有在办的督办事项。\n点“登记督办事项”逐项登记，或“导入…”从分解表一次导入全年目标任务。"),
    "waiting": QT_TRANSLATE_NOOP("GovDesk", "目前没有等您交办、报请销号或审核销号的督办事项。"),
    "mine": QT_TRANSLATE_NOOP("GovDesk", "您目前不是任何督办事项的责任人。"),
    "closed": QT_TRANSLATE_NOOP("GovDesk", "还没有已销号的督办事项。"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "还没有督办事项。"),
}


def list_spec(box: str, units: list[tuple[str, int]], years: list[int]) -> ListSpec:
    return ListSpec(
        title=tr(BOX_TITLES[box]),
        columns=COLUMNS,
        state_key=f"supervision/{box}",
        empty_text=tr(EMPTY_TEXTS[box]),
        search_hint=tr("搜索编号、事项名称或工作要求"),
        choices=[
            Choice("year", tr("年度"), [(tr("全部年度"), None)] + [(tr("{0}年").format(y), y) for y in years]),
            Choice("source", tr("来源"), [(tr("全部来源"), None)] + [(s, s) for s in SOURCES]),
            Choice("unit_id", tr("单位"), [(tr("全部单位"), None)] + units),
            Choice("priority", tr("类别"), [(tr("全部类别"), None)] + [(c.label, c.label) for c in PRIORITY_CLASSES]),
            Choice("state", tr("环节"), [(tr("全部环节"), None)] + [
                (label, key) for key, label in ledger.STATE_LABELS.items()
                if box != "active" or key not in ("closed", "cancelled")]),
        ],
        overdue_filter=box not in ("closed",),
        new_label=tr("登记督办事项") if box in ("active", "mine") else "",
        export_name=tr("督办台账-{0}").format(tr(BOX_TITLES[box])),
        noun=tr("督办事项"),
        print_forms=(PrintForm(tr("督办通知单"), "supervision-slip"),),
    )


def ledger_filter(box: ledger.Box, filters: dict[str, Any]) -> LedgerFilter:
    return LedgerFilter(
        box=box, year=filters.get("year"), source=filters.get("source"), unit_id=filters.get("unit_id"),
        priority=filters.get("priority"), state=filters.get("state"), overdue=filters.get("overdue_on") is not None,
        search=filters.get("search"),
    )


def make_fetch(ctx: AppContext, actor: Actor, box: ledger.Box) -> Fetch:
    def fetch(filters: dict[str, Any], offset: int, limit: int, key: str | None, descending: bool) -> DataPage[ItemRow]:
        with ctx.uow() as uow:
            return ledger.list_items(uow, actor, ledger_filter(box, filters), offset=offset, limit=limit,
                                     order_by=key or "deadline", descending=descending if key else False,
                                     today=date.today())

    return fetch
