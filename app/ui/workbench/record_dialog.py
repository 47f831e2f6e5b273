"""The window of one record in a flow: where it stands, its history of opinions, its flowchart, and the
actions this user may take now. Area modules open their own richer windows; this one serves every flow.
It is the shared record window (app.ui.widgets.record_window) with what any flow's record has."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.kernel.actor import Actor
from app.services.workflow import clocks, urges
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from app.services.workflow.flow_record import flow_record
from app.ui.i18n import tr
from app.ui.theme import OK, SOON, URGENT
from app.ui.widgets.db_call import as_user, db_call
from app.ui.widgets.display import cn_date, past_due, when
from app.ui.widgets.messages import show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.record_features import attach_record_features
from app.ui.widgets.record_window import RecordWindow


class RecordDialog(RecordWindow):
    def __init__(self, ctx: AppContext, actor: Actor, instance_id: int, parent: QWidget | None = None) -> None:
        opinion = OpinionBox(tr("办理意见："), tr("办理意见（退回时必须填写理由）"), (), height=80)
        # A record of a flow alone, with no area's record behind it, carries no files: the tab says so.
        no_files = QLabel(tr("这类事项不带附件。公文、报账等模块的窗口中可以添加附件。"))
        no_files.setObjectName("hint")
        no_files.setWordWrap(True)
        no_files.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        no_files.setContentsMargins(8, 8, 8, 8)
        super().__init__(ctx, actor, opinion, parent, size=(1000, 680), minimum=(760, 560), attachments=no_files)
        self.instance_id = instance_id
        self.detail: workflow_detail.InstanceDetail | None = None
        # 责任与进展 (the responsible person, recurring reports, parallel work items) and the 关联 tab's links.
        self.record_features = attach_record_features(self, instance_id)
        self.load()

    def load(self) -> None:
        ctx, actor, instance_id = self.ctx, self.actor, self.instance_id

        try:
            record = db_call(self, as_user(ctx, actor, flow_record, instance_id))
        except GovDeskError as error:
            show_error(self, error)
            return
        self.detail = detail = record.detail
        urge_rows, clock_views = record.urges, record.clocks
        info = detail.info
        overdue = past_due(info.due_date) and not info.closed
        colour = URGENT if overdue else (OK if info.closed else SOON if info.urgency else "#1F4E79")
        state = tr('已办结') if info.closed else tr('当前环节：{0}').format(info.state_label)
        if overdue:
            state += tr('（已逾期）')
        due = "—"
        if info.due_date:
            due = cn_date(info.due_date) + (tr('（待国务院公布）') if info.due_provisional else "")
        self.show_header(f"{info.flow_label} — {info.title}", info.title, state, colour, [
            (tr('流程'), info.flow_label), (tr('经办人'), detail.owner_name or "—"), (tr('单位'), detail.unit_name or "—"),
            (tr('办理时限'), due),
        ])
        self.show_clocks(instance_id, info.version, clock_views)
        self.info_sheet.set_facts([
            (tr('标题'), info.title), (tr('流程'), tr('{0}（第{1}版）').format(info.flow_label, info.flow_version)),
            (tr('当前环节'), info.state_label), (tr('进入本环节'), when(info.entered_at) or "—"),
            (tr('缓急'), info.urgency or tr('一般')), (tr('办理时限'), due),
            (tr('经办人'), detail.owner_name or "—"), (tr('单位'), detail.unit_name or "—"),
        ])
        self.show_history(detail.history)
        self.show_flow(detail.flow, clocks.trail_with_clocks(detail.trail, clock_views))
        self.show_urges(urge_rows)
        self.record_features.refresh()
        # The generic move (workflow.transition) takes a named next handler for any move.
        self.send_to_actions = frozenset(c.action for c in detail.actions)
        self.show_actions(detail.actions, instance=detail)
        can_urge = not info.closed and (overdue or bool(info.urgency)) and self.actor.has(*urges.URGING_ROLES)
        self.set_urging(can_urge, tr('只有已逾期或紧急的事项可以催办'))
        self.opinion_box.set_enabled(bool(detail.actions))

    def act(self, choice: workflow_detail.ActionChoice) -> None:
        assert self.detail is not None
        text = self.opinion.toPlainText()
        self.opinion_box.hide_problem()
        if choice.requires_opinion and not text.strip():
            self.opinion_box.show_problem(tr('{0}时必须填写意见或理由').format(choice.label))
            return
        actor, instance_id, version = self.actor, self.instance_id, self.detail.info.version
        to = self.sent_to(choice.action)  # read here: the service runs off the GUI thread
        self.run_service(lambda u: workflow.transition(u, actor, instance_id, choice.action, text,
                                                       expected_version=version, send_to=to))

    def hasten(self, uow: Any, method: str, note: str) -> object:
        return urges.urge(uow, self.actor, self.instance_id, method, note)
