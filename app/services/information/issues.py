"""The numbered issues of 《政务信息》: the editors begin an issue (第N期 of its year, from the gap-free sequence),
compile items being edited (编审) into it in order, set its date, editing unit and the foot's 报/送/发 lists, and
issue it (印发): each item then takes the flow's 编入期刊 move, and the issue and its items are fixed.

- The editors (文秘人员, 办公室主任, 副主任: records.EDITOR_ROLES) begin and edit issues; everyone sees an issued
  issue (it goes to the leaders and the units), only the editors one being edited.
- An issue is never deleted, so the year's numbers have no gaps; two clients beginning one at once get
  consecutive numbers (the sequence's row lock), and a refused or rolled-back beginning gives its number back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, true

from app.core.errors import ConflictError, PermissionDenied, ValidationError
from app.core.information.flow import SUBMITTED
from app.core.printable import check_printable
from app.models import WorkflowInstance
from app.models.base import utcnow
from app.models.information import InfoGroup, InfoIssue, InfoItem
from app.services.information import records
from app.services.kernel import sequences
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor
from app.services.kernel.settings import get_setting
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow

SEQUENCE = "info_issue"
# The audit log's and the change feed's name for an issue.
ENTITY = "info_issue"
TITLE = "政务信息"
DEFAULT_REPORT_TO = "市政府办公室"
DEFAULT_SEND_TO = "县委、县人大、县政协主要领导，县政府各位领导"
DEFAULT_DISTRIBUTE_TO = "各乡镇人民政府，县政府各部门"
MAX_UNIT = 60
MAX_LIST = 500
MAX_COPIES = 100_000
MAX_ITEMS = 200

EDITORS_ONLY = "只有文秘人员和办公室领导可以编辑《政务信息》"


@dataclass(frozen=True)
class IssueItem:
    id: int
    title: str
    body: str
    author_name: str
    group_name: str
    position: int


@dataclass(frozen=True)
class IssueInfo:
    id: int
    year: int
    seq: int
    label: str
    title: str
    editor_unit: str
    issue_date: date
    issued: bool
    issued_by_name: str
    report_to: str
    send_to: str
    distribute_to: str
    items: tuple[IssueItem, ...]
    version: int
    copies: int = 0
    edited_by_name: str = ""

    @property
    def number_text(self) -> str:
        """第N期, as printed under the title."""
        return f"第{self.seq}期"


@dataclass(frozen=True)
class IssueRow:
    id: int
    year: int
    seq: int
    label: str
    issue_date: date
    items: int
    issued: bool
    issued_by_name: str

    @property
    def number_text(self) -> str:
        return f"第{self.seq}期"

    @property
    def state_label(self) -> str:
        return "已印发" if self.issued else "编辑中"


def _name(issue: InfoIssue) -> str:
    return f"《政务信息》{records.issue_label(issue.year, issue.seq)}"


def _require_editor(actor: Actor, doing: str = "") -> None:
    if not records.is_editor(actor):
        raise PermissionDenied(f"{EDITORS_ONLY}{'，不能' + doing if doing else ''}")


def _load(uow: UnitOfWork, actor: Actor, issue_id: int, expected_version: int | None = None) -> InfoIssue:
    """The issue, if the actor may see it (an issue being edited only the editors) and it is as they read it."""
    issue = uow.found(InfoIssue, issue_id, "找不到这一期《政务信息》")
    if not issue.issued and not records.is_editor(actor):
        raise PermissionDenied(f"{_name(issue)}正在编辑，尚未印发，只有文秘人员和办公室领导可以查看")
    if expected_version is not None and issue.version != expected_version:
        raise ConflictError(f"{_name(issue)}已被其他人修改，请刷新后再操作")
    return issue


def _editable(uow: UnitOfWork, actor: Actor, issue_id: int, expected_version: int | None, doing: str) -> InfoIssue:
    _require_editor(actor, doing)
    issue = _load(uow, actor, issue_id, expected_version)
    if issue.issued:
        raise ValidationError(f"{_name(issue)}已印发，不能再{doing}")
    return issue


def _items(uow: UnitOfWork, issue_id: int) -> list[InfoItem]:
    return list(uow.execute(
        select(InfoItem).where(InfoItem.issue_id == issue_id).order_by(InfoItem.issue_position, InfoItem.id)
    ).scalars())


def _renumber(items: Sequence[InfoItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.issue_position != position:
            item.issue_position = position


def _touch(issue: InfoIssue) -> None:
    """Every change moves the issue's version on, so a second editor acting on what they saw is refused."""
    issue.updated_at = utcnow()


def _info(uow: UnitOfWork, issue: InfoIssue) -> IssueInfo:
    rows = uow.execute(
        select(InfoItem.id, InfoItem.title, InfoItem.body, InfoItem.author_name, InfoGroup.name,
               InfoItem.issue_position)
        .join(InfoGroup, InfoGroup.id == InfoItem.group_id)
        .where(InfoItem.issue_id == issue.id).order_by(InfoItem.issue_position, InfoItem.id)
    ).all()
    return IssueInfo(
        id=issue.id, year=issue.year, seq=issue.seq, label=records.issue_label(issue.year, issue.seq),
        title=issue.title, editor_unit=issue.editor_unit, issue_date=issue.issue_date, issued=issue.issued,
        issued_by_name=issue.issued_by_name, report_to=issue.report_to, send_to=issue.send_to,
        distribute_to=issue.distribute_to,
        items=tuple(IssueItem(int(r[0]), r[1], r[2], r[3], r[4], int(r[5] or 0)) for r in rows),
        version=issue.version, copies=issue.copies, edited_by_name=issue.edited_by_name,
    )


def _commit_info(uow: UnitOfWork, issue: InfoIssue) -> IssueInfo:
    uow.flush()
    uow.session.refresh(issue)
    info = _info(uow, issue)
    uow.commit()
    return info


def _text(value: str, label: str, field_name: str, limit: int, *, required: bool = False) -> str:
    text = " ".join(value.split())
    if required and not text:
        raise ValidationError(f"请填写{label}", field=field_name)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


# ----- reading -----------------------------------------------------------------------------------------------


@acting
def list_issues(uow: UnitOfWork, actor: Actor, year: int | None = None) -> list[IssueRow]:
    """The issues of a year (or of every year), the newest first: the editors all, others the issued ones."""
    counts = (select(InfoItem.issue_id, func.count().label("n")).where(InfoItem.issue_id.is_not(None))
              .group_by(InfoItem.issue_id).subquery("counts"))
    query = (select(InfoIssue.id, InfoIssue.year, InfoIssue.seq, InfoIssue.issue_date, InfoIssue.issued,
                    InfoIssue.issued_by_name, func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.issue_id == InfoIssue.id)
             .order_by(InfoIssue.year.desc(), InfoIssue.seq.desc()))
    if year is not None:
        query = query.where(InfoIssue.year == year)
    if not records.is_editor(actor):
        query = query.where(InfoIssue.issued == true())
    return [
        IssueRow(id=int(r[0]), year=int(r[1]), seq=int(r[2]), label=records.issue_label(r[1], r[2]),
                 issue_date=r[3], items=int(r[6]), issued=bool(r[4]), issued_by_name=r[5])
        for r in uow.execute(query)
    ]


@acting
def issue_years(uow: UnitOfWork, actor: Actor) -> list[int]:
    """The years that have issues the actor may see, the latest first."""
    query = select(InfoIssue.year).distinct().order_by(InfoIssue.year.desc())
    if not records.is_editor(actor):
        query = query.where(InfoIssue.issued == true())
    return [int(y) for y in uow.execute(query).scalars()]


@acting
def get_issue(uow: UnitOfWork, actor: Actor, issue_id: int) -> IssueInfo:
    """The issue with its items in order: anyone an issued one, the editors one being edited."""
    return _info(uow, _load(uow, actor, issue_id))


# ----- editing -----------------------------------------------------------------------------------------------


@acting
def create_issue(
    uow: UnitOfWork, actor: Actor, *, issue_date: date | None = None, today: date | None = None,
) -> IssueInfo:
    """Begins the next issue (第N期 of ``issue_date``'s year, today by default), with the office as the editing
    unit and the usual 报/送/发 lists. Commits."""
    _require_editor(actor, "编辑新一期")
    when = issue_date or today or date.today()
    seq = sequences.next_number(uow, SEQUENCE, when.year)
    issue = InfoIssue(
        year=when.year, seq=seq, title=TITLE, editor_unit=str(get_setting(uow, "office_name"))[:MAX_UNIT],
        issue_date=when, issued=False, report_to=DEFAULT_REPORT_TO, send_to=DEFAULT_SEND_TO,
        distribute_to=DEFAULT_DISTRIBUTE_TO, edited_by_name=actor.full_name[:50], copies=0,
    )
    uow.session.add(issue)
    uow.flush()
    uow.record(actor.id, actor.username, "create", ENTITY, issue.id,
               {"year": issue.year, "seq": issue.seq, "issue_date": when.isoformat()}, change_op="create")
    return _commit_info(uow, issue)


@acting
def update_issue(
    uow: UnitOfWork, actor: Actor, issue_id: int, *, issue_date: date, editor_unit: str, report_to: str,
    send_to: str, distribute_to: str, copies: int | None = None, expected_version: int | None = None,
) -> IssueInfo:
    """Sets the issue's date (within its year: the number is that year's), editing unit, the foot's 报/送/发 lists
    and, if given, how many copies are printed. Commits."""
    issue = _editable(uow, actor, issue_id, expected_version, "修改")
    if not isinstance(issue_date, date):
        raise ValidationError("请填写日期", field="issue_date")
    if issue_date.year != issue.year:
        raise ValidationError(f"这是{issue.year}年的第{issue.seq}期，日期须在{issue.year}年内", field="issue_date")
    unit = _text(editor_unit, "编印单位", "editor_unit", MAX_UNIT, required=True)
    lists = {
        "report_to": _text(report_to, "报送范围（报）", "report_to", MAX_LIST),
        "send_to": _text(send_to, "抄送范围（送）", "send_to", MAX_LIST),
        "distribute_to": _text(distribute_to, "发送范围（发）", "distribute_to", MAX_LIST),
    }
    if copies is not None and not 0 <= copies <= MAX_COPIES:
        raise ValidationError(f"印数须在0到{MAX_COPIES}份之间（0为不印份数）", field="copies")
    before = {"issue_date": issue.issue_date.isoformat(), "editor_unit": issue.editor_unit,
              "report_to": issue.report_to, "send_to": issue.send_to, "distribute_to": issue.distribute_to,
              "copies": issue.copies}
    issue.issue_date, issue.editor_unit = issue_date, unit
    issue.report_to, issue.send_to, issue.distribute_to = lists["report_to"], lists["send_to"], lists["distribute_to"]
    if copies is not None:
        issue.copies = copies
    issue.edited_by_name = actor.full_name[:50]
    _touch(issue)
    after = {"issue_date": issue.issue_date.isoformat(), "editor_unit": issue.editor_unit, **lists,
             "copies": issue.copies}
    uow.record(actor.id, actor.username, "update", ENTITY, issue.id,
               {"before": {k: v for k, v in before.items() if after[k] != v},
                "after": {k: v for k, v in after.items() if before[k] != v}}, change_op="update")
    return _commit_info(uow, issue)


@acting
def add_items(
    uow: UnitOfWork, actor: Actor, issue_id: int, item_ids: Sequence[int], *, expected_version: int | None = None,
) -> IssueInfo:
    """Compiles items being edited (编审), in no other issue, into the issue after those it holds, in the order
    given. Commits."""
    issue = _editable(uow, actor, issue_id, expected_version, "加入稿件")
    wanted = list(dict.fromkeys(int(i) for i in item_ids))
    if not wanted:
        raise ValidationError("请选择要加入本期的稿件", field="item_ids")
    held = _items(uow, issue.id)
    if len(held) + len(wanted) > MAX_ITEMS:
        raise ValidationError(f"一期《政务信息》最多编入{MAX_ITEMS}篇稿件", field="item_ids")
    position = len(held)
    for item_id in wanted:
        item, instance = records.load(uow, actor, item_id)
        name = records.item_name(item)
        if item.issue_id == issue.id:
            raise ValidationError(f"{name}已在本期中", field="item_ids")
        if item.issue_id is not None:
            other = uow.session.get(InfoIssue, item.issue_id)
            where = _name(other) if other is not None else "另一期《政务信息》"
            raise ValidationError(f"{name}已编入{where}，不能重复编入", field="item_ids")
        if instance.closed or instance.state != SUBMITTED:
            state = records.STATE_LABELS.get(instance.state, instance.state)
            raise ValidationError(f"{name}现在是“{state}”，只有报送后正在编审的稿件可以编入期刊", field="item_ids")
        position += 1
        item.issue_id, item.issue_position = issue.id, position
        records.touch(item)
    _touch(issue)
    uow.record(actor.id, actor.username, "add_items", ENTITY, issue.id, {"items": wanted}, change_op="update")
    return _commit_info(uow, issue)


def _held_item(uow: UnitOfWork, issue: InfoIssue, item_id: int) -> tuple[list[InfoItem], int]:
    held = _items(uow, issue.id)
    for index, item in enumerate(held):
        if item.id == item_id:
            return held, index
    raise ValidationError(f"这篇稿件不在{_name(issue)}中，请刷新后再操作", field="item_id")


@acting
def remove_item(
    uow: UnitOfWork, actor: Actor, issue_id: int, item_id: int, *, expected_version: int | None = None,
) -> IssueInfo:
    """Takes an item out of the issue being edited; it stays at 编审, free for another issue. Commits."""
    issue = _editable(uow, actor, issue_id, expected_version, "移出稿件")
    held, index = _held_item(uow, issue, item_id)
    item = held.pop(index)
    item.issue_id, item.issue_position = None, None
    records.touch(item)
    _renumber(held)
    _touch(issue)
    uow.record(actor.id, actor.username, "remove_item", ENTITY, issue.id, {"item": item.id, "title": item.title},
               change_op="update")
    return _commit_info(uow, issue)


@acting
def move_item(
    uow: UnitOfWork, actor: Actor, issue_id: int, item_id: int, offset: int, *,
    expected_version: int | None = None,
) -> IssueInfo:
    """Moves an item ``offset`` places on (negative: towards the front) in the issue being edited. Commits."""
    issue = _editable(uow, actor, issue_id, expected_version, "调整稿件顺序")
    held, index = _held_item(uow, issue, item_id)
    target = index + int(offset)
    if offset == 0 or not 0 <= target < len(held):
        where = "最前面" if target < index else "最后面"
        raise ValidationError(f"这篇稿件已在{where}，不能再移动", field="offset")
    held.insert(target, held.pop(index))
    _renumber(held)
    records.touch(held[target])
    _touch(issue)
    uow.record(actor.id, actor.username, "move_item", ENTITY, issue.id,
               {"item": item_id, "from": index + 1, "to": target + 1}, change_op="update")
    return _commit_info(uow, issue)


@acting
def publish_issue(
    uow: UnitOfWork, actor: Actor, issue_id: int, *, expected_version: int | None = None, today: date | None = None,
) -> IssueInfo:
    """印发: each item takes the flow's 编入期刊 move, and the issue and its items are fixed from then on. Needs at
    least one item. Commits, or on any refusal leaves everything as it was."""
    today = today or date.today()
    issue = _editable(uow, actor, issue_id, expected_version, "印发")
    held = _items(uow, issue.id)
    if not held:
        raise ValidationError(f"{_name(issue)}还没有稿件，请先加入稿件再印发", field="items")
    label = records.issue_label(issue.year, issue.seq)
    with uow.as_one():
        for item in held:
            instance = uow.found(WorkflowInstance, item.instance_id or 0, "找不到该稿件的办理记录")
            if instance.closed or instance.state != SUBMITTED:
                state = records.STATE_LABELS.get(instance.state, instance.state)
                raise ValidationError(f"{records.item_name(item)}现在是“{state}”，不能编入期刊，请先移出本期",
                                      field="items")
            workflow.apply_transition(uow, actor, instance, "compile", f"编入《政务信息》{label}", {}, today)
            records.touch(item)
    issue.issued = True
    issue.issued_by_name = actor.full_name[:50]
    _touch(issue)
    uow.record(actor.id, actor.username, "publish", ENTITY, issue.id,
               {"year": issue.year, "seq": issue.seq, "items": [i.id for i in held],
                "issue_date": issue.issue_date.isoformat()}, change_op="update")
    return _commit_info(uow, issue)
