"""Attachments: stored as blobs with their checksum, size and type, within the configured size limit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from app.core.errors import NotFound, ValidationError
from app.core.file_content import (
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    executable_kind,
    image_size,
    image_too_large,
    sniff_mime,
)
from app.core.file_names import DEFAULT_NAME, clean_name, executable_extension
from app.db.mysql_blobs import advised_packet_mb, mb, packet_limit
from app.models import Attachment
from app.models.base import RecordMixin, utcnow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import get_setting
from app.services.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    owner_type: str
    owner_id: int
    purpose: str
    filename: str
    mime_type: str
    size: int
    sha256: str


def _info(a: Attachment) -> AttachmentInfo:
    return AttachmentInfo(a.id, a.owner_type, a.owner_id, a.purpose, a.filename, a.mime_type, a.size, a.sha256)


# Takes (uow, actor, owner_id, purpose); raises NotFound, PermissionDenied or WorkflowError to refuse.
OwnerGuard = Callable[[UnitOfWork, Actor, int, str], None]
_OWNER_GUARDS: dict[str, OwnerGuard] = {}


def guard_owner(owner_type: str, guard: OwnerGuard) -> None:
    """The area that owns records of this type says who may add or remove their files, and when. Adding and
    removing ask it every time, so that calling them directly does not get round the area's rules."""
    _OWNER_GUARDS[owner_type] = guard


def _require_owner_allows(uow: UnitOfWork, actor: Actor, owner_type: str, owner_id: int, purpose: str) -> None:
    guard = _OWNER_GUARDS.get(owner_type)
    if guard is None:
        # No area has said who may change these files: nobody may.
        raise ValidationError(f"不能给“{owner_type}”类记录添加或删除文件", field="attachments")
    guard(uow, actor, owner_id, purpose)


@acting
def add_attachment(
    uow: UnitOfWork,
    actor: Actor,
    *,
    owner_type: str,
    owner_id: int,
    filename: str,
    data: bytes,
    purpose: str = "attachment",
    mime_type: str | None = None,
) -> AttachmentInfo:
    """Adds the file to the current unit of work, if the owner's guard allows; the owning record's service
    commits. ``mime_type`` is ignored: the stored type is the one the content shows (a caller's word is not
    proof)."""
    _require_owner_allows(uow, actor, owner_type, owner_id, purpose)
    name = clean_name(filename)
    if name == DEFAULT_NAME and not (filename or "").strip():
        raise ValidationError("附件没有文件名", field="attachments")
    if not data:
        raise ValidationError(f"“{name}”是空文件，请检查后重新选择", field="attachments")
    limit_mb = int(get_setting(uow, "attachment_max_mb"))
    if len(data) > limit_mb * 1024 * 1024:
        size_mb = len(data) / 1024 / 1024
        raise ValidationError(
            f"“{name}”有 {size_mb:.1f} MB，超过了 {limit_mb} MB 的上限，请压缩或拆分后再添加（上限可由系统管理员调整）",
            field="attachments",
        )
    check_safe_file(name, data)
    _check_server_packet_limit(uow, name, data)
    kind = sniff_mime(data)
    count = len(
        uow.session.execute(
            select(Attachment.id).where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
        ).all()
    )
    row = Attachment(
        owner_type=owner_type, owner_id=owner_id, purpose=purpose, filename=name, mime_type=kind,
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by=actor.id,
        sort_order=count,
    )
    uow.session.add(row)
    uow.flush()
    uow.record(
        actor.id, actor.username, "create", "attachment", row.id,
        {"owner": f"{owner_type}:{owner_id}", "filename": name, "size": len(data), "sha256": row.sha256},
        change_op="create",
    )
    return _info(row)


def check_safe_file(name: str, data: bytes) -> None:
    """Refuses a program (by its name or its content) and an image too large to print."""
    extension = executable_extension(name)
    if extension is not None:
        raise ValidationError(
            f"“{name}”是 .{extension} 文件，打开时会作为程序运行，不能作为附件保存。"
            "请改存为 PDF、图片或 Office 文档后再添加",
            field="attachments",
        )
    kind = executable_kind(data)
    if kind is not None:
        raise ValidationError(
            f"“{name}”的内容是{kind}（与文件名无关），打开时可能被运行，不能作为附件保存。"
            "请确认文件来源，改存为 PDF、图片或 Office 文档后再添加",
            field="attachments",
        )
    size = image_size(data)
    if size is not None and image_too_large(*size):
        width, height = size
        raise ValidationError(
            f"“{name}”是 {width}×{height} 像素的图片（约 {width * height / 1_000_000:.0f} 百万像素），"
            f"超过了每边 {MAX_IMAGE_SIDE} 像素、共 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素的上限，"
            "打印时会占用过多内存。请用看图软件把它缩小（例如按 300 dpi 扫描，或把长边缩到 5000 像素以内）后再添加",
            field="attachments",
        )


def _check_server_packet_limit(uow: UnitOfWork, name: str, data: bytes) -> None:
    """MariaDB drops the connection for a statement larger than its max_allowed_packet (error 2006, in
    English): measure the statement as it will be sent and refuse it here, in words the user can act on."""
    limit = packet_limit(uow.session.connection())
    if limit is None or limit.fits(data):
        return
    raise ValidationError(
        f"“{name}”有 {mb(len(data))} MB（写入时约占 {mb(limit.wire_size(data))} MB），超过了数据库服务器允许的单次写入上限"
        f"（max_allowed_packet = {mb(limit.max_allowed_packet)} MB，最多可放约 {mb(limit.largest_blob)} MB 的附件）。"
        f"请压缩或拆分后再添加，或请服务器管理员在 MariaDB 配置的 [mysqld] 段把 max_allowed_packet 调到至少 "
        f"{advised_packet_mb(limit.wire_size(data))}M，重启数据库服务后再试",
        field="attachments",
    )


def list_attachments(uow: UnitOfWork, owner_type: str, owner_id: int) -> list[AttachmentInfo]:
    rows = uow.session.execute(
        select(Attachment)
        .where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
        .order_by(Attachment.sort_order, Attachment.id)
    ).scalars()
    return [_info(a) for a in rows]


def attachment_data(uow: UnitOfWork, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    """The file as stored, for printing; a user's download is recorded by record_download."""
    row = uow.found(Attachment, attachment_id, "找不到该附件，可能已被删除")
    if hashlib.sha256(row.data).hexdigest() != row.sha256:
        raise ValidationError(f"附件“{row.filename}”的内容与登记的校验值不符，文件可能已损坏")
    return _info(row), row.data


@acting
def record_download(uow: UnitOfWork, actor: Actor, info: AttachmentInfo) -> None:
    """Leaves the audit entry of a user's opening or saving a file (audit only: no open client need refresh).
    The owner's service has checked that the actor may see the record, and commits."""
    uow.record(
        actor.id, actor.username, "download", "attachment", info.id,
        {"owner": f"{info.owner_type}:{info.owner_id}", "filename": info.filename, "sha256": info.sha256},
    )


def owner_of(uow: UnitOfWork, owner_type: str, attachment_id: int, missing: str) -> int:
    """The id of the record of this type that holds the attachment; NotFound (with ``missing``) if none."""
    row = uow.session.get(Attachment, attachment_id)
    if row is None or row.owner_type != owner_type:
        raise NotFound(missing)
    return row.owner_id


@acting
def remove_attachment(
    uow: UnitOfWork, actor: Actor, owner_type: str, owner_id: int, attachment_id: int, missing: str
) -> None:
    """Deletes one attachment of that record, with its audit entry, if the owner's guard allows (asked with
    the stored file's own purpose, not anything the caller says); the owner's service commits."""
    row = uow.session.get(Attachment, attachment_id)
    if row is None or row.owner_type != owner_type or row.owner_id != owner_id:
        raise NotFound(missing)
    _require_owner_allows(uow, actor, owner_type, owner_id, row.purpose)
    uow.record(
        actor.id, actor.username, "delete", "attachment", row.id,
        {"owner": f"{owner_type}:{owner_id}", "filename": row.filename}, change_op="delete",
    )
    uow.session.delete(row)


@dataclass(frozen=True)
class RecordFiles:
    """The files of one area's records (公文的正文和附件, 报销单的票据) as that area's services remove and
    download them, once the area has loaded the record for the actor."""

    owner_type: str
    # The refusal for a file that is not (or no longer) there: 找不到该票据，可能已被删除.
    missing: str
    # Purposes a record holds one file of (a 公文's 正文): a new one replaces the earlier.
    single: frozenset[str] = frozenset()

    def add(
        self,
        uow: UnitOfWork,
        actor: Actor,
        owner: RecordMixin,
        *,
        filename: str,
        data: bytes,
        purpose: str,
        mime_type: str | None = None,
    ) -> AttachmentInfo:
        """Adds a file to the loaded record (the owner's guard checks the purpose and the rights before anything
        changes), replacing the earlier one of a single purpose, and commits; the record's version moves on."""
        info = add_attachment(
            uow, actor, owner_type=self.owner_type, owner_id=owner.id, filename=filename, data=data,
            purpose=purpose, mime_type=mime_type,
        )
        if purpose in self.single:
            for old in uow.session.execute(
                select(Attachment).where(
                    Attachment.owner_type == self.owner_type, Attachment.owner_id == owner.id,
                    Attachment.purpose == purpose, Attachment.id != info.id,
                )
            ).scalars():
                uow.record(
                    actor.id, actor.username, "delete", "attachment", old.id,
                    {"owner": f"{self.owner_type}:{owner.id}", "filename": old.filename, "replaced_by": info.filename},
                    change_op="delete",
                )
                uow.session.delete(old)
            uow.flush()
        owner.updated_at = utcnow()
        uow.commit()
        return info

    def remove(self, uow: UnitOfWork, actor: Actor, owner: RecordMixin, attachment_id: int) -> None:
        """Removes one file of the loaded record, and commits. The record's version moves on, as with every
        act on it, so a client holding the record sees that it changed."""
        remove_attachment(uow, actor, self.owner_type, owner.id, attachment_id, self.missing)
        owner.updated_at = utcnow()
        uow.commit()

    def download(
        self, uow: UnitOfWork, actor: Actor, attachment_id: int, open_owner: Callable[[int], object]
    ) -> tuple[AttachmentInfo, bytes]:
        """A user's opening or saving of a file: open_owner is the area's own loading of the record (by its id),
        which refuses whoever may not see it. The download is audited, so this commits."""
        open_owner(owner_of(uow, self.owner_type, attachment_id, self.missing))
        info, data = attachment_data(uow, attachment_id)
        record_download(uow, actor, info)
        uow.commit()
        return info, data
