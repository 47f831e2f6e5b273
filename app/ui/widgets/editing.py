"""Edit dialogs: their 保存/取消 buttons, and one place that turns the services' refusals into what
the user sees."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLayout, QVBoxLayout, QWidget

from app.core.errors import ConflictError, GovDeskError, ValidationError
from app.ui.i18n import tr
from app.ui.widgets.conflict import ConflictDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error


def save_cancel_buttons(dialog: QDialog, save: Callable[[], object], save_text: str | None = None) -> QDialogButtonBox:
    """A form dialog's 保存 (or save_text) and 取消 buttons: saving calls save, which closes the dialog
    only when the input is accepted; 取消 rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text or tr('保存'))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr('取消'))
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def save_dialog(dialog: QDialog, form: FormGrid, work: Callable[[], object]) -> bool:
    """Runs the save once every field passes its checks (all problems shown at once otherwise). A refusal
    from the service goes beside its field and the dialog stays open with everything typed; a conflict
    offers to reload; success accepts the dialog. Returns whether it saved."""
    if not form.check_all():
        return False
    return finish_save(dialog, work, form.show_error)


def finish_save(dialog: QDialog, work: Callable[[], object], show_invalid: Callable[[ValidationError], object]) -> bool:
    """Runs a save whose input has been checked: a refusal goes to show_invalid (beside its field) and the
    dialog stays open with everything typed; a conflict offers to reload; success accepts the dialog."""
    try:
        work()
    except ValidationError as error:
        show_invalid(error)
        return False
    except ConflictError as error:
        if ConflictDialog.ask(dialog, error.message) == ConflictDialog.RELOAD:
            dialog.reject()
        return False
    except GovDeskError as error:
        show_error(dialog, error)
        return False
    dialog.accept()
    return True


class FormDialog(QDialog):
    """A dialog that edits through a FormGrid (self.form): 保存 checks every field, then runs _save, the
    service call, whose refusals go beside their fields (save_dialog)."""

    form: FormGrid

    def save(self) -> None:
        save_dialog(self, self.form, self._save)

    def _save(self) -> None:
        """The save itself; every dialog says what it stores."""
        raise NotImplementedError

    def lay_out(self, *parts: QWidget | QLayout | None, save_text: str | None = None) -> QVBoxLayout:
        """The dialog's layout: parts from the top (None is a stretch), then the 保存 (or save_text) and 取消
        buttons."""
        layout = QVBoxLayout(self)
        for part in parts:
            if part is None:
                layout.addStretch(1)
            elif isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        layout.addWidget(save_cancel_buttons(self, self.save, save_text))
        return layout
