"""信访's demo data on every database: the cases were taken through the real services, so what the rows say is
what the services wrote — every channel, valid particulars, the hot issues, repeats linked, group visits, every
step of the 信访 flows, replies and 回访 (不满意 ones reopened or raised to a leader), an objection answered, a
复查 and one 复核 linked to what they review, and problems assigned to units."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.bootstrap import AppContext
from app.core.ids import is_valid_id_number, is_valid_phone
from app.core.petitions.flow import FLOW_KEY, PROBLEM_FLOW_KEY, REVIEW_FLOW_KEY
from app.core.petitions.terms import CHANNELS, LEADER_RECEPTION, RE_REVIEW, REVIEW
from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS
from app.db.tables import record_links
from app.demo.generate import generate_demo_data
from app.demo.office import CST
from app.models import AuditEntry, User, UserRole, WorkflowHistory, WorkflowInstance
from app.models.petitions import Petition, PetitionObjection, PetitionProblem, PetitionVisit
from app.services.admin.audit import verify_chain
from app.services.admin.auth import actor_of
from app.services.petitions import listing
from app.services.petitions.listing import PetitionFilter

TODAY = date(2026, 11, 27)


def test_petitions_demo_on_every_database(ctx: AppContext) -> None:
    demo = generate_demo_data(ctx, size=120, today=TODAY)
    assert demo.instances[FLOW_KEY] > 0 and demo.instances[REVIEW_FLOW_KEY] > 0
    with ctx.uow() as uow:
        session = uow.session
        cases = session.execute(
            select(Petition).options(selectinload(Petition.representatives)).order_by(Petition.id)
        ).scalars().all()
        instances = {i.id: i for i in session.execute(
            select(WorkflowInstance).where(WorkflowInstance.entity_type.in_(("petition", "petition_problem")))
        ).scalars()}
        visits = session.execute(select(PetitionVisit)).scalars().all()
        objections = session.execute(select(PetitionObjection)).scalars().all()
        problems = session.execute(select(PetitionProblem)).scalars().all()
        links = Counter(kind for kind, in session.execute(select(record_links.c.kind)).all())
        history = {row.instance_id: row for row in session.execute(
            select(WorkflowHistory).where(WorkflowHistory.id.in_(
                select(func.max(WorkflowHistory.id)).group_by(WorkflowHistory.instance_id)))
        ).scalars()}
        unmasked_views = session.execute(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "view_unmasked")
        ).scalar_one()
        urged = session.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "urge")).scalar_one()
        session.expunge_all()
    firsts = [c for c in cases if c.stage == "initial"]

    # Every channel and way in; the 领导大接访 on a Monday with the leader who received them.
    assert {(c.channel, c.channel_detail) for c in firsts} == {(ch, d) for ch, ways in CHANNELS.items() for d in ways}
    reception = [c for c in firsts if c.channel_detail == LEADER_RECEPTION]
    assert all(c.received_on.weekday() == 0 and c.reception_leader for c in reception)
    # Real particulars: valid ID numbers and phones, every petitioner reachable.
    assert all(is_valid_id_number(c.id_number, today=TODAY) for c in cases if c.id_number)
    assert all(is_valid_phone(c.phone) for c in cases if c.phone)
    assert all(c.id_number or c.phone for c in cases)
    # A group visit with its representatives (at most 5 with the petitioner).
    groups = [c for c in firsts if c.people_count > 1]
    assert groups and all(1 <= len(c.representatives) <= 4 for c in groups)
    # Repeats flagged and linked to the cases they repeat.
    assert any(c.is_repeat for c in firsts) and links["repeat"] >= sum(c.is_repeat for c in firsts)

    # Every step of the 信访 flows, each case where its history's last move left it.
    seen = {(i.flow_key, i.state) for i in instances.values()}
    for key in (FLOW_KEY, REVIEW_FLOW_KEY):
        assert {(key, step.key) for step in DEFAULT_FLOWS[key].steps} <= seen
    for instance in instances.values():
        assert history[instance.id].to_state == instance.state
        assert instance.closed == DEFAULT_FLOWS[instance.flow_key].step(instance.state).final
    by_instance = {c.instance_id: c for c in cases}
    for instance in instances.values():
        case = by_instance.get(instance.id)
        if case is None:
            continue
        received = case.received_on
        assert instance.created_at.astimezone(CST).date() == received <= TODAY
        if instance.state in ("replied", "concluded"):
            assert case.replied_on is not None and case.decision and case.findings
        assert (case.concluded_on is not None) == (instance.state == "concluded")
    # 交办: an assigned case names its unit; a forwarded one the authority it went to.
    assert any(c.handling_unit_id is not None for c in firsts)
    assert all(c.forwarded_to for c in firsts if instances[c.instance_id].state == "forwarded")

    # 回访: satisfied ones, and 不满意 ones reopened and raised to a leader, with why.
    assert {v.satisfaction for v in visits} >= {"满意", "不满意"}
    unsatisfied = [v for v in visits if v.satisfaction == "不满意"]
    assert {v.action for v in unsatisfied} == {"reopen", "escalate"} and all(v.reason for v in unsatisfied)
    assert all(v.action == "" for v in visits if v.satisfaction != "不满意")
    # A unit's objection, answered.
    assert objections and all(o.outcome and o.answer for o in objections)
    # 复查 of a replied case, and one 复核 of a 复查, linked to what they review.
    reviews = [c for c in cases if c.stage == REVIEW]
    re_reviews = [c for c in cases if c.stage == RE_REVIEW]
    by_id = {c.id: c for c in cases}
    assert reviews and len(re_reviews) == 1
    assert links["review"] == len(reviews) and links["re_review"] == 1
    assert by_id[re_reviews[0].reviews_id or 0].stage == REVIEW
    assert instances[re_reviews[0].instance_id].state == "concluded"
    for review in reviews + re_reviews:
        reviewed = by_id[review.reviews_id or 0]
        assert reviewed.replied_on is not None and reviewed.replied_on <= review.received_on
        assert (reviewed.name, reviewed.id_number) == (review.name, review.id_number)
    # Problems assigned to units, one solved.
    assert problems and any(p.solved_on is not None for p in problems)
    assert {instances[p.instance_id].flow_key for p in problems if p.instance_id} == {PROBLEM_FLOW_KEY}
    assert urged > 0 and unmasked_views > 0

    with ctx.uow() as uow:
        report = verify_chain(uow)
    assert report.ok, report.summary()
    _lists_read_the_demo(ctx, len(cases))


def _lists_read_the_demo(ctx: AppContext, count: int) -> None:
    """The 信访 list shows the demo's cases: all to a 信访接待员 (unmasked), masked to the 县长."""
    with ctx.uow() as uow:
        ids = {role: uow.session.execute(
            select(UserRole.user_id).where(UserRole.role_code == role.value).order_by(UserRole.user_id).limit(1)
        ).scalar_one() for role in (Role.PETITION_OFFICER, Role.COUNTY_LEADER)}
        officer, mayor = (actor_of(uow.session.get(User, ids[r])) for r in (Role.PETITION_OFFICER, Role.COUNTY_LEADER))
        everything = listing.list_petitions(uow, officer, PetitionFilter(box="all"), limit=200, today=TODAY)
        masked = listing.list_petitions(uow, mayor, PetitionFilter(box="all"), limit=200, today=TODAY)
    assert everything.total == masked.total == count
    assert any(r.id_number and "*" not in r.id_number for r in everything.rows)
    assert all(not r.id_number or "*" in r.id_number for r in masked.rows)
