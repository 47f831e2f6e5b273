"""What happens to an item after 报送 besides the flow: its adoption by a higher level (the adopting body, its level
and day, and the points it earns by the table in force when it is recorded), and a leader's written comment (批示).

The editors (文秘人员, 办公室主任, 副主任) record both; a 县领导 may record their own 批示 on an item they can read.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core.errors import NotFound, PermissionDenied, ValidationError
from app.core.information.flow import ENTITY
from app.core.information.points import LEVELS, points_for
from app.core.printable import check_printable
from app.core.roles import Role
from app.models.information import InfoAdoption, InfoComment, InfoItem
from app.services.information import records
from app.services.information.groups import points_table
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork

MAX_BODY = 60
MAX_LEADER = 50
MAX_COMMENT = 2000


def _one_line(value: str, label: str, field_name: str, limit: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValidationError(f"请填写{label}", field=field_name)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


def _submitted_item(uow: UnitOfWork, actor: Actor, item_id: int, doing: str) -> InfoItem:
    item, _instance = records.load(uow, actor, item_id)
    if item.submitted_on is None:
        raise ValidationError(f"{records.item_name(item)}还没有报送，不能{doing}")
    return item


def _check_day(day: date | None, item: InfoItem, label: str, field_name: str, today: date) -> date:
    if day is None:
        raise ValidationError(f"请填写{label}", field=field_name)
    if day > today:
        raise ValidationError(f"{label}不能晚于今天", field=field_name)
    if item.submitted_on is not None and day < item.submitted_on:
        raise ValidationError(f"{label}不能早于稿件的报送日期{item.submitted_on:%Y年%-m月%-d日}", field=field_name)
    return day


@acting
def record_adoption(
    uow: UnitOfWork, actor: Actor, item_id: int, *, body: str, level: str, adopted_on: date | None,
    today: date | None = None,
) -> records.ItemInfo:
    """An adoption by a higher level (市政府办公室 at 市级 …), earning the points of its level in the table in
    force. The same body's adoption is recorded once. For the editors. Commits."""
    today = today or date.today()
    if not records.is_editor(actor):
        raise PermissionDenied("只有文秘人员和办公室领导可以登记上级采用")
    item = _submitted_item(uow, actor, item_id, "登记采用")
    body = _one_line(body, "采用单位", "body", MAX_BODY)
    if level not in LEVELS:
        raise ValidationError(f"采用层级应为{'、'.join(LEVELS)}之一", field="level")
    adopted_on = _check_day(adopted_on, item, "采用日期", "adopted_on", today)
    if any(a.body == body for a in item.adoptions):
        raise ValidationError(f"已经登记过{body}对这篇稿件的采用", field="body")
    points = points_for(level, points_table(uow))
    item.adoptions.append(InfoAdoption(body=body, level=level, adopted_on=adopted_on, points=points,
                                       recorded_by_name=actor.full_name))
    records.touch(item)
    uow.record(actor.id, actor.username, "adopt", ENTITY, item.id,
               {"body": body, "level": level, "adopted_on": adopted_on.isoformat(), "points": points})
    _item, instance = records.load(uow, actor, item.id)
    return records.commit_info(uow, actor, item, instance)


@acting
def remove_adoption(uow: UnitOfWork, actor: Actor, adoption_id: int) -> records.ItemInfo:
    """Takes back an adoption recorded by mistake. For the editors. Commits."""
    if not records.is_editor(actor):
        raise PermissionDenied("只有文秘人员和办公室领导可以删除采用记录")
    adoption = uow.session.get(InfoAdoption, adoption_id)
    if adoption is None:
        raise NotFound("找不到该采用记录，可能已被删除")
    item, instance = records.load(uow, actor, adoption.item_id)
    uow.record(actor.id, actor.username, "unadopt", ENTITY, item.id,
               {"body": adoption.body, "level": adoption.level, "points": adoption.points})
    item.adoptions.remove(adoption)
    records.touch(item)
    return records.commit_info(uow, actor, item, instance)


def _may_comment(actor: Actor) -> bool:
    return records.is_editor(actor) or actor.has(Role.COUNTY_LEADER)


@acting
def record_comment(
    uow: UnitOfWork, actor: Actor, item_id: int, *, leader: str, text: str, commented_on: date | None,
    today: date | None = None,
) -> records.ItemInfo:
    """A leader's 批示 on an item: the editors record any leader's; a 县领导 records their own. Commits."""
    today = today or date.today()
    if not _may_comment(actor):
        raise PermissionDenied("只有文秘人员、办公室领导和县领导可以登记领导批示")
    item = _submitted_item(uow, actor, item_id, "登记批示")
    if not records.is_editor(actor):
        leader = actor.full_name
    leader = _one_line(leader, "批示领导", "leader", MAX_LEADER)
    text = text.strip()
    if not text:
        raise ValidationError("请填写批示内容", field="text")
    if len(text) > MAX_COMMENT:
        raise ValidationError(f"批示内容不能超过{MAX_COMMENT}个字", field="text")
    check_printable(text, "批示内容", field="text")
    commented_on = _check_day(commented_on, item, "批示日期", "commented_on", today)
    item.comments.append(InfoComment(leader=leader, text=text, commented_on=commented_on,
                                     recorded_by_name=actor.full_name))
    records.touch(item)
    uow.record(actor.id, actor.username, "comment", ENTITY, item.id,
               {"leader": leader, "commented_on": commented_on.isoformat()})
    _item, instance = records.load(uow, actor, item.id)
    return records.commit_info(uow, actor, item, instance)


@acting
def remove_comment(uow: UnitOfWork, actor: Actor, comment_id: int) -> records.ItemInfo:
    """Takes back a 批示 recorded by mistake: the editors. Commits."""
    if not records.is_editor(actor):
        raise PermissionDenied("只有文秘人员和办公室领导可以删除批示记录")
    comment = uow.session.get(InfoComment, comment_id)
    if comment is None:
        raise NotFound("找不到该批示记录，可能已被删除")
    item, instance = records.load(uow, actor, comment.item_id)
    uow.record(actor.id, actor.username, "uncomment", ENTITY, item.id, {"leader": comment.leader})
    item.comments.remove(comment)
    records.touch(item)
    return records.commit_info(uow, actor, item, instance)


def adopted_item_ids(uow: UnitOfWork, start: date, end: date) -> set[int]:
    """Items adopted at least once between these days."""
    rows = uow.execute(select(InfoAdoption.item_id).where(InfoAdoption.adopted_on.between(start, end))).scalars()
    return {int(r) for r in rows}
