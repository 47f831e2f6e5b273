"""签到: one row per attendee with where they sit and how they signed in; 到会, 请假 (with the reason), 代会 (with
the substitute's name) or 清除 in one click; the attendance summary on top; the 签到表 printed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractItemView, QDialog, QHBoxLayout, QLineEdit, QWidget

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.services.meetings import attendance, records
from app.services.meetings.attendance import AttendanceSummary, SignInView
from app.services.meetings.records import AttendeeInfo
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.meetings.tab_base import RowsTab, chip_cell, fill_rows, text_cell
from app.ui.theme import MUTED, OK, SOON, URGENT
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.display import when
from app.ui.widgets.qt_helpers import icon_button
from app.ui.widgets.step_dialog import StepDialog

STATUS: dict[str, tuple[str, str]] = {
    "present": (QT_TRANSLATE_NOOP("GovDesk", "到会"), OK),
    "leave": (QT_TRANSLATE_NOOP("GovDesk", "请假"), URGENT),
    "substitute": (QT_TRANSLATE_NOOP("GovDesk", "代会"), SOON),
    "": (QT_TRANSLATE_NOOP("GovDesk", "未签到"), MUTED),
}
ZONES = {"dais": QT_TRANSLATE_NOOP("GovDesk", "主席台"), "hall": QT_TRANSLATE_NOOP("GovDesk", "会场")}


def summary_text(summary: AttendanceSummary) -> str:
    """应到 4 人，实到 3 人（其中代会 1 人），请假 1 人，未签到 0 人；到会率 75.0%: a 代会 counts as taking part."""
    return tr("应到 {0} 人，实到 {1} 人（其中代会 {2} 人），请假 {3} 人，未签到 {4} 人；到会率 {5}").format(
        summary.expected, summary.present + summary.substitute, summary.substitute, summary.leave, summary.unsigned,
        summary.rate)


class AttendanceTab(RowsTab):
    def __init__(self, ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, meeting_id, parent)
        self.attendees: list[AttendeeInfo] = []
        self.title = ""
        self.present_button = icon_button("done", tr("到会"), lambda: self.sign("present"))
        self.leave_button = icon_button("edit", tr("请假…"), lambda: self.sign("leave"))
        self.substitute_button = icon_button("users", tr("代会…"), lambda: self.sign("substitute"))
        self.clear_button = icon_button("delete", tr("清除"), lambda: self.sign(""))
        self.print_button = icon_button("print", tr("打印签到表…"), self.print_sheet)
        signer = actor.has(*records.ORGANIZERS)
        row = QHBoxLayout()
        for button in (self.present_button, self.leave_button, self.substitute_button, self.clear_button):
            button.setVisible(signer)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.print_button)
        self.lay_out(row, tr("这个会议还没有参会人员。请在“基本信息”中修改会议，添加参会单位和人员。"))
        self.summary.setObjectName("sectionTitle")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.sign("present"))
        self._enable()

    def _reading(self) -> Callable[[], object]:
        return as_user(self.ctx, self.actor, attendance.sign_in_of, self.meeting_id)

    def _show(self, found: object) -> None:
        assert isinstance(found, SignInView)
        self.title = found.meeting.title
        self.attendees = self.rows = list(found.meeting.attendees)
        self.summary.setText(summary_text(found.summary))
        rows = []
        for number, person in enumerate(self.attendees, start=1):
            label, colour = STATUS.get(person.attendance, (person.attendance, MUTED))
            note = person.leave_reason if person.attendance == "leave" else (
                tr("由{0}代会").format(person.substitute_name) if person.attendance == "substitute" else "")
            rows.append([
                text_cell(str(number), person.id), text_cell(person.label), text_cell(tr(ZONES.get(person.zone, ""))),
                chip_cell(tr(label), colour), text_cell(note), text_cell(when(person.signed_at)),
            ])
        selected = self.current()
        fill_rows(self.table, [tr("序号"), tr("参会人员"), tr("位置"), tr("签到"), tr("请假事由／代会人"),
                               tr("签到时间")], rows, stretch=1)
        self.show_rows(selected.id if selected is not None else None)

    def current(self) -> AttendeeInfo | None:
        found: AttendeeInfo | None = self.chosen()
        return found

    def _enable(self) -> None:
        chosen = self.current() is not None
        for button in (self.present_button, self.leave_button, self.substitute_button, self.clear_button):
            button.setEnabled(chosen)

    def sign(self, status: str) -> None:
        person = self.current()
        if person is None:
            return
        if status in ("present", ""):
            if self.act(attendance.sign_in, self.meeting_id, person.id, status):
                self._next_unsigned(person.id)
            return
        dialog = SignDialog(self, person, status)
        ctx, actor, meeting_id = self.ctx, self.actor, self.meeting_id

        def work() -> object:
            text = dialog.text.text()
            reason, substitute = (text, "") if status == "leave" else ("", text)
            return as_user(ctx, actor, attendance.sign_in, meeting_id, person.id, status, reason=reason,
                           substitute=substitute)()

        dialog.work = lambda: db_call(dialog, work, saving=True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()
            self._next_unsigned(person.id)

    def _next_unsigned(self, after_id: int) -> None:
        """The next attendee still to sign in is selected, so the clerk at the door goes down the list."""
        ids = [a.id for a in self.attendees]
        start = ids.index(after_id) + 1 if after_id in ids else 0
        for person in self.attendees[start:]:
            if not person.attendance:
                self.select(person.id)
                return
        self.select(after_id)

    def print_sheet(self) -> None:
        self.print_form("meeting-sign-in", tr("{0}签到表").format(self.title))


class SignDialog(StepDialog):
    """请假 with its reason, or 代会 with the substitute's name."""

    def __init__(self, parent: QWidget, person: AttendeeInfo, status: str) -> None:
        leave = status == "leave"
        super().__init__(tr("请假") if leave else tr("代会"), tr("参会人员：{0}").format(person.label),
                         tr("确定"), parent)
        self.text = QLineEdit(person.leave_reason if leave else person.substitute_name)
        self.text.setPlaceholderText(tr("如：参加市政府专题会议") if leave else tr("如：县财政局副局长 李某某"))
        if leave:
            self.form.add("reason", tr("请假事由"), self.text, required=True)
        else:
            self.form.add("substitute", tr("代会人"), self.text, required=True)
