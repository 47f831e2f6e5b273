"""Linked records: one record opened from another (复查 of a petition, a meeting's decision turned into a
supervision item), shown from both ends.

A record is named as (entity type, id), as the audit log and the change feed name it: an area's record by
its own id, a record of a flow alone by its workflow instance's id. Linking needs no open step: a 复查 is
opened from a petition long after its final step. The actor must see both records.

links_of lists, from either end, only the records the actor may see; those they may not are counted
(hidden), not named, so that a reader knows a link exists and whom to ask, while its title, which may
name a petitioner, stays with those who may read it.

A link may name the part of its source the target came from (``source_part``: a meeting's decision, of which
each becomes one supervision item). The source's area registers how its parts are checked (register_parts);
a part already linked in a kind is not linked again in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from app.core.errors import NotFound, ValidationError
from app.core.workflow.links import label_from, link_kind
from app.db.tables import record_links, workflow_instances
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow.moves import flow_for, start
from app.services.workflow.visibility import may_see, require_visible

RecordRef = tuple[str, int]
# (uow, source id, part): refuses, in the area's words, a part that is not the source's own.
PartCheck = Callable[[UnitOfWork, int, int], None]
_part_checks: dict[str, PartCheck] = {}


def register_parts(entity_type: str, check: PartCheck) -> None:
    """An area whose records have parts that may be linked one by one (its module calls this once, when
    imported)."""
    _part_checks[entity_type] = check

_WI = workflow_instances.c
_RL = record_links.c


@dataclass(frozen=True)
class LinkedRecord:
    """The record at the other end of a link, as this end's window lists it."""

    link_id: int
    kind: str
    # What the other record is, seen from here (复查件, 被复查件).
    kind_label: str
    entity_type: str
    entity_id: int
    instance_id: int
    title: str
    state_label: str
    closed: bool
    # True where this record is the one the other was opened from.
    outgoing: bool
    # Which part of the source the target came from (a meeting's decision), None for the whole record.
    source_part: int | None = None


@dataclass(frozen=True)
class Links:
    records: list[LinkedRecord]
    # Links to records the actor may not see: counted, not shown.
    hidden: int


def _instance_id_of(uow: UnitOfWork, ref: RecordRef) -> int:
    """The workflow instance of a record, or NotFound."""
    entity_type, entity_id = ref
    found = uow.execute(
        select(_WI.id).where(
            _WI.entity_type == entity_type,
            or_(_WI.entity_id == entity_id, and_(_WI.entity_id.is_(None), _WI.id == entity_id)),
        ).order_by(_WI.id).limit(1)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("找不到要关联的记录，可能已被删除")
    return int(found)


def record_step(uow: UnitOfWork, ref: RecordRef) -> str:
    """The step a record stands at in its flow (an area opening a record from another's asks it), or NotFound."""
    instance_id = _instance_id_of(uow, ref)
    return str(uow.execute(select(_WI.state).where(_WI.id == instance_id)).scalar_one())


def record_ref(uow: UnitOfWork, instance_id: int) -> RecordRef:
    """How a workflow instance's record is named: its area's record, or the instance itself."""
    row = uow.execute(select(_WI.entity_type, _WI.entity_id).where(_WI.id == instance_id)).one_or_none()
    if row is None:
        raise NotFound("找不到该办理事项，可能已被删除")
    return row.entity_type, row.entity_id if row.entity_id is not None else instance_id


def _check_part(uow: UnitOfWork, source: RecordRef, kind: str, source_part: int) -> None:
    check = _part_checks.get(source[0])
    if check is None:
        raise ValidationError("这类事项不能按其中的一项关联", field="origin")
    check(uow, source[1], source_part)
    taken = uow.execute(
        select(_RL.id).where(_RL.source_type == source[0], _RL.source_id == source[1], _RL.kind == kind,
                             _RL.source_part == source_part).limit(1)
    ).first()
    if taken is not None:
        raise ValidationError(f"这一项已转为{link_kind(kind).target_label}，不能重复转办", field="origin")


def _add_link(
    uow: UnitOfWork, actor: Actor, source: RecordRef, target: RecordRef, kind: str, source_part: int | None = None,
) -> int:
    link_kind(kind)
    if source == target:
        raise ValidationError("不能把一件事项与它自己关联", field="target")
    if source_part is not None:
        _check_part(uow, source, kind, source_part)
    existing = uow.execute(
        select(_RL.id).where(
            or_(
                and_(_RL.source_type == source[0], _RL.source_id == source[1],
                     _RL.target_type == target[0], _RL.target_id == target[1]),
                and_(_RL.source_type == target[0], _RL.source_id == target[1],
                     _RL.target_type == source[0], _RL.target_id == source[1]),
            ),
            _RL.kind == kind,
        ).limit(1)
    ).first()
    if existing is not None:
        raise ValidationError(f"这两件事项已有“{link_kind(kind).label}”关联", field="target")
    link_id = uow.execute(
        record_links.insert().returning(_RL.id).values(
            source_type=source[0], source_id=source[1], target_type=target[0], target_id=target[1], kind=kind,
            created_by=actor.id, source_part=source_part,
        )
    ).scalar_one()
    detail: dict[str, object] = {"kind": kind, "target": [target[0], target[1]]}
    if source_part is not None:
        detail["part"] = source_part
    uow.record(actor.id, actor.username, "link", source[0], source[1], detail, change_op="update")
    return int(link_id)


@acting
def link_records(
    uow: UnitOfWork, actor: Actor, *, source: RecordRef, target: RecordRef, kind: str, source_part: int | None = None,
) -> int:
    """Links two records the actor may see; the source is the one the target came from (``source_part``: from
    which of its parts). Commits."""
    link_kind(kind)
    for ref in (source, target):
        require_visible(uow, actor, _instance_id_of(uow, ref), "关联")
    link_id = _add_link(uow, actor, source, target, kind, source_part)
    uow.commit()
    return link_id


# Makes the new record in the caller's unit of work (it must not commit) and returns how it is named.
OpenRecord = Callable[[UnitOfWork], RecordRef]


@acting
def open_linked(
    uow: UnitOfWork,
    actor: Actor,
    *,
    source: RecordRef,
    kind: str,
    title: str,
    flow_key: str | None = None,
    entity_type: str = "task",
    unit_id: int | None = None,
    create: OpenRecord | None = None,
    today: date | None = None,
) -> RecordRef:
    """Opens a new record linked to ``source``, in one unit of work, and commits.

    Either a flow alone (``flow_key``: a record with no area's record behind it, started by
    moves.start, of the source's unit unless ``unit_id`` says otherwise), or an area's own record (``create``:
    the area's service makes it, its flow included, without committing, and says how it is named). The source
    may have passed its final step."""
    link_kind(kind)
    if (flow_key is None) == (create is None):
        raise ValueError("open_linked needs a flow key or a create function, not both")
    source_instance = _instance_id_of(uow, source)
    require_visible(uow, actor, source_instance, "关联")
    if not title.strip():
        raise ValidationError("请填写新事项的标题", field="title")
    if create is not None:
        target = create(uow)
    else:
        assert flow_key is not None
        flow_for(uow, flow_key)
        if unit_id is None:
            # A 复查 is the same matter as the petition it reviews: it stays with the source's unit.
            unit_id = uow.execute(select(_WI.unit_id).where(_WI.id == source_instance)).scalar_one()
        instance = start(uow, actor, flow_key=flow_key, entity_type=entity_type, title=title.strip(),
                         unit_id=unit_id, today=today)
        target = (entity_type, instance.id)
    _add_link(uow, actor, source, target, kind)
    uow.commit()
    return target


@acting
def links_of(uow: UnitOfWork, actor: Actor, entity_type: str, entity_id: int) -> Links:
    """The records linked to this one, both ways, that the actor may see; the rest counted."""
    require_visible(uow, actor, _instance_id_of(uow, (entity_type, entity_id)))
    rows = uow.execute(
        select(_RL.id, _RL.kind, _RL.source_type, _RL.source_id, _RL.target_type, _RL.target_id, _RL.source_part)
        .where(or_(and_(_RL.source_type == entity_type, _RL.source_id == entity_id),
                   and_(_RL.target_type == entity_type, _RL.target_id == entity_id)))
        .order_by(_RL.id)
    ).all()
    records: list[LinkedRecord] = []
    hidden = 0
    for row in rows:
        outgoing = (row.source_type, row.source_id) == (entity_type, entity_id)
        other = (row.target_type, row.target_id) if outgoing else (row.source_type, row.source_id)
        try:
            instance_id = _instance_id_of(uow, other)
        except NotFound:
            # The other record was deleted: nothing to show or open.
            continue
        if not may_see(uow, actor, instance_id):
            hidden += 1
            continue
        found = uow.execute(
            select(_WI.title, _WI.state, _WI.closed, _WI.flow_key, _WI.flow_version).where(_WI.id == instance_id)
        ).one()
        flow = flow_for(uow, found.flow_key, found.flow_version)
        state = flow.step(found.state).label
        kind = link_kind(row.kind)
        records.append(LinkedRecord(
            row.id, row.kind, label_from(kind, outgoing), other[0], other[1], instance_id, found.title, state,
            bool(found.closed), outgoing, row.source_part,
        ))
    return Links(records, hidden)


@acting
def linked_parts(uow: UnitOfWork, actor: Actor, source: RecordRef, kind: str) -> dict[int, RecordRef]:
    """Which parts of a record the actor may see have been linked in this kind, and to what (whether or not the
    actor may see the target): part → target."""
    require_visible(uow, actor, _instance_id_of(uow, source))
    rows = uow.execute(
        select(_RL.source_part, _RL.target_type, _RL.target_id)
        .where(_RL.source_type == source[0], _RL.source_id == source[1], _RL.kind == kind,
               _RL.source_part.is_not(None))
    ).all()
    return {int(r.source_part): (r.target_type, int(r.target_id)) for r in rows}
