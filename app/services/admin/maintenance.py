"""Backup and restore as the administrator's use cases: permission checked, and the restore audited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from app.core.roles import Role
from app.db import backup as storage
from app.db.backup_signature import BackupMaker, BackupOrigin
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork

Progress = Callable[[int, int, str], None]


def _engine(uow: UnitOfWork) -> Engine:
    return uow.session.get_bind().engine


@acting
def backup_database(uow: UnitOfWork, actor: Actor, target: Path, progress: Progress | None = None) -> Path:
    """Signed with the office key in the actor's name; unsigned (the caller warns) where this PC has none."""
    require_role(actor, [Role.ADMIN], "备份数据库")
    maker = BackupMaker(actor.username, actor.full_name)
    written = storage.backup(_engine(uow), target, progress=progress, maker=maker)
    uow.record(actor.id, actor.username, "backup", "database", None, {"file": str(written)})
    uow.commit()
    return written


@acting
def inspect_backup(uow: UnitOfWork, actor: Actor, source: Path) -> BackupOrigin:
    """Who made the backup, when, and whether the signature holds: shown before the restore is confirmed."""
    require_role(actor, [Role.ADMIN], "恢复数据库")
    return storage.inspect_backup(source)


@acting
def restore_database(
    uow: UnitOfWork, actor: Actor, source: Path, progress: Progress | None = None, *, accept_unsigned: bool = False
) -> BackupOrigin:
    """accept_unsigned: the administrator's deliberate override for a backup whose signature does not hold;
    the audit row after the restore says so, with what the backup claimed about its maker."""
    require_role(actor, [Role.ADMIN], "恢复数据库")
    uow.rollback()
    origin = storage.restore(_engine(uow), source, progress=progress, accept_unsigned=accept_unsigned)
    detail = {
        "file": str(source), **origin.audit_detail(), "override": not origin.good, "restored_by": actor.full_name,
    }
    # The restored data has its own users: the restoring administrator may not be among them, or have another
    # id there. Named but not by id, and not checked against the restored users at commit.
    uow.acting = None
    # The restored audit chain continues with the record of this restore.
    uow.record(None, actor.username, "restore", "database", None, detail, change_op="update")
    uow.commit()
    # The restored records' 综合查询 index: a backup leaves it out (it is rebuilt from them).
    from app.services.search.reindex import reindex

    engine = _engine(uow)
    reindex(lambda: UnitOfWork(engine), progress=progress)
    return origin
