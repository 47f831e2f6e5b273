"""会议室管理: the office's rooms (those out of use too), and a form to add one or change the one chosen: its
name, where it is, how many it seats, and whether it can still be booked. A room out of use keeps the meetings
already held in it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.kernel.actor import Actor
from app.services.meetings import records
from app.services.meetings.records import RoomInfo
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.display import fill_table, plain_table
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error
from app.ui.widgets.screen import fit_to_screen


class RoomsDialog(QDialog):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.changed = False
        self.rooms: list[RoomInfo] = []
        # The room the form is changing; None while it adds a new one.
        self.editing: RoomInfo | None = None
        self.setWindowTitle(tr("会议室管理"))
        fit_to_screen(self, (760, 560), (600, 440))

        self.table = plain_table()
        self.table.itemSelectionChanged.connect(self._chosen)
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.name.setPlaceholderText(tr("如：第一会议室"))
        self.location = QLineEdit()
        self.location.setMaxLength(100)
        self.location.setPlaceholderText(tr("如：县政府办公楼三楼"))
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 2000)
        self.capacity.setSpecialValueText(tr("未填"))
        self.capacity.setSuffix(tr(" 人"))
        self.active = QCheckBox(tr("可以预订"))
        self.active.setChecked(True)
        self.form = FormGrid(pairs=True)
        self.form.add("name", tr("名称"), self.name, required=True)
        self.form.add("location", tr("位置"), self.location)
        self.form.add("capacity", tr("容纳人数"), self.capacity)
        self.form.add("active", tr("状态"), self.active)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.new_button = QPushButton(action_icon("new"), tr("新增会议室"))
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(action_icon("save", "white"), tr("保存"))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        form_row = QHBoxLayout()
        form_row.addWidget(self.heading, 1)
        form_row.addWidget(self.new_button)
        form_row.addWidget(self.save_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        close.rejected.connect(self.reject)
        hint = QLabel(tr("停用的会议室不能再预订，已有的会议仍保留在原会议室。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(form_row)
        layout.addLayout(self.form)
        layout.addWidget(close)
        self.load()
        self.start_new()

    def load(self, keep: int | None = None) -> None:
        try:
            self.rooms = db_call(self, as_user(self.ctx, self.actor, records.list_rooms, include_inactive=True))
        except GovDeskError as error:
            show_error(self, error)
            return
        self.table.blockSignals(True)
        fill_table(self.table, [tr("名称"), tr("位置"), tr("容纳人数"), tr("状态")], [
            [r.name, r.location or "—", str(r.capacity) if r.capacity else "—", tr("可预订") if r.active else tr("已停用")]
            for r in self.rooms])
        header = self.table.horizontalHeader()
        for column in range(3):
            # Widened to the text at every text size, not only the one the list was first filled at.
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.blockSignals(False)
        if keep is not None:
            row = next((i for i, r in enumerate(self.rooms) if r.id == keep), None)
            if row is not None:
                self.table.selectRow(row)

    def _chosen(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return
        room = self.rooms[rows.pop()]
        self.editing = room
        self.heading.setText(tr("修改会议室：{0}").format(room.name))
        self.name.setText(room.name)
        self.location.setText(room.location)
        self.capacity.setValue(room.capacity)
        self.active.setChecked(room.active)
        self.form.clear_errors()

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.heading.setText(tr("新增会议室"))
        self.name.clear()
        self.location.clear()
        self.capacity.setValue(0)
        self.active.setChecked(True)
        self.form.clear_errors()

    def save(self) -> bool:
        if not self.form.check_all():
            return False
        editing, actor = self.editing, self.actor
        name, location, capacity, active = (self.name.text(), self.location.text(), self.capacity.value(),
                                            self.active.isChecked())
        saved: list[RoomInfo] = []

        def work() -> None:
            call = as_user(self.ctx, actor, records.save_room, editing.id if editing else None, name=name,
                           location=location, capacity=capacity, active=active,
                           expected_version=editing.version if editing else None)
            saved.append(db_call(self, call, saving=True))

        done = _run(self, work, self.form)
        if done and saved:
            self.changed = True
            self.load(keep=saved[0].id)
            self.editing = next((r for r in self.rooms if r.id == saved[0].id), None)
            if self.editing is not None:
                self.heading.setText(tr("修改会议室：{0}").format(self.editing.name))
        return done


def _run(dialog: RoomsDialog, work: Callable[[], None], form: FormGrid) -> bool:
    """As app.ui.widgets.editing.finish_save, refusals beside their fields, but the dialog stays open after a
    success: the next room may be added at once."""
    from app.core.errors import ConflictError, ValidationError
    from app.ui.widgets.conflict import ConflictDialog

    try:
        work()
    except ValidationError as error:
        form.show_error(error)
        return False
    except ConflictError as error:
        ConflictDialog.ask(dialog, error.message)
        dialog.load()
        return False
    except GovDeskError as error:
        show_error(dialog, error)
        return False
    return True


__all__ = ["RoomsDialog"]
