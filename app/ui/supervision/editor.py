"""登记 or change a 督办事项: its source, name and requirement, the lead unit and co-units (picked by group
too), the one responsible person (一事一人), the class that sets the rhythm of reports, and the deadline."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget, QPlainTextEdit, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.core.supervision.classes import PRIORITY_CLASSES, SOURCES
from app.services.kernel.actor import Actor
from app.services.supervision import detail as supervision_detail
from app.services.supervision import items
from app.services.supervision.items import ItemInfo, ItemInput
from app.ui.i18n import tr
from app.ui.widgets.db_call import db_call
from app.ui.widgets.editing import FormDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.qt_helpers import checkable_item, date_edit, to_date, to_qdate
from app.ui.widgets.screen import fit_to_screen
from app.ui.widgets.units import GroupPicker, read_units_and_groups


class ItemEditor(FormDialog):
    """A new item (info None) or an open one's changes; after 交办, its units stay as they were sent."""

    def __init__(self, ctx: AppContext, actor: Actor, info: ItemInfo | None = None, parent: QWidget | None = None,
                 *, preset: ItemInput | None = None, finding: str = "") -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.info = ctx, actor, info
        self.saved: ItemInfo | None = None
        self.setWindowTitle(tr("修改督办事项") if info else tr("登记督办事项"))
        fit_to_screen(self, (820, 700), (640, 520))
        units, groups = read_units_and_groups(parent, ctx, actor)
        people = [] if info else db_call(parent, lambda: self._people())

        self.source = QComboBox()
        for source in SOURCES:
            self.source.addItem(source, source)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(items.MAX_TITLE)
        self.title_edit.setPlaceholderText(tr("如：年内新建城区公共停车位500个"))
        self.requirement = QPlainTextEdit()
        self.requirement.setPlaceholderText(tr("工作要求、完成标准和节点安排"))
        self.requirement.setFixedHeight(90)
        self.lead = QComboBox()
        self.lead.addItem(tr("请选择牵头单位"), None)
        self.co_units = QListWidget()
        self.co_units.setMinimumHeight(150)
        for unit in units:
            self.lead.addItem(unit.name, unit.id)
            self.co_units.addItem(checkable_item(unit.name, unit.id))
        self.responsible = QComboBox()
        self.responsible.addItem(tr("请选择责任人"), None)
        for person in people:
            self.responsible.addItem(person.name, person.id)
        # 首问负责: whoever registers the item answers for it, unless another is named.
        self._select(self.responsible, actor.id)
        self.priority = QComboBox()
        for cls in PRIORITY_CLASSES:
            self.priority.addItem(tr("{0}（{1}）").format(cls.label, cls.description), cls.label)
        self.deadline = date_edit(to_qdate(date.today() + timedelta(days=30)))

        self.form = FormGrid(pairs=True)
        self.form.add("source", tr("事项来源"), self.source, required=True)
        self.form.add("priority", tr("督办类别"), self.priority, required=True)
        self.form.add("title", tr("事项名称"), self.title_edit, required=True, wide=True)
        self.form.add("requirement", tr("工作要求"), self.requirement, wide=True)
        self.form.add("lead_unit_id", tr("牵头单位"), self.lead, required=True)
        if info is None:
            self.form.add("responsible_id", tr("责任人"), self.responsible, required=True,
                          hint=tr("一事一人：由责任人交办、跟踪并报请销号；以后如需更换，在“责任与进展”中移交"))
        co_box = QWidget()
        co_layout = QVBoxLayout(co_box)
        co_layout.setContentsMargins(0, 0, 0, 0)
        picker = GroupPicker(self.co_units, groups)
        if picker.offers_groups:
            co_layout.addWidget(picker)
        co_layout.addWidget(self.co_units)
        self.form.add("co_unit_ids", tr("协办单位"), co_box, wide=True)
        self.form.add("deadline", tr("办结时限"), self.deadline, required=True)
        if finding:
            self.form.add_note(self._note(tr("督查发现的问题：{0}").format(finding)))
        self.lay_out(self.form, None, save_text=tr("保存") if info else tr("登记"))
        if info is not None:
            self._show(info)
        elif preset is not None:
            self._show_input(preset)

    @staticmethod
    def _note(text: str) -> QWidget:
        from PySide6.QtWidgets import QLabel

        label = QLabel(text)
        label.setObjectName("hint")
        label.setWordWrap(True)
        return label

    def _people(self) -> list[supervision_detail.Person]:
        with self.ctx.uow() as uow:
            return supervision_detail.responsible_choices(uow, self.actor)

    def _select(self, combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _show(self, info: ItemInfo) -> None:
        self._select(self.source, info.source)
        self._select(self.priority, info.priority)
        self.title_edit.setText(info.title)
        self.requirement.setPlainText(info.requirement)
        self._select(self.lead, info.lead_unit_id)
        chosen = {unit_id for unit_id, _name in info.co_units}
        for row in range(self.co_units.count()):
            item = self.co_units.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        self.deadline.setDate(to_qdate(info.deadline))
        if info.state != "register":
            # Sent already: the units have their tasks (changes go through 责任与进展).
            self.lead.setEnabled(False)
            self.co_units.setEnabled(False)

    def _show_input(self, preset: ItemInput) -> None:
        self._select(self.source, preset.source)
        self._select(self.priority, preset.priority)
        self.title_edit.setText(preset.title)
        self.requirement.setPlainText(preset.requirement)
        if preset.lead_unit_id is not None:
            self._select(self.lead, preset.lead_unit_id)
        if preset.deadline is not None:
            self.deadline.setDate(to_qdate(preset.deadline))

    def data(self) -> ItemInput:
        co_ids = [self.co_units.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.co_units.count())
                  if self.co_units.item(row).checkState() == Qt.CheckState.Checked]
        return ItemInput(
            source=self.source.currentData(), title=self.title_edit.text(), requirement=self.requirement.toPlainText(),
            lead_unit_id=self.lead.currentData(), co_unit_ids=co_ids,
            responsible_id=self.responsible.currentData() if self.info is None else self.info.responsible_id,
            priority=self.priority.currentData(), deadline=to_date(self.deadline.date()),
        )

    def _save(self) -> None:
        data, ctx, actor, info = self.data(), self.ctx, self.actor, self.info

        def work() -> ItemInfo:
            with ctx.uow() as uow:
                if info is None:
                    return self.create_item(uow, data)
                return items.update_item(uow, actor, info.id, data, expected_version=info.version)

        self.saved = db_call(self, work)

    def create_item(self, uow: object, data: ItemInput) -> ItemInfo:
        """The new item; a dialog made for a finding or a decision says where it comes from."""
        return items.create_item(uow, self.actor, data)  # type: ignore[arg-type]


class FindingItemEditor(ItemEditor):
    """The register form filled in from a 综合督查 finding; saving makes the item the finding becomes."""

    def __init__(self, ctx: AppContext, actor: Actor, finding_id: int, preset: ItemInput, text: str,
                 parent: QWidget | None = None) -> None:
        self.finding_id = finding_id
        super().__init__(ctx, actor, None, parent, preset=preset, finding=text)

    def create_item(self, uow: object, data: ItemInput) -> ItemInfo:
        from app.services.supervision import campaigns

        return campaigns.finding_to_item(uow, self.actor, self.finding_id, data)  # type: ignore[arg-type]


class OriginItemEditor(ItemEditor):
    """The register form for an item that comes from another record (a 公文): named after it, and linked to it
    both ways once saved (app.services.workflow.links)."""

    def __init__(self, ctx: AppContext, actor: Actor, origin: items.Origin, title: str,
                 parent: QWidget | None = None) -> None:
        self.origin = origin
        preset = ItemInput(source=SOURCES[2], title=title[: items.MAX_TITLE], requirement="", lead_unit_id=None,
                           co_unit_ids=[], responsible_id=None, priority=PRIORITY_CLASSES[2].label, deadline=None)
        super().__init__(ctx, actor, None, parent, preset=preset)
        self.setWindowTitle(tr("转为督办事项"))

    def create_item(self, uow: object, data: ItemInput) -> ItemInfo:
        return items.create_item(uow, self.actor, data, origin=self.origin)  # type: ignore[arg-type]


class DecisionItemEditor(OriginItemEditor):
    """转为督办事项 from a meeting's 议定事项: the register form filled in from the decision (what the meeting area
    read for it: title, requirement, lead unit, deadline, source), and the item linked to the meeting naming the
    decision as the part it came from, origin ("meeting", meeting id, decision id). The meeting window offers every
    opener of a meeting among its tools; from there no decision is chosen, and the form says where to start."""

    def __init__(self, ctx: AppContext, actor: Actor, origin: items.Origin, title: str,
                 parent: QWidget | None = None, *, source: str = SOURCES[1], requirement: str = "",
                 lead_unit_id: int | None = None, deadline: date | None = None) -> None:
        if len(origin) < 3:
            raise ValidationError(tr("请在会议的“议定事项”中选中一项，再点“转为督办事项…”"))
        super().__init__(ctx, actor, origin, title, parent)
        self._show_input(ItemInput(source=source, title=title[: items.MAX_TITLE], requirement=requirement,
                                   lead_unit_id=lead_unit_id, co_unit_ids=[], responsible_id=None,
                                   priority=PRIORITY_CLASSES[2].label, deadline=deadline))
        self.form.add_note(self._note(tr("会议议定事项：{0}").format(requirement or title)))
