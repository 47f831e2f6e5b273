"""座次: the seating chart seen from the audience, the 主席台 and the hall as seat cards; drag a card onto another
seat to move it there, 按职级重排 to go back to the order by rank (DOMAIN §2), 打印座次图 to print it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsView, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.services.meetings import records, seating
from app.services.meetings.seating import SeatingPlan
from app.ui.i18n import tr
from app.ui.meetings.seating_scene import SeatCard, SeatingScene
from app.ui.meetings.tab_base import MeetingTab
from app.ui.widgets.db_call import as_user
from app.ui.widgets.messages import confirm
from app.ui.widgets.qt_helpers import empty_state_label, icon_button


class SeatingView(QGraphicsView):
    """The chart at its natural size, shrunk to the view's width when it is wider (never grown)."""

    def __init__(self, scene: SeatingScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

    def fit(self) -> None:
        rect = self.sceneRect()
        self.resetTransform()
        if rect.width() <= 0:
            return
        room = self.viewport().width() - 4
        if rect.width() > room > 0:
            factor = room / rect.width()
            self.scale(factor, factor)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit()


class SeatingTab(MeetingTab):
    def __init__(self, ctx: AppContext, actor: Actor, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, meeting_id, parent)
        self.plan: SeatingPlan | None = None
        self.may_move = actor.has(*records.ORGANIZERS)
        self.reset_button = icon_button("refresh", tr("按职级重排"), self.reset)
        self.reset_button.setToolTip(tr("按职级从高到低重新排定座次：第一位居中，第二位在其左手（观众的右手）"))
        self.reset_button.setVisible(self.may_move)
        self.print_button = icon_button("print", tr("打印座次图…"), self.print_chart)
        # Without the mouse: a card clicked (selected), then moved one seat to the audience's left or right.
        self.left_button = QPushButton(tr("左移"))
        self.left_button.setToolTip(tr("选中的座位向观众的左手方向移一位"))
        self.left_button.clicked.connect(lambda: self.shift(-1))
        self.right_button = QPushButton(tr("右移"))
        self.right_button.setToolTip(tr("选中的座位向观众的右手方向移一位"))
        self.right_button.clicked.connect(lambda: self.shift(1))
        for button in (self.left_button, self.right_button):
            button.setVisible(self.may_move)
            button.setEnabled(False)
        self.hint = QLabel(tr("拖动座位卡片到另一个座位上即可调换座次，也可选中后点“左移”“右移”。") if self.may_move else "")
        self.hint.setObjectName("hint")
        self.state = QLabel()
        # The buttons on a row of their own, the explanation under them: at 大 both do not fit one line.
        row = QHBoxLayout()
        row.addWidget(self.state)
        row.addStretch(1)
        row.addWidget(self.left_button)
        row.addWidget(self.right_button)
        row.addWidget(self.reset_button)
        row.addWidget(self.print_button)
        self.scene = SeatingScene(self)
        self.scene.moved.connect(self.move_seat, Qt.ConnectionType.QueuedConnection)
        self.scene.selectionChanged.connect(self._enable)
        self.view = SeatingView(self.scene)
        self.empty = empty_state_label(tr("这个会议还没有参会人员，没有座次可排。请先在会议中添加参会人员。"))
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)

    def _reading(self) -> Callable[[], object]:
        return as_user(self.ctx, self.actor, seating.seating_of, self.meeting_id)

    def _show(self, found: object) -> None:
        assert isinstance(found, SeatingPlan)
        self.plan = found
        has_seats = any(found.dais) or any(found.hall)
        self.view.setVisible(has_seats)
        self.empty.setVisible(not has_seats)
        self.state.setText(tr("座次：已手工调整") if found.by_hand else tr("座次：按职级排定"))
        self.scene.show_plan(found.dais, found.hall, self.may_move)
        self.view.fit()
        self._enable()

    def selected(self) -> SeatCard | None:
        if not self.scene.slots:
            return None
        chosen = [item for item in self.scene.selectedItems() if isinstance(item, SeatCard)]
        return chosen[0] if chosen else None

    def _enable(self) -> None:
        card = self.selected()
        self.left_button.setEnabled(card is not None and card.index > 0)
        self.right_button.setEnabled(card is not None and card.index + 1 < len(self.scene.order(card.zone)))

    def shift(self, step: int) -> None:
        card = self.selected()
        if card is None:
            return
        attendee_id = card.attendee_id
        self.move_seat(attendee_id, card.zone, card.index + step)
        moved = self.scene.cards.get(attendee_id)
        if moved is not None:
            moved.setSelected(True)

    def move_seat(self, attendee_id: int, zone: str, index: int) -> None:
        version = self.plan.version if self.plan is not None else None
        self.act(seating.move_seat, self.meeting_id, attendee_id, zone, index, expected_version=version)

    def reset(self) -> None:
        if confirm(self, tr("按职级重排"), tr("按职级重新排定主席台和会场的座次？手工调整过的座次将不再保留。"),
                   tr("重排")):
            self.act(seating.reset_seating, self.meeting_id)

    def print_chart(self) -> None:
        title = self.plan.title if self.plan is not None else ""
        self.print_form("meeting-seating", tr("{0}座次图").format(title))
