"""The window of one record in a flow, the same in every area (DESIGN.md, Look): a header with the title, where
the record stands and its key facts; the standard tabs 基本信息, 办理记录, 流程图, 附件 and 关联, with the
催办 record and any tab of the area's own between them; the opinion box; and a bar with 催办, the area's tools
(打印…) and the actions this user may take now, which the services computed.

An area's window subclasses RecordWindow: it reads its record in ``load`` and hands the parts to ``show_header``,
``show_history``, ``show_flow``, ``show_urges``, ``show_related`` and ``show_actions``; it fills the 基本信息 and
附件 tabs, and says in ``act`` what each action does. Running a service call, showing its refusal beside the
opinion or in a box, reloading after a conflict and 催办 are done here, once for every area.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ConflictError, GovDeskError
from app.core.workflow import Flow
from app.services.kernel.actor import Actor
from app.services.kernel.attachments import AttachmentInfo
from app.services.workflow import urges
from app.services.workflow.clocks import ClockView
from app.services.workflow.detail import ActionChoice, HistoryEntry, InstanceDetail
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.action_bar import ActionBar
from app.ui.widgets.clock_panel import ClockPanel
from app.ui.widgets.conflict import ConflictDialog
from app.ui.widgets.db_call import db_call, db_read, in_unit_of_work
from app.ui.widgets.display import fill_table, plain_table, when
from app.ui.widgets.flowchart_view import FlowchartView
from app.ui.widgets.messages import show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.qt_helpers import add_button, clear_layout, icon_button, open_in_viewer, save_copy
from app.ui.widgets.record_tabs import AttachmentsPanel, Fact, InfoSheet, RelatedList, RelatedRecord, show_facts
from app.ui.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    # Only for the hint: the layout module is loaded when a flowchart is drawn, not when the window's module is.
    from app.core.workflow.layout import FlowTrail
    from app.ui.widgets.send_to import SendToCombo

# A button an area adds to the action bar besides the flow's moves: its text, what it does, whether primary.
ExtraAction = tuple[str, Callable[[], object], bool]
Read = TypeVar("Read")


class RecordWindow(QDialog):
    # A refusal about one of these fields is shown under the opinion box, where the user types the fix.
    opinion_fields: tuple[str, ...] = ("opinion",)
    # The moves whose service takes a named next handler (send_to), set by the area's window: only these show
    # a 送… choice.
    send_to_actions: frozenset[str] = frozenset()
    # What reads the record's detail for load, set by the area's window: it runs off the GUI thread, so it
    # holds the ids it needs, no widget.
    reader: Callable[[], Any]

    def __init__(
        self, ctx: AppContext, actor: Actor, opinion: OpinionBox, parent: QWidget | None = None, *,
        size: tuple[int, int] = (1100, 760), minimum: tuple[int, int] = (900, 600),
        info: QWidget | None = None, attachments: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.changed = False
        # The openers offered at some steps only (add_openers), shown by show_actions as the record moves.
        self._step_openers: list[tuple[tuple[str, ...], QPushButton]] = []
        # The 送… choice of each move that may name its next handler (show_actions).
        self.send_to: dict[str, SendToCombo] = {}
        fit_to_screen(self, size, minimum)

        # ----- the header
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setWordWrap(True)
        self.state_label = QLabel()
        # The record's clocks (受理时限, 办理时限 …) under where it stands; hidden for a flow without any.
        self.clock_panel = ClockPanel(ctx, actor, self.after_change)
        self.facts = QGridLayout()
        self.facts.setHorizontalSpacing(24)

        # ----- the standard tabs; an area may give 基本信息 and 附件 widgets of its own
        self.info_sheet = InfoSheet()
        self.info_widget = info if info is not None else self.info_sheet
        self.history = plain_table()
        self.flowchart = FlowchartView()
        self.flow_buttons = QHBoxLayout()
        for icon, text, slot in (("zoom_in", tr("放大"), lambda: self.flowchart.zoom(1.25)),
                                 ("zoom_out", tr("缩小"), lambda: self.flowchart.zoom(0.8)),
                                 ("fit", tr("适合窗口"), self.flowchart.fit)):
            self.add_flow_button(icon, text, slot)
        self.flow_buttons.addStretch(1)
        flow_tab = QWidget()
        flow_layout = QVBoxLayout(flow_tab)
        flow_layout.setContentsMargins(0, 0, 0, 0)
        flow_layout.addLayout(self.flow_buttons)
        flow_layout.addWidget(self.flowchart, 1)
        self.attachments = attachments if attachments is not None else AttachmentsPanel(tr("添加附件…"))
        self.urges_table = plain_table()
        self.related = RelatedList()
        self.tabs = QTabWidget()
        self.info_index = self.tabs.addTab(self.info_widget, action_icon("info"), tr("基本信息"))
        self.history_index = self.tabs.addTab(self.history, action_icon("history"), tr("办理记录"))
        self.flow_index = self.tabs.addTab(flow_tab, action_icon("flow"), tr("流程图"))
        self.files_index = self.tabs.addTab(self.attachments, action_icon("pdf"), tr("附件"))
        self.tabs.addTab(self.urges_table, action_icon("urge"), tr("催办"))
        self.tabs.addTab(self.related, action_icon("link"), tr("关联"))
        # Fitted when shown: while hidden the view has no size to fit into.
        self.tabs.currentChanged.connect(lambda i: self.flowchart.fit() if i == self.flow_index else None)

        # ----- the opinion and the bar
        self.opinion_box = opinion
        self.opinion, self.opinion_error = opinion.edit, opinion.error
        # Acts once per click; the next step's buttons ignore the second click of a double-click.
        self.actions_row = ActionBar()
        self.urge_method = QComboBox()
        self.urge_method.addItems(list(urges.URGE_METHODS))
        self.urge_method.setToolTip(tr("催办方式"))
        self.urge_button = QPushButton(action_icon("urge"), tr("催办"))
        self.urge_button.setAutoDefault(False)
        self.urge_button.clicked.connect(self.urge)
        # The area's own tools (打印…) sit after 催办.
        self.tools = QHBoxLayout()
        close = QPushButton(tr("关闭"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.urge_method)
        bottom.addWidget(self.urge_button)
        bottom.addLayout(self.tools)
        bottom.addStretch(1)
        bottom.addLayout(self.actions_row)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.clock_panel)
        layout.addLayout(self.facts)
        layout.addWidget(self.tabs, 1)
        opinion.add_to(layout)
        layout.addLayout(bottom)
        # The record's story first, as every window opened before the tabs were shared; an area may choose.
        self.tabs.setCurrentIndex(self.history_index)

    # ----- building, for the area's window --------------------------------------------------------------------
    def add_area_tab(self, widget: QWidget, icon: str, title: str) -> int:
        """A tab of the area's own (传阅, 差错 …), after the standard 附件 and before 催办 and 关联."""
        return self.tabs.insertTab(self.tabs.indexOf(self.urges_table), widget, action_icon(icon), title)

    def add_flow_button(self, icon: str, text: str, slot: Callable[[], object]) -> QPushButton:
        """A button above the flowchart, before the row's stretch once it is there."""
        button = icon_button(icon, text, slot)
        button.setAutoDefault(False)
        row = self.flow_buttons
        stretch_at = next((i for i in range(row.count()) if (item := row.itemAt(i)) is not None
                           and item.spacerItem() is not None), row.count())
        self.flow_buttons.insertWidget(stretch_at, button)
        return button

    def add_print_button(self, text: str) -> QPushButton:
        """The 打印 button among the tools; the area's print_form says what it prints."""
        self.print_button = icon_button("print", text, self.print_form)
        self.add_tool(self.print_button)
        return self.print_button

    def add_openers(self, entity_type: str, record_id: int, title: Callable[[], str]) -> None:
        """The buttons that open a record of another area from this one (转为督办事项…), as the areas' manifests
        declare them, for the roles they name."""
        from app.core.areas import openers_from, resolve

        for opener in openers_from(entity_type):
            if opener.per_part or not self.actor.has(*opener.roles):
                continue

            def open_record(_checked: bool = False, reference: str = opener.dialog) -> None:
                try:
                    dialog = resolve(reference)(self.ctx, self.actor, (entity_type, record_id), title(), self)
                except GovDeskError as error:
                    show_error(self, error)
                    return
                if dialog.exec() == QDialog.DialogCode.Accepted and getattr(dialog, "saved", None) is not None:
                    self.after_change()

            button = QPushButton(opener.label)
            button.clicked.connect(open_record)
            self.add_tool(button)
            if opener.states:
                self._step_openers.append((opener.states, button))

    def add_tool(self, widget: QWidget) -> QWidget:
        if isinstance(widget, QPushButton):
            widget.setAutoDefault(False)
        self.tools.addWidget(widget)
        return widget

    # ----- showing ----------------------------------------------------------------------------------------------
    def load(self) -> None:
        """Reads the record and shows it; a failed read keeps the record last shown."""
        found = self.read(self.reader)
        if found is not None:
            self.detail = found
            self.show_record(found)

    def show_record(self, detail: Any) -> None:
        """Shows the detail just read; every area's window says how."""
        raise NotImplementedError

    def read(self, work: Callable[[], Read]) -> Read | None:
        """What work reads, through db_call; None, with the refusal shown, when it could not be read."""
        return db_read(self, work, show_error)

    def show_header(self, window_title: str, title: str, state: str, colour: str, facts: Sequence[Fact]) -> None:
        self.setWindowTitle(window_title)
        self.title_label.setText(title)
        self.state_label.setText(f'<span style="color:{colour}; font-weight:bold">{state}</span>')
        show_facts(self.facts, facts)

    def show_clocks(self, instance_id: int, version: int, views: Sequence[ClockView]) -> None:
        """A line per clock under the state, with the buttons this user may use (app.ui.widgets.clock_panel)."""
        self.clock_panel.show_clocks(instance_id, version, views)

    def show_history(self, history: Sequence[HistoryEntry]) -> None:
        fill_table(self.history, [tr("时间"), tr("办理人"), tr("操作"), tr("环节"), tr("意见")], [
            [when(h.at), h.actor_text, h.action_label, f"{h.from_label} → {h.to_label}" if h.from_label else h.to_label,
             h.opinion] for h in history
        ])

    def show_flow(self, flow: Flow, trail: FlowTrail) -> None:
        self.flowchart.show_flow(flow, trail)

    def show_urges(self, rows: Sequence[urges.UrgeInfo]) -> None:
        fill_table(self.urges_table, [tr("时间"), tr("催办人"), tr("方式"), tr("说明")], [
            [when(u.at), u.by_name, u.method, u.note] for u in rows
        ])

    def show_related(self, records: Sequence[RelatedRecord]) -> None:
        self.related.show_records(records)

    def show_files(self, files: Sequence[AttachmentInfo], kind: Callable[[AttachmentInfo], str],
                   kind_header: str | None = None) -> None:
        """The 附件 tab's list (for the standard panel): name, what the file is (用途 unless said), size."""
        panel = self.attachments
        assert isinstance(panel, AttachmentsPanel)
        panel.fill([tr("文件名"), kind_header or tr("用途"), tr("大小")],
                   [[f.filename, kind(f), f"{f.size // 1024 + 1} KB"] for f in files], [f.id for f in files])

    def show_actions(self, choices: Sequence[ActionChoice], extras: Sequence[ExtraAction] = (),
                     instance: InstanceDetail | None = None) -> None:
        """The action bar: the moves the services allow now, then the area's own acts (修改, 会签 …). Given the
        record's flow (instance), a move that may name its next handler has its 送… choice before it, and 撤回
        is offered where the actor may take their last move back (app.ui.widgets.send_to)."""
        from app.ui.widgets.send_to import send_to_combos

        clear_layout(self.actions_row)
        self.send_to = {} if instance is None else send_to_combos(
            self.ctx, self.actor, instance.info.id, [c for c in choices if c.action in self.send_to_actions])
        for choice in choices:
            if choice.action in self.send_to:
                self.actions_row.addWidget(self.send_to[choice.action])
            add_button(self.actions_row, choice.label, lambda _=False, c=choice: self.act(c), choice.kind == "forward")
        if instance is not None and instance.may_withdraw:
            add_button(self.actions_row, tr("撤回"), lambda _=False, i=instance: self.withdraw_move(i))
        for text, slot, primary in extras:
            add_button(self.actions_row, text, slot, primary)
        if instance is not None:
            for states, button in self._step_openers:
                button.setVisible(instance.info.state in states)

    def sent_to(self, action: str) -> int | None:
        """The person named in the move's 送… choice, or None (the step's role)."""
        combo = self.send_to.get(action)
        return combo.chosen() if combo is not None else None

    def withdraw_move(self, instance: InstanceDetail) -> None:
        """撤回 the actor's last move, with the opinion box's text as the reason."""
        from app.services.workflow.withdrawal import withdraw

        reason, version = self.opinion_text(), instance.info.version
        self.run_service(lambda u: withdraw(u, self.actor, instance.info.id, reason=reason, expected_version=version))

    def set_urging(self, allowed: bool, why_not: str = "") -> None:
        self.urge_button.setEnabled(allowed)
        self.urge_method.setEnabled(allowed)
        self.urge_button.setToolTip("" if allowed else why_not)

    # ----- acting -----------------------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        """Runs one of the flow's moves; every area's window says how."""
        raise NotImplementedError

    def hasten(self, uow: Any, method: str, note: str) -> object:
        """Records a 催办 of this record; every area's window says through which service."""
        raise NotImplementedError

    def opinion_text(self) -> str:
        return self.opinion_box.text()

    def need_opinion(self, what: str) -> str | None:
        """The opinion, or None with a line under the box saying what to write there."""
        text = self.opinion_text()
        if not text:
            self.opinion_box.show_problem(tr("请先在“办理意见”中填写{0}").format(what))
            return None
        return text

    def run_service(self, work: Callable[[Any], object]) -> bool:
        """One service call in its own unit of work; refusals are shown, nothing typed is lost. After a
        success, or a conflict with someone else's change, the window shows the record as it is now."""
        self.opinion_box.hide_problem()
        try:
            db_call(self, lambda: in_unit_of_work(self.ctx, work), saving=True)
        except ConflictError as error:
            ConflictDialog.ask(self, error.message)
            self.load()
            return False
        except GovDeskError as error:
            self.refused(error)
            return False
        self.changed = True
        self.opinion.clear()
        self.load()
        return True

    def refused(self, error: GovDeskError) -> None:
        """A refusal about the opinion under the box; any other in a message box."""
        if error.field in self.opinion_fields:
            self.opinion_box.show_problem(error.message)
        else:
            show_error(self, error)

    def in_dialog(self, work: Callable[[Any], object]) -> object:
        """For a step's own dialog (付款, 记账): runs the call and lets its refusals reach the dialog's form."""
        return db_call(self, lambda: in_unit_of_work(self.ctx, work), saving=True)

    def after_change(self) -> None:
        self.changed = True
        self.load()

    def urge(self) -> None:
        method, note = self.urge_method.currentText(), self.opinion_text()
        self.run_service(lambda u: self.hasten(u, method, note))
        self.tabs.setCurrentWidget(self.urges_table)

    # ----- files ------------------------------------------------------------------------------------------------
    def read_file(self, read: Callable[[Any], tuple[AttachmentInfo, bytes]]) -> tuple[str, bytes] | None:
        """A file's name and bytes through the area's service (which checks this user may have it)."""
        def fetch() -> tuple[AttachmentInfo, bytes]:
            with self.ctx.uow() as uow:
                return read(uow)

        found = self.read(fetch)
        return None if found is None else (found[0].filename, found[1])

    def read_chosen_file(self, path: Path) -> bytes | None:
        """The bytes of a file the user chose to add; None, with the reason shown, when it cannot be read."""
        try:
            return path.read_bytes()
        except OSError as error:
            show_error(self, GovDeskError(tr("无法读取文件：{0}").format(error.strerror)))
            return None

    def selected_attachment(self, missing: str) -> int | None:
        """The id of the file chosen in the 附件 tab; None, with `missing` shown, when none is."""
        panel = self.attachments
        assert isinstance(panel, AttachmentsPanel)
        chosen = panel.selected_id()
        if chosen is None:
            show_error(self, GovDeskError(missing))
        return chosen

    def selected_file(self) -> tuple[str, bytes] | None:
        """The name and bytes of the file chosen in the 附件 tab (see chosen_file); every area's window says
        through which service."""
        raise NotImplementedError

    def chosen_file(self, missing: str, read: Callable[[Any, int], tuple[AttachmentInfo, bytes]]) -> tuple[str, bytes] | None:
        """The file chosen in the 附件 tab, read by read(uow, attachment id); None, with `missing` or the
        refusal shown, when there is none to give."""
        chosen = self.selected_attachment(missing)
        return None if chosen is None else self.read_file(lambda u: read(u, chosen))

    def open_selected_file(self) -> None:
        self.open_file(self.selected_file())

    def export_selected_file(self) -> None:
        self.export_file(self.selected_file())

    def open_file(self, found: tuple[str, bytes] | None) -> None:
        if found is not None:
            open_in_viewer(self, *found)

    def export_file(self, found: tuple[str, bytes] | None) -> None:
        if found is not None:
            save_copy(self, *found)

    # ----- printing ---------------------------------------------------------------------------------------------
    def print_form(self) -> None:
        """Prints the record on its form; every area's window says which."""
        raise NotImplementedError

    def print_record(self, form: str, record_id: int, title: str | None, file_name: Callable[[str], str]) -> None:
        """Shows the record printed on `form` (titled `title`, or the form's own title), as this user: a
        record they may no longer see is refused by the services, not printed."""
        from app.forms import PrintContext, build_registry
        from app.ui.widgets.print_preview import PrintPreviewDialog

        registry = build_registry()
        source = PrintContext(self.ctx, self.actor)
        pdf = self.read(lambda: registry.load_and_render(form, source, record_id))
        if pdf is None:
            return
        shown = title or registry.get(form).title
        PrintPreviewDialog(shown, pdf, file_name(shown), self).exec()
