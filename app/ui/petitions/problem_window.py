"""The window of one 排查问题: the shared record window with the problem's facts (what the screening found, the
responsible unit, the deadline, what the unit reported), its history and flowchart, 责任与进展 with the unit's
task, its 催办 and links; and the acts this user may take now: the unit's 联络员 报送化解情况, those who handle
petitions 化解办结 once the unit has reported."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError
from app.services.kernel.actor import Actor
from app.services.petitions import problems
from app.services.workflow import urges
from app.services.workflow.detail import ActionChoice
from app.ui.i18n import tr
from app.ui.theme import ACCENT, OK, URGENT
from app.ui.widgets.display import cn_date
from app.ui.widgets.messages import show_error
from app.ui.widgets.opinion import OpinionBox
from app.ui.widgets.record_features import TextDialog, attach_record_features
from app.ui.widgets.record_tabs import Fact
from app.ui.widgets.record_window import ExtraAction, RecordWindow


def _period(info: problems.ProblemInfo) -> str:
    return tr("{0}至{1}").format(cn_date(info.period_from), cn_date(info.period_to))


class ProblemWindow(RecordWindow):
    def __init__(self, ctx: AppContext, actor: Actor, problem_id: int, parent: QWidget | None = None) -> None:
        opinion = OpinionBox(tr("办理意见："), tr("化解办结时可写明核实和回访情况"), height=64,
                             area="petitions", ctx=ctx, actor=actor)
        super().__init__(ctx, actor, opinion, parent)
        self.problem_id = problem_id
        self.reader = partial(_read_problem, ctx, actor, problem_id)
        self.detail: problems.ProblemDetail | None = None
        self.record_features: Any = None
        # A problem keeps no files of its own: the cases it came from keep theirs.
        self.tabs.setTabVisible(self.files_index, False)
        self.tabs.setCurrentIndex(self.info_index)
        self.load()

    @property
    def info(self) -> problems.ProblemInfo:
        assert self.detail is not None
        return self.detail.info

    # ----- showing -------------------------------------------------------------------------------------------
    def show_record(self, detail: problems.ProblemDetail) -> None:
        if self.record_features is None:
            self.record_features = attach_record_features(self, detail.info.instance_id)
        info = detail.info
        overdue = info.overdue(date.today())
        if info.closed:
            state = tr("已化解（{0}）").format(cn_date(info.solved_on)) if info.solved_on else tr("已化解")
            colour = URGENT if info.solved_on and info.solved_on > info.deadline else OK
        else:
            state, colour = tr("当前环节：{0}").format(info.state_label), URGENT if overdue else ACCENT
            if overdue:
                state += tr("（已超过化解时限）")
            elif info.task_state == "reported":
                state += tr("（{0}已报送化解情况，待办结）").format(info.unit_name)
        self.show_header(tr("排查问题 {0} — {1}").format(info.number, info.title),
                         tr("{0}　{1}").format(info.number, info.title), state, colour, _facts(info))
        self.info_sheet.set_facts([
            (tr("问题编号"), info.number), (tr("问题名称"), info.title), (tr("问题类别"), info.category or "—"),
            (tr("问题属地"), info.place or "—"), (tr("排查时段"), _period(info)),
            (tr("涉及信访件"), tr("{0}件").format(info.case_count)),
            (tr("问题描述和化解要求"), info.description or "—"), (tr("责任单位"), info.unit_name),
            (tr("化解时限"), cn_date(info.deadline)), (tr("单位任务"), info.task_state_label or "—"),
            (tr("化解情况"), info.feedback or tr("（尚未报送）")),
            (tr("化解日期"), cn_date(info.solved_on)), (tr("立项人"), info.created_by_name),
        ])
        self.show_history(detail.workflow.history)
        self.show_flow(detail.workflow.flow, detail.workflow.trail)
        self.show_urges(detail.urges)
        self.record_features.refresh()
        extras: list[ExtraAction] = []
        if detail.may_solve:
            extras.append((tr("化解办结"), self.solve, True))
        if detail.may_report:
            extras.append((tr("报送化解情况…"), self.report, True))
        self.show_actions(detail.workflow.actions, extras, instance=detail.workflow)
        self.opinion_box.set_enabled(bool(detail.workflow.actions) or detail.may_solve)
        may_urge = not info.closed and info.task_state == "sent" and self.actor.has(*urges.URGING_ROLES)
        self.set_urging(may_urge, tr("只有责任单位尚未报送化解情况的问题可以催办"))

    # ----- acting ----------------------------------------------------------------------------------------------
    def act(self, choice: ActionChoice) -> None:
        if choice.action != "solve":
            show_error(self, GovDeskError(tr("“{0}”不能在这里办理").format(choice.label)))
            return
        self.solve()

    def solve(self) -> None:
        """化解办结, accepting the unit's report in the same act."""
        ident, actor, version, opinion = self.problem_id, self.actor, self.info.version, self.opinion_text()
        self.run_service(lambda u: problems.solve(u, actor, ident, opinion, expected_version=version))

    def report(self) -> None:
        actor, ident = self.actor, self.problem_id
        dialog = TextDialog(
            tr("报送化解情况"), tr("化解情况"), tr("采取的措施、化解的结果、信访人的意见"), "feedback",
            lambda text: self.in_dialog(lambda u: problems.report_problem(u, actor, ident, text)),
            self, self.info.feedback,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()

    def hasten(self, uow: Any, method: str, note: str) -> object:
        return urges.urge(uow, self.actor, self.info.instance_id, method, note)


def _facts(info: problems.ProblemInfo) -> list[Fact]:
    return [
        (tr("问题类别"), info.category or "—"), (tr("问题属地"), info.place or "—"),
        (tr("责任单位"), info.unit_name), (tr("化解时限"), cn_date(info.deadline)),
        (tr("涉及信访件"), tr("{0}件").format(info.case_count)), (tr("排查时段"), _period(info)),
    ]


def _read_problem(ctx: AppContext, actor: Actor, problem_id: int) -> problems.ProblemDetail:
    with ctx.uow() as uow:
        return problems.problem_detail(uow, actor, problem_id)
