"""信息组: the writing groups with their leading 主任 or 副主任 and their members, for everyone; for the director and
the administrator, 建立默认8个信息组 while there are none, 新建信息组… and 修改… (app.ui.information.dialogs.
GroupDialog). Under the table, the quotas and the adoption points in force, read-only: the administrator changes
them in 系统管理 → 系统设置."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ValidationError
from app.core.information.points import LEVELS
from app.services.information import groups
from app.services.information.groups import GroupInfo, Person, Quotas
from app.services.information.records import GROUP_ADMIN_ROLES
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.information.dialogs import GroupDialog
from app.ui.prefs import Prefs
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import fill_table, plain_table
from app.ui.widgets.messages import show_error
from app.ui.widgets.qt_helpers import empty_state_label


@dataclass(frozen=True)
class GroupsView:
    groups: list[GroupInfo]
    quotas: Quotas
    points: dict[str, int]


class GroupsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        self.admin = actor.has(*GROUP_ADMIN_ROLES)
        self.view: GroupsView | None = None
        heading = QLabel(tr("信息组"))
        heading.setObjectName("pageTitle")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        self.defaults_button = QPushButton(action_icon("new", "white"), tr("建立默认8个信息组"))
        self.defaults_button.setObjectName("primary")
        self.defaults_button.setToolTip(tr("建立第一信息组至第八信息组，再逐个指定分管领导和组员"))
        self.defaults_button.clicked.connect(self.create_defaults)
        self.new_button = QPushButton(action_icon("new"), tr("新建信息组…"))
        self.new_button.clicked.connect(lambda: self.edit_group(None))
        self.edit_button = QPushButton(action_icon("edit"), tr("修改…"))
        self.edit_button.setToolTip(tr("修改选中信息组的名称、分管领导和组员（也可双击该行）"))
        self.edit_button.clicked.connect(self.edit_selected)
        for button in (self.defaults_button, self.new_button, self.edit_button):
            top.addWidget(button)
            button.setVisible(self.admin)
        self.table = plain_table()
        self.table.setWordWrap(True)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.edit_row(row))
        self.empty = empty_state_label(
            tr("还没有设置信息组。\n点“建立默认8个信息组”，再逐个指定分管领导和组员。") if self.admin
            else tr("还没有设置信息组，请办公室主任设置。"))
        self.settings = QLabel()
        self.settings.setWordWrap(True)
        note = QLabel(tr("任务数和计分标准由系统管理员在“系统管理 → 系统设置”中修改；"
                         "已登记的采用按登记时的标准计分。"))
        note.setObjectName("hint")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.settings)
        layout.addWidget(note)
        self.empty.hide()

    # ----- reading ---------------------------------------------------------------------------------------------
    def _read(self) -> GroupsView:
        ctx, actor = self.ctx, self.actor
        with ctx.uow() as uow:
            return GroupsView(groups.list_groups(uow, actor, include_inactive=self.admin), groups.quotas(uow),
                              groups.points_table(uow))

    def refresh(self) -> None:
        try:
            view = db_call(self, self._read)
        except GovDeskError as error:
            show_error(self, error, tr("无法读取信息组"))
            return
        self.view = view
        fill_table(self.table, [tr("信息组"), tr("分管领导"), tr("人数"), tr("状态"), tr("组员")], [
            [g.name, g.leader_name or tr("未指定"), str(len(g.members)), tr("启用") if g.active else tr("停用"),
             g.member_names or tr("（暂无组员）")]
            for g in view.groups])
        # The members take the rest of the width, wrapped when a group is large.
        header = self.table.horizontalHeader()
        if self.table.columnCount() == 5:
            header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        none = not view.groups
        self.table.setVisible(not none)
        self.empty.setVisible(none)
        self.defaults_button.setVisible(self.admin and none)
        self.edit_button.setVisible(self.admin and not none)
        points = tr("、").join(tr("{0}{1}分").format(level, view.points.get(level, 0)) for level in LEVELS)
        self.settings.setText(tr("现行任务：每个信息组每周报送政务信息{0}篇，每半年报送调研文章{1}篇。\n"
                                 "上级采用计分：{2}（每采用一次）。").format(
            view.quotas.items_per_week, view.quotas.articles_per_half_year, points))

    # ----- changing ------------------------------------------------------------------------------------------
    def create_defaults(self) -> None:
        actor = self.actor

        def work() -> list[GroupInfo]:
            with self.ctx.uow() as uow:
                return groups.create_default_groups(uow, actor)

        try:
            db_call(self, work, saving=True)
        except GovDeskError as error:
            show_error(self, error)
        self.refresh()

    def edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            show_error(self, ValidationError(tr("请先在表中选中要修改的信息组")))
            return
        self.edit_row(rows[0].row())

    def edit_row(self, row: int) -> None:
        if self.admin and self.view is not None and 0 <= row < len(self.view.groups):
            self.edit_group(self.view.groups[row])

    def _people(self) -> list[Person]:
        with self.ctx.uow() as uow:
            return groups.group_people(uow, self.actor)

    def group_dialog(self, group: GroupInfo | None) -> GroupDialog | None:
        """The editor for one group (None: a new one), with its work set; None when the people cannot be read."""
        try:
            people = db_call(self, self._people)
        except GovDeskError as error:
            show_error(self, error)
            return None
        names = {g.id: g.name for g in self.view.groups} if self.view is not None else {}
        dialog = GroupDialog(group, people, names, self)
        actor = self.actor
        group_id = group.id if group is not None else None
        version = group.version if group is not None else None

        def save() -> GroupInfo:
            with self.ctx.uow() as uow:
                return groups.save_group(uow, actor, group_id, name=dialog.name.text(), leader_id=dialog.leader_id(),
                                         member_ids=dialog.member_ids(), active=dialog.active.isChecked(),
                                         expected_version=version)

        dialog.work = lambda: db_call(dialog, save, saving=True)
        return dialog

    def edit_group(self, group: GroupInfo | None) -> None:
        dialog = self.group_dialog(group)
        if dialog is None:
            return
        dialog.exec()
        # Saved, or someone else's change found (重新载入): the table shows the groups as they are now.
        self.refresh()


__all__ = ["GroupsTab"]
