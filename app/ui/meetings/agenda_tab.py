"""议题: the topics units propose for the meeting, each with its state as a chip; a unit (its 联络员 too) proposes
one with its materials, the office reviews it (审定上会 or 不予上会), and the approved ones are put in the order the
meeting takes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.core.meetings import agenda as rules
from app.services.kernel.actor import Actor
from app.services.kernel.attachments import AttachmentInfo
from app.services.meetings import agenda, records
from app.services.meetings.agenda import TopicInfo, TopicInput
from app.ui.i18n import tr
from app.ui.meetings.tab_base import RowsTab, chip_cell, fill_rows, text_cell
from app.ui.theme import ACCENT, MUTED, OK, SOON, URGENT
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.messages import confirm
from app.ui.widgets.qt_helpers import icon_button
from app.ui.widgets.step_dialog import StepDialog
from app.ui.widgets.units import read_units

# A topic's state as its chip's colour (app.core.meetings.agenda has the states).
STATE_COLOURS: dict[str, str] = {
    rules.PROPOSED: SOON, rules.REVIEWED: ACCENT, rules.APPROVED: OK, rules.REJECTED: URGENT, rules.WITHDRAWN: MUTED,
}
APPROVED = frozenset({rules.APPROVED})
# A topic's materials are read when it is proposed; one this large would not pass the attachment limit anyway.
MAX_READ_BYTES = 200 * 1024 * 1024


class AgendaTab(RowsTab):
    def __init__(self, ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, meeting_id, parent)
        self.topics: list[TopicInfo] = []
        self.meeting_type = ""
        organizer = actor.has(*records.ORGANIZERS)
        self.propose_button = icon_button("new", tr("申报议题…"), self.propose)
        self.edit_button = icon_button("edit", tr("修改…"), self.edit)
        self.withdraw_button = icon_button("delete", tr("撤回"), self.withdraw)
        self.review_button = icon_button("verify", tr("审核…"), self.review)
        self.materials_button = icon_button("read", tr("材料…"), self.materials)
        self.up_button = QPushButton(tr("上移"))
        self.up_button.clicked.connect(lambda: self.move_by(-1))
        self.down_button = QPushButton(tr("下移"))
        self.down_button.clicked.connect(lambda: self.move_by(1))
        for button in (self.review_button, self.up_button, self.down_button):
            # Reviewing and ordering are the office's; the services refuse anyone else anyway.
            button.setVisible(organizer)
        self.up_button.setToolTip(tr("审定上会的议题按会议讨论的先后排序"))
        self.down_button.setToolTip(self.up_button.toolTip())
        row = QHBoxLayout()
        for button in (self.propose_button, self.edit_button, self.withdraw_button, self.materials_button):
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.review_button, self.up_button, self.down_button):
            row.addWidget(button)
        self.lay_out(row, tr("还没有议题。各单位可点“申报议题…”提出需要会议研究的事项。"))
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.edit())
        self._enable()

    def _reading(self) -> Callable[[], object]:
        return as_user(self.ctx, self.actor, agenda.agenda_of, self.meeting_id)

    def _show(self, found: object) -> None:
        assert isinstance(found, agenda.AgendaView)
        chosen = self.current()
        self.meeting_type = found.meeting_type
        self.topics = self.rows = list(found.topics)
        rows = []
        place = 0
        for topic in self.topics:
            approved = topic.state in APPROVED
            place += approved
            rows.append([
                text_cell(str(place) if approved else "—", topic.id),
                text_cell(topic.title),
                text_cell(topic.unit_name or "—"),
                text_cell(topic.reporter or "—"),
                chip_cell(topic.state_label, STATE_COLOURS.get(topic.state, ACCENT)),
                text_cell(topic.review_note or "", colour=MUTED),
                text_cell(topic.proposed_by_name or ""),
            ])
        fill_rows(self.table, [tr("上会顺序"), tr("议题"), tr("申报单位"), tr("汇报人"), tr("状态"), tr("审核意见"),
                               tr("申报人")], rows, stretch=1)
        approved_count = sum(1 for t in self.topics if t.state in APPROVED)
        self.summary.setText(tr("共 {0} 个议题，审定上会 {1} 个。").format(len(self.topics), approved_count)
                             if self.topics else "")
        self.show_rows(chosen.id if chosen is not None else None)

    def current(self) -> TopicInfo | None:
        found: TopicInfo | None = self.chosen()
        return found

    def _enable(self) -> None:
        topic = self.current()
        for button in (self.edit_button, self.withdraw_button, self.review_button, self.materials_button):
            button.setEnabled(topic is not None)
        if topic is not None:
            self.edit_button.setEnabled(topic.state in (rules.PROPOSED, rules.REVIEWED))
            self.withdraw_button.setEnabled(topic.state == rules.PROPOSED)
            self.review_button.setEnabled(topic.state in (rules.PROPOSED, rules.REVIEWED))
        movable = topic is not None and topic.state in APPROVED
        self.up_button.setEnabled(movable)
        self.down_button.setEnabled(movable)

    # ----- acts -------------------------------------------------------------------------------------------------
    def propose(self) -> None:
        dialog = TopicDialog(self, self.ctx, self.actor, None)
        if self._run(dialog, self.meeting_id):
            self.after_change()

    def edit(self) -> None:
        topic = self.current()
        if topic is None:
            return
        dialog = TopicDialog(self, self.ctx, self.actor, topic)
        if self._run(dialog, topic.id):
            self.after_change()

    def _run(self, dialog: TopicDialog, record_id: int) -> bool:
        """The dialog's save is the service call: the meeting's new topic, or the topic's change."""
        ctx, actor, topic = self.ctx, self.actor, dialog.topic

        def work() -> object:
            data, files = dialog.data(), dialog.files()
            if topic is None:
                return as_user(ctx, actor, agenda.propose_topic, record_id, data, files=files)()
            return as_user(ctx, actor, agenda.update_topic, record_id, data, expected_version=topic.version)()

        dialog.work = lambda: db_call(dialog, work, saving=True)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def withdraw(self) -> None:
        topic = self.current()
        if topic is None:
            return
        if confirm(self, tr("撤回议题"), tr("撤回议题“{0}”？撤回后不再提交会议研究。").format(topic.title), tr("撤回")):
            self.act(agenda.withdraw_topic, topic.id, expected_version=topic.version)

    def review(self) -> None:
        topic = self.current()
        if topic is None:
            return
        dialog = ReviewDialog(self, topic, self.meeting_type)
        ctx, actor = self.ctx, self.actor

        def work() -> object:
            approve, note = dialog.approve(), dialog.note.toPlainText()
            return as_user(ctx, actor, agenda.review_topic, topic.id, approve, note,
                           expected_version=topic.version)()

        dialog.work = lambda: db_call(dialog, work, saving=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def move_by(self, step: int) -> None:
        topic = self.current()
        if topic is None or topic.state not in APPROVED:
            return
        order = [t.id for t in self.topics if t.state in APPROVED]
        at = order.index(topic.id)
        to = at + step
        if not 0 <= to < len(order):
            return
        order[at], order[to] = order[to], order[at]
        if self.act(agenda.order_topics, self.meeting_id, order):
            self.select(topic.id)

    def materials(self) -> None:
        topic = self.current()
        if topic is not None:
            MaterialsDialog(self, topic).exec()
            self.reload()


class TopicDialog(StepDialog):
    """申报议题 (with its materials) or change one: the title, what it asks the meeting, who reports, the unit."""

    def __init__(self, parent: QWidget, ctx: AppContext, actor: Actor, topic: TopicInfo | None) -> None:
        super().__init__(tr("修改议题") if topic else tr("申报议题"),
                         tr("议题经办公室审核、审定后列入会议议程。"), tr("保存") if topic else tr("申报"), parent,
                         min_width=600)
        self.topic = topic
        units = read_units(parent, ctx, actor)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(tr("如：研究审议《县城区停车设施建设三年行动方案》"))
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setPlaceholderText(tr("需要会议研究的问题、拟办意见和依据"))
        self.summary_edit.setMinimumHeight(110)
        self.reporter = QLineEdit()
        self.reporter.setPlaceholderText(tr("如：县财政局局长 钱某某"))
        self.unit = QComboBox()
        self.unit.addItem(tr("请选择申报单位"), None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        own = self.unit.findData(topic.unit_id if topic else actor.unit_id)
        if own >= 0:
            self.unit.setCurrentIndex(own)
        self.form.add("title", tr("议题名称"), self.title_edit, required=True)
        self.form.add("summary", tr("议题内容"), self.summary_edit)
        self.form.add("reporter", tr("汇报人"), self.reporter)
        self.form.add("unit_id", tr("申报单位"), self.unit, required=True)
        self.paths: list[Path] = []
        self.file_list = QListWidget()
        if topic is None:
            self.file_list.setFixedHeight(80)
            add = QPushButton(tr("添加材料…"))
            add.clicked.connect(self.add_files)
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(self.file_list)
            column.addWidget(add)
            self.form.add("files", tr("会议材料"), box, hint=tr("汇报材料、方案草稿等，可不附"))
        else:
            self.title_edit.setText(topic.title)
            self.summary_edit.setPlainText(topic.summary)
            self.reporter.setText(topic.reporter)

    def add_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(self, tr("选择会议材料"), str(Path.home()), tr("所有文件 (*)"))
        for name in names:
            self.add_path(Path(name))

    def add_path(self, path: Path) -> None:
        if path not in self.paths:
            self.paths.append(path)
            self.file_list.addItem(path.name)

    def data(self) -> TopicInput:
        unit = self.unit.currentData()
        return TopicInput(title=self.title_edit.text(), summary=self.summary_edit.toPlainText(),
                          reporter=self.reporter.text(), unit_id=unit)

    def files(self) -> list[tuple[str, bytes]]:
        found: list[tuple[str, bytes]] = []
        for path in self.paths:
            try:
                if path.stat().st_size > MAX_READ_BYTES:
                    raise ValidationError(tr("“{0}”太大，请压缩后再添加").format(path.name), field="files")
                found.append((path.name, path.read_bytes()))
            except OSError:
                raise ValidationError(tr("无法读取“{0}”，请确认文件还在、没有被其他程序占用").format(path.name),
                                      field="files") from None
        return found


class ReviewDialog(StepDialog):
    """审核议题: on (办公室审核 of a 常务会议's topic, then 审定上会 by the office's leaders; 审定上会 at once for
    other meetings) or 不予上会, with the office's note (the reason, where it is not taken)."""

    def __init__(self, parent: QWidget, topic: TopicInfo, meeting_type: str) -> None:
        leaders = rules.needs_office_leader(meeting_type, topic.state)
        super().__init__(tr("审定议题") if leaders else tr("审核议题"),
                         tr("议题：{0}（{1}），{2}").format(topic.title, topic.unit_name or "—", topic.state_label),
                         tr("确定"), parent, min_width=520)
        onward = rules.review_target(meeting_type, topic.state, True) if topic.state in (
            rules.PROPOSED, rules.REVIEWED) else rules.APPROVED
        self.choice = QComboBox()
        self.choice.addItem(tr("审定上会") if onward == rules.APPROVED else tr("审核通过，报主任审定"), True)
        self.choice.addItem(tr("不予上会"), False)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(tr("不予上会的，请写明理由；也可写明修改意见"))
        self.note.setFixedHeight(90)
        self.form.add("approve", tr("审核结果"), self.choice, required=True)
        self.form.add("note", tr("审核意见"), self.note)

    def approve(self) -> bool:
        return bool(self.choice.currentData())


class MaterialsDialog(QDialog):
    """A topic's materials: opened in the system's viewer, added and removed (the services say who may, when)."""

    def __init__(self, parent: RowsTab, topic: TopicInfo) -> None:
        super().__init__(parent)
        self.tab, self.topic = parent, topic
        self.setWindowTitle(tr("议题材料"))
        self.setMinimumWidth(520)
        self.found: list[AttachmentInfo] = []
        self.file_list = QListWidget()
        self.file_list.itemDoubleClicked.connect(lambda _item: self.open_file())
        buttons = QHBoxLayout()
        for text, slot in ((tr("打开"), self.open_file), (tr("添加…"), self.add), (tr("移除"), self.remove)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        intro = QLabel(tr("议题：{0}").format(topic.title))
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.file_list, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        found = self.tab.call(agenda.materials_of, self.topic.id)
        if found is None:
            return
        self.found = list(found)
        self.file_list.clear()
        for info in self.found:
            self.file_list.addItem(tr("{0}（{1} KB）").format(info.filename, max(1, info.size // 1024)))
        if not self.found:
            self.file_list.addItem(tr("（还没有材料）"))

    def chosen(self) -> AttachmentInfo | None:
        row = self.file_list.currentRow()
        return self.found[row] if 0 <= row < len(self.found) else None

    def open_file(self) -> None:
        info = self.chosen()
        if info is None:
            return
        got = self.tab.call(agenda.download_material, info.id)
        if got is not None:
            from app.ui.widgets.qt_helpers import open_in_viewer

            open_in_viewer(self, got[0].filename, got[1])

    def add(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(self, tr("选择会议材料"), str(Path.home()), tr("所有文件 (*)"))
        self.add_paths([Path(name) for name in names])

    def add_paths(self, paths: list[Path]) -> None:
        from app.ui.widgets.messages import show_error

        for path in paths:
            try:
                data = path.read_bytes()
            except OSError:
                show_error(self, ValidationError(tr("无法读取“{0}”，请确认文件还在、没有被其他程序占用").format(path.name)))
                continue
            if self.tab.call(agenda.add_material, self.topic.id, path.name, data) is None:
                break
        self.refresh()

    def remove(self) -> None:
        info = self.chosen()
        if info is not None:
            self.tab.call(agenda.remove_material, self.topic.id, info.id)
            self.refresh()
