"""The 报账流程图 window: the whole current flow, or one claim's flow with where it stands and the way it came.

The drawing is the FlowchartView every flow uses; the printed page comes from the same definition through
the form registry, so the screen and the paper never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QPainter, QPen, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.money import format_amount
from app.core.workflow import Flow
from app.services.claims import flow as claim_flow
from app.services.claims import lists as claim_lists
from app.services.claims import records as claims
from app.services.claims.lists import ClaimRow
from app.services.kernel.actor import Actor
from app.services.kernel.settings import get_setting
from app.services.workflow.worklist import Page as DataPage
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.prefs import Prefs
from app.ui.theme import ACCENT, ACCENT_LIGHT, BORDER
from app.ui.widgets.db_call import db_call, db_read
from app.ui.widgets.flowchart_view import FlowchartView
from app.ui.widgets.messages import show_error
from app.ui.widgets.screen import fit_to_screen, keep_on_screen

GEOMETRY_KEY = "claims/flowchart"
# Fits a 1366×768 screen with its taskbar and the window's title bar.
DEFAULT_SIZE = (1220, 680)
SEARCH_LIMIT = 50
SEARCH_DELAY_MS = 350
CLAIM_ROLE = Qt.ItemDataRole.UserRole


class FittedFlowchartView(FlowchartView):
    """A FlowchartView that keeps the whole chart in view as its window is resized, until the user zooms.

    Once someone has zoomed in to read a box, a resize must not throw their view away; 适合窗口 (fit) brings
    the automatic fitting back.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.auto_fit = True

    def fit(self) -> None:
        super().fit()
        self.auto_fit = True

    def zoom(self, factor: float) -> None:
        super().zoom(factor)
        self.auto_fit = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.auto_fit and self.layout_ is not None:
            super().fit()


def local_time(value: datetime | None) -> str:
    """A stored UTC time as the clock on the wall shows it."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else ""


def short_time(value: datetime) -> str:
    """Month, day and time for this year's entries (a narrow column); the date alone for older ones."""
    local = value.astimezone()
    return local.strftime("%m-%d %H:%M") if local.year == datetime.now().year else local.strftime("%Y-%m-%d")


def legend_swatch(fill: str, border: str, line: bool = False) -> QLabel:
    """A small sample of how the chart marks something, for the legend beside its words."""
    pixmap = QPixmap(28, 16)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(border), 3 if line else 1.6))
    if line:
        painter.drawLine(2, 8, 26, 8)
    else:
        painter.setBrush(QColor(fill))
        painter.drawRect(2, 2, 24, 12)
    painter.end()
    label = QLabel()
    label.setPixmap(pixmap)
    return label


class FlowchartWindow(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        claim_id: int | None = None,
        parent: QWidget | None = None,
        *,
        prefs: Prefs | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        self.detail: claims.ClaimDetail | None = None
        self.whole_flow: Flow | None = None
        self.setWindowTitle(tr('报账流程图'))
        fit_to_screen(self, DEFAULT_SIZE, (900, 560))
        self.setSizeGripEnabled(True)

        self.view = FittedFlowchartView()
        self.view.setMinimumWidth(420)
        self._build()
        self._restore_geometry()
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_chart)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self.search_claims(select_id=claim_id)
        if self.detail is None:
            # No claim asked for, or one this user may not see (they were told why): the whole flow.
            self._set_row_quietly(0)
            self.show_whole_flow()

    # ----- building -------------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QHBoxLayout(self)
        layout.addWidget(self._picker(), 0)
        layout.addLayout(self._chart_side(), 1)

    def _picker(self) -> QWidget:
        panel = QWidget()
        # 380 pixels at the 中 text size (12 pt), grown with the chosen size so the history's times still fit.
        panel.setFixedWidth(round(380 * max(QApplication.font().pointSizeF(), 1.0) / 12))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr('单号、事由或报销人'))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(lambda: self.search_claims())
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(lambda: self.search_claims())
        find = self._button("find", tr('查找'), lambda: self.search_claims())
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(find)
        self.claim_list = QListWidget()
        self.claim_list.setWordWrap(True)
        # Each claim takes three lines; a rule and some air between them keeps one from running into the next.
        self.claim_list.setStyleSheet(
            f"QListWidget::item {{ padding: 5px 4px; border-bottom: 1px solid {BORDER}; }}"
            f"QListWidget::item:selected {{ background: {ACCENT_LIGHT}; color: #1F2933;"
            f" border-left: 4px solid {ACCENT}; }}"
        )
        self.claim_list.currentItemChanged.connect(self._picked)
        self.found_label = QLabel()
        self.found_label.setObjectName("hint")
        self.found_label.setWordWrap(True)
        heading = QLabel(tr('选择报销单'))
        heading.setStyleSheet("font-weight: bold;")
        trail_heading = QLabel(tr('办理经过'))
        trail_heading.setStyleSheet("font-weight: bold;")
        self.trail_table = QTableWidget(0, 4)
        self.trail_table.setHorizontalHeaderLabels([tr('环节'), tr('办理'), tr('办理人'), tr('时间')])
        self.trail_table.verticalHeader().hide()
        self.trail_table.horizontalHeader().setStretchLastSection(True)
        self.trail_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trail_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.trail_table.setWordWrap(False)
        self.trail_empty = QLabel()
        self.trail_empty.setObjectName("hint")
        self.trail_empty.setWordWrap(True)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading)
        column.addLayout(search_row)
        column.addWidget(self.claim_list, 3)
        column.addWidget(self.found_label)
        column.addSpacing(6)
        column.addWidget(trail_heading)
        column.addWidget(self.trail_table, 2)
        column.addWidget(self.trail_empty)
        return panel

    def _chart_side(self) -> QVBoxLayout:
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        tools = QHBoxLayout()
        self._zoom_buttons = (
            self._button("zoom_in", tr('放大'), lambda: self.view.zoom(1.25)),
            self._button("zoom_out", tr('缩小'), lambda: self.view.zoom(0.8)),
            self._button("fit", tr('适合窗口'), self.view.fit),
        )
        for button in self._zoom_buttons:
            tools.addWidget(button)
        tools.addStretch(1)
        # The buttons say it all; the mouse's ways are a bonus, told where the mouse is.
        for widget in (self.view, *self._zoom_buttons):
            widget.setToolTip(tr('按住 Ctrl 滚动鼠标滚轮可以缩放，按住左键可以拖动；鼠标停在方框上可看办理人和时限'))
        self.print_button = self._button("print", tr('打印流程图…'), self.print_chart, "white")
        self.print_button.setObjectName("primary")
        close = self._button("", tr('关闭'), self.reject)
        bottom = QHBoxLayout()
        bottom.addLayout(self._legend())
        bottom.addStretch(1)
        bottom.addWidget(self.print_button)
        bottom.addWidget(close)
        side = QVBoxLayout()
        side.addWidget(self.title_label)
        side.addWidget(self.status_label)
        side.addLayout(tools)
        side.addWidget(self.view, 1)
        side.addLayout(bottom)
        return side

    def _legend(self) -> QHBoxLayout:
        """What the highlighting means. 退回 and 撤销 need no entry: the chart writes them on their lines."""
        row = QHBoxLayout()
        row.setSpacing(4)
        for swatch, text in (
            (legend_swatch(ACCENT, ACCENT), tr('当前环节')),
            (legend_swatch(ACCENT_LIGHT, ACCENT), tr('已经过')),
            (legend_swatch("", ACCENT, line=True), tr('已走过的路线')),
        ):
            row.addWidget(swatch)
            words = QLabel(text)
            words.setObjectName("hint")
            row.addWidget(words)
            row.addSpacing(8)
        return row

    def _button(self, icon: str, text: str, slot: Callable[[], object], colour: str | None = None) -> QPushButton:
        button = QPushButton(text)
        if icon:
            button.setIcon(action_icon(icon, colour) if colour else action_icon(icon))
        # Enter in the search box must search; a dialog's auto-default button would swallow it.
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # ----- the claim picker -----------------------------------------------------------------------------------
    def search_claims(self, select_id: int | None = None) -> None:
        """Fills the list with the claims this user may see that match the search, the newest first.

        The chart keeps showing what it showed: searching only changes the list, a click changes the chart.
        select_id (the claim the window was opened for) is shown and selected even when the search misses it.
        """
        self.search_timer.stop()
        search = self.search.text()

        def find() -> DataPage[ClaimRow]:
            with self.ctx.uow() as uow:
                return claim_lists.list_claims(uow, self.actor, box="all", search=search, limit=SEARCH_LIMIT)

        try:
            page = db_call(self, find)
        except GovDeskError as error:
            show_error(self, error)
            return
        rows = list(page.rows)
        self.claim_list.blockSignals(True)
        self.claim_list.clear()
        whole = QListWidgetItem(action_icon("flow"), tr('整个流程（不选报销单）'))
        whole.setData(CLAIM_ROLE, None)
        font = whole.font()
        font.setBold(True)
        whole.setFont(font)
        self.claim_list.addItem(whole)
        for row in rows:
            self.claim_list.addItem(self._claim_item(row))
        self._describe_found(page.total, len(rows))
        shown = self.detail.info.id if self.detail is not None else None
        wanted = select_id if select_id is not None else shown
        index = self._row_of(wanted)
        self.claim_list.blockSignals(False)
        if select_id is not None and index is None:
            # Opened for a claim the search did not bring up: it is still listed, first, so it is shown selected.
            self._load_and_show(select_id, insert=True)
            return
        if index is not None:
            self._set_row_quietly(index)
        if select_id is not None and select_id != shown:
            self._load_and_show(select_id)

    def _row_of(self, claim_id: int | None) -> int | None:
        for index in range(self.claim_list.count()):
            if self.claim_list.item(index).data(CLAIM_ROLE) == claim_id:
                return index
        return None

    def _set_row_quietly(self, index: int) -> None:
        """Marks a row as chosen without drawing it again: it is already the one shown."""
        self.claim_list.blockSignals(True)
        self.claim_list.setCurrentRow(index)
        self.claim_list.blockSignals(False)

    def _claim_item(self, row: ClaimRow) -> QListWidgetItem:
        state = tr('已撤销') if row.withdrawn else row.state_label
        return self._item(row.id, row.number, row.claimant_name, row.title, row.total, state,
                          tr('{0}\n{1}　{2}').format(row.title, row.unit_name, row.claim_date.isoformat()))

    def _item(self, claim_id: int, number: str, claimant: str, title: str, total: Decimal, state: str,
              tooltip: str) -> QListWidgetItem:
        text = tr('{0}　{1}\n{2}\n{3}元　·　{4}').format(
            number or tr('（未编号）'), claimant, title or tr('（无事由）'), format_amount(total), state)
        item = QListWidgetItem(text)
        item.setData(CLAIM_ROLE, claim_id)
        item.setToolTip(tooltip)
        return item

    def _describe_found(self, total: int, shown: int) -> None:
        searching = bool(self.search.text().strip())
        if total == 0:
            self.found_label.setText(
                tr('没有找到匹配的报销单，请换个单号、事由或姓名再试。') if searching
                else tr('还没有您可以查看的报销单。')
            )
        elif total > shown:
            self.found_label.setText(
                tr('共 {0} 件，显示最近的 {1} 件；输入单号、事由或报销人可找到其他的。').format(total, shown))
        else:
            self.found_label.setText(tr('共 {0} 件').format(total))

    @property
    def selected_claim_id(self) -> int | None:
        item = self.claim_list.currentItem()
        value = item.data(CLAIM_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def select_claim(self, claim_id: int | None) -> None:
        """Shows that claim (None: the whole flow), as a click on it in the list does."""
        index = self._row_of(claim_id)
        if index is not None:
            self.claim_list.setCurrentRow(index)
        elif claim_id is not None:
            self._load_and_show(claim_id, insert=True)

    def _picked(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        claim_id = current.data(CLAIM_ROLE)
        if claim_id is None:
            self.show_whole_flow()
        else:
            self._load_and_show(int(claim_id))

    # ----- showing --------------------------------------------------------------------------------------------
    def show_whole_flow(self) -> None:
        def load() -> Flow:
            with self.ctx.uow() as uow:
                return claim_flow.current_flow(uow)

        flow = db_read(self, load)
        if flow is None:
            return
        self.detail, self.whole_flow = None, flow
        self.view.show_flow(flow)
        working = [s for s in flow.steps if not s.final]
        self.title_label.setText(tr('报账流程图（整个流程）'))
        self.status_label.setText(
            tr('当前为第 <b>{0}</b> 版，共 {1} 个环节，箭头旁写明分支的条件。'
               '在左边选中报销单，可看到它走到了哪一步。').format(flow.version, len(working))
        )
        self._show_history([])

    def _load_and_show(self, claim_id: int, insert: bool = False) -> None:
        def load() -> claims.ClaimDetail:
            with self.ctx.uow() as uow:
                return claims.get_claim(uow, self.actor, claim_id)

        try:
            detail = db_call(self, load)
        except GovDeskError as error:
            show_error(self, error)
            return
        if insert:
            info = detail.info
            item = self._item(info.id, info.number, info.claimant_name, info.title, info.total, info.state_label,
                              tr('{0}\n{1}　{2}').format(info.title, info.unit_name, info.claim_date.isoformat()))
            self.claim_list.blockSignals(True)
            self.claim_list.insertItem(1, item)
            self.claim_list.setCurrentRow(1)
            self.claim_list.blockSignals(False)
        self.show_detail(detail)

    def show_detail(self, detail: claims.ClaimDetail) -> None:
        """One claim: its flow version, with where it stands and the way it came highlighted."""
        self.detail, self.whole_flow = detail, None
        self.view.show_flow(detail.flow, detail.workflow.trail)
        info = detail.info
        self.title_label.setText(tr('报销单 {0}：{1}').format(info.number or tr('（未编号）'), info.title))
        if info.withdrawn:
            where = tr('<b>已撤销</b>')
        elif info.closed:
            where = tr('<b>已办结</b>')
        else:
            where = tr('当前环节：<b>{0}</b>').format(info.state_label)
        self.status_label.setText(
            tr('{0}　·　报销人 {1}　·　{2}元　·　按第 {3} 版流程办理').format(
                where, info.claimant_name, format_amount(info.total), info.flow_version)
        )
        self._show_history([(h.from_label or h.to_label, h.action_label, h.actor_name, short_time(h.at),
                             local_time(h.at), h.opinion) for h in detail.workflow.history])

    def _show_history(self, rows: list[tuple[str, str, str, str, str, str]]) -> None:
        self.trail_table.setRowCount(len(rows))
        for r, (step, action, who, when, full_time, opinion) in enumerate(rows):
            tip = tr('{0}　{1}　{2}　{3}').format(step, action, who, full_time)
            if opinion:
                tip += tr('\n意见：{0}').format(opinion)
            for c, text in enumerate((step, action, who, when)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.trail_table.setItem(r, c, item)
        self.trail_table.resizeColumnsToContents()
        has_rows = bool(rows)
        self.trail_table.setVisible(has_rows)
        self.trail_empty.setVisible(not has_rows)
        self.trail_empty.setText(
            tr('这件报销单还在填报，没有人办理过。') if self.detail is not None
            else tr('选中一件报销单后，这里列出它经过的每个环节、谁办理的和什么时候。')
        )

    def refresh(self) -> None:
        """F5: the list and the drawing as they are now in the database."""
        showing = self.detail.info.id if self.detail is not None else None
        self.search_claims()
        if showing is None:
            self.show_whole_flow()
        else:
            self._load_and_show(showing)

    # ----- printing -------------------------------------------------------------------------------------------
    def print_chart(self) -> None:
        """The one-page printed chart of what the window shows, in the print preview."""
        from app.forms import PrintContext, build_registry
        from app.printing.kit.flowchart import FlowchartData
        from app.ui.widgets.print_preview import PrintPreviewDialog

        registry = build_registry()
        detail, shown, title = self.detail, self.whole_flow, tr('报账流程图')

        def render() -> tuple[bytes, str]:
            # Read and drawn off the GUI thread (reportlab, no Qt), while db_call shows the wait with 取消.
            if detail is not None:
                info = detail.info
                pdf = registry.load_and_render("flowchart", PrintContext(self.ctx, self.actor), info.instance_id)
                return pdf, tr('报账流程图-{0}.pdf').format(info.number or info.id)
            with self.ctx.uow() as uow:
                flow = shown or claim_flow.current_flow(uow)
                office = str(get_setting(uow, "office_name"))
            pdf = registry.render("flowchart", FlowchartData(flow=flow, title=title, office_name=office))
            return pdf, tr('报账流程图-第{0}版.pdf').format(flow.version)

        try:
            pdf, name = db_call(self, render)
        except GovDeskError as error:
            show_error(self, error, tr('无法打印流程图'))
            return
        PrintPreviewDialog(tr('报账流程图'), pdf, name, self).exec()

    # ----- geometry -------------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        saved = self.prefs.geometry(GEOMETRY_KEY) if self.prefs is not None else None
        if isinstance(saved, QByteArray):
            self.restoreGeometry(saved)
            keep_on_screen(self)

    def _save_geometry(self) -> None:
        if self.prefs is not None:
            self.prefs.set_geometry(GEOMETRY_KEY, self.saveGeometry())

    def done(self, result: int) -> None:
        # Esc, 关闭 and the title bar's close all end here (a dialog's reject skips closeEvent).
        self._save_geometry()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._save_geometry()
        super().closeEvent(event)


__all__ = ["FittedFlowchartView", "FlowchartWindow"]
