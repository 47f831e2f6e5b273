"""归档 (DA/T 22-2015): each document is one 件 with a 保管期限; 件号 run per 年度 and 保管期限, gap-free.

The 档号 is 全宗号-WS·年度-保管期限代码[-机构代码]-件号 (app.core.archives). The 归档章 and the
归档文件目录 are printed from the plain rows given here; the Excel export is the UI's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.archives import RETENTIONS, format_archive_code, format_archive_date, retention_code
from app.core.documents import OUTGOING
from app.core.errors import ValidationError
from app.core.numbering import issuing_organ
from app.core.roles import Role
from app.models import Document, DocumentArchive
from app.models.base import utcnow
from app.services.documents.records import (
    ArchiveInfo,
    archive_info,
    audit,
    load,
    move,
    require_any,
    require_state,
)
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.clock import local_date
from app.services.kernel.settings import get_setting
from app.services.kernel.uow import UnitOfWork

MAX_PAGES = 100_000
# Who may read the archive catalogue: the office, which keeps the archive.
CATALOGUE_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.SECRETARY)


def sequence_key(retention: str) -> str:
    """The gap-free 件号 sequence of one 保管期限 (its numbers run per year)."""
    return f"归档:{retention}"


def archive_year(doc: Document) -> int:
    """The 归档年度: the year the document was formed — its number's year (发文) or the day it came (收文)."""
    if doc.direction == OUTGOING and doc.doc_year:
        return doc.doc_year
    if doc.received_at is not None:
        return local_date(doc.received_at).year
    return doc.doc_date.year


@acting
def archive_document(
    uow: UnitOfWork,
    actor: Actor,
    document_id: int,
    *,
    retention: str,
    pages: int,
    year: int | None = None,
    remark: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> ArchiveInfo:
    """归档: the next 件号 of the year and retention, the 档号, and the flow's last step."""
    from app.services.kernel.sequences import next_number

    doc, instance = load(uow, actor, document_id, expected_version=expected_version)
    require_state(uow, doc, instance, ("archive",), "归档")
    code = retention_code(retention)
    if isinstance(pages, bool) or not isinstance(pages, int) or not 1 <= pages <= MAX_PAGES:
        raise ValidationError("页数应为正整数", field="pages")
    fonds = str(get_setting(uow, "fonds_number") or "").strip()
    if not fonds:
        raise ValidationError("请系统管理员先在系统设置中填写全宗号，再归档", field="fonds_number")
    org_code = str(get_setting(uow, "org_code") or "").strip()
    the_year = year if year is not None else archive_year(doc)
    note = " ".join(remark.split())
    if len(note) > 200:
        raise ValidationError("备注不能超过200个字", field="remark")
    # Checks the 全宗号 and the year before a number is drawn, and before the flow moves on.
    format_archive_code(fonds, the_year, code, 1, org_code or None)
    move(uow, actor, doc, instance, "archive", f"归档（{RETENTIONS[code]}）", today=today)
    item = next_number(uow, sequence_key(code), the_year)
    row = DocumentArchive(
        document_id=doc.id, year=the_year, retention=code, item_no=item,
        archive_code=format_archive_code(fonds, the_year, code, item, org_code or None),
        fonds=fonds.upper() if fonds.isascii() else fonds, org_code=org_code, pages=pages, remark=note,
        archived_at=utcnow(), archived_by_id=actor.id, archived_by_name=actor.full_name,
    )
    uow.session.add(row)
    uow.flush()
    audit(uow, actor, "archive", doc, {"archive_code": row.archive_code, "pages": pages})
    info = archive_info(row)
    uow.commit()
    return info


@dataclass(frozen=True)
class CatalogueRow:
    """One line of the 归档文件目录 (DA/T 22-2015 §9.2)."""

    seq: int  # 序号
    archive_code: str  # 档号
    doc_number: str  # 文号
    responsible: str  # 责任者
    title: str  # 题名
    date: str  # 日期, YYYYMMDD
    secrecy: str  # 密级: blank for a document that has none (DA/T 22-2015), which on this system is every one
    pages: int  # 页数
    remark: str  # 备注
    document_id: int
    item_no: int
    archived_by: str  # who filed it: the 整理人 of the 备考表
    archived_on: dt.date  # the module's `date` is shadowed by the 日期 field above


@acting
def archive_catalogue(uow: UnitOfWork, actor: Actor, *, year: int, retention: str) -> list[CatalogueRow]:
    """The 归档文件目录 of one year and retention, in 件号 order."""
    if actor.id is not None:  # the system (`govdesk print`, run by whoever holds the database) reads it all
        require_any(actor, CATALOGUE_ROLES, "查看归档文件目录")
    code = retention_code(retention)
    office = str(get_setting(uow, "office_name"))
    issuers = dict(get_setting(uow, "doc_issuers"))
    rows = uow.session.execute(
        select(DocumentArchive, Document)
        .join(Document, Document.id == DocumentArchive.document_id)
        .where(DocumentArchive.year == year, DocumentArchive.retention == code)
        .order_by(DocumentArchive.item_no)
    ).all()
    result = []
    for i, (archived, doc) in enumerate(rows, start=1):
        if doc.direction == OUTGOING:
            # 责任者 is the 发文机关: a 县政发 document is the county government's, though the office drafted it.
            number, day = doc.doc_number or "", doc.doc_date
            responsible = issuing_organ(doc.prefix, office, issuers)
        else:
            number, responsible = doc.source_number, doc.source_unit
            day = doc.source_date or doc.doc_date
        result.append(
            CatalogueRow(
                seq=i, archive_code=archived.archive_code, doc_number=number, responsible=responsible,
                title=doc.title, date=format_archive_date(day), secrecy=doc.secrecy, pages=archived.pages,
                remark=archived.remark, document_id=doc.id, item_no=archived.item_no,
                archived_by=archived.archived_by_name, archived_on=local_date(archived.archived_at),
            )
        )
    return result


@dataclass(frozen=True)
class ArchiveStamp:
    """What the 归档章 shows: 全宗号, 年度, 保管期限, 件号, 页数 and optionally 机构."""

    fonds: str
    year: int
    retention: str
    item_no: str
    pages: int
    org_code: str
    archive_code: str


@acting
def archive_stamp(uow: UnitOfWork, actor: Actor, document_id: int) -> ArchiveStamp:
    doc, _ = load(uow, actor, document_id)
    row = uow.session.execute(
        select(DocumentArchive).where(DocumentArchive.document_id == doc.id)
    ).scalar_one_or_none()
    if row is None:
        raise ValidationError(f"“{doc.title}”尚未归档，没有归档章", field="archive")
    return ArchiveStamp(
        fonds=row.fonds, year=row.year, retention=RETENTIONS[row.retention], item_no=f"{row.item_no:04d}",
        pages=row.pages, org_code=row.org_code, archive_code=row.archive_code,
    )


@dataclass(frozen=True)
class ArchivePart:
    """One part of a 件 as it is filed: a file kept with the document, or a form the program prints for it."""

    role: str  # 正本, 发文稿纸, 定稿, 附件, 收文处理笺, 来文, 扫描件
    filename: str
    attachment_id: int | None = None
    form: str = ""  # the registry's form printed for it (attachment_id None)


# DA/T 22-2015 §6.1.2: 正本在前、定稿在后；正文在前、附件在后；文件处理单在前、收文在后. Scans of paper come last.
_OUTGOING_ORDER = {"typeset": 0, "body": 2, "attachment": 3, "scan": 4}
_INCOMING_ORDER = {"body": 1, "attachment": 2, "scan": 3}
_ROLES = {"typeset": "正本", "body": "定稿", "attachment": "附件", "scan": "扫描件"}


@acting
def archive_parts(uow: UnitOfWork, actor: Actor, document_id: int) -> list[ArchivePart]:
    """The 件's parts in the order DA/T 22-2015 files them: a 发文's 正本 (its 正式公文), then the 定稿 (the 发文稿纸,
    the signed 正文 and its 附件); a 收文's 收文处理笺, then what was received (正文, 附件). For whoever may see
    the document; the office files them at 归档."""
    from app.services.kernel import attachments

    doc, _ = load(uow, actor, document_id)
    outgoing = doc.direction == OUTGOING
    order = _OUTGOING_ORDER if outgoing else _INCOMING_ORDER
    files = sorted(
        (f for f in attachments.list_attachments(uow, "document", doc.id) if f.purpose in order),
        key=lambda f: order[f.purpose],
    )
    form = ArchivePart("发文稿纸", "发文稿纸.pdf", form="outgoing-draft") if outgoing else \
        ArchivePart("收文处理笺", "收文处理笺.pdf", form="incoming-slip")
    parts = [ArchivePart(_ROLES[f.purpose] if outgoing or f.purpose != "body" else "来文", f.filename, f.id)
             for f in files]
    # The form goes before the 正文 of the 定稿 (发文) or before what was received (收文).
    at = next((i for i, f in enumerate(files) if order[f.purpose] >= (2 if outgoing else 1)), len(files))
    return [*parts[:at], form, *parts[at:]]


__all__ = [
    "ArchivePart",
    "ArchiveStamp",
    "CatalogueRow",
    "archive_catalogue",
    "archive_document",
    "archive_parts",
    "archive_stamp",
    "sequence_key",
]
