"""A record's clocks in its window's header (app.ui.widgets.record_window): one line per clock under where the
record stands (办理时限：应于…前完成，尚余…), and beside it the buttons 延期… / 暂停计时… / 恢复计时… that this
user may use now, as the services said (app.services.workflow.clocks.clock_readings). Under a clock's line, in
grey, what people did to it: 延期, 暂停计时, 恢复计时, each with who, the day and the reason, and a delegate's act
marked for whom it was done (（代张三）). Each button opens a small dialog (the amount, the reason); a refusal
shows in the dialog and what was typed stays."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ConflictError, GovDeskError
from app.services.kernel.actor import Actor
from app.services.workflow import clocks
from app.services.workflow.clocks import ClockAct, ClockView
from app.ui.i18n import tr
from app.ui.theme import MUTED, OK, URGENT
from app.ui.widgets.conflict import ConflictDialog
from app.ui.widgets.db_call import db_call
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.screen import fit_when_shown

# (button text, dialog title, the dialog's OK button) per act.
_ACTS = {
    "extend": (tr("延期…"), tr("时限延期"), tr("确认延期")),
    "pause": (tr("暂停计时…"), tr("暂停计时"), tr("确认暂停")),
    "resume": (tr("恢复计时…"), tr("恢复计时"), tr("确认恢复")),
}


def act_text(act: ClockAct, unit_word: str) -> str:
    """One act on a clock: 11月20日 孙接待（代张三）暂停计时：等待群众补充材料."""
    who = tr("{0}（代{1}）").format(act.actor_name, act.on_behalf_of_name) if act.on_behalf_of_name else act.actor_name
    what = tr("{0}{1}{2}").format(act.label, act.amount, unit_word) if act.kind == "extend" else act.label
    text = tr("{0}月{1}日 {2}{3}").format(act.on.month, act.on.day, who, what)
    return tr("{0}：{1}").format(text, act.reason) if act.reason else text


def line_colour(view: ClockView) -> str:
    reading = view.reading
    if reading.overdue:
        return URGENT
    if reading.phase in ("paused", "not_started"):
        return MUTED
    if reading.phase == "stopped":
        return OK
    return "#1F4E79"


class ClockDialog(QDialog):
    """延期 (how many days, why), 暂停计时 or 恢复计时 (why) of one clock. ``work`` is the service call, run
    with the amount and the reason; its refusal is shown in the form and the dialog stays open."""

    def __init__(self, kind: str, view: ClockView, work: Callable[[int, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _button, title, ok_text = _ACTS[kind]
        self.setWindowTitle(tr("{0}：{1}").format(title, view.clock.label))
        self.setMinimumWidth(560)
        fit_when_shown(self)
        self.kind, self.work = kind, work
        intro = QLabel(view.line)
        intro.setWordWrap(True)
        self.form = FormGrid()
        self.amount = QSpinBox()
        if kind == "extend":
            self.amount.setRange(1, max(1, view.max_extension))
            self.amount.setValue(max(1, view.max_extension))
            self.amount.setSuffix(" " + view.unit_name)
            self.form.add("amount", tr("延长"), self.amount, required=True,
                          hint=tr("只能延期一次，最多{0}{1}").format(view.max_extension, view.unit_word))
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(76)
        self.reason.setPlaceholderText({
            "extend": tr("例如：需要现场核查，涉及多个部门"),
            "pause": tr("例如：等待群众补充材料"),
            "resume": tr("例如：材料已补齐"),
        }[kind])
        self.form.add("reason", tr("理由"), self.reason, required=True)
        ok = QPushButton(ok_text)
        ok.setObjectName("primary")
        ok.clicked.connect(self.save)
        self.ok_button = ok
        cancel = QPushButton(tr("取消"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        body = QVBoxLayout(self)
        body.addWidget(intro)
        body.addLayout(self.form)
        body.addStretch(1)
        body.addLayout(buttons)

    def save(self) -> bool:
        if not self.form.check_all():
            return False
        try:
            self.work(self.amount.value(), self.reason.toPlainText())
        except ConflictError as error:
            if ConflictDialog.ask(self, error.message) == ConflictDialog.RELOAD:
                self.reject()
            return False
        except GovDeskError as error:
            # Beside the amount or the reason when it is about them, else at the top of the form.
            self.form.show_errors({error.field or "": error.message})
            return False
        self.accept()
        return True


class ClockPanel(QWidget):
    """The clock lines of one record, with the buttons this user may use. Hidden for a flow without clocks."""

    def __init__(self, ctx: AppContext, actor: Actor, changed: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.changed = ctx, actor, changed
        self.instance_id: int | None = None
        self.version: int | None = None
        self.views: list[ClockView] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(2)
        self.grid.setColumnStretch(0, 1)
        self.lines: list[QLabel] = []
        # Per clock with acts, the grey line of what people did to it.
        self.act_lines: list[QLabel] = []
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_clocks(self, instance_id: int, version: int, views: Sequence[ClockView]) -> None:
        self.instance_id, self.version, self.views = instance_id, version, list(views)
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.lines, self.act_lines, self.buttons = [], [], []
        row = 0
        for view in views:
            line = QLabel(f'<span style="color:{line_colour(view)}">{html.escape(view.line, quote=False)}</span>')
            line.setWordWrap(True)
            self.grid.addWidget(line, row, 0)
            self.lines.append(line)
            if view.acts:
                acts = QLabel(tr("；").join(act_text(act, view.unit_word) for act in view.acts))
                acts.setStyleSheet(f"color: {MUTED};")
                acts.setWordWrap(True)
                self.grid.addWidget(acts, row + 1, 0, 1, 4)
                self.act_lines.append(acts)
            column = 1
            for kind, allowed in (("extend", view.may_extend), ("pause", view.may_pause),
                                  ("resume", view.may_resume)):
                if not allowed:
                    continue
                button = QPushButton(_ACTS[kind][0])
                button.setAutoDefault(False)
                button.clicked.connect(lambda _=False, k=kind, v=view: self.open_dialog(k, v))
                self.grid.addWidget(button, row, column)
                self.buttons.append(button)
                column += 1
            row += 2 if view.acts else 1
        self.setVisible(bool(views))

    def button_texts(self) -> list[str]:
        return [button.text() for button in self.buttons]

    def dialog_for(self, kind: str, view: ClockView) -> ClockDialog:
        instance_id, version, actor, key = self.instance_id, self.version, self.actor, view.clock.key
        assert instance_id is not None

        def service(uow: Any, amount: int, reason: str) -> object:
            if kind == "extend":
                return clocks.extend_clock(uow, actor, instance_id, key, amount, reason, expected_version=version)
            change = clocks.pause_clock if kind == "pause" else clocks.resume_clock
            return change(uow, actor, instance_id, key, reason, expected_version=version)

        def work(amount: int, reason: str) -> object:
            def run() -> object:
                with self.ctx.uow() as uow:
                    return service(uow, amount, reason)

            return db_call(self, run, saving=True)

        return ClockDialog(kind, view, work, self)

    def open_dialog(self, kind: str, view: ClockView) -> None:
        if self.dialog_for(kind, view).exec() == QDialog.DialogCode.Accepted:
            self.changed()
