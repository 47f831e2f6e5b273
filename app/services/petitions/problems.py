"""排查化解: a hot issue the screening found (app.services.petitions.screening), made a problem of its own and
assigned to the unit that answers for it (谁主管、谁负责) with a deadline; the unit's 联络员 reports how it was
solved, and the office closes it (化解办结). The flow is app.core.petitions.flow.PETITION_PROBLEM.

- 立项 and 交办 are one act of those who handle petitions (信访接待员, 办公室主任, 副主任): the problem gets its
  number (排〔2026〕3号), its flow starts, and the unit gets its task as the lead work item, due on the deadline.
- The unit's 联络员 (or their delegate) reports on that task (report_problem, or the record window's work items).
- 化解办结 (solve) by those who handle petitions, once the unit has reported: the report is accepted and the
  problem leaves the list of open ones, dated solved_on.

Who sees a problem: those who see every case (records.sees_all); a 联络员 the problems of their own unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, select, true

from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.petitions.flow import HANDLE, PROBLEM_ENTITY, PROBLEM_FLOW_KEY
from app.core.printable import check_printable
from app.core.roles import Role
from app.models import Unit, WorkflowInstance
from app.models.base import utcnow
from app.models.petitions import PetitionProblem
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.sequences import next_number
from app.services.kernel.uow import UnitOfWork
from app.services.petitions import records
from app.services.workflow import acts as workflow_acts
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow
from app.services.workflow import parallel, urges, visibility

MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_CASES = 100_000
SEQUENCE = "petition_problem"


def format_number(year: int, seq: int) -> str:
    return f"排〔{year}〕{seq}号"


# ----- who sees what --------------------------------------------------------------------------------------


def _liaison_unit(actor: Actor) -> int | None:
    return actor.unit_id if actor.has(Role.LIAISON) else None


def visible_problems(actor: Actor) -> ColumnElement[bool]:
    """Which problems the actor sees, as SQL on petition_problems."""
    if records.sees_all(actor):
        return true()
    unit_id = _liaison_unit(actor)
    return PetitionProblem.unit_id == unit_id if unit_id is not None else false()


def _visible_instances(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool] | None:
    if records.sees_all(actor):
        return None
    return WorkflowInstance.entity_id.in_(select(PetitionProblem.id).where(visible_problems(actor)))


visibility.register(PROBLEM_ENTITY, _visible_instances)


def can_see(actor: Actor, problem: PetitionProblem) -> bool:
    if records.sees_all(actor):
        return True
    unit_id = _liaison_unit(actor)
    return unit_id is not None and problem.unit_id == unit_id


@acting
def load(
    uow: UnitOfWork, actor: Actor, problem_id: int, expected_version: int | None = None,
) -> tuple[PetitionProblem, WorkflowInstance]:
    """The problem and its flow instance, if the actor may see it and it is as they read it."""
    problem = uow.session.get(PetitionProblem, problem_id)
    if problem is None or problem.instance_id is None:
        raise NotFound("找不到该排查问题，可能已被删除")
    instance = uow.found(WorkflowInstance, problem.instance_id, "找不到该排查问题的办理记录")
    if not can_see(actor, problem):
        raise PermissionDenied("这个排查问题没有交办给您的单位，不能查看")
    if expected_version is not None and problem.version != expected_version:
        raise ConflictError(f"排查问题{problem.number}已被其他人修改或办理，请刷新后再操作")
    return problem, instance


def touch(problem: PetitionProblem) -> None:
    """Every act on a problem moves its version on, so a second client acting on what it saw is refused."""
    problem.updated_at = utcnow()


class _ProblemRecords:
    """Problems as app.services.workflow.acts opens them for an act: load() with its visibility."""

    noun = "这个排查问题"

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str,
    ) -> tuple[PetitionProblem, WorkflowInstance]:
        return load(uow, actor, record_id, expected_version)

    def name(self, problem: PetitionProblem) -> str:
        return f"排查问题{problem.number}"

    def facts(self, uow: UnitOfWork, problem: PetitionProblem) -> Mapping[str, Any]:
        return {}


RECORDS = _ProblemRecords()

workflow.register_facts(
    PROBLEM_ENTITY, lambda uow, problem_id: {},
    lambda uow, problem_id: touch(uow.found(PetitionProblem, problem_id, "找不到该排查问题")),
)


# ----- how a problem reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemInfo:
    id: int
    number: str
    title: str
    category: str
    place: str
    period_from: date
    period_to: date
    case_count: int
    description: str
    unit_id: int
    unit_name: str
    deadline: date
    solved_on: date | None
    created_by_name: str
    instance_id: int
    state: str
    state_label: str
    closed: bool
    version: int
    # The unit's task: sent, reported or done (labelled as the work items are), and what the unit reported.
    task_state: str = ""
    task_state_label: str = ""
    feedback: str = ""

    def overdue(self, today: date) -> bool:
        return not self.closed and self.deadline < today


def _lead_task(uow: UnitOfWork, actor: Actor, instance_id: int) -> parallel.WorkItem | None:
    """The unit's task at 化解落实: the latest lead item of that step."""
    leads = [i for i in parallel.work_items_of(uow, actor, instance_id).items if i.lead and i.step_key == HANDLE]
    return leads[-1] if leads else None


@acting
def problem_info(uow: UnitOfWork, actor: Actor, problem: PetitionProblem, instance: WorkflowInstance) -> ProblemInfo:
    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
    task = _lead_task(uow, actor, instance.id)
    return ProblemInfo(
        id=problem.id, number=problem.number, title=problem.title, category=problem.category,
        place=problem.place, period_from=problem.period_from, period_to=problem.period_to,
        case_count=problem.case_count, description=problem.description, unit_id=problem.unit_id,
        unit_name=workflow.unit_name(uow, problem.unit_id), deadline=problem.deadline, solved_on=problem.solved_on,
        created_by_name=problem.created_by_name, instance_id=instance.id, state=instance.state,
        state_label=flow.step(instance.state).label, closed=instance.closed, version=problem.version,
        task_state=task.state if task else "", task_state_label=task.state_label if task else "",
        feedback=task.feedback if task else "",
    )


def _commit_info(uow: UnitOfWork, actor: Actor, problem: PetitionProblem, instance: WorkflowInstance) -> ProblemInfo:
    uow.flush()
    info = problem_info(uow, actor, problem, instance)
    uow.commit()
    return info


@acting
def get_problem(uow: UnitOfWork, actor: Actor, problem_id: int) -> ProblemInfo:
    problem, instance = load(uow, actor, problem_id)
    return problem_info(uow, actor, problem, instance)


@acting
def list_problems(uow: UnitOfWork, actor: Actor, *, open_only: bool = False) -> list[ProblemInfo]:
    """The problems the actor sees, the latest first; ``open_only``: those not yet solved."""
    query = (select(PetitionProblem, WorkflowInstance)
             .join(WorkflowInstance, WorkflowInstance.id == PetitionProblem.instance_id)
             .where(visible_problems(actor)))
    if open_only:
        query = query.where(WorkflowInstance.closed == false())
    rows = uow.session.execute(query.order_by(PetitionProblem.year.desc(), PetitionProblem.seq.desc())).all()
    return [problem_info(uow, actor, row[0], row[1]) for row in rows]


@acting
def problem_of_instance(uow: UnitOfWork, actor: Actor, instance_id: int) -> int:
    """The problem behind a flow instance (the 工作台 opens records by instance)."""
    found = uow.execute(
        select(PetitionProblem.id).where(PetitionProblem.instance_id == instance_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("找不到该排查问题，可能已被删除")
    load(uow, actor, found)
    return int(found)


# ----- 立项 and 交办 -----------------------------------------------------------------------------------------


def _text(value: str, label: str, field_name: str, limit: int, *, required: bool = False,
          one_line: bool = True) -> str:
    text = " ".join(value.split()) if one_line else value.strip()
    if required and not text:
        raise ValidationError(f"请填写{label}", field=field_name)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


def _active_unit(uow: UnitOfWork, unit_id: int | None) -> Unit:
    if unit_id is None:
        raise ValidationError("请选择责任单位", field="unit_id")
    unit = uow.session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise ValidationError("所选责任单位不存在或已停用，请重新选择", field="unit_id")
    return unit


@acting
def create_problem(
    uow: UnitOfWork, actor: Actor, *, title: str, category: str, place: str, period_from: date | None,
    period_to: date | None, case_count: int, description: str, unit_id: int | None, deadline: date | None,
    today: date | None = None,
) -> ProblemInfo:
    """立项 and 交办 in one act: the problem with its number, its flow moved on to 化解落实, and the responsible
    unit's task (the lead work item) due on the deadline. For those who handle petitions. Commits."""
    today = today or date.today()
    require_role(actor, records.HANDLERS, "交办排查问题")
    title = _text(title, "问题名称", "title", MAX_TITLE, required=True)
    category = _text(category, "问题类别", "category", records.MAX_CATEGORY)
    place = _text(place, "问题属地", "place", records.MAX_PLACE)
    description = _text(description, "问题描述和化解要求", "description", MAX_DESCRIPTION, one_line=False)
    if period_from is None or period_to is None:
        raise ValidationError("请填写排查的时间段", field="period_from")
    if period_from > period_to:
        raise ValidationError("排查时间段的起始日期不能晚于截止日期", field="period_from")
    if isinstance(case_count, bool) or not isinstance(case_count, int) or not 0 <= case_count <= MAX_CASES:
        raise ValidationError(f"涉及件数应为0到{MAX_CASES}之间的整数", field="case_count")
    unit = _active_unit(uow, unit_id)
    if deadline is None:
        raise ValidationError("请填写化解时限", field="deadline")
    if deadline < today:
        raise ValidationError("化解时限不能早于今天", field="deadline")
    year = today.year
    seq = next_number(uow, SEQUENCE, year)
    problem = PetitionProblem(
        year=year, seq=seq, number=format_number(year, seq), title=title, category=category, place=place,
        period_from=period_from, period_to=period_to, case_count=case_count, description=description,
        unit_id=unit.id, deadline=deadline, created_by_name=actor.full_name,
    )
    uow.session.add(problem)
    uow.flush()
    instance = workflow.start(
        uow, actor, flow_key=PROBLEM_FLOW_KEY, entity_type=PROBLEM_ENTITY, entity_id=problem.id,
        title=f"{problem.number} {title}", unit_id=unit.id, today=today,
    )
    problem.instance_id = instance.id
    uow.flush()
    task = f"化解{title}" + (f"：{description}" if description else "")
    with uow.as_one():
        workflow.apply_transition(uow, actor, instance, "assign", "", {}, today)
        parallel.send_work_items(uow, actor, instance.id, [
            parallel.WorkItemInput(task[:parallel.MAX_TASK], unit_id=unit.id, due=deadline, lead=True),
        ], today)
    # While the unit works on it, the problem's deadline is its to-do's (the step has no time limit of its own).
    instance.due_date, instance.due_provisional = deadline, False
    return _commit_info(uow, actor, problem, instance)


# ----- the unit's report and 化解办结 ------------------------------------------------------------------------


@acting
def report_problem(
    uow: UnitOfWork, actor: Actor, problem_id: int, feedback: str, *, today: date | None = None,
) -> ProblemInfo:
    """The responsible unit's 联络员 (or their delegate) reports how the problem was solved; it may be reported
    again until the office accepts it. Commits."""
    problem, instance = load(uow, actor, problem_id)
    if instance.closed or instance.state != HANDLE:
        raise WorkflowError(f"排查问题{problem.number}不在化解落实阶段，不能报送化解情况")
    task = _lead_task(uow, actor, instance.id)
    if task is None or task.state == "done":
        raise WorkflowError(f"排查问题{problem.number}没有待反馈的化解任务")
    with uow.as_one():
        parallel.report_work_item(uow, actor, task.id, feedback, today)
    touch(problem)
    return _commit_info(uow, actor, problem, instance)


@acting
def solve(
    uow: UnitOfWork, actor: Actor, problem_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> ProblemInfo:
    """化解办结 by those who handle petitions, once the unit has reported: its report is accepted and the
    problem is solved today. Commits."""
    today = today or date.today()
    problem, instance = workflow_acts.open_act(
        uow, actor, RECORDS, problem_id, "化解办结", move="solve", expected_version=expected_version,
    )
    task = _lead_task(uow, actor, instance.id)
    if task is None or task.state == "sent":
        raise WorkflowError(f"{workflow.unit_name(uow, problem.unit_id)}尚未报送化解情况，不能化解办结；可先催办")
    with uow.as_one():
        if task.state == "reported":
            parallel.finish_work_item(uow, actor, task.id)
        workflow.apply_transition(uow, actor, instance, "solve", opinion, RECORDS.facts(uow, problem), today)
    problem.solved_on = today
    touch(problem)
    return _commit_info(uow, actor, problem, instance)


# ----- the window -------------------------------------------------------------------------------------------


def _may_move(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance, move: str) -> bool:
    """Whether the actor is one who takes this move where the problem stands (its flow's roles)."""
    if instance.closed:
        return False
    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
    roles = workflow.effective_roles(actor, instance)
    return any(t.action == move and t.role_matches(flow, roles) for t in flow.transitions_from(instance.state))


@dataclass(frozen=True)
class ProblemDetail:
    info: ProblemInfo
    workflow: workflow_detail.InstanceDetail
    urges: list[urges.UrgeInfo]
    # The acts of this problem open to this user now, besides the flow's moves.
    may_report: bool
    # 化解办结 where the unit has reported: the act accepts the report and takes the move (the flow offers its
    # own move only once no task of the step is open, so it is not among workflow.actions before).
    may_solve: bool


@acting
def problem_detail(uow: UnitOfWork, actor: Actor, problem_id: int, today: date | None = None) -> ProblemDetail:
    """What the problem's window shows and what this user may do now. Commits (the window's opening is noted
    for 撤回)."""
    today = today or date.today()
    problem, instance = load(uow, actor, problem_id)
    info = problem_info(uow, actor, problem, instance)
    flow_detail = workflow_detail.instance_detail(uow, actor, instance.id, access_checked=True)
    task = _lead_task(uow, actor, instance.id)
    # The unit's 联络员 reports; a delegate of theirs reports through the work items' own 反馈 (代理).
    holds = task is not None and task.unit_id == _liaison_unit(actor)
    detail = ProblemDetail(
        info=info, workflow=flow_detail, urges=urges.urges_for(uow, instance.id),
        may_report=(not instance.closed and instance.state == HANDLE and holds and task is not None
                    and task.state in ("sent", "reported")),
        may_solve=_may_move(uow, actor, instance, "solve") and task is not None and task.state != "sent",
    )
    uow.commit()
    return detail
