"""The engine's record features in a record's window: who answers for it (with 移交…), its recurring reports
(周期, 下次汇报, 汇报…, an overdue one in red) and its parallel work items (承办单位, 任务, 期限, 状态, 反馈).
The links feed the window's 关联 tab, both ways, and a double-click there opens the linked record.

attach_record_features(window, instance_id) adds the tab to a RecordWindow; the window calls refresh() from
its load(). Every act runs through the window's run_service, so refusals show as the window shows them and the
record is read again after a change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.workflow.duties import MAX_EVERY, RHYTHM_KINDS
from app.services.kernel.actor import Actor
from app.services.workflow import duties, links, parallel, responsibility
from app.services.workflow.urges import URGE_METHODS, URGING_ROLES
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.theme import ACCENT, URGENT
from app.ui.widgets.db_call import db_call, in_unit_of_work
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.editing import finish_save, save_cancel_buttons
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import date_edit, to_date
from app.ui.widgets.record_tabs import RelatedRecord
from app.ui.widgets.record_window import RecordWindow
from app.ui.widgets.screen import fit_when_shown
from app.ui.widgets.units import read_units

RHYTHM_WORDS: dict[str, str] = {
    "weekly": QT_TRANSLATE_NOOP("GovDesk", "周"),
    "monthly": QT_TRANSLATE_NOOP("GovDesk", "个月"),
    "workdays": QT_TRANSLATE_NOOP("GovDesk", "个工作日内"),
}
# The office's three follow-up classes (DOMAIN §3), as the rhythm picker names them.
RHYTHM_KIND_LABELS: dict[str, str] = {
    "weekly": QT_TRANSLATE_NOOP("GovDesk", "每周（重点督办）"),
    "monthly": QT_TRANSLATE_NOOP("GovDesk", "每月（定期督办）"),
    "workdays": QT_TRANSLATE_NOOP("GovDesk", "若干个工作日内（马上督办）"),
}


@dataclass(frozen=True)
class Features:
    """What the panel and the 关联 tab show, read in one unit of work."""

    responsible: responsibility.Responsible
    duties: list[duties.DutyInfo]
    items: parallel.WorkItems
    links: links.Links


def read_features(uow: Any, actor: Actor, instance_id: int) -> Features:
    ref = links.record_ref(uow, instance_id)
    return Features(
        responsibility.responsible_of(uow, actor, instance_id),
        duties.duties_of(uow, actor, instance_id),
        parallel.work_items_of(uow, actor, instance_id),
        links.links_of(uow, actor, *ref),
    )


def _heading(text: str, *buttons: QPushButton) -> QHBoxLayout:
    """A section's title with its buttons on the same line: the tab keeps its height for the tables."""
    row = QHBoxLayout()
    title = QLabel(text)
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    title.setStyleSheet(f"color: {ACCENT};")
    row.addWidget(title)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def _paint_row(table: QTableWidget, row: int, colour: str) -> None:
    for column in range(table.columnCount()):
        item = table.item(row, column)
        if item is not None:
            item.setForeground(QBrush(QColor(colour)))


def _long_text_column(table: QTableWidget, column: int, width: int) -> None:
    """A column of free text (任务, 反馈, 最近汇报): no wider than ``width`` unless it is the last, which takes what is
    left; its text wraps onto more lines rather than being cut, and each cell's whole text is in its tooltip."""
    for row in range(table.rowCount()):
        item = table.item(row, column)
        if item is not None:
            item.setToolTip(item.text())
    if column < table.columnCount() - 1 and table.columnWidth(column) > width:
        table.setColumnWidth(column, width)


def _fit_rows(table: QTableWidget) -> None:
    table.setWordWrap(True)
    table.resizeRowsToContents()


def _fit_height(table: QTableWidget, most_rows: int) -> None:
    """As tall as its header and its rows (up to ``most_rows``, then it scrolls): a flow declares a duty or two,
    and the rest of the tab is the work items'."""
    rows = sum(table.rowHeight(r) for r in range(min(table.rowCount(), most_rows)))
    header = table.horizontalHeader().sizeHint().height()
    table.setFixedHeight(header + rows + 2 * table.frameWidth() + 2)


class RecordFeaturesPanel(QScrollArea):
    """责任与进展: the responsible person, the recurring reports and the parallel work items of one record. It
    scrolls rather than make the record window taller than a laptop's screen in text size 大."""

    def __init__(self, window: RecordWindow, instance_id: int) -> None:
        super().__init__()
        self.window_, self.ctx, self.actor, self.instance_id = window, window.ctx, window.actor, instance_id
        self.features: Features | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

        # ----- 责任人
        self.responsible_label = QLabel()
        self.hand_over_button = _button(tr("移交…"), self.hand_over)
        person = _heading(tr("责任人"), self.hand_over_button)
        person.insertWidget(1, self.responsible_label, 1)

        # ----- 定期汇报
        self.report_button = _button(tr("汇报…"), self.report)
        self.rhythm_button = _button(tr("汇报周期…"), self.set_rhythm)
        self.hasten_button = _button(tr("催报…"), self.hasten)
        self.duty_table = plain_table()
        self.duty_empty = QLabel(tr("这类事项没有定期汇报。"))
        self.duty_empty.setObjectName("hint")
        self.duty_table.itemSelectionChanged.connect(self._enable_duty_buttons)

        # ----- 并行事项
        self.send_button = _button(tr("分派…"), self.send)
        self.feedback_button = _button(tr("反馈…"), self.feedback)
        self.finish_button = _button(tr("办结"), self.finish)
        self.item_table = plain_table()
        self.item_empty = QLabel(tr("尚未分派并行事项。"))
        self.item_empty.setObjectName("hint")
        self.item_table.itemSelectionChanged.connect(self._enable_item_buttons)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(person)
        layout.addLayout(_heading(tr("定期汇报"), self.report_button, self.rhythm_button, self.hasten_button))
        layout.addWidget(self.duty_table)
        layout.addWidget(self.duty_empty)
        layout.addLayout(_heading(tr("并行事项（主办、协办）"), self.send_button, self.feedback_button,
                                  self.finish_button))
        layout.addWidget(self.item_table, 1)
        layout.addWidget(self.item_empty)
        layout.addStretch(0)
        # The last column takes its width once the tab is laid out: wrapped rows are measured again then.
        for table in (self.duty_table, self.item_table):
            table.horizontalHeader().sectionResized.connect(lambda *_, t=table: t.resizeRowsToContents())
        # Room for a header and a row before the tab scrolls.
        self.item_table.setMinimumHeight(self.item_table.fontMetrics().height() * 4)
        self.setWidget(content)

    # ----- showing -----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reads the record's features and links again; a failed read keeps what was shown."""
        ctx, actor, instance_id = self.ctx, self.actor, self.instance_id

        def read() -> Features:
            with ctx.uow() as uow:
                return read_features(uow, actor, instance_id)

        try:
            self.features = db_call(self, read)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.show_features(self.features)

    def show_features(self, features: Features) -> None:
        person = features.responsible
        self.responsible_label.setText(tr("{0}（首问负责，跟踪本事项直至办结或移交）").format(person.name))
        self.hand_over_button.setEnabled(person.may_hand_over)
        self.hand_over_button.setToolTip(person.why_not)
        self._show_duties(features.duties)
        self._show_items(features.items)
        self._show_links(features.links)

    def _show_duties(self, rows: list[duties.DutyInfo]) -> None:
        fill_table(self.duty_table, [tr("汇报事项"), tr("周期"), tr("汇报人"), tr("下次汇报"), tr("最近汇报")], [
            [d.label, d.rhythm.describe(), d.holder_name or d.holder_label,
             (cn_date(d.next_due) + (tr("（已逾期）") if d.overdue else "")) if d.active else tr("当前环节不需汇报"),
             f"{cn_date(d.reports[0].reported_on)} {d.reports[0].text}" if d.reports else "—"]
            for d in rows
        ])
        _long_text_column(self.duty_table, 4, 0)
        _fit_rows(self.duty_table)
        _fit_height(self.duty_table, 3)
        for index, duty in enumerate(rows):
            if duty.overdue:
                _paint_row(self.duty_table, index, URGENT)
        self.duty_table.setVisible(bool(rows))
        self.duty_empty.setVisible(not rows)
        if rows:
            self.duty_table.selectRow(0)
        self._enable_duty_buttons()

    def _show_items(self, shown: parallel.WorkItems) -> None:
        today = date.today()
        fill_table(self.item_table, [tr("承办单位/人员"), tr("分工"), tr("期限"), tr("状态"), tr("任务"), tr("反馈")], [
            [i.holder, tr("主办") if i.lead else tr("协办"), cn_date(i.due_date),
             i.state_label + (tr("（已逾期）") if i.overdue(today) else ""), i.task, i.feedback or "—"]
            for i in shown.items
        ])
        # Sixteen Han characters wide (U+56FD 国, measured: it is no text of the program's).
        han = self.item_table.fontMetrics().horizontalAdvance(chr(0x56FD))
        _long_text_column(self.item_table, 4, han * 16)
        _long_text_column(self.item_table, 5, 0)
        _fit_rows(self.item_table)
        for index, item in enumerate(shown.items):
            if item.overdue(today):
                _paint_row(self.item_table, index, URGENT)
        self.item_table.setVisible(bool(shown.items))
        self.item_empty.setVisible(not shown.items)
        self.send_button.setEnabled(shown.may_coordinate)
        self.send_button.setToolTip(shown.why_not)
        self._enable_item_buttons()

    def _show_links(self, found: links.Links) -> None:
        records = [RelatedRecord(r.kind_label, r.title, r.state_label) for r in found.records]
        if found.hidden:
            records.append(RelatedRecord(tr("其他"), tr("另有{0}件关联事项不在您的查看范围内").format(found.hidden), "—"))
        self.window_.show_related(records)

    # ----- what is chosen ---------------------------------------------------------------------------------------
    def selected_duty(self) -> duties.DutyInfo | None:
        """The duty chosen in the table (the first is chosen when the record is shown)."""
        if self.features is None:
            return None
        row = self.duty_table.currentRow()
        return self.features.duties[row] if 0 <= row < len(self.features.duties) else None

    def selected_item(self) -> parallel.WorkItem | None:
        if self.features is None or not self.item_table.selectionModel().hasSelection():
            return None
        row = self.item_table.currentRow()
        return self.features.items.items[row] if 0 <= row < len(self.features.items.items) else None

    def _enable_duty_buttons(self) -> None:
        duty = self.selected_duty()
        self.report_button.setEnabled(duty is not None and duty.may_report)
        self.rhythm_button.setEnabled(duty is not None and duty.may_set_rhythm)
        self.hasten_button.setEnabled(duty is not None and duty.overdue and self.actor.has(*URGING_ROLES))
        for button, why in ((self.report_button, tr("请选择一项您负责汇报、当前需要汇报的事项")),
                            (self.rhythm_button, tr("只有责任人或办公室主任、副主任可以设置汇报周期")),
                            (self.hasten_button, tr("只有已逾期的汇报可以催报"))):
            button.setToolTip("" if button.isEnabled() else why)

    def _enable_item_buttons(self) -> None:
        item = self.selected_item()
        may = self.features is not None and self.features.items.may_coordinate
        self.feedback_button.setEnabled(item is not None and item.state != "done" and self._holds(item))
        self.finish_button.setEnabled(item is not None and item.state == "reported" and may)
        self.feedback_button.setToolTip("" if self.feedback_button.isEnabled() else tr("请选择本单位或本人的未办结任务"))
        self.finish_button.setToolTip("" if self.finish_button.isEnabled() else tr("请选择已反馈的任务"))

    def _holds(self, item: parallel.WorkItem) -> bool:
        if item.user_id is not None:
            return item.user_id == self.actor.id
        return item.unit_id == self.actor.unit_id and self.actor.has("liaison")

    # ----- acting -----------------------------------------------------------------------------------------------
    def _run(self, work: Callable[[Any], object]) -> None:
        self.window_.run_service(work)

    def _in_dialog(self, work: Callable[[Any], object]) -> object:
        return db_call(self, lambda: in_unit_of_work(self.ctx, work), saving=True)

    def hand_over(self) -> None:
        actor, instance_id = self.actor, self.instance_id

        def candidates() -> list[responsibility.Candidate]:
            with self.ctx.uow() as uow:
                return responsibility.handover_candidates(uow, actor, instance_id)

        try:
            people = db_call(self, candidates)
        except GovDeskError as error:
            show_error(self, error)
            return
        # The version the window read, so that a hand-over of a record moved meanwhile is refused as a conflict.
        version = getattr(getattr(getattr(self.window_, "detail", None), "info", None), "version", None)
        dialog = HandOverDialog(people, lambda to, reason: self._in_dialog(
            lambda u: responsibility.hand_over(u, actor, instance_id, to_user_id=to, reason=reason,
                                               expected_version=version)), self)
        if dialog.exec():
            self.window_.after_change()

    def report(self) -> None:
        duty = self.selected_duty()
        if duty is None:
            return
        actor, instance_id = self.actor, self.instance_id
        dialog = TextDialog(tr("汇报：{0}").format(duty.label), tr("汇报内容"), tr("本期工作进展、存在问题和下步打算"),
                            "text", lambda text: self._in_dialog(
                                lambda u: duties.report_duty(u, actor, instance_id, duty.key, text)), self)
        if dialog.exec():
            self.window_.after_change()

    def set_rhythm(self) -> None:
        duty = self.selected_duty()
        if duty is None:
            return
        actor, instance_id = self.actor, self.instance_id
        dialog = RhythmDialog(duty, lambda kind, every: self._in_dialog(
            lambda u: duties.set_rhythm(u, actor, instance_id, duty.key, kind, every)), self)
        if dialog.exec():
            self.window_.after_change()

    def hasten(self) -> None:
        duty = self.selected_duty()
        if duty is None:
            return
        actor, instance_id = self.actor, self.instance_id
        dialog = HastenDialog(duty, lambda method, note: self._in_dialog(
            lambda u: duties.hasten_duty(u, actor, instance_id, duty.key, method, note)), self)
        if dialog.exec():
            self.window_.after_change()
            self.window_.tabs.setCurrentWidget(self.window_.urges_table)

    def send(self) -> None:
        actor, instance_id = self.actor, self.instance_id
        try:
            units = read_units(self, self.ctx, actor)
        except GovDeskError as error:
            show_error(self, error)
            return
        dialog = SendDialog([(u.name, u.id) for u in units], lambda item: self._in_dialog(
            lambda u: parallel.send_work_items(u, actor, instance_id, [item])), self)
        if dialog.exec():
            self.window_.after_change()

    def feedback(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        actor = self.actor
        dialog = TextDialog(tr("反馈：{0}").format(item.task[:20]), tr("办理情况"), tr("办理情况、完成时间和下步安排"),
                            "feedback", lambda text: self._in_dialog(
                                lambda u: parallel.report_work_item(u, actor, item.id, text)), self, item.feedback)
        if dialog.exec():
            self.window_.after_change()

    def finish(self) -> None:
        item = self.selected_item()
        if item is not None:
            actor = self.actor
            self._run(lambda u: parallel.finish_work_item(u, actor, item.id))


# ----- the dialogs ------------------------------------------------------------------------------------------------

class _FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        fit_when_shown(self)
        self.form = FormGrid()

    def lay_out(self, save_text: str) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(save_cancel_buttons(self, self.save, save_text))

    def save(self) -> None:
        if self.form.check_all():
            finish_save(self, self._save, self.form.show_error)

    def _save(self) -> None:
        raise NotImplementedError


class HandOverDialog(_FormDialog):
    def __init__(self, people: list[responsibility.Candidate], save: Callable[[int, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("移交责任人"), parent)
        self._store = save
        self.person = QComboBox()
        for person in people:
            shown = tr("{0}（{1}）").format(person.name, person.unit_name) if person.unit_name else person.name
            self.person.addItem(shown, person.id)
        self.person.setCurrentIndex(-1)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(tr("例如：工作调整，由其接手跟踪"))
        self.reason.setFixedHeight(80)
        self.form.add("to_user_id", tr("移交给"), self.person, required=True,
                      hint=tr("只列出可以查看本事项的在岗人员"))
        self.form.add("reason", tr("移交原因"), self.reason, required=True)
        self.lay_out(tr("移交"))

    def _save(self) -> None:
        self._store(int(self.person.currentData()), self.reason.toPlainText())


class TextDialog(_FormDialog):
    """One text to write (汇报, 反馈), with its field named as the service names it."""

    def __init__(self, title: str, label: str, placeholder: str, field: str, save: Callable[[str], object],
                 parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(title, parent)
        self._store = save
        self._field = field
        self.text = QPlainTextEdit(text)
        self.text.setPlaceholderText(placeholder)
        self.text.setFixedHeight(120)
        self.form.add(field, label, self.text, required=True)
        self.lay_out(tr("提交"))

    def _save(self) -> None:
        self._store(self.text.toPlainText())


class RhythmDialog(_FormDialog):
    def __init__(self, duty: duties.DutyInfo, save: Callable[[str, int], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("汇报周期：{0}").format(duty.label), parent)
        self._store = save
        self.kind = QComboBox()
        for kind in RHYTHM_KINDS:
            self.kind.addItem(tr(RHYTHM_KIND_LABELS[kind]), kind)
        self.kind.setCurrentIndex(RHYTHM_KINDS.index(duty.rhythm.kind))
        self.every = QSpinBox()
        self.every.setValue(duty.rhythm.every)
        self.unit = QLabel()
        every_row = QWidget()
        row = QHBoxLayout(every_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.every)
        row.addWidget(self.unit)
        row.addStretch(1)
        self.form.add("kind", tr("周期"), self.kind, required=True)
        self.form.add("every", tr("间隔"), every_row, hint=tr("下次汇报从最近一次汇报之日起算"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.lay_out(tr("保存"))

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        self.every.setRange(1, MAX_EVERY[kind])  # type: ignore[index]
        self.unit.setText(tr(RHYTHM_WORDS[kind]))

    def _save(self) -> None:
        self._store(str(self.kind.currentData()), self.every.value())


class HastenDialog(_FormDialog):
    def __init__(self, duty: duties.DutyInfo, save: Callable[[str, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("催报：{0}").format(duty.label), parent)
        self._store = save
        self.method = QComboBox()
        self.method.addItems(list(URGE_METHODS))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(tr("例如：请于周五前报送本周进展"))
        self.note.setFixedHeight(70)
        self.form.add("method", tr("催办方式"), self.method, required=True,
                      hint=tr("催办发给{0}").format(duty.holder_name or duty.holder_label))
        self.form.add("note", tr("说明"), self.note)
        self.lay_out(tr("催报"))

    def _save(self) -> None:
        self._store(self.method.currentText(), self.note.toPlainText())


class SendDialog(_FormDialog):
    """分派 one unit's task; a record may have any number of them, one 主办 a step."""

    def __init__(self, units: list[tuple[str, int]], save: Callable[[parallel.WorkItemInput], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("分派并行事项"), parent)
        self._store = save
        self.unit = QComboBox()
        for name, unit_id in units:
            self.unit.addItem(name, unit_id)
        self.unit.setCurrentIndex(-1)
        self.lead = QCheckBox(tr("主办单位（本环节只能有一个）"))
        self.task = QPlainTextEdit()
        self.task.setPlaceholderText(tr("例如：牵头制定城区停车场建设方案"))
        self.task.setFixedHeight(80)
        self.has_due = QCheckBox(tr("限期办结"))
        self.due = date_edit(QDate.currentDate().addDays(10))
        self.due.setEnabled(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QWidget()
        row = QHBoxLayout(due_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.has_due)
        row.addWidget(self.due)
        row.addStretch(1)
        self.form.add("unit", tr("承办单位"), self.unit, required=True, hint=tr("由该单位的部门联络员反馈"))
        self.form.add("lead", "", self.lead)
        self.form.add("items", tr("办理任务"), self.task, required=True)
        self.form.add("due", tr("办理期限"), due_row)
        self.lay_out(tr("分派"))

    def _save(self) -> None:
        due = to_date(self.due.date()) if self.has_due.isChecked() else None
        self._store(parallel.WorkItemInput(self.task.toPlainText(), unit_id=int(self.unit.currentData()), due=due,
                                           lead=self.lead.isChecked()))


# ----- the hook into a record window --------------------------------------------------------------------------------

def record_window(
    ctx: AppContext, actor: Actor, entity_type: str, entity_id: int | None, instance_id: int | None,
    parent: QWidget | None,
) -> QDialog | None:
    """A record's window: its area's own (the manifest's record_windows), else the generic one of its flow
    instance; None when it has neither (a kind with no window, found without its instance). The 工作台, 关联
    and 综合查询 all open records through this."""
    from app.core.areas import area_of_entity, resolve

    manifest = area_of_entity(entity_type)
    if manifest is not None and entity_id is not None and entity_type in manifest.record_windows:
        dialog: QDialog = resolve(manifest.record_windows[entity_type])(ctx, actor, entity_id, parent)
        return dialog
    if instance_id is None:
        return None
    from app.ui.workbench.record_dialog import RecordDialog

    return RecordDialog(ctx, actor, instance_id, parent)


def open_linked_record(parent: QWidget, ctx: AppContext, actor: Actor, record: links.LinkedRecord) -> bool:
    """Opens the other record in its area's own window where it has one, else the generic one; returns
    whether anything was changed there."""
    dialog = record_window(ctx, actor, record.entity_type, record.entity_id, record.instance_id, parent)
    if dialog is None:
        return False
    dialog.exec()
    return bool(getattr(dialog, "changed", False))


def attach_record_features(window: RecordWindow, instance_id: int) -> RecordFeaturesPanel:
    """Adds 责任与进展 to the window, and opens a linked record on a double-click in 关联."""
    panel = RecordFeaturesPanel(window, instance_id)
    window.add_area_tab(panel, "users", tr("责任与进展"))

    def open_row(row: int, _column: int) -> None:
        found = panel.features.links.records if panel.features is not None else []
        if 0 <= row < len(found) and open_linked_record(window, window.ctx, window.actor, found[row]):
            window.after_change()

    window.related.table.cellDoubleClicked.connect(open_row)
    window.related.table.setToolTip(tr("双击打开关联的事项"))
    return panel


__all__ = ["RecordFeaturesPanel", "attach_record_features", "open_linked_record", "read_features", "record_window"]
