"""The study tab's dialogs: a new term (新建学期), the absences of a term (请假/出差登记) and a session's record
(学习记录: 学习内容, 笔记/纪要, attendance of the writing staff with a note each, and a stand-in presenter)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ValidationError
from app.core.information.rotation import TOPICS
from app.services.information import study
from app.services.information.groups import Member
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.qt_helpers import date_edit, to_date, to_qdate
from app.ui.widgets.screen import fit_when_shown

WEEKDAYS = (QT_TRANSLATE_NOOP("GovDesk", "周一"), QT_TRANSLATE_NOOP("GovDesk", "周二"),
            QT_TRANSLATE_NOOP("GovDesk", "周三"), QT_TRANSLATE_NOOP("GovDesk", "周四"),
            QT_TRANSLATE_NOOP("GovDesk", "周五"), QT_TRANSLATE_NOOP("GovDesk", "周六"),
            QT_TRANSLATE_NOOP("GovDesk", "周日"))


def fit_columns(table: QTableWidget, columns: int) -> None:
    """Every column but the last as wide as its text at the text size in force, the last taking the rest."""
    table.setColumnCount(columns)
    header = table.horizontalHeader()
    for column in range(columns - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(columns - 1, QHeaderView.ResizeMode.Stretch)


def monday_text(day: date) -> str:
    return tr("{0}（{1}）").format(cn_date(day), tr(WEEKDAYS[day.weekday()]))


def half_year_defaults(today: date) -> tuple[str, date, date]:
    """The term a new one suggests: this half-year (or the next, late in this one)."""
    if today.month <= 6:
        return tr("{0}年上半年").format(today.year), date(today.year, 1, 1), date(today.year, 6, 30)
    return tr("{0}年下半年").format(today.year), date(today.year, 7, 1), date(today.year, 12, 31)


class TermDialog(FormDialog):
    """新建学期: its name, its first and last day (at most a year) and the topics its sessions go round, one a
    line."""

    def __init__(self, ctx: AppContext, actor: Actor, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.saved: study.TermInfo | None = None
        self.setWindowTitle(tr("新建学期"))
        self.setMinimumWidth(520)
        fit_when_shown(self)
        name, starts, ends = half_year_defaults(today)
        self.name = QLineEdit(name)
        self.name.setMaxLength(study.MAX_NAME)
        self.starts_on = date_edit(to_qdate(starts))
        self.ends_on = date_edit(to_qdate(ends))
        self.topics = QPlainTextEdit("\n".join(TOPICS))
        self.topics.setMinimumHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        self.form = FormGrid()
        self.form.add("name", tr("学期名称"), self.name, required=True)
        self.form.add("starts_on", tr("开始日期"), self.starts_on, required=True)
        self.form.add("ends_on", tr("结束日期"), self.ends_on, required=True, hint=tr("一个学期最长一年"))
        self.form.add("topics", tr("学习主题"), self.topics, required=True,
                      hint=tr("每行一个主题，每个不超过{0}个字；各次学习按顺序轮换").format(study.MAX_TOPIC))
        self.lay_out(self.form, None, save_text=tr("创建"))

    def _save(self) -> None:
        ctx, actor = self.ctx, self.actor
        name, topics = self.name.text(), self.topics.toPlainText().splitlines()
        starts, ends = to_date(self.starts_on.date()), to_date(self.ends_on.date())

        def work() -> study.TermInfo:
            with ctx.uow() as uow:
                return study.create_term(uow, actor, name=name, starts_on=starts, ends_on=ends, topics=topics)

        self.saved = db_call(self, work, saving=True)


class AbsencesDialog(QDialog):
    """请假/出差登记: the term's absences, a new one (who, which Monday, why) and taking one back. The rotation
    passes the person over that Monday once it is made again."""

    def __init__(self, ctx: AppContext, actor: Actor, term: study.TermInfo, staff: list[Member], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.term_id = ctx, actor, term.id
        self.changed = False
        self.absences = list(term.absences)
        self.setWindowTitle(tr("请假/出差登记 — {0}").format(term.name))
        self.setMinimumWidth(620)
        fit_when_shown(self)
        self.person = QComboBox()
        for member in staff:
            self.person.addItem(member.name, member.user_id)
        first = max(term.starts_on, today)
        monday = date.fromordinal(first.toordinal() + (7 - first.weekday()) % 7)
        self.away_on = date_edit(to_qdate(min(monday, term.ends_on)), "yyyy-MM-dd ddd")
        self.away_on.setDateRange(to_qdate(term.starts_on), to_qdate(term.ends_on))
        self.reason = QLineEdit(tr("出差"))
        self.reason.setMaxLength(study.MAX_REASON)
        self.form = FormGrid()
        self.form.add("user_id", tr("人员"), self.person, required=True)
        self.form.add("away_on", tr("日期（周一）"), self.away_on, required=True)
        self.form.add("reason", tr("事由"), self.reason, hint=tr("如出差、请假、参加培训"))
        self.add_button = QPushButton(tr("登记"))
        self.add_button.clicked.connect(self.add)
        self.table = plain_table()
        self.table.setMinimumHeight(180)
        fit_columns(self.table, 3)
        self.remove_button = QPushButton(action_icon("delete"), tr("删除所选"))
        self.remove_button.clicked.connect(self.remove)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        layout.addWidget(QLabel(tr("已登记：")))
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.show_absences()

    def show_absences(self) -> None:
        fill_table(self.table, [tr("姓名"), tr("日期"), tr("事由")],
                   [[a.name, monday_text(a.away_on), a.reason] for a in self.absences])
        self.remove_button.setEnabled(bool(self.absences))

    def add(self) -> None:
        ctx, actor, term_id = self.ctx, self.actor, self.term_id
        chosen = self.person.currentData()
        user_id = int(chosen) if chosen is not None else 0
        away_on, reason = to_date(self.away_on.date()), self.reason.text()
        self.form.clear_errors()

        def work() -> study.AbsenceInfo:
            with ctx.uow() as uow:
                return study.add_absence(uow, actor, term_id, user_id, away_on, reason)

        try:
            added = db_call(self, work, saving=True)
        except ValidationError as error:
            self.form.show_error(error)
            return
        except GovDeskError as error:
            show_error(self, error)
            return
        self.changed = True
        self.absences = sorted([*self.absences, added], key=lambda a: (a.away_on, a.name))
        self.show_absences()

    def remove(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.absences):
            return
        absence = self.absences[row]
        if not confirm(self, tr("删除登记"), tr("删除{0}在{1}的请假（出差）登记吗？").format(
                absence.name, monday_text(absence.away_on)), tr("删除")):
            return
        ctx, actor = self.ctx, self.actor

        def work() -> None:
            with ctx.uow() as uow:
                study.remove_absence(uow, actor, absence.id)

        try:
            db_call(self, work, saving=True)
        except GovDeskError as error:
            show_error(self, error)
            return
        self.changed = True
        self.absences.remove(absence)
        self.show_absences()


class RecordDialog(FormDialog):
    """A session's record: what was studied, the notes, who attended (a tick and a note for each of the writing
    staff) and, when someone stood in, the presenter. Read only for those who may not record."""

    def __init__(self, ctx: AppContext, actor: Actor, session: study.SessionInfo, staff: list[Member],
                 today: Callable[[], date], *, editable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.session, self.today = ctx, actor, session, today
        self.saved: study.SessionInfo | None = None
        self.setWindowTitle(tr("学习记录 — {0}").format(monday_text(session.held_on)))
        self.setMinimumWidth(640)
        fit_when_shown(self)
        heading = QLabel(tr("{0}　主讲人：{1}　学习主题：{2}").format(
            monday_text(session.held_on), session.presenter_name or "—", session.topic))
        heading.setWordWrap(True)
        heading.setObjectName("sectionTitle")
        # Everyone on the list now, and whoever the record named before.
        people: dict[int, str] = {m.user_id: m.name for m in staff}
        for earlier in session.attendance:
            people.setdefault(earlier.user_id, earlier.name)
        recorded = {earlier.user_id: earlier for earlier in session.attendance}
        self.presenter = QComboBox()
        if session.presenter_id is None:
            self.presenter.addItem(session.presenter_name or tr("（未定）"), None)
        for user_id, name in people.items():
            self.presenter.addItem(name, user_id)
        index = self.presenter.findData(session.presenter_id)
        self.presenter.setCurrentIndex(max(index, 0))
        self.subject = QLineEdit(session.subject or session.topic)
        self.subject.setMaxLength(study.MAX_SUBJECT)
        self.notes = QPlainTextEdit(session.notes)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        # The attendance: a row for each person, ticked when present, with a note.
        self.attendance: list[tuple[int, QCheckBox, QLineEdit]] = []
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(tr("出席")), 0, 0)
        grid.addWidget(QLabel(tr("备注（缺席原因等）")), 0, 1)
        for row, (user_id, name) in enumerate(people.items(), start=1):
            line = recorded.get(user_id)
            tick = QCheckBox(name)
            tick.setChecked(line.present if line else True)
            note = QLineEdit(line.note if line else "")
            note.setMaxLength(study.MAX_NOTE)
            grid.addWidget(tick, row, 0)
            grid.addWidget(note, row, 1)
            self.attendance.append((user_id, tick, note))
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        # Room for up to eight people without scrolling.
        row_height = max(w.sizeHint().height() for _u, t, n in self.attendance for w in (t, n)) if self.attendance \
            else self.fontMetrics().lineSpacing()
        shown = min(len(people), 8) + 1
        scroll.setMinimumHeight(shown * (row_height + max(grid.verticalSpacing(), 4)) + 6)
        self.form = FormGrid()
        self.form.add("presenter_id", tr("主讲人"), self.presenter, hint=tr("有人代讲时改选代讲人"))
        self.form.add("subject", tr("学习内容"), self.subject, required=True)
        self.form.add("notes", tr("笔记/纪要"), self.notes)
        self.form.add("attendance", tr("出勤情况"), scroll)
        self.editable = editable
        if editable:
            self.lay_out(heading, self.form, save_text=tr("保存记录"))
        else:
            for widget in (self.presenter, self.subject):
                widget.setEnabled(False)
            self.notes.setReadOnly(True)
            for _user_id, tick, note in self.attendance:
                tick.setEnabled(False)
                note.setReadOnly(True)
            layout = QVBoxLayout(self)
            layout.addWidget(heading)
            layout.addLayout(self.form)
            close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
            close.rejected.connect(self.reject)
            layout.addWidget(close)

    def _save(self) -> None:
        ctx, actor, session = self.ctx, self.actor, self.session
        chosen = self.presenter.currentData()
        presenter_id = int(chosen) if chosen is not None else None
        subject, notes = self.subject.text(), self.notes.toPlainText()
        lines = [study.Attendance(user_id, tick.isChecked(), note.text()) for user_id, tick, note in self.attendance]
        today = self.today()

        def work() -> study.SessionInfo:
            with ctx.uow() as uow:
                return study.record_session(uow, actor, session.id, subject=subject, notes=notes, attendance=lines,
                                            presenter_id=presenter_id, expected_version=session.version, today=today)

        self.saved = db_call(self, work, saving=True)
