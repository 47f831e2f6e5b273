"""Keeping the 综合查询 index in the record's own transaction: a record is found the moment its change commits,
from every PC, and not before.

UnitOfWork.commit hands over what the work recorded (the audit entries it is about to write). Every record of a
searched kind that the work touched, and every record whose files it added or removed, is read again through its
area's source and its index rows are brought up to date by difference: the grams the old text had and the new
one lacks are deleted, the new ones inserted, and a record whose text did not change (most moves of a flow)
costs one row's update or nothing.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, tuple_, update

from app.core.areas import search_specs
from app.core.search_text import fold, runs, text_grams
from app.db.tables import (
    search_file_texts,
    search_pending,
    search_postings,
    search_records,
    utcnow,
    workflow_history,
    workflow_instances,
)
from app.services.search.file_text import file_text
from app.services.search.sources import FileOwner, PartFiles, SearchField, SearchSource, searched

if TYPE_CHECKING:
    from sqlalchemy import Insert, Select, Table, Update

    from app.core.areas import SearchSpec
    from app.services.kernel.uow import PendingAudit, UnitOfWork

# The field the opinions of a record's history are searched and shown under, for every kind of record.
OPINIONS_LABEL = "办理意见"
_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})
_POSTING_COLUMNS = ("gram", "kind", "record_id", "public")
# Postings written per statement: large enough to cost few round trips, small enough for any server's packet.
_CHUNK = 2000
# Records the upkeep adds wait unposted (search_pending) until this many wait; the write that makes them this
# many posts them all. Posting a record alone writes to about 200 pages of the postings (a page per gram); 64
# records together share most of theirs (the bench data: 16 pages a record), so a write's commit stays short.
POST_AT = 64
_suspended = threading.local()


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Writes in this thread leave the index alone (bench.search measures the write path with and without it;
    nothing else may use this: an index not kept is an index that misses records)."""
    _suspended.on = True
    try:
        yield
    finally:
        _suspended.on = False


@dataclass(frozen=True)
class IndexRow:
    """A record's row in search_records, as it is or as it should be."""

    year: int
    state: str
    closed: bool
    title: str
    shown: str
    private_shown: str

    def postings(self) -> dict[int, bool]:
        """gram → whether it is in a public field."""
        return postings_of_text(_match_of(self.shown), _match_of(self.private_shown))

    def values(self) -> dict[str, Any]:
        return {
            "year": self.year, "state": self.state, "closed": self.closed, "title": self.title,
            "title_match": fold(self.title), "shown": self.shown, "text_match": _match_of(self.shown),
            "private_shown": self.private_shown, "private_match": _match_of(self.private_shown),
        }


def postings_of_text(text_match: str, private_match: str) -> dict[int, bool]:
    """A record's postings from its folded text: gram → whether it is in a public field."""
    everything = {gram: True for gram in text_grams(text_match)}
    for gram in text_grams(private_match):
        everything.setdefault(gram, False)
    return everything


def _match_of(shown: str) -> str:
    """The folded text of "label\\tvalue" lines, values only: a field's name is never a hit."""
    return "\n".join(fold(line.partition("\t")[2]) for line in shown.split("\n") if line)


def _lines(fields: Iterable[SearchField]) -> str:
    return "\n".join(
        f"{field.label}\t{' '.join(field.value.translate(_LINE_BREAKS).split())}"
        for field in fields
        if field.value and field.value.strip()
    )


def keep_index(uow: UnitOfWork, pending: Sequence[PendingAudit]) -> None:
    """Brings the index up to date with what this unit of work changed (called by its commit)."""
    if getattr(_suspended, "on", False) or not pending:
        return
    # Asked of the manifests (core) first: a login or a settings change loads no area's services or models.
    kinds = searched_types()
    pending = [item for item in pending if item.action not in READ_ONLY_ACTIONS]
    renamed = [name for item in pending for name in _old_names(item)]
    if not renamed and not any(item.entity_type in kinds or item.entity_type == "attachment" for item in pending):
        return
    touched: dict[str, set[int]] = {}
    for entity_type, record_id in _holding_names(uow, renamed):
        touched.setdefault(entity_type, set()).add(record_id)
    parts = part_owner_types()
    filed_parts: dict[str, set[int]] = {}
    for item in pending:
        if item.entity_type == "attachment":
            owner_type, _, owner_id = str(item.detail.get("owner", "")).partition(":")
            if (owner_type not in kinds and owner_type not in parts) or not owner_id.isdigit():
                continue
            if item.entity_id is not None:
                if item.action == "create":
                    _read_file_text(uow, item.entity_id)
                elif item.action == "delete":
                    uow.execute(delete(search_file_texts).where(search_file_texts.c.attachment_id == item.entity_id))
            if owner_type in kinds:
                touched.setdefault(owner_type, set()).add(int(owner_id))
            else:
                filed_parts.setdefault(owner_type, set()).add(int(owner_id))
        elif item.entity_type in kinds and item.entity_id is not None:
            touched.setdefault(item.entity_type, set()).add(item.entity_id)
    sources = searched()
    for owner_type, owner_ids in filed_parts.items():
        entity_type = parts[owner_type]
        source = sources[entity_type][1]
        if isinstance(source, PartFiles):
            touched.setdefault(entity_type, set()).update(source.records_of(uow, owner_type, sorted(owner_ids)).values())
    # Records this work created and gave no file: no file can be theirs yet, and their files are not read (unless
    # a part of a record of their kind got one: the part may be theirs).
    filed = {(item.detail.get("owner")) for item in pending if item.entity_type == "attachment"}
    kinds_with_filed_parts = {parts[owner_type] for owner_type in filed_parts}
    fileless = {
        (item.entity_type, item.entity_id) for item in pending
        if item.action == "create" and item.change_op == "create" and f"{item.entity_type}:{item.entity_id}" not in filed
        and item.entity_type not in kinds_with_filed_parts
    }
    created = {
        (item.entity_type, item.entity_id) for item in pending if item.action == "create" and item.change_op == "create"
    }
    for entity_type, ids in touched.items():
        spec, source = sources[entity_type]
        no_files = {record_id for record_id in ids if (entity_type, record_id) in fileless}
        new = {record_id for record_id in ids if (entity_type, record_id) in created}
        refresh(uow, spec, source, sorted(ids), no_files=no_files, created=new)


# Audit entries of reading, not changing (a form printed, a file downloaded, a petitioner's details shown): a
# cold `govdesk print` then loads no area's services or models, and a reader's commit reads nothing back.
READ_ONLY_ACTIONS = frozenset({"print", "download", "export", "view_unmasked", "view_restricted"})
# A unit's or a person's name, changed by an administrator: the records that name them are read again.
_NAME_FIELDS = {"unit": ("name", "short_name"), "user": ("full_name",)}


def _old_names(item: PendingAudit) -> list[str]:
    fields = _NAME_FIELDS.get(item.entity_type, ())
    names = []
    for field in fields:
        change = item.detail.get(field)
        if isinstance(change, list) and len(change) == 2 and isinstance(change[0], str) and change[0].strip():
            names.append(change[0])
    return names


def _holding_names(uow: UnitOfWork, names: Sequence[str]) -> set[tuple[str, int]]:
    """The searched records whose text holds one of these names (found through the index itself)."""
    found: set[tuple[str, int]] = set()
    by_code = {spec.code: spec.entity_type for spec in search_specs()}
    p, r = search_postings.c, search_records.c
    for name in names:
        folded = fold(name)
        grams = sorted(text_grams(folded))
        if not grams:
            continue
        needle = max(runs(folded), key=len)
        candidates = select(p.kind, p.record_id).where(p.gram == grams[0])
        for gram in grams[1:]:
            other = search_postings.alias()
            candidates = candidates.where(
                select(other.c.gram).where(
                    other.c.gram == gram, other.c.kind == p.kind, other.c.record_id == p.record_id
                ).exists()
            )
        rows = uow.execute(
            candidates.join(search_records, (r.kind == p.kind) & (r.record_id == p.record_id)).where(
                r.text_match.contains(needle, autoescape=True) | r.private_match.contains(needle, autoescape=True)
            )
        )
        found.update((by_code[row.kind], row.record_id) for row in rows if row.kind in by_code)
        # The records waiting to be posted have no postings yet: their text is read instead (a few dozen).
        w = search_pending.c
        waiting = uow.execute(
            select(w.kind, w.record_id)
            .select_from(search_pending.join(search_records, (r.kind == w.kind) & (r.record_id == w.record_id)))
            .where(r.text_match.contains(needle, autoescape=True) | r.private_match.contains(needle, autoescape=True))
        )
        found.update((by_code[row.kind], row.record_id) for row in waiting if row.kind in by_code)
    return found


@functools.cache
def searched_types() -> frozenset[str]:
    return frozenset(spec.entity_type for spec in search_specs())


@functools.cache
def part_owner_types() -> dict[str, str]:
    """The entity types of searched records' parts that own files (SearchSpec.file_owners), with their record's."""
    return {owner_type: spec.entity_type for spec in search_specs() for owner_type in spec.file_owners}


def _attachments() -> Table:
    from app.models.attachments import Attachment

    table: Table = Attachment.__table__  # type: ignore[assignment]
    return table


def _read_file_text(uow: UnitOfWork, attachment_id: int) -> None:
    attachments = _attachments()
    row = uow.execute(
        select(attachments.c.filename, attachments.c.data).where(attachments.c.id == attachment_id)
    ).first()
    if row is None:
        return
    content = file_text(row.filename, bytes(row.data))
    uow.execute(delete(search_file_texts).where(search_file_texts.c.attachment_id == attachment_id))
    uow.execute(insert(search_file_texts), [{"attachment_id": attachment_id, "content": content}])


def read_missing_file_texts(uow: UnitOfWork, entity_type: str, record_ids: Sequence[int]) -> None:
    """Reads the text of the records' files (their parts' too) that has not been read (files added before the
    index existed)."""
    attachments = _attachments()
    a = attachments.c
    owners = [(entity_type, list(record_ids))]
    source = searched()[entity_type][1]
    if isinstance(source, PartFiles):
        by_type: dict[str, list[int]] = {}
        for owner in source.file_owners(uow, record_ids):
            by_type.setdefault(owner.owner_type, []).append(owner.owner_id)
        owners += list(by_type.items())
    for owner_type, owner_ids in owners:
        missing = uow.execute(
            select(a.id)
            .where(a.owner_type == owner_type, a.owner_id.in_(owner_ids))
            .where(~select(search_file_texts.c.attachment_id).where(search_file_texts.c.attachment_id == a.id).exists())
        ).scalars().all()
        for attachment_id in missing:
            _read_file_text(uow, attachment_id)


def refresh(
    uow: UnitOfWork, spec: SearchSpec, source: SearchSource, record_ids: Sequence[int],
    no_files: Collection[int] = (), post_now: bool = False, created: Collection[int] = (),
) -> None:
    """Makes the index rows of these records what their records say now (deleted records leave it). ``no_files``:
    records known to have no file (created by this very work, none added), whose files are not looked for.
    ``created``: records this work says it created, whose row is written if there is none yet, without reading
    the old rows first (a flow started on an existing record says "create" too: its row is there, and is
    brought up to date the usual way).

    A record new to the index gets its row at once and waits unposted (search_pending) to be posted with others;
    ``post_now`` posts it at once instead (the rebuild, which writes hundreds at a time anyway). A posted record
    whose text changed has its postings changed by difference."""
    if not record_ids:
        return
    wanted = expected_rows(uow, spec, source, record_ids, no_files)
    # The rebuild (post_now) writes its new rows hundreds at a time below, and posts them at once.
    new_rows = [] if post_now else _insert_new_rows(uow, spec.code, {i: wanted[i] for i in created if i in wanted})
    if new_rows:
        _wait(uow, [(spec.code, record_id) for record_id in new_rows])
        record_ids = [record_id for record_id in record_ids if record_id not in new_rows]
        if not record_ids:
            return
    statements = _statements()
    # Locked on a server: a write posting the waiting records (post_waiting) must not post this one's old text
    # while this work changes it, nor this work take it for waiting once it is posted.
    current: dict[int, IndexRow] = {
        row.record_id: IndexRow(row.year, row.state, bool(row.closed), row.title, row.shown, row.private_shown)
        for row in uow.execute(statements.old_rows, {"kind": spec.code, "ids": list(record_ids)})
    }
    waiting: set[int] = set()
    if current:
        waiting = set(uow.execute(statements.waiting_of, {"kind": spec.code, "ids": sorted(current)}).scalars())
    gone_postings: list[dict[str, Any]] = []
    new_postings: list[tuple[int, int, int, bool]] = []
    inserts: list[dict[str, Any]] = []
    now_waiting: list[tuple[int, int]] = []
    now = utcnow()
    r = search_records.c
    for record_id in record_ids:
        old, new = current.get(record_id), wanted.get(record_id)
        if old == new:
            continue
        if old is not None and new is not None and (old.shown, old.private_shown, old.title) == (
            new.shown, new.private_shown, new.title
        ):
            # A move of the flow: where it stands changed, not what it says.
            uow.execute(statements.facts, {
                "k": spec.code, "r": record_id, "year": new.year, "state": new.state, "closed": new.closed,
                "indexed_at": now,
            })
            continue
        if new is None:
            uow.execute(delete(search_records).where(r.kind == spec.code, r.record_id == record_id))
            if record_id in waiting:
                uow.execute(delete(search_pending).where(
                    search_pending.c.kind == spec.code, search_pending.c.record_id == record_id
                ))
            elif old is not None:
                gone_postings.extend(
                    {"g": gram, "k": spec.code, "r": record_id, "p": public} for gram, public in old.postings().items()
                )
            continue
        if old is None:
            inserts.append({"kind": spec.code, "record_id": record_id, **new.values(), "indexed_at": now})
            if post_now:
                new_postings.extend((gram, spec.code, record_id, public) for gram, public in new.postings().items())
            else:
                now_waiting.append((spec.code, record_id))
            continue
        uow.execute(
            update(search_records)
            .where(r.kind == spec.code, r.record_id == record_id)
            .values(**new.values(), indexed_at=now)
        )
        if record_id in waiting:
            continue  # its postings are written from its row when it is posted
        old_postings, new_postings_of = old.postings(), new.postings()
        for gram, public in old_postings.items():
            if new_postings_of.get(gram) != public:
                gone_postings.append({"g": gram, "k": spec.code, "r": record_id, "p": public})
        for gram, public in new_postings_of.items():
            if old_postings.get(gram) != public:
                new_postings.append((gram, spec.code, record_id, public))
    _delete_postings(uow, gone_postings)
    for start in range(0, len(inserts), 500):
        uow.execute(insert(search_records), inserts[start:start + 500])
    _insert_postings(uow, new_postings)
    _wait(uow, now_waiting)


def _insert_new_rows(uow: UnitOfWork, kind: int, rows: Mapping[int, IndexRow]) -> list[int]:
    """Writes the rows of records created by this work that have none yet; the records whose row it wrote. One
    statement a record, where reading the old row and then writing took two (a round trip on a server)."""
    if not rows:
        return []
    now, written = utcnow(), []
    for record_id, row in sorted(rows.items()):
        values = {"kind": kind, "record_id": record_id, **row.values(), "indexed_at": now}
        if _wrote_row(uow, values):
            written.append(record_id)
    return written


def _wrote_row(uow: UnitOfWork, values: dict[str, Any]) -> bool:
    # psycopg gives no row count for an INSERT ... SELECT: where the database hands back what it inserted, that
    # is asked instead.
    statements = _statements()
    if uow.engine.dialect.insert_returning:
        return uow.execute(statements.insert_if_none_returning, values).first() is not None
    return bool(uow.execute(statements.insert_if_none, values).rowcount == 1)  # type: ignore[attr-defined]


def _wait(uow: UnitOfWork, records: Sequence[tuple[int, int]]) -> None:
    if records:
        uow.insert_plain(search_pending.name, ("kind", "record_id"), records)
        if _time_to_count(len(records)):
            post_waiting(uow, at_least=POST_AT)


_added = threading.local()


def _time_to_count(added: int) -> bool:
    """Whether this write counts the waiting records: once every eighth of POST_AT records this program adds, not
    at every write (a round trip on a server). Other PCs add theirs too, so a few more than POST_AT may wait at
    times; the query reads them all the same."""
    since = getattr(_added, "since", 0) + added
    due = since >= max(1, POST_AT // 8)
    _added.since = 0 if due else since
    return due


def post_waiting(uow: UnitOfWork, at_least: int = 1) -> int:
    """Posts the records waiting in search_pending once at least ``at_least`` wait; returns how many it posted.

    Their postings come from their rows' folded text, which the upkeep keeps current while they wait. On a server
    the rows are locked and those another work holds are skipped (that work is changing them, or posting them):
    two writes never post a record twice, and never wait on each other here."""
    statements = _statements()
    if int(uow.execute(statements.waiting_count).scalar_one()) < at_least:
        return 0
    rows = uow.execute(statements.waiting_rows).all()
    if not rows:
        return 0
    postings = [
        (gram, row.kind, row.record_id, public)
        for row in rows
        for gram, public in postings_of_text(row.text_match, row.private_match).items()
    ]
    _insert_postings(uow, postings)
    p = search_pending.c
    keys = [(row.kind, row.record_id) for row in rows]
    for start in range(0, len(keys), 500):
        uow.execute(delete(search_pending).where(tuple_(p.kind, p.record_id).in_(keys[start:start + 500])))
    return len(rows)


def _insert_postings(uow: UnitOfWork, postings: Sequence[tuple[int, int, int, bool]]) -> None:
    # In the key's order: each gram's new postings go in together, one page after another, instead of a
    # different page of the index at every row (the rebuild went twice as fast).
    ordered = sorted(postings)
    for start in range(0, len(ordered), _CHUNK):
        uow.insert_plain(search_postings.name, _POSTING_COLUMNS, ordered[start:start + _CHUNK])


@dataclass(frozen=True)
class _Statements:
    """The upkeep's statements, built once: it runs in every commit that touches a searched record, and
    building a statement costs about as much as running a small one."""

    old_rows: Select[Any]
    waiting_of: Select[Any]
    waiting_count: Select[Any]
    waiting_rows: Select[Any]
    facts: Update
    files: Select[Any]
    flow_facts: Select[Any]
    insert_if_none: Insert
    insert_if_none_returning: Insert


@functools.cache
def _statements() -> _Statements:
    r, wi, wh, w = search_records.c, workflow_instances.c, workflow_history.c, search_pending.c
    attachments = _attachments()
    a, t = attachments.c, search_file_texts.c
    # Portable where ON CONFLICT and INSERT IGNORE are not (and IGNORE would hide other errors too).
    insert_if_none = insert(search_records).from_select(
        _ROW_COLUMNS,
        select(*(bindparam(name, type_=r[name].type) for name in _ROW_COLUMNS)).where(
            ~select(r.record_id).where(r.kind == bindparam("kind"), r.record_id == bindparam("record_id")).exists()
        ),
    )
    return _Statements(
        old_rows=select(r.record_id, r.year, r.state, r.closed, r.title, r.shown, r.private_shown)
        .where(r.kind == bindparam("kind"), r.record_id.in_(bindparam("ids", expanding=True)))
        .order_by(r.record_id)
        .with_for_update(),
        waiting_of=select(w.record_id)
        .where(w.kind == bindparam("kind"), w.record_id.in_(bindparam("ids", expanding=True))),
        waiting_count=select(func.count()).select_from(search_pending),
        waiting_rows=select(w.kind, w.record_id, r.text_match, r.private_match)
        .select_from(search_pending.join(search_records, (r.kind == w.kind) & (r.record_id == w.record_id)))
        .order_by(w.kind, w.record_id)
        .with_for_update(skip_locked=True),
        facts=update(search_records)
        .where(r.kind == bindparam("k"), r.record_id == bindparam("r"))
        .values(year=bindparam("year"), state=bindparam("state"), closed=bindparam("closed"),
                indexed_at=bindparam("indexed_at")),
        files=select(a.owner_id, a.filename, a.purpose, t.content)
        .select_from(attachments.outerjoin(search_file_texts, t.attachment_id == a.id))
        .where(a.owner_type == bindparam("owner_type"), a.owner_id.in_(bindparam("ids", expanding=True)))
        .order_by(a.owner_id, a.sort_order, a.id),
        flow_facts=select(
            wi.entity_id, wi.id.label("instance_id"), wh.id.label("history_id"), wi.flow_key, wi.flow_version,
            wi.state, wi.closed, wh.opinion,
        )
        .select_from(
            workflow_instances.outerjoin(workflow_history, (wh.instance_id == wi.id) & (wh.opinion != ""))
        )
        .where(wi.entity_type == bindparam("entity_type"), wi.entity_id.in_(bindparam("ids", expanding=True))),
        insert_if_none=insert_if_none,
        insert_if_none_returning=insert_if_none.returning(r.record_id),
    )


_ROW_COLUMNS = (
    "kind", "record_id", "year", "state", "closed", "title", "title_match", "shown", "text_match", "private_shown",
    "private_match", "indexed_at",
)


def _delete_postings(uow: UnitOfWork, gone: list[dict[str, Any]]) -> None:
    if not gone:
        return
    p = search_postings.c
    key = tuple_(p.gram, p.kind, p.record_id, p.public)
    for start in range(0, len(gone), 500):
        chunk = gone[start:start + 500]
        uow.execute(delete(search_postings).where(key.in_([(g["g"], g["k"], g["r"], g["p"]) for g in chunk])))


def expected_rows(
    uow: UnitOfWork, spec: SearchSpec, source: SearchSource, record_ids: Sequence[int],
    no_files: Collection[int] = (),
) -> dict[int, IndexRow]:
    """What the index should hold for these records now: the source's fields, the files' text, the flow's state."""
    entries = {entry.record_id: entry for entry in source.entries(uow, record_ids)}
    if not entries:
        return {}
    ids = sorted(entries)
    with_files = [record_id for record_id in ids if record_id not in no_files]
    files = _file_fields(uow, spec, source, with_files) if with_files else {}
    states, opinions = _flow_facts(uow, spec.entity_type, ids)
    rows: dict[int, IndexRow] = {}
    for record_id in ids:
        entry = entries[record_id]
        fields = [
            SearchField("标题", entry.title), *entry.fields,
            SearchField(OPINIONS_LABEL, "；".join(opinions.get(record_id, ()))), *files.get(record_id, ()),
        ]
        state, closed = states.get(record_id, ("", False))
        rows[record_id] = IndexRow(
            year=entry.year,
            state=state[:40],
            closed=closed,
            title=" ".join(entry.title.split())[:500],
            shown=_lines(f for f in fields if not f.private),
            private_shown=_lines(f for f in fields if f.private),
        )
    return rows


def _file_fields(
    uow: UnitOfWork, spec: SearchSpec, source: SearchSource, record_ids: Sequence[int]
) -> dict[int, list[SearchField]]:
    """The records' files (names and text), then their parts' files under the part's label."""
    found: dict[int, list[SearchField]] = {}
    private = source.files_private
    rows = uow.execute(_statements().files, {"owner_type": spec.entity_type, "ids": list(record_ids)})
    for row in rows:
        fields = found.setdefault(row.owner_id, [])
        fields.append(SearchField("文件名", row.filename, private))
        if row.content:
            label = "正文" if row.purpose == "body" else f"文件《{row.filename}》"
            fields.append(SearchField(label, row.content, private))
    if not spec.file_owners or not isinstance(source, PartFiles):
        return found
    by_type: dict[str, dict[int, FileOwner]] = {}
    for owner in source.file_owners(uow, record_ids):
        by_type.setdefault(owner.owner_type, {})[owner.owner_id] = owner
    for owner_type, owners in by_type.items():
        for row in uow.execute(_statements().files, {"owner_type": owner_type, "ids": sorted(owners)}):
            owner = owners[row.owner_id]
            part_private = private or owner.private
            fields = found.setdefault(owner.record_id, [])
            fields.append(SearchField(owner.label, row.filename, part_private))
            if row.content:
                fields.append(SearchField(f"{owner.label}《{row.filename}》", row.content, part_private))
    return found


def _flow_facts(
    uow: UnitOfWork, entity_type: str, record_ids: Sequence[int]
) -> tuple[dict[int, tuple[str, bool]], dict[int, list[str]]]:
    """Each record's step as its flow names it and whether the flow is over (its newest instance), and the
    opinions of its history (签批意见, 会签意见, 退回 reasons …), oldest first: one statement."""
    from app.services.workflow.moves import flow_for

    states: dict[int, tuple[str, bool]] = {}
    opinions: dict[int, list[str]] = {}
    # Put in order here (each record's instances, then its history, oldest first), not by the server: MariaDB
    # sorted even one record's rows in a temporary table, a third of what this read cost a write.
    rows = sorted(
        uow.execute(_statements().flow_facts, {"entity_type": entity_type, "ids": list(record_ids)}),
        key=lambda row: (row.entity_id, row.instance_id, row.history_id or 0),
    )
    for row in rows:
        try:
            label = flow_for(uow, row.flow_key, row.flow_version).step(row.state).label
        except Exception:  # noqa: BLE001 - a step the flow no longer names is shown by its key
            label = row.state
        states[row.entity_id] = (label, bool(row.closed))
        # Joined with "；": an opinion's own closing stop would stand doubled before it.
        text = (row.opinion or "").strip().rstrip("。；;")
        if text:
            opinions.setdefault(row.entity_id, []).append(text)
    return states, opinions


def postings_of(uow: UnitOfWork, kind: int | None = None) -> Mapping[tuple[int, int, int], bool]:
    """The postings the index holds, those of the records waiting to be posted included (for the tests that
    compare upkeep with a rebuild)."""
    p, r, w = search_postings.c, search_records.c, search_pending.c
    query = select(p.gram, p.kind, p.record_id, p.public)
    waiting = select(w.kind, w.record_id, r.text_match, r.private_match).select_from(
        search_pending.join(search_records, (r.kind == w.kind) & (r.record_id == w.record_id))
    )
    if kind is not None:
        query = query.where(p.kind == kind)
        waiting = waiting.where(w.kind == kind)
    found = {(row.gram, row.kind, row.record_id): bool(row.public) for row in uow.execute(query)}
    for row in uow.execute(waiting):
        for gram, public in postings_of_text(row.text_match, row.private_match).items():
            found[(gram, row.kind, row.record_id)] = public
    return found
