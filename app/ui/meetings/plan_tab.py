"""会议方案: the plan's tasks in its five phases (材料准备, 会场布置, 会议签到, 会场保障, 会议总结), each with a check
box for done, its owner and due time, a late one in red; the plan made from the meeting type's template, tasks
added, changed and removed; the plan printed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.core.meetings.plan import PHASES
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.services.meetings import plan
from app.services.meetings.plan import PlanTaskInfo, PlanView
from app.ui.i18n import tr
from app.ui.meetings.tab_base import MeetingTab
from app.ui.theme import MUTED, OK, URGENT
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.messages import confirm
from app.ui.widgets.qt_helpers import empty_state_label, icon_button
from app.ui.widgets.step_dialog import StepDialog

TASK = Qt.ItemDataRole.UserRole


def local(value: datetime | None) -> str:
    return value.astimezone().strftime("%m-%d %H:%M") if value else "—"


class PlanTab(MeetingTab):
    def __init__(self, ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, meeting_id, parent)
        self.view: PlanView | None = None
        self.tasks: dict[int, PlanTaskInfo] = {}
        self.make_button = icon_button("new", tr("按模板生成方案"), self.make)
        self.make_button.setToolTip(tr("按会议类型的方案模板生成五个阶段的任务清单"))
        self.add_button = icon_button("new", tr("添加任务…"), self.add)
        self.edit_button = icon_button("edit", tr("修改…"), self.edit)
        self.remove_button = icon_button("delete", tr("删除"), self.remove)
        self.print_button = icon_button("print", tr("打印会议方案…"), self.print_plan)
        row = QHBoxLayout()
        for button in (self.make_button, self.add_button, self.edit_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.print_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([tr("任务"), tr("责任人"), tr("完成时限"), tr("完成情况")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._ticked)
        self.tree.itemSelectionChanged.connect(self._enable)
        self.tree.itemDoubleClicked.connect(lambda _item, _column: self.edit())
        self.empty = empty_state_label(tr("还没有会议方案。点“按模板生成方案”，按会议类型生成五个阶段的任务清单。"))
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        self._enable()

    def _reading(self) -> Callable[[], object]:
        return as_user(self.ctx, self.actor, plan.plan_of, self.meeting_id)

    def _show(self, found: object) -> None:
        assert isinstance(found, PlanView)
        self.view = found
        self.tasks = {t.id: t for t in found.tasks}
        chosen = self.current()
        now = datetime.now().astimezone()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        self.tree.blockSignals(True)
        self.tree.clear()
        for phase in PHASES:
            tasks = sorted((t for t in found.tasks if t.phase == phase), key=lambda t: t.position)
            undone = found.undone_by_phase.get(phase, sum(1 for t in tasks if not t.done))
            group = QTreeWidgetItem([tr("{0}（{1}项，未完成{2}项）").format(phase, len(tasks), undone)])
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            for task in tasks:
                group.addChild(self._task_item(task, now, found.may_edit))
            group.setExpanded(True)
        self.tree.blockSignals(False)
        total = len(found.tasks)
        undone_all = sum(1 for t in found.tasks if not t.done)
        late = sum(1 for t in found.tasks if not t.done and t.late(now))
        self.summary.setText(tr("共 {0} 项任务，已完成 {1} 项，未完成 {2} 项{3}。").format(
            total, total - undone_all, undone_all, tr("，其中逾期 {0} 项").format(late) if late else "") if total else "")
        self.tree.setVisible(bool(total))
        self.empty.setVisible(not total)
        for button in (self.make_button, self.add_button, self.edit_button, self.remove_button):
            button.setVisible(found.may_edit)
        self.make_button.setVisible(found.may_edit and not total)
        if chosen is not None:
            self.select(chosen.id)
        self._enable()

    def _task_item(self, task: PlanTaskInfo, now: datetime, may_edit: bool) -> QTreeWidgetItem:
        late = not task.done and task.late(now)
        done_text = tr("{0} 于 {1} 完成").format(task.done_by_name, local(task.done_at)) if task.done else (
            tr("已逾期") if late else tr("未完成"))
        item = QTreeWidgetItem([task.text, task.owner_name or "—", local(task.due_at), done_text])
        item.setData(0, TASK, task.id)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # The owner ticks their own task too; the service says who may.
        item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if task.done else Qt.CheckState.Unchecked)
        colour = URGENT if late else (OK if task.done else None)
        if colour is not None:
            for column in (0, 2, 3):
                item.setForeground(column, QBrush(QColor(colour)))
        if task.done:
            item.setForeground(1, QBrush(QColor(MUTED)))
        if late:
            item.setToolTip(0, tr("已过完成时限，尚未完成"))
        return item

    def current(self) -> PlanTaskInfo | None:
        items = self.tree.selectedItems()
        task_id = items[0].data(0, TASK) if items else None
        return self.tasks.get(int(task_id)) if task_id is not None else None

    def select(self, task_id: int) -> None:
        item = self.item_of(task_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def item_of(self, task_id: int) -> QTreeWidgetItem | None:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for c in range(group.childCount() if group is not None else 0):
                child = group.child(c) if group is not None else None
                if child is not None and child.data(0, TASK) == task_id:
                    return child
        return None

    def _enable(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # ----- acts -------------------------------------------------------------------------------------------------
    def _ticked(self, item: QTreeWidgetItem, column: int) -> None:
        task_id = item.data(0, TASK)
        if column != 0 or task_id is None:
            return
        task = self.tasks.get(int(task_id))
        done = item.checkState(0) == Qt.CheckState.Checked
        if task is None or task.done == done:
            return
        # After the tick's own signal is over: the act redraws the tree, which deletes this very item.
        QTimer.singleShot(0, lambda: self._set_done(task, done))

    def _set_done(self, task: PlanTaskInfo, done: bool) -> None:
        if not self.act(plan.set_done, task.id, done):
            # Refused: the box goes back to what is stored.
            self.reload()

    def make(self) -> None:
        self.act(plan.make_plan, self.meeting_id)

    def add(self) -> None:
        self._edit_in(TaskDialog(self, self.ctx, self.actor, None, self._phase_chosen()))

    def edit(self) -> None:
        task = self.current()
        if task is not None and self.view is not None and self.view.may_edit:
            self._edit_in(TaskDialog(self, self.ctx, self.actor, task, task.phase))

    def _phase_chosen(self) -> str:
        items = self.tree.selectedItems()
        task = self.current()
        if task is not None:
            return task.phase
        if items and items[0].parent() is None:
            index = self.tree.indexOfTopLevelItem(items[0])
            return PHASES[index] if 0 <= index < len(PHASES) else PHASES[0]
        return PHASES[0]

    def _edit_in(self, dialog: TaskDialog) -> None:
        ctx, actor, meeting_id, task = self.ctx, self.actor, self.meeting_id, dialog.task

        def save() -> object:
            # The dialog is read here, on the GUI thread; only the service call runs off it (db_call).
            text, owner, due = dialog.text.text(), dialog.owner.currentData(), dialog.due_at()
            if task is None:
                call = as_user(ctx, actor, plan.add_task, meeting_id, dialog.phase.currentData(), text, owner, due)
            else:
                call = as_user(ctx, actor, plan.update_task, task.id, text=text, owner_id=owner, due_at=due)
            return db_call(dialog, call, saving=True)

        dialog.work = save
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def remove(self) -> None:
        task = self.current()
        if task is not None and confirm(self, tr("删除任务"), tr("从会议方案中删除“{0}”？").format(task.text), tr("删除")):
            self.act(plan.remove_task, task.id)

    def print_plan(self) -> None:
        self.print_form("meeting-plan", tr("会议方案"))


class TaskDialog(StepDialog):
    """A task of the plan: its phase (fixed once made), what is to be done, who does it and by when."""

    def __init__(self, parent: QWidget, ctx: AppContext, actor: Actor, task: PlanTaskInfo | None, phase: str) -> None:
        super().__init__(tr("修改任务") if task else tr("添加任务"), tr("会议方案的一项筹备任务。"), tr("保存"), parent,
                         min_width=540)
        self.task = task

        people = as_user(ctx, actor, admin.directory)
        self.phase = QComboBox()
        for name in PHASES:
            self.phase.addItem(name, name)
        self.phase.setCurrentIndex(max(PHASES.index(phase) if phase in PHASES else 0, 0))
        self.phase.setEnabled(task is None)
        self.text = QLineEdit(task.text if task else "")
        self.text.setPlaceholderText(tr("如：调试音响、话筒、投影和会标"))
        self.owner = QComboBox()
        self.owner.addItem(tr("请选择责任人"), None)
        for person in db_call(parent, people):
            self.owner.addItem(tr("{0}（{1}）").format(person.full_name, person.unit_name) if person.unit_name
                               else person.full_name, person.id)
        # Every task has its owner, on whose 工作台 it shows: a new one is the user's own until they choose.
        chosen = self.owner.findData(task.owner_id if task else actor.id)
        self.owner.setCurrentIndex(max(chosen, 0))
        self.due = QDateTimeEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd HH:mm")
        # A new task is due tomorrow at nine, a time the office works to, unless the user says otherwise.
        start = task.due_at.astimezone() if task and task.due_at else (datetime.now() + timedelta(days=1)).replace(
            hour=9, minute=0)
        self.due.setDateTime(QDateTime(start.year, start.month, start.day, start.hour, start.minute, 0))
        self.form.add("phase", tr("阶段"), self.phase, required=True)
        self.form.add("text", tr("任务"), self.text, required=True)
        self.form.add("owner_id", tr("责任人"), self.owner, required=True, check=self._check_owner)
        self.form.add("due_at", tr("完成时限"), self.due, required=True)

    def _check_owner(self) -> None:
        # The first line of the list says 请选择责任人 (it is not blank text), so it is checked here.
        if self.owner.currentData() is None:
            raise ValidationError(tr("请选择任务的责任人"), field="owner_id")

    def due_at(self) -> datetime:
        value = self.due.dateTime()
        day, time = value.date(), value.time()
        return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute()).astimezone()
