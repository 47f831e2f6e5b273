"""分发组: the groups of units that every unit picker offers (全部乡镇, 全部县直部门 …), and their units.

The groups on the left; the ticked units of the chosen group on the right, the units listed by kind so a
whole kind is easy to tick. 保存单位 writes the ticks; new, rename and delete act at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.services.admin import unit_groups
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import db_change, db_read
from app.ui.widgets.messages import confirm, inform
from app.ui.widgets.qt_helpers import add_icon_buttons, checkable_item


class UnitGroupsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.groups: list[unit_groups.UnitGroupInfo] = []
        self.units: list[admin.UnitInfo] = []
        self.group_list = QListWidget()
        self.group_list.currentRowChanged.connect(lambda _row: self._show_members())
        self.unit_list = QListWidget()
        self.members_caption = QLabel()
        self.members_caption.setStyleSheet("font-weight: bold;")
        self.save_button = QPushButton(action_icon("save", "white"), tr('保存单位'))
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save_members)

        buttons = QHBoxLayout()
        add_icon_buttons(buttons, (
            (tr('新建分发组'), "new", self.new_group),
            (tr('重命名'), "edit", self.rename),
            (tr('删除'), "delete", self.delete),
        ))
        buttons.addStretch(1)
        hint = QLabel(tr('在发文分发、会签和批办协办中选单位时，可以选一个分发组，一次勾选组内的全部单位。'))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(tr('分发组')))
        left_layout.addWidget(self.group_list, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.members_caption)
        right_layout.addWidget(self.unit_list, 1)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right_layout.addLayout(save_row)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)

    def refresh(self, keep: int | None = None) -> None:
        def load() -> tuple[list[unit_groups.UnitGroupInfo], list[admin.UnitInfo]]:
            with self.ctx.uow() as uow:
                return unit_groups.list_unit_groups(uow, self.actor), admin.list_units(uow, self.actor)

        loaded = db_read(self, load)
        if loaded is None:
            return
        chosen = keep if keep is not None else self._chosen_id()
        self.groups, self.units = loaded
        self.group_list.blockSignals(True)
        self.group_list.clear()
        for group in self.groups:
            item = QListWidgetItem(tr('{0}（{1}个单位）').format(group.name, len(group.unit_ids)))
            item.setData(Qt.ItemDataRole.UserRole, group.id)
            self.group_list.addItem(item)
        self.group_list.blockSignals(False)
        row = next((i for i, g in enumerate(self.groups) if g.id == chosen), 0 if self.groups else -1)
        self.group_list.setCurrentRow(row)
        self._show_members()

    def _chosen_id(self) -> int | None:
        item = self.group_list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _chosen(self) -> unit_groups.UnitGroupInfo | None:
        wanted = self._chosen_id()
        group = next((g for g in self.groups if g.id == wanted), None)
        if group is None:
            inform(self, tr('请选择分发组'), tr('请先在左边的列表中选中一个分发组'))
        return group

    def _show_members(self) -> None:
        wanted = self._chosen_id()
        group = next((g for g in self.groups if g.id == wanted), None)
        self.unit_list.clear()
        self.save_button.setEnabled(group is not None)
        if group is None:
            self.members_caption.setText(tr('还没有分发组。点“新建分发组”，例如“全部乡镇”。') if not self.groups else "")
            return
        self.members_caption.setText(tr('“{0}”包含的单位（勾选后点“保存单位”）').format(group.name))
        members = set(group.unit_ids)
        for unit in sorted(self.units, key=lambda u: (u.kind_label, u.sort_order, u.name)):
            self.unit_list.addItem(checkable_item(tr('{0}　{1}').format(unit.name, unit.kind_label), unit.id,
                                                  unit.id in members))

    def _ticked(self) -> list[int]:
        return [
            int(self.unit_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.unit_list.count())
            if self.unit_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def new_group(self) -> None:
        name, ok = QInputDialog.getText(self, tr('新建分发组'), tr('分发组名称（例如：全部乡镇）：'))
        if not ok:
            return
        made: list[int] = []

        def work() -> None:
            with self.ctx.uow() as uow:
                made.append(unit_groups.create_group(uow, self.actor, name).id)

        if db_change(self, work):
            self.refresh(keep=made[0])

    def rename(self) -> None:
        group = self._chosen()
        if group is None:
            return
        name, ok = QInputDialog.getText(self, tr('重命名分发组'), tr('新的名称：'), text=group.name)
        if ok and db_change(self, lambda: self._in_uow(lambda uow: unit_groups.rename_group(uow, self.actor, group.id, name))):
            self.refresh(keep=group.id)

    def delete(self) -> None:
        group = self._chosen()
        if group is None:
            return
        if not confirm(self, tr('删除分发组'), tr('确定删除分发组“{0}”吗？组内的单位不受影响。').format(group.name), tr('删除')):
            return
        if db_change(self, lambda: self._in_uow(lambda uow: unit_groups.delete_group(uow, self.actor, group.id))):
            self.refresh()

    def save_members(self) -> None:
        group = self._chosen()
        if group is None:
            return
        ticked = self._ticked()
        if db_change(self, lambda: self._in_uow(lambda uow: unit_groups.set_members(uow, self.actor, group.id, ticked))):
            self.refresh(keep=group.id)

    def _in_uow(self, work: Callable[[UnitOfWork], object]) -> None:
        with self.ctx.uow() as uow:
            work(uow)
