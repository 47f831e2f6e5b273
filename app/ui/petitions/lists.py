"""信访's lists (我的在办, 全部在办, 临期逾期, 重复信访, 全部信访件): the columns, the filters (信访方式, 问题类别, 属地,
登记日期, search) and the fetch that calls app.services.petitions.listing with them. The petitioner's ID number
and phone come masked from the service for whoever does not handle petitions; the list shows what it gets."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.bootstrap import AppContext
from app.core.petitions.terms import CATEGORIES, CHANNELS
from app.services.kernel.actor import Actor
from app.services.petitions import listing
from app.services.petitions.listing import PetitionFilter, PetitionRow
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.theme import ACCENT, MUTED, OK, SOON, URGENT
from app.ui.widgets.lazy_table import Column
from app.ui.widgets.list_page import Choice, Fetch, ListSpec

# How much of the request a row shows; the whole text is in the cell's tooltip.
REQUEST_EXCERPT = 40


def excerpt(text: str, length: int = REQUEST_EXCERPT) -> str:
    """The request's first line, cut at ``length`` characters with an ellipsis."""
    first = " ".join(text.split())
    return first if len(first) <= length else first[: length - 1] + "…"


def due_text(row: PetitionRow) -> str:
    if row.closed or row.due_date is None:
        return "—"
    return f"{row.due_date:%Y-%m-%d}"


def due_colour(row: PetitionRow) -> str | None:
    """期限 in red once passed, amber within the 临期 days, as the 工作台 shows them."""
    today = date.today()
    if row.overdue(today):
        return URGENT
    if row.due_soon(today):
        return SOON
    return None


def state_chip(row: PetitionRow) -> tuple[str, str]:
    if row.closed:
        colour = OK if row.state == "concluded" else MUTED
    else:
        colour = URGENT if row.overdue(date.today()) else ACCENT
    label = row.state_label if row.stage == "initial" else tr("{0}·{1}").format(row.stage_label, row.state_label)
    return label, colour


def _name(row: PetitionRow) -> str:
    return row.name if row.people_count <= 1 else tr("{0}等{1}人").format(row.name, row.people_count)


def _name_tip(row: PetitionRow) -> str:
    return tr("{0}（重复信访）").format(_name(row)) if row.is_repeat else _name(row)


COLUMNS: list[Column[PetitionRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", "编号"), lambda r: r.number, sort_key="number", width=120, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "登记日期"), lambda r: f"{r.received_on:%Y-%m-%d}", sort_key="received",
           width=96, fit=True, excel=lambda r: r.received_on),
    Column(QT_TRANSLATE_NOOP("GovDesk", "信访方式"), lambda r: r.channel_text, width=70, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "信访人"), _name, sort_key="name", width=80, tooltip=_name_tip,
           colour=lambda r: SOON if r.is_repeat else None),
    Column(QT_TRANSLATE_NOOP("GovDesk", "联系电话"), lambda r: r.phone or "—", width=110, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "诉求"), lambda r: excerpt(r.request), width=180, tooltip=lambda r: r.request,
           excel=lambda r: r.request),
    Column(QT_TRANSLATE_NOOP("GovDesk", "问题类别"), lambda r: r.category, sort_key="category", width=100, fit=True,
           tooltip=lambda r: r.category),
    Column(QT_TRANSLATE_NOOP("GovDesk", "属地"), lambda r: r.place, sort_key="place", width=70, tooltip=lambda r: r.place),
    Column(QT_TRANSLATE_NOOP("GovDesk", "承办单位"), lambda r: r.handling_unit_name or "—", width=90,
           tooltip=lambda r: r.handling_unit_name),
    Column(QT_TRANSLATE_NOOP("GovDesk", "环节"), lambda r: state_chip(r)[0], width=70, chip=state_chip),
    Column(QT_TRANSLATE_NOOP("GovDesk", "期限"), due_text, sort_key="due", width=96, fit=True, colour=due_colour,
           excel=lambda r: r.due_date if r.due_date and not r.closed else "—"),
]

BOX_TITLES: dict[str, str] = {
    "mine": QT_TRANSLATE_NOOP("GovDesk", "我的在办"),
    "open": QT_TRANSLATE_NOOP("GovDesk", "全部在办"),
    "due": QT_TRANSLATE_NOOP("GovDesk", "临期逾期"),
    "repeats": QT_TRANSLATE_NOOP("GovDesk", "重复信访"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "全部信访件"),
}
EMPTY_TEXTS: dict[str, str] = {
    "mine": QT_TRANSLATE_NOOP("GovDesk", "这里列出由您首问负责、还没有办结的信访件。\n目前没有，点“登记信访”登记一件。"),
    "open": QT_TRANSLATE_NOOP("GovDesk", "这里列出全部还没有办结的信访件。\n目前没有在办的信访件。"),
    "due": QT_TRANSLATE_NOOP("GovDesk", "这里列出3天内到期或已经逾期的在办信访件，最急的在前。\n目前没有临期或逾期的信访件。"),
    "repeats": QT_TRANSLATE_NOOP("GovDesk", "这里列出登记时发现与以前的信访件重复的信访件。\n目前没有重复信访。"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "这里列出您能看到的全部信访件和复查、复核，最新的在前。\n还没有信访件。"),
}
# What a unit's 联络员 sees: the cases assigned to their unit.
LIAISON_EMPTY_TEXTS: dict[str, str] = {
    "open": QT_TRANSLATE_NOOP("GovDesk", "这里列出交办给本单位、还没有办结的信访件。目前没有。"),
    "due": QT_TRANSLATE_NOOP("GovDesk", "这里列出交办给本单位、3天内到期或已经逾期的信访件。目前没有。"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "这里列出交办给本单位的全部信访件。目前没有。"),
}


def list_spec(box: str, places: list[str], *, handler: bool) -> ListSpec:
    choices = [
        Choice("channel", tr("信访方式"), [(tr("全部方式"), None)] + [(tr(c), c) for c in CHANNELS]),
        Choice("category", tr("问题类别"), [(tr("全部类别"), None)] + [(tr(c), c) for c in CATEGORIES]),
        Choice("place", tr("属地"), [(tr("全部属地"), None)] + [(p, p) for p in places]),
    ]
    if box in ("all", "repeats"):
        choices.append(Choice("stage", tr("类型"), [(tr("全部类型"), None), (tr("信访件"), "initial"),
                                                    (tr("复查"), "review"), (tr("复核"), "re_review")]))
    texts = EMPTY_TEXTS if handler else {**EMPTY_TEXTS, **LIAISON_EMPTY_TEXTS}
    return ListSpec(
        title=tr(BOX_TITLES[box]),
        columns=COLUMNS,
        state_key=f"petitions/{box}",
        empty_text=tr(texts[box]),
        search_hint=tr("搜索编号、信访人、诉求、类别或属地") if not handler else tr("搜索编号、信访人、诉求、身份证号或电话"),
        choices=choices,
        date_range=True,
        new_label=tr("登记信访") if handler and box in ("mine", "all") else "",
        export_name=tr("信访件-{0}").format(tr(BOX_TITLES[box])),
        noun=tr("信访件"),
    )


def petition_filter(box: listing.Box, filters: dict[str, Any]) -> PetitionFilter:
    return PetitionFilter(
        box=box, stage=filters.get("stage"), channel=filters.get("channel"), category=filters.get("category"),
        place=filters.get("place"), date_from=filters.get("date_from"), date_to=filters.get("date_to"),
        search=filters.get("search"),
    )


def make_fetch(ctx: AppContext, actor: Actor, box: listing.Box) -> Fetch:
    def fetch(filters: dict[str, Any], offset: int, limit: int, key: str | None,
              descending: bool) -> DataPage[PetitionRow]:
        with ctx.uow() as uow:
            return listing.list_petitions(uow, actor, petition_filter(box, filters), offset=offset, limit=limit,
                                          order_by=key or "received", descending=descending if key else None,
                                          today=date.today())

    return fetch
