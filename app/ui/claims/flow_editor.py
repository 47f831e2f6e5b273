"""The administrator's 报账流程 editor: the approval steps as a list, a live flowchart of what they make, and
saving them as a new version.

The editor holds an ApprovalChain and lets the engine judge it after every change (claim_flow.preview), so
what the administrator sees is exactly what the services will run. A broken chain is never drawn: the
preview keeps the last good drawing and says in red what is wrong, and the offending row is marked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ServerUnavailable, ValidationError, WorkCancelled
from app.core.money import parse_amount
from app.core.roles import Role
from app.core.workflow import Flow
from app.core.workflow.approval_chain import (
    DEFAULT_CHAIN,
    HANDLERS,
    MAX_STEPS,
    MAX_TIME_LIMIT,
    STEP_KINDS,
    ApprovalChain,
    ChainStep,
    handler_label,
    moved,
    without,
)
from app.core.workflow.engine import FlowDefinitionError
from app.services.claims import flow as claim_flow
from app.services.claims.flow import FlowVersionInfo
from app.services.kernel.actor import Actor
from app.ui.claims.flowchart_window import FittedFlowchartView
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.theme import ACCENT, MUTED, OK, SOON, URGENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.qt_helpers import pick_list_table

COLUMNS = (
    QT_TRANSLATE_NOOP("GovDesk", '环节名称'),
    QT_TRANSLATE_NOOP("GovDesk", '类型'),
    QT_TRANSLATE_NOOP("GovDesk", '办理人'),
    QT_TRANSLATE_NOOP("GovDesk", '时限'),
    QT_TRANSLATE_NOOP("GovDesk", '经过条件'),
    QT_TRANSLATE_NOOP("GovDesk", '通过后转到'),
)
# Which column shows which field of a step, for marking the one a FlowDefinitionError names.
FIELD_COLUMNS = {"label": 0, "kind": 1, "handler": 2, "time_limit": 3, "min_amount": 4, "condition": 4, "next": 5}
# Fields of the step form; the engine's min_amount belongs to the form's 经过条件 row.
FORM_FIELDS = {"label": "label", "kind": "kind", "handler": "handler", "time_limit": "time_limit",
               "min_amount": "condition", "condition": "condition", "next": "next"}
FILL_ROW = 0
PROBLEM_FILL = QColor("#FDECEA")
FIXED_TEXT = QColor(MUTED)


def local_time(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else ""


def plain_amount(value: Decimal | None) -> str:
    """An amount as someone would type it: 20000, or 20000.50 when it has 角 and 分."""
    if value is None:
        return ""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


class FlowEditorTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.can_edit = actor.has(Role.ADMIN)
        self.loaded = False
        self.version = 0
        self.saved_chain: ApprovalChain = DEFAULT_CHAIN
        self.chain: ApprovalChain = DEFAULT_CHAIN
        # Amounts typed into a condition that are not (yet) amounts, by step key: kept as typed, and reported.
        self.pending_amounts: dict[str, str] = {}
        self.problem: FlowDefinitionError | None = None
        self.problem_cells: dict[int, set[int]] = {}
        self.last_good: Flow | None = None
        self.version_infos: list[FlowVersionInfo] = []
        self._quiet = False
        # The step whose texts the form shows: typed text is left alone while the same step stays selected.
        self._shown_key: str | None = None
        # A word about the last action (saved, default loaded) shown beside the save button until the next edit.
        self.notice: tuple[str, str] | None = None

        self.version_label = QLabel()
        self.version_label.setObjectName("pageTitle")
        self.version_detail = QLabel()
        self.version_detail.setObjectName("hint")
        note = QLabel(tr('保存即成为新版本，只对此后提交的报销单生效；办理中的报销单仍按原版本走完。'))
        note.setWordWrap(True)
        note.setObjectName("hint")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        top = QVBoxLayout()
        heading = QHBoxLayout()
        heading.addWidget(self.version_label)
        heading.addSpacing(12)
        heading.addWidget(self.version_detail, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addSpacing(24)
        heading.addWidget(note, 1, Qt.AlignmentFlag.AlignBottom)
        top.addLayout(heading)
        top.addWidget(self.banner)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_steps_side())
        splitter.addWidget(self._build_preview_side())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        # The chart is tall and narrow: beyond about 400 pixels of width it grows no larger, the table does.
        splitter.setSizes([780, 420])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._build_save_row())
        self._apply_read_only()

    # ----- building -------------------------------------------------------------------------------------------
    def _build_steps_side(self) -> QWidget:
        self.table = pick_list_table([tr(c) for c in COLUMNS])
        header = self.table.horizontalHeader()
        for index in range(len(COLUMNS)):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.ResizeToContents)
        # The condition is the one text that can be long; it takes the room that is left.
        header.setSectionResizeMode(FIELD_COLUMNS["condition"], QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = self._button("new", tr('添加环节'), self.add_step)
        self.delete_button = self._button("delete", tr('删除环节'), self.delete_step)
        self.up_button = self._button("", tr('上移'), lambda: self.move_step(-1))
        self.down_button = self._button("", tr('下移'), lambda: self.move_step(1))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.details = QGroupBox(tr('所选环节的设置'))
        self.details_stack = QStackedWidget()
        self.details_stack.addWidget(self._build_step_form())
        self.details_stack.addWidget(self._build_fill_form())
        details_layout = QVBoxLayout(self.details)
        details_layout.setContentsMargins(10, 4, 10, 4)
        details_layout.addWidget(self.details_stack)
        # The form takes the height it needs; every spare pixel goes to the table of steps.
        self.details.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        column.addWidget(self.details)
        return side

    def _build_step_form(self) -> QWidget:
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(20)
        self.name_edit.setPlaceholderText(tr('如：县领导审批'))
        self.name_edit.textChanged.connect(self._name_edited)
        self.kind_combo = QComboBox()
        for kind, label in STEP_KINDS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.currentIndexChanged.connect(self._kind_chosen)
        self.handler_combo = QComboBox()
        for handler in HANDLERS:
            self.handler_combo.addItem(handler_label(handler), handler)
        self.handler_combo.currentIndexChanged.connect(self._handler_chosen)
        self.limit_spin = self._limit_spin()
        self.limit_spin.valueChanged.connect(self._limit_changed)

        self.amount_check = QCheckBox(tr('金额超过'))
        self.amount_check.toggled.connect(self._amount_toggled)
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText(tr('如 20000'))
        self.amount_edit.setMaximumWidth(150)
        self.amount_edit.textChanged.connect(self._amount_edited)
        self.budget_check = QCheckBox(tr('超出本部门预算'))
        self.budget_check.toggled.connect(self._budget_toggled)
        self.condition_box = QWidget()
        self.condition_box.setFocusProxy(self.amount_edit)
        condition_row = QHBoxLayout(self.condition_box)
        condition_row.setContentsMargins(0, 0, 0, 0)
        condition_row.addWidget(self.amount_check)
        condition_row.addWidget(self.amount_edit)
        condition_row.addWidget(QLabel(tr('元')))
        condition_row.addSpacing(12)
        condition_row.addWidget(QLabel(tr('或')))
        condition_row.addSpacing(12)
        condition_row.addWidget(self.budget_check)
        condition_row.addStretch(1)
        self.next_combo = QComboBox()
        self.next_combo.currentIndexChanged.connect(self._next_chosen)

        # Two fields a row: one a row is too tall beside the step table on a 1366×768 screen at text size 大.
        # The engine judges the whole chain after every change (live=False): its problem is shown beside the
        # field it names, and showing it never moves the cursor away from where the user is typing.
        self.step_form = FormGrid(pairs=True, live=False)
        self.step_form.add("label", tr('环节名称'), self.name_edit, required=True)
        self.step_form.add("handler", tr('办理人'), self.handler_combo, required=True)
        self.step_form.add("kind", tr('类型'), self.kind_combo)
        self.step_form.add("time_limit", tr('办理时限'), self.limit_spin)
        self.step_form.add("condition", tr('经过条件'), self.condition_box, wide=True)
        self.step_form.add("next", tr('通过后转到'), self.next_combo, wide=True)
        return _form_page(self.step_form)

    def _build_fill_form(self) -> QWidget:
        self.fill_spin = self._limit_spin()
        self.fill_spin.valueChanged.connect(self._fill_limit_changed)
        self.fill_form = FormGrid(pairs=True, live=False)
        self.fill_form.add("time_limit", tr('填报时限'), self.fill_spin)
        note = QLabel(tr('第一个环节固定为“经办人填报”：经办人填写报销单并提交，退回的报销单也回到这里。'
                         '这里只能修改它的时限。'))
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.fill_form.add_note(note)
        return _form_page(self.fill_form)

    def _build_preview_side(self) -> QWidget:
        self.preview = FittedFlowchartView()
        self.preview.setMinimumWidth(320)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("fieldError")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        preview_page = QWidget()
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.setContentsMargins(6, 6, 6, 6)
        preview_layout.addWidget(self.problem_label)
        preview_layout.addWidget(self.preview, 1)
        self.versions_table = QTableWidget(0, 4)
        self.versions_table.setHorizontalHeaderLabels([tr('版本'), tr('保存时间'), tr('保存人'), tr('在办报销单')])
        self.versions_table.verticalHeader().hide()
        self.versions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.versions_table.horizontalHeader().setStretchLastSection(True)
        versions_page = QWidget()
        versions_layout = QVBoxLayout(versions_page)
        versions_layout.setContentsMargins(6, 6, 6, 6)
        versions_note = QLabel(tr('打勾加粗的是当前版本。“在办报销单”是仍按该版本流转、尚未办结的件数。'))
        versions_note.setObjectName("hint")
        versions_note.setWordWrap(True)
        versions_layout.addWidget(self.versions_table, 1)
        versions_layout.addWidget(versions_note)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(preview_page, action_icon("flow"), tr('流程图预览'))
        self.versions_index = self.side_tabs.addTab(versions_page, action_icon("history"), tr('历史版本'))
        return self.side_tabs

    def _build_save_row(self) -> QHBoxLayout:
        self.dirty_label = QLabel()
        self.dirty_label.setWordWrap(True)
        self.default_button = self._button("flow", tr('恢复默认流程'), self.restore_default)
        self.discard_button = self._button("refresh", tr('放弃修改'), self.discard)
        self.save_button = self._button("save", tr('保存为新版本'), self.save, colour="white")
        self.save_button.setObjectName("primary")
        row = QHBoxLayout()
        row.addWidget(self.dirty_label, 1)
        row.addWidget(self.default_button)
        row.addWidget(self.discard_button)
        row.addWidget(self.save_button)
        return row

    @staticmethod
    def _limit_spin() -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, MAX_TIME_LIMIT)
        spin.setSuffix(tr(' 个工作日'))
        spin.setMinimumWidth(130)
        return spin

    @staticmethod
    def _button(icon: str, text: str, slot: Any, colour: str | None = None) -> QPushButton:
        button = QPushButton(text)
        if icon:
            button.setIcon(action_icon(icon, colour) if colour else action_icon(icon))
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _apply_read_only(self) -> None:
        """Everyone may look at the flow; only a 系统管理员 may change it (and the service insists)."""
        if self.can_edit:
            return
        self.banner.setText(tr('只有系统管理员可以修改报账流程。您可以在这里查看当前流程的各个环节和流程图；'
                               '需要调整时，请联系系统管理员。'))
        self.banner.setStyleSheet(f"color: {SOON}; font-weight: bold;")
        self.banner.show()
        # What cannot be used is not shown: the table says everything a reader needs.
        for widget in (self.add_button, self.delete_button, self.up_button, self.down_button, self.default_button,
                       self.discard_button, self.save_button, self.details):
            widget.hide()
        self.details_stack.setEnabled(False)
        self.side_tabs.setTabVisible(self.versions_index, False)

    # ----- loading --------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        """The stored flow and its versions. Unsaved edits are never thrown away by a refresh."""
        try:
            chain, version, infos = db_call(self, self._read_stored)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.version_infos = infos
        self._fill_versions()
        if self.loaded and self.dirty:
            self._describe_version(version)
            return
        self._load(chain, version)

    def _read_stored(self) -> tuple[ApprovalChain, int, list[FlowVersionInfo]]:
        """The stored chain, its version and (for an editor) every version; runs off the GUI thread."""
        with self.ctx.uow() as uow:
            chain, version = claim_flow.chain_for(uow)
            infos = claim_flow.versions(uow, self.actor) if self.can_edit else []
        return chain, version, infos

    def _load(self, chain: ApprovalChain, version: int) -> None:
        self.loaded = True
        self.version = version
        self.saved_chain = chain
        self.pending_amounts.clear()
        self.chain = chain
        self.last_good = None
        self._shown_key = None
        row = self.table.currentRow()
        self._changed(select_row=row if 0 <= row <= len(chain.steps) else 1)
        self._describe_version(version)

    def _describe_version(self, latest: int) -> None:
        self.version_label.setText(tr('报账流程　当前为第{0}版').format(self.version))
        info = next((v for v in self.version_infos if v.version == self.version), None)
        if info is not None and info.saved_at is not None:
            self.version_detail.setText(tr('{0} 由 {1} 保存').format(local_time(info.saved_at), info.saved_by))
        elif info is not None:
            self.version_detail.setText(tr('系统默认流程'))
        else:
            self.version_detail.setText("")
        if latest != self.version and self.can_edit:
            self.banner.setText(tr('其他管理员已把报账流程保存为第{0}版。您的修改基于第{1}版，不能直接保存：'
                                   '请记下要改的地方，点“放弃修改”载入第{0}版后再改。').format(latest, self.version))
            self.banner.setStyleSheet(f"color: {URGENT}; font-weight: bold;")
            self.banner.show()
        elif self.can_edit:
            self.banner.hide()

    def _fill_versions(self) -> None:
        rows = self.version_infos
        self.versions_table.setRowCount(len(rows))
        for r, info in enumerate(rows):
            cells = [
                tr('第{0}版').format(info.version),
                local_time(info.saved_at) if info.saved_at is not None else tr('（系统内置）'),
                info.saved_by,
                tr('{0} 件').format(info.open_claims),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if info.current:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setForeground(QBrush(QColor(ACCENT)))
                    item.setToolTip(tr('当前版本：新提交的报销单按这一版办理'))
                    if c == 0:
                        item.setIcon(action_icon("done", OK))
                self.versions_table.setItem(r, c, item)
        self.versions_table.resizeColumnsToContents()

    # ----- the state of the edit ------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.chain != self.saved_chain or bool(self.pending_amounts)

    def edited_chain(self) -> ApprovalChain:
        """The chain as edited; FlowDefinitionError (with its field) when a typed amount is not an amount."""
        for index, step in enumerate(self.chain.steps):
            if step.key in self.pending_amounts:
                text = self.pending_amounts[step.key]
                message = (
                    tr('请填写“{0}”的金额条件，例如 20000；不按金额判断请取消勾选“金额超过”').format(step.label)
                    if not text.strip()
                    else tr('“{0}”的金额条件“{1}”不是有效的金额：请只填数字（最多两位小数），例如 20000')
                    .format(step.label, text)
                )
                raise FlowDefinitionError(message, field=f"step:{index}:min_amount")
        # Names are kept as typed while editing (a space may be on its way to a word); saved without margins.
        return replace(self.chain, steps=tuple(replace(s, label=s.label.strip()) for s in self.chain.steps))

    @property
    def selected_index(self) -> int | None:
        """The selected step's index in chain.steps; None for none or for the fixed 经办人填报 row."""
        row = self.table.currentRow()
        return row - 1 if row >= 1 else None

    def _set_step(self, index: int, **changes: Any) -> None:
        steps = list(self.chain.steps)
        steps[index] = replace(steps[index], **changes)
        self.chain = replace(self.chain, steps=tuple(steps))

    def _changed(self, select_row: int | None = None) -> None:
        """After every edit: the table, the preview with the engine's verdict, the buttons."""
        self.notice = None
        self._check()
        self._fill_table()
        if select_row is not None:
            self.table.selectRow(select_row)
        self._show_selected()
        self._update_buttons()

    def _check(self) -> None:
        try:
            flow = claim_flow.preview(self.edited_chain())
        except FlowDefinitionError as error:
            self.problem = error
            self.problem_cells = self._problem_cells(error)
            self.problem_label.setText(tr('流程有误，不能保存：{0}{1}\n（下面的流程图是上一次正确的流程。）')
                                       .format(error.message, self._problem_hint(error)))
            self.problem_label.show()
            if self.last_good is None:
                # Nothing good was drawn yet (a stored flow that no longer compiles): an empty chart says so.
                self.preview.scene().clear()
            return
        self.problem, self.problem_cells = None, {}
        self.problem_label.hide()
        self.last_good = flow
        self.preview.show_flow(flow)

    def _problem_cells(self, error: FlowDefinitionError) -> dict[int, set[int]]:
        """Table rows (and the columns within them) the error is about."""
        field = error.field or ""
        match = re.fullmatch(r"step:(\d+):(\w+)", field)
        if match:
            return {int(match[1]) + 1: {FIELD_COLUMNS.get(match[2], 0)}}
        if field == "fill_time_limit":
            return {FILL_ROW: {FIELD_COLUMNS["time_limit"]}}
        if field:
            return {}
        # The engine's own verdicts (an unreachable step, a path that never ends) list the steps by label,
        # between punctuation; a label inside a longer one (审批 in 分管领导审批) is not a mention of it.
        return {
            row: set() for row, label in enumerate(self._row_labels())
            if label and re.search(rf"(?<!\w){re.escape(label)}(?!\w)", error.message)
        }

    def _problem_hint(self, error: FlowDefinitionError) -> str:
        if error.field is None and any(step.next_key is not None for step in self.chain.steps):
            return tr('。请检查各环节的“通过后转到”：转到前面的环节会绕成圈，跳过的环节就走不到了')
        return ""

    def _row_labels(self) -> list[str]:
        return [tr('经办人填报')] + [step.label for step in self.chain.steps]

    # ----- the table ------------------------------------------------------------------------------------------
    def _fill_table(self) -> None:
        rows = [self._fill_row()] + [self._step_row(step) for step in self.chain.steps]
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            problem = r in self.problem_cells
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a narrow column may cut it short
                if r == FILL_ROW:
                    item.setForeground(QBrush(FIXED_TEXT))
                    item.setToolTip(tr('第一个环节固定为经办人填报，只能修改时限'))
                if problem:
                    item.setBackground(QBrush(PROBLEM_FILL))
                    item.setToolTip(self.problem.message if self.problem else "")
                    # An icon stays visible when the row is selected, which hides the colours.
                    if c == (min(self.problem_cells[r]) if self.problem_cells[r] else 0):
                        item.setIcon(action_icon("soon", URGENT))
                    if c in self.problem_cells[r]:
                        item.setForeground(QBrush(QColor(URGENT)))
                        font = QFont(item.font())
                        font.setBold(True)
                        item.setFont(font)
                self.table.setItem(r, c, item)

    def _fill_row(self) -> list[str]:
        return [tr('经办人填报'), tr('填报'), tr('经办人本人'), tr('{0}个工作日').format(self.chain.fill_time_limit),
                tr('始终经过'), tr('下一环节')]

    def _step_row(self, step: ChainStep) -> list[str]:
        return [step.label, STEP_KINDS.get(step.kind, step.kind), handler_label(step.handler),
                tr('{0}个工作日').format(step.time_limit), self._condition_text(step), self._next_text(step)]

    def _condition_text(self, step: ChainStep) -> str:
        if step.key in self.pending_amounts:
            return tr('金额超过？元（待填写）')
        return step.describe_condition()

    def _next_text(self, step: ChainStep) -> str:
        if step.next_key is None:
            return tr('下一环节')
        target = next((s for s in self.chain.steps if s.key == step.next_key), None)
        return target.label if target is not None else tr('（已删除的环节）')

    def _update_buttons(self) -> None:
        index = self.selected_index
        count = len(self.chain.steps)
        editable = self.can_edit
        self.add_button.setEnabled(editable and count < MAX_STEPS)
        self.delete_button.setEnabled(editable and index is not None)
        self.up_button.setEnabled(editable and index is not None and index > 0)
        self.down_button.setEnabled(editable and index is not None and index < count - 1)
        self.discard_button.setEnabled(editable and self.dirty)
        self._update_status()

    def _update_status(self) -> None:
        if self.notice is not None:
            text, colour = self.notice
        elif self.dirty:
            text = tr('有尚未保存的修改。保存之前，报销单仍按第{0}版办理。').format(self.version)
            colour = SOON
        else:
            text, colour = "", MUTED
        self.dirty_label.setText(text)
        self.dirty_label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    # ----- the selected step's form ---------------------------------------------------------------------------
    def _selection_changed(self) -> None:
        self._show_selected()
        self._update_buttons()

    def _show_selected(self) -> None:
        """Puts the selected row into the form below the table, with its problem beside the field."""
        self._quiet = True
        try:
            row = self.table.currentRow()
            if row == FILL_ROW:
                self._shown_key = None
                self.details_stack.setCurrentIndex(1)
                self.details.setTitle(tr('所选环节：经办人填报'))
                self.fill_spin.setValue(self.chain.fill_time_limit)
            elif row >= 1 and row - 1 < len(self.chain.steps):
                self.details_stack.setCurrentIndex(0)
                self._show_step(row - 1)
            self.details_stack.setEnabled(self.can_edit and row >= 0)
            self._show_form_problem(row)
        finally:
            self._quiet = False

    def _show_step(self, index: int) -> None:
        step = self.chain.steps[index]
        fresh = step.key != self._shown_key
        self._shown_key = step.key
        self.details.setTitle(tr('所选环节：第{0}步　{1}').format(index + 2, step.label))
        if fresh:
            self.name_edit.setText(step.label)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(step.kind)))
        self.handler_combo.setCurrentIndex(max(0, self.handler_combo.findData(step.handler)))
        self.limit_spin.setValue(step.time_limit)
        pending = self.pending_amounts.get(step.key)
        self.amount_check.setChecked(pending is not None or step.min_amount is not None)
        if fresh:
            self.amount_edit.setText(pending if pending is not None else plain_amount(step.min_amount))
        self.budget_check.setChecked(step.when_over_budget)
        review = step.kind == "review"
        for widget in (self.amount_check, self.budget_check, self.next_combo):
            widget.setEnabled(review)
        self.amount_edit.setEnabled(review and self.amount_check.isChecked())
        # Said on hover rather than in a line of its own: the table already reads 始终经过 for such a step.
        hint = (tr('都不勾选：每件报销单都经过这个环节；勾选后只有符合条件的报销单经过，其余直接到下一环节')
                if review else tr('出纳付款和记账归档环节每件报销单都经过，办完进入下一环节'))
        for part in (self.amount_check, self.amount_edit, self.budget_check):
            part.setToolTip(hint)
        self.next_combo.clear()
        self.next_combo.addItem(tr('下一环节（按列表顺序）'), None)
        for other in self.chain.steps:
            if other.key != step.key:
                self.next_combo.addItem(other.label, other.key)
        self.next_combo.setCurrentIndex(max(0, self.next_combo.findData(step.next_key)))

    def _show_form_problem(self, row: int) -> None:
        """The problem beside its field, when it is about the row being shown; the focus stays where it is."""
        self.step_form.clear_errors()
        self.fill_form.clear_errors()
        error = self.problem
        if error is None or row not in self.problem_cells:
            return
        match = re.fullmatch(r"step:(\d+):(\w+)", error.field or "")
        if match and int(match[1]) + 1 == row and match[2] in FORM_FIELDS:
            self.step_form.show_errors({FORM_FIELDS[match[2]]: error.message}, reveal_first=False)
        elif error.field == "fill_time_limit" and row == FILL_ROW:
            self.fill_form.show_errors({"time_limit": error.message}, reveal_first=False)

    # ----- edits from the form --------------------------------------------------------------------------------
    def _edit_selected(self, **changes: Any) -> None:
        index = self.selected_index
        if self._quiet or index is None or not self.can_edit:
            return
        self._set_step(index, **changes)
        self._changed()

    def _name_edited(self, text: str) -> None:
        self._edit_selected(label=text.strip())

    def _kind_chosen(self, _position: int) -> None:
        kind = self.kind_combo.currentData()
        index = self.selected_index
        if self._quiet:
            return
        if kind != "review" and index is not None:
            # Payment and bookkeeping always happen and always go on in order: their conditions cannot apply.
            self.pending_amounts.pop(self.chain.steps[index].key, None)
            self._edit_selected(kind=kind, min_amount=None, when_over_budget=False, next_key=None)
        else:
            self._edit_selected(kind=kind)

    def _handler_chosen(self, _position: int) -> None:
        self._edit_selected(handler=self.handler_combo.currentData())

    def _limit_changed(self, value: int) -> None:
        self._edit_selected(time_limit=value)

    def _fill_limit_changed(self, value: int) -> None:
        if self._quiet or not self.can_edit:
            return
        self.chain = replace(self.chain, fill_time_limit=value)
        self._changed()

    def _amount_toggled(self, checked: bool) -> None:
        self.amount_edit.setEnabled(checked and self.kind_combo.currentData() == "review")
        index = self.selected_index
        if self._quiet or index is None:
            return
        key = self.chain.steps[index].key
        if not checked:
            self.pending_amounts.pop(key, None)
            self._edit_selected(min_amount=None)
            return
        self._take_amount(index, self.amount_edit.text())
        self.amount_edit.setFocus()

    def _amount_edited(self, text: str) -> None:
        index = self.selected_index
        if self._quiet or index is None or not self.can_edit:
            return
        self._take_amount(index, text)

    def _take_amount(self, index: int, text: str) -> None:
        """A typed amount: used when it is one, otherwise kept as typed and reported until it is."""
        key = self.chain.steps[index].key
        try:
            value: Decimal | None = parse_amount(text)
        except ValidationError:
            value = None
        if value is None:
            self.pending_amounts[key] = text
            self._changed()
            return
        self.pending_amounts.pop(key, None)
        if value == value.to_integral_value():
            # 20000 rather than 20000.00: the table and the flowchart read “金额超过20,000元”.
            value = value.quantize(Decimal(1))
        self._edit_selected(min_amount=value)

    def _budget_toggled(self, checked: bool) -> None:
        self._edit_selected(when_over_budget=checked)

    def _next_chosen(self, _position: int) -> None:
        self._edit_selected(next_key=self.next_combo.currentData())

    # ----- adding, removing, moving ---------------------------------------------------------------------------
    def add_step(self) -> None:
        """A new approval step after the selected one (before 出纳付款 at the latest), ready to be named."""
        if not self.can_edit or len(self.chain.steps) >= MAX_STEPS:
            return
        steps = list(self.chain.steps)
        first_end = next((i for i, s in enumerate(steps) if s.kind != "review"), len(steps))
        selected = self.selected_index
        position = min(selected + 1, first_end) if selected is not None else first_end
        step = ChainStep(self.chain.new_key(), self._new_label(), "review", Role.DIRECTOR.value, 2)
        steps.insert(position, step)
        self.chain = replace(self.chain, steps=tuple(steps))
        self._changed(select_row=position + 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _new_label(self) -> str:
        taken = {s.label for s in self.chain.steps}
        label, n = tr('新环节'), 2
        while label in taken:
            label, n = tr('新环节{0}').format(n), n + 1
        return label

    def delete_step(self) -> None:
        index = self.selected_index
        if index is None or not self.can_edit:
            return
        label = self.chain.steps[index].label
        if not confirm(self, tr('删除环节'),
                       tr('从流程中删除“{0}”？\n\n保存之前，可以点“放弃修改”找回。').format(label), tr('删除')):
            return
        self.pending_amounts.pop(self.chain.steps[index].key, None)
        self.chain = without(self.chain, index)
        self._changed(select_row=min(index + 1, len(self.chain.steps)))

    def move_step(self, offset: int) -> None:
        index = self.selected_index
        if index is None or not self.can_edit:
            return
        self.chain = moved(self.chain, index, offset)
        target = max(0, min(index + offset, len(self.chain.steps) - 1))
        self._changed(select_row=target + 1)

    # ----- saving ---------------------------------------------------------------------------------------------
    def save(self) -> None:
        """Saves the edited flow as the next version, after saying which version it will be."""
        try:
            chain = self.edited_chain()
            claim_flow.preview(chain)
        except FlowDefinitionError as error:
            show_error(self, error, tr('流程有误，不能保存'))
            return
        new_version = self.version + 1
        open_claims = sum(v.open_claims for v in self.version_infos)
        question = tr('把现在的流程保存为第{0}版吗？\n\n保存后，新提交的报销单按第{0}版办理；'
                      '已在办理中的 {1} 件报销单仍按各自开始时的版本走完。').format(new_version, open_claims)
        if not confirm(self, tr('保存为新版本'), question, tr('保存为第{0}版').format(new_version)):
            return
        expected = self.version

        def store() -> Flow:
            with self.ctx.uow() as uow:
                return claim_flow.save_chain(uow, self.actor, chain, expected_version=expected)

        try:
            flow = db_call(self, store, saving=True)
        except GovDeskError as error:
            # A conflict or a refusal: said plainly, and the edits stay in the editor.
            show_error(self, error, tr('没有保存'))
            if not isinstance(error, ServerUnavailable | WorkCancelled):
                self._refresh_versions_only()
            return
        self.loaded = False
        self.refresh()
        self.notice = (tr('已保存为第{0}版。此后提交的报销单按这一版办理。').format(flow.version), OK)
        self._update_status()

    def _refresh_versions_only(self) -> None:
        try:
            _chain, latest, self.version_infos = db_call(self, self._read_stored)
        except GovDeskError:
            return
        self._fill_versions()
        self._describe_version(latest)

    def discard(self) -> None:
        """Back to the stored current version (and so onto the newest one another administrator saved)."""
        if self.dirty and not confirm(self, tr('放弃修改'), tr('放弃所有尚未保存的修改，重新载入当前保存的流程？'),
                                      tr('放弃修改')):
            return
        self.loaded = False
        self.refresh()

    def restore_default(self) -> None:
        """The built-in flow in the editor; like any edit it takes effect only when saved."""
        self.pending_amounts.clear()
        self.chain = DEFAULT_CHAIN
        self._shown_key = None
        self._changed(select_row=1)
        if self.dirty:
            self.notice = (tr('已载入系统默认流程，点“保存为新版本”后才生效。'), SOON)
            self._update_status()


def _form_page(form: FormGrid) -> QWidget:
    """A page of the stacked side: the form at the top, without margins of its own."""
    page = QWidget()
    page_layout = QVBoxLayout(page)
    page_layout.setContentsMargins(0, 0, 0, 0)
    page_layout.addLayout(form)
    page_layout.addStretch(1)
    return page


__all__ = ["FlowEditorTab"]
