"""委托代办…: a person away names a colleague and a period; inside it their to-dos show for the colleague, who
acts on their behalf (app.services.workflow.delegation). The dialog lists the delegations the user gave and
those given to them, and revokes one of their own."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ValidationError
from app.services.admin import users as admin
from app.services.kernel.actor import Actor
from app.services.workflow import delegation
from app.ui.i18n import tr
from app.ui.icons import app_icon
from app.ui.widgets.db_call import db_call, db_read
from app.ui.widgets.display import fill_table, plain_table
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error
from app.ui.widgets.screen import fit_to_screen


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> date:
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


class DelegationDialog(QDialog):
    """The user's delegations, and a form to name a colleague for a period."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.setWindowTitle(tr("委托代办"))
        self.setWindowIcon(app_icon())
        fit_to_screen(self, (820, 560), (640, 440))
        self.given_ids: list[int] = []

        intro = QLabel(tr("外出期间，可委托一位同事代为办理您的待办事项。委托期间内，您的待办会显示在代理人的工作台上，"
                          "代理人办理的事项记为“代您办理”。"))
        intro.setWordWrap(True)
        self.delegate_box = QComboBox()
        today = date.today()
        self.starts = _date_edit(today)
        self.ends = _date_edit(today + timedelta(days=6))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("例如：赴省参加培训"))
        self.reason.setMaxLength(200)
        self.form = FormGrid(pairs=True, live=False)
        self.form.add("delegate_id", tr("代理人"), self.delegate_box, required=True)
        self.form.add("reason", tr("委托事由"), self.reason)
        self.form.add("starts_on", tr("开始日期"), self.starts, required=True)
        self.form.add("ends_on", tr("结束日期"), self.ends, required=True)
        self.delegate_button = QPushButton(tr("委托"))
        self.delegate_button.setObjectName("primary")
        self.delegate_button.setAutoDefault(False)
        self.delegate_button.clicked.connect(self.give)

        self.given = plain_table()
        self.received = plain_table()
        self.revoke_button = QPushButton(tr("撤销选中的委托"))
        self.revoke_button.setAutoDefault(False)
        self.revoke_button.clicked.connect(self.revoke_selected)
        close = QPushButton(tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)

        give_row = QHBoxLayout()
        give_row.addStretch(1)
        give_row.addWidget(self.delegate_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.revoke_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addLayout(give_row)
        layout.addWidget(QLabel(tr("我委托他人代办")))
        layout.addWidget(self.given, 1)
        layout.addWidget(QLabel(tr("他人委托我代办")))
        layout.addWidget(self.received, 1)
        layout.addLayout(bottom)
        self.load_people()
        self.load()

    def load_people(self) -> None:
        def read() -> list[admin.PersonInfo]:
            with self.ctx.uow() as uow:
                return admin.directory(uow, self.actor)

        people = db_read(self, read) or []
        self.delegate_box.clear()
        for person in people:
            if person.id != self.actor.id:
                text = tr("{0}（{1}）").format(person.full_name, person.unit_name) if person.unit_name else person.full_name
                self.delegate_box.addItem(text, person.id)

    def load(self) -> None:
        def read() -> delegation.MyDelegations:
            with self.ctx.uow() as uow:
                return delegation.my_delegations(uow, self.actor)

        mine = db_read(self, read)
        if mine is None:
            return
        today = date.today()

        def status(d: delegation.DelegationInfo) -> str:
            if d.revoked_at is not None:
                return tr("已撤销")
            if d.ends_on < today:
                return tr("已结束")
            return tr("生效中") if d.in_force(today) else tr("未开始")

        headers = [tr("代理人"), tr("期间"), tr("事由"), tr("状态")]
        fill_table(self.given, headers, [[d.delegate_name, d.period, d.reason, status(d)] for d in mine.given])
        fill_table(self.received, [tr("委托人"), *headers[1:]],
                   [[d.principal_name, d.period, d.reason, status(d)] for d in mine.received])
        self.given_ids = [d.id for d in mine.given]
        for table in (self.given, self.received):
            # Names and periods whole, at every text size: the columns follow their contents.
            header = table.horizontalHeader()
            for column in range(table.columnCount() - 1):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)

    def give(self) -> None:
        self.form.clear_errors()
        chosen = self.delegate_box.currentData()
        if chosen is None:
            self.form.show_error(ValidationError(tr("请选择代理人"), field="delegate_id"))
            return
        starts, ends, reason = _day(self.starts), _day(self.ends), self.reason.text()

        def work() -> object:
            with self.ctx.uow() as uow:
                return delegation.delegate(uow, self.actor, delegate_id=int(chosen), starts_on=starts, ends_on=ends,
                                           reason=reason)

        try:
            db_call(self, work, saving=True)
        except ValidationError as error:
            self.form.show_error(error)
            return
        except GovDeskError as error:
            show_error(self, error)
            return
        self.reason.clear()
        self.load()

    def revoke_selected(self) -> None:
        row = self.given.currentRow()
        if not 0 <= row < len(self.given_ids):
            show_error(self, GovDeskError(tr("请先在“我委托他人代办”中选中要撤销的委托")))
            return
        chosen = self.given_ids[row]

        def work() -> object:
            with self.ctx.uow() as uow:
                return delegation.revoke_delegation(uow, self.actor, chosen)

        try:
            db_call(self, work, saving=True)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.load()
