"""The units a form or a filter offers to choose from, read as the user through db_call; and the 分发组
(app.services.admin.unit_groups) that tick a whole group of them at once in any list of units."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidget, QWidget

from app.bootstrap import AppContext
from app.services.admin import unit_groups
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call


def read_units(parent: QWidget | None, ctx: AppContext, actor: Actor) -> list[admin.UnitInfo]:
    """The active units (admin.list_units); the wait, if any, is shown over parent, which may be the window
    that opens a dialog not shown yet."""

    def load() -> list[admin.UnitInfo]:
        with ctx.uow() as uow:
            return admin.list_units(uow, actor)

    return db_call(parent, load)


def read_units_and_groups(
    parent: QWidget | None, ctx: AppContext, actor: Actor
) -> tuple[list[admin.UnitInfo], list[unit_groups.UnitGroupInfo]]:
    """The active units and the 分发组, in one unit of work."""

    def load() -> tuple[list[admin.UnitInfo], list[unit_groups.UnitGroupInfo]]:
        with ctx.uow() as uow:
            return admin.list_units(uow, actor), unit_groups.list_unit_groups(uow, actor)

    return db_call(parent, load)


class GroupPicker(QComboBox):
    """按分发组勾选…: picking a group ticks every unit of it that the list offers (a unit a list does not
    offer, such as a 会签 list's 股室, is left out). What was ticked before stays ticked."""

    def __init__(self, target: QListWidget, groups: Sequence[unit_groups.UnitGroupInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.addItem(tr("按分发组勾选…"))
        offered = {target.item(row).data(Qt.ItemDataRole.UserRole) for row in range(target.count())}
        for group in groups:
            here = [u for u in group.unit_ids if u in offered]
            if here:
                self.addItem(tr("{0}（{1}个单位）").format(group.name, len(here)), list(here))
        self.setToolTip(tr("选一个分发组，一次勾选组内的全部单位；分发组由系统管理员在“系统管理 → 分发组”中维护"))
        self.activated.connect(self._pick)
        # Whether some group holds a unit of this list: a caller adds the picker only then.
        self.offers_groups = self.count() > 1

    def _pick(self, index: int) -> None:
        members = self.itemData(index)
        self.setCurrentIndex(0)
        if not members:
            return
        first = None
        for row in range(self.target.count()):
            item = self.target.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in members:
                item.setCheckState(Qt.CheckState.Checked)
                first = first if first is not None else item
        if first is not None:
            self.target.scrollToItem(first)


__all__ = ["GroupPicker", "read_units", "read_units_and_groups"]
