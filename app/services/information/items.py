"""Writing and editing 政务信息 items and research articles (the flow app.core.information.flow.INFORMATION_ITEM).

- A member of a writing group writes for their own group, as its author; an editor (文秘人员, 办公室主任, 副主任)
  may enter an item for any group and author (typed in from paper).
- The author corrects it while it is a draft; the editors while they edit it (编审).
- 报送 dates it (报送日期, the day the quotas count it by); the editors then keep it out of the issue (存档) or
  send it back (退回修改, with why). Compiling it into an issue of 《政务信息》 is the issue's own act
  (app.services.information.issues).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.core.information.flow import DRAFT, ENTITY, FLOW_KEY, SUBMITTED
from app.core.printable import check_printable
from app.models import WorkflowInstance
from app.models.information import InfoGroup, InfoIssue, InfoItem
from app.services.information import records
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import acts as workflow_acts
from app.services.workflow import detail as workflow_detail
from app.services.workflow import moves as workflow

MAX_TITLE = 200
MAX_BODY = 30_000
MAX_AUTHOR = 50


@dataclass(frozen=True)
class ItemInput:
    kind: str = "item"
    title: str = ""
    body: str = ""
    # None: the writer's own group; an editor may choose any.
    group_id: int | None = None
    # "": the writer; an editor may type another author's name (a piece entered from paper).
    author_name: str = ""


@dataclass(frozen=True)
class CheckedItem:
    kind: str
    title: str
    body: str
    group_id: int
    author_name: str
    author_id: int | None


def _text(value: str, label: str, field_name: str, limit: int, *, required: bool = False,
          one_line: bool = True) -> str:
    text = " ".join(value.split()) if one_line else value.strip()
    if required and not text:
        raise ValidationError(f"请填写{label}", field=field_name)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


@acting
def check_item(uow: UnitOfWork, actor: Actor, data: ItemInput) -> CheckedItem:
    """The item as typed, checked: every mistake says what to fix."""
    if data.kind not in records.KINDS:
        raise ValidationError("稿件类型只能是政务信息或调研文章", field="kind")
    title = _text(data.title, "标题", "title", MAX_TITLE, required=True)
    body = _text(data.body, "正文", "body", MAX_BODY, one_line=False)
    own_group = records.member_group_id(uow, actor)
    editor = records.is_editor(actor)
    group_id = data.group_id if data.group_id is not None else own_group
    if group_id is None:
        raise ValidationError("请选择报送组" if editor else "您不在任何信息组中，请联系办公室主任把您加入信息组",
                              field="group_id")
    if not editor and group_id != own_group:
        raise PermissionDenied("只能为本人所在的信息组撰写稿件")
    group = uow.session.get(InfoGroup, group_id)
    if group is None or not group.active:
        raise ValidationError("所选信息组不存在或已停用，请重新选择", field="group_id")
    author = _text(data.author_name, "作者", "author_name", MAX_AUTHOR)
    if author and author != actor.full_name and not editor:
        raise PermissionDenied("只能以本人名义撰写稿件")
    author = author or actor.full_name
    return CheckedItem(data.kind, title, body, group.id, author,
                       actor.id if author == actor.full_name else None)


def _write(item: InfoItem, checked: CheckedItem) -> None:
    item.kind, item.title, item.body = checked.kind, checked.title, checked.body
    item.group_id, item.author_name, item.author_id = checked.group_id, checked.author_name, checked.author_id


@acting
def add_item(
    uow: UnitOfWork, actor: Actor, checked: CheckedItem, today: date, *, imported: bool = False,
) -> tuple[InfoItem, WorkflowInstance]:
    """Writes one checked item and starts its flow at 撰写, owned by the actor. Does not commit (the form and the
    ledger's import each commit theirs)."""
    item = InfoItem(imported=imported)
    _write(item, checked)
    uow.session.add(item)
    uow.flush()
    instance = workflow.start(
        uow, actor, flow_key=FLOW_KEY, entity_type=ENTITY, entity_id=item.id, title=_title(item), today=today,
    )
    item.instance_id = instance.id
    uow.flush()
    return item, instance


def _title(item: InfoItem) -> str:
    return f"{records.KINDS.get(item.kind, '稿件')}：{item.title}"


@acting
def create_item(
    uow: UnitOfWork, actor: Actor, data: ItemInput, *, submit: bool = False, today: date | None = None,
) -> records.ItemInfo:
    """A new item or article at 撰写, by a group's member for their group or by an editor for any; with
    ``submit`` it is 报送 at once. Commits."""
    today = today or date.today()
    if not records.is_editor(actor) and records.member_group_id(uow, actor) is None:
        raise PermissionDenied("只有信息组成员和文秘人员、办公室领导可以撰写信息")
    checked = check_item(uow, actor, data)
    item, instance = add_item(uow, actor, checked, today)
    uow.record(actor.id, actor.username, "create", ENTITY, item.id, {"title": item.title, "kind": item.kind})
    if submit:
        _submit(uow, actor, item, instance, today)
    return records.commit_info(uow, actor, item, instance)


@acting
def update_item(
    uow: UnitOfWork, actor: Actor, item_id: int, data: ItemInput, *, expected_version: int | None = None,
) -> records.ItemInfo:
    """Corrects an item: its author while it is a draft, the editors while it is a draft or being edited. An item
    in an issued 《政务信息》, or filed, stays as it was. Commits."""
    item, instance = records.load(uow, actor, item_id, expected_version)
    editor = records.is_editor(actor)
    owner = actor.id is not None and actor.id == instance.owner_id
    if instance.closed:
        raise ValidationError(f"{records.item_name(item)}已{records.STATE_LABELS[instance.state]}，不能再修改")
    if instance.state == DRAFT and not (owner or editor):
        raise PermissionDenied("只有作者本人和文秘人员、办公室领导可以修改这篇稿件")
    if instance.state == SUBMITTED and not editor:
        raise PermissionDenied("稿件已报送，正在编审，请联系文秘人员退回后再修改")
    # Left unchosen, the group stays the item's own.
    checked = check_item(uow, actor, data if data.group_id is not None else replace(data, group_id=item.group_id))
    if not editor and checked.group_id != item.group_id:
        raise PermissionDenied("只能为本人所在的信息组撰写稿件")
    if item.imported or item.author_id != actor.id:
        # The author stays who wrote it when an editor polishes it.
        checked = CheckedItem(checked.kind, checked.title, checked.body, checked.group_id,
                              data.author_name.strip() or item.author_name,
                              item.author_id if not data.author_name.strip() else checked.author_id)
    before = {"title": item.title, "kind": item.kind, "group_id": item.group_id, "author": item.author_name}
    _write(item, checked)
    instance.title = _title(item)[:300]
    records.touch(item)
    uow.record(actor.id, actor.username, "update", ENTITY, item.id,
               {"before": before, "after": {"title": item.title, "kind": item.kind, "group_id": item.group_id,
                                            "author": item.author_name}}, change_op="update")
    return records.commit_info(uow, actor, item, instance)


def _submit(uow: UnitOfWork, actor: Actor, item: InfoItem, instance: WorkflowInstance, today: date) -> None:
    if not item.body.strip():
        raise ValidationError("请先写好正文再报送", field="body")
    with uow.as_one():
        workflow.apply_transition(uow, actor, instance, "submit", "", {}, today)
    item.submitted_on = today
    records.touch(item)


@acting
def submit_item(
    uow: UnitOfWork, actor: Actor, item_id: int, *, expected_version: int | None = None, today: date | None = None,
) -> records.ItemInfo:
    """报送: the author sends the draft to the editors; it is dated today, the day its week's quota counts it.
    Commits."""
    today = today or date.today()
    item, instance = workflow_acts.open_act(uow, actor, records.RECORDS, item_id, "报送", move="submit",
                                            expected_version=expected_version)
    _submit(uow, actor, item, instance, today)
    return records.commit_info(uow, actor, item, instance)


def detach_from_issue(uow: UnitOfWork, item: InfoItem) -> None:
    """Takes the item out of the issue being edited that holds it (it was sent back or filed)."""
    if item.issue_id is None:
        return
    issue = uow.session.get(InfoIssue, item.issue_id)
    if issue is not None and issue.issued:
        raise WorkflowError(f"{records.item_name(item)}已编入已印发的《政务信息》，不能再退回或存档")
    item.issue_id, item.issue_position = None, None


@acting
def return_item(
    uow: UnitOfWork, actor: Actor, item_id: int, opinion: str, *, expected_version: int | None = None,
    today: date | None = None,
) -> records.ItemInfo:
    """退回修改: the editors send the item back to its author with what to change (taken out of the issue being
    edited, if one holds it). Commits."""
    today = today or date.today()
    item, instance = workflow_acts.open_act(uow, actor, records.RECORDS, item_id, "退回修改", move="return",
                                            expected_version=expected_version)
    opinion = _text(opinion, "退回意见", "opinion", 500, one_line=False)
    if not opinion:
        raise ValidationError("请写明退回修改的意见，作者才知道改什么", field="opinion")
    detach_from_issue(uow, item)
    with uow.as_one():
        workflow.apply_transition(uow, actor, instance, "return", opinion, {}, today)
    records.touch(item)
    return records.commit_info(uow, actor, item, instance)


@acting
def file_item(
    uow: UnitOfWork, actor: Actor, item_id: int, opinion: str = "", *, expected_version: int | None = None,
    today: date | None = None,
) -> records.ItemInfo:
    """存档: the editors keep the item out of 《政务信息》; it still counts for its group's quota and may still be
    adopted by a higher level. Commits."""
    today = today or date.today()
    item, instance = workflow_acts.open_act(uow, actor, records.RECORDS, item_id, "存档", move="file",
                                            expected_version=expected_version)
    opinion = _text(opinion, "存档说明", "opinion", 500, one_line=False)
    detach_from_issue(uow, item)
    with uow.as_one():
        workflow.apply_transition(uow, actor, instance, "file", opinion, {}, today)
    records.touch(item)
    return records.commit_info(uow, actor, item, instance)


# ----- the window -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemDetail:
    info: records.ItemInfo
    workflow: workflow_detail.InstanceDetail
    may_edit: bool
    # Recording an adoption or a 批示: for the editors, once the item has been 报送.
    may_record: bool


@acting
def item_detail(uow: UnitOfWork, actor: Actor, item_id: int) -> ItemDetail:
    """What the item's window shows and what this user may do now. Commits (the window's opening is noted for
    撤回)."""
    item, instance = records.load(uow, actor, item_id)
    info = records.item_info(uow, actor, item, instance)
    flow_detail = workflow_detail.instance_detail(uow, actor, instance.id, access_checked=True)
    editor = records.is_editor(actor)
    owner = actor.id is not None and actor.id == instance.owner_id
    may_edit = not instance.closed and (editor or (owner and instance.state == DRAFT))
    detail = ItemDetail(info=info, workflow=flow_detail, may_edit=may_edit,
                        may_record=editor and item.submitted_on is not None)
    uow.commit()
    return detail


@acting
def group_choices(uow: UnitOfWork, actor: Actor) -> list[tuple[int, str]]:
    """The groups this user may write for, as (id, name): an editor any active group, a member their own."""
    query = select(InfoGroup.id, InfoGroup.name).where(InfoGroup.active.is_(True))
    if not records.is_editor(actor):
        own = records.member_group_id(uow, actor)
        if own is None:
            return []
        query = query.where(InfoGroup.id == own)
    return [(int(r.id), str(r.name)) for r in uow.execute(query.order_by(InfoGroup.position, InfoGroup.id))]
