"""Office settings (a typed registry lives in app.services.kernel.settings) and holiday overrides, mapped
onto the Core tables of app.db.tables (the 工作台's calendar reads them at the start)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Mapped

from app.db import tables
from app.models.base import Base, TableRecordMixin


class Setting(TableRecordMixin, Base):
    __table__ = tables.settings

    key: Mapped[str]
    value: Mapped[str]


class HolidayOverride(TableRecordMixin, Base):
    """A day an administrator declared a holiday or a make-up working day (调休)."""

    __table__ = tables.holiday_overrides

    day: Mapped[date]
    is_workday: Mapped[bool]
    note: Mapped[str]
