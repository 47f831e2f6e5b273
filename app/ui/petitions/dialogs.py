"""The case window's small dialogs, one per act that asks for more than an opinion: 交办… (unit, due date, task),
转送… (to whom, why), 不予受理… (why), 申请复查…/申请复核… (the day asked, the request), 提出异议… and 答复异议…
(the unit's dispute of its assignment and the office's answer), 催办承办单位…, the unit's 报送办理情况…, and
记录回访… (how, what the petitioner said; 不满意 asks 重新办理 or 提级办理 to a leader, and why).

Each is a StepDialog: the window sets its ``work`` (the service call); a refusal shows beside its field and the
dialog stays open with what was typed."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from app.core.petitions.terms import ESCALATE, REOPEN, SATISFACTION, UNSATISFIED, UNSATISFIED_ACTIONS, VISIT_METHODS
from app.ui.i18n import tr
from app.ui.widgets.qt_helpers import date_edit, to_date, to_qdate
from app.ui.widgets.step_dialog import StepDialog

# A unit's own days to handle an assigned case, offered until the user picks another due date.
DEFAULT_HANDLING_DAYS = 30


def _text_box(placeholder: str, height: int = 76) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(height)
    return box


def _choices(items: list[tuple[str, object]], first: str = "") -> QComboBox:
    combo = QComboBox()
    if first:
        combo.addItem(first, None)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class AssignDialog(StepDialog):
    """交办: the unit that answers for the matter (谁主管、谁负责), its due date and its task."""

    def __init__(self, summary: str, units: list[tuple[str, int]], today: date,
                 parent: QWidget | None = None, *, title: str = "", ok_text: str = "") -> None:
        super().__init__(title or tr("交办"), summary, ok_text or tr("交办"), parent, min_width=600)
        self.unit = _choices(list(units), tr("请选择承办单位"))
        self.due = date_edit(to_qdate(today + timedelta(days=DEFAULT_HANDLING_DAYS)))
        self.task = _text_box(tr("如：请核实开发商办证进度，督促其限期协助办理，并向信访人书面答复"))
        self.form.add("unit_id", tr("承办单位"), self.unit, required=True)
        self.form.add("due", tr("办理期限"), self.due, required=True,
                      hint=tr("不能晚于本件的办理时限（受理后60日）"))
        self.form.add("task", tr("交办任务"), self.task, required=True)

    def unit_id(self) -> int | None:
        value = self.unit.currentData()
        return int(value) if value is not None else None

    def due_date(self) -> date:
        return to_date(self.due.date())

    def task_text(self) -> str:
        return self.task.toPlainText()


class ForwardDialog(StepDialog):
    """转送: the authority the matter belongs to, and why."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("转送"), summary, tr("转送"), parent, min_width=560)
        self.to = QLineEdit()
        self.to.setMaxLength(100)
        self.to.setPlaceholderText(tr("如：市住房和城乡建设局"))
        self.reason = _text_box(tr("如：属市级部门职权范围，依法转送"))
        self.form.add("to", tr("转送机关"), self.to, required=True)
        self.form.add("reason", tr("转送理由"), self.reason, required=True)


class ReasonDialog(StepDialog):
    """An act that needs only its reason: 不予受理, 提出异议, 催办承办单位."""

    def __init__(self, title: str, summary: str, ok_text: str, label: str, placeholder: str, field: str,
                 parent: QWidget | None = None, *, required: bool = True) -> None:
        super().__init__(title, summary, ok_text, parent, min_width=560)
        self.reason = _text_box(placeholder)
        self.form.add(field, label, self.reason, required=required)

    def text(self) -> str:
        return self.reason.toPlainText()


class ReviewDialog(StepDialog):
    """申请复查 (or 复核): the day the petitioner asked, and what they ask."""

    def __init__(self, title: str, summary: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(title, summary, title, parent, min_width=560)
        self.requested = date_edit(to_qdate(today))
        self.request = _text_box(tr("信访人不服处理（复查）意见的理由和请求"))
        self.form.add("requested_on", tr("申请日期"), self.requested, required=True,
                      hint=tr("应在收到答复之日起30日内提出"))
        self.form.add("request", tr("复查（复核）请求"), self.request, required=True)

    def requested_on(self) -> date:
        return to_date(self.requested.date())


class AnswerDialog(StepDialog):
    """答复异议: upheld (another unit takes the case, with its due date) or not (the unit keeps it), and why."""

    def __init__(self, summary: str, units: list[tuple[str, int]], today: date, parent: QWidget | None = None) -> None:
        super().__init__(tr("答复异议"), summary, tr("答复"), parent, min_width=600)
        self.outcome = _choices([(tr("异议成立，改由其他单位承办"), True), (tr("异议不成立，仍由原单位承办"), False)])
        self.answer = _text_box(tr("答复意见"))
        self.unit = _choices(list(units), tr("请选择新的承办单位"))
        self.due = date_edit(to_qdate(today + timedelta(days=DEFAULT_HANDLING_DAYS)))
        self.form.add("uphold", tr("答复结论"), self.outcome, required=True)
        self.form.add("answer", tr("答复意见"), self.answer, required=True)
        self.form.add("new_unit_id", tr("新承办单位"), self.unit, required=True)
        self.form.add("due", tr("办理期限"), self.due, required=True)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self._outcome_changed()

    def uphold(self) -> bool:
        return bool(self.outcome.currentData())

    def _outcome_changed(self) -> None:
        # A disabled field is not held to anything (FormGrid), so a rejected objection needs no new unit.
        self.unit.setEnabled(self.uphold())
        self.due.setEnabled(self.uphold())

    def new_unit_id(self) -> int | None:
        value = self.unit.currentData()
        return int(value) if self.uphold() and value is not None else None

    def due_date(self) -> date | None:
        return to_date(self.due.date()) if self.uphold() else None


class VisitDialog(StepDialog):
    """回访: the day, how, what the petitioner said; 不满意 asks what becomes of the case and why."""

    def __init__(self, summary: str, leaders: list[tuple[str, int]], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("记录回访"), summary, tr("保存回访"), parent, min_width=600)
        self.visited = date_edit(to_qdate(today))
        self.method = _choices([(tr(m), m) for m in VISIT_METHODS])
        self.satisfaction = _choices([(tr(s), s) for s in SATISFACTION])
        self.note = _text_box(tr("信访人对处理意见的反映"), 60)
        self.action = _choices([(tr(UNSATISFIED_ACTIONS[REOPEN]), REOPEN), (tr(UNSATISFIED_ACTIONS[ESCALATE]), ESCALATE)])
        self.leader = _choices(list(leaders), tr("请选择主任或副主任"))
        self.reason = _text_box(tr("如：信访人对补偿标准的解释仍有疑问，需重新核实"), 60)
        self.form.add("visited_on", tr("回访日期"), self.visited, required=True)
        self.form.add("method", tr("回访方式"), self.method, required=True)
        self.form.add("satisfaction", tr("满意度"), self.satisfaction, required=True)
        self.form.add("note", tr("回访情况"), self.note)
        self.form.add("action", tr("不满意的处理"), self.action, required=True)
        self.form.add("leader_id", tr("提级给"), self.leader, required=True)
        self.form.add("reason", tr("理由"), self.reason, required=True)
        self.satisfaction.currentIndexChanged.connect(self._changed)
        self.action.currentIndexChanged.connect(self._changed)
        self._changed()

    def unsatisfied(self) -> bool:
        return self.satisfaction.currentData() == UNSATISFIED

    def _changed(self) -> None:
        unsatisfied = self.unsatisfied()
        self.action.setEnabled(unsatisfied)
        self.reason.setEnabled(unsatisfied)
        self.leader.setEnabled(unsatisfied and self.action.currentData() == ESCALATE)

    def visited_on(self) -> date:
        return to_date(self.visited.date())

    def chosen_action(self) -> str:
        return str(self.action.currentData()) if self.unsatisfied() else ""

    def leader_id(self) -> int | None:
        value = self.leader.currentData()
        return int(value) if self.leader.isEnabled() and value is not None else None

    def reason_text(self) -> str:
        return self.reason.toPlainText() if self.unsatisfied() else ""
