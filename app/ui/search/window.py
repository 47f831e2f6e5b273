"""The 综合查询 window: one query over every area, narrowed by 类别, 年度 and 状态, its results grouped by kind.

Queries run off the GUI thread (app.ui.widgets.worker) and each carries the number of the query it answers:
an answer to anything but the newest query is dropped, so results never go back to what was typed before.
The window is not modal and there is one of it per main window (app.ui.search.box keeps it); it remembers
where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.areas import area_of_entity, entity_types, search_specs
from app.core.errors import GovDeskError
from app.core.roles import Role
from app.services.kernel.actor import Actor
from app.services.search import query as search_query
from app.services.search.query import CLOSED, OPEN, KindResults, SearchFilters, SearchHit, SearchResults
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.search.rendering import HIT_ROLE, HTML_ROLE, KIND_ROLE, MORE_ROLE, ResultDelegate, hit_html, hit_text
from app.ui.theme import ACCENT, BORDER
from app.ui.widgets.connection_monitor import as_server_fault, connection_monitor
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.messages import confirm, describe_error, show_error
from app.ui.widgets.screen import fit_to_screen, keep_on_screen
from app.ui.widgets.worker import run_in_background, run_with_progress

# What the user types settles for this long before it is asked (Enter asks at once).
DEBOUNCE_MS = 300
# Each kind's first hits when every kind is shown; one kind alone shows more; 查看更多… adds a page.
PER_KIND = 5
PER_KIND_ALONE = 20
PAGE = 20
GEOMETRY_KEY = "search"


@dataclass
class Group:
    """One kind's part of the results: its heading, its rows so far, and how many there are."""

    heading: QTreeWidgetItem
    label: str
    total: int
    more: bool
    count_text: str
    shown: int = 0
    more_row: QTreeWidgetItem | None = None
    loading: bool = False


@dataclass
class Asked:
    """The query the results shown answer: what was typed and the filters, as it was asked."""

    number: int
    text: str
    filters: SearchFilters
    groups: dict[str, Group] = field(default_factory=dict)


def searched_kinds() -> list[tuple[str, str]]:
    """(entity type, what one is called) of every kind 综合查询 finds, in the areas' order; read from the
    manifests, so the window imports no area."""
    names = entity_types()
    return [(spec.entity_type, names.get(spec.entity_type, spec.entity_type)) for spec in search_specs()]


def step_labels(entity_type: str) -> list[tuple[str, list[str]]]:
    """The flows a kind's records go through (its area's flows), each with its step names in order: 公文 goes
    through 发文 and 收文, whose steps must not read as one list."""
    manifest = area_of_entity(entity_type)
    if manifest is None:
        return []
    spec = next((spec for spec in manifest.searches if spec.entity_type == entity_type), None)
    flows = [flow for flow in manifest.flows if spec is None or not spec.flows or flow.key in spec.flows]
    return [(flow.label, list(dict.fromkeys(step.label for step in flow.steps))) for flow in flows]


class ResultsTree(QTreeWidget):
    """The results: a heading per kind, a row per hit drawn from its rich text, 查看更多… under a group with
    more. Rows wrap to the width, so they are laid out again when it changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(False)
        self.setIndentation(0)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.setItemDelegate(ResultDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QTreeWidget.ScrollMode.ScrollPerPixel)
        self.setStyleSheet(f"QTreeWidget#searchResults {{ background: white; border: 1px solid {BORDER}; }}")
        self._laid_out_width = -1

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.viewport().width() != self._laid_out_width:
            self._laid_out_width = self.viewport().width()
            self.doItemsLayout()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.doItemsLayout()

    def hit_rows(self) -> list[QTreeWidgetItem]:
        """Every result row, group by group (the tests read what is shown through these)."""
        rows: list[QTreeWidgetItem] = []
        for top in range(self.topLevelItemCount()):
            heading = self.topLevelItem(top)
            if heading is None:
                continue
            for child in range(heading.childCount()):
                item = heading.child(child)
                if item is not None and item.data(0, HIT_ROLE) is not None:
                    rows.append(item)
        return rows


class SearchWindow(QDialog):
    """综合查询. Made by app.ui.search.box for the signed-in user; set_query() asks, results arrive later."""

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.prefs = prefs
        self.setObjectName("searchWindow")
        self.setWindowTitle(tr('综合查询'))
        self.setWindowIcon(action_icon("find"))
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        # The number of the newest query; answers to older ones are dropped.
        self.asking = 0
        self.asked: Asked | None = None
        self.years_loaded = False
        self.index_complete = True
        # Set while a rebuild of the index runs (its progress dialog).
        self.rebuilding: Any = None

        self.query = QLineEdit()
        self.query.setObjectName("searchQuery")
        self.query.setPlaceholderText(tr('输入标题、文号、姓名、单位等，多个词用空格分开'))
        self.query.setClearButtonEnabled(True)
        self.query.addAction(action_icon("find"), QLineEdit.ActionPosition.LeadingPosition)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.ask_now)
        self.query.textEdited.connect(lambda _text: self.debounce.start())
        self.query.returnPressed.connect(self.ask_now)
        self.query.installEventFilter(self)

        self.kind_box = QComboBox()
        self.kind_box.setObjectName("searchKind")
        self.kind_box.addItem(tr('全部'), "")
        for entity_type, label in searched_kinds():
            self.kind_box.addItem(label, entity_type)
        self.year_box = QComboBox()
        self.year_box.setObjectName("searchYear")
        self.year_box.addItem(tr('全部'), None)
        self.state_box = QComboBox()
        self.state_box.setObjectName("searchState")
        self._fill_states()
        for box in (self.kind_box, self.year_box, self.state_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.year_box.currentIndexChanged.connect(lambda _i: self.ask_now())
        self.state_box.currentIndexChanged.connect(lambda _i: self.ask_now())
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for caption, box in ((tr('类别'), self.kind_box), (tr('年度'), self.year_box), (tr('状态'), self.state_box)):
            caption_label = QLabel(caption)
            caption_label.setBuddy(box)
            filters.addWidget(caption_label)
            filters.addWidget(box)
            filters.addSpacing(10)
        filters.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        filters.addWidget(self.status)

        self.banner = QFrame()
        self.banner.setObjectName("searchBanner")
        self.banner.setStyleSheet(
            "QFrame#searchBanner { background: #FEF5E7; border: 1px solid #F5CBA7; border-radius: 4px; }"
            " QFrame#searchBanner QLabel { color: #7E5109; }"
        )
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.rebuild_button = QPushButton(action_icon("refresh"), tr('重建索引'))
        self.rebuild_button.setObjectName("rebuildIndex")
        self.rebuild_button.setAutoDefault(False)
        self.rebuild_button.clicked.connect(self.rebuild_index)
        self.rebuild_button.setVisible(actor.has(Role.ADMIN))
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(10, 6, 10, 6)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.rebuild_button)
        self.banner.hide()

        self.results = ResultsTree()
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._clicked)
        self.message = QLabel()
        self.message.setObjectName("emptyState")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message.setContentsMargins(24, 40, 24, 24)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.results)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.query)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)

        QShortcut(QKeySequence("Ctrl+K"), self, self.focus_query)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_query)
        self._say(self._hint())
        saved = prefs.geometry(GEOMETRY_KEY)
        if saved is not None and self.restoreGeometry(saved):
            keep_on_screen(self)
        else:
            fit_to_screen(self, (1000, 680), (640, 460))

    # ----- what is asked -------------------------------------------------------------------------------------
    def set_query(self, text: str, ask: bool = True) -> None:
        """Shows this text in the query box (from the main window's box) and asks for it now."""
        if text != self.query.text():
            self.query.setText(text)
        if ask:
            self.ask_now()

    def narrow_to(self, kinds: Sequence[str]) -> None:
        """Narrows 类别 to the first of these kinds that is searched (Ctrl+F on an area's page); to 全部 for none."""
        index = next((self.kind_box.findData(kind) for kind in kinds if self.kind_box.findData(kind) >= 0), 0)
        if index != self.kind_box.currentIndex():
            self.kind_box.setCurrentIndex(index)

    def focus_query(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def filters(self) -> SearchFilters:
        kind = self.kind_box.currentData() or ""
        year = self.year_box.currentData()
        state = self.state_box.currentData() or ""
        return SearchFilters(kinds=(kind,) if kind else (), year=int(year) if year is not None else None, state=state)

    def ask_now(self) -> None:
        """Asks for what the box holds now, off the GUI thread; whatever was asked before no longer shows."""
        self.debounce.stop()
        if not self.years_loaded:
            self.load_years()
        self.asking += 1
        number, text, filters = self.asking, self.query.text(), self.filters()
        per_kind = PER_KIND_ALONE if filters.kinds else PER_KIND
        ctx, actor = self.ctx, self.actor
        if text.strip():
            self.status.setText(tr('正在查询…'))

        asking = as_user(ctx, actor, search_query.search, text, filters, per_kind)

        def work(_progress: object) -> SearchResults:
            return asking()

        run_in_background(work, lambda found: self._answered(number, filters, found),
                          lambda error: self._failed(number, error))

    def _answered(self, number: int, filters: SearchFilters, found: SearchResults) -> None:
        if number != self.asking:
            return  # typed on since: a newer query is on its way
        connection_monitor().confirm_alive()
        self._show_index_state(found.index_complete)
        self.asked = Asked(number, found.text, filters)
        self.results.clear()
        if not found.needles:
            self.status.setText("")
            self._say(self._hint())
            return
        if not found.kinds:
            self.status.setText(tr('没有找到'))
            self._say(tr('没有找到与“{0}”相符的记录。\n\n可以试试：少输入几个词，或换成更短的词（如只输入“农村公路”中的“公路”）；'
                         '也可以把类别、年度、状态放宽为“全部”。').format(" ".join(found.text.split())[:60]))
            return
        for kind in found.kinds:
            self._add_group(kind)
        more = any(kind.more for kind in found.kinds)
        self.status.setText((tr('共找到 {0} 条以上') if more else tr('共找到 {0} 条')).format(found.total))
        self.pages.setCurrentWidget(self.results)
        self.results.scrollToTop()

    def _failed(self, number: int, error: BaseException) -> None:
        if number != self.asking:
            return
        fault = as_server_fault(error)
        if fault is not None:
            connection_monitor().report_lost(fault)
        self.status.setText(tr('查询没有完成'))
        self.results.clear()
        self._say(describe_error(error))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)

    def _hint(self) -> str:
        return tr('在上面的框中输入要找的字词：公文标题、文号、来文单位，报销事由，会议名称，督办事项，信访人姓名，'
                  '信息标题等，一个字也可以。\n\n多个词用空格分开，找同时包含这些词的记录。'
                  '可以用“类别”“年度”“状态”缩小范围；双击结果或按回车键打开记录。')

    # ----- results -------------------------------------------------------------------------------------------
    def _add_group(self, kind: KindResults) -> None:
        assert self.asked is not None
        heading = QTreeWidgetItem(self.results)
        heading.setData(0, KIND_ROLE, kind.entity_type)
        heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.results.font())
        font.setBold(True)
        heading.setFont(0, font)
        heading.setForeground(0, QBrush(QColor(ACCENT)))
        heading.setBackground(0, QBrush(QColor("#EEF2F7")))
        group = Group(heading, kind.label, kind.total, kind.more, kind.count_text)
        self.asked.groups[kind.entity_type] = group
        self._add_hits(group, kind.hits)
        heading.setExpanded(True)
        self._update_group(group)

    def _add_hits(self, group: Group, hits: Sequence[SearchHit]) -> None:
        at = group.heading.indexOfChild(group.more_row) if group.more_row is not None else group.heading.childCount()
        for offset, hit in enumerate(hits):
            row = QTreeWidgetItem()
            text = hit_text(hit)
            row.setText(0, text)
            row.setToolTip(0, text)
            row.setData(0, HTML_ROLE, hit_html(hit))
            row.setData(0, HIT_ROLE, hit)
            group.heading.insertChild(at + offset, row)
        group.shown += len(hits)

    def _update_group(self, group: Group) -> None:
        group.heading.setText(0, tr('{0} {1} 条').format(group.label, group.count_text))
        missing = group.shown < group.total
        if missing and group.more_row is None:
            group.more_row = QTreeWidgetItem(group.heading)
            group.more_row.setData(0, MORE_ROLE, group.heading.data(0, KIND_ROLE))
            group.more_row.setForeground(0, QBrush(QColor(ACCENT)))
        if group.more_row is not None:
            if missing:
                group.more_row.setText(0, tr('正在读取…') if group.loading else tr('查看更多…（已显示 {0} 条）').format(group.shown))
            else:
                group.heading.removeChild(group.more_row)
                group.more_row = None

    def show_more(self, entity_type: str) -> None:
        """The group's next page (查看更多…), asked off the GUI thread for the query shown."""
        asked = self.asked
        if asked is None or entity_type not in asked.groups:
            return
        group = asked.groups[entity_type]
        if group.loading or group.shown >= group.total:
            return
        group.loading = True
        self._update_group(group)
        ctx, actor, text, filters, offset = self.ctx, self.actor, asked.text, asked.filters, group.shown

        asking = as_user(ctx, actor, search_query.search_kind, entity_type, text, filters, offset, PAGE)

        def work(_progress: object) -> KindResults:
            return asking()

        def done(page: KindResults) -> None:
            if self.asked is not asked:
                return
            group.loading = False
            self._add_hits(group, page.hits)
            if not page.hits:
                # The records went meanwhile (deleted, or moved out of this user's sight): nothing more to show.
                group.total = group.shown
            self._update_group(group)

        def failed(error: BaseException) -> None:
            if self.asked is not asked:
                return
            group.loading = False
            self._update_group(group)
            self.status.setText(describe_error(error))

        run_in_background(work, done, failed)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        kind = item.data(0, MORE_ROLE)
        if kind:
            self.show_more(str(kind))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        kind = item.data(0, MORE_ROLE)
        if kind:
            self.show_more(str(kind))
            return
        hit = item.data(0, HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.open_hit(hit)

    def open_hit(self, hit: SearchHit) -> None:
        """Opens the record in its area's own window, as the 工作台 does; asks again after a change there."""
        from app.ui.widgets.record_features import record_window

        try:
            dialog = record_window(self.ctx, self.actor, hit.entity_type, hit.record_id, None, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        if dialog is None:
            self.status.setText(tr('这类记录请在它所属的模块中打开'))
            return
        dialog.exec()
        if getattr(dialog, "changed", False):
            self.ask_now()

    def current_hit(self) -> SearchHit | None:
        item = self.results.currentItem()
        hit = item.data(0, HIT_ROLE) if item is not None else None
        return hit if isinstance(hit, SearchHit) else None

    # ----- filters -------------------------------------------------------------------------------------------
    def _fill_states(self) -> None:
        """全部, 在办, 已办结, and with one kind chosen the steps of its flows."""
        kept = self.state_box.currentData() if self.state_box.count() else ""
        self.state_box.blockSignals(True)
        self.state_box.clear()
        self.state_box.addItem(tr('全部'), "")
        self.state_box.addItem(tr('在办'), OPEN)
        self.state_box.addItem(tr('已办结'), CLOSED)
        kind = self.kind_box.currentData() if hasattr(self, "kind_box") else ""
        if kind:
            flows = step_labels(str(kind))
            for flow_label, labels in flows:
                self.state_box.insertSeparator(self.state_box.count())
                if len(flows) > 1:
                    # The flow's name heads its steps; it is not a choice itself.
                    self.state_box.addItem(tr('【{0}】').format(flow_label), None)
                    heading = self.state_box.model().item(self.state_box.count() - 1)  # type: ignore[attr-defined]
                    heading.setEnabled(False)
                for label in labels:
                    self.state_box.addItem(label, label)
        found = self.state_box.findData(kept)
        self.state_box.setCurrentIndex(found if found >= 0 else 0)
        self.state_box.blockSignals(False)

    def _kind_changed(self, _index: int) -> None:
        self._fill_states()
        self.ask_now()

    def load_years(self) -> None:
        """The 年度 choices, read off the GUI thread the first time the window asks."""
        self.years_loaded = True
        ctx, actor = self.ctx, self.actor

        asking = as_user(ctx, actor, search_query.search_years)

        def work(_progress: object) -> list[int]:
            return asking()

        def done(years: list[int]) -> None:
            kept = self.year_box.currentData()
            self.year_box.blockSignals(True)
            self.year_box.clear()
            self.year_box.addItem(tr('全部'), None)
            for year in years:
                self.year_box.addItem(tr('{0}年').format(year), year)
            found = self.year_box.findData(kept)
            self.year_box.setCurrentIndex(found if found >= 0 else 0)
            self.year_box.blockSignals(False)

        def failed(_error: BaseException) -> None:
            self.years_loaded = False  # asked again with the next query

        run_in_background(work, done, failed)

    # ----- the index -----------------------------------------------------------------------------------------
    def _show_index_state(self, complete: bool) -> None:
        self.index_complete = complete
        if complete:
            self.banner.hide()
            return
        if self.actor.has(Role.ADMIN):
            self.banner_text.setText(tr('查询索引尚未建好，结果可能不全。请重建索引。'))
        else:
            self.banner_text.setText(tr('查询索引尚未建好，结果可能不全。请联系系统管理员重建索引。'))
        self.banner.show()

    def rebuild_index(self) -> None:
        """重建索引, for an administrator: off the GUI thread, with its progress and 取消."""
        from app.services.search import reindex

        actor = self.actor
        try:
            db_call(self, lambda: self._check_may_reindex(reindex, actor))
        except GovDeskError as error:
            show_error(self, error)
            return
        if not confirm(self, tr('重建查询索引'),
                       tr('重建索引要把所有记录读一遍，数据多时需要几分钟；其间查询结果可能不全，其他工作不受影响。\n\n现在重建吗？'),
                       tr('重建索引')):
            return
        ctx = self.ctx
        self.rebuild_button.setEnabled(False)

        def work(progress: Any) -> reindex.ReindexReport:
            return reindex.reindex(ctx.uow, progress)

        def done(report: reindex.ReindexReport) -> None:
            self.rebuilding = None
            self.rebuild_button.setEnabled(True)
            self.status.setText(report.summary())
            self.years_loaded = False
            self.ask_now()

        def failed(error: BaseException) -> None:
            self.rebuilding = None
            self.rebuild_button.setEnabled(True)
            show_error(self, error, tr('查询索引没有重建完'))
            self.ask_now()

        self.rebuilding = run_with_progress(self, tr('正在重建查询索引…'), work, done, failed, cancel_label=tr('取消'))

    def _check_may_reindex(self, reindex: Any, actor: Actor) -> None:
        as_user(self.ctx, actor, reindex.check_may_reindex)()

    # ----- keys and lifecycle --------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Down from the query box goes to the first result, as in a browser's address bar.
        if watched is self.query and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.pages.currentWidget() is self.results:
                rows = self.results.hit_rows()
                if rows:
                    self.results.setFocus(Qt.FocusReason.OtherFocusReason)
                    self.results.setCurrentItem(rows[0])
                    return True
        return super().eventFilter(watched, event)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.prefs.set_geometry(GEOMETRY_KEY, self.saveGeometry())
        super().hideEvent(event)
