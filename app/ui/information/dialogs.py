"""信息调研's small dialogs: 登记采用 (the adopting body, its level with the points it earns in the table in force,
the day), 登记批示 (the leader, what they wrote, the day), and the writing group's editor (its name, its leading
主任 or 副主任, its members, one group per person).

Each saves through its service call (``work``, set by whoever opens it): a refusal shows beside its field and the
dialog stays open with what was typed."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QWidget

from app.core.information.points import LEVELS
from app.services.information.groups import GroupInfo, Person
from app.ui.i18n import tr
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.qt_helpers import checkable_item, date_edit, to_date, to_qdate
from app.ui.widgets.screen import fit_when_shown
from app.ui.widgets.step_dialog import StepDialog

MAX_ADOPTION_BODY = 60
MAX_LEADER = 50


class AdoptionDialog(StepDialog):
    """登记采用: which higher body adopted the item, at which level (each level shows its points), and when."""

    def __init__(self, summary: str, points: Mapping[str, int], today: date, parent: QWidget | None = None) -> None:
        super().__init__(tr("登记上级采用"), summary, tr("登记采用"), parent, min_width=560)
        self.adopter = QLineEdit()
        self.adopter.setMaxLength(MAX_ADOPTION_BODY)
        self.adopter.setPlaceholderText(tr("如：市政府办公室、省政府办公厅"))
        self.level = QComboBox()
        for level in LEVELS:
            self.level.addItem(tr("{0}（{1}分）").format(tr(level), points.get(level, 0)), level)
        self.adopted = date_edit(to_qdate(today))
        self.form.add("body", tr("采用单位"), self.adopter, required=True)
        self.form.add("level", tr("采用层级"), self.level, required=True,
                      hint=tr("得分按现行计分标准计算，登记后不随标准调整而改变"))
        self.form.add("adopted_on", tr("采用日期"), self.adopted, required=True)

    def chosen_level(self) -> str:
        return str(self.level.currentData())

    def adopted_on(self) -> date:
        return to_date(self.adopted.date())


class CommentDialog(StepDialog):
    """登记批示: the leader, the text of the 批示, and its day."""

    def __init__(self, summary: str, today: date, parent: QWidget | None = None, *, leader: str = "",
                 leader_fixed: bool = False) -> None:
        super().__init__(tr("登记领导批示"), summary, tr("登记批示"), parent, min_width=580)
        self.leader = QLineEdit(leader)
        self.leader.setMaxLength(MAX_LEADER)
        self.leader.setPlaceholderText(tr("如：王县长"))
        self.leader.setReadOnly(leader_fixed)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(tr("批示原文"))
        self.text.setFixedHeight(110)
        self.commented = date_edit(to_qdate(today))
        self.form.add("leader", tr("批示领导"), self.leader, required=True)
        self.form.add("text", tr("批示内容"), self.text, required=True)
        self.form.add("commented_on", tr("批示日期"), self.commented, required=True)

    def commented_on(self) -> date:
        return to_date(self.commented.date())


class GroupDialog(FormDialog):
    """A writing group's name, its leading 主任 or 副主任 and its members. Someone already in another group is
    shown with it; choosing them is refused by the service with the group's name (one group per person)."""

    def __init__(self, group: GroupInfo | None, people: Sequence[Person], group_names: Mapping[int, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.work: Callable[[], object] | None = None
        self.setWindowTitle(tr("修改信息组") if group else tr("新建信息组"))
        self.setMinimumWidth(560)
        fit_when_shown(self)
        self.name = QLineEdit(group.name if group else "")
        self.name.setMaxLength(30)
        self.leader = QComboBox()
        self.leader.addItem(tr("暂不指定"), None)
        for person in people:
            if person.may_lead:
                self.leader.addItem(_person_text(person), person.user_id)
        if group is not None and group.leader_id is not None:
            self.leader.setCurrentIndex(max(self.leader.findData(group.leader_id), 0))
        self.members = QListWidget()
        self.members.setMinimumHeight(220)
        chosen = {m.user_id for m in group.members} if group else set()
        for person in people:
            elsewhere = person.group_id is not None and (group is None or person.group_id != group.id)
            text = _person_text(person)
            if elsewhere:
                text = tr("{0}　（已在{1}）").format(text, group_names.get(person.group_id or 0, tr("其他信息组")))
            self.members.addItem(checkable_item(text, person.user_id, person.user_id in chosen))
        self.active = QCheckBox(tr("启用（停用的信息组不再出现在稿件的信息组中）"))
        self.active.setChecked(group.active if group else True)
        self.form = FormGrid()
        self.form.add("name", tr("名称"), self.name, required=True)
        self.form.add("leader_id", tr("分管领导"), self.leader, hint=tr("由办公室主任或副主任分管"))
        self.form.add("member_ids", tr("组员"), self.members, hint=tr("勾选本组的撰稿人；一人只能参加一个信息组"))
        self.form.add("active", "", self.active)
        note = QLabel(tr("组员的稿件计入本组任务；分管领导负责督促本组完成任务。"))
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.lay_out(self.form, note, None)

    def leader_id(self) -> int | None:
        value = self.leader.currentData()
        return int(value) if value is not None else None

    def member_ids(self) -> list[int]:
        return [int(self.members.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.members.count())
                if self.members.item(row).checkState() == Qt.CheckState.Checked]

    def _save(self) -> None:
        assert self.work is not None, "the tab sets what saving does"
        self.work()


def _person_text(person: Person) -> str:
    return tr("{0}（{1}）").format(person.name, person.title) if person.title else person.name
