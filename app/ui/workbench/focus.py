"""What a to-do opens on: a recurring report's to-do (todo.DUTY, and the 催报 of todo.FOLLOW) opens its record's window on 责任与进展
(app.ui.widgets.record_features), with the report's row chosen, where 汇报… is, and 催报… for the office. Any
other to-do opens the window as it is."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services.workflow import todo
from app.ui.widgets.record_features import RecordFeaturesPanel


def show_what_is_asked(window: QWidget, item: todo.TodoItem) -> bool:
    """Brings the part of the record's window that the to-do asks about forward; whether it did."""
    if item.kind not in (todo.DUTY, todo.FOLLOW):
        return False
    panel = window.findChild(RecordFeaturesPanel)
    if panel is None:
        # An area's own window without 责任与进展: it opens as it is.
        return False
    panel.window_.tabs.setCurrentWidget(panel)
    features = panel.features
    if features is not None:
        row = next((i for i, duty in enumerate(features.duties) if duty.key == item.duty_key), None)
        if row is not None:
            panel.duty_table.selectRow(row)
    return True
