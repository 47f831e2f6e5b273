"""信访: the acts that carry a case (信访件, or a 复查 or 复核 of one) through its flow (app.core.petitions.flow).

- 受理, 交办 (to the unit that answers for the matter, with its task and a due date within the case's 办理
  clock), 转送 (to the authority it belongs to) or 不予受理, within 15 days of receipt, by the case's
  responsible person (首问负责). A registration that repeats a matter closed after 复核 is not accepted,
  assigned or forwarded again: only 不予受理 remains.
- 延期 of the 办理 clock: once, 1 to 30 days, approved by 主任 or 副主任, with the reason the petitioner is told.
- 处理意见书 (the facts found, the decision, its basis), written at 办理; 报送审核 once it is written and, for an
  assigned case, once the unit has reported; 审核通过 (dated as the reply) or 退回修改 by an office leader.
- 办结 at 已答复.
The assigned unit's part (its task, 异议, 催办) is in app.services.petitions.handling; 回访 and the opening of a
复查 or 复核 in app.services.petitions.visits; their public names are importable from here too.
Each act is one transaction: the move, the unit's task and the case's fields commit together or not at all.
"""

from __future__ import annotations

from datetime import date

from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.petitions.flow import APPROVE, ENTITY, FLOW_KEY, HANDLE
from app.core.petitions.limits import handling_deadline
from app.core.petitions.terms import DECISIONS
from app.models import WorkflowInstance
from app.models.petitions import Petition
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records
from app.services.petitions import repeats as petition_repeats
from app.services.petitions.handling import (
    MAX_OPINION,
    MAX_REASON,
    AssignmentInfo,
    ObjectionInfo,
    active_unit,
    answer_objection,
    assignment_of,
    check_due,
    lead_task,
    object_to_assignment,
    objections_of,
    open_case,
    require_open,
    send_task,
    text,
    urge_unit,
)
from app.services.petitions.records import LEADERS, RECORDS, PetitionInfo, commit_info, touch
from app.services.petitions.visits import VisitInfo, open_review, record_visit, visits_of
from app.services.workflow import clocks, parallel
from app.services.workflow import moves as workflow

MAX_FORWARD_TO = 100
MAX_FINDINGS = 4000
MAX_BASIS = 2000

__all__ = [
    "AssignmentInfo", "ObjectionInfo", "VisitInfo", "accept", "answer_objection", "assign", "assignment_of",
    "conclude", "extend", "forward", "object_to_assignment", "objections_of", "open_review", "record_visit",
    "reject", "return_reply", "sign", "submit", "urge_unit", "visits_of", "write_reply",
]


def _not_a_final_matter(uow: UnitOfWork, petition: Petition) -> None:
    """《信访工作条例》第三十五条: a request concluded after 复核 is not accepted again."""
    earlier = petition_repeats.repeated_final_matter(uow, petition)
    if earlier:
        raise WorkflowError(
            f"该诉求已经复核终结（信访件{earlier}），依法不再受理；请作不予受理处理并告知信访人"
        )


def _move(uow: UnitOfWork, actor: Actor, petition: Petition, instance: WorkflowInstance, move: str, opinion: str,
          today: date) -> None:
    workflow.apply_transition(uow, actor, instance, move, opinion, RECORDS.facts(uow, petition), today)


# ----- 受理, 交办, 转送, 不予受理 -----------------------------------------------------------------------------


@acting
def accept(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, opinion: str = "", expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """受理: the office handles the case itself; its 办理 clock starts today. Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "受理", "accept", expected_version)
    _not_a_final_matter(uow, petition)
    _move(uow, actor, petition, instance, "accept", text(opinion, "受理意见", "opinion", MAX_OPINION), today)
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def assign(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, unit_id: int, due: date, task: str, opinion: str = "",
    expected_version: int | None = None, today: date | None = None,
) -> PetitionInfo:
    """交办: to the unit that answers for the matter (谁主管、谁负责), with its task and a due date within the
    case's 办理 clock; the unit's 联络员 gets the task on the 工作台. Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "交办", "assign", expected_version)
    _not_a_final_matter(uow, petition)
    unit = active_unit(uow, unit_id)
    task_text = text(task, "交办任务", "task", parallel.MAX_TASK, required=True)
    words = text(opinion, "交办意见", "opinion", MAX_OPINION)
    # The 办理 clock starts with the move, today: the unit's due date lies within it.
    due = check_due(due, today, handling_deadline(today, 0, work_calendar(uow).overrides))
    with uow.as_one():
        _move(uow, actor, petition, instance, "assign", words, today)
        petition.handling_unit_id = unit.id
        uow.flush()
        send_task(uow, actor, instance, unit.id, task_text, due, today)
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def forward(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, to: str, reason: str, expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """转送: to the authority the matter belongs to, with the reason; the case ends here. A request closed after
    复核 is not forwarded either. Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "转送", "forward", expected_version)
    _not_a_final_matter(uow, petition)
    authority = text(to, "转送机关", "to", MAX_FORWARD_TO, required=True)
    why = text(reason, "转送理由", "reason", MAX_REASON, required=True)
    _move(uow, actor, petition, instance, "forward", f"转送{authority}：{why}", today)
    petition.forwarded_to = authority
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def reject(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, reason: str, expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """不予受理, with the reason the petitioner is told; the case ends here. Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "不予受理", "reject", expected_version)
    why = text(reason, "不予受理的理由", "reason", MAX_REASON, required=True)
    _move(uow, actor, petition, instance, "reject", why, today)
    touch(petition)
    return commit_info(uow, actor, petition, instance)


# ----- 延期 ------------------------------------------------------------------------------------------------


@acting
def extend(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, days: int, reason: str, today: date | None = None,
) -> PetitionInfo:
    """延期: the 办理 clock's one extension, 1 to 30 days, approved by 主任 or 副主任, with the reason the
    petitioner is told. Commits."""
    today = today or date.today()
    petition, instance = records.load(uow, actor, petition_id)
    if instance.closed:
        raise WorkflowError(f"信访件{petition.number}已经办结，不能再延期")
    if instance.flow_key != FLOW_KEY:
        raise WorkflowError("复查、复核应在30日内办结，不能延期")
    if instance.state not in (HANDLE, APPROVE):
        raise WorkflowError(f"信访件{petition.number}不在办理或审核阶段，不能延期")
    if not actor.has(*LEADERS):
        raise PermissionDenied("只有办公室主任或副主任可以批准延期")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValidationError("延期天数应为1到30之间的整数", field="days")
    try:
        handling_deadline(today, days)
    except ValidationError as error:
        raise ValidationError(str(error), field="days") from None
    why = text(reason, "延期理由（将告知信访人）", "reason", MAX_REASON, required=True)
    with uow.as_one():
        clocks.extend_clock(uow, actor, instance.id, "handling", days, why, today=today)
    touch(petition)
    return commit_info(uow, actor, petition, instance)


# ----- 处理意见书 and 审核 ------------------------------------------------------------------------------------


@acting
def write_reply(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, findings: str, decision: str, basis: str,
    expected_version: int | None = None, today: date | None = None,
) -> PetitionInfo:
    """处理意见书: the facts found, the decision (支持, 解释说明 or 不予支持) and its basis, written at 办理 by the
    case's responsible person; it may be rewritten until it is sent to 审核. Commits."""
    petition, instance = records.load(uow, actor, petition_id, expected_version)
    require_open(petition, instance, "拟写处理意见书")
    if not (actor.id is not None and actor.id == instance.responsible_id):
        raise PermissionDenied("只有本件的首问责任人可以拟写处理意见书")
    found = text(findings, "查明的事实", "findings", MAX_FINDINGS, required=True)
    chosen = (decision or "").strip()
    if chosen not in DECISIONS:
        raise ValidationError(f"处理意见只能是：{'、'.join(DECISIONS)}", field="decision")
    grounds = text(basis, "处理依据", "basis", MAX_BASIS, required=True)
    petition.findings, petition.decision, petition.decision_basis = found, chosen, grounds
    uow.record(actor.id, actor.username, "write_reply", ENTITY, petition.id,
               {"decision": chosen}, change_op="update")
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def submit(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, opinion: str = "", expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """报送审核: the 处理意见书 goes to the office's leaders, once it is written and, for an assigned case, once
    the unit has reported how it handled it (its report is accepted with the move). Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "报送审核", "submit", expected_version)
    if not (petition.findings and petition.decision and petition.decision_basis):
        raise ValidationError("请先拟写处理意见书（查明的事实、处理意见和依据），再报送审核", field="findings")
    words = text(opinion, "报送意见", "opinion", MAX_OPINION)
    task = lead_task(uow, instance)
    if task is not None and task.state == "sent":
        unit = workflow.unit_name(uow, task.unit_id) or "承办单位"
        raise WorkflowError(f"{unit}尚未报送办理情况，不能报送审核；可以先催办")
    with uow.as_one():
        if task is not None and task.state == "reported":
            parallel.finish_work_item(uow, actor, task.id)
        _move(uow, actor, petition, instance, "submit", words, today)
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def sign(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, opinion: str = "", expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """审核通过 by 主任 or 副主任: the 处理意见书 is the reply, dated today. Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "审核通过", "sign", expected_version)
    _move(uow, actor, petition, instance, "sign", text(opinion, "审核意见", "opinion", MAX_OPINION), today)
    petition.replied_on = today
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def return_reply(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, opinion: str, expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """退回修改 by 主任 or 副主任, with what to change: back to 办理. Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "退回修改", "return", expected_version)
    words = text(opinion, "退回意见", "opinion", MAX_OPINION, required=True)
    _move(uow, actor, petition, instance, "return", words, today)
    touch(petition)
    return commit_info(uow, actor, petition, instance)


@acting
def conclude(
    uow: UnitOfWork, actor: Actor, petition_id: int, *, opinion: str = "", expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """办结 of a replied case by its responsible person. Commits."""
    today = today or date.today()
    petition, instance = open_case(uow, actor, petition_id, "办结", "conclude", expected_version)
    _move(uow, actor, petition, instance, "conclude", text(opinion, "办结意见", "opinion", MAX_OPINION), today)
    petition.concluded_on = today
    touch(petition)
    return commit_info(uow, actor, petition, instance)
