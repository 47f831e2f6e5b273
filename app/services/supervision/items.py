"""督查督办: the items themselves — who sees them, registering one (立项), changing what it asks, and how an item
reads in every view.

An item is a record of the 督办事项 flow (app.core.supervision.flow): where it stands, who answers for it
(一事一人), its progress reports and its units' tasks are the workflow's (app.services.workflow); the acts that
move it are in app.services.supervision.lifecycle.

Who sees an item: everyone with a role in the office (its staff, its leaders, the county's leaders); a unit's
联络员, or anyone of a unit with no role, the items their unit leads or helps with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, or_, select, true

from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.printable import check_printable
from app.core.roles import Role
from app.core.supervision.classes import priority_class, source_of
from app.core.supervision.flow import ENTITY, FLOW_KEY, HANDLE, REGISTER
from app.db.tables import workflow_work_items
from app.models import Unit, User, WorkflowInstance
from app.models.base import utcnow
from app.models.supervision import SupervisionCoUnit, SupervisionItem
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.sequences import next_number
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import links, visibility
from app.services.workflow import moves as workflow

MAX_TITLE = 200
MAX_REQUIREMENT = 2000
MAX_CO_UNITS = 30
# Who registers items and keeps the ledger: the office's 文秘 and its leaders.
REGISTRARS: tuple[Role, ...] = (Role.SECRETARY, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
LEADERS: tuple[Role, ...] = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# Roles that see the items of one unit only (their own).
UNIT_ONLY: frozenset[str] = frozenset({Role.LIAISON.value})
# The files an item keeps, by purpose: what it came from (a 批示件), the units' progress material, and the lead
# unit's evidence of completion (佐证材料), without which an item is not closed.
FILE_PURPOSES: dict[str, str] = {"origin": "来源材料", "progress": "进展材料", "evidence": "办结佐证材料"}
FILES = attachments.RecordFiles(ENTITY, "找不到该文件，可能已被删除")
# Where an item may come from in the program, and the link kind that ties it there.
ORIGIN_LINKS: dict[str, str] = {"document": "document_item", "meeting": "decision_item"}
# Where an item comes from: a record (entity type, id), or one part of it, (entity type, id, part): a meeting's
# decision is ("meeting", meeting id, decision id), linked with record_links.source_part.
Origin = tuple[str, int] | tuple[str, int, int]


@dataclass(frozen=True)
class ItemInput:
    """An item as the register form and the sheet give it; the service checks and cleans every field."""

    source: str
    title: str
    requirement: str
    lead_unit_id: int | None
    co_unit_ids: Sequence[int]
    responsible_id: int | None
    priority: str
    deadline: date | None


@dataclass(frozen=True)
class ItemInfo:
    id: int
    number: str
    year: int
    source: str
    title: str
    requirement: str
    lead_unit_id: int
    lead_unit_name: str
    co_units: tuple[tuple[int, str], ...]
    responsible_id: int | None
    responsible_name: str
    priority: str
    deadline: date
    closed_on: date | None
    cancelled: bool
    instance_id: int
    state: str
    state_label: str
    closed: bool
    created_by_name: str
    version: int
    links: tuple[str, ...] = field(default=())

    @property
    def co_unit_names(self) -> str:
        return "、".join(name for _id, name in self.co_units)

    def overdue(self, today: date) -> bool:
        """Past its deadline and not closed; a 销号 after the deadline is 逾期办结, no longer overdue."""
        return not self.closed and self.deadline < today

    def closed_late(self) -> bool:
        return self.closed_on is not None and self.closed_on > self.deadline


# ----- who sees what --------------------------------------------------------------------------------------


def sees_all(actor: Actor) -> bool:
    return actor.id is None or bool(actor.roles - UNIT_ONLY)


def unit_items(unit_id: int | None) -> ColumnElement[bool]:
    """The items a unit leads or helps with, as SQL on supervision_items."""
    if unit_id is None:
        return SupervisionItem.id.is_(None)
    helping = select(SupervisionCoUnit.item_id).where(SupervisionCoUnit.unit_id == unit_id)
    return or_(SupervisionItem.lead_unit_id == unit_id, SupervisionItem.id.in_(helping))


def visible_items(actor: Actor) -> ColumnElement[bool]:
    """Which items the actor sees, as SQL on supervision_items (the ledger filters with it)."""
    return true() if sees_all(actor) else unit_items(actor.unit_id)


def _visible_instances(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool] | None:
    """The same rule on the flow's instances, for the workflow's own reads (app.services.workflow.visibility)."""
    if sees_all(actor):
        return None
    return WorkflowInstance.entity_id.in_(select(SupervisionItem.id).where(unit_items(actor.unit_id)))


visibility.register(ENTITY, _visible_instances)


def _can_see(uow: UnitOfWork, actor: Actor, item: SupervisionItem) -> bool:
    if sees_all(actor):
        return True
    return actor.unit_id is not None and (
        item.lead_unit_id == actor.unit_id or any(c.unit_id == actor.unit_id for c in item.co_units)
    )


@acting
def load(
    uow: UnitOfWork, actor: Actor, item_id: int, expected_version: int | None = None
) -> tuple[SupervisionItem, WorkflowInstance]:
    """The item and its flow instance, if the actor may see it and it is as they read it."""
    item = uow.session.get(SupervisionItem, item_id)
    if item is None or item.instance_id is None:
        raise NotFound("找不到该督办事项，可能已被删除")
    instance = uow.found(WorkflowInstance, item.instance_id, "找不到该督办事项的办理记录")
    if not _can_see(uow, actor, item):
        raise PermissionDenied("这件督办事项不由您的单位牵头或协办，不能查看")
    if expected_version is not None and item.version != expected_version:
        raise ConflictError(f"督办事项{item.number}已被其他人修改或办理，请刷新后再操作")
    return item, instance


def touch(item: SupervisionItem) -> None:
    """Every act on an item moves its version on, so a second client acting on what it saw is refused."""
    item.updated_at = utcnow()


class _ItemRecords:
    """Items as app.services.workflow.acts opens them for an act: load() with its visibility."""

    noun = "这件督办事项"

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str
    ) -> tuple[SupervisionItem, WorkflowInstance]:
        return load(uow, actor, record_id, expected_version)

    def name(self, item: SupervisionItem) -> str:
        return f"督办事项{item.number}"

    def facts(self, uow: UnitOfWork, item: SupervisionItem) -> Mapping[str, Any]:
        return {}


RECORDS = _ItemRecords()

workflow.register_facts(
    ENTITY, lambda uow, item_id: {},
    lambda uow, item_id: touch(uow.found(SupervisionItem, item_id, "找不到该督办事项")),
)


def _file_guard(uow: UnitOfWork, actor: Actor, item_id: int, purpose: str) -> None:
    """Who adds and removes an item's files: the office's staff any of them; a unit's 联络员 the progress
    material of an item their unit leads or helps with, and the evidence of one it leads; never once closed."""
    if purpose not in FILE_PURPOSES:
        raise ValidationError("文件用途只能是来源材料、进展材料或办结佐证材料", field="purpose")
    item, instance = load(uow, actor, item_id)
    if instance.closed:
        raise WorkflowError(f"督办事项{item.number}已办结，不能再增删材料")
    if actor.has(*REGISTRARS):
        return
    if not actor.has(Role.LIAISON) or actor.unit_id is None:
        raise PermissionDenied("只有督办人员或承办单位的联络员可以增删督办材料")
    if purpose == "origin":
        raise PermissionDenied("来源材料由督办人员添加")
    if purpose == "evidence" and item.lead_unit_id != actor.unit_id:
        raise PermissionDenied("办结佐证材料由牵头单位的联络员报送")


attachments.guard_owner(ENTITY, _file_guard)


# ----- building the views -----------------------------------------------------------------------------


def item_info(uow: UnitOfWork, item: SupervisionItem, instance: WorkflowInstance) -> ItemInfo:
    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
    unit_ids = [item.lead_unit_id, *(c.unit_id for c in item.co_units)]
    names = dict(uow.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    return ItemInfo(
        id=item.id, number=item.number, year=item.year, source=item.source, title=item.title,
        requirement=item.requirement, lead_unit_id=item.lead_unit_id, lead_unit_name=names.get(item.lead_unit_id, ""),
        co_units=tuple((c.unit_id, names.get(c.unit_id, "")) for c in item.co_units),
        responsible_id=instance.responsible_id,
        responsible_name=workflow.user_full_name(uow, instance.responsible_id),
        priority=item.priority, deadline=item.deadline, closed_on=item.closed_on, cancelled=item.cancelled,
        instance_id=instance.id, state=instance.state, state_label=flow.step(instance.state).label,
        closed=instance.closed, created_by_name=item.created_by_name, version=item.version,
    )


def commit_info(uow: UnitOfWork, item: SupervisionItem, instance: WorkflowInstance) -> ItemInfo:
    """How every act on an item ends: the item as the act leaves it, then committed."""
    uow.flush()
    info = item_info(uow, item, instance)
    uow.commit()
    return info


# ----- checking what was typed --------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedItem:
    source: str
    title: str
    requirement: str
    lead_unit: Unit
    co_units: tuple[Unit, ...]
    responsible: User
    priority: str
    deadline: date


def _active_unit(uow: UnitOfWork, unit_id: int | None, what: str, field_name: str) -> Unit:
    if unit_id is None:
        raise ValidationError(f"请选择{what}", field=field_name)
    unit = uow.session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise ValidationError(f"所选{what}不存在或已停用，请重新选择", field=field_name)
    return unit


def responsible_candidates(uow: UnitOfWork) -> list[User]:
    """Who may answer for an item (一事一人): the office's active 文秘 and leaders."""
    from app.models import UserRole

    wanted = [role.value for role in REGISTRARS]
    return list(uow.session.execute(
        select(User).where(User.active.is_(True), User.id.in_(select(UserRole.user_id).where(UserRole.role_code.in_(wanted))))
        .order_by(User.full_name)
    ).scalars())


def check_item(uow: UnitOfWork, data: ItemInput, today: date) -> CheckedItem:
    """Every field of an item, or the first thing to fix, in the field's own words."""
    source = source_of(data.source)
    title = " ".join(data.title.split())
    if not title:
        raise ValidationError("请填写事项名称", field="title")
    if len(title) > MAX_TITLE:
        raise ValidationError(f"事项名称不能超过{MAX_TITLE}个字，现在有{len(title)}个字", field="title")
    check_printable(title, "事项名称", field="title")
    requirement = data.requirement.strip()
    if len(requirement) > MAX_REQUIREMENT:
        raise ValidationError(f"工作要求不能超过{MAX_REQUIREMENT}个字，现在有{len(requirement)}个字", field="requirement")
    check_printable(requirement, "工作要求", field="requirement")
    lead = _active_unit(uow, data.lead_unit_id, "牵头单位", "lead_unit_id")
    co_units: list[Unit] = []
    if len(data.co_unit_ids) > MAX_CO_UNITS:
        raise ValidationError(f"协办单位不能超过{MAX_CO_UNITS}个", field="co_unit_ids")
    for unit_id in data.co_unit_ids:
        unit = _active_unit(uow, unit_id, "协办单位", "co_unit_ids")
        if unit.id == lead.id:
            raise ValidationError(f"{unit.name}已是牵头单位，不能同时作为协办单位", field="co_unit_ids")
        if any(u.id == unit.id for u in co_units):
            raise ValidationError(f"协办单位{unit.name}重复了", field="co_unit_ids")
        co_units.append(unit)
    if data.responsible_id is None:
        raise ValidationError("请选择责任人（一事一人）", field="responsible_id")
    responsible = next((u for u in responsible_candidates(uow) if u.id == data.responsible_id), None)
    if responsible is None:
        raise ValidationError("责任人须是在岗的文秘人员、办公室主任或副主任，请重新选择", field="responsible_id")
    priority = priority_class(data.priority).label
    if data.deadline is None:
        raise ValidationError("请填写办结时限", field="deadline")
    if data.deadline < today:
        raise ValidationError("办结时限不能早于今天", field="deadline")
    return CheckedItem(source, title, requirement, lead, tuple(co_units), responsible, priority, data.deadline)


def format_number(year: int, seq: int) -> str:
    return f"督〔{year}〕{seq}号"


@acting
def add_item(
    uow: UnitOfWork, actor: Actor, checked: CheckedItem, today: date, origin: Origin | None = None,
) -> SupervisionItem:
    """Writes one checked item and starts its flow; does not commit (the register form and the sheet's
    import each commit theirs)."""
    year = today.year
    seq = next_number(uow, "supervision_item", year)
    item = SupervisionItem(
        year=year, seq=seq, number=format_number(year, seq), source=checked.source, title=checked.title,
        requirement=checked.requirement, lead_unit_id=checked.lead_unit.id, priority=checked.priority,
        deadline=checked.deadline, created_by_name=actor.full_name,
    )
    item.co_units = [SupervisionCoUnit(unit_id=u.id, position=i) for i, u in enumerate(checked.co_units)]
    uow.session.add(item)
    uow.flush()
    instance = workflow.start(
        uow, actor, flow_key=FLOW_KEY, entity_type=ENTITY, entity_id=item.id, title=f"{item.number} {item.title}",
        unit_id=checked.lead_unit.id, today=today,
    )
    # 一事一人: the person named at 立项 answers for the item from the start, whoever registered it.
    instance.responsible_id = checked.responsible.id
    item.instance_id = instance.id
    if origin is not None:
        kind = ORIGIN_LINKS.get(origin[0])
        if kind is None:
            raise ValidationError("督办事项只能来自公文或会议议定事项", field="origin")
        uow.flush()
        with uow.as_one():
            links.link_records(uow, actor, source=(origin[0], origin[1]), target=(ENTITY, item.id), kind=kind,
                               source_part=origin[2] if len(origin) > 2 else None)
    uow.flush()
    return item


@acting
def create_item(
    uow: UnitOfWork, actor: Actor, data: ItemInput, *, origin: Origin | None = None,
    today: date | None = None,
) -> ItemInfo:
    """立项: a new item at 立项, answered for by the person named. ``origin``: the record it comes from (a 公文,
    a meeting's decision), linked to it both ways. Commits."""
    today = today or date.today()
    require_role(actor, REGISTRARS, "登记督办事项")
    checked = check_item(uow, data, today)
    item = add_item(uow, actor, checked, today, origin)
    instance = uow.found(WorkflowInstance, item.instance_id or 0, "找不到该督办事项的办理记录")
    return commit_info(uow, item, instance)


@acting
def update_item(
    uow: UnitOfWork, actor: Actor, item_id: int, data: ItemInput, *, expected_version: int | None = None,
    today: date | None = None,
) -> ItemInfo:
    """Changes what an open item asks: its source, name, requirement, class and deadline; at 立项 its units too.
    For its responsible person and the office's leaders. The responsible person changes by a recorded
    hand-over (app.services.workflow.responsibility), not here. Commits."""
    today = today or date.today()
    item, instance = load(uow, actor, item_id, expected_version)
    if instance.closed:
        raise WorkflowError(f"督办事项{item.number}已办结，不能再修改；如需继续督办，请重新打开")
    if not (actor.id is not None and actor.id == instance.responsible_id) and not actor.has(*LEADERS):
        raise PermissionDenied("只有本事项的责任人、办公室主任或副主任可以修改督办事项")
    checked = check_item(uow, _with_responsible(data, instance.responsible_id), today)
    units_now = (item.lead_unit_id, tuple(c.unit_id for c in item.co_units))
    units_asked = (checked.lead_unit.id, tuple(u.id for u in checked.co_units))
    if instance.state != REGISTER and units_now != units_asked:
        raise WorkflowError("事项已交办，不能再更改牵头或协办单位；如需增加承办单位，请在“责任与进展”中分派任务")
    before = {"title": item.title, "priority": item.priority, "deadline": str(item.deadline)}
    item_deadline_before = item.deadline
    item.source, item.title, item.requirement = checked.source, checked.title, checked.requirement
    item.priority, item.deadline = checked.priority, checked.deadline
    if instance.state == REGISTER:
        item.lead_unit_id = checked.lead_unit.id
        if units_now[1] != units_asked[1]:
            # The old rows are deleted first: the flush inserts before it deletes, and a unit kept would meet
            # its own old row (one row per item and unit).
            item.co_units = []
            uow.flush()
            item.co_units = [SupervisionCoUnit(unit_id=u.id, position=i) for i, u in enumerate(checked.co_units)]
        instance.unit_id = checked.lead_unit.id
    else:
        if instance.state == HANDLE:
            # The item's deadline is its to-do's while it is carried out (app.services.supervision.lifecycle);
            # at 销号审核 the review's own time limit stands.
            instance.due_date = checked.deadline
            instance.due_provisional = False
        if checked.deadline != item_deadline_before:
            _move_task_deadlines(uow, instance.id, item_deadline_before, checked.deadline)
    instance.title = f"{item.number} {item.title}"[:300]
    touch(item)
    uow.record(actor.id, actor.username, "update", ENTITY, item.id, {
        "before": before, "after": {"title": item.title, "priority": item.priority, "deadline": str(item.deadline)},
    }, change_op="update")
    if before["priority"] != item.priority and instance.state != REGISTER:
        from app.services.supervision.lifecycle import follow_class

        with uow.as_one():
            follow_class(uow, actor, item, instance, today)
    return commit_info(uow, item, instance)


def _move_task_deadlines(uow: UnitOfWork, instance_id: int, old: date, new: date) -> None:
    """The units' tasks not yet accepted that were due on the item's old deadline (交办 and 退回 set them so)
    follow it to the new one; a task sent with a date of its own keeps it."""
    tasks = workflow_work_items.c
    uow.execute(
        workflow_work_items.update()
        .where(tasks.instance_id == instance_id, tasks.state != "done", tasks.due_date == old)
        .values(due_date=new, due_provisional=False)
    )


def _with_responsible(data: ItemInput, responsible_id: int | None) -> ItemInput:
    from dataclasses import replace

    return replace(data, responsible_id=responsible_id)


@acting
def get_item(uow: UnitOfWork, actor: Actor, item_id: int) -> ItemInfo:
    item, instance = load(uow, actor, item_id)
    return item_info(uow, item, instance)


@acting
def item_of_instance(uow: UnitOfWork, actor: Actor, instance_id: int) -> int:
    """The item behind a flow instance (the 工作台 opens records by instance)."""
    found = uow.session.execute(
        select(SupervisionItem.id).where(SupervisionItem.instance_id == instance_id)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("找不到该督办事项，可能已被删除")
    load(uow, actor, found)
    return int(found)
