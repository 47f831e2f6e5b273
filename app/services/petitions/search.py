"""What 综合查询 searches of a 信访件 (or a 复查, 复核; app.services.search.sources): the petitioner and the
representatives, the request and its facts, where and what it is about, who handles it, the 处理意见书, and what
was said and done while it was handled (the moves' opinions, the assigned unit's task and report, the
follow-up visits, the unit's objection and the office's answer).

The petitioner's and the representatives' ID numbers and phones, and the address, are private fields: the
office masks them for everyone but those who handle petitions (records.sees_unmasked), and so 综合查询 searches
and shows them for those only. The scans of a case carry the same particulars, so its files' text is private
too. The name is not masked anywhere, and is public here as in the lists.

Read with plain selects for a whole batch at once: the cases with their unit, responsible person and reviewed
case in one query, then one query each for the representatives, the unit's tasks, the visits and
the objections. Every act that changes any of them records an audit entry on the case itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Table, or_, select

from app.core.petitions.flow import ENTITY
from app.core.petitions.terms import STAGE_LABELS
from app.db.tables import units, users, workflow_instances, workflow_work_items
from app.models.petitions import Petition, PetitionObjection, PetitionRepresentative, PetitionVisit
from app.services.petitions import records
from app.services.search.sources import SearchEntry, SearchField, gathered

if TYPE_CHECKING:
    from app.services.kernel.actor import Actor
    from app.services.kernel.uow import UnitOfWork

_PETITIONS: Table = Petition.__table__  # type: ignore[assignment]
_REPRESENTATIVES: Table = PetitionRepresentative.__table__  # type: ignore[assignment]
_VISITS: Table = PetitionVisit.__table__  # type: ignore[assignment]
_OBJECTIONS: Table = PetitionObjection.__table__  # type: ignore[assignment]
_NAMES_JOIN = "、"
_TEXTS_JOIN = "；"



def _joined(texts: dict[int, list[str]], record_id: int, sep: str = _TEXTS_JOIN) -> str:
    return sep.join(texts.get(record_id, ()))


class PetitionSource:
    """信访件, 复查 and 复核 as 综合查询 finds them."""

    # A case's scanned letters and materials carry the petitioner's particulars.
    files_private = True

    def entries(self, uow: UnitOfWork, record_ids: Sequence[int]) -> list[SearchEntry]:
        ids = sorted(set(record_ids))
        if not ids:
            return []
        p, u, wi = _PETITIONS.c, units.c, workflow_instances.c
        person = users.alias("responsible")
        reviewed = _PETITIONS.alias("reviewed")
        rows = uow.execute(
            select(p.id, p.stage, p.number, p.received_on, p.channel, p.channel_detail, p.reception_leader,
                   p.name, p.id_number, p.phone, p.address, p.request, p.facts, p.category, p.place,
                   p.forwarded_to, p.findings, p.decision, p.decision_basis, p.registered_by_name,
                   u.name.label("unit_name"), person.c.full_name.label("responsible"),
                   reviewed.c.number.label("reviews_number"))
            .select_from(
                _PETITIONS.outerjoin(units, u.id == p.handling_unit_id)
                .outerjoin(workflow_instances, wi.id == p.instance_id)
                .outerjoin(person, person.c.id == wi.responsible_id)
                .outerjoin(reviewed, reviewed.c.id == p.reviews_id)
            )
            .where(p.id.in_(ids))
            .order_by(p.id)
        ).all()
        if not rows:
            return []
        r = _REPRESENTATIVES.c
        representatives: dict[int, list[tuple[str, str, str]]] = {}
        for row in uow.execute(
            select(r.petition_id, r.name, r.id_number, r.phone).where(r.petition_id.in_(ids))
            .order_by(r.petition_id, r.position)
        ):
            representatives.setdefault(int(row.petition_id), []).append((row.name, row.id_number, row.phone))
        by_case = (wi.entity_type == ENTITY) & wi.entity_id.in_(ids)
        w = workflow_work_items.c
        task_rows = uow.execute(
            select(wi.entity_id, w.task, w.feedback).join(workflow_instances, wi.id == w.instance_id)
            .where(by_case, or_(w.task != "", w.feedback != "")).order_by(wi.entity_id, w.id)
        ).all()
        tasks = gathered((row.entity_id, row.task) for row in task_rows)
        feedback = gathered((row.entity_id, row.feedback) for row in task_rows)
        v = _VISITS.c
        visits = gathered(uow.execute(
            select(v.petition_id, v.note, v.reason).where(v.petition_id.in_(ids)).order_by(v.petition_id, v.id)
        ))
        o = _OBJECTIONS.c
        objections = gathered(uow.execute(
            select(o.petition_id, o.reason, o.answer).where(o.petition_id.in_(ids)).order_by(o.petition_id, o.id)
        ))
        entries = []
        for row in rows:
            people = representatives.get(row.id, [])
            channel = f"{row.channel}（{row.channel_detail}）" if row.channel_detail else row.channel
            entries.append(SearchEntry(
                record_id=row.id,
                # The year it is filed under: its 登记 (received) date's, as its number and the ledger's.
                year=row.received_on.year,
                title=records.title_of(row.number, row.name, row.request),
                fields=(
                    SearchField("编号", row.number),
                    SearchField("类型", STAGE_LABELS.get(row.stage, "")),
                    SearchField("原件编号", row.reviews_number or ""),
                    SearchField("信访人", row.name),
                    SearchField("代表", _NAMES_JOIN.join(name for name, _id, _phone in people)),
                    SearchField("信访方式", channel),
                    SearchField("接访领导", row.reception_leader),
                    SearchField("信访诉求", row.request),
                    SearchField("事实和理由", row.facts),
                    SearchField("问题类别", row.category),
                    SearchField("问题属地", row.place),
                    SearchField("承办单位", row.unit_name or ""),
                    SearchField("转送机关", row.forwarded_to),
                    SearchField("责任人", row.responsible or ""),
                    SearchField("登记人", row.registered_by_name),
                    SearchField("交办任务", _joined(tasks, row.id)),
                    SearchField("办理情况", _joined(feedback, row.id)),
                    SearchField("查明的事实", row.findings),
                    SearchField("处理意见", row.decision),
                    SearchField("处理依据", row.decision_basis),
                    SearchField("回访情况", _joined(visits, row.id)),
                    SearchField("异议", _joined(objections, row.id)),
                    # What records.masked_id, masked_phone and masked_address hide from all but the handlers.
                    SearchField("身份证号", row.id_number, private=True),
                    SearchField("联系电话", row.phone, private=True),
                    SearchField("住址", row.address, private=True),
                    SearchField("代表身份证号", " ".join(i for _n, i, _p in people if i), private=True),
                    SearchField("代表联系电话", " ".join(t for _n, _i, t in people if t), private=True),
                ),
            ))
        return entries

    def record_ids(self, uow: UnitOfWork, after: int, limit: int) -> list[int]:
        p = _PETITIONS.c
        return [int(x) for x in uow.execute(select(p.id).where(p.id > after).order_by(p.id).limit(limit)).scalars()]

    def sees_private(self, actor: Actor) -> bool:
        return records.sees_unmasked(actor)


SOURCE = PetitionSource()
