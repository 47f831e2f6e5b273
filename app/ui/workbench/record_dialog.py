"""The window of one record in a flow: where it stands, its history of opinions, its flowchart, and the
actions this user may take now. Area modules open their own richer windows; this one serves every flow."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ConflictError, GovDeskError
from app.services.kernel.actor import Actor
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from app.services.workflow import urges
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.theme import OK, SOON, URGENT
from app.ui.widgets.action_bar import ActionBar
from app.ui.widgets.column_fit import fit_columns
from app.ui.widgets.db_call import db_call
from app.ui.widgets.flowchart_view import FlowchartView
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import clear_layout
from app.ui.widgets.screen import fit_to_screen


def local_time(value: object) -> str:
    from datetime import datetime

    if not isinstance(value, datetime):
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


class RecordDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, instance_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.instance_id = instance_id
        self.detail: workflow_detail.InstanceDetail | None = None
        self.changed = False
        fit_to_screen(self, (900, 680), (760, 560))

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setWordWrap(True)
        self.state_label = QLabel()
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(24)

        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels([tr('时间'), tr('办理人'), tr('操作'), tr('环节'), tr('意见')])
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for column, width in enumerate((150, 90, 100, 230)):
            self.history.setColumnWidth(column, width)
        self.urge_table = QTableWidget(0, 4)
        self.urge_table.setHorizontalHeaderLabels([tr('时间'), tr('催办人'), tr('方式'), tr('说明')])
        self.urge_table.verticalHeader().hide()
        self.urge_table.horizontalHeader().setStretchLastSection(True)
        self.urge_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history, action_icon("history"), tr('办理记录'))
        self.flowchart = FlowchartView()
        self.tabs.addTab(self.flowchart, action_icon("flow"), tr('流程图'))
        self.tabs.addTab(self.urge_table, action_icon("urge"), tr('催办记录'))

        self.opinion = QPlainTextEdit()
        self.opinion.setPlaceholderText(tr('办理意见（退回时必须填写理由）'))
        self.opinion.setFixedHeight(80)
        self.opinion_error = QLabel()
        self.opinion_error.setObjectName("fieldError")
        self.opinion_error.hide()
        self.actions_row = ActionBar()
        self.urge_method = QComboBox()
        self.urge_method.addItems(list(urges.URGE_METHODS))
        self.urge_button = QPushButton(tr('催办'))
        self.urge_button.setAutoDefault(False)
        self.urge_button.setIcon(action_icon("urge"))
        self.urge_button.clicked.connect(self.urge)

        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr('催办方式：')))
        bottom.addWidget(self.urge_method)
        bottom.addWidget(self.urge_button)
        bottom.addStretch(1)
        bottom.addLayout(self.actions_row)
        close = QPushButton(tr('关闭'))
        close.clicked.connect(self.accept)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.state_label)
        layout.addLayout(self.facts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(QLabel(tr('办理意见：')))
        layout.addWidget(self.opinion)
        layout.addWidget(self.opinion_error)
        layout.addLayout(bottom)
        self.load()

    def load(self) -> None:
        ctx, actor, instance_id = self.ctx, self.actor, self.instance_id

        def read() -> tuple[workflow_detail.InstanceDetail, list[urges.UrgeInfo]]:
            with ctx.uow() as uow:
                return workflow_detail.instance_detail(uow, actor, instance_id), urges.urges_for(uow, instance_id)

        try:
            self.detail, urge_rows = db_call(self, read)
        except GovDeskError as error:
            show_error(self, error)
            return
        detail = self.detail
        info = detail.info
        self.setWindowTitle(f"{info.flow_label} — {info.title}")
        self.title_label.setText(info.title)
        today = date.today()
        overdue = info.due_date is not None and info.due_date < today and not info.closed
        colour = URGENT if overdue else (OK if info.closed else SOON if info.urgency else "#1F4E79")
        state = tr('已办结') if info.closed else tr('当前环节：{0}').format(info.state_label)
        if overdue:
            state += tr('（已逾期）')
        self.state_label.setText(f'<span style="color:{colour}; font-weight:bold">{state}</span>')
        due = "—"
        if info.due_date:
            due = tr('{0}年{1}月{2}日').format(info.due_date.year, info.due_date.month, info.due_date.day)
            if info.due_provisional:
                due += tr('（待国务院公布）')
        clear_layout(self.facts)
        for i, (label, value) in enumerate(
            ((tr('流程'), info.flow_label), (tr('经办人'), detail.owner_name or "—"), (tr('单位'), detail.unit_name or "—"),
             (tr('办理时限'), due))
        ):
            self.facts.addWidget(QLabel(tr('<b>{0}：</b>{1}').format(label, value)), i // 2, i % 2)

        self.history.setRowCount(len(detail.history))
        for row, entry in enumerate(detail.history):
            step = f"{entry.from_label} → {entry.to_label}" if entry.from_label else entry.to_label
            for column, text in enumerate((local_time(entry.at), entry.actor_name, entry.action_label, step,
                                            entry.opinion)):
                self.history.setItem(row, column, QTableWidgetItem(text))
        self.flowchart.show_flow(detail.flow, detail.trail)
        self.urge_table.setRowCount(len(urge_rows))
        for row, u in enumerate(urge_rows):
            for column, text in enumerate((local_time(u.at), u.by_name, u.method, u.note)):
                self.urge_table.setItem(row, column, QTableWidgetItem(text))
        fit_columns(self.history, [0])
        fit_columns(self.urge_table, [0])

        clear_layout(self.actions_row)
        for choice in detail.actions:
            self.actions_row.add_action(choice.label, partial(self.act, choice), choice.kind == "forward")
        can_urge = not info.closed and (overdue or bool(info.urgency)) and self.actor.has(*urges.URGING_ROLES)
        self.urge_button.setEnabled(can_urge)
        self.urge_button.setToolTip("" if can_urge else tr('只有已逾期或紧急的事项可以催办'))
        self.opinion.setEnabled(bool(detail.actions))

    def act(self, choice: workflow_detail.ActionChoice) -> None:
        assert self.detail is not None
        text = self.opinion.toPlainText()
        self.opinion_error.hide()
        if choice.requires_opinion and not text.strip():
            self.opinion_error.setText(tr('{0}时必须填写意见或理由').format(choice.label))
            self.opinion_error.show()
            self.opinion.setFocus()
            return
        ctx, actor, instance_id, version = self.ctx, self.actor, self.instance_id, self.detail.info.version

        def save() -> None:
            with ctx.uow() as uow:
                workflow.transition(uow, actor, instance_id, choice.action, text, expected_version=version)

        try:
            db_call(self, save, saving=True)
        except ConflictError as error:
            from app.ui.widgets.conflict import ConflictDialog

            ConflictDialog.ask(self, error.message)
            self.load()
            return
        except GovDeskError as error:
            if error.field == "opinion":
                self.opinion_error.setText(error.message)
                self.opinion_error.show()
            else:
                show_error(self, error)
            return
        self.changed = True
        self.opinion.clear()
        self.load()

    def urge(self) -> None:
        ctx, actor, instance_id = self.ctx, self.actor, self.instance_id
        method, note = self.urge_method.currentText(), self.opinion.toPlainText()

        def save() -> None:
            with ctx.uow() as uow:
                urges.urge(uow, actor, instance_id, method, note)

        try:
            db_call(self, save, saving=True)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.changed = True
        self.opinion.clear()
        self.load()
        self.tabs.setCurrentWidget(self.urge_table)
