"""Units, users and roles, mapped onto the Core tables of app.db.tables (the login reads them
before the ORM is loaded)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, relationship

from app.db import tables
from app.models.base import Base, TableRecordMixin

UNIT_KINDS: dict[str, str] = {
    "township": "乡镇",
    "department": "县政府部门",
    "section": "办公室内设股室",
    "leadership": "县政府领导",
    "external": "外单位",
}


class Unit(TableRecordMixin, Base):
    __table__ = tables.units

    name: Mapped[str]
    short_name: Mapped[str]
    kind: Mapped[str]
    parent_id: Mapped[int | None]
    head_user_id: Mapped[int | None]
    sort_order: Mapped[int]
    active: Mapped[bool]

    parent: Mapped[Unit | None] = relationship(
        remote_side=[tables.units.c.id], foreign_keys=[tables.units.c.parent_id]
    )


class Role(Base):
    """The fixed roles of app.core.roles, as rows so user-role links have a foreign key."""

    __table__ = tables.roles

    code: Mapped[str]
    label: Mapped[str]
    description: Mapped[str]


class User(TableRecordMixin, Base):
    __table__ = tables.users

    username: Mapped[str]
    full_name: Mapped[str]
    password_hash: Mapped[str]
    unit_id: Mapped[int | None]
    title: Mapped[str]
    is_principal: Mapped[bool]
    rank_order: Mapped[int]
    phone: Mapped[str]
    active: Mapped[bool]
    failed_logins: Mapped[int]
    locked_until: Mapped[datetime | None]
    locked_by_admin: Mapped[bool]
    last_login_at: Mapped[datetime | None]
    must_change_password: Mapped[bool]

    unit: Mapped[Unit | None] = relationship(foreign_keys=[tables.users.c.unit_id])
    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_codes(self) -> frozenset[str]:
        return frozenset(link.role_code for link in self.role_links)


class UserRole(Base):
    __table__ = tables.user_roles

    id: Mapped[int]
    user_id: Mapped[int]
    role_code: Mapped[str]

    user: Mapped[User] = relationship(back_populates="role_links")
