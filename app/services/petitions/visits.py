"""信访: after the reply. 回访 (the follow-up visit and what the petitioner thought of the reply; 不满意 sends the
case back to 办理, handled again or raised to an office leader, 提级办理), and the petitioner's request for a 复查
of the case or a 复核 of the 复查 (《信访工作条例》第三十五条: within 30 days of the reply; a 复核 is final).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.petitions.flow import CONCLUDED, ENTITY, NOT_ACCEPTED, REPLIED
from app.core.petitions.limits import review_request_deadline
from app.core.petitions.terms import (
    ESCALATE,
    NEXT_STAGE,
    SATISFACTION,
    STAGE_LABELS,
    UNSATISFIED,
    UNSATISFIED_ACTIONS,
    VISIT_METHODS,
)
from app.core.roles import Role
from app.db.tables import user_roles, users, workflow_instances
from app.models import WorkflowInstance
from app.models.petitions import Petition, PetitionVisit
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records
from app.services.petitions.handling import MAX_REASON, day_text, text
from app.services.petitions.records import HANDLERS, RECORDS, PetitionInfo, Representative, commit_info, touch
from app.services.workflow import acts as workflow_acts
from app.services.workflow import links, responsibility
from app.services.workflow import moves as workflow

MAX_NOTE = 1000
_WI = workflow_instances.c


@dataclass(frozen=True)
class VisitInfo:
    id: int
    petition_id: int
    visited_on: date
    method: str
    satisfaction: str
    note: str
    action: str
    reason: str
    by_name: str

    @property
    def action_label(self) -> str:
        return UNSATISFIED_ACTIONS.get(self.action, "")


def _visit_info(row: PetitionVisit) -> VisitInfo:
    return VisitInfo(row.id, row.petition_id, row.visited_on, row.method, row.satisfaction, row.note, row.action,
                     row.reason, row.by_name)


def _responsible(petition: Petition, instance: WorkflowInstance, actor: Actor) -> None:
    if actor.id is None or actor.id != instance.responsible_id:
        raise PermissionDenied(f"只有信访件{petition.number}的首问责任人可以回访")


def _office_leader(uow: UnitOfWork, leader_id: int | None) -> Actor:
    """The leader an unsatisfied case is raised to: an active 主任 or 副主任."""
    leader = workflow.person(uow, leader_id) if leader_id is not None else None
    if leader is None or not leader.has(Role.DIRECTOR, Role.DEPUTY_DIRECTOR):
        raise ValidationError("提级办理请选择在职的办公室主任或副主任", field="leader_id")
    return leader


@acting
def leader_choices(uow: UnitOfWork, actor: Actor, petition_id: int) -> list[tuple[int, str]]:
    """Whom an unsatisfied case may be raised to (提级办理): the office's active 主任 and 副主任, as (id, name), for
    those who see the case."""
    records.load(uow, actor, petition_id)
    rows = uow.execute(
        select(users.c.id, users.c.full_name).join(user_roles, user_roles.c.user_id == users.c.id)
        .where(users.c.active.is_(True),
               user_roles.c.role_code.in_((Role.DIRECTOR.value, Role.DEPUTY_DIRECTOR.value)))
        .distinct()
    ).all()
    # Ordered here, not by the database's collation, so that every server lists them alike.
    return sorted(((int(row.id), str(row.full_name)) for row in rows), key=lambda person: (person[1], person[0]))


@acting
def record_visit(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, visited_on: date, method: str, satisfaction: str,
    note: str = "", action: str = "", reason: str = "", leader_id: int | None = None, today: date | None = None,
) -> PetitionInfo:
    """回访 of a replied case by its responsible person. 不满意 needs what the case becomes, with the reason:
    重新办理 (back to 办理) or 提级办理 (back to 办理, answered for from then on by the chosen office leader).
    Commits."""
    today = today or date.today()
    petition, instance = workflow_acts.open_act(
        uow, actor, RECORDS, petition_id, "回访", at_steps_of="conclude",
        who=lambda p, i: _responsible(p, i, actor),
    )
    if visited_on is None:
        raise ValidationError("请填写回访日期", field="visited_on")
    if visited_on > today:
        raise ValidationError("回访日期不能晚于今天", field="visited_on")
    if petition.replied_on is not None and visited_on < petition.replied_on:
        raise ValidationError(f"回访日期不能早于答复日期{day_text(petition.replied_on)}", field="visited_on")
    if method not in VISIT_METHODS:
        raise ValidationError(f"回访方式只能是：{'、'.join(VISIT_METHODS)}", field="method")
    if satisfaction not in SATISFACTION:
        raise ValidationError(f"满意程度只能是：{'、'.join(SATISFACTION)}", field="satisfaction")
    remark = text(note, "回访情况", "note", MAX_NOTE)
    leader: Actor | None = None
    if satisfaction == UNSATISFIED:
        if action not in UNSATISFIED_ACTIONS:
            raise ValidationError("信访人不满意时，请选择重新办理或提级办理", field="action")
        why = text(reason, f"{UNSATISFIED_ACTIONS[action]}的理由", "reason", MAX_REASON, required=True)
        if action == ESCALATE:
            leader = _office_leader(uow, leader_id)
        elif leader_id is not None:
            raise ValidationError("只有提级办理才选择办公室领导", field="leader_id")
    else:
        if action or leader_id is not None:
            raise ValidationError("信访人满意或基本满意时不需要重新办理或提级办理", field="action")
        why = text(reason, "理由", "reason", MAX_REASON)
    row = PetitionVisit(petition_id=petition.id, visited_on=visited_on, method=method, satisfaction=satisfaction,
                        note=remark, action=action, reason=why, by_name=actor.full_name)
    with uow.as_one():
        uow.session.add(row)
        uow.flush()
        if satisfaction == UNSATISFIED:
            # The move first: it is the responsible person's, who hands the case over after it.
            workflow.apply_transition(uow, actor, instance, "reopen", f"回访不满意，{UNSATISFIED_ACTIONS[action]}：{why}",
                                      RECORDS.facts(uow, petition), today)
            if leader is not None and leader.id is not None:
                responsibility.hand_over(uow, actor, instance.id, to_user_id=leader.id,
                                         reason=f"回访不满意，提级办理：{why}")
        uow.record(actor.id, actor.username, "record_visit", ENTITY, petition.id,
                   {"visit": row.id, "satisfaction": satisfaction, "action": action}, change_op="update")
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def visits_of(uow: UnitOfWork, actor: Actor, petition_id: int) -> list[VisitInfo]:
    """The case's follow-up visits, the earliest first, for whoever sees the case."""
    petition, _instance = records.load(uow, actor, petition_id)
    rows = uow.session.execute(
        select(PetitionVisit).where(PetitionVisit.petition_id == petition.id).order_by(PetitionVisit.id)
    ).scalars().all()
    return [_visit_info(row) for row in rows]


# ----- 复查 and 复核 ----------------------------------------------------------------------------------------


def _copied(petition: Petition, request: str, requested_on: date) -> records.CheckedPetition:
    """The reviewed case's petitioner and facts, with the petitioner's request for the review."""
    return records.CheckedPetition(
        channel=petition.channel, channel_detail=petition.channel_detail, reception_leader="",
        received_on=requested_on, name=petition.name, id_number=petition.id_number, phone=petition.phone,
        address=petition.address, people_count=petition.people_count, request=request, facts=petition.facts,
        category=petition.category, place=petition.place,
        representatives=tuple(Representative(r.name, r.id_number, r.phone) for r in petition.representatives),
    )


@acting
def open_review(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, requested_on: date, request: str, today: date | None = None,
) -> PetitionInfo:
    """The petitioner asks for a 复查 of a replied case (or a 复核 of a replied 复查), within 30 days of the
    reply: a new record of the 复查复核 flow, with the case's petitioner and facts and the request, linked to
    the case it reviews and received on the day of the request. A 复核 is final. Returns the new record.
    Commits."""
    today = today or date.today()
    require_role(actor, HANDLERS, "受理复查、复核请求")
    petition, instance = records.load(uow, actor, petition_id)
    stage = NEXT_STAGE.get(petition.stage)
    if stage is None:
        raise WorkflowError(f"{STAGE_LABELS[petition.stage]}{petition.number}是终局意见，不能再请求复查或复核")
    label = STAGE_LABELS[stage]
    if instance.state not in (REPLIED, CONCLUDED) or petition.replied_on is None:
        raise WorkflowError(f"{STAGE_LABELS[petition.stage]}{petition.number}尚未答复，不能请求{label}")
    if requested_on is None:
        raise ValidationError(f"请填写信访人请求{label}的日期", field="requested_on")
    if requested_on > today:
        raise ValidationError("请求日期不能晚于今天", field="requested_on")
    if requested_on < petition.replied_on:
        raise ValidationError(f"请求日期不能早于答复日期{day_text(petition.replied_on)}", field="requested_on")
    last = review_request_deadline(petition.replied_on, work_calendar(uow).overrides)
    if requested_on > last.date:
        raise ValidationError(
            f"请求{label}应在答复之日起30日内提出，最后一日是{day_text(last.date)}，已超过期限", field="requested_on"
        )
    earlier = uow.execute(
        select(Petition.number, _WI.state).join(workflow_instances, _WI.id == Petition.instance_id)
        .where(Petition.reviews_id == petition.id)
    ).all()
    standing = [number for number, state in earlier if state != NOT_ACCEPTED]
    if standing:
        raise ValidationError(f"本件已有{label}（{standing[0]}），不能重复请求", field="requested_on")
    wording = text(request, f"{label}请求", "request", records.MAX_REQUEST, required=True)
    with uow.as_one():
        review, review_instance = records.add_petition(
            uow, actor, _copied(petition, wording, requested_on), today, stage=stage, reviews=petition,
        )
        links.link_records(uow, actor, source=(ENTITY, petition.id), target=(ENTITY, review.id), kind=stage)
    return commit_info(uow, actor, review, review_instance)
