"""The 公文's parallel work on the engine's work items (workflow_work_items, app.services.workflow.parallel):
one row per unit or reader, under the document's flow record.

- 会签 (kind "cosign", step "cosign"): one item per co-issuing unit, named while drafting. Its opinion is the
  item's feedback, given by the unit's liaison or recorded by the office for the unit (given_by, basis). An
  agreement is the item done; a disagreement is feedback given but not accepted ("reported"), so the document
  still waits for that unit. A new round (送核稿 again) sends every item again.
- 分发 (kind "receipt", step "distribute"): one item per unit sent copies (the extra column copies); the unit's
  签收 is the item done, by its liaison (done_by_id) or entered from a paper 签收单 (done_by_name only).
- 传阅 (kind "read"): one item per copy sent to a reader (user_id), at the step it was sent; reading it is the
  item done, its remark the feedback; 收回 ends it as "recalled" (done_* say who recalled it and when).
  Items are never deleted: a reader sent the document twice has two.

Why here, and not the old side tables (document_cosigners, document_distributions, document_circulations,
copied by migration 0009): each was a work item with its own columns for who, when, state and feedback, read
separately by the 工作台, the 联络员's visibility, the window and the forms. On the engine's table the 工作台
reads them with any flow's items in one way (app.services.workflow.work_items), and the state is one column.
What only one kind has stays small: copies, and the by-proxy given_by/basis, which the engine's other items
can use too. The guards keep their facts (has_cosigners, cosign_complete, circulation_complete) read from these
items, rather than Transition.waits_for: a disagreement must hold the document up with its own message
("各会签单位均已同意"), and a 传阅 copy sent while the document was being handled holds up 传阅完毕 as well.

主办/协办 stay as they are (Document.handling_unit_id, document_co_handlers): they have no state, deadline
or feedback of their own: the 主办's liaison finishes 承办 for all, and a 协办 unit is a link to the document,
not a to-do. Moving them would only add rows.

Written on plain tables (no ORM), so that a cold print (app.services.documents.printed) reads them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, FromClause, and_, case, delete, exists, func, insert, select, update

from app.db.tables import units, users, utcnow, workflow_work_items
from app.services.kernel.uow import UnitOfWork

COSIGN, RECEIPT, READ = "cosign", "receipt", "read"
COSIGN_STEP, DISTRIBUTE_STEP = "cosign", "distribute"
TASKS = {COSIGN: "会签", RECEIPT: "签收", READ: "阅文"}
# The kinds that link a unit to a document (a 联络员 sees the documents their unit co-signs or is sent).
UNIT_KINDS = (COSIGN, RECEIPT)

_W = workflow_work_items.c
_UNIT = units.alias("item_unit")
_READER = users.alias("item_reader")


def of_kind(instance_id: int | ColumnElement[Any], kind: str) -> ColumnElement[bool]:
    return and_(_W.instance_id == instance_id, _W.kind == kind)


def unit_linked(instance_id: ColumnElement[Any], unit_id: int) -> ColumnElement[bool]:
    """The record has a 会签 or 分发 item of the unit."""
    return exists().where(_W.instance_id == instance_id, _W.unit_id == unit_id, _W.kind.in_(UNIT_KINDS))


def instances_of_unit(unit_id: int) -> Any:
    """The records with a 会签 or 分发 item of the unit, as a subquery of instance ids."""
    return select(_W.instance_id).where(_W.unit_id == unit_id, _W.kind.in_(UNIT_KINDS))


# ----- reading, in the shapes the window and the forms use --------------------------------------------------

# Each kind's columns under the names of its old table, so the views read them unchanged.
COSIGN_FROM: FromClause = workflow_work_items.outerjoin(_UNIT, _UNIT.c.id == _W.unit_id)
COSIGN_COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": _W.id, "unit_id": _W.unit_id, "unit_name": _UNIT.c.name,
    # None until the unit answered; True agreed (done), False disagreed (reported).
    "agreed": case((_W.state == "done", True), (_W.state == "reported", False), else_=None),
    "opinion": _W.feedback, "by_name": _W.reported_by_name, "at": _W.reported_at, "given_by": _W.given_by,
    "basis": _W.basis,
}
DISTRIBUTION_FROM: FromClause = COSIGN_FROM
DISTRIBUTION_COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": _W.id, "unit_id": _W.unit_id, "unit_name": _UNIT.c.name, "copies": func.coalesce(_W.copies, 1),
    "sent_at": _W.sent_at, "sent_by_name": _W.sent_by_name, "received_by_name": _W.done_by_name,
    "received_at": _W.done_at,
}
CIRCULATION_FROM: FromClause = workflow_work_items.outerjoin(_READER, _READER.c.id == _W.user_id)
CIRCULATION_COLUMNS: dict[str, ColumnElement[Any]] = {
    "id": _W.id, "reader_id": _W.user_id, "reader_name": func.coalesce(_READER.c.full_name, ""),
    "sent_by_name": _W.sent_by_name, "sent_at": _W.sent_at,
    "read_at": case((_W.state == "done", _W.done_at), else_=None), "remark": _W.feedback,
    "recalled": case((_W.state == "recalled", True), else_=False),
    "recalled_at": case((_W.state == "recalled", _W.done_at), else_=None),
    "recalled_by_name": case((_W.state == "recalled", _W.done_by_name), else_=""),
}


def _labelled(columns: dict[str, ColumnElement[Any]]) -> list[ColumnElement[Any]]:
    return [column.label(name) for name, column in columns.items()]


def cosign_rows(uow: UnitOfWork, instance_id: int) -> Sequence[Any]:
    return uow.execute(
        select(*_labelled(COSIGN_COLUMNS)).select_from(COSIGN_FROM).where(of_kind(instance_id, COSIGN))
        .order_by(_W.id)
    ).all()


def distribution_rows(uow: UnitOfWork, instance_id: int) -> Sequence[Any]:
    return uow.execute(
        select(*_labelled(DISTRIBUTION_COLUMNS)).select_from(DISTRIBUTION_FROM)
        .where(of_kind(instance_id, RECEIPT)).order_by(_W.id)
    ).all()


def circulation_rows(uow: UnitOfWork, where: ColumnElement[bool]) -> Sequence[Any]:
    return uow.execute(
        select(*_labelled(CIRCULATION_COLUMNS), _W.instance_id).select_from(CIRCULATION_FROM)
        .where(_W.kind == READ, where).order_by(_W.id)
    ).all()


def item_in(item_ids: Sequence[int]) -> ColumnElement[bool]:
    return _W.id.in_(list(item_ids))


def circulation_row(uow: UnitOfWork, item_id: int) -> Any | None:
    found = circulation_rows(uow, _W.id == item_id)
    return found[0] if found else None


# ----- the facts the guards read ------------------------------------------------------------------------------


def cosign_facts(uow: UnitOfWork, instance_id: int) -> dict[str, bool]:
    states = list(uow.execute(select(_W.state).where(of_kind(instance_id, COSIGN))).scalars())
    return {"has_cosigners": bool(states), "cosign_complete": bool(states) and all(s == "done" for s in states)}


def holding(instance_id: int | ColumnElement[Any]) -> ColumnElement[bool]:
    """A 传阅 copy of the record is with a reader now: sent, not read, not recalled."""
    return and_(of_kind(instance_id, READ), _W.state == "sent")


def held_instances() -> Any:
    """The records some reader holds now (传阅中), as a subquery of instance ids."""
    return select(_W.instance_id).where(_W.kind == READ, _W.state == "sent")


def held_among(instance_ids: Sequence[int]) -> Any:
    """Which of these records some reader holds now."""
    return held_instances().where(_W.instance_id.in_(list(instance_ids)))


def circulation_complete(uow: UnitOfWork, instance_id: int) -> bool:
    return uow.execute(select(_W.id).where(holding(instance_id)).limit(1)).first() is None


# ----- writing ------------------------------------------------------------------------------------------------


def _send(kind: str, instance_id: int, step_key: str, **values: Any) -> dict[str, Any]:
    return {
        "instance_id": instance_id, "step_key": step_key, "kind": kind, "lead": False, "task": TASKS[kind],
        "due_provisional": False, "state": "sent", "feedback": "", "sent_at": values.pop("sent_at", None) or utcnow(),
        "done_by_name": "", "sent_by_name": "", "reported_by_name": "", "given_by": "", "basis": "",
        "on_behalf_of_name": "", **values,
    }


def set_cosign_units(uow: UnitOfWork, instance_id: int, unit_ids: Sequence[int]) -> None:
    """Makes the record's 会签 items name exactly these units: a unit no longer named loses its item, one still
    named keeps its item and its opinion."""
    existing = set(uow.execute(select(_W.unit_id).where(of_kind(instance_id, COSIGN))).scalars())
    wanted = set(unit_ids)
    gone = existing - wanted
    if gone:
        uow.execute(delete(workflow_work_items).where(of_kind(instance_id, COSIGN), _W.unit_id.in_(sorted(gone))))
    added = [u for u in unit_ids if u not in existing]
    if added:
        uow.execute(insert(workflow_work_items), [_send(COSIGN, instance_id, COSIGN_STEP, unit_id=u) for u in added])


def resend_cosigns(uow: UnitOfWork, instance_id: int, actor_id: int | None, actor_name: str) -> None:
    """A new round of 会签: every unit's answer cleared."""
    uow.execute(update(workflow_work_items).where(of_kind(instance_id, COSIGN)).values(
        state="sent", feedback="", sent_at=utcnow(), sent_by_id=actor_id, sent_by_name=actor_name, reported_at=None,
        reported_by_id=None, reported_by_name="", given_by="", basis="", done_at=None, done_by_id=None,
        done_by_name="",
    ))


def cosign_item(uow: UnitOfWork, instance_id: int, unit_id: int | None) -> Any | None:
    return uow.execute(
        select(_W.id, _W.state).where(of_kind(instance_id, COSIGN), _W.unit_id == unit_id)
    ).first()


def answer_cosign(
    uow: UnitOfWork, item_id: int, *, agreed: bool, opinion: str, by_id: int | None, by_name: str, given_by: str,
    basis: str,
) -> None:
    """A unit's 会签 opinion: agreeing finishes its item; disagreeing leaves it reported, still waited for."""
    now = utcnow()
    done = {"done_at": now, "done_by_id": by_id, "done_by_name": by_name} if agreed else {
        "done_at": None, "done_by_id": None, "done_by_name": ""}
    uow.execute(update(workflow_work_items).where(_W.id == item_id).values(
        state="done" if agreed else "reported", feedback=opinion, reported_at=now, reported_by_id=by_id,
        reported_by_name=by_name, given_by=given_by, basis=basis, **done,
    ))


def distributed_units(uow: UnitOfWork, instance_id: int) -> set[int]:
    return set(uow.execute(select(_W.unit_id).where(of_kind(instance_id, RECEIPT))).scalars())


def distribute_to(
    uow: UnitOfWork, instance_id: int, unit_ids: Iterable[int], copies: int, by_id: int | None, by_name: str
) -> None:
    now = utcnow()
    rows = [
        _send(RECEIPT, instance_id, DISTRIBUTE_STEP, unit_id=u, copies=copies, sent_at=now, sent_by_id=by_id,
              sent_by_name=by_name)
        for u in unit_ids
    ]
    if rows:
        uow.execute(insert(workflow_work_items), rows)


def receipt_item(uow: UnitOfWork, instance_id: int, unit_id: int | None) -> Any | None:
    return uow.execute(
        select(_W.id, _W.unit_id, _W.state, _W.done_by_name).where(of_kind(instance_id, RECEIPT), _W.unit_id == unit_id)
    ).first()


def sign_for(uow: UnitOfWork, item_id: int, by_id: int | None, by_name: str) -> None:
    """签收: the unit's item done, by its liaison (by_id) or entered for the person named on a paper 签收单."""
    uow.execute(update(workflow_work_items).where(_W.id == item_id).values(
        state="done", done_at=utcnow(), done_by_id=by_id, done_by_name=by_name,
    ))


def readers_holding(uow: UnitOfWork, instance_id: int) -> set[int]:
    return set(uow.execute(select(_W.user_id).where(holding(instance_id))).scalars())


def send_to_read(
    uow: UnitOfWork, instance_id: int, step_key: str, reader_ids: Sequence[int], by_id: int | None, by_name: str
) -> list[int]:
    """Sends a 传阅 copy to each reader; the new items' ids, in the readers' order."""
    now = utcnow()
    ids = []
    for reader_id in reader_ids:
        result = uow.execute(insert(workflow_work_items).returning(_W.id).values(
            **_send(READ, instance_id, step_key, user_id=reader_id, sent_at=now, sent_by_id=by_id, sent_by_name=by_name)
        ))
        ids.append(int(result.scalar_one()))
    return ids


def end_reading(uow: UnitOfWork, item_id: int, *, recalled: bool, remark: str, by_id: int | None, by_name: str) -> None:
    """阅文 (the item done, with the remark) or 收回 (the item recalled)."""
    now = utcnow()
    values: dict[str, Any] = {"state": "recalled" if recalled else "done", "done_at": now, "done_by_id": by_id,
                              "done_by_name": by_name}
    if not recalled:
        values.update(feedback=remark, reported_at=now, reported_by_id=by_id, reported_by_name=by_name)
    uow.execute(update(workflow_work_items).where(_W.id == item_id).values(**values))
