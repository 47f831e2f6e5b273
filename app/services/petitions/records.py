"""信访: who sees a case and who sees it unmasked, registering one (with its repeats flagged and linked),
changing it while it is at 登记, and how a case reads in every view.

A case (信访件, or a 复查 or 复核 of one) is a record of the 信访 flows (app.core.petitions.flow); where it stands,
who answers for it (首问负责: whoever registered it, until a recorded hand-over) and its clocks are the
workflow's. The acts that move it are in app.services.petitions.lifecycle; repeats and a petitioner's history
in app.services.petitions.repeats.

Who sees a case: the office's 信访接待员, its leaders, its 文秘 and the county's leaders, every case; a unit's
联络员, the cases assigned to their unit (交办). Only those who handle petitions (信访接待员, 办公室主任, 副主任)
see ID numbers, phones and addresses as typed, and each time they do, the audit log records it; everyone
else sees them masked (110***********1234), in every view, form and export.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, select, true

from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.core.ids import mask_id_number, mask_phone, validate_id_number, validate_phone
from app.core.petitions.flow import ENTITY, FLOW_KEY, REGISTER, REVIEW_FLOW_KEY
from app.core.petitions.terms import (
    INITIAL,
    LEADER_RECEPTION,
    MAX_PEOPLE,
    MAX_REPRESENTATIVES,
    STAGE_LABELS,
    channel_of,
    format_number,
)
from app.core.printable import check_printable
from app.core.roles import Role
from app.models import WorkflowInstance
from app.models.base import utcnow
from app.models.petitions import Petition, PetitionRepresentative
from app.services.kernel import attachments
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.sequences import next_number
from app.services.kernel.uow import UnitOfWork
from app.services.workflow import moves as workflow
from app.services.workflow import visibility

MAX_NAME = 50
MAX_ADDRESS = 200
MAX_REQUEST = 2000
MAX_FACTS = 4000
MAX_CATEGORY = 30
MAX_PLACE = 50
# Who handles petitions: registers them, acts on them, and sees the petitioner's particulars unmasked.
HANDLERS: tuple[Role, ...] = (Role.PETITION_OFFICER, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
LEADERS: tuple[Role, ...] = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
# Who sees every case, masked unless they handle petitions.
SEES_ALL: frozenset[str] = frozenset(
    r.value for r in (*HANDLERS, Role.SECRETARY, Role.COUNTY_LEADER)
)
FILES = attachments.RecordFiles(ENTITY, "找不到该文件，可能已被删除")
FILE_PURPOSES: dict[str, str] = {"letter": "来信及材料", "handling": "办理材料", "reply": "答复及送达材料"}
HIDDEN_ADDRESS = "（已隐去）"


@dataclass(frozen=True)
class RepresentativeInput:
    name: str
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PetitionInput:
    """A registration as the form (or a ledger's row) gives it; the service checks and cleans every field."""

    channel: str
    received_on: date | None
    name: str
    request: str
    category: str
    place: str
    channel_detail: str = ""
    reception_leader: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    people_count: int = 1
    facts: str = ""
    representatives: Sequence[RepresentativeInput] = ()


@dataclass(frozen=True)
class Representative:
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class PetitionInfo:
    """A case as one actor may read it: masked unless they handle petitions (``masked`` says which)."""

    id: int
    number: str
    stage: str
    reviews_id: int | None
    channel: str
    channel_detail: str
    reception_leader: str
    received_on: date
    name: str
    id_number: str
    phone: str
    address: str
    people_count: int
    representatives: tuple[Representative, ...]
    request: str
    facts: str
    category: str
    place: str
    handling_unit_id: int | None
    handling_unit_name: str
    forwarded_to: str
    findings: str
    decision: str
    decision_basis: str
    replied_on: date | None
    concluded_on: date | None
    registered_by_name: str
    is_repeat: bool
    instance_id: int
    flow_key: str
    state: str
    state_label: str
    closed: bool
    responsible_id: int | None
    responsible_name: str
    version: int
    masked: bool
    reviews_number: str = ""
    links: tuple[str, ...] = field(default=())

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def channel_text(self) -> str:
        return f"{self.channel}（{self.channel_detail}）" if self.channel_detail else self.channel


# ----- who sees what --------------------------------------------------------------------------------------


def sees_all(actor: Actor) -> bool:
    return actor.id is None or bool(actor.roles & SEES_ALL)


def sees_unmasked(actor: Actor) -> bool:
    """Whether the actor reads petitioners' ID numbers, phones and addresses as typed."""
    return actor.id is None or actor.has(*HANDLERS)


def _liaison_unit(actor: Actor) -> int | None:
    return actor.unit_id if actor.has(Role.LIAISON) else None


def visible_petitions(actor: Actor) -> ColumnElement[bool]:
    """Which cases the actor sees, as SQL on petitions (the lists filter with it)."""
    if sees_all(actor):
        return true()
    unit_id = _liaison_unit(actor)
    return Petition.handling_unit_id == unit_id if unit_id is not None else false()


def _visible_instances(uow: UnitOfWork, actor: Actor) -> ColumnElement[bool] | None:
    """The same rule on the flows' instances, for the workflow's own reads (app.services.workflow.visibility)."""
    if sees_all(actor):
        return None
    return WorkflowInstance.entity_id.in_(select(Petition.id).where(visible_petitions(actor)))


visibility.register(ENTITY, _visible_instances)


def can_see(actor: Actor, petition: Petition) -> bool:
    if sees_all(actor):
        return True
    unit_id = _liaison_unit(actor)
    return unit_id is not None and petition.handling_unit_id == unit_id


def may_handle(actor: Actor) -> bool:
    return actor.id is None or actor.has(*HANDLERS)


@acting
def load(
    uow: UnitOfWork, actor: Actor, petition_id: int, expected_version: int | None = None,
) -> tuple[Petition, WorkflowInstance]:
    """The case and its flow instance, if the actor may see it and it is as they read it."""
    petition = uow.session.get(Petition, petition_id)
    if petition is None or petition.instance_id is None:
        raise NotFound("找不到该信访件，可能已被删除")
    instance = uow.found(WorkflowInstance, petition.instance_id, "找不到该信访件的办理记录")
    if not can_see(actor, petition):
        raise PermissionDenied("这件信访件没有交办给您的单位，不能查看")
    if expected_version is not None and petition.version != expected_version:
        raise ConflictError(f"信访件{petition.number}已被其他人修改或办理，请刷新后再操作")
    return petition, instance


def touch(petition: Petition) -> None:
    """Every act on a case moves its version on, so a second client acting on what it saw is refused."""
    petition.updated_at = utcnow()


class _PetitionRecords:
    """Cases as app.services.workflow.acts opens them for an act: load() with its visibility."""

    noun = "这件信访件"

    def load(
        self, uow: UnitOfWork, actor: Actor, record_id: int, expected_version: int | None, doing: str,
    ) -> tuple[Petition, WorkflowInstance]:
        return load(uow, actor, record_id, expected_version)

    def name(self, petition: Petition) -> str:
        return f"信访件{petition.number}"

    def facts(self, uow: UnitOfWork, petition: Petition) -> Mapping[str, Any]:
        return {}


RECORDS = _PetitionRecords()

workflow.register_facts(
    ENTITY, lambda uow, petition_id: {},
    lambda uow, petition_id: touch(uow.found(Petition, petition_id, "找不到该信访件")),
)


def _file_guard(uow: UnitOfWork, actor: Actor, petition_id: int, purpose: str) -> None:
    """Who adds and removes a case's files: those who handle petitions; an assigned unit's 联络员 its handling
    material."""
    if purpose not in FILE_PURPOSES:
        raise ValidationError("文件用途只能是来信及材料、办理材料或答复及送达材料", field="purpose")
    petition, _instance = load(uow, actor, petition_id)
    if may_handle(actor):
        return
    unit_id = _liaison_unit(actor)
    if purpose == "handling" and unit_id is not None and unit_id == petition.handling_unit_id:
        return
    raise PermissionDenied("只有信访接待员、办公室领导或承办单位的联络员（办理材料）可以增删信访材料")


attachments.guard_owner(ENTITY, _file_guard)


# ----- masking and the audit of unmasked views -------------------------------------------------------------


def masked_id(actor: Actor, value: str) -> str:
    return value if sees_unmasked(actor) else mask_id_number(value)


def masked_phone(actor: Actor, value: str) -> str:
    return value if sees_unmasked(actor) else mask_phone(value)


def masked_address(actor: Actor, value: str) -> str:
    return value if sees_unmasked(actor) or not value else HIDDEN_ADDRESS


@acting
def record_unmasked_view(uow: UnitOfWork, actor: Actor, petition_ids: Iterable[int], where: str) -> None:
    """Records that the actor read these cases unmasked (``where``: 详情, 台账, 登记表 …), when they did; the
    caller commits. One row for a list, naming every case it showed."""
    if actor.id is None or not sees_unmasked(actor):
        return
    ids = sorted(set(petition_ids))
    if not ids:
        return
    detail: dict[str, Any] = {"where": where, "petitions": ids}
    uow.record(actor.id, actor.username, "view_unmasked", ENTITY, ids[0] if len(ids) == 1 else None, detail)


# ----- building the views ---------------------------------------------------------------------------------


@acting
def petition_info(uow: UnitOfWork, actor: Actor, petition: Petition, instance: WorkflowInstance) -> PetitionInfo:
    """The case as the actor may read it; does not record the view (record_unmasked_view does)."""
    flow = workflow.flow_for(uow, instance.flow_key, instance.flow_version)
    reviews_number = ""
    if petition.reviews_id is not None:
        reviews_number = uow.execute(
            select(Petition.number).where(Petition.id == petition.reviews_id)
        ).scalar_one_or_none() or ""
    return PetitionInfo(
        id=petition.id, number=petition.number, stage=petition.stage, reviews_id=petition.reviews_id,
        reviews_number=reviews_number, channel=petition.channel, channel_detail=petition.channel_detail,
        reception_leader=petition.reception_leader, received_on=petition.received_on, name=petition.name,
        id_number=masked_id(actor, petition.id_number), phone=masked_phone(actor, petition.phone),
        address=masked_address(actor, petition.address), people_count=petition.people_count,
        representatives=tuple(
            Representative(r.name, masked_id(actor, r.id_number), masked_phone(actor, r.phone))
            for r in petition.representatives
        ),
        request=petition.request, facts=petition.facts, category=petition.category, place=petition.place,
        handling_unit_id=petition.handling_unit_id,
        handling_unit_name=workflow.unit_name(uow, petition.handling_unit_id),
        forwarded_to=petition.forwarded_to, findings=petition.findings, decision=petition.decision,
        decision_basis=petition.decision_basis, replied_on=petition.replied_on,
        concluded_on=petition.concluded_on, registered_by_name=petition.registered_by_name,
        is_repeat=petition.is_repeat, instance_id=instance.id, flow_key=instance.flow_key, state=instance.state,
        state_label=flow.step(instance.state).label, closed=instance.closed,
        responsible_id=instance.responsible_id,
        responsible_name=workflow.user_full_name(uow, instance.responsible_id),
        version=petition.version, masked=not sees_unmasked(actor),
    )


@acting
def commit_info(uow: UnitOfWork, actor: Actor, petition: Petition, instance: WorkflowInstance) -> PetitionInfo:
    """How every act on a case ends: the case as the act leaves it, its unmasked view recorded, committed."""
    uow.flush()
    info = petition_info(uow, actor, petition, instance)
    record_unmasked_view(uow, actor, [petition.id], "办理")
    uow.commit()
    return info


@acting
def get_petition(uow: UnitOfWork, actor: Actor, petition_id: int) -> PetitionInfo:
    """One case as the actor may read it; an unmasked read is recorded in the audit log. Commits."""
    petition, instance = load(uow, actor, petition_id)
    info = petition_info(uow, actor, petition, instance)
    record_unmasked_view(uow, actor, [petition.id], "详情")
    uow.commit()
    return info


# ----- checking what was typed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedPetition:
    channel: str
    channel_detail: str
    reception_leader: str
    received_on: date
    name: str
    id_number: str
    phone: str
    address: str
    people_count: int
    request: str
    facts: str
    category: str
    place: str
    representatives: tuple[Representative, ...]


def _text(value: str, label: str, field_name: str, limit: int, *, required: bool = False, one_line: bool = True) -> str:
    text = " ".join(value.split()) if one_line else value.strip()
    if required and not text:
        raise ValidationError(f"请填写{label}", field=field_name)
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过{limit}个字，现在有{len(text)}个字", field=field_name)
    check_printable(text, label, field=field_name)
    return text


def _id_number(value: str, whose: str, field_name: str, today: date) -> str:
    if not value.strip():
        return ""
    try:
        return validate_id_number(value, today=today)
    except ValidationError as error:
        raise ValidationError(f"{whose}的身份证号有误：{error}", field=field_name) from None


def _phone(value: str, whose: str, field_name: str) -> str:
    if not value.strip():
        return ""
    try:
        return validate_phone(value)
    except ValidationError as error:
        raise ValidationError(f"{whose}的联系电话有误：{error}", field=field_name) from None


def check_petition(data: PetitionInput, today: date) -> CheckedPetition:
    """Every field of a registration, or the first thing to fix, in the field's own words."""
    channel, detail = channel_of(data.channel, data.channel_detail)
    leader = _text(data.reception_leader, "接访领导", "reception_leader", MAX_NAME)
    if detail == LEADER_RECEPTION and not leader:
        raise ValidationError("领导大接访请填写接访领导", field="reception_leader")
    if data.received_on is None:
        raise ValidationError("请填写登记日期（收到信访的日期）", field="received_on")
    if data.received_on > today:
        raise ValidationError("登记日期不能晚于今天", field="received_on")
    name = _text(data.name, "信访人姓名", "name", MAX_NAME, required=True)
    id_number = _id_number(data.id_number, "信访人", "id_number", today)
    phone = _phone(data.phone, "信访人", "phone")
    address = _text(data.address, "住址", "address", MAX_ADDRESS)
    if not (id_number or phone or address):
        raise ValidationError("请至少填写信访人的身份证号、联系电话或住址中的一项，以便答复和回访", field="phone")
    if isinstance(data.people_count, bool) or not isinstance(data.people_count, int):
        raise ValidationError("人数应为整数", field="people_count")
    if not 1 <= data.people_count <= MAX_PEOPLE:
        raise ValidationError(f"人数应在1到{MAX_PEOPLE}之间", field="people_count")
    representatives: list[Representative] = []
    if len(data.representatives) > MAX_REPRESENTATIVES - 1:
        raise ValidationError(
            f"集体访推选的代表不能超过{MAX_REPRESENTATIVES}人（含登记的信访人），现在有{len(data.representatives) + 1}人",
            field="representatives",
        )
    if data.representatives and data.people_count < 2:
        raise ValidationError("只有多人来访才登记代表，请先填写来访人数", field="people_count")
    if len(data.representatives) + 1 > data.people_count:
        raise ValidationError("代表人数不能多于来访人数", field="representatives")
    for index, person in enumerate(data.representatives, start=2):
        whose = f"第{index}位代表"
        rep_name = _text(person.name, f"{whose}的姓名", "representatives", MAX_NAME, required=True)
        representatives.append(Representative(
            rep_name, _id_number(person.id_number, whose, "representatives", today),
            _phone(person.phone, whose, "representatives"),
        ))
    request = _text(data.request, "信访诉求", "request", MAX_REQUEST, required=True, one_line=False)
    facts = _text(data.facts, "事实和理由", "facts", MAX_FACTS, one_line=False)
    category = _text(data.category, "问题类别", "category", MAX_CATEGORY, required=True)
    place = _text(data.place, "问题属地", "place", MAX_PLACE, required=True)
    return CheckedPetition(
        channel, detail, leader, data.received_on, name, id_number, phone, address, data.people_count, request,
        facts, category, place, tuple(representatives),
    )


def _write_fields(petition: Petition, checked: CheckedPetition) -> None:
    petition.channel, petition.channel_detail = checked.channel, checked.channel_detail
    petition.reception_leader, petition.received_on = checked.reception_leader, checked.received_on
    petition.name, petition.id_number, petition.phone = checked.name, checked.id_number, checked.phone
    petition.address, petition.people_count = checked.address, checked.people_count
    petition.request, petition.facts = checked.request, checked.facts
    petition.category, petition.place = checked.category, checked.place


def _representative_rows(checked: CheckedPetition) -> list[PetitionRepresentative]:
    return [
        PetitionRepresentative(position=i, name=r.name, id_number=r.id_number, phone=r.phone)
        for i, r in enumerate(checked.representatives, start=1)
    ]


def title_of(number: str, checked_name: str, request: str) -> str:
    """The case's title in the 工作台 and the flowchart: its number, the petitioner and the request's start."""
    first = request.splitlines()[0] if request else ""
    return f"{number} {checked_name}：{first[:60]}"


# ----- registering ----------------------------------------------------------------------------------------


@acting
def add_petition(
    uow: UnitOfWork, actor: Actor, checked: CheckedPetition, today: date, *, stage: str = INITIAL,
    reviews: Petition | None = None, unit_id: int | None = None,
) -> tuple[Petition, WorkflowInstance]:
    """Writes one checked case and starts its flow on the day it was received (the 受理 clock counts from
    then); the registering person answers for it (首问负责). Does not commit (the form, the ledger's import
    and the opening of a 复查 each commit theirs)."""
    year = checked.received_on.year
    seq = next_number(uow, f"petition_{stage}", year)
    petition = Petition(
        stage=stage, year=year, seq=seq, number=format_number(stage, year, seq),
        reviews_id=reviews.id if reviews is not None else None, registered_by_name=actor.full_name,
        handling_unit_id=reviews.handling_unit_id if reviews is not None else None,
    )
    _write_fields(petition, checked)
    petition.representatives = _representative_rows(checked)
    uow.session.add(petition)
    uow.flush()
    instance = workflow.start(
        uow, actor, flow_key=FLOW_KEY if stage == INITIAL else REVIEW_FLOW_KEY, entity_type=ENTITY,
        entity_id=petition.id, title=title_of(petition.number, checked.name, checked.request),
        unit_id=unit_id if unit_id is not None else actor.unit_id, today=min(checked.received_on, today),
    )
    petition.instance_id = instance.id
    uow.flush()
    return petition, instance


@dataclass(frozen=True)
class Registered:
    """A registration as saved: the case, and the earlier cases it was found to repeat (now linked)."""

    petition: PetitionInfo
    repeats: tuple[Any, ...]


@acting
def register_petition(uow: UnitOfWork, actor: Actor, data: PetitionInput, *, today: date | None = None) -> Registered:
    """登记: a new case at 登记, answered for by whoever registers it (首问负责). The earlier cases it repeats
    (app.services.petitions.repeats) are linked to it as 重复信访 and it is flagged. Commits."""
    from app.services.petitions import repeats

    today = today or date.today()
    require_role(actor, HANDLERS, "登记信访件")
    checked = check_petition(data, today)
    matches = repeats.matches_for(uow, actor, repeats.facts_of(checked), category=checked.category,
                                  place=checked.place)
    petition, instance = add_petition(uow, actor, checked, today)
    if matches:
        petition.is_repeat = True
        repeats.link_repeats(uow, actor, petition, [m.petition_id for m in matches])
    uow.flush()
    info = petition_info(uow, actor, petition, instance)
    uow.commit()
    return Registered(info, tuple(matches))


@acting
def update_petition(
    uow: UnitOfWork, actor: Actor, petition_id: int, data: PetitionInput, *, expected_version: int | None = None,
    today: date | None = None,
) -> PetitionInfo:
    """Corrects a registration while the case is at 登记 (受理申请 for a review): for the person who answers
    for it and the office's leaders. Commits."""
    today = today or date.today()
    petition, instance = load(uow, actor, petition_id, expected_version)
    if instance.state != REGISTER or instance.closed:
        raise ValidationError(f"信访件{petition.number}已经{'办结' if instance.closed else '受理'}，登记内容不能再修改")
    if not (actor.id is not None and actor.id == instance.responsible_id) and not actor.has(*LEADERS):
        raise PermissionDenied("只有本件的首问责任人、办公室主任或副主任可以修改登记内容")
    checked = check_petition(data, today)
    before = {"name": petition.name, "request": petition.request, "category": petition.category}
    # The old representatives go first, in a flush of their own (one row per case and position), and the
    # case's own row is written once after, so its version moves on by one.
    petition.representatives = []
    uow.flush()
    _write_fields(petition, checked)
    petition.representatives = _representative_rows(checked)
    instance.title = title_of(petition.number, checked.name, checked.request)[:300]
    touch(petition)
    uow.record(actor.id, actor.username, "update", ENTITY, petition.id,
               {"before": before, "after": {"name": checked.name, "request": checked.request,
                                            "category": checked.category}}, change_op="update")
    return commit_info(uow, actor, petition, instance)


# 排查问题 register their visibility beside the cases: the workflow's own reads (工作台, 已办, 催办) import each
# area's records module only.
from app.services.petitions import problems as _problems  # noqa: E402,F401
