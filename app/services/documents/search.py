"""What 综合查询 finds a 公文 by: its title, its numbers (发文字号, 收文编号, 来文字号), the units and people named on it
(来文单位, 拟稿单位, 主办/协办/会签/分发 units, 拟稿人, 签发人), its 办理结果 and the opinions of its history.

The upkeep (app.services.search.upkeep) adds the text of its files and where its flow stands. Everything is
read on plain tables for a whole batch at once: a rebuild asks 500 documents at a time of 100,000.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import bindparam, literal, select, union_all

from app.db.tables import units, workflow_work_items
from app.models.documents import Document, DocumentArchive, DocumentCoHandler
from app.services.search.sources import SearchEntry, SearchField

if TYPE_CHECKING:
    from sqlalchemy import BindParameter, CompoundSelect, Select, Table

    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

ENTITY = "document"
# The 会签 and 分发 units of a document: its work items of these kinds (app.services.documents.work_items).
_UNIT_ITEMS = {"cosign": "会签单位", "receipt": "分发单位"}
# The kind the 协办 units are read under, beside the work items' kinds.
_CO_HANDLER = "co_handler"

_DOCUMENTS = cast("Table", Document.__table__)
_CO_HANDLERS = cast("Table", DocumentCoHandler.__table__)
_ARCHIVES = cast("Table", DocumentArchive.__table__)


def _joined(values: Iterable[str], separator: str = "、") -> str:
    """Distinct non-empty values in their first order."""
    return separator.join(dict.fromkeys(v.strip() for v in values if v and v.strip()))


@dataclass(frozen=True)
class _Statements:
    documents: Select[Any]
    # The 协办 units and the 会签/分发 units of a batch, in one statement (one round trip on a server).
    units_named: CompoundSelect


@functools.cache
def _statements() -> _Statements:
    """Built once: the upkeep reads a document at every commit that touches it, and building these statements
    (the aliased units above all) cost more than running them."""
    d, c, w = _DOCUMENTS.c, _CO_HANDLERS.c, workflow_work_items.c
    drafting = units.alias("drafting_unit")
    handling = units.alias("handling_unit")
    ids: BindParameter[Any] = bindparam("ids", expanding=True)
    return _Statements(
        documents=select(
            d.id, d.direction, d.title, d.doc_type, d.doc_date, d.remark, d.main_recipients, d.copy_recipients,
            d.drafter_name, d.doc_number, d.signer_name, d.receipt_number, d.source_unit, d.source_number,
            d.result, d.workflow_instance_id, drafting.c.name.label("drafting_unit"),
            handling.c.name.label("handling_unit"),
            select(_ARCHIVES.c.archive_code).where(_ARCHIVES.c.document_id == d.id).limit(1).scalar_subquery()
            .label("archive_code"),
        )
        .select_from(
            _DOCUMENTS.outerjoin(drafting, drafting.c.id == d.drafting_unit_id)
            .outerjoin(handling, handling.c.id == d.handling_unit_id)
        )
        .where(d.id.in_(ids)),
        units_named=union_all(
            select(c.document_id.label("document_id"), literal(_CO_HANDLER).label("kind"), units.c.name,
                   c.id.label("position"))
            .select_from(_CO_HANDLERS.join(units, units.c.id == c.unit_id))
            .where(c.document_id.in_(ids)),
            select(d.id, w.kind, units.c.name, w.id)
            .select_from(
                workflow_work_items.join(units, units.c.id == w.unit_id)
                .join(_DOCUMENTS, d.workflow_instance_id == w.instance_id)
            )
            .where(d.id.in_(ids), w.kind.in_(list(_UNIT_ITEMS))),
        ),
    )


class DocumentSearch:
    """公文 as 综合查询 reads them (app.services.search.sources.SearchSource)."""

    files_private = False

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        ids = list(record_ids)
        if not ids:
            return []
        statements = _statements()
        rows = uow.execute(statements.documents, {"ids": ids}).all()
        if not rows:
            return []
        named = self._units_named(uow, ids)
        entries = []
        for r in rows:
            by_kind = named.get(r.id, {})
            fields = [
                SearchField("发文字号", r.doc_number or ""),
                SearchField("收文编号", r.receipt_number or ""),
                SearchField("来文单位", r.source_unit),
                SearchField("来文字号", r.source_number),
                SearchField("文种", r.doc_type),
                SearchField("拟稿单位", r.drafting_unit or ""),
                SearchField("拟稿人", r.drafter_name),
                SearchField("签发人", r.signer_name),
                SearchField("主送机关", r.main_recipients),
                SearchField("抄送机关", r.copy_recipients),
                SearchField("主办单位", r.handling_unit or ""),
                SearchField("协办单位", _joined(by_kind.get(_CO_HANDLER, ()))),
                *(SearchField(label, _joined(by_kind.get(kind, ()))) for kind, label in _UNIT_ITEMS.items()),
                SearchField("办理结果", r.result),
                SearchField("档号", r.archive_code or ""),
                SearchField("备注", r.remark),
            ]
            entries.append(
                SearchEntry(record_id=r.id, year=r.doc_date.year, title=r.title,
                            fields=tuple(f for f in fields if f.value.strip()))
            )
        return entries

    @staticmethod
    def _units_named(uow: UnitOfWork, ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
        """Each document's 协办 units and its 会签 and 分发 units, by kind, each in the order they were named."""
        found: dict[int, dict[str, list[str]]] = {}
        # Put in order here, not by the server: MariaDB sorted even one document's few units in a temporary table.
        rows = sorted(uow.execute(_statements().units_named, {"ids": list(ids)}), key=lambda row: (row[1], row[3]))
        for document_id, kind, name, _position in rows:
            found.setdefault(document_id, {}).setdefault(kind, []).append(name)
        return found

    def record_ids(self, uow: UnitOfWork, after: int, limit: int) -> list[int]:
        d = _DOCUMENTS.c
        return [int(i) for i in uow.execute(select(d.id).where(d.id > after).order_by(d.id).limit(limit)).scalars()]

    def sees_private(self, actor: Actor) -> bool:
        # Nothing of a 公文 is masked for some readers: who sees the document sees all of it.
        return True


SOURCE = DocumentSearch()
