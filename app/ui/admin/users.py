"""Users: create, edit, roles, unit, reset password, lock and unlock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.core.roles import ROLE_DESCRIPTIONS, Role
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.prefs import Prefs
from app.ui.theme import MUTED, OK, URGENT
from app.ui.widgets.data_table import DataTable
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.lazy_table import Column, LazyTableModel
from app.ui.widgets.messages import confirm, inform, show_error
from app.ui.widgets.qt_helpers import add_icon_buttons
from app.ui.widgets.screen import fit_when_shown
from app.ui.widgets.units import read_units


def user_state(u: admin.UserInfo) -> tuple[str, str]:
    if not u.active:
        return tr('已停用'), MUTED
    if u.locked:
        return tr('已锁定'), URGENT
    return tr('正常'), OK


USER_COLUMNS: list[Column[admin.UserInfo]] = [
    Column(QT_TRANSLATE_NOOP("GovDesk", '用户名'), lambda u: u.username, width=130),
    Column(QT_TRANSLATE_NOOP("GovDesk", '姓名'), lambda u: u.full_name, width=90),
    Column(QT_TRANSLATE_NOOP("GovDesk", '单位'), lambda u: u.unit_name or "—", width=170),
    Column(QT_TRANSLATE_NOOP("GovDesk", '职务'), lambda u: u.title or "—", width=150),
    Column(QT_TRANSLATE_NOOP("GovDesk", '角色'), lambda u: u.role_labels, width=200),
    Column(QT_TRANSLATE_NOOP("GovDesk", '状态'), lambda u: "", width=90, chip=user_state),
]


class UserDialog(FormDialog):
    def __init__(
        self, ctx: AppContext, actor: Actor, user: admin.UserInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.user = user
        self.setWindowTitle(tr('修改用户') if user else tr('新建用户'))
        self.setMinimumWidth(560)
        fit_when_shown(self)

        # Not shown yet: the wait, if any, is shown over the tab that opens the dialog.
        units = read_units(parent, ctx, actor)
        self.username = QLineEdit(user.username if user else "")
        self.username.setEnabled(user is None)
        self.full_name = QLineEdit(user.full_name if user else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.unit = QComboBox()
        self.unit.addItem(tr('（无）'), None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        if user and user.unit_id:
            self.unit.setCurrentIndex(max(0, self.unit.findData(user.unit_id)))
        self.title = QLineEdit(user.title if user else "")
        self.principal = QCheckBox(tr('主要领导（可签发重要文件和上行文）'))
        self.principal.setChecked(bool(user and user.is_principal))
        self.rank = QSpinBox()
        self.rank.setRange(1, 999)
        self.rank.setValue(user.rank_order if user else 100)
        self.phone = QLineEdit(user.phone if user else "")
        self.active = QCheckBox(tr('启用'))
        self.active.setChecked(user.active if user else True)
        roles_box = QWidget()
        roles_grid = QGridLayout(roles_box)
        roles_grid.setContentsMargins(0, 0, 0, 0)
        self.role_checks: dict[Role, QCheckBox] = {}
        for i, role in enumerate(Role):
            check = QCheckBox(role.label)
            check.setToolTip(ROLE_DESCRIPTIONS[role])
            check.setChecked(bool(user and role.value in user.roles))
            roles_grid.addWidget(check, i // 3, i % 3)
            self.role_checks[role] = check

        self.form = FormGrid()
        self.form.add("username", tr('用户名'), self.username, required=True, hint=tr('登录时使用，建好后不能修改'))
        self.form.add("full_name", tr('姓名'), self.full_name, required=True)
        if user is None:
            self.form.add("password", tr('初始密码'), self.password, required=True, hint=tr('至少8位，含字母和数字'))
        self.form.add("roles", tr('角色'), roles_box, required=True)
        self.form.add("unit_id", tr('所在单位'), self.unit)
        self.form.add("title", tr('职务'), self.title)
        self.form.add("is_principal", "", self.principal)
        self.form.add("rank_order", tr('排序'), self.rank, hint=tr('领导排位和座次用，数字小的在前'))
        self.form.add("phone", tr('电话'), self.phone)
        if user is not None:
            self.form.add("active", "", self.active)
        self.lay_out(self.form)

    def selected_roles(self) -> list[Role]:
        return [role for role, check in self.role_checks.items() if check.isChecked()]

    def _save(self) -> None:
        user, unit_id, roles = self.user, self.unit.currentData(), self.selected_roles()
        username, full_name, password = self.username.text(), self.full_name.text(), self.password.text()
        title, principal, rank, phone = self.title.text(), self.principal.isChecked(), self.rank.value(), self.phone.text()
        active = self.active.isChecked()

        def store() -> None:
            with self.ctx.uow() as uow:
                if user is None:
                    admin.create_user(
                        uow, self.actor, username=username, full_name=full_name, password=password, roles=roles,
                        unit_id=unit_id, title=title, is_principal=principal, rank_order=rank, phone=phone,
                    )
                else:
                    admin.update_user(
                        uow, self.actor, user.id, expected_version=user.version, full_name=full_name,
                        unit_id=unit_id, clear_unit=unit_id is None, title=title, is_principal=principal,
                        rank_order=rank, phone=phone, active=active, roles=roles,
                    )

        db_call(self, store, saving=True)


class UsersTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.users: list[admin.UserInfo] = []
        self.model = LazyTableModel(USER_COLUMNS)
        self.table = DataTable(
            self.model, prefs, "admin/users", tr('还没有其他用户。'), (tr('新建用户'), self.new_user)
        )
        self.table.activated.connect(self.edit_user)
        buttons = QHBoxLayout()
        add_icon_buttons(buttons, (
            (tr('新建用户'), "new", self.new_user),
            (tr('修改'), "edit", lambda: self._with_selected(self.edit_user)),
            (tr('重置密码'), "key", lambda: self._with_selected(self.reset_password)),
            (tr('锁定'), "lock", lambda: self._with_selected(self.lock)),
            (tr('解锁'), "unlock", lambda: self._with_selected(self.unlock)),
        ))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        def load() -> list[admin.UserInfo]:
            with self.ctx.uow() as uow:
                return admin.list_users(uow, self.actor)

        try:
            self.users = db_call(self, load)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.model.set_rows(self.users)

    def _with_selected(self, action: object) -> None:
        rows = self.table.view.selectionModel().selectedRows()
        if not rows:
            inform(self, tr('请选择用户'), tr('请先在列表中选中一位用户'))
            return
        action(self.model.row_object(rows[0].row()))  # type: ignore[operator]

    def new_user(self) -> None:
        self._edit(None)

    def edit_user(self, user: admin.UserInfo) -> None:
        self._edit(user)

    def _edit(self, user: admin.UserInfo | None) -> None:
        try:
            dialog = UserDialog(self.ctx, self.actor, user, self)
        except GovDeskError as error:  # its units could not be read
            show_error(self, error)
            return
        if dialog.exec():
            self.refresh()

    def reset_password(self, user: admin.UserInfo) -> None:
        password, ok = QInputDialog.getText(
            self, tr('重置密码'), tr('为 {0}（{1}）设置新密码（至少8位，含字母和数字）：').format(user.full_name, user.username),
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        self._run(lambda uow: admin.reset_password(uow, self.actor, user.id, password),
                  tr('已重置 {0} 的密码，对方下次登录时需要修改').format(user.full_name))

    def lock(self, user: admin.UserInfo) -> None:
        if confirm(self, tr('锁定账户'), tr('锁定后 {0} 将无法登录，确定吗？').format(user.full_name), tr('锁定')):
            self._run(lambda uow: admin.lock_user(uow, self.actor, user.id), None)

    def unlock(self, user: admin.UserInfo) -> None:
        self._run(lambda uow: admin.unlock_user(uow, self.actor, user.id), None)

    def _run(self, work: Callable[[UnitOfWork], object], done_message: str | None) -> None:
        def run() -> None:
            with self.ctx.uow() as uow:
                work(uow)

        try:
            # Nothing typed to keep (a click, or a password the user types again): a plain call.
            db_call(self, run)
        except GovDeskError as error:
            show_error(self, error)
            return
        if done_message:
            inform(self, tr('完成'), done_message)
        self.refresh()


__all__ = ["UserDialog", "UsersTab"]
