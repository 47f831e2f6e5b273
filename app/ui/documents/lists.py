"""The 发文 and 收文 lists: columns, filters and the fetch that calls the document service."""

from __future__ import annotations

from typing import Any

from app.bootstrap import AppContext
from app.core.areas.documents import INCOMING_DOCUMENT, OUTGOING_DOCUMENT
from app.core.documents import DOC_TYPES, INCOMING, OUTGOING, URGENCIES
from app.services.documents import records as documents
from app.services.kernel.actor import Actor
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.theme import MUTED, OK, SOON, URGENT
from app.ui.widgets.batch_print_action import PrintForm
from app.ui.widgets.display import due_cell, due_text
from app.ui.widgets.lazy_table import Column
from app.ui.widgets.list_page import Choice, ListSpec


def status_chip(row: documents.DocumentRow) -> tuple[str, str]:
    if row.closed:
        return row.state_label, MUTED
    if row.overdue:
        return tr("已逾期"), URGENT
    if row.circulating:
        return tr("传阅中"), SOON
    if row.urgency:
        return row.urgency, URGENT
    return tr("办理中"), OK


def _date(row: documents.DocumentRow) -> str:
    return f"{row.doc_date:%Y-%m-%d}"


OUTGOING_COLUMNS: list[Column[documents.DocumentRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", "发文字号"), lambda r: r.doc_number or tr("（未编号）"), sort_key="number", width=200, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "标题"), lambda r: r.title, sort_key="title", width=300, tooltip=lambda r: r.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", "文种"), lambda r: r.doc_type, width=60),
    Column(QT_TRANSLATE_NOOP("GovDesk", "拟稿单位"), lambda r: r.unit_name, width=120),
    Column(QT_TRANSLATE_NOOP("GovDesk", "日期"), _date, sort_key="date", width=100, fit=True,
           excel=lambda r: r.doc_date),
    Column(QT_TRANSLATE_NOOP("GovDesk", "当前环节"), lambda r: r.status_label, width=100),
    Column(QT_TRANSLATE_NOOP("GovDesk", "办理时限"), due_text, sort_key="due", width=140, fit=True, excel=due_cell),
    Column(QT_TRANSLATE_NOOP("GovDesk", "状态"), lambda r: "", width=90, chip=status_chip),
]

INCOMING_COLUMNS: list[Column[documents.DocumentRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", "收文编号"), lambda r: r.receipt_number or tr("（未登记）"), sort_key="number",
           width=140, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "标题"), lambda r: r.title, sort_key="title", width=280, tooltip=lambda r: r.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", "来文单位"), lambda r: r.source_unit, width=140),
    Column(QT_TRANSLATE_NOOP("GovDesk", "来文字号"), lambda r: r.source_number, width=170, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "收文日期"), _date, sort_key="date", width=100, fit=True,
           excel=lambda r: r.doc_date),
    Column(QT_TRANSLATE_NOOP("GovDesk", "当前环节"), lambda r: r.status_label, width=100),
    Column(QT_TRANSLATE_NOOP("GovDesk", "办理时限"), due_text, sort_key="due", width=140, fit=True, excel=due_cell),
    Column(QT_TRANSLATE_NOOP("GovDesk", "状态"), lambda r: "", width=90, chip=status_chip),
]


def _state_options(direction: str) -> list[tuple[str, Any]]:
    flow = OUTGOING_DOCUMENT if direction == OUTGOING else INCOMING_DOCUMENT
    return [(tr("全部环节"), None)] + [(step.label, step.key) for step in flow.steps]


def list_spec(direction: str, units: list[tuple[str, int]] | None = None) -> ListSpec:
    outgoing = direction == OUTGOING
    return ListSpec(
        title=tr("发文") if outgoing else tr("收文"),
        columns=OUTGOING_COLUMNS if outgoing else INCOMING_COLUMNS,
        state_key=f"documents/{direction}",
        empty_text=(
            tr("还没有发文。\n新建发文后，从拟稿、核稿、签发到编号、印制、分发、归档，每一步都在这里跟踪。")
            if outgoing
            else tr("还没有收文。\n签收来文后，登记、拟办、批办、承办、传阅和办结都在这里跟踪。")
        ),
        search_hint=tr("搜索标题、文号、来文单位或办理意见"),
        choices=[
            Choice("state", tr("环节"), _state_options(direction)),
            Choice("doc_type", tr("文种"), [(tr("全部文种"), None)] + [(t, t) for t in DOC_TYPES]),
            Choice("unit_id", tr("单位"), [(tr("全部单位"), None)] + [(name, ident) for name, ident in units or []]),
        ],
        date_range=True,
        overdue_filter=True,
        new_label=tr("新建发文") if outgoing else tr("签收来文"),
        export_name=tr("发文登记") if outgoing else tr("收文登记"),
        extra={"urgencies": URGENCIES},
        print_forms=(PrintForm(tr("发文稿纸"), "outgoing-draft"),) if outgoing else (PrintForm(tr("收文处理笺"), "incoming-slip"),),
    )


def make_fetch(ctx: AppContext, actor: Actor, direction: str):  # type: ignore[no-untyped-def]
    sort_keys = {"number": "number", "title": "title", "date": "date", "due": "due_date"}

    def fetch(
        filters: dict[str, Any], offset: int, limit: int, key: str | None, descending: bool
    ) -> DataPage[documents.DocumentRow]:
        with ctx.uow() as uow:
            return documents.list_documents(
                uow, actor, direction=direction, offset=offset, limit=limit,
                order_by=sort_keys.get(key or "", "date"), descending=descending if key else None, **filters,
            )

    return fetch


__all__ = ["INCOMING", "OUTGOING", "list_spec", "make_fetch"]
