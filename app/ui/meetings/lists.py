"""会议's lists (即将召开, 筹备中, 待落实, 全部会议): columns with the state as a chip, filters, the empty text
that says what the list would show, and the fetch that calls app.services.meetings.listing with them."""

from __future__ import annotations

from typing import Any

from app.bootstrap import AppContext
from app.core.meetings.plan import MEETING_TYPES
from app.services.kernel.actor import Actor
from app.services.meetings import listing
from app.services.meetings.listing import MeetingFilter, MeetingRow
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.meetings.calendar_view import state_colour
from app.ui.widgets.db_call import as_user
from app.ui.widgets.lazy_table import Column
from app.ui.widgets.list_page import Choice, Fetch, ListSpec


def status_chip(row: MeetingRow) -> tuple[str, str]:
    return tr(row.status), state_colour(row)


COLUMNS: list[Column[MeetingRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", "会议编号"), lambda r: r.number, sort_key="number", width=120, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "会议时间"), lambda r: f"{r.local_start:%Y-%m-%d %H:%M}—{r.local_end:%H:%M}",
           sort_key="starts", width=170, fit=True, excel=lambda r: r.local_start.replace(tzinfo=None)),
    Column(QT_TRANSLATE_NOOP("GovDesk", "会议名称"), lambda r: r.title, width=200, tooltip=lambda r: r.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", "类型"), lambda r: r.meeting_type, sort_key="type", width=80, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "会议室/地点"), lambda r: r.where, sort_key="room", width=120,
           tooltip=lambda r: r.where),
    Column(QT_TRANSLATE_NOOP("GovDesk", "主持人"), lambda r: r.host_name or "—", width=80),
    Column(QT_TRANSLATE_NOOP("GovDesk", "承办单位"), lambda r: r.organizer_unit_name, width=150,
           tooltip=lambda r: r.organizer_unit_name),
    Column(QT_TRANSLATE_NOOP("GovDesk", "经办人"), lambda r: r.responsible_name or "—", width=80),
    Column(QT_TRANSLATE_NOOP("GovDesk", "状态"), lambda r: r.status, width=90, chip=status_chip),
]

# The 会议时间 column, which the lists are sorted by until the user sorts them otherwise.
TIME_COLUMN = 1

BOX_TITLES: dict[str, str] = {
    "upcoming": QT_TRANSLATE_NOOP("GovDesk", "即将召开"),
    "prepare": QT_TRANSLATE_NOOP("GovDesk", "筹备中"),
    "follow_up": QT_TRANSLATE_NOOP("GovDesk", "待落实"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "全部会议"),
}
EMPTY_TEXTS: dict[str, str] = {
    "upcoming": QT_TRANSLATE_NOOP("GovDesk", "这里列出还没有结束的会议，最近的在前。\n目前没有要召开的会议，点“新建会议”登记一个。"),
    "prepare": QT_TRANSLATE_NOOP("GovDesk", "这里列出会前筹备中的会议：落实会议方案、印发通知、排定座次。\n目前没有，点“新建会议”登记一个。"),
    "follow_up": QT_TRANSLATE_NOOP("GovDesk", "这里列出已经召开、还要起草纪要和落实议定事项的会议。\n目前没有待落实的会议。"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "这里列出您能看到的全部会议，最新的在前。\n还没有会议，点“新建会议”登记一个。"),
}
# The empty text of a list for whoever cannot register meetings (a unit's 联络员, a 县领导).
READER_EMPTY_TEXTS: dict[str, str] = {
    "upcoming": QT_TRANSLATE_NOOP("GovDesk", "这里列出您或您的单位参加、还没有结束的会议。目前没有。"),
    "prepare": QT_TRANSLATE_NOOP("GovDesk", "这里列出您或您的单位参加、正在筹备的会议。目前没有。"),
    "follow_up": QT_TRANSLATE_NOOP("GovDesk", "这里列出已经召开、还在落实议定事项的会议。目前没有。"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "这里列出您或您的单位参加的全部会议。目前没有。"),
}


def list_spec(box: str, rooms: list[tuple[str, int]], years: list[int], *, organizer: bool) -> ListSpec:
    choices = [
        Choice("meeting_type", tr("类型"), [(tr("全部类型"), None)] + [(tr(t), t) for t in MEETING_TYPES]),
        Choice("room_id", tr("会议室"), [(tr("全部会议室"), None)] + rooms),
    ]
    if box == "all":
        choices += [
            Choice("year", tr("年度"), [(tr("全部年度"), None)] + [(tr("{0}年").format(y), y) for y in years]),
            Choice("state", tr("环节"), [(tr("全部环节"), None)] + [
                (tr(label), key) for key, label in listing.STATE_LABELS.items()]),
        ]
    texts = EMPTY_TEXTS if organizer else READER_EMPTY_TEXTS
    return ListSpec(
        title=tr(BOX_TITLES[box]),
        columns=COLUMNS,
        state_key=f"meetings/{box}",
        empty_text=tr(texts[box]),
        search_hint=tr("搜索会议编号、名称、主持人或地点"),
        choices=choices,
        date_range=box == "all",
        new_label=tr("新建会议") if box in ("upcoming", "prepare", "all") and organizer else "",
        export_name=tr("会议-{0}").format(tr(BOX_TITLES[box])),
        noun=tr("会议"),
    )


def meeting_filter(box: listing.Box, filters: dict[str, Any]) -> MeetingFilter:
    return MeetingFilter(
        box=box, meeting_type=filters.get("meeting_type"), room_id=filters.get("room_id"),
        state=filters.get("state"), year=filters.get("year"), date_from=filters.get("date_from"),
        date_to=filters.get("date_to"), search=filters.get("search"),
    )


def make_fetch(ctx: AppContext, actor: Actor, box: listing.Box) -> Fetch:
    def fetch(filters: dict[str, Any], offset: int, limit: int, key: str | None, descending: bool) -> DataPage[MeetingRow]:
        return as_user(ctx, actor, listing.list_meetings, meeting_filter(box, filters), offset=offset, limit=limit,
                       order_by=key or "starts", descending=descending if key else None)()

    return fetch
