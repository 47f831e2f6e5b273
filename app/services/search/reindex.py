"""Rebuilding the 综合查询 index from the records (`govdesk db reindex`, and 系统管理's 重建查询索引).

The rebuild empties the index, then reads every searched record through its area's source a batch at a time,
each batch its own transaction, with the same code the upkeep uses (app.services.search.upkeep.refresh), so a
rebuilt index is the index that upkeep keeps, and a record someone saves meanwhile is indexed by their commit
either way. Only the last step marks the index complete: a rebuild stopped half-way leaves it marked
incomplete, and 综合查询 says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, text

from app.core.areas import entity_types
from app.core.errors import WorkCancelled
from app.core.roles import Role
from app.db.tables import search_file_texts, search_pending, search_postings, search_records, search_state, utcnow
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork, UowFactory
from app.services.search.sources import searched
from app.services.search.upkeep import read_missing_file_texts, refresh

INDEX_FORMAT = 1
BATCH = 500
# (records done, records in all, what is being indexed)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ReindexReport:
    records: int
    postings: int
    seconds: float

    def summary(self) -> str:
        return f"已重建查询索引：{self.records} 条记录，{self.postings} 个索引项，用时 {self.seconds:.1f} 秒"


@acting
def check_may_reindex(uow: UnitOfWork, actor: Actor) -> None:
    """Only an administrator rebuilds the index (it is slow on a large database, and everyone's search waits)."""
    require_role(actor, [Role.ADMIN], "重建查询索引")


def reindex(
    uow_factory: UowFactory,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch: int = BATCH,
) -> ReindexReport:
    """Empties the index and fills it from every searched record; raises WorkCancelled when asked to stop."""
    started = time.perf_counter()
    sources = searched()
    with uow_factory() as uow:
        _empty(uow)
        uow.commit()
    plan: list[tuple[str, list[int]]] = []
    with uow_factory() as uow:
        for entity_type, (_, source) in sources.items():
            plan.append((entity_type, _all_ids(uow, source)))
    total = sum(len(ids) for _, ids in plan)
    labels = entity_types()
    done = 0
    if progress is not None:
        progress(0, total, "")
    for entity_type, ids in plan:
        spec, source = sources[entity_type]
        for start in range(0, len(ids), batch):
            if cancelled is not None and cancelled():
                raise WorkCancelled()
            chunk = ids[start:start + batch]
            with uow_factory() as uow:
                read_missing_file_texts(uow, entity_type, chunk)
                refresh(uow, spec, source, chunk, post_now=True)
                uow.commit()
            done += len(chunk)
            if progress is not None:
                progress(done, total, f"正在索引{labels.get(entity_type, entity_type)}")
    with uow_factory() as uow:
        uow.execute(delete(search_state))
        uow.execute(insert(search_state), [{"id": 1, "built_at": utcnow(), "format": INDEX_FORMAT}])
        postings = int(uow.execute(select(func.count()).select_from(search_postings)).scalar_one())
        uow.commit()
    _analyze(uow_factory)
    return ReindexReport(done, postings, time.perf_counter() - started)


def _analyze(uow_factory: UowFactory) -> None:
    """The planner's statistics of the refilled tables: without them PostgreSQL took the fresh index for empty and
    chose plans ten times slower (bench.search measured it), until autovacuum came round."""
    with uow_factory() as uow:
        names = [table.name for table in (search_postings, search_records)]
        if uow.dialect_name in ("sqlite", "postgresql"):
            statements = [f"ANALYZE {name}" for name in names]
        else:
            statements = [f"ANALYZE TABLE {', '.join(names)}"]
        for statement in statements:
            result = uow.execute(text(statement))
            if statement.startswith("ANALYZE TABLE"):  # MariaDB answers with a table of its own
                result.all()
        uow.commit()


def _all_ids(uow: UnitOfWork, source: object) -> list[int]:
    ids: list[int] = []
    after = 0
    while True:
        page = source.record_ids(uow, after, 20_000)  # type: ignore[attr-defined]
        if not page:
            return ids
        ids.extend(page)
        after = page[-1]


def _empty(uow: UnitOfWork) -> None:
    """Empties the index tables; on a server TRUNCATE, which frees tens of millions of rows at once."""
    uow.execute(delete(search_state))
    for table in (search_postings, search_pending, search_records, search_file_texts):
        if uow.dialect_name == "sqlite":
            uow.execute(delete(table))
        else:
            uow.execute(text(f"TRUNCATE TABLE {table.name}"))
