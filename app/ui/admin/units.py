"""The units tree: 乡镇, 县政府部门, 办公室内设股室, with their heads."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.models.org import UNIT_KINDS
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call, db_change, db_read
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import confirm, inform
from app.ui.widgets.qt_helpers import add_icon_buttons
from app.ui.widgets.screen import fit_when_shown


class UnitDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        unit: admin.UnitInfo | None,
        units: list[admin.UnitInfo],
        users: list[admin.UserInfo],
        parent_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.unit = ctx, actor, unit
        self.setWindowTitle(tr('修改单位') if unit else tr('新建单位'))
        self.setMinimumWidth(480)
        fit_when_shown(self)
        self.name = QLineEdit(unit.name if unit else "")
        self.short_name = QLineEdit(unit.short_name if unit else "")
        self.kind = QComboBox()
        for key, label in UNIT_KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(unit.kind if unit else "department")))
        self.parent_unit = QComboBox()
        self.parent_unit.addItem(tr('（无，顶层单位）'), None)
        for other in units:
            if unit is None or other.id != unit.id:
                self.parent_unit.addItem(other.name, other.id)
        wanted_parent = unit.parent_id if unit else parent_id
        self.parent_unit.setCurrentIndex(max(0, self.parent_unit.findData(wanted_parent)))
        self.head = QComboBox()
        self.head.addItem(tr('（未指定）'), None)
        for user in users:
            self.head.addItem(tr('{0}（{1}）').format(user.full_name, user.username), user.id)
        if unit and unit.head_user_id:
            self.head.setCurrentIndex(max(0, self.head.findData(unit.head_user_id)))
        self.order = QSpinBox()
        self.order.setRange(0, 9999)
        self.order.setValue(unit.sort_order if unit else 0)
        self.form = FormGrid()
        self.form.add("name", tr('单位名称'), self.name, required=True)
        self.form.add("short_name", tr('简称'), self.short_name)
        self.form.add("kind", tr('类别'), self.kind, required=True)
        self.form.add("parent_id", tr('上级单位'), self.parent_unit)
        self.form.add("head_user_id", tr('负责人'), self.head, hint=tr('报销单的部门审核由负责人办理'))
        self.form.add("sort_order", tr('排序'), self.order)
        self.lay_out(self.form)

    def _save(self) -> None:
        unit, name, kind, short_name = self.unit, self.name.text(), self.kind.currentData(), self.short_name.text()
        parent_id, head_id, order = self.parent_unit.currentData(), self.head.currentData(), self.order.value()

        def store() -> None:
            with self.ctx.uow() as uow:
                if unit is None:
                    admin.create_unit(uow, self.actor, name=name, kind=kind, short_name=short_name,
                                      parent_id=parent_id, sort_order=order, head_user_id=head_id)
                else:
                    admin.update_unit(
                        uow, self.actor, unit.id, expected_version=unit.version, name=name, kind=kind,
                        short_name=short_name, parent_id=parent_id, clear_parent=parent_id is None,
                        head_user_id=head_id, sort_order=order,
                    )

        db_call(self, store, saving=True)


class UnitsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.units: list[admin.UnitInfo] = []
        self.users: list[admin.UserInfo] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr('单位'), tr('类别'), tr('负责人')])
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(1, 140)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.edit(item))
        buttons = QHBoxLayout()
        add_icon_buttons(buttons, (
            (tr('新建单位'), "new", self.new_unit),
            (tr('新建下级单位'), "units", self.new_child),
            (tr('修改'), "edit", lambda: self.edit(self.tree.currentItem())),
            (tr('删除'), "delete", self.delete),
        ))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)

    def refresh(self) -> None:
        def load() -> tuple[list[admin.UnitInfo], list[admin.UserInfo]]:
            with self.ctx.uow() as uow:
                return (admin.list_units(uow, self.actor, include_inactive=True),
                        admin.list_users(uow, self.actor, include_inactive=False))

        loaded = db_read(self, load)
        if loaded is None:
            return
        self.units, self.users = loaded
        names = {u.id: u.full_name for u in self.users}
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for unit in self.units:
            item = QTreeWidgetItem([unit.name + (tr('（已停用）') if not unit.active else ""), unit.kind_label,
                                    names.get(unit.head_user_id or 0, "")])
            item.setData(0, Qt.ItemDataRole.UserRole, unit.id)
            items[unit.id] = item
        for unit in self.units:
            parent = items.get(unit.parent_id or 0)
            (parent.addChild if parent else self.tree.addTopLevelItem)(items[unit.id])
        self.tree.expandAll()
        if not self.units:
            placeholder = QTreeWidgetItem([tr('还没有单位。点“新建单位”添加乡镇、县政府部门和办公室内设股室。')])
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(placeholder)

    def _unit(self, item: QTreeWidgetItem | None) -> admin.UnitInfo | None:
        if item is None or item.data(0, Qt.ItemDataRole.UserRole) is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((u for u in self.units if u.id == wanted), None)

    def _chosen(self, item: QTreeWidgetItem | None, missing: str | None = None) -> admin.UnitInfo | None:
        """The unit of item; None, with `missing` (or 请先在列表中选中一个单位) said, when no unit is chosen."""
        unit = self._unit(item)
        if unit is None:
            inform(self, tr('请选择单位'), missing or tr('请先在列表中选中一个单位'))
        return unit

    def new_unit(self, parent_id: int | None = None) -> None:
        if UnitDialog(self.ctx, self.actor, None, self.units, self.users, parent_id, self).exec():
            self.refresh()

    def new_child(self) -> None:
        unit = self._chosen(self.tree.currentItem(), tr('请先选中上级单位'))
        if unit is not None:
            self.new_unit(unit.id)

    def edit(self, item: QTreeWidgetItem | None) -> None:
        unit = self._chosen(item)
        if unit is None:
            return
        if UnitDialog(self.ctx, self.actor, unit, self.units, self.users, None, self).exec():
            self.refresh()

    def delete(self) -> None:
        unit = self._chosen(self.tree.currentItem())
        if unit is None:
            return
        if not confirm(self, tr('删除单位'), tr('确定删除“{0}”吗？').format(unit.name), tr('删除')):
            return
        def remove() -> None:
            with self.ctx.uow() as uow:
                admin.delete_unit(uow, self.actor, unit.id)

        if db_change(self, remove):
            self.refresh()
