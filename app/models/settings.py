"""Office settings (a typed registry lives in app.services.settings) and holiday overrides, mapped
onto the Core tables of app.db.tables (the 工作台's calendar reads them at the start)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped

from app.db import tables
from app.models.base import Base


class Setting(Base):
    __table__ = tables.settings
    __mapper_args__ = {"version_id_col": tables.settings.c.version}

    id: Mapped[int]
    key: Mapped[str]
    value: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int]


class HolidayOverride(Base):
    """A day an administrator declared a holiday or a make-up working day (调休)."""

    __table__ = tables.holiday_overrides
    __mapper_args__ = {"version_id_col": tables.holiday_overrides.c.version}

    id: Mapped[int]
    day: Mapped[date]
    is_workday: Mapped[bool]
    note: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int]
