"""督查督办: the acts that carry an item through its flow (app.core.supervision.flow).

- 交办 (the responsible person): the lead unit and each co-unit get their task as a parallel work item, due on
  the item's deadline; the lead unit's progress reports start on the rhythm of the item's class (重点 weekly,
  马上 within 1 working day, 定期 monthly); the item's deadline becomes its to-do's.
- 进展报告 (the lead unit's 联络员, on that rhythm) with its material; a co-unit reports on its own task.
- 办结报告 (the lead unit's 联络员): the lead task's feedback, with the evidence of completion (佐证材料).
- 报请销号 (the responsible person): accepts the lead unit's completion report and sends the item to review.
- 销号 (the office's leaders): the item leaves the active ledger; closed after its deadline, it leaves a
  责任追究 record against the responsible person and the lead unit. 退回 sends it back with the reason, and the
  lead unit gets a new task.
- 撤销 (the leaders, with the reason) and 重新打开 (the leaders, with the reason and, where the deadline has
  passed, a new one).
- The office's sweep records every item past its deadline against its person and unit (责任追究).
Each act is one transaction: the move, the tasks, the rhythm and the records commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, false, select

from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.supervision.classes import priority_class
from app.core.supervision.flow import ENTITY, FLOW_KEY, HANDLE, PROGRESS_DUTY, REOPEN_TO
from app.models import AccountabilityRecord, WorkflowInstance
from app.models.supervision import SupervisionItem
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.attachments import list_attachments
from app.services.kernel.uow import UnitOfWork
from app.services.supervision.items import FILES, LEADERS, RECORDS, REGISTRARS, ItemInfo, commit_info, load, touch
from app.services.workflow import acts as workflow_acts
from app.services.workflow import duties, parallel
from app.services.workflow import moves as workflow
from app.services.workflow.accountability import note_against
from app.services.workflow.reopen import reopen

# A file the units send with a report: (file name, content).
NewFile = tuple[str, bytes]
MAX_FILES = 20


def _open(uow: UnitOfWork, actor: Actor, item_id: int, doing: str, move: str,
          expected_version: int | None) -> tuple[SupervisionItem, WorkflowInstance]:
    return workflow_acts.open_act(uow, actor, RECORDS, item_id, doing, move=move, expected_version=expected_version)


def _deadline_is_the_due_date(item: SupervisionItem, instance: WorkflowInstance) -> None:
    """While the item is carried out, its deadline is its to-do's (the step itself has no time limit)."""
    if instance.state == HANDLE:
        instance.due_date = item.deadline
        instance.due_provisional = False


@acting
def follow_class(uow: UnitOfWork, actor: Actor, item: SupervisionItem, instance: WorkflowInstance, today: date) -> None:
    """Gives the item's progress reports the rhythm of its class. Inside the caller's transaction."""
    rhythm = priority_class(item.priority)
    duties.set_rhythm(uow, actor, instance.id, PROGRESS_DUTY, rhythm.rhythm, rhythm.every, today)


def _lead_task(uow: UnitOfWork, actor: Actor, instance: WorkflowInstance) -> parallel.WorkItem | None:
    """The lead unit's latest task at 督办落实 (a 退回 or a reopening gives it a new one)."""
    items = parallel.work_items_of(uow, actor, instance.id).items
    leads = [i for i in items if i.lead and i.step_key == HANDLE]
    return leads[-1] if leads else None


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _has_evidence(uow: UnitOfWork, item: SupervisionItem) -> bool:
    return any(f.purpose == "evidence" for f in list_attachments(uow, ENTITY, item.id))


def _send_lead_task(uow: UnitOfWork, actor: Actor, item: SupervisionItem, task: str, today: date) -> None:
    parallel.send_work_items(uow, actor, item.instance_id or 0, [
        parallel.WorkItemInput(task[:parallel.MAX_TASK], unit_id=item.lead_unit_id, due=item.deadline, lead=True),
    ], today)


def _add_files(uow: UnitOfWork, actor: Actor, item: SupervisionItem, files: Sequence[NewFile], purpose: str) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError(f"一次最多添加{MAX_FILES}个文件", field="attachments")
    for name, data in files:
        FILES.add(uow, actor, item, filename=name, data=data, purpose=purpose)


@acting
def assign_item(
    uow: UnitOfWork, actor: Actor, item_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> ItemInfo:
    """交办: to the lead unit and the co-units, each with its task, due on the item's deadline. Commits."""
    today = today or date.today()
    item, instance = _open(uow, actor, item_id, "交办", "assign", expected_version)
    if item.deadline < today:
        raise ValidationError("办结时限已过，请先修改办结时限再交办", field="deadline")
    with uow.as_one():
        # The rhythm first: set before the duty starts, the move starts it on the item's own rhythm.
        follow_class(uow, actor, item, instance, today)
        workflow.apply_transition(uow, actor, instance, "assign", opinion, RECORDS.facts(uow, item), today)
        requirement = item.requirement or item.title
        tasks = [parallel.WorkItemInput(f"牵头落实：{requirement}"[:parallel.MAX_TASK], unit_id=item.lead_unit_id,
                                        due=item.deadline, lead=True)]
        tasks += [parallel.WorkItemInput(f"协助落实：{requirement}"[:parallel.MAX_TASK], unit_id=c.unit_id,
                                         due=item.deadline) for c in item.co_units]
        parallel.send_work_items(uow, actor, instance.id, tasks, today)
    _deadline_is_the_due_date(item, instance)
    touch(item)
    return commit_info(uow, item, instance)


@acting
def report_progress(
    uow: UnitOfWork, actor: Actor, item_id: int, text: str, files: Sequence[NewFile] = (),
    today: date | None = None,
) -> ItemInfo:
    """进展报告 by the lead unit's 联络员, with its material; the next is due a rhythm from today. Commits."""
    today = today or date.today()
    item, instance = load(uow, actor, item_id)
    with uow.as_one():
        duties.report_duty(uow, actor, instance.id, PROGRESS_DUTY, text, today)
        _add_files(uow, actor, item, files, "progress")
    touch(item)
    return commit_info(uow, item, instance)


@acting
def report_task(
    uow: UnitOfWork, actor: Actor, item_id: int, text: str, files: Sequence[NewFile] = (), *,
    completion: bool = False,
) -> ItemInfo:
    """A unit's report on its own task: a co-unit's on its part, or (completion) the lead unit's 办结报告 with
    its evidence, without which the item cannot be closed. Commits."""
    item, instance = load(uow, actor, item_id)
    if instance.state != HANDLE:
        raise WorkflowError(f"督办事项{item.number}不在督办落实阶段，不能报送办理情况")
    # A report may be sent again (more evidence, a correction) until the responsible person accepts it.
    own = [i for i in parallel.work_items_of(uow, actor, instance.id).items
           if i.step_key == HANDLE and i.state in ("sent", "reported") and i.unit_id == actor.unit_id]
    task = next((i for i in reversed(own) if i.lead == completion), None)
    if task is None:
        if completion:
            raise PermissionDenied("办结报告由牵头单位的联络员报送，您的单位没有待报送的牵头任务")
        raise PermissionDenied("您的单位在本事项中没有待反馈的任务")
    with uow.as_one():
        _add_files(uow, actor, item, files, "evidence" if completion else "progress")
        if completion and not _has_evidence(uow, item):
            raise ValidationError("办结报告须附上佐证材料（文件、照片或验收资料）", field="attachments")
        parallel.report_work_item(uow, actor, task.id, text)
    touch(item)
    return commit_info(uow, item, instance)


@acting
def request_close(
    uow: UnitOfWork, actor: Actor, item_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> ItemInfo:
    """报请销号 by the responsible person, once the lead unit has sent its completion report: the report is
    accepted and the item goes to the office's leaders. Commits."""
    today = today or date.today()
    item, instance = _open(uow, actor, item_id, "报请销号", "request_close", expected_version)
    lead = _lead_task(uow, actor, instance)
    if lead is None or lead.state == "sent":
        raise WorkflowError("牵头单位尚未报送办结报告，不能报请销号；可在“责任与进展”中催办")
    with uow.as_one():
        if lead.state == "reported":
            parallel.finish_work_item(uow, actor, lead.id)
        workflow.apply_transition(uow, actor, instance, "request_close", opinion, RECORDS.facts(uow, item), today)
    touch(item)
    return commit_info(uow, item, instance)


@acting
def close_item(
    uow: UnitOfWork, actor: Actor, item_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> ItemInfo:
    """销号 by the office's leaders: the item leaves the active ledger, its history stays. Closed after its
    deadline, it is recorded against its person and unit. Commits."""
    today = today or date.today()
    item, instance = _open(uow, actor, item_id, "销号", "close", expected_version)
    workflow.apply_transition(uow, actor, instance, "close", opinion, RECORDS.facts(uow, item), today)
    item.closed_on = today
    if today > item.deadline:
        _note_overdue(uow, item, instance, f"办结时限{_day(item.deadline)}，{_day(today)}销号，"
                                           f"逾期{(today - item.deadline).days}天")
    touch(item)
    return commit_info(uow, item, instance)


@acting
def return_item(
    uow: UnitOfWork, actor: Actor, item_id: int, opinion: str, *, expected_version: int | None = None,
    today: date | None = None,
) -> ItemInfo:
    """退回 by the office's leaders, with the reason: back to 督办落实, and the lead unit gets a new task to
    complete what is missing. Commits."""
    today = today or date.today()
    item, instance = _open(uow, actor, item_id, "退回", "return", expected_version)
    with uow.as_one():
        workflow.apply_transition(uow, actor, instance, "return", opinion, RECORDS.facts(uow, item), today)
        if item.deadline >= today:
            _send_lead_task(uow, actor, item, f"补充办结：{opinion.strip()}", today)
        else:
            parallel.send_work_items(uow, actor, instance.id, [parallel.WorkItemInput(
                f"补充办结：{opinion.strip()}"[:parallel.MAX_TASK], unit_id=item.lead_unit_id, lead=True)], today)
    _deadline_is_the_due_date(item, instance)
    touch(item)
    return commit_info(uow, item, instance)


@acting
def cancel_item(
    uow: UnitOfWork, actor: Actor, item_id: int, reason: str, *, expected_version: int | None = None,
    today: date | None = None,
) -> ItemInfo:
    """撤销 by the office's leaders, with the reason: the item is no longer to be done. Commits."""
    today = today or date.today()
    item, instance = _open(uow, actor, item_id, "撤销", "cancel", expected_version)
    workflow.apply_transition(uow, actor, instance, "cancel", reason, RECORDS.facts(uow, item), today)
    item.cancelled = True
    touch(item)
    return commit_info(uow, item, instance)


@acting
def reopen_item(
    uow: UnitOfWork, actor: Actor, item_id: int, reason: str, new_deadline: date | None = None, *,
    expected_version: int | None = None, today: date | None = None,
) -> ItemInfo:
    """重新打开 a 已销号 item, by the office's leaders, with the reason; where its deadline has passed, with a new
    one. The lead unit gets a new task, and the progress reports start again. Commits."""
    today = today or date.today()
    require_role(actor, LEADERS, "重新打开督办事项")
    item, instance = load(uow, actor, item_id, expected_version)
    if item.cancelled:
        raise WorkflowError(f"督办事项{item.number}已撤销，不能重新打开；如仍需督办，请重新立项")
    if not instance.closed:
        raise WorkflowError(f"督办事项{item.number}尚未销号，不需要重新打开")
    if new_deadline is not None:
        if new_deadline < today:
            raise ValidationError("新的办结时限不能早于今天", field="deadline")
        item.deadline = new_deadline
    elif item.deadline < today:
        raise ValidationError("原办结时限已过，请填写新的办结时限", field="deadline")
    with uow.as_one():
        reopen(uow, actor, instance, REOPEN_TO, reason, today)
        _send_lead_task(uow, actor, item, f"重新办理：{reason.strip()}", today)
    item.closed_on = None
    _deadline_is_the_due_date(item, instance)
    touch(item)
    return commit_info(uow, item, instance)


def _note_overdue(uow: UnitOfWork, item: SupervisionItem, instance: WorkflowInstance, reason: str) -> bool:
    return note_against(
        uow, kind="overdue", entity_type=ENTITY, entity_id=item.id, title=f"{item.number} {item.title}",
        person_id=instance.responsible_id, unit_id=item.lead_unit_id, occurred_on=item.deadline, reason=reason,
    )


@acting
def record_overdue(uow: UnitOfWork, actor: Actor, today: date | None = None) -> int:
    """The office's sweep (run as its staff open the ledger or a notice): every open item past its deadline is
    recorded against its responsible person and lead unit, once per missed deadline. Returns how many new
    records it made. Commits."""
    today = today or date.today()
    require_role(actor, REGISTRARS, "登记逾期事项")
    # Only the items whose missed deadline has no record yet: the unique key of the records answers each probe,
    # so a sweep that finds nothing new reads no item (at 20,000 items, one statement instead of one per
    # overdue item; bench/supervision.py).
    R = AccountabilityRecord
    recorded = select(R.id).where(
        R.kind == "overdue", R.entity_type == ENTITY, R.entity_id == SupervisionItem.id,
        R.occurred_on == SupervisionItem.deadline,
    )
    rows = uow.session.execute(
        select(SupervisionItem, WorkflowInstance)
        .join(WorkflowInstance, WorkflowInstance.id == SupervisionItem.instance_id)
        # An open item has no 销号 date: said here too, so the items' (closed_on, deadline) index gives the range.
        .where(and_(WorkflowInstance.closed == false(), WorkflowInstance.flow_key == FLOW_KEY,
                    SupervisionItem.closed_on.is_(None), SupervisionItem.deadline < today), ~recorded.exists())
    ).all()
    added = sum(
        _note_overdue(uow, item, instance, f"办结时限{_day(item.deadline)}，至今未办结") for item, instance in rows
    )
    if added:
        uow.record(actor.id, actor.username, "record_overdue", ENTITY, None, {"added": added, "on": str(today)})
    uow.commit()
    return added
