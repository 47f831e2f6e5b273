"""Demo data on every database, and the bench generator on SQLite."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext, bootstrap
from app.core.calendar import WorkCalendar
from app.core.errors import ValidationError
from app.core.roles import Role
from app.core.workflow import DEFAULT_FLOWS
from app.models import Unit, User, UserRole, WorkflowHistory, WorkflowInstance
from app.services import admin, auth
from app.services.audit import verify_chain
from app.services.demo import DEMO_PASSWORD, SECTIONS, DemoSummary, generate_demo_data
from app.services.settings import get_setting
from tests.databases import SqliteTemplate

# A fixed day, so which records are overdue or due soon does not depend on when the tests run.
TODAY = date(2026, 11, 27)


def test_demo_data_on_every_database(ctx: AppContext) -> None:
    """One generation per backend (it takes a few seconds on a server), checked area by area."""
    demo = generate_demo_data(ctx, size=60, today=TODAY)
    check_people(ctx, demo)
    check_units(ctx, demo)
    check_settings(ctx)
    check_records(ctx, demo)
    check_due_dates(ctx)
    with ctx.uow() as uow:
        report = verify_chain(uow.session)
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
    assert len(instances) == 60 == demo.total_instances
    seen = {(i.flow_key, i.state) for i in instances}
    wanted = {(key, step.key) for key, flow in DEFAULT_FLOWS.items() for step in flow.steps}
    assert wanted <= seen, f"no record in {sorted(wanted - seen)}"
    for instance in instances:
        final = DEFAULT_FLOWS[instance.flow_key].step(instance.state).final
        assert instance.closed == final
        assert (instance.due_date is None) == final
        # The history is the real one: its last move ends where the record stands.
        assert last_moves[instance.id] == instance.state
        assert instance.created_at <= instance.entered_at
        assert instance.title


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
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        context = bootstrap(sqlite_template.fresh(folder))
        try:
            summaries.append(generate_demo_data(context, size=0, seed=7))
        finally:
            context.dispose()
    assert summaries[0].accounts == summaries[1].accounts
    assert summaries[0].instances == {}


def test_the_bench_generator_builds_the_expected_counts(tmp_path: Path) -> None:
    from app.db.engine import make_engine
    from bench.generate import build_bench_database, table_counts

    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    build_bench_database(url, documents=500, seed=3, log=lambda line: None)
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
    finally:
        engine.dispose()
    assert by_type == {"document": 500, "claim": 150}
    assert counts["workflow_instances"] == 650
    assert 650 * 2 <= counts["workflow_history"] <= 650 * 3
    assert counts["users"] >= 30 and counts["units"] >= 40
    assert orphans == 0
    assert {"outgoing_document", "incoming_document", "reimbursement"} == {key for key, _ in states}
