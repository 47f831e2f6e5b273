"""The 报账 lists (我的报销单, 待我审批, 全部报销单): columns, filters and the fetch that calls the service."""

from __future__ import annotations

from typing import Any

from app.bootstrap import AppContext
from app.core.areas.claims import REIMBURSEMENT
from app.core.money import format_amount
from app.services.claims import lists as claim_lists
from app.services.claims.lists import ClaimRow
from app.services.kernel.actor import Actor
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.theme import MUTED, OK, SOON, URGENT
from app.ui.widgets.batch_print_action import PrintForm
from app.ui.widgets.display import due_cell, due_text
from app.ui.widgets.lazy_table import Column
from app.ui.widgets.list_page import Choice, Fetch, ListSpec


def status_chip(row: ClaimRow) -> tuple[str, str]:
    if row.withdrawn:
        return tr("已撤销"), MUTED
    if row.closed:
        return tr("已办结"), MUTED
    if row.overdue:
        return tr("已逾期"), URGENT
    if row.state == "fill":
        return (tr("已退回"), SOON) if row.submitted else (tr("草稿"), SOON)
    if row.over_budget:
        return tr("超预算"), URGENT
    return tr("审批中"), OK


COLUMNS: list[Column[ClaimRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", "单号"), lambda r: r.number, sort_key="number", width=120, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "摘要"), lambda r: r.title, width=260, tooltip=lambda r: r.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", "报销部门"), lambda r: r.unit_name, width=120),
    Column(QT_TRANSLATE_NOOP("GovDesk", "报销人"), lambda r: r.claimant_name, sort_key="claimant", width=80),
    Column(QT_TRANSLATE_NOOP("GovDesk", "日期"), lambda r: f"{r.claim_date:%Y-%m-%d}", sort_key="date", width=100,
           fit=True, excel=lambda r: r.claim_date),
    Column(QT_TRANSLATE_NOOP("GovDesk", "金额（元）"), lambda r: format_amount(r.total), sort_key="total", width=110,
           align_right=True, excel=lambda r: r.total),
    Column(QT_TRANSLATE_NOOP("GovDesk", "当前环节"), lambda r: r.state_label, width=120),
    Column(QT_TRANSLATE_NOOP("GovDesk", "办理时限"), due_text, sort_key="due_date", width=130, fit=True, excel=due_cell),
    Column(QT_TRANSLATE_NOOP("GovDesk", "状态"), lambda r: "", width=90, chip=status_chip),
]

BOX_TITLES: dict[str, str] = {
    "mine": QT_TRANSLATE_NOOP("GovDesk", "我的报销单"),
    "waiting": QT_TRANSLATE_NOOP("GovDesk", "待我审批"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "全部报销单"),
}

EMPTY_TEXTS: dict[str, str] = {
    "mine": QT_TRANSLATE_NOOP(
        "GovDesk", "您还没有报销单。\n新建报销单，填好费用明细和单据张数后提交，审批到哪一步都在这里看得到。"),
    "waiting": QT_TRANSLATE_NOOP("GovDesk", "目前没有等您审批或办理的报销单。"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "还没有报销单。"),
}


def _state_options() -> list[tuple[str, Any]]:
    options: list[tuple[str, Any]] = [(tr("全部环节"), None), (tr("办理中"), "open"), (tr("已办结"), "closed")]
    # The built-in steps; an edited flow's extra steps still show in the list, just not as a filter.
    options += [(step.label, step.key) for step in REIMBURSEMENT.steps if not step.final]
    return options


def list_spec(box: str, units: list[tuple[str, int]]) -> ListSpec:
    return ListSpec(
        title=tr(BOX_TITLES[box]),
        columns=COLUMNS,
        state_key=f"claims/{box}",
        empty_text=tr(EMPTY_TEXTS[box]),
        search_hint=tr("搜索单号、摘要或报销人"),
        choices=[
            Choice("state", tr("环节"), _state_options()),
            Choice("unit_id", tr("部门"), [(tr("全部部门"), None)] + units),
        ],
        date_range=True,
        overdue_filter=box != "mine",
        new_label=tr("新建报销单") if box == "mine" else "",
        export_name=tr(BOX_TITLES[box]),
        noun=tr("报销单"),
        # As the claim's own window offers: the form alone, or with its receipts' scans after it.
        print_forms=(PrintForm(tr("报销单"), "claim-form"), PrintForm(tr("报销单（附票据扫描件）"), "claim-form-receipts")),
    )


def make_fetch(ctx: AppContext, actor: Actor, box: claim_lists.Box) -> Fetch:
    def fetch(
        filters: dict[str, Any], offset: int, limit: int, key: str | None, descending: bool
    ) -> DataPage[ClaimRow]:
        with ctx.uow() as uow:
            return claim_lists.list_claims(
                uow, actor, box=box, offset=offset, limit=limit, order_by=key or "date",
                descending=descending if key else None, **filters,
            )

    return fetch
