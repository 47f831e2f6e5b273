"""The window of one issue of 《政务信息》: its date, editing unit, the number of copies and the foot's 报/送/发
lists; its items in order, with 加入稿件… (the items being edited, in no issue yet: listing.compilable_items),
移出, 上移 and 下移; 预览打印 (the briefing as printed, app.forms.information.load_issue); and 印发, after which the
issue and its items are fixed and every item reads 已编入期刊.

The editors edit an issue until it is issued; anyone else (and everyone once it is issued) reads it. Each change
goes to app.services.information.issues with the version the window read, so a second editor acting on what
they saw is refused and the window reloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ConflictError, GovDeskError, ValidationError
from app.services.information import issues, listing, records
from app.services.kernel.actor import Actor
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.icons import action_icon
from app.ui.theme import ACCENT, OK
from app.ui.widgets.db_call import db_call, db_read
from app.ui.widgets.display import cn_date
from app.ui.widgets.forms import FormGrid, on_change
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.qt_helpers import date_edit, empty_state_label, to_date, to_qdate
from app.ui.widgets.screen import fit_to_screen

ITEM_HEADERS = (QT_TRANSLATE_NOOP("GovDesk", "序号"), QT_TRANSLATE_NOOP("GovDesk", "标题"),
                QT_TRANSLATE_NOOP("GovDesk", "报送组"), QT_TRANSLATE_NOOP("GovDesk", "作者"))
PICK_HEADERS = (QT_TRANSLATE_NOOP("GovDesk", "报送日期"), QT_TRANSLATE_NOOP("GovDesk", "标题"),
                QT_TRANSLATE_NOOP("GovDesk", "类型"), QT_TRANSLATE_NOOP("GovDesk", "报送组"),
                QT_TRANSLATE_NOOP("GovDesk", "作者"))


def _table(headers: tuple[str, ...], *, many: bool = False) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if many
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    # A long title wraps in its row rather than being cut short.
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    return table


def _cell(text: str, value: object = None, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if value is not None:
        item.setData(Qt.ItemDataRole.UserRole, value)
    if tip:
        item.setToolTip(tip)
    return item


def _fit_columns(table: QTableWidget, stretch: int) -> None:
    header = table.horizontalHeader()
    table.resizeColumnsToContents()
    for column in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


class AddItemsDialog(QDialog):
    """加入稿件: the items being edited (编审) in no issue yet, the earliest 报送 first, found by title; the
    user ticks one or more (Ctrl/Shift to pick several) and adds them in the order listed."""

    def __init__(self, ctx: AppContext, actor: Actor, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.rows: list[listing.ItemRow] = []
        self.setWindowTitle(tr("加入稿件：{0}").format(label))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("按标题查找"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.table = _table(PICK_HEADERS, many=True)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.accept())
        self.empty = empty_state_label()
        self.count = QLabel()
        self.count.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("查找：")))
        top.addWidget(self.search, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText(tr("加入本期"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel(tr("列出已报送、正在编审、还没有编入期刊的稿件，报送早的在前。可按住Ctrl或Shift选择多篇，按列出的顺序加入。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        fit_to_screen(self, (900, 560), (560, 360))
        self.refresh()

    def refresh(self) -> None:
        ctx, actor, text = self.ctx, self.actor, self.search.text()

        def work() -> list[listing.ItemRow]:
            with ctx.uow() as uow:
                return listing.compilable_items(uow, actor, search=text or None)

        rows = db_read(self, work)
        self.rows = rows if rows is not None else []
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            submitted = f"{row.submitted_on:%Y-%m-%d}" if row.submitted_on else "—"
            for c, cell in enumerate((_cell(submitted, row.id), _cell(row.title, tip=row.title),
                                      _cell(row.kind_label), _cell(row.group_name), _cell(row.author_name))):
                self.table.setItem(r, c, cell)
        _fit_columns(self.table, 1)
        has = bool(self.rows)
        self.table.setVisible(has)
        self.empty.setVisible(not has)
        self.empty.setText(tr("没有找到标题含“{0}”的待编稿件。").format(text) if text else
                           tr("目前没有可编入的稿件。\n稿件由作者报送后，在编审中、还没有编入期刊的，会列在这里。"))
        self.count.setText(tr("共{0}篇").format(len(self.rows)))
        self._enable()

    def _enable(self) -> None:
        self.add_button.setEnabled(bool(self.selected_ids()))

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r].id for r in rows if r < len(self.rows)]

    def accept(self) -> None:
        if self.selected_ids():
            super().accept()


class IssueWindow(QDialog):
    """One issue: its fields, its items, and the acts on it. ``changed`` is emitted after every change that
    was saved (the tab's list refreshes)."""

    changed = Signal()

    def __init__(self, ctx: AppContext, actor: Actor, issue_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.issue_id = ctx, actor, issue_id
        self.info: issues.IssueInfo | None = None
        self.may_edit_issues = records.is_editor(actor)
        self._dirty = False
        self._filling = False
        self.setWindowTitle(tr("政务信息"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.state = QLabel()
        self.state.setObjectName("chip")
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addWidget(self.state)
        head.addStretch(1)

        # ----- the issue's fields
        self.issue_date = date_edit()
        self.editor_unit = QLineEdit()
        self.copies = QSpinBox()
        self.copies.setRange(0, issues.MAX_COPIES)
        self.copies.setSuffix(tr("份"))
        self.copies.setSpecialValueText(tr("不印份数"))
        self.report_to = QLineEdit()
        self.send_to = QLineEdit()
        self.distribute_to = QLineEdit()
        self.form = FormGrid(pairs=True)
        self.form.add("issue_date", tr("日期"), self.issue_date, required=True)
        self.form.add("copies", tr("印数"), self.copies)
        self.form.add("editor_unit", tr("编印单位"), self.editor_unit, required=True, wide=True)
        self.form.add("report_to", tr("报"), self.report_to, wide=True)
        self.form.add("send_to", tr("送"), self.send_to, wide=True)
        self.form.add("distribute_to", tr("发"), self.distribute_to, wide=True)
        for widget in (self.issue_date, self.editor_unit, self.copies, self.report_to, self.send_to,
                       self.distribute_to):
            on_change(widget, self._typed)
        self.save_button = QPushButton(action_icon("save"), tr("保存"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda _c=False: self.save())

        # ----- the items
        items_title = QLabel(tr("本期稿件"))
        items_title.setObjectName("sectionTitle")
        self.items = _table(ITEM_HEADERS)
        self.items.itemSelectionChanged.connect(self._enable)
        self.items_empty = empty_state_label()
        self.add_button = self._button("new", tr("加入稿件…"), self.add_items)
        self.remove_button = self._button("delete", tr("移出"), self.remove_item)
        self.up_button = self._button("", tr("上移"), lambda: self.move_item(-1))
        self.down_button = self._button("", tr("下移"), lambda: self.move_item(1))
        item_buttons = QHBoxLayout()
        item_buttons.addWidget(items_title)
        item_buttons.addStretch(1)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            item_buttons.addWidget(button)

        # ----- the acts
        self.preview_button = self._button("print", tr("预览打印…"), self.preview)
        self.publish_button = self._button("done", tr("印发…"), self.publish)
        self.publish_button.setObjectName("primary")
        self.close_button = self._button("", tr("关闭"), self.close)
        acts = QHBoxLayout()
        acts.addWidget(self.save_button)
        acts.addStretch(1)
        for button in (self.preview_button, self.publish_button, self.close_button):
            acts.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(self.form)
        layout.addLayout(item_buttons)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.items_empty, 1)
        layout.addLayout(acts)
        fit_to_screen(self, (1000, 700), (640, 480))
        self.load()

    def _button(self, icon: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(action_icon(icon), text) if icon else QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def sizeHint(self) -> QSize:
        return QSize(1000, 700)

    # ----- reading -------------------------------------------------------------------------------------------
    def load(self, *, fields: bool = True) -> bool:
        """Reads the issue; ``fields``: also puts its fields in the form (not after an act on its items, which
        keeps what the user has typed and not saved yet)."""
        ctx, actor, issue_id = self.ctx, self.actor, self.issue_id

        def work() -> issues.IssueInfo:
            with ctx.uow() as uow:
                return issues.get_issue(uow, actor, issue_id)

        info = db_read(self, work)
        if info is None:
            return False
        self.show_issue(info, fields=fields or not self._dirty)
        return True

    def show_issue(self, info: issues.IssueInfo, *, fields: bool = True) -> None:
        self.info = info
        self.setWindowTitle(tr("《政务信息》{0}").format(info.label))
        self.heading.setText(tr("《政务信息》{0}").format(info.label))
        if info.issued:
            self.state.setText(tr("已印发（{0}）").format(info.issued_by_name) if info.issued_by_name else tr("已印发"))
            self.state.setStyleSheet(f"color: {OK}; font-weight: bold;")
        else:
            self.state.setText(tr("编辑中"))
            self.state.setStyleSheet(f"color: {ACCENT}; font-weight: bold;")
        if fields:
            self._filling = True
            try:
                self.issue_date.setDate(to_qdate(info.issue_date))
                self.editor_unit.setText(info.editor_unit)
                self.copies.setValue(info.copies)
                self.report_to.setText(info.report_to)
                self.send_to.setText(info.send_to)
                self.distribute_to.setText(info.distribute_to)
            finally:
                self._filling = False
            self._dirty = False
            self.form.clear_errors()
        selected = self.selected_item_id()
        self.items.setRowCount(len(info.items))
        for r, item in enumerate(info.items):
            for c, cell in enumerate((_cell(str(item.position), item.id), _cell(item.title, tip=item.title),
                                      _cell(item.group_name), _cell(item.author_name))):
                self.items.setItem(r, c, cell)
            if item.id == selected:
                self.items.selectRow(r)
        _fit_columns(self.items, 1)
        has = bool(info.items)
        self.items.setVisible(has)
        self.items_empty.setVisible(not has)
        self.items_empty.setText(
            tr("本期还没有稿件。点“加入稿件…”从编审中的稿件里选择。") if self.editable else tr("本期没有稿件。"))
        self._enable()

    @property
    def editable(self) -> bool:
        return self.may_edit_issues and self.info is not None and not self.info.issued

    def item_ids(self) -> list[int]:
        return [item.id for item in self.info.items] if self.info is not None else []

    def selected_item_id(self) -> int | None:
        rows = self.items.selectionModel().selectedRows() if self.items.selectionModel() else []
        if not rows or self.info is None or rows[0].row() >= len(self.info.items):
            return None
        return self.info.items[rows[0].row()].id

    def _enable(self) -> None:
        editable = self.editable
        for widget in (self.issue_date, self.editor_unit, self.copies, self.report_to, self.send_to,
                       self.distribute_to):
            widget.setEnabled(editable)
        for button in (self.save_button, self.add_button, self.remove_button, self.up_button, self.down_button,
                       self.publish_button):
            button.setVisible(editable)
        selected = self.selected_item_id()
        ids = self.item_ids()
        index = ids.index(selected) if selected in ids else -1
        self.remove_button.setEnabled(selected is not None)
        self.up_button.setEnabled(index > 0)
        self.down_button.setEnabled(0 <= index < len(ids) - 1)
        self.publish_button.setEnabled(bool(ids))
        self.save_button.setEnabled(self._dirty)

    def _typed(self) -> None:
        if not self._filling:
            self._dirty = True
            self.save_button.setEnabled(self.editable)

    # ----- acting --------------------------------------------------------------------------------------------
    def _act(self, work: Callable[[issues.IssueInfo], issues.IssueInfo], *, fields: bool = False) -> bool:
        """Runs one change with the version shown; a refusal is shown, a conflict reloads."""
        info = self.info
        if info is None:
            return False
        try:
            result = db_call(self, lambda: work(info), saving=True)
        except ValidationError as error:
            if error.field in ("issue_date", "editor_unit", "report_to", "send_to", "distribute_to", "copies"):
                self.form.show_error(error)
            else:
                show_error(self, error)
            return False
        except ConflictError as error:
            show_error(self, error)
            self.load()
            self.changed.emit()
            return False
        except GovDeskError as error:
            show_error(self, error)
            return False
        self.show_issue(result, fields=fields or not self._dirty)
        self.changed.emit()
        return True

    def save(self) -> bool:
        """Saves the issue's fields (after every field passes its checks)."""
        if not self.form.check_all():
            return False
        ctx, actor = self.ctx, self.actor
        when: date = to_date(self.issue_date.date())
        unit, copies = self.editor_unit.text(), self.copies.value()
        report, send, distribute = self.report_to.text(), self.send_to.text(), self.distribute_to.text()

        def work(info: issues.IssueInfo) -> issues.IssueInfo:
            with ctx.uow() as uow:
                return issues.update_issue(uow, actor, info.id, issue_date=when, editor_unit=unit, report_to=report,
                                           send_to=send, distribute_to=distribute, copies=copies,
                                           expected_version=info.version)

        self._dirty = False
        if self._act(work, fields=True):
            return True
        self._dirty = True
        self._enable()
        return False

    def _saved_first(self) -> bool:
        """What the user typed is saved before an act that prints or fixes the issue."""
        return not (self.editable and self._dirty) or self.save()

    def add_items(self) -> None:
        if self.info is None:
            return
        dialog = AddItemsDialog(self.ctx, self.actor, self.info.label, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.selected_ids()
        ctx, actor = self.ctx, self.actor

        def work(info: issues.IssueInfo) -> issues.IssueInfo:
            with ctx.uow() as uow:
                return issues.add_items(uow, actor, info.id, chosen, expected_version=info.version)

        self._act(work)

    def remove_item(self) -> None:
        item_id = self.selected_item_id()
        if item_id is None:
            return
        ctx, actor = self.ctx, self.actor

        def work(info: issues.IssueInfo) -> issues.IssueInfo:
            with ctx.uow() as uow:
                return issues.remove_item(uow, actor, info.id, item_id, expected_version=info.version)

        self._act(work)

    def move_item(self, offset: int) -> None:
        item_id = self.selected_item_id()
        if item_id is None:
            return
        ctx, actor = self.ctx, self.actor

        def work(info: issues.IssueInfo) -> issues.IssueInfo:
            with ctx.uow() as uow:
                return issues.move_item(uow, actor, info.id, item_id, offset, expected_version=info.version)

        if self._act(work):
            ids = self.item_ids()
            if item_id in ids:
                self.items.selectRow(ids.index(item_id))

    def render_pdf(self) -> bytes:
        """The issue as printed, read as this user (the print is audited)."""
        from app.forms import PrintContext
        from app.forms.information import load_issue
        from app.printing.information.issue import render_issue

        source, issue_id = PrintContext(self.ctx, self.actor), self.issue_id
        return db_call(self, lambda: render_issue(load_issue(source, issue_id)))

    def preview(self) -> None:
        from app.ui.widgets.print_preview import PrintPreviewDialog

        if self.info is None or not self._saved_first():
            return
        try:
            pdf = self.render_pdf()
        except GovDeskError as error:
            show_error(self, error)
            return
        label = self.info.label
        PrintPreviewDialog(tr("《政务信息》{0}").format(label), pdf, tr("政务信息{0}.pdf").format(label), self).exec()

    def publish(self) -> None:
        info = self.info
        if info is None or not self._saved_first():
            return
        info = self.info
        assert info is not None
        question = tr("印发《政务信息》{0}（{1}）？\n本期{2}篇稿件将编入期刊，印发后本期和其中的稿件都不能再修改。").format(
            info.label, cn_date(info.issue_date), len(info.items))
        if not confirm(self, tr("印发"), question, tr("印发")):
            return
        ctx, actor = self.ctx, self.actor

        def work(current: issues.IssueInfo) -> issues.IssueInfo:
            with ctx.uow() as uow:
                return issues.publish_issue(uow, actor, current.id, expected_version=current.version)

        self._act(work, fields=True)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.editable and self._dirty and confirm(self, tr("保存修改"), tr("本期的日期、编印单位或报送范围已修改，还没有保存。要保存吗？"),
                                                   tr("保存"), tr("不保存")):
            self.save()
        super().closeEvent(event)
