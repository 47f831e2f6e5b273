"""Demo data on every database, and the bench generator on SQLite."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bootstrap import AppContext, bootstrap
from app.core.calendar import WorkCalendar
from app.core.errors import ValidationError
from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS
from app.core.workflow.approval_chain import DEFAULT_THRESHOLD
from app.demo.generate import DemoSummary, generate_demo_data, office_today_done
from app.demo.office import CST, DEMO_PASSWORD, SECTIONS
from app.models import (
    Attachment,
    Budget,
    Claim,
    ClaimLineItem,
    Unit,
    User,
    UserRole,
    WorkflowHistory,
    WorkflowInstance,
)
from app.models.information import InfoIssue
from app.services.admin import auth
from app.services.admin import users as admin
from app.services.admin.audit import verify_chain
from app.services.kernel.settings import get_setting
from tests.helpers.databases import SqliteTemplate

# A fixed day, so which records are overdue or due soon does not depend on when the tests run.
TODAY = date(2026, 11, 27)


def test_demo_data_on_every_database(ctx: AppContext) -> None:
    """One generation per backend (it takes a few seconds on a server), checked area by area."""
    # 信访's 复查复核 flow needs answered cases to review: 120 records give every flow's every step one.
    demo = generate_demo_data(ctx, size=120, today=TODAY)
    check_people(ctx, demo)
    check_units(ctx, demo)
    check_settings(ctx)
    check_records(ctx, demo)
    check_claims(ctx)
    check_due_dates(ctx)
    with ctx.uow() as uow:
        report = verify_chain(uow)
    assert report.ok, report.summary()
    assert report.checked > demo.total_instances
    with pytest.raises(ValidationError, match="数据库里已有数据"):
        generate_demo_data(ctx, size=5)
    check_login(ctx, demo)


def test_a_first_administrator_is_left_alone(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        admin.create_first_admin(uow, username="admin", full_name="初始管理员", password="first1234")
    demo = generate_demo_data(ctx, size=0)
    assert next(a for a in demo.accounts if a.role_label == Role.ADMIN.label).username == "demo_admin"
    with ctx.uow() as uow:
        assert auth.login(uow, "admin", "first1234").full_name == "初始管理员"
        assert auth.login(uow, "demo_admin", DEMO_PASSWORD).has(Role.ADMIN)


def check_people(ctx: AppContext, demo: DemoSummary) -> None:
    with ctx.uow() as uow:
        held = set(uow.session.execute(select(UserRole.role_code)).scalars())
        users = uow.session.execute(select(User)).scalars().all()
        by_role = {role: [u for u in users if role.value in u.role_codes] for role in Role}
        # Detached, the loaded values survive the unit of work's closing rollback.
        uow.session.expunge_all()
    assert held == {role.value for role in Role}
    assert [u.username for u in by_role[Role.ADMIN]] == ["admin"]
    assert len(by_role[Role.DIRECTOR]) == 1
    assert len(by_role[Role.DEPUTY_DIRECTOR]) == 2
    assert len(by_role[Role.SECRETARY]) >= 8
    assert len(by_role[Role.PETITION_OFFICER]) == 2
    county_head = [u for u in by_role[Role.COUNTY_LEADER] if u.is_principal]
    assert [(u.title, u.rank_order) for u in county_head] == [("县长", 1)]
    assert 3 <= len(by_role[Role.COUNTY_LEADER]) - 1 <= 4
    assert len({u.full_name for u in users}) == len(users)
    assert all(u.phone and u.title for u in users)
    assert demo.users == len(users)


def check_units(ctx: AppContext, demo: DemoSummary) -> None:
    with ctx.uow() as uow:
        units = {u.name: u for u in uow.session.execute(select(Unit)).scalars()}
        uow.session.expunge_all()
    office = units["青山县人民政府办公室"]
    for name in SECTIONS:
        assert units[name].parent_id == office.id
        assert units[name].kind == "section"
        assert units[name].head_user_id is not None
    assert office.parent_id is not None and units["县财政局"].parent_id == office.parent_id
    assert sum(u.kind == "township" for u in units.values()) >= 10
    assert sum(u.kind == "department" for u in units.values()) >= 20
    assert demo.units == len(units)


def check_settings(ctx: AppContext) -> None:
    with ctx.uow() as uow:
        assert get_setting(uow, "office_name") == "青山县人民政府办公室"
        assert get_setting(uow, "doc_prefixes") == ["县政办发", "县政办函", "县政发"]
        assert get_setting(uow, "fonds_number") == "J012"


def check_records(ctx: AppContext, demo: DemoSummary) -> None:
    with ctx.uow() as uow:
        instances = uow.session.execute(select(WorkflowInstance)).scalars().all()
        last_moves = dict(
            uow.session.execute(
                select(WorkflowHistory.instance_id, WorkflowHistory.to_state).where(
                    WorkflowHistory.id.in_(select(func.max(WorkflowHistory.id)).group_by(WorkflowHistory.instance_id))
                )
            ).all()
        )
        uow.session.expunge_all()
    # The 120 planned records, and 信息调研's weeks of items written besides (app.demo.information).
    assert len(instances) == demo.total_instances > 120
    assert demo.instances["information_item"] > 4 * 8 * 4
    seen = {(i.flow_key, i.state) for i in instances}
    # A screened problem is registered and assigned (立项, 交办) in one act: none rests at 立项.
    passing = {("petition_problem", "register")}
    wanted = {(key, step.key) for key, flow in DEFAULT_FLOWS.items() for step in flow.steps} - passing
    assert wanted <= seen, f"no record in {sorted(wanted - seen)}"
    for instance in instances:
        step = DEFAULT_FLOWS[instance.flow_key].step(instance.state)
        final = step.final
        assert instance.closed == final
        # An open record is due where its step has a time limit (撰写 a 政务信息 has none).
        assert (instance.due_date is None) == final or (step.time_limit is None and not final)
        # The history is the real one: its last move ends where the record stands.
        assert last_moves[instance.id] == instance.state
        assert instance.created_at <= instance.entered_at
        assert instance.title
    # 《政务信息》's numbers run with the calendar, the planner's compiled items' issue included.
    with ctx.uow() as uow:
        issued = uow.session.execute(select(InfoIssue.year, InfoIssue.seq, InfoIssue.issue_date, InfoIssue.issued)
                                     .order_by(InfoIssue.year, InfoIssue.seq)).all()
    assert issued and all(row.issued for row in issued)
    for before, after in zip(issued, issued[1:]):
        if before.year == after.year:
            assert before.issue_date <= after.issue_date, (before, after)


def check_claims(ctx: AppContext) -> None:
    """Claims are real claims: a row per instance, lines that add up, and each state's facts."""
    with ctx.uow() as uow:
        session = uow.session
        rows = session.execute(
            select(Claim, WorkflowInstance).join(WorkflowInstance, WorkflowInstance.id == Claim.instance_id)
        ).all()
        claim_instances = session.execute(
            select(func.count()).select_from(WorkflowInstance).where(WorkflowInstance.entity_type == "claim")
        ).scalar_one()
        lines: dict[int, list[ClaimLineItem]] = {}
        for line in session.execute(select(ClaimLineItem).order_by(ClaimLineItem.position)).scalars():
            lines.setdefault(line.claim_id, []).append(line)
        moves: dict[int, list[WorkflowHistory]] = {}
        for move in session.execute(select(WorkflowHistory).order_by(WorkflowHistory.id)).scalars():
            moves.setdefault(move.instance_id, []).append(move)
        heads = dict(session.execute(select(Unit.id, Unit.head_user_id)).all())
        budgets = session.execute(select(Budget)).scalars().all()
        scans = session.execute(select(Attachment).where(Attachment.owner_type == "claim")).scalars().all()
        session.expunge_all()

    assert rows and len(rows) == claim_instances
    states = {instance.state for _, instance in rows}
    assert {step.key for step in DEFAULT_FLOWS["reimbursement"].steps} <= states
    for claim, instance in rows:
        history = moves[instance.id]
        actions = [move.action for move in history]
        assert (instance.entity_type, instance.entity_id) == ("claim", claim.id)
        assert instance.title == f"{claim.number} {claim.title}"
        assert 1 <= len(lines[claim.id]) <= 4
        assert claim.total == sum((line.amount for line in lines[claim.id]), Decimal("0.00"))
        assert claim.claim_date == claim.created_at.astimezone(CST).date()
        assert claim.created_at == instance.created_at <= instance.entered_at
        assert claim.submitted == ("submit" in actions)
        assert claim.withdrawn == (instance.state == "withdrawn")
        # Nobody reviews, pays or books their own claim; a head's own claim skips 部门负责人审核.
        assert all(move.actor_id != claim.claimant_id for move in history if move.action not in ("start", "submit", "withdraw"))
        if heads[claim.unit_id] == claim.claimant_id:
            assert "dept_review" not in {move.to_state for move in history}
        # The 主要领导 saw exactly the claims above the threshold or over budget that got that far.
        if "leader_approval" in {move.from_state for move in history if move.action == "approve"}:
            went_up = "principal_approval" in {move.to_state for move in history}
            assert went_up == (claim.total > DEFAULT_THRESHOLD or claim.over_budget)
        paid = "pay" in actions
        assert (claim.paid_on is not None) == paid == (claim.paid_at is not None) == bool(claim.payment_method)
        if paid:
            assert claim.claim_date <= claim.paid_on <= TODAY
        if instance.state == "closed":
            assert claim.paid_on is not None and claim.voucher_number.startswith("记-")
            assert claim.booked_on is not None and claim.paid_on <= claim.booked_on
        else:
            assert not claim.voucher_number and claim.booked_on is None
    fill = [(claim, moves[instance.id]) for claim, instance in rows if instance.state == "fill"]
    assert any(not claim.submitted for claim, _ in fill), "no draft"
    returned = [history for claim, history in fill if claim.submitted]
    assert returned, "no claim sent back and waiting for its claimant"
    assert all(history[-1].action == "return" and history[-1].opinion for history in returned)
    assert any(claim.total > DEFAULT_THRESHOLD for claim, _ in rows)
    # 原借款 above the total (应退) and below it (应补).
    assert any(claim.advance > claim.total for claim, _ in rows)
    assert any(0 < claim.advance < claim.total for claim, _ in rows)
    assert budgets and all(b.year == TODAY.year for b in budgets)
    assert scans and {scan.mime_type for scan in scans} <= {"application/pdf", "image/png"}


def check_due_dates(ctx: AppContext) -> None:
    soon_limit = WorkCalendar().add_workdays(TODAY, 3).date
    with ctx.uow() as uow:
        due = [
            d
            for d in uow.session.execute(
                select(WorkflowInstance.due_date).where(WorkflowInstance.closed.is_(False))
            ).scalars()
            if d is not None
        ]
    assert any(d < TODAY for d in due), "nothing overdue"
    assert any(TODAY <= d <= soon_limit for d in due), "nothing due within 3 working days"


def check_login(ctx: AppContext, demo: DemoSummary) -> None:
    assert DEMO_PASSWORD == demo.password == "govdesk123"
    assert "govdesk123" in demo.summary()
    leader = next(a for a in demo.accounts if a.role_label == Role.COUNTY_LEADER.label)
    with ctx.uow() as uow:
        actor = auth.login(uow, leader.username, DEMO_PASSWORD)
    assert actor.has(Role.COUNTY_LEADER) and actor.is_principal
    with ctx.uow() as uow:
        assert auth.login(uow, "admin", DEMO_PASSWORD).has(Role.ADMIN)


def test_the_same_seed_gives_the_same_office(tmp_path: Path, sqlite_template: SqliteTemplate) -> None:
    summaries = []
    claims = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        context = bootstrap(sqlite_template.fresh(folder))
        try:
            summaries.append(generate_demo_data(context, size=0, seed=7))
        finally:
            context.dispose()
        # Records as well: the claims' budgets, routes, vouchers and scans are settled from the same seed.
        folder = tmp_path / f"{name}-records"
        folder.mkdir()
        context = bootstrap(sqlite_template.fresh(folder))
        try:
            generate_demo_data(context, size=40, seed=7, today=TODAY)
            claims.append(claim_fingerprint(context))
        finally:
            context.dispose()
    assert summaries[0].accounts == summaries[1].accounts
    assert summaries[0].instances == {}
    assert claims[0] == claims[1] and claims[0]


def claim_fingerprint(ctx: AppContext) -> list[tuple[object, ...]]:
    with ctx.uow() as uow:
        session = uow.session
        rows: list[tuple[object, ...]] = [
            (c.number, c.title, c.total, c.advance, c.over_budget, c.paid_on, c.payment_method, c.voucher_number,
             c.created_at, tuple((line.summary, line.category, line.amount) for line in c.lines))
            for c in session.execute(select(Claim).order_by(Claim.id)).scalars()
        ]
        for query in (
            select(WorkflowHistory.instance_id, WorkflowHistory.action, WorkflowHistory.actor_name,
                   WorkflowHistory.opinion, WorkflowHistory.at).order_by(WorkflowHistory.id),
            select(Attachment.filename, Attachment.sha256).order_by(Attachment.id),
            select(Budget.unit_id, Budget.category, Budget.amount).order_by(Budget.id),
        ):
            rows += [tuple(row) for row in session.execute(query)]
    return rows


def test_the_bench_generator_builds_the_expected_counts(tmp_path: Path) -> None:
    from app.db.engine import make_engine
    from bench.generate import build_bench_database, table_counts

    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    build_bench_database(url, documents=500, claims=150, seed=3, log=lambda line: None)
    engine = make_engine(url)
    try:
        counts = table_counts(engine)
        with engine.connect() as conn:
            by_type = dict(
                conn.execute(
                    select(WorkflowInstance.entity_type, func.count()).group_by(WorkflowInstance.entity_type)
                ).all()
            )
            states = set(conn.execute(select(WorkflowInstance.flow_key, WorkflowInstance.state).distinct()).all())
            orphans = conn.execute(
                select(func.count())
                .select_from(WorkflowHistory)
                .where(WorkflowHistory.instance_id.not_in(select(WorkflowInstance.id)))
            ).scalar_one()
            line_sums: dict[int, Decimal] = dict(
                conn.execute(select(ClaimLineItem.claim_id, func.sum(ClaimLineItem.amount)).group_by(ClaimLineItem.claim_id))
                .all()
            )
        with Session(engine) as session:
            claims = session.execute(
                select(Claim, WorkflowInstance.entity_id, WorkflowInstance.state, WorkflowInstance.title)
                .join(WorkflowInstance, WorkflowInstance.id == Claim.instance_id)
                .order_by(Claim.id)
            ).all()
            session.expunge_all()
    finally:
        engine.dispose()
    assert by_type == {"document": 500, "claim": 150}
    assert counts["workflow_instances"] == 650
    assert 650 * 2 <= counts["workflow_history"] <= 650 * 3
    assert counts["users"] >= 30 and counts["units"] >= 40
    assert orphans == 0
    assert {"outgoing_document", "incoming_document", "reimbursement"} == {key for key, _ in states}

    assert len(claims) == counts["claims"] == 150
    assert {state for _, _, state, _ in claims} == {s.key for s in DEFAULT_FLOWS["reimbursement"].steps}
    # Numbered and given ids in claim-date order, as the program numbers them.
    assert [c.claim_date for c, _, _, _ in claims] == sorted(c.claim_date for c, _, _, _ in claims)
    for claim, entity_id, state, title in claims:
        assert entity_id == claim.id and title == f"{claim.number} {claim.title}"
        assert abs(Decimal(str(line_sums[claim.id])) - claim.total) < Decimal("0.005")
        assert (claim.paid_on is not None) == (state in ("bookkeeping", "closed"))
        assert bool(claim.voucher_number) == (state == "closed")
        if state == "principal_approval":
            assert claim.total > DEFAULT_THRESHOLD or claim.over_budget


@pytest.mark.parametrize(("utc", "expected"), [
    ((2026, 12, 6, 19, 32), date(2026, 12, 6)),  # 03:32 in the office on the 7th: the 7th's hours are to come
    ((2026, 12, 6, 9, 59), date(2026, 12, 5)),  # 17:59: the 6th's hours are not over
    ((2026, 12, 6, 10, 0), date(2026, 12, 6)),  # 18:00: they are
])
def test_the_demo_ends_on_the_last_day_whose_office_hours_are_over(
    utc: tuple[int, int, int, int, int], expected: date
) -> None:
    """Run before 18:00 China time, a demo ending today would sign for documents later than the moment it
    runs, which the services refuse (签收时间不能晚于现在)."""
    assert office_today_done(datetime(*utc, tzinfo=UTC)) == expected
