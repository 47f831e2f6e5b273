"""信息调研's 稿件 list: the boxes of app.services.information.listing (我的稿件, 本组稿件, 待编审, 全部稿件) as its
first choice, the filters (类型, 信息组, 状态, 已被采用, 报送日期 from–to) and the search, the columns, and the fetch
that pages listing.list_items with them. The list shows what the service gives: a member sees their group's items
and the items of issued 《政务信息》, an editor every item."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtWidgets import QHBoxLayout, QLayout, QMenu, QPushButton, QWidget

from app.bootstrap import AppContext
from app.core.information.flow import COMPILED, DRAFT, FILED, SUBMITTED
from app.services.information import listing, records
from app.services.information.listing import ItemFilter, ItemRow
from app.services.kernel.actor import Actor
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT, MUTED, OK, SOON
from app.ui.widgets.lazy_table import Column
from app.ui.widgets.list_page import Choice, Fetch, ListPage, ListSpec

# The colour of each state's chip: a draft waits on its author (amber), 编审 on the editors (blue).
STATE_COLOURS: dict[str, str] = {DRAFT: SOON, SUBMITTED: ACCENT, COMPILED: OK, FILED: MUTED}


def state_chip(row: ItemRow) -> tuple[str, str]:
    return row.state_label, STATE_COLOURS.get(row.state, ACCENT)


COLUMNS: list[Column[ItemRow]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", "类型"), lambda r: r.kind_label, width=76, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "标题"), lambda r: r.title, sort_key="title", width=300,
           tooltip=lambda r: r.title),
    Column(QT_TRANSLATE_NOOP("GovDesk", "信息组"), lambda r: r.group_name, sort_key="group", width=96, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "作者"), lambda r: r.author_name, sort_key="author", width=80),
    Column(QT_TRANSLATE_NOOP("GovDesk", "报送日期"),
           lambda r: f"{r.submitted_on:%Y-%m-%d}" if r.submitted_on else "—", sort_key="submitted", width=96,
           fit=True, excel=lambda r: r.submitted_on or "—"),
    Column(QT_TRANSLATE_NOOP("GovDesk", "状态"), lambda r: r.state_label, sort_key="state", width=120,
           chip=state_chip),
    Column(QT_TRANSLATE_NOOP("GovDesk", "编入期号"), lambda r: r.issue_label or "—", width=110, fit=True),
    Column(QT_TRANSLATE_NOOP("GovDesk", "采用"), lambda r: r.adoption_levels or "—", width=90,
           tooltip=lambda r: r.adoption_levels),
    Column(QT_TRANSLATE_NOOP("GovDesk", "得分"), lambda r: str(r.points) if r.points else "—", sort_key="points",
           width=56, align_right=True, excel=lambda r: r.points),
    Column(QT_TRANSLATE_NOOP("GovDesk", "批示"), lambda r: str(r.comments) if r.comments else "—", width=56,
           align_right=True, excel=lambda r: r.comments),
]

BOX_TITLES: dict[str, str] = {
    "review": QT_TRANSLATE_NOOP("GovDesk", "待编审"),
    "mine": QT_TRANSLATE_NOOP("GovDesk", "我的稿件"),
    "group": QT_TRANSLATE_NOOP("GovDesk", "本组稿件"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "全部稿件"),
}
EMPTY_TEXTS: dict[str, str] = {
    "review": QT_TRANSLATE_NOOP("GovDesk", "这里列出已经报送、等待编审的稿件，最早报送的在后。\n目前没有等待编审的稿件。"),
    "mine": QT_TRANSLATE_NOOP("GovDesk", "这里列出您撰写的政务信息和调研文章，包括还没有报送的草稿。\n"
                                         "您还没有写过稿件，点“写信息”写一篇。"),
    "group": QT_TRANSLATE_NOOP("GovDesk", "这里列出您所在信息组的全部稿件。\n本组还没有稿件，点“写信息”写一篇。"),
    "all": QT_TRANSLATE_NOOP("GovDesk", "这里列出您能看到的全部稿件：本组的稿件，以及已印发的《政务信息》中的稿件。\n"
                                        "目前没有，点“写信息”写一篇。"),
}
EDITOR_ALL_TEXT = QT_TRANSLATE_NOOP("GovDesk", "这里列出各信息组的全部稿件，最新报送的在前。\n还没有稿件，点“写信息”写一篇。")
READER_ALL_TEXT = QT_TRANSLATE_NOOP("GovDesk", "这里列出已印发的《政务信息》中的稿件。\n目前还没有印发的《政务信息》。")


@dataclass(frozen=True)
class ListContext:
    """What the list's choices need to know of the user, read once when the page opens."""

    editor: bool
    member: bool
    writer: bool
    groups: Sequence[tuple[int, str]]


def boxes_for(context: ListContext) -> list[str]:
    """The boxes this user has, the one they use most first: 待编审 for the editors, 我的稿件 for the writers."""
    found: list[str] = []
    if context.editor:
        found.append("review")
    if context.writer:
        found.append("mine")
    if context.member:
        found.append("group")
    found.append("all")
    return found


def empty_text(box: str, context: ListContext) -> str:
    if box == "all" and context.editor:
        return tr(EDITOR_ALL_TEXT)
    if box == "all" and not context.writer:
        return tr(READER_ALL_TEXT)
    return tr(EMPTY_TEXTS[box])


def list_spec(context: ListContext) -> ListSpec:
    states = [(tr(label), key) for key, label in records.STATE_LABELS.items()]
    choices = [
        Choice("box", tr("列表"), [(tr(BOX_TITLES[box]), box) for box in boxes_for(context)]),
        Choice("kind", tr("类型"), [(tr("全部类型"), None)] + [(tr(label), key) for key, label in records.KINDS.items()]),
        Choice("group_id", tr("信息组"), [(tr("全部信息组"), None)] + [(name, gid) for gid, name in context.groups]),
        Choice("state", tr("状态"), [(tr("全部状态"), None)] + states),
        Choice("adopted", tr("采用"), [(tr("采用不限"), None), (tr("已被采用"), True)]),
    ]
    first = boxes_for(context)[0]
    return ListSpec(
        title=tr("稿件"),
        columns=COLUMNS,
        state_key="information/items",
        empty_text=empty_text(first, context),
        search_hint=tr("搜索标题或作者"),
        choices=choices,
        date_range=True,
        new_label=tr("写信息") if context.writer else "",
        export_name=tr("稿件"),
        noun=tr("稿件"),
    )


def item_filter(filters: dict[str, Any]) -> ItemFilter:
    return ItemFilter(
        box=cast(listing.Box, filters.get("box") or "all"), kind=filters.get("kind"), group_id=filters.get("group_id"),
        state=filters.get("state"), adopted_only=bool(filters.get("adopted")), date_from=filters.get("date_from"),
        date_to=filters.get("date_to"), search=filters.get("search"),
    )


def make_fetch(ctx: AppContext, actor: Actor) -> Fetch:
    def fetch(filters: dict[str, Any], offset: int, limit: int, key: str | None,
              descending: bool) -> DataPage[ItemRow]:
        with ctx.uow() as uow:
            return listing.list_items(uow, actor, item_filter(filters), offset=offset, limit=limit,
                                      order_by=key or "submitted", descending=descending if key else True)

    return fetch


class ItemsList(ListPage):
    """The 稿件 list: the box chosen first, then the filters. An empty box says what it would hold and offers
    写信息; with a filter on, it says nothing matched. 写调研文章 beside 写信息, and 台账 (导入台账…,
    保存导入模板…) for the editors."""

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, context: ListContext,
                 on_open: Callable[[Any], None], on_new: Callable[[], None] | None,
                 on_new_article: Callable[[], None] | None, ledger: QMenu | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(list_spec(context), make_fetch(ctx, actor), prefs, on_open, on_new, parent)
        self.context = context
        self.box_combo = self.combos["box"]
        self.box_combo.setToolTip(tr("选择要看的稿件列表"))
        top = self._top_row()
        if self.new_button is not None:
            self.new_button.setToolTip(tr("写一篇政务信息（Ctrl+N）"))
        self.article_button: QPushButton | None = None
        if on_new_article is not None and context.writer:
            self.article_button = QPushButton(action_icon("edit"), tr("写调研文章"))
            self.article_button.setToolTip(tr("写一篇调研文章（每个信息组每半年至少一篇）"))
            self.article_button.clicked.connect(on_new_article)
            top.addWidget(self.article_button)
        self.ledger_button: QPushButton | None = None
        if ledger is not None:
            self.ledger_button = QPushButton(action_icon("import"), tr("台账"))
            self.ledger_button.setToolTip(tr("导入已有的信息台账（Excel），或保存导入模板"))
            self.ledger_button.setMenu(ledger)
            top.addWidget(self.ledger_button)
        if self.use_dates is not None:
            self.use_dates.setText(tr("报送日期"))

    def _top_row(self) -> QHBoxLayout:
        layout = self.layout()
        assert layout is not None
        item = layout.itemAt(0)
        row: QLayout | None = item.layout() if item is not None else None
        assert isinstance(row, QHBoxLayout)
        return row

    @property
    def box(self) -> str:
        return str(self.box_combo.currentData())

    def show_box(self, box: str) -> None:
        index = self.box_combo.findData(box)
        if index >= 0:
            self.box_combo.setCurrentIndex(index)

    def clear_filters(self) -> None:
        """Back to the whole box shown: the filters and the search cleared, the box kept."""
        box = self.box
        super().clear_filters()
        self.show_box(box)

    def refresh(self) -> None:
        super().refresh()
        # The box is always chosen: only the other filters make an empty list a "nothing matched".
        self.table.empty_text = empty_text(self.box, self.context)
        narrowed = {key for key in self.filters() if key != "box"}
        self.table.set_no_match_text(tr("没有找到符合条件的稿件。") if narrowed else None)
