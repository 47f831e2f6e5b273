"""学习 on the 信息调研 page: the Monday study sessions of a term.

A term picker, the term's span, topics and the Mondays it skips, and its sessions (日期, 主讲人, 学习主题, 已记录).
The editors (文秘人员, 办公室主任, 副主任) make a term (新建学期…), enter absences (请假/出差登记…), make the rotation
(生成轮讲安排: remade, it keeps the sessions held and recorded and asks first) and record a session (记录学习…, or a
double-click). Every member of a writing group reads the sessions and their records and prints the rotation
(打印轮讲表…)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ConflictError, GovDeskError
from app.services.information import groups, records, study
from app.services.information.groups import Member
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.information.study_dialogs import AbsencesDialog, RecordDialog, TermDialog, fit_columns, monday_text
from app.ui.prefs import Prefs
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date, plain_table
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.qt_helpers import empty_state_label

HEADERS = (QT_TRANSLATE_NOOP("GovDesk", "日期"), QT_TRANSLATE_NOOP("GovDesk", "主讲人"),
           QT_TRANSLATE_NOOP("GovDesk", "学习主题"), QT_TRANSLATE_NOOP("GovDesk", "已记录"))


class StudyTab(QWidget):
    # What today is; a test sets its own.
    today: Callable[[], date] = staticmethod(date.today)

    def __init__(self, ctx: AppContext, actor: Actor, prefs: Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.prefs = ctx, actor, prefs
        self.may_manage = records.is_editor(actor)
        self.terms: list[study.TermRow] = []
        self.term: study.TermInfo | None = None
        self._staff: list[Member] | None = None

        self.picker = QComboBox()
        self.picker.setMinimumContentsLength(12)
        self.picker.currentIndexChanged.connect(lambda _i: self._picked())
        self.new_button = QPushButton(action_icon("new"), tr("新建学期…"))
        self.new_button.clicked.connect(self.new_term)
        self.absence_button = QPushButton(action_icon("calendar"), tr("请假/出差登记…"))
        self.absence_button.clicked.connect(self.edit_absences)
        self.generate_button = QPushButton(action_icon("refresh", "white"), tr("生成轮讲安排"))
        self.generate_button.setObjectName("primary")
        self.generate_button.clicked.connect(self.generate)
        self.record_button = QPushButton(action_icon("edit"), tr("记录学习…") if self.may_manage else tr("查看记录…"))
        self.record_button.clicked.connect(self.open_record)
        self.print_button = QPushButton(action_icon("print"), tr("打印轮讲表…"))
        self.print_button.clicked.connect(self.print_rotation)
        for button in (self.new_button, self.absence_button, self.generate_button):
            button.setVisible(self.may_manage)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = plain_table()
        self.table.setColumnCount(len(HEADERS))
        self.table.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        fit_columns(self.table, len(HEADERS))
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.open_record())
        self.empty = empty_state_label()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        top = QHBoxLayout()
        top.addWidget(QLabel(tr("学期：")))
        top.addWidget(self.picker, 1)
        top.addWidget(self.new_button)
        top.addStretch(0)
        actions = QHBoxLayout()
        for button in (self.absence_button, self.generate_button, self.record_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(actions)
        layout.addWidget(self.stack, 1)
        self._enable()

    # ----- reading -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reads the terms again and shows the one picked (the newest at first)."""
        ctx, actor = self.ctx, self.actor
        keep = self.term.id if self.term else None

        def work() -> list[study.TermRow]:
            with ctx.uow() as uow:
                return study.list_terms(uow, actor)

        try:
            self.terms = db_call(self, work)
        except GovDeskError as error:
            self.terms = []
            self.term = None
            self._show_empty(tr("无法读取周一学习安排。"))
            show_error(self, error)
            return
        self.picker.blockSignals(True)
        self.picker.clear()
        for row in self.terms:
            self.picker.addItem(tr("{0}（{1}至{2}）").format(row.name, row.starts_on.isoformat(),
                                                           row.ends_on.isoformat()), row.id)
        index = self.picker.findData(keep) if keep is not None else 0
        self.picker.setCurrentIndex(max(index, 0) if self.terms else -1)
        self.picker.blockSignals(False)
        self._picked()

    def _picked(self) -> None:
        chosen = self.picker.currentData()
        if chosen is None:
            self.term = None
            self._show_empty(tr("还没有周一学习的学期安排。点“新建学期…”开始。") if self.may_manage
                             else tr("还没有周一学习的学期安排。"))
            return
        ctx, actor, term_id = self.ctx, self.actor, int(chosen)

        def work() -> study.TermInfo:
            with ctx.uow() as uow:
                return study.get_term(uow, actor, term_id)

        try:
            self.term = db_call(self, work)
        except GovDeskError as error:
            show_error(self, error)
            return
        self._show_term()

    def staff(self) -> list[Member]:
        if self._staff is None:
            ctx, actor = self.ctx, self.actor

            def work() -> list[Member]:
                with ctx.uow() as uow:
                    return groups.writing_staff(uow, actor)

            self._staff = db_call(self, work)
        return self._staff

    def _show_empty(self, text: str, *, keep_summary: bool = False) -> None:
        if not keep_summary:
            self.summary.setText("")
        self.table.setRowCount(0)
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)
        self._enable()

    def _show_term(self) -> None:
        term = self.term
        assert term is not None
        done = sum(1 for s in term.sessions if s.recorded)
        skipped = tr("；").join(tr("{0}{1}").format(monday_text(s.on), s.reason) for s in term.skipped)
        counts = tr("共{0}次学习，已记录{1}次。").format(len(term.sessions), done) if term.sessions else ""
        self.summary.setText(
            tr("{0}至{1}。{2}学习主题：{3}。").format(
                cn_date(term.starts_on), cn_date(term.ends_on), counts, tr("、").join(term.topics))
            + (tr("停学：{0}。").format(skipped) if skipped else ""))
        if not term.sessions:
            self._show_empty(tr("本学期还没有安排轮讲。点“生成轮讲安排”，按信息组人员轮流安排主讲人。")
                             if self.may_manage else tr("本学期还没有安排轮讲。"), keep_summary=True)
            return
        self.table.setRowCount(len(term.sessions))
        today = self.today()
        for row, session in enumerate(term.sessions):
            presenter = (tr("{0}（代{1}）").format(session.presenter_name, session.stand_in_for)
                         if session.stand_in_for else session.presenter_name)
            cells = [monday_text(session.held_on), presenter, session.topic,
                     tr("已记录（{0}人出席）").format(session.present_count) if session.recorded
                     else (tr("未记录") if session.held_on <= today else "")]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, session.id)
                self.table.setItem(row, column, item)
        self.stack.setCurrentWidget(self.table)
        self._enable()

    def selected_session(self) -> study.SessionInfo | None:
        if self.term is None or not self.table.selectionModel().hasSelection():
            return None
        row = self.table.currentRow()
        return self.term.sessions[row] if 0 <= row < len(self.term.sessions) else None

    def _enable(self) -> None:
        has_term = self.term is not None
        for button in (self.absence_button, self.generate_button, self.print_button):
            button.setEnabled(has_term)
        session = self.selected_session()
        self.record_button.setEnabled(session is not None and (self.may_manage or session.recorded))
        self.record_button.setToolTip("" if session is not None else tr("请先在列表中选中一次学习"))

    # ----- acting --------------------------------------------------------------------------------------------
    def new_term(self) -> None:
        dialog = TermDialog(self.ctx, self.actor, self.today(), self)
        if dialog.exec() and dialog.saved is not None:
            self.term = dialog.saved
            self.refresh()

    def edit_absences(self) -> None:
        if self.term is None:
            return
        try:
            staff = self.staff()
        except GovDeskError as error:
            show_error(self, error)
            return
        dialog = AbsencesDialog(self.ctx, self.actor, self.term, staff, self.today(), self)
        dialog.exec()
        if dialog.changed:
            self._picked()
            today = self.today()
            term = self.term
            if term is not None and any(s.held_on >= today and not s.recorded for s in term.sessions):
                self.summary.setText(self.summary.text() + tr("请假（出差）登记已变更，请重新生成轮讲安排。"))

    def generate(self) -> None:
        term = self.term
        if term is None:
            return
        today = self.today()
        remade = [s for s in term.sessions if s.held_on >= today and not s.recorded]
        if remade and not confirm(
            self, tr("重新生成轮讲安排"),
            tr("将从{0}起重新安排尚未举行的{1}次学习；已举行和已记录的学习保留不变，并计入轮换。继续吗？").format(
                cn_date(max(today, term.starts_on)), len(remade)), tr("重新生成")):
            return
        ctx, actor, version = self.ctx, self.actor, term.version

        def work() -> study.TermInfo:
            with ctx.uow() as uow:
                return study.generate_rotation(uow, actor, term.id, today=today, expected_version=version)

        try:
            self.term = db_call(self, work, saving=True)
        except ConflictError as error:
            show_error(self, error)
            self.refresh()
            return
        except GovDeskError as error:
            show_error(self, error)
            return
        self.refresh()

    def open_record(self) -> None:
        session = self.selected_session()
        if session is None:
            return
        try:
            staff = self.staff() if self.may_manage else []
        except GovDeskError as error:
            show_error(self, error)
            return
        dialog = RecordDialog(self.ctx, self.actor, session, staff, self.today, editable=self.may_manage,
                              parent=self)
        if dialog.exec() and dialog.saved is not None:
            row = self.table.currentRow()
            self._picked()
            self.table.selectRow(row)

    def print_rotation(self) -> None:
        from app.ui.widgets.print_preview import PrintPreviewDialog

        term = self.term
        if term is None:
            return
        ctx, actor = self.ctx, self.actor

        def work() -> bytes:
            from app.forms import PrintContext
            from app.forms.information import load_rotation
            from app.printing.information.rotation import render_rotation

            return render_rotation(load_rotation(PrintContext(ctx, actor), term.id))

        try:
            pdf = db_call(self, work)
        except GovDeskError as error:
            show_error(self, error)
            return
        title = tr("{0}周一学习轮讲安排表").format(term.name)
        PrintPreviewDialog(title, pdf, tr("{0}.pdf").format(title), self).exec()


__all__ = ["StudyTab"]
