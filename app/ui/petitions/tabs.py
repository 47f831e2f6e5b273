"""The case window's own tabs: 交办与办理 (the assigned unit's task and report, its objections, and the buttons
each role may use), 处理意见书 (the findings, the decision and its basis: a form while the case is being handled
by its responsible person, read-only once signed), 回访 (the visits and 记录回访…) and 信访历史 (every case of the
petitioner and their reviews; a double-click opens one). Each shows the CaseView the window read; its buttons
call the window, which runs the act and reads the case again."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.petitions.flow import HANDLE
from app.core.petitions.terms import DECISIONS, UNSATISFIED
from app.core.roles import Role
from app.services.petitions import records
from app.ui.i18n import tr
from app.ui.petitions.reading import CaseView
from app.ui.theme import MUTED, OK, URGENT
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.qt_helpers import empty_state_label
from app.ui.widgets.record_tabs import Fact, show_facts


def _button(text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
    button = QPushButton(text)
    # In the record window (a dialog) a tab's button must never be the default one.
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    button.setToolTip(tip)
    return button


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _wrap_table(table: QTableWidget, stretch: int) -> None:
    """Columns as wide as their text, the free text column ``stretch`` taking what is left and wrapping."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.setWordWrap(True)
    header.sectionResized.connect(lambda *_args: table.resizeRowsToContents())
    table.resizeRowsToContents()


class _Scrolling(QScrollArea):
    """A tab that scrolls rather than make the window taller than a laptop's screen at 大."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.inner = QWidget()
        self.body = QVBoxLayout(self.inner)
        self.body.setContentsMargins(8, 8, 8, 8)
        self.setWidget(self.inner)


class AssignmentTab(_Scrolling):
    """交办与办理: where the case went and how the unit handled it."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(24)
        self.report_button = _button(tr("报送办理情况…"), window.report_handling,
                                     tr("承办单位联络员报送本单位的办理情况"))
        self.object_button = _button(tr("提出异议…"), window.object_assignment,
                                     tr("认为不属于本单位职责的，可在交办后5个工作日内提出异议"))
        self.answer_button = _button(tr("答复异议…"), window.answer_objection)
        self.urge_button = _button(tr("催办承办单位…"), window.urge_unit,
                                   tr("提醒承办单位联络员按期报送办理情况"))
        buttons = QHBoxLayout()
        for button in (self.report_button, self.object_button, self.answer_button, self.urge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.objections = plain_table()
        self.no_objections = QLabel(tr("承办单位没有提出异议。"))
        self.no_objections.setObjectName("hint")
        self.body.addWidget(self.status)
        self.body.addLayout(self.facts)
        self.body.addLayout(buttons)
        self.body.addWidget(_heading(tr("承办单位办理情况")))
        self.body.addWidget(self.report)
        self.body.addWidget(_heading(tr("异议")))
        self.body.addWidget(self.objections)
        self.body.addWidget(self.no_objections)
        self.body.addStretch(1)

    def show_case(self, view: CaseView, actor: Any) -> None:
        info, task = view.info, view.assignment
        if info.forwarded_to:
            self.status.setText(tr("本件已转送{0}。").format(info.forwarded_to))
        elif task is None:
            self.status.setText(tr("本件没有交办给单位：由本办自行办理，或尚未受理。登记环节可以“交办…”给承办单位。"))
        else:
            self.status.setText("")
        self.status.setVisible(bool(self.status.text()))
        facts: list[Fact] = []
        if task is not None:
            deadline = cn_date(task.objection_deadline) + (tr("（待国务院公布）")
                                                          if task.objection_deadline_provisional else "")
            facts = [
                (tr("承办单位"), task.unit_name), (tr("交办日期"), cn_date(task.assigned_on)),
                (tr("办理期限"), cn_date(task.due)), (tr("办理状态"), task.state_label),
                (tr("异议期限"), deadline), (tr("交办任务"), task.task),
            ]
        show_facts(self.facts, facts)
        if task is not None and task.report:
            self.report.setText(tr("{0}（{1}）").format(task.report, task.reported_by_name)
                                if task.reported_by_name else task.report)
        else:
            self.report.setText(tr("尚未报送。") if task is not None else "—")
        fill_table(self.objections, [tr("提出日期"), tr("单位"), tr("提出人"), tr("异议理由"), tr("答复"), tr("答复意见")], [
            [cn_date(o.objected_on), o.unit_name, o.by_name, o.reason, o.outcome_label,
             tr("{0}（{1}）").format(o.answer, o.answered_by_name) if o.answer else "—"]
            for o in view.objections
        ])
        _wrap_table(self.objections, 3)
        self.objections.setVisible(bool(view.objections))
        self.no_objections.setVisible(not view.objections)
        mine = self.unit_item(view, actor)
        handler = records.may_handle(actor)
        at_handling = info.state == HANDLE and not info.closed
        self.report_button.setVisible(mine is not None)
        self.report_button.setEnabled(mine is not None and mine.state != "done" and at_handling)
        # Until the office finishes the task, a report may be put right.
        self.report_button.setText(tr("修改办理情况…") if mine is not None and mine.feedback else tr("报送办理情况…"))
        self.object_button.setVisible(task is not None and actor.has(Role.LIAISON) and actor.unit_id == task.unit_id)
        self.object_button.setEnabled(task is not None and task.may_object)
        self.answer_button.setVisible(handler)
        self.answer_button.setEnabled(handler and view.open_objection() is not None)
        self.urge_button.setVisible(handler)
        self.urge_button.setEnabled(handler and at_handling and task is not None and task.state == "sent")

    @staticmethod
    def unit_item(view: CaseView, actor: Any) -> Any:
        """The assigned unit's open task, when the reader is that unit's 联络员."""
        if not actor.has(Role.LIAISON):
            return None
        return next((i for i in view.work_items.items if i.lead and i.unit_id is not None
                     and i.unit_id == actor.unit_id and i.state != "done"), None)


class ReplyTab(_Scrolling):
    """处理意见书: what was found, the decision and its basis."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.findings = QPlainTextEdit()
        self.findings.setPlaceholderText(tr("经调查核实查明的事实"))
        self.findings.setMinimumHeight(96)
        self.decision = QComboBox()
        self.decision.addItem(tr("请选择"), None)
        for decision in DECISIONS:
            self.decision.addItem(tr(decision), decision)
        self.basis = QPlainTextEdit()
        self.basis.setPlaceholderText(tr("作出处理意见所依据的法律、法规、政策"))
        self.basis.setMinimumHeight(76)
        self.form = FormGrid()
        self.form.add("findings", tr("查明的事实"), self.findings, required=True)
        self.form.add("decision", tr("处理意见"), self.decision, required=True)
        self.form.add("basis", tr("依据"), self.basis, required=True)
        self.save_button = _button(tr("保存处理意见书"), window.save_reply)
        self.save_button.setObjectName("primary")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.body.addWidget(self.status)
        self.body.addLayout(self.form)
        self.body.addLayout(buttons)
        self.body.addStretch(1)
        self.shown_version: int | None = None

    def editable(self, view: CaseView) -> bool:
        info = view.info
        # At 办理, by the person who answers for the case; again after a 不满意 回访 sent it back.
        return view.responsible and info.state == HANDLE and not info.closed

    def show_case(self, view: CaseView) -> None:
        info = view.info
        editable = self.editable(view)
        # What the user is typing stays when the window reads the case again for another reason.
        if self.shown_version != info.version or not editable:
            self.findings.setPlainText(info.findings)
            index = self.decision.findData(info.decision or None)
            self.decision.setCurrentIndex(max(index, 0))
            self.basis.setPlainText(info.decision_basis)
            self.shown_version = info.version
        for widget in (self.findings, self.basis):
            widget.setReadOnly(not editable)
        self.decision.setEnabled(editable)
        self.save_button.setVisible(editable)
        if editable:
            again = tr("本件已重新办理（原处理意见书于{0}签发）。").format(cn_date(info.replied_on)) \
                if info.replied_on is not None else ""
            self.status.setText(again + tr("写好后点“保存处理意见书”，再“报送审核”。"))
            colour = MUTED
        elif info.replied_on is not None:
            self.status.setText(tr("处理意见书已于{0}审核签发，不能再修改。").format(cn_date(info.replied_on)))
            colour = OK
        elif info.findings:
            self.status.setText(tr("处理意见书由首问责任人在办理环节拟写；当前不能修改。"))
            colour = MUTED
        else:
            self.status.setText(tr("尚未拟写处理意见书。受理或交办后，由首问责任人在办理环节拟写。"))
            colour = MUTED
        self.status.setStyleSheet(f"color: {colour};")
        self.form.clear_errors()

    def texts(self) -> tuple[str, str, str]:
        return self.findings.toPlainText(), str(self.decision.currentData() or ""), self.basis.toPlainText()


class VisitsTab(QWidget):
    """回访: each visit (day, how, satisfaction, what was said, what 不满意 made of the case) and 记录回访…."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.record_button = _button(tr("记录回访…"), window.record_visit,
                                     tr("已答复的信访件，由首问责任人回访信访人并记录满意度"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.record_button)
        self.table = plain_table()
        self.empty = empty_state_label(tr("还没有回访记录。处理意见书答复后，由首问责任人回访信访人。"))
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

    def show_case(self, view: CaseView) -> None:
        visits = view.visits
        fill_table(self.table, [tr("回访日期"), tr("方式"), tr("满意度"), tr("回访情况"), tr("处理"), tr("回访人")], [
            [cn_date(v.visited_on), v.method, v.satisfaction, v.note or "—",
             tr("{0}：{1}").format(v.action_label, v.reason) if v.action else "—", v.by_name]
            for v in visits
        ])
        _wrap_table(self.table, 3)
        for row, visit in enumerate(visits):
            cell = self.table.item(row, 2)
            if cell is not None and visit.satisfaction == UNSATISFIED:
                from PySide6.QtGui import QBrush, QColor

                cell.setForeground(QBrush(QColor(URGENT)))
        self.table.setVisible(bool(visits))
        self.empty.setVisible(not visits)
        unhappy = sum(1 for v in visits if v.satisfaction == UNSATISFIED)
        self.summary.setText(tr("共回访{0}次，其中不满意{1}次。").format(len(visits), unhappy) if visits else "")
        may = view.responsible and view.info.state == "replied" and not view.info.closed
        self.record_button.setEnabled(may)


class HistoryTab(QWidget):
    """信访历史: every case of this petitioner (the same ID number, or the same name and phone) and their 复查 and
    复核, the latest first; a double-click opens one."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window_ = window
        self.rows: list[Any] = []
        self.current_id: int | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = plain_table()
        self.table.setToolTip(tr("双击打开该信访件"))
        self.table.cellDoubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_case(self, view: CaseView) -> None:
        self.current_id = view.info.id
        self.rows = list(view.history or [])
        fill_table(self.table, [tr("编号"), tr("类型"), tr("登记日期"), tr("信访方式"), tr("诉求"), tr("问题类别"),
                                tr("办理情况"), tr("处理意见")], [
            [r.number + (tr("（本件）") if r.petition_id == view.info.id else ""), r.stage_label,
             cn_date(r.received_on), r.channel, r.request, r.category,
             r.state_label + (tr("（重复）") if r.is_repeat else ""), r.decision or "—"]
            for r in self.rows
        ])
        _wrap_table(self.table, 4)
        others = sum(1 for r in self.rows if r.petition_id != view.info.id)
        self.summary.setText(
            tr("信访人{0}共有{1}件信访记录（含复查、复核），本件以外{2}件。").format(
                html.escape(view.info.name), len(self.rows), others))

    def chosen_id(self, row: int) -> int | None:
        return self.rows[row].petition_id if 0 <= row < len(self.rows) else None

    def _open(self, row: int, _column: int) -> None:
        chosen = self.chosen_id(row)
        if chosen is not None and chosen != self.current_id:
            self.window_.open_other(chosen)
