"""综合督查: inspection campaigns recorded with their findings; a finding becomes an item in one action, and
the finding keeps the item it became."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.core.errors import NotFound, PermissionDenied, ValidationError, WorkflowError
from app.core.printable import check_printable
from app.core.supervision.classes import FINDING_SOURCE
from app.models import Unit
from app.models.base import utcnow
from app.models.supervision import SupervisionCampaign, SupervisionFinding, SupervisionItem
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.uow import UnitOfWork
from app.services.supervision.items import REGISTRARS, ItemInfo, ItemInput, add_item, check_item, commit_info, sees_all

MAX_TITLE = 200
MAX_TEXT = 2000
MAX_FINDINGS = 200


@dataclass(frozen=True)
class FindingInput:
    text: str
    unit_id: int | None = None


@dataclass(frozen=True)
class FindingInfo:
    id: int
    position: int
    text: str
    unit_id: int | None
    unit_name: str
    item_id: int | None
    item_number: str


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    year: int
    title: str
    scope: str
    starts_on: date
    ends_on: date
    created_by_name: str
    findings: tuple[FindingInfo, ...] = field(default=())
    version: int = 1


def _check(title: str, scope: str, starts_on: date | None, ends_on: date | None,
           findings: Sequence[FindingInput], uow: UnitOfWork) -> tuple[str, str, date, date, list[FindingInput]]:
    title = " ".join(title.split())
    if not title:
        raise ValidationError("请填写督查名称", field="title")
    if len(title) > MAX_TITLE:
        raise ValidationError(f"督查名称不能超过{MAX_TITLE}个字", field="title")
    check_printable(title, "督查名称", field="title")
    scope = scope.strip()
    if len(scope) > MAX_TEXT:
        raise ValidationError(f"督查范围和内容不能超过{MAX_TEXT}个字", field="scope")
    check_printable(scope, "督查范围和内容", field="scope")
    if starts_on is None or ends_on is None:
        raise ValidationError("请填写督查的起止日期", field="starts_on")
    if ends_on < starts_on:
        raise ValidationError("督查的结束日期不能早于开始日期", field="ends_on")
    if len(findings) > MAX_FINDINGS:
        raise ValidationError(f"一次督查最多记录{MAX_FINDINGS}个问题", field="findings")
    cleaned: list[FindingInput] = []
    for number, finding in enumerate(findings, start=1):
        text = finding.text.strip()
        if not text:
            continue
        if len(text) > MAX_TEXT:
            raise ValidationError(f"第{number}个问题超过{MAX_TEXT}个字", field="findings")
        check_printable(text, f"第{number}个问题", field="findings")
        if finding.unit_id is not None:
            unit = uow.session.get(Unit, finding.unit_id)
            if unit is None or not unit.active:
                raise ValidationError(f"第{number}个问题的责任单位不存在或已停用，请重新选择", field="findings")
        cleaned.append(FindingInput(text, finding.unit_id))
    return title, scope, starts_on, ends_on, cleaned


def _info(uow: UnitOfWork, campaign: SupervisionCampaign) -> CampaignInfo:
    unit_ids = [f.unit_id for f in campaign.findings if f.unit_id is not None]
    names = dict(uow.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}
    item_ids = [f.item_id for f in campaign.findings if f.item_id is not None]
    numbers = dict(uow.session.execute(
        select(SupervisionItem.id, SupervisionItem.number).where(SupervisionItem.id.in_(item_ids))
    ).all()) if item_ids else {}
    return CampaignInfo(
        campaign.id, campaign.year, campaign.title, campaign.scope, campaign.starts_on, campaign.ends_on,
        campaign.created_by_name,
        tuple(FindingInfo(f.id, f.position, f.text, f.unit_id, names.get(f.unit_id, "") if f.unit_id else "",
                          f.item_id, numbers.get(f.item_id, "") if f.item_id else "") for f in campaign.findings),
        campaign.version,
    )


@acting
def record_campaign(
    uow: UnitOfWork, actor: Actor, title: str, scope: str, starts_on: date | None, ends_on: date | None,
    findings: Sequence[FindingInput] = (),
) -> CampaignInfo:
    """A campaign with its findings, in the order given. Commits."""
    require_role(actor, REGISTRARS, "记录综合督查")
    title, scope, start, end, cleaned = _check(title, scope, starts_on, ends_on, findings, uow)
    campaign = SupervisionCampaign(year=start.year, title=title, scope=scope, starts_on=start, ends_on=end,
                                   created_by_name=actor.full_name)
    campaign.findings = [SupervisionFinding(position=i, text=f.text, unit_id=f.unit_id) for i, f in enumerate(cleaned)]
    uow.session.add(campaign)
    uow.flush()
    uow.record(actor.id, actor.username, "create", "supervision_campaign", campaign.id,
               {"title": title, "findings": len(cleaned)}, change_op="create")
    info = _info(uow, campaign)
    uow.commit()
    return info


@acting
def add_findings(uow: UnitOfWork, actor: Actor, campaign_id: int, findings: Sequence[FindingInput]) -> CampaignInfo:
    """More findings of a campaign, after those it has. Commits."""
    require_role(actor, REGISTRARS, "记录督查发现的问题")
    campaign = uow.session.get(SupervisionCampaign, campaign_id)
    if campaign is None:
        raise NotFound("找不到该次督查，可能已被删除")
    *_, cleaned = _check(campaign.title, campaign.scope, campaign.starts_on, campaign.ends_on, findings, uow)
    if not cleaned:
        raise ValidationError("请填写发现的问题", field="findings")
    if len(campaign.findings) + len(cleaned) > MAX_FINDINGS:
        raise ValidationError(f"一次督查最多记录{MAX_FINDINGS}个问题", field="findings")
    start = len(campaign.findings)
    for offset, finding in enumerate(cleaned):
        campaign.findings.append(SupervisionFinding(position=start + offset, text=finding.text, unit_id=finding.unit_id))
    uow.flush()
    uow.record(actor.id, actor.username, "add_findings", "supervision_campaign", campaign.id,
               {"findings": len(cleaned)}, change_op="update")
    info = _info(uow, campaign)
    uow.commit()
    return info


@acting
def list_campaigns(uow: UnitOfWork, actor: Actor, year: int | None = None) -> list[CampaignInfo]:
    """The campaigns of a year (or all), the latest first: for whoever sees every item."""
    if not sees_all(actor):
        raise PermissionDenied("综合督查记录仅供办公室和县领导查看")
    query = select(SupervisionCampaign).order_by(SupervisionCampaign.starts_on.desc(), SupervisionCampaign.id.desc())
    if year is not None:
        query = query.where(SupervisionCampaign.year == year)
    return [_info(uow, c) for c in uow.session.execute(query).scalars()]


@acting
def finding_to_item(
    uow: UnitOfWork, actor: Actor, finding_id: int, data: ItemInput, today: date | None = None,
) -> ItemInfo:
    """督办 a finding: a new item from it (its source 综合督查), which the finding keeps. Commits."""
    today = today or date.today()
    require_role(actor, REGISTRARS, "将督查发现的问题转为督办事项")
    finding = uow.session.get(SupervisionFinding, finding_id)
    if finding is None:
        raise NotFound("找不到该问题，可能已被删除")
    # Read now, with its version: the campaign is written below, so that of two people making the same
    # finding an item at once, the second is told of the first (ConflictError), not given a second item.
    campaign = finding.campaign
    if finding.item_id is not None:
        number = uow.session.execute(
            select(SupervisionItem.number).where(SupervisionItem.id == finding.item_id)
        ).scalar_one_or_none()
        raise WorkflowError(f"这个问题已转为督办事项{number or ''}")
    from dataclasses import replace

    checked = check_item(uow, replace(data, source=FINDING_SOURCE), today)
    item = add_item(uow, actor, checked, today)
    finding.item_id = item.id
    campaign.updated_at = utcnow()
    uow.record(actor.id, actor.username, "finding_to_item", "supervision_campaign", finding.campaign_id,
               {"finding": finding.id, "item": item.number}, change_op="update")
    from app.models import WorkflowInstance

    instance = uow.found(WorkflowInstance, item.instance_id or 0, "找不到该督办事项的办理记录")
    return commit_info(uow, item, instance)
