"""Backup and restore as the administrator's use cases: permission checked, and the restore audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from app.core.roles import Role
from app.db import backup as storage
from app.services.access import acting
from app.services.actor import Actor, require_role
from app.services.uow import UnitOfWork

Progress = Callable[[int, int, str], None]


def _engine(uow: UnitOfWork) -> Engine:
    return uow.session.get_bind().engine


@acting
def backup_database(uow: UnitOfWork, actor: Actor, target: Path, progress: Progress | None = None) -> Path:
    require_role(actor, [Role.ADMIN], "备份数据库")
    written = storage.backup(_engine(uow), target, progress=progress)
    uow.record(actor.id, actor.username, "backup", "database", None, {"file": str(written)})
    uow.commit()
    return written


@acting
def restore_database(uow: UnitOfWork, actor: Actor, source: Path, progress: Progress | None = None) -> None:
    require_role(actor, [Role.ADMIN], "恢复数据库")
    uow.rollback()
    storage.restore(_engine(uow), source, progress=progress)
    # The restored audit chain continues with the record of this restore.
    uow.record(actor.id, actor.username, "restore", "database", None, {"file": str(source)}, change_op="update")
    uow.commit()
