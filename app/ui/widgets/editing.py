"""Saving an edit dialog: one place that turns the services' refusals into what the user sees."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from app.core.errors import ConflictError, GovDeskError, ValidationError
from app.ui.widgets.conflict import ConflictDialog
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import show_error


def save_dialog(dialog: QDialog, form: FormGrid, work: Callable[[], object]) -> bool:
    """Runs the save. A validation error goes beside its field and the dialog stays open with everything
    typed; a conflict offers to reload; success accepts the dialog. Returns whether it saved."""
    form.clear_errors()
    try:
        work()
    except ValidationError as error:
        form.show_error(error)
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
