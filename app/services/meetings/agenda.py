"""议题: units propose topics for a meeting with their materials, the office reviews them, and (for a 常务会议)
the office's leaders approve them and put the agenda in order (app.core.meetings.agenda has the states).

Who acts: a unit's 联络员 proposes, changes and withdraws their own unit's topics; the meeting's organizers
(records.require_organizer) may do so for any unit, and they review. Every act happens while the meeting is
being prepared (会前筹备), moves the meeting's version on and is audited on the meeting, so an open window of
the meeting refreshes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.meetings import agenda as rules
from app.core.meetings.flow import ENTITY, PREPARE, TOPIC_ENTITY
from app.core.printable import check_printable
from app.core.roles import Role
from app.models import Unit, WorkflowInstance
from app.models.meetings import Meeting, MeetingTopic
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork
from app.services.meetings import records

MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_REPORTER = 50
MAX_NOTE = 500
MAX_TOPICS = 100
TOPIC_FILES = attachments.RecordFiles(TOPIC_ENTITY, "找不到该议题材料，可能已被删除")
MATERIAL = "material"


@dataclass(frozen=True)
class TopicInput:
    """A topic as the form gives it. ``unit_id`` is the proposing unit: a 联络员's own unit whatever is given."""

    title: str
    summary: str
    reporter: str
    unit_id: int | None


@dataclass(frozen=True)
class TopicInfo:
    id: int
    meeting_id: int
    unit_id: int
    unit_name: str
    title: str
    summary: str
    reporter: str
    state: str
    state_label: str
    review_note: str
    # Its place in the agenda once approved (1, 2, …); 0 before.
    position: int
    proposed_by_name: str
    version: int
    reviewed_by_name: str = ""


# ----- who may do what -----------------------------------------------------------------------------------


def _is_organizer(actor: Actor, instance: WorkflowInstance) -> bool:
    return (actor.id is not None and actor.id == instance.responsible_id) or actor.has(*records.ORGANIZERS)


def _is_units_liaison(actor: Actor, unit_id: int | None) -> bool:
    return actor.has(Role.LIAISON) and actor.unit_id is not None and actor.unit_id == unit_id


def _require_proposer(actor: Actor, instance: WorkflowInstance, unit_id: int | None, doing: str) -> None:
    """The unit's own 联络员, or the meeting's organizers."""
    if _is_organizer(actor, instance) or _is_units_liaison(actor, unit_id):
        return
    if actor.has(Role.LIAISON):
        raise PermissionDenied(f"这是其他单位申报的议题，不能{doing}")
    raise PermissionDenied(f"只有申报单位的部门联络员，或文秘人员、办公室主任、副主任可以{doing}")


def _require_preparing(meeting: Meeting, instance: WorkflowInstance, doing: str) -> None:
    records.require_open(meeting, instance, doing)
    if instance.state != PREPARE:
        raise WorkflowError(f"会议“{meeting.title}”已经开始，议题只能在会前筹备时{doing}")


# ----- loading ---------------------------------------------------------------------------------------------


def _load_topic(
    uow: UnitOfWork, actor: Actor, topic_id: int, expected_version: int | None = None
) -> tuple[MeetingTopic, Meeting, WorkflowInstance]:
    """The topic with its meeting, if the actor sees both: a 联络员 (who sees only their unit's meetings) sees
    their own unit's topics and the approved agenda."""
    topic = uow.session.get(MeetingTopic, topic_id)
    if topic is None:
        raise NotFound("找不到该议题，可能已被删除")
    meeting, instance = records.load(uow, actor, topic.meeting_id)
    if not _sees_topic(actor, topic.unit_id, topic.state):
        raise PermissionDenied("这个议题是其他单位申报的，不能查看")
    if expected_version is not None and topic.version != expected_version:
        raise ConflictError(f"议题“{topic.title}”已被其他人修改，请刷新后再操作")
    return topic, meeting, instance


def _sees_topic(actor: Actor, unit_id: int, state: str) -> bool:
    return records.sees_all(actor) or state == rules.APPROVED or actor.unit_id == unit_id


def _topic_info(topic: MeetingTopic, unit_names: dict[int, str]) -> TopicInfo:
    return TopicInfo(
        id=topic.id, meeting_id=topic.meeting_id, unit_id=topic.unit_id, unit_name=unit_names.get(topic.unit_id, ""),
        title=topic.title, summary=topic.summary, reporter=topic.reporter, state=topic.state,
        state_label=rules.state_label(topic.state), review_note=topic.review_note, position=topic.position,
        proposed_by_name=topic.proposed_by_name, version=topic.version, reviewed_by_name=topic.reviewed_by_name,
    )


def _unit_names(uow: UnitOfWork, unit_ids: set[int]) -> dict[int, str]:
    if not unit_ids:
        return {}
    return {int(i): str(n) for i, n in uow.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))}


def _commit_topic(uow: UnitOfWork, topic: MeetingTopic) -> TopicInfo:
    uow.flush()
    info = _topic_info(topic, _unit_names(uow, {topic.unit_id}))
    uow.commit()
    return info


def _audit(uow: UnitOfWork, actor: Actor, action: str, meeting: Meeting, topic: MeetingTopic, **detail: object) -> None:
    """Audited on the meeting, so the meeting's open windows refresh; the topic is named in the detail."""
    uow.record(actor.id, actor.username, action, ENTITY, meeting.id,
               {"topic": topic.id, "title": topic.title, **detail}, change_op="update")


# ----- checking what was typed ---------------------------------------------------------------------------


def _line(value: str, limit: int, label: str, field: str) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field)
    check_printable(text, label, field=field)
    return text


def _checked(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, data: TopicInput) -> tuple[str, str, str, int]:
    """(title, summary, reporter, unit id), or the first thing to fix."""
    title = _line(data.title, MAX_TITLE, "议题名称", "title")
    if not title:
        raise ValidationError("请填写议题名称", field="title")
    summary = data.summary.strip()
    if len(summary) > MAX_SUMMARY:
        raise ValidationError(f"议题说明不能超过{MAX_SUMMARY}个字，现在有{len(summary)}个字", field="summary")
    check_printable(summary, "议题说明", field="summary")
    reporter = _line(data.reporter, MAX_REPORTER, "汇报人", "reporter")
    # A 联络员 proposes for their own unit, whatever the form says (unless they also organize the meeting).
    unit_id = data.unit_id if _is_organizer(actor, instance) else actor.unit_id
    if unit_id is None:
        raise ValidationError("请选择申报单位", field="unit_id")
    unit = uow.session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise ValidationError("所选申报单位不存在或已停用，请重新选择", field="unit_id")
    return title, summary, reporter, unit.id


# ----- the acts ------------------------------------------------------------------------------------------


@acting
def propose_topic(
    uow: UnitOfWork, actor: Actor, meeting_id: int, data: TopicInput, *,
    files: Sequence[tuple[str, bytes]] = (),
) -> TopicInfo:
    """A unit's topic for the meeting, with its materials, 已申报. Commits."""
    meeting, instance = records.load(uow, actor, meeting_id)
    organizer = _is_organizer(actor, instance)
    if not organizer and not (actor.has(Role.LIAISON) and actor.unit_id is not None):
        raise PermissionDenied("只有部门联络员，或文秘人员、办公室主任、副主任可以申报议题")
    _require_preparing(meeting, instance, "申报")
    title, summary, reporter, unit_id = _checked(uow, actor, instance, data)
    count = uow.session.execute(
        select(MeetingTopic.id).where(MeetingTopic.meeting_id == meeting.id)
    ).all()
    if len(count) >= MAX_TOPICS:
        raise ValidationError(f"一个会议最多申报{MAX_TOPICS}个议题", field="title")
    topic = MeetingTopic(
        meeting_id=meeting.id, unit_id=unit_id, title=title, summary=summary, reporter=reporter,
        state=rules.PROPOSED, position=0, proposed_by_name=actor.full_name,
    )
    uow.session.add(topic)
    uow.flush()
    for name, content in files:
        attachments.add_attachment(uow, actor, owner_type=TOPIC_ENTITY, owner_id=topic.id, filename=name,
                                   data=content, purpose=MATERIAL)
    records.touch(meeting)
    _audit(uow, actor, "propose_topic", meeting, topic, unit_id=unit_id, files=len(files))
    return _commit_topic(uow, topic)


@acting
def update_topic(
    uow: UnitOfWork, actor: Actor, topic_id: int, data: TopicInput, *, expected_version: int | None = None
) -> TopicInfo:
    """Changes a topic still 已申报: by its unit's 联络员 or the organizers. Commits."""
    topic, meeting, instance = _load_topic(uow, actor, topic_id, expected_version)
    _require_proposer(actor, instance, topic.unit_id, "修改议题")
    _require_preparing(meeting, instance, "修改")
    if topic.state != rules.PROPOSED:
        raise WorkflowError(f"议题“{topic.title}”{rules.state_label(topic.state)}，不能再修改")
    title, summary, reporter, unit_id = _checked(uow, actor, instance, data)
    before = {"title": topic.title, "unit_id": topic.unit_id}
    topic.title, topic.summary, topic.reporter, topic.unit_id = title, summary, reporter, unit_id
    records.touch(meeting)
    _audit(uow, actor, "update_topic", meeting, topic, before=before, unit_id=unit_id)
    return _commit_topic(uow, topic)


@acting
def withdraw_topic(uow: UnitOfWork, actor: Actor, topic_id: int, *, expected_version: int | None = None) -> TopicInfo:
    """Its unit takes back a topic still 已申报 (the organizers may do it for them). Commits."""
    topic, meeting, instance = _load_topic(uow, actor, topic_id, expected_version)
    _require_proposer(actor, instance, topic.unit_id, "撤回议题")
    _require_preparing(meeting, instance, "撤回")
    if topic.state != rules.PROPOSED:
        raise WorkflowError(f"议题“{topic.title}”{rules.state_label(topic.state)}，不能再撤回")
    topic.state = rules.WITHDRAWN
    records.touch(meeting)
    _audit(uow, actor, "withdraw_topic", meeting, topic)
    return _commit_topic(uow, topic)


@acting
def review_topic(
    uow: UnitOfWork, actor: Actor, topic_id: int, approve: bool, note: str = "", *,
    expected_version: int | None = None,
) -> TopicInfo:
    """The office's review: approving moves the topic one step on (a 常务会议's: 已申报 → 办公室已审核 by the
    文秘 or leaders, → 已审定 by the 主任 or 副主任 only; any other meeting's: → 已审定 by the organizers);
    turning it down (不予上会) needs the reason. An approved topic joins the end of the agenda. Commits."""
    topic, meeting, instance = _load_topic(uow, actor, topic_id, expected_version)
    records.require_organizer(actor, instance, "审核议题")
    _require_preparing(meeting, instance, "审核")
    if rules.needs_office_leader(meeting.meeting_type, topic.state):
        require_role(actor, records.LEADERS, "审定常务会议的议题")
    target = rules.review_target(meeting.meeting_type, topic.state, approve)
    note = _line(note, MAX_NOTE, "审核意见", "note")
    if target == rules.REJECTED and not note:
        raise ValidationError("不予上会请填写理由", field="note")
    before = topic.state
    topic.state, topic.review_note, topic.reviewed_by_name = target, note, actor.full_name
    if target == rules.APPROVED:
        last = uow.session.execute(
            select(MeetingTopic.position).where(MeetingTopic.meeting_id == meeting.id,
                                                MeetingTopic.state == rules.APPROVED, MeetingTopic.id != topic.id)
        ).scalars().all()
        topic.position = max(last, default=0) + 1
    records.touch(meeting)
    _audit(uow, actor, "review_topic", meeting, topic, before=before, after=target, note=note)
    return _commit_topic(uow, topic)


@acting
def order_topics(
    uow: UnitOfWork, actor: Actor, meeting_id: int, topic_ids: Sequence[int], *,
    expected_version: int | None = None,
) -> list[TopicInfo]:
    """Puts the approved topics in the agenda's order: ``topic_ids`` names each approved topic once, first to
    speak first. The organizers do it (for a 常务会议 the office's leaders, who approve its topics). Commits."""
    meeting, instance = records.load(uow, actor, meeting_id, expected_version)
    if meeting.meeting_type == rules.EXECUTIVE:
        require_role(actor, records.LEADERS, "排定常务会议的议题顺序")
    else:
        records.require_organizer(actor, instance, "排定议题顺序")
    _require_preparing(meeting, instance, "排序")
    approved = {
        t.id: t for t in uow.session.execute(
            select(MeetingTopic).where(MeetingTopic.meeting_id == meeting.id, MeetingTopic.state == rules.APPROVED)
        ).scalars()
    }
    wanted = list(topic_ids)
    if len(set(wanted)) != len(wanted):
        raise ValidationError("议题顺序中有重复的议题，请刷新后重新排序", field="topics")
    if set(wanted) != set(approved):
        missing = [approved[i].title for i in approved if i not in set(wanted)]
        if missing:
            raise ValidationError(f"议题顺序应包括所有已审定的议题，缺少“{'”“'.join(missing)}”", field="topics")
        raise ValidationError("只能排定已审定的议题，请刷新后重新排序", field="topics")
    for position, topic_id in enumerate(wanted, start=1):
        approved[topic_id].position = position
    records.touch(meeting)
    uow.record(actor.id, actor.username, "order_topics", ENTITY, meeting.id, {"order": wanted}, change_op="update")
    uow.flush()
    names = _unit_names(uow, {t.unit_id for t in approved.values()})
    infos = [_topic_info(approved[i], names) for i in wanted]
    uow.commit()
    return infos


@acting
def topics_of(uow: UnitOfWork, actor: Actor, meeting_id: int) -> list[TopicInfo]:
    """The meeting's topics: the approved agenda in its order first, then the rest by when they were proposed.
    A 联络员 sees their own unit's topics and the approved agenda."""
    meeting, _ = records.load(uow, actor, meeting_id)
    topics = [
        t for t in uow.session.execute(
            select(MeetingTopic).where(MeetingTopic.meeting_id == meeting.id).order_by(MeetingTopic.id)
        ).scalars()
        if _sees_topic(actor, t.unit_id, t.state)
    ]
    topics.sort(key=lambda t: (0, t.position, t.id) if t.state == rules.APPROVED else (1, 0, t.id))
    names = _unit_names(uow, {t.unit_id for t in topics})
    return [_topic_info(t, names) for t in topics]


@dataclass(frozen=True)
class AgendaView:
    """What the 议题 tab shows: the meeting's type (which says who reviews a topic) and its topics."""

    meeting_type: str
    topics: list[TopicInfo]


@acting
def agenda_of(uow: UnitOfWork, actor: Actor, meeting_id: int) -> AgendaView:
    """The meeting's type and its topics as topics_of gives them, in one unit of work."""
    return AgendaView(records.get_meeting(uow, actor, meeting_id).meeting_type, topics_of(uow, actor, meeting_id))


@acting
def get_topic(uow: UnitOfWork, actor: Actor, topic_id: int) -> TopicInfo:
    topic, _, _ = _load_topic(uow, actor, topic_id)
    return _topic_info(topic, _unit_names(uow, {topic.unit_id}))


# ----- materials --------------------------------------------------------------------------------------------


def _material_guard(uow: UnitOfWork, actor: Actor, topic_id: int, purpose: str) -> None:
    """Who adds or removes a topic's materials: its unit's 联络员 while it is 已申报, the organizers until it is
    decided or withdrawn; only while the meeting is being prepared."""
    if purpose != MATERIAL:
        raise ValidationError("议题的文件只能是议题材料", field="purpose")
    topic, meeting, instance = _load_topic(uow, actor, topic_id)
    _require_proposer(actor, instance, topic.unit_id, "增删议题材料")
    _require_preparing(meeting, instance, "增删材料")
    open_states = (rules.PROPOSED, rules.REVIEWED, rules.APPROVED) if _is_organizer(actor, instance) else (
        rules.PROPOSED,)
    if topic.state not in open_states:
        raise WorkflowError(f"议题“{topic.title}”{rules.state_label(topic.state)}，不能再增删材料")


attachments.guard_owner(TOPIC_ENTITY, _material_guard)


@acting
def materials_of(uow: UnitOfWork, actor: Actor, topic_id: int) -> list[attachments.AttachmentInfo]:
    topic, _, _ = _load_topic(uow, actor, topic_id)
    return attachments.list_attachments(uow, TOPIC_ENTITY, topic.id)


@acting
def add_material(uow: UnitOfWork, actor: Actor, topic_id: int, filename: str, data: bytes) -> attachments.AttachmentInfo:
    """One more material for the topic (the guard above checks who and when). Commits."""
    topic, meeting, _ = _load_topic(uow, actor, topic_id)
    records.touch(meeting)
    return TOPIC_FILES.add(uow, actor, topic, filename=filename, data=data, purpose=MATERIAL)


@acting
def remove_material(uow: UnitOfWork, actor: Actor, topic_id: int, attachment_id: int) -> None:
    topic, meeting, _ = _load_topic(uow, actor, topic_id)
    if attachments.owner_of(uow, TOPIC_ENTITY, attachment_id, TOPIC_FILES.missing) != topic.id:
        raise NotFound(TOPIC_FILES.missing)
    records.touch(meeting)
    TOPIC_FILES.remove(uow, actor, topic, attachment_id)


@acting
def download_material(uow: UnitOfWork, actor: Actor, attachment_id: int) -> tuple[attachments.AttachmentInfo, bytes]:
    """A material opened or saved by someone who may see its topic; audited."""
    return TOPIC_FILES.download(uow, actor, attachment_id, lambda topic_id: _load_topic(uow, actor, topic_id))
