"""会议: the acts that carry a meeting through its flow (app.core.meetings.flow).

- 开始签到 (convene): the meeting is under way; sign-in opens.
- 取消会议 (cancel), with the reason: the meeting is not held, and its room is given back.
- 会议结束 (conclude): on to 会后落实, where the 纪要 and the decisions are carried on.
- 退回筹备 (return), with the reason: a meeting convened by mistake goes back to 会前筹备.
- 办结 (finish): refused while tasks of its plan are undone, unless one of the office's leaders closes it.
Who may take each move is the flow's (the office's 文秘 and leaders; 取消 for the leaders and 文秘). Each act is
one transaction: the move, its history and what goes with it commit together or not at all.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.core.errors import ValidationError, WorkflowError
from app.core.meetings.flow import HELD, PREPARE
from app.models import WorkflowInstance
from app.models.meetings import Meeting, MeetingPlanTask
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.meetings.records import LEADERS, RECORDS, MeetingInfo, commit_info, release_room, to_utc, touch
from app.services.workflow import acts as workflow_acts
from app.services.workflow import moves as workflow


def _open(uow: UnitOfWork, actor: Actor, meeting_id: int, doing: str, move: str,
          expected_version: int | None) -> tuple[Meeting, WorkflowInstance]:
    return workflow_acts.open_act(uow, actor, RECORDS, meeting_id, doing, move=move, expected_version=expected_version)


def _move(uow: UnitOfWork, actor: Actor, meeting: Meeting, instance: WorkflowInstance, move: str, opinion: str,
          today: date) -> MeetingInfo:
    workflow.apply_transition(uow, actor, instance, move, opinion, RECORDS.facts(uow, meeting), today)
    if instance.state in (PREPARE, HELD):
        # Neither step has a time limit of its own: until it is held, and while it is, the meeting's day is its
        # to-do's (as create_meeting sets it).
        instance.due_date = to_utc(meeting.starts_at).astimezone().date()
        instance.due_provisional = False
    touch(meeting)
    return commit_info(uow, meeting, instance)


def _reason(opinion: str, what: str) -> str:
    # Said before the move judges it, in the act's own words rather than the engine's general one.
    if not opinion.strip():
        raise ValidationError(f"请填写{what}", field="opinion")
    return opinion.strip()


@acting
def convene(
    uow: UnitOfWork, actor: Actor, meeting_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> MeetingInfo:
    """开始签到: the meeting is held; sign-in opens. Commits."""
    today = today or date.today()
    meeting, instance = _open(uow, actor, meeting_id, "开始签到", "convene", expected_version)
    return _move(uow, actor, meeting, instance, "convene", opinion, today)


@acting
def cancel_meeting(
    uow: UnitOfWork, actor: Actor, meeting_id: int, opinion: str, *, expected_version: int | None = None,
    today: date | None = None,
) -> MeetingInfo:
    """取消会议, with the reason: the meeting will not be held and its room is free again. Commits."""
    today = today or date.today()
    meeting, instance = _open(uow, actor, meeting_id, "取消会议", "cancel", expected_version)
    reason = _reason(opinion, "取消会议的原因")
    release_room(uow, meeting)
    meeting.cancelled = True
    return _move(uow, actor, meeting, instance, "cancel", reason, today)


@acting
def conclude(
    uow: UnitOfWork, actor: Actor, meeting_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> MeetingInfo:
    """会议结束: on to 会后落实 (纪要, decisions to supervision). Commits."""
    today = today or date.today()
    meeting, instance = _open(uow, actor, meeting_id, "结束会议", "conclude", expected_version)
    return _move(uow, actor, meeting, instance, "conclude", opinion, today)


@acting
def return_to_prepare(
    uow: UnitOfWork, actor: Actor, meeting_id: int, opinion: str, *, expected_version: int | None = None,
    today: date | None = None,
) -> MeetingInfo:
    """退回筹备, with the reason: a meeting convened too early goes back to 会前筹备. Commits."""
    today = today or date.today()
    meeting, instance = _open(uow, actor, meeting_id, "退回筹备", "return", expected_version)
    reason = _reason(opinion, "退回的原因")
    return _move(uow, actor, meeting, instance, "return", reason, today)


def undone_tasks(uow: UnitOfWork, meeting_id: int) -> int:
    return int(uow.session.execute(
        select(func.count()).select_from(MeetingPlanTask)
        .where(MeetingPlanTask.meeting_id == meeting_id, MeetingPlanTask.done.is_(False))
    ).scalar_one())


@acting
def finish(
    uow: UnitOfWork, actor: Actor, meeting_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> MeetingInfo:
    """办结: the meeting's work is done. A 文秘 may not close it while tasks of its plan are undone; the office's
    leaders may (a task that no longer matters need not be ticked to close the meeting). Commits."""
    today = today or date.today()
    meeting, instance = _open(uow, actor, meeting_id, "办结会议", "finish", expected_version)
    undone = undone_tasks(uow, meeting.id)
    if undone and not actor.has(*LEADERS):
        raise WorkflowError(f"会议方案还有{undone}项任务未完成，请先完成，或请办公室主任、副主任办结")
    return _move(uow, actor, meeting, instance, "finish", opinion, today)
