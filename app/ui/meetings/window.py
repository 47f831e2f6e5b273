"""The window of one meeting: the shared record window with the meeting's facts, its history, its flowchart, its
material (会议材料, 会议记录), 责任与进展 and its links; the area's own tabs (议题, 会议方案, 签到, 座次, 议定事项:
app.ui.meetings.tabs); and the acts this user may take now: the flow's moves (开始签到, 会议结束, 退回筹备, 取消会议,
办结), 修改…, 打印…, and what other areas open from a meeting (起草会议纪要…, 转为督办事项…) as their manifests
declare."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QPushButton, QWidget

from app.bootstrap import AppContext
from app.core.areas import FormEntry, area_of_entity
from app.core.errors import GovDeskError
from app.core.meetings.flow import CANCELLED, CLOSED, ENTITY, FOLLOW_UP, HELD
from app.services.kernel.actor import Actor
from app.services.meetings import lifecycle, listing, records
from app.services.meetings.records import FILE_PURPOSES, MeetingInfo
from app.services.workflow import urges
from app.services.workflow.detail import ActionChoice
from app.ui.i18n import tr
from app.ui.meetings.calendar_view import STATE_COLOURS
from app.ui.meetings.editor import attendee_summary
from app.ui.meetings.tabs import meeting_tabs
from app.ui.theme import ACCENT, MUTED
from app.ui.widgets.db_call import as_user
from app.ui.widgets.messages import confirm, show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.record_features import attach_record_features
from app.ui.widgets.record_tabs import AttachmentsPanel, Fact
from app.ui.widgets.record_window import ExtraAction, RecordWindow

# The flow's moves, each taken by its lifecycle service.
MOVES: dict[str, Callable[..., MeetingInfo]] = {
    "convene": lifecycle.convene, "cancel": lifecycle.cancel_meeting, "conclude": lifecycle.conclude,
    "return": lifecycle.return_to_prepare, "finish": lifecycle.finish,
}
# The icon of each of the area's tabs, by its title.
TAB_ICONS: dict[str, str] = {"议题": "read", "会议方案": "calendar", "签到": "done", "座次": "users", "议定事项": "link"}


class MeetingWindow(RecordWindow):
    opinion_fields = ("opinion",)

    def __init__(self, ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None = None) -> None:
        opinion = OpinionBox(tr("办理意见："), tr("办理意见（退回筹备、取消会议时写明原因）"), height=64,
                             area="meetings", ctx=ctx, actor=actor)
        material = AttachmentsPanel(tr("添加材料…"), removable=True)
        super().__init__(ctx, actor, opinion, parent, attachments=material)
        self.meeting_id = meeting_id
        self.reader = as_user(ctx, actor, listing.meeting_detail, meeting_id)
        self.detail: listing.MeetingDetail | None = None
        self.material = material
        material.wire(self.choose_files, self.open_selected_file, self.export_selected_file,
                      remove=self.remove_selected_file)
        self.tabs.setTabText(self.files_index, tr("会议材料"))
        self.record_features: Any = None
        # The area's own tabs; one that changes the meeting has the header and the actions read again.
        self.area_tabs: list[QWidget] = []
        for title, widget in meeting_tabs(ctx, actor, meeting_id, self):
            self.add_area_tab(widget, TAB_ICONS.get(title, "info"), title)
            self.area_tabs.append(widget)
            changed = getattr(widget, "changed", None)
            if changed is not None:
                changed.connect(self._tab_changed)
        self._reading_tabs = True
        self.print_menu_button = self._print_button()
        self.add_openers(ENTITY, meeting_id, lambda: self.info.title if self.detail is not None else "")
        self.tabs.setCurrentIndex(self.info_index)
        # Each tab's icon, kept while the icons are off for want of room (fit_tabs).
        self._tab_icons: dict[QWidget, QIcon] = {}
        self.load()

    @property
    def info(self) -> MeetingInfo:
        assert self.detail is not None
        return self.detail.info

    def _print_button(self) -> QPushButton | None:
        """打印…: the forms the manifest declares for one meeting (会议通知, 签到表, 座次图, 会议方案), from a
        menu when there are several; none while the area declares none."""
        forms = record_forms()
        if not forms:
            return None
        button = self.add_print_button(tr("打印…"))
        if len(forms) > 1:
            menu = QMenu(button)
            for form in forms:
                action = menu.addAction(tr("打印{0}…").format(form.title))
                action.triggered.connect(self._printer(form.name, form.title))
            button.setMenu(menu)
        return button

    def _printer(self, name: str, title: str) -> Callable[[bool], None]:
        def go(_checked: bool = False) -> None:
            self.print_one(name, title)

        return go

    # ----- showing -------------------------------------------------------------------------------------------
    def show_record(self, detail: listing.MeetingDetail) -> None:
        if self.record_features is None:
            self.record_features = attach_record_features(self, detail.info.instance_id)
        info = detail.info
        if info.cancelled or info.state == CANCELLED:
            state, colour = tr("已取消"), MUTED
        elif info.state == CLOSED:
            state, colour = tr("已办结"), MUTED
        else:
            state, colour = tr("当前环节：{0}").format(info.state_label), STATE_COLOURS.get(info.state, ACCENT)
        self.show_header(tr("会议 {0} — {1}").format(info.number, info.title),
                         tr("{0}　{1}").format(info.number, info.title), state, colour, _facts(info))
        self.info_sheet.set_facts([
            (tr("会议编号"), info.number), (tr("会议类型"), info.meeting_type), (tr("会议名称"), info.title),
            (tr("会议时间"), info.when), (tr("会议室/地点"), info.where or "—"), (tr("主持人"), info.host_name or "—"),
            (tr("承办单位"), info.organizer_unit_name), (tr("会议要求"), info.notes or "—"),
            (tr("参会人员"), attendee_summary(info.attendees)), (tr("经办人"), info.responsible_name or "—"),
            (tr("登记人"), info.created_by_name),
        ])
        self.show_history(detail.workflow.history)
        self.show_flow(detail.workflow.flow, detail.workflow.trail)
        self.show_files(detail.files, lambda f: FILE_PURPOSES.get(f.purpose, f.purpose))
        self.tabs.setTabText(self.files_index, tr("会议材料（{0}）").format(len(detail.files)))
        self.material.add_button.setEnabled(detail.may_edit)
        if self.material.remove_button is not None:
            self.material.remove_button.setEnabled(detail.may_edit)
        self.show_urges(detail.urges)
        self.record_features.refresh()
        if self._reading_tabs:
            for tab in self.area_tabs:
                reload = getattr(tab, "reload", None)
                if callable(reload):
                    reload()
        self.fit_tabs()
        extras: list[ExtraAction] = []
        if detail.may_edit:
            extras.append((tr("修改…"), self.edit, False))
        self.show_actions(detail.workflow.actions, extras, instance=detail.workflow)
        self.opinion_box.set_enabled(bool(detail.workflow.actions))
        may_urge = not info.closed and self.actor.has(*urges.URGING_ROLES) and info.state == FOLLOW_UP
        self.set_urging(may_urge, tr("会后落实阶段的会议可以催办"))

    def fit_tabs(self) -> None:
        """A meeting has more tabs than any other record: where their row is wider than the window (at 大 on a
        1366-pixel screen) the tabs go without their icons, so that every title shows whole."""
        bar = self.tabs.tabBar()
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if widget is None:
                continue
            if widget not in self._tab_icons:
                self._tab_icons[widget] = self.tabs.tabIcon(index)
            self.tabs.setTabIcon(index, self._tab_icons[widget])
        if bar.sizeHint().width() > self.tabs.width() - 8:
            for index in range(self.tabs.count()):
                self.tabs.setTabIcon(index, QIcon())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_tabs()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and hasattr(self, "_tab_icons"):
            self.fit_tabs()

    def _tab_changed(self, *_args: object) -> None:
        """A tab changed the meeting: the header, the history and the actions again; the tab has its own."""
        self.changed = True
        self._reading_tabs = False
        try:
            self.load()
        finally:
            self._reading_tabs = True

    # ----- acting ----------------------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        ident, actor, version, opinion = self.meeting_id, self.actor, self.info.version, self.opinion_text()
        call = MOVES.get(choice.action)
        if call is None:
            show_error(self, GovDeskError(tr("“{0}”不能在这里办理").format(choice.label)))
            return
        if choice.requires_opinion and not opinion:
            self.opinion_box.show_problem(tr("{0}时请在“办理意见”中写明原因").format(choice.label))
            return
        if choice.action == "cancel" and not confirm(
            self, tr("取消会议"), tr("取消后会议室即被释放，会议不再召开。确定取消“{0}”吗？").format(self.info.title),
            tr("取消会议"), tr("不取消"),
        ):
            return
        if choice.action == "convene" and self.info.state != HELD and not confirm(
            self, tr("开始签到"), tr("开始签到后会议进入“会议召开”环节，会议时间不能再改。确定开始吗？"),
            tr("开始签到"), tr("暂不开始"),
        ):
            return
        self.run_service(lambda u: call(u, actor, ident, opinion, expected_version=version))

    def edit(self) -> None:
        from app.ui.meetings.editor import MeetingEditor

        try:
            editor = MeetingEditor(self.ctx, self.actor, self.info, self)
        except GovDeskError as error:
            show_error(self, error)
            return
        if editor.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def print_form(self) -> None:
        forms = record_forms()
        if forms:
            self.print_one(forms[0].name, forms[0].title)

    def print_one(self, name: str, title: str) -> None:
        self.print_record(name, self.meeting_id, None,
                          lambda shown: tr("{0}-{1}.pdf").format(shown or title, self.info.number))

    def hasten(self, uow: Any, method: str, note: str) -> object:
        return urges.urge(uow, self.actor, self.info.instance_id, method, note)

    # ----- material -----------------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        from app.ui.widgets.qt_helpers import ask_open_file

        purposes = [(label, key) for key, label in FILE_PURPOSES.items()]
        labels = [label for label, _key in purposes]
        chosen, ok = QInputDialog.getItem(self, tr("添加材料"), tr("材料用途："), labels, 0, False)
        if not ok:
            return
        path = ask_open_file(self, tr("选择材料文件"))
        if path is not None:
            self.add_file(path, dict(purposes)[chosen])

    def add_file(self, path: Path, purpose: str) -> None:
        data = self.read_chosen_file(path)
        if data is None:
            return
        actor, ident = self.actor, self.meeting_id
        mime = mimetypes.guess_type(path.name)[0]

        self.run_service(lambda u: records.add_file(u, actor, ident, filename=path.name, data=data, purpose=purpose,
                                                    mime_type=mime))

    def remove_selected_file(self) -> None:
        chosen = self.selected_attachment(tr("请先选中一个文件"))
        if chosen is None or not confirm(self, tr("删除材料"), tr("确定删除选中的材料吗？"), tr("删除"), tr("取消")):
            return
        actor, ident = self.actor, self.meeting_id

        self.run_service(lambda u: records.remove_file(u, actor, ident, chosen))

    def selected_file(self) -> tuple[str, bytes] | None:
        actor = self.actor
        return self.chosen_file(tr("请先选中一个文件"), lambda u, chosen: records.file_data(u, actor, chosen))


def record_forms() -> list[FormEntry]:
    """The forms the 会议 manifest declares that print one meeting (by its id)."""
    manifest = area_of_entity(ENTITY)
    return [f for f in manifest.forms if f.arguments == ("id",)] if manifest is not None else []


def _facts(info: MeetingInfo) -> list[Fact]:
    return [
        (tr("会议类型"), info.meeting_type), (tr("会议时间"), info.when),
        (tr("会议室/地点"), info.where or "—"), (tr("主持人"), info.host_name or "—"),
        (tr("承办单位"), info.organizer_unit_name), (tr("经办人"), info.responsible_name or "—"),
    ]


