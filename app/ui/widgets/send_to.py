"""The worklist's part of a record window: 送… (the next handler named at a move), 撤回 and who acted for whom.

A move whose next step may take a named handler shows a combo before its button: （不指定，按角色） or one of
the people who could act there (app.services.workflow.handlers). The people are read when the list is first
opened, not with the window: most moves go to the role as before, and opening a record costs no statement
more. The area's window reads the choice with ``chosen`` when it runs the move. The 撤回 button is shown
where the services say the actor may take their last move back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from app.bootstrap import AppContext
from app.services.kernel.actor import Actor
from app.services.workflow import handlers
from app.services.workflow.detail import ActionChoice
from app.ui.i18n import QT_TRANSLATE_NOOP, tr
from app.ui.widgets.db_call import db_read

BY_ROLE = QT_TRANSLATE_NOOP("GovDesk", "（不指定，按角色）")


class SendToCombo(QComboBox):
    """Whom a move sends the record to: nobody in particular (the step's role), or one named person."""

    def __init__(self, ctx: AppContext, actor: Actor, instance_id: int, choice: ActionChoice,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.instance_id, self.choice = ctx, actor, instance_id, choice
        self.loaded = False
        self.addItem(tr(BY_ROLE), None)
        self.setToolTip(tr("“{0}”后由谁办理“{1}”：可指定一人，只有此人（及其委托的代理人）收到待办").format(
            choice.label, choice.target_label))
        # As wide as its longest choice, also once the people are read: a name cut short is a wrong name.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def load(self) -> None:
        """Reads the people who could act at the next step, once."""
        if self.loaded:
            return
        found = db_read(self, self._candidates)
        if found is None:
            return
        self.loaded = True
        for candidate in found:
            self.addItem(tr("送{0}").format(candidate.text), candidate.id)

    def _candidates(self) -> list[handlers.Candidate]:
        with self.ctx.uow() as uow:
            return handlers.handler_candidates(uow, self.actor, self.instance_id, self.choice.action)

    def showPopup(self) -> None:  # noqa: N802 - Qt's name
        self.load()
        super().showPopup()

    def chosen(self) -> int | None:
        value: Any = self.currentData()
        return int(value) if value is not None else None

    def pick(self, user_id: int) -> None:
        """Chooses a person (as a user would from the list)."""
        self.load()
        index = self.findData(user_id)
        if index < 0:
            raise LookupError(user_id)
        self.setCurrentIndex(index)


def send_to_combos(ctx: AppContext, actor: Actor, instance_id: int,
                   choices: Sequence[ActionChoice]) -> dict[str, SendToCombo]:
    """A combo for each move that may name the next handler, by the move's action."""
    return {c.action: SendToCombo(ctx, actor, instance_id, c) for c in choices if c.names_handler}
