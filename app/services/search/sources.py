"""What an area tells 综合查询 about its records: a source per searched kind (app.core.areas SearchSpec).

A source only reads its own records; the index (app.services.search.upkeep) adds the record's state from its
flow and the text of its files, and the query (app.services.search.query) decides who sees what through the
workflow's visibility rules, so no area writes search code of its own beyond saying what is searched.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from app.core.areas import SearchSpec, resolve, search_specs

if TYPE_CHECKING:
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class SearchField:
    """One searched field of a record: what it is called in a result's snippet, and its text. A private field
    (a petitioner's ID number, phone, address) is searched and shown only to those who read it unmasked."""

    label: str
    value: str
    private: bool = False


@dataclass(frozen=True)
class SearchEntry:
    """What of one record is searched: its title (shown as the result's heading), the year it is filed under
    (the results' year filter) and its other fields."""

    record_id: int
    year: int
    title: str
    fields: tuple[SearchField, ...]


class SearchSource(Protocol):
    """An area's searched kind of record."""

    # Whether the text of the record's files is private (a petition's scans carry the petitioner's data).
    files_private: bool

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        """The entries of those records that exist (a deleted record is left out, and leaves the index)."""
        ...

    def record_ids(self, uow: UnitOfWork, after: int, limit: int) -> list[int]:
        """Up to ``limit`` record ids above ``after``, ascending: every record, for a rebuild."""
        ...

    def sees_private(self, actor: Actor) -> bool:
        """Whether the actor searches and reads the private fields (as the area's own windows show them)."""
        ...


@dataclass(frozen=True)
class FileOwner:
    """A part of a record that has files of its own (a 会议's 议题): its files are searched as the record's,
    under ``label`` (议题材料), privately while the part is (a topic not yet approved)."""

    owner_type: str
    owner_id: int
    record_id: int
    label: str
    private: bool = False


@runtime_checkable
class PartFiles(Protocol):
    """A source whose records' parts own files (its SearchSpec names them in file_owners)."""

    def file_owners(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[FileOwner]:
        """The parts of these records that may own files."""
        ...

    def records_of(self, uow: UnitOfWork, owner_type: str, owner_ids: Sequence[int]) -> dict[int, int]:
        """The record each of these parts belongs to (part id → record id); parts gone are left out."""
        ...


def gathered(rows: Iterable[Any]) -> dict[int, list[str]]:
    """(record id, text, ...) rows, in their order, as each record's non-empty texts (a batch's child rows)."""
    found: dict[int, list[str]] = {}
    for record_id, *values in rows:
        for value in values:
            if value and str(value).strip():
                found.setdefault(int(record_id), []).append(str(value).strip())
    return found


@functools.cache
def searched() -> dict[str, tuple[SearchSpec, SearchSource]]:
    """Every searched kind by entity type, with its source, in the areas' order."""
    return {spec.entity_type: (spec, resolve(spec.source)) for spec in search_specs()}
