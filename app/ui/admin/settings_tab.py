"""Office settings: every key of the typed registry, each checked by the service before anything is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.bootstrap import AppContext
from app.core.errors import GovDeskError, ValidationError
from app.services.kernel import settings
from app.services.kernel.actor import Actor
from app.ui.i18n import tr
from app.ui.icons import action_icon
from app.ui.widgets.db_call import db_call, db_read
from app.ui.widgets.forms import FormGrid
from app.ui.widgets.messages import inform, show_error


def to_text(value: object) -> str:
    if isinstance(value, list):
        return tr('、').join(str(v) for v in value)
    if isinstance(value, dict):
        return tr('、').join(f"{name}={points}" for name, points in value.items())
    return str(value)


def from_text(key: str, text: str) -> object:
    if isinstance(settings.SETTINGS[key].default, dict):
        table: dict[str, str] = {}
        for item in text.replace(tr('，'), tr('、')).replace(",", tr('、')).split(tr('、')):
            if not item.strip():
                continue
            name, sep, points = item.replace(tr('＝'), "=").partition("=")
            if not sep or not name.strip():
                raise ValidationError(tr('请按“名称=值”的格式填写，多项之间用“、”隔开'), field=key)
            table[name.strip()] = points.strip()
        return table
    return text


class SettingsTab(QWidget):
    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.form = FormGrid()
        self.edits: dict[str, QLineEdit] = {}
        for key, spec in settings.SETTINGS.items():
            edit = QLineEdit()
            self.edits[key] = edit
            self.form.add(key, spec.label, edit, required=key in ("office_name", "doc_prefixes"), hint=spec.help)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addLayout(self.form)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        save = QPushButton(action_icon("save", "white"), tr('保存设置'))
        save.setObjectName("primary")
        save.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)

    def refresh(self) -> None:
        def load() -> dict[str, Any]:
            with self.ctx.uow() as uow:
                return settings.all_settings(uow)

        values = db_read(self, load)
        if values is None:
            # What is in the fields stays: it may be what the administrator typed and could not save yet.
            return
        for key, edit in self.edits.items():
            edit.setText(to_text(values[key]))
        self.form.clear_errors()

    def save(self) -> None:
        self.form.clear_errors()
        try:
            values = {key: from_text(key, edit.text()) for key, edit in self.edits.items()}

            def store() -> None:
                with self.ctx.uow() as uow:
                    settings.update_settings(uow, self.actor, values)

            db_call(self, store, saving=True)
        except ValidationError as error:
            self.form.show_error(error)
            return
        except GovDeskError as error:
            show_error(self, error)
            return
        inform(self, tr('已保存'), tr('系统设置已保存'))
        self.refresh()
