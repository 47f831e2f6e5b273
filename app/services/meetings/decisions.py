"""议定事项: what a meeting decided, each with the unit that is to carry it out and by when, recorded by its
organizers once the meeting is held; each may become a supervision item in one action.

A decision becomes an item through the supervision area's own register act, with the origin ("meeting", meeting
id, decision id): the link (app.services.workflow.links, kind "decision_item") names the decision as the part of
the meeting the item came from (record_links.source_part), and reads from both ends (督办事项 / 来源议定事项). This
module never reads the supervision area: which decisions became items, and how those items stand, it reads from
the links and the workflow. A decision that became an item is kept as it was: it may not be changed or removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import ValidationError
from app.core.meetings.flow import ENTITY, FOLLOW_UP, HELD
from app.core.printable import check_printable
from app.models import Unit, WorkflowInstance
from app.models.meetings import Meeting, MeetingDecision
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.meetings.records import RECORDS, get_meeting, load, require_organizer, touch
from app.services.workflow import links
from app.services.workflow.acts import open_act

LINK_KIND = "decision_item"
MAX_DECISIONS = 50
MAX_TEXT = 2000
# The supervision item's title is at most this long; the whole decision goes into its requirement.
TITLE_LIMIT = 200
REQUIREMENT_LIMIT = 2000
# The source a supervision item from a meeting's decision is registered under (app.core.supervision SOURCES).
ITEM_SOURCE = "常务会议决定事项"


@dataclass(frozen=True)
class DecisionInput:
    text: str
    lead_unit_id: int | None
    deadline: date | None


@dataclass(frozen=True)
class DecisionInfo:
    id: int
    position: int
    text: str
    lead_unit_id: int | None
    lead_unit_name: str
    deadline: date | None
    # The supervision item it became, if it did: its id, title and where it stands ("" where the actor may not
    # see the item: it is counted as turned, not named).
    item_id: int | None
    item_title: str
    item_state_label: str

    @property
    def turned(self) -> bool:
        return self.item_id is not None


@dataclass(frozen=True)
class DecisionOrigin:
    """What the supervision register form is filled in with for a decision: where it comes from (the origin to
    pass to supervision's create_item), its title and requirement, its lead unit and deadline."""

    origin: tuple[str, int, int]
    meeting_title: str
    source: str
    title: str
    requirement: str
    lead_unit_id: int | None
    deadline: date | None


def _check_part(uow: UnitOfWork, meeting_id: int, decision_id: int) -> None:
    """Only a decision of this meeting may be linked as its part."""
    decision = uow.session.get(MeetingDecision, decision_id)
    if decision is None or decision.meeting_id != meeting_id:
        raise ValidationError("找不到该议定事项，可能已被修改或删除，请刷新后再试", field="origin")


links.register_parts(ENTITY, _check_part)


def _rows(uow: UnitOfWork, meeting_id: int) -> list[MeetingDecision]:
    return list(uow.session.execute(
        select(MeetingDecision).where(MeetingDecision.meeting_id == meeting_id)
        .order_by(MeetingDecision.position, MeetingDecision.id)
    ).scalars())


def _infos(uow: UnitOfWork, actor: Actor, meeting: Meeting) -> list[DecisionInfo]:
    rows = _rows(uow, meeting.id)
    turned = links.linked_parts(uow, actor, (ENTITY, meeting.id), LINK_KIND)
    seen = {r.source_part: r for r in links.links_of(uow, actor, ENTITY, meeting.id).records
            if r.kind == LINK_KIND and r.outgoing and r.source_part is not None}
    unit_ids = {r.lead_unit_id for r in rows if r.lead_unit_id is not None}
    names = dict(uow.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    result = []
    for row in rows:
        target = turned.get(row.id)
        linked = seen.get(row.id)
        result.append(DecisionInfo(
            id=row.id, position=row.position, text=row.text, lead_unit_id=row.lead_unit_id,
            lead_unit_name=names.get(row.lead_unit_id, "") if row.lead_unit_id is not None else "",
            deadline=row.deadline, item_id=target[1] if target else None,
            item_title=linked.title if linked else "", item_state_label=linked.state_label if linked else "",
        ))
    return result


def _check(uow: UnitOfWork, decisions: Sequence[DecisionInput]) -> list[DecisionInput]:
    if len(decisions) > MAX_DECISIONS:
        raise ValidationError(f"议定事项不能超过{MAX_DECISIONS}项", field="decisions")
    cleaned = []
    for index, d in enumerate(decisions, start=1):
        where = f"第{index}项议定事项"
        text = d.text.strip()
        if not text:
            raise ValidationError(f"请填写{where}的内容", field="decisions")
        if len(text) > MAX_TEXT:
            raise ValidationError(f"{where}不能超过{MAX_TEXT}个字，现在有{len(text)}个字", field="decisions")
        check_printable(text, where, field="decisions")
        if d.lead_unit_id is not None:
            unit = uow.session.get(Unit, d.lead_unit_id)
            if unit is None or not unit.active:
                raise ValidationError(f"{where}的牵头单位不存在或已停用，请重新选择", field="decisions")
        cleaned.append(DecisionInput(text, d.lead_unit_id, d.deadline))
    return cleaned


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


@acting
def save_decisions(
    uow: UnitOfWork, actor: Actor, meeting_id: int, decisions: Sequence[DecisionInput], *,
    expected_version: int | None = None,
) -> list[DecisionInfo]:
    """The meeting's decisions as the form lists them, in its order, for its organizers once it is held (会议召开
    or 会后落实). A decision that became a supervision item must be listed as it was. Commits."""

    def organizer(meeting: Meeting, instance: WorkflowInstance) -> None:
        require_organizer(actor, instance, "登记议定事项")

    meeting, _instance = open_act(uow, actor, RECORDS, meeting_id, "登记议定事项", during=(HELD, FOLLOW_UP),
                                  who=organizer, expected_version=expected_version)
    wanted = _check(uow, decisions)
    turned = set(links.linked_parts(uow, actor, (ENTITY, meeting.id), LINK_KIND))
    pool = _rows(uow, meeting.id)
    kept: list[MeetingDecision] = []
    for d in wanted:
        same = next((r for r in pool if (r.text, r.lead_unit_id, r.deadline) == (d.text, d.lead_unit_id, d.deadline)),
                    None)
        if same is not None:
            pool.remove(same)
        else:
            same = MeetingDecision(meeting_id=meeting.id, position=len(kept), text=d.text,
                                   lead_unit_id=d.lead_unit_id, deadline=d.deadline)
            uow.session.add(same)
        kept.append(same)
    for gone in pool:
        if gone.id in turned:
            raise ValidationError(f"议定事项“{_short(gone.text)}”已转为督办事项，不能修改或删除", field="decisions")
    for gone in pool:
        uow.session.delete(gone)
    for position, row in enumerate(kept):
        row.position = position
    touch(meeting)
    uow.flush()
    uow.record(actor.id, actor.username, "save_decisions", ENTITY, meeting.id,
               {"decisions": [d.text[:100] for d in wanted]}, change_op="update")
    infos = _infos(uow, actor, meeting)
    uow.commit()
    return infos


@acting
def decisions_of(uow: UnitOfWork, actor: Actor, meeting_id: int) -> list[DecisionInfo]:
    """The meeting's decisions, each with the supervision item it became, for anyone who sees the meeting."""
    meeting, _instance = load(uow, actor, meeting_id)
    return _infos(uow, actor, meeting)


@dataclass(frozen=True)
class DecisionsView:
    """What the 议定事项 tab shows: the meeting's title (the register form's heading) and its decisions."""

    title: str
    decisions: list[DecisionInfo]


@acting
def decisions_view(uow: UnitOfWork, actor: Actor, meeting_id: int) -> DecisionsView:
    return DecisionsView(get_meeting(uow, actor, meeting_id).title, decisions_of(uow, actor, meeting_id))


@acting
def decision_origin(uow: UnitOfWork, actor: Actor, decision_id: int) -> DecisionOrigin:
    """What the supervision register form needs to turn this decision into an item; refused for a decision
    that already became one."""
    decision = uow.session.get(MeetingDecision, decision_id)
    if decision is None:
        raise ValidationError("找不到该议定事项，可能已被修改或删除，请刷新后再试", field="origin")
    meeting, _instance = load(uow, actor, decision.meeting_id)
    if decision.id in links.linked_parts(uow, actor, (ENTITY, meeting.id), LINK_KIND):
        raise ValidationError(f"议定事项“{_short(decision.text)}”已转为督办事项，不能重复转办", field="origin")
    first_line = decision.text.splitlines()[0].strip() if decision.text.strip() else decision.text
    return DecisionOrigin(
        origin=(ENTITY, meeting.id, decision.id), meeting_title=meeting.title, source=ITEM_SOURCE,
        title=first_line[:TITLE_LIMIT], requirement=f"{meeting.title}议定：{decision.text}"[:REQUIREMENT_LIMIT],
        lead_unit_id=decision.lead_unit_id, deadline=decision.deadline,
    )
