"""Office settings (a typed registry lives in app.services.settings) and holiday overrides."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, LongText, RecordMixin


class Setting(RecordMixin, Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    # JSON text; the registry in app.services.settings knows each key's type and default.
    value: Mapped[str] = mapped_column(LongText, nullable=False)


class HolidayOverride(RecordMixin, Base):
    """A day an administrator declared a holiday or a make-up working day (调休)."""

    __tablename__ = "holiday_overrides"

    day: Mapped[date] = mapped_column(Date, nullable=False, unique=True)
    is_workday: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str] = mapped_column(String(100), nullable=False, default="")
