"""常用意见: each person's own common opinions, kept beside the office's (a setting per area).

A leader writes the same few opinions all day. The office's phrases are an administrator's setting
(app.services.kernel.settings, "office_opinions_<area>"); each person adds their own, which come first
in the opinion box. Only the owner reads or changes their list: an opinion is a person's habit, not a
record of the office.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update

from app.core.errors import NotFound, ValidationError
from app.core.printable import check_printable
from app.db.tables import common_opinions
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import office_opinions
from app.services.kernel.uow import UnitOfWork

# The column's width; and enough for anyone's habits while the box's list stays short enough to scan.
MAX_LENGTH = 200
MAX_PER_PERSON = 30

_C = common_opinions.c


@dataclass(frozen=True)
class OpinionInfo:
    id: int
    text: str
    position: int


@dataclass(frozen=True)
class OpinionPhrases:
    """What an opinion box offers: the person's own first, then the office's for the area."""

    own: list[OpinionInfo]
    office: list[str]

    @property
    def texts(self) -> list[str]:
        own = [o.text for o in self.own]
        return own + [text for text in self.office if text not in own]


def _own(uow: UnitOfWork, actor: Actor) -> list[OpinionInfo]:
    rows = uow.execute(
        select(_C.id, _C.text, _C.position).where(_C.user_id == actor.id).order_by(_C.position, _C.id)
    ).all()
    return [OpinionInfo(int(r.id), r.text, int(r.position)) for r in rows]


def _require_person(actor: Actor, doing: str) -> int:
    if actor.id is None:
        # The command line is nobody's desk: it has no opinions of its own.
        raise ValidationError(f"命令行没有个人常用意见，不能{doing}")
    return actor.id


@acting
def my_opinions(uow: UnitOfWork, actor: Actor) -> list[OpinionInfo]:
    """The actor's own common opinions, in their order."""
    _require_person(actor, "查看")
    return _own(uow, actor)


@acting
def opinion_phrases(uow: UnitOfWork, actor: Actor, area: str) -> OpinionPhrases:
    """The opinion box's phrases: read with the record, in its unit of work (one short statement each)."""
    own = _own(uow, actor) if actor.id is not None else []
    return OpinionPhrases(own, office_opinions(uow, area))


def _checked_text(uow: UnitOfWork, user_id: int, text: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise ValidationError("常用意见不能为空，请先写下意见再保存", field="text")
    if len(clean) > MAX_LENGTH:
        raise ValidationError(f"常用意见不能超过{MAX_LENGTH}个字（现有{len(clean)}个字），请精简后再保存", field="text")
    check_printable(clean, "常用意见", field="text")
    clash = uow.execute(select(_C.id).where(_C.user_id == user_id, _C.text == clean).limit(1)).first()
    if clash is not None:
        raise ValidationError(f"“{clean}”已在您的常用意见中，不需要重复添加", field="text")
    return clean


@acting
def add_opinion(uow: UnitOfWork, actor: Actor, text: str) -> OpinionInfo:
    """Adds one of the actor's own opinions, last in their list."""
    user_id = _require_person(actor, "添加")
    clean = _checked_text(uow, user_id, text)
    count, last = uow.execute(
        select(func.count(), func.max(_C.position)).where(_C.user_id == user_id)
    ).one()
    if count >= MAX_PER_PERSON:
        raise ValidationError(f"常用意见最多{MAX_PER_PERSON}条，请先删去不常用的再添加", field="text")
    position = (last or 0) + 1
    inserted = uow.execute(insert(common_opinions).values(user_id=user_id, text=clean, position=position))
    opinion_id = int(inserted.inserted_primary_key[0])  # type: ignore[attr-defined]
    uow.record(actor.id, actor.username, "create", "common_opinion", opinion_id, {"text": clean}, change_op="create")
    uow.commit()
    return OpinionInfo(int(opinion_id), clean, position)


def _owned(uow: UnitOfWork, user_id: int, opinion_id: int) -> str:
    """The text of one of the user's opinions; another person's is refused as if it did not exist."""
    text = uow.execute(
        select(_C.text).where(_C.id == opinion_id, _C.user_id == user_id)
    ).scalar_one_or_none()
    if text is None:
        raise NotFound("找不到这条常用意见，可能已被删除；请关闭后重新打开“管理常用意见”")
    return str(text)


@acting
def remove_opinion(uow: UnitOfWork, actor: Actor, opinion_id: int) -> None:
    user_id = _require_person(actor, "删除")
    text = _owned(uow, user_id, opinion_id)
    uow.execute(delete(common_opinions).where(_C.id == opinion_id))
    uow.record(actor.id, actor.username, "delete", "common_opinion", opinion_id, {"text": text}, change_op="delete")
    uow.commit()


@acting
def move_opinion(uow: UnitOfWork, actor: Actor, opinion_id: int, steps: int) -> list[OpinionInfo]:
    """Moves one opinion up (steps < 0) or down its owner's list; the list is renumbered 1, 2, 3 …"""
    user_id = _require_person(actor, "调整顺序")
    _owned(uow, user_id, opinion_id)
    ordered = _own(uow, actor)
    index = next(i for i, o in enumerate(ordered) if o.id == opinion_id)
    target = max(0, min(len(ordered) - 1, index + steps))
    if target != index:
        moved = ordered.pop(index)
        ordered.insert(target, moved)
        for position, opinion in enumerate(ordered, start=1):
            if opinion.position != position:
                uow.execute(update(common_opinions).where(_C.id == opinion.id).values(position=position))
        uow.record(actor.id, actor.username, "update", "common_opinion", opinion_id,
                   {"position": [index + 1, target + 1]}, change_op="update")
        uow.commit()
    return _own(uow, actor)
