"""登记 a petition, or correct one at 登记: how it came (信访方式 and its way in; 领导大接访 names the leader who
received it), the day, the petitioner (name, ID number checked as it is typed, phone, address), how many came
and up to four more representatives, the request, the facts and reasons, the category and the place.

Before a new case is saved its repeats are looked for (app.services.petitions.repeats.check_repeats): when there
are any, they are shown (number, date, why, where each stands, 已复核终结 where the matter is closed for good) and
the user confirms 仍然登记 — the case is then flagged as a repeat and linked to them — or goes back to the form.
A refusal from the service shows beside its field, and nothing typed is lost."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bootstrap import AppContext
from app.core.errors import ValidationError, WorkCancelled
from app.core.ids import validate_id_number, validate_phone
from app.core.petitions.terms import CATEGORIES, CHANNELS, LEADER_RECEPTION, MAX_PEOPLE, MAX_REPRESENTATIVES
from app.services.kernel.actor import Actor
from app.services.petitions import records, repeats
from app.services.petitions.records import PetitionInfo, PetitionInput, RepresentativeInput
from app.services.petitions.repeats import RepeatCandidate
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.petitions.lists import excerpt
from app.ui.theme import URGENT
from app.ui.widgets.db_call import db_call
from app.ui.widgets.display import cn_date, fill_table, plain_table
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.qt_helpers import date_edit, to_date, to_qdate
from app.ui.widgets.screen import fit_to_screen, fit_when_shown
from app.ui.widgets.units import read_units

# The representatives a group visit names besides the petitioner on the form (at most 5 in all).
MORE_REPRESENTATIVES = MAX_REPRESENTATIVES - 1


def way_label(detail: str) -> str:
    return detail if detail else tr("一般")


class RepresentativesTable(QWidget):
    """The group's other representatives: name, ID number, phone, typed in the table; 添加代表 and 删除代表."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([tr("代表姓名"), tr("身份证号"), tr("联系电话")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(rows * 3 + self.table.horizontalHeader().sizeHint().height() + 4)
        self.add_button = QPushButton(action_icon("new"), tr("添加代表"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button = QPushButton(action_icon("delete"), tr("删除代表"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.note = QLabel(tr("集体访最多推选{0}名代表（含上面的信访人），在此再填写其余{1}名").format(
            MAX_REPRESENTATIVES, MORE_REPRESENTATIVES))
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.setFocusProxy(self.table)
        self.table.itemSelectionChanged.connect(self._enable)
        self._enable()

    def add(self, name: str = "", id_number: str = "", phone: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((name, id_number, phone)):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setCurrentCell(row, 0)
        self._enable()
        return row

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self._enable()

    def set_enabled_for(self, people: int) -> None:
        """Representatives are named only for a group: the table is open from two people on."""
        self.setEnabled(people >= 2)

    def _enable(self) -> None:
        self.add_button.setEnabled(self.table.rowCount() < MORE_REPRESENTATIVES)
        self.remove_button.setEnabled(bool(self.table.selectedIndexes()))

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def representatives(self) -> list[RepresentativeInput]:
        """The rows typed, an empty row left out."""
        found = []
        for row in range(self.table.rowCount()):
            name, id_number, phone = (self._text(row, c) for c in range(3))
            if name or id_number or phone:
                found.append(RepresentativeInput(name, id_number, phone))
        return found


class RepeatsDialog(QDialog):
    """The earlier cases a new registration repeats, before it is saved; 仍然登记 saves it flagged and linked."""

    def __init__(self, matches: list[RepeatCandidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("发现可能重复的信访件"))
        self.setMinimumWidth(980)
        fit_when_shown(self)
        self.matches = matches
        finals = [m for m in matches if m.final]
        intro = QLabel(tr("这次登记与以下{0}件信访件相似。如果是同一诉求，登记后将标记为重复信访并与它们关联。").format(
            len(matches)))
        intro.setWordWrap(True)
        self.final_note = QLabel(tr("其中{0}已经复核终结：同一诉求依法不再受理，登记后只能作不予受理。").format(
            tr("、").join(m.number for m in finals)))
        self.final_note.setWordWrap(True)
        self.final_note.setStyleSheet(f"color: {URGENT}; font-weight: bold;")
        self.final_note.setVisible(bool(finals))
        self.table = plain_table()
        fill_table(self.table, [tr("编号"), tr("登记日期"), tr("信访人"), tr("诉求"), tr("相同之处"), tr("办理情况")], [
            [m.number, cn_date(m.received_on), m.name, excerpt(m.request, 24), "\n".join(m.reasons),
             m.state_label + (tr("（已复核终结）") if m.final else "")]
            for m in matches
        ])
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The request takes what the others leave; its whole text is in the cell's tooltip.
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # One line a reason; the request is not wrapped (the rows would be measured before the column is).
        self.table.setWordWrap(False)
        self.table.resizeRowsToContents()
        for row, match in enumerate(matches):
            cell = self.table.item(row, 3)
            if cell is not None:
                cell.setToolTip(match.request)
        self.register_button = QPushButton(tr("仍然登记（将标记为重复信访并关联）"))
        self.register_button.setObjectName("primary")
        self.register_button.clicked.connect(self.accept)
        back = QPushButton(tr("返回修改"))
        back.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.register_button)
        buttons.addWidget(back)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.final_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        back.setFocus()

    def texts(self) -> list[str]:
        """Every cell's text, row by row (for the tests and the screenshots)."""
        cells = (self.table.item(r, c) for r in range(self.table.rowCount()) for c in range(self.table.columnCount()))
        return [cell.text() if cell is not None else "" for cell in cells]


class PetitionEditor(FormDialog):
    """A new registration (info None) or the correction of one at 登记."""

    def __init__(self, ctx: AppContext, actor: Actor, info: PetitionInfo | None = None,
                 parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.info = ctx, actor, info
        self.today = today or date.today()
        self.saved: PetitionInfo | None = None
        # The repeats shown and confirmed for the registration last saved (the tests and the window read it).
        self.confirmed_repeats: list[RepeatCandidate] = []
        self.setWindowTitle(tr("修改登记信息 — {0}").format(info.number) if info else tr("登记信访"))
        fit_to_screen(self, (900, 720), (640, 480))
        places = [u.name for u in read_units(parent, ctx, actor) if u.kind == "township"]

        self.channel = QComboBox()
        for channel in CHANNELS:
            self.channel.addItem(tr(channel), channel)
        self.way = QComboBox()
        self.leader = QLineEdit()
        self.leader.setMaxLength(records.MAX_NAME)
        self.leader.setPlaceholderText(tr("如：刘副县长"))
        self.received = date_edit(to_qdate(self.today))
        self.name = QLineEdit()
        self.name.setMaxLength(records.MAX_NAME)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(18)
        self.id_number.setPlaceholderText(tr("18位，末位可以是X"))
        self.phone = QLineEdit()
        self.phone.setMaxLength(30)
        self.phone.setPlaceholderText(tr("手机或固定电话"))
        self.address = QLineEdit()
        self.address.setMaxLength(records.MAX_ADDRESS)
        self.people = QSpinBox()
        self.people.setRange(1, MAX_PEOPLE)
        self.people.setSuffix(tr(" 人"))
        self.representatives = RepresentativesTable()
        self.request = QPlainTextEdit()
        self.request.setPlaceholderText(tr("信访人要求解决什么问题（口头信访如实记录）"))
        self.request.setFixedHeight(76)
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText(tr("信访人所述的事实、经过和理由"))
        self.facts.setFixedHeight(76)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItem("", None)
        for category in CATEGORIES:
            self.category.addItem(tr(category), category)
        self.category.setToolTip(tr("从常用类别中选择，或直接输入"))
        self.place = QComboBox()
        self.place.setEditable(True)
        self.place.addItem("", None)
        for place in places:
            self.place.addItem(place, place)
        self.place.setToolTip(tr("问题发生地的乡镇（街道），可直接输入"))

        self.form = FormGrid(pairs=True)
        form = self.form
        form.add("channel", tr("信访方式"), self.channel, required=True)
        form.add("channel_detail", tr("途径"), self.way)
        form.add("received_on", tr("登记日期"), self.received, required=True)
        form.add("reception_leader", tr("接访领导"), self.leader, check=self._check_leader)
        form.add("name", tr("信访人"), self.name, required=True)
        form.add("id_number", tr("身份证号"), self.id_number, check=self._check_id)
        form.add("phone", tr("联系电话"), self.phone, check=self._check_phone)
        form.add("address", tr("住址"), self.address)
        form.add("people_count", tr("人数"), self.people, required=True)
        form.add("representatives", tr("其他代表"), self.representatives, wide=True)
        form.add("request", tr("信访诉求"), self.request, required=True, wide=True)
        form.add("facts", tr("事实和理由"), self.facts, wide=True)
        form.add("category", tr("问题类别"), self.category, required=True)
        form.add("place", tr("问题属地"), self.place, required=True)
        self.leader_caption: QLabel | None = None

        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.way.currentIndexChanged.connect(self._way_changed)
        self.people.valueChanged.connect(self.representatives.set_enabled_for)
        # The ID number is checked as soon as it is whole, before the user leaves the box.
        self.id_number.textChanged.connect(self._id_typed)
        self._channel_changed()
        self.representatives.set_enabled_for(self.people.value())

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        inner.setLayout(form)
        scroll.setWidget(inner)
        self.lay_out(scroll, save_text=tr("保存") if info else tr("登记"))
        # The caption is found once the form is in the dialog; it hides with its field.
        self.leader_caption = self._caption_of(self.leader)
        self._way_changed()
        if info is not None:
            self._show(info)

    def _caption_of(self, widget: QWidget) -> QLabel | None:
        for label in self.findChildren(QLabel):
            if label.buddy() is widget:
                return label
        return None

    # ----- the form's own rules, as the service holds them -----------------------------------------------------
    def _check_id(self) -> None:
        text = self.id_number.text().strip()
        if text:
            validate_id_number(text, today=to_date(self.received.date()))

    def _check_phone(self) -> None:
        text = self.phone.text().strip()
        if text:
            validate_phone(text)

    def _check_leader(self) -> None:
        if self.way.currentData() == LEADER_RECEPTION and not self.leader.text().strip():
            raise ValidationError(tr("领导大接访请填写接访领导"), field="reception_leader")

    def _id_typed(self, text: str) -> None:
        if len(text.strip()) >= 18:
            self.form.set_error("id_number", self.form.problem("id_number"))
        elif not text.strip():
            self.form.set_error("id_number", None)

    def _channel_changed(self) -> None:
        chosen = self.way.currentData()
        self.way.blockSignals(True)
        self.way.clear()
        for detail in CHANNELS.get(self.channel.currentData(), ("",)):
            self.way.addItem(way_label(detail), detail)
        self.way.setCurrentIndex(max(self.way.findData(chosen), 0))
        self.way.blockSignals(False)
        self.way.setEnabled(self.way.count() > 1)
        self._way_changed()

    def _way_changed(self) -> None:
        leader = self.way.currentData() == LEADER_RECEPTION
        self.leader.setVisible(leader)
        if self.leader_caption is not None:
            self.leader_caption.setVisible(leader)
        if not leader:
            self.form.set_error("reception_leader", None)

    # ----- showing and reading ----------------------------------------------------------------------------------
    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)
        elif combo.isEditable():
            combo.setEditText(value)

    def _show(self, info: PetitionInfo) -> None:
        self._select(self.channel, info.channel)
        self._select(self.way, info.channel_detail)
        self.leader.setText(info.reception_leader)
        self.received.setDate(to_qdate(info.received_on))
        self.name.setText(info.name)
        self.id_number.setText(info.id_number)
        self.phone.setText(info.phone)
        self.address.setText(info.address)
        self.people.setValue(info.people_count)
        for person in info.representatives:
            self.representatives.add(person.name, person.id_number, person.phone)
        self.request.setPlainText(info.request)
        self.facts.setPlainText(info.facts)
        self._select(self.category, info.category)
        self._select(self.place, info.place)

    def data(self) -> PetitionInput:
        leader = self.way.currentData() == LEADER_RECEPTION
        return PetitionInput(
            channel=self.channel.currentData(), channel_detail=self.way.currentData() or "",
            reception_leader=self.leader.text() if leader else "", received_on=to_date(self.received.date()),
            name=self.name.text(), id_number=self.id_number.text(), phone=self.phone.text(),
            address=self.address.text(), people_count=self.people.value(),
            representatives=tuple(self.representatives.representatives()) if self.people.value() >= 2 else (),
            request=self.request.toPlainText(), facts=self.facts.toPlainText(),
            category=self.category.currentText(), place=self.place.currentText(),
        )

    # ----- saving -----------------------------------------------------------------------------------------------
    def _save(self) -> None:
        data, ctx, actor, info, today = self.data(), self.ctx, self.actor, self.info, self.today
        if info is not None:
            def update() -> PetitionInfo:
                with ctx.uow() as uow:
                    return records.update_petition(uow, actor, info.id, data, expected_version=info.version,
                                                   today=today)

            self.saved = db_call(self, update, saving=True)
            return

        def look() -> list[RepeatCandidate]:
            with ctx.uow() as uow:
                return repeats.check_repeats(uow, actor, data, today=today)

        matches = db_call(self, look)
        if matches and not self.confirm_repeats(matches):
            # Back to the form, everything as typed; WorkCancelled is said by nobody.
            raise WorkCancelled()
        self.confirmed_repeats = matches

        def register() -> PetitionInfo:
            with ctx.uow() as uow:
                return records.register_petition(uow, actor, data, today=today).petition

        self.saved = db_call(self, register, saving=True)

    def confirm_repeats(self, matches: list[RepeatCandidate]) -> bool:
        return RepeatsDialog(matches, self).exec() == QDialog.DialogCode.Accepted


__all__ = ["PetitionEditor", "RepeatsDialog", "RepresentativesTable"]
