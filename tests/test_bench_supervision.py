"""The 督查督办 bench's data (bench/supervision_data.py) is what the services would have written: the ledger, an
item's window, the notice's sweep, the 工作台 and the acts of the flow all work on generated items, and say
about them what the generated rows say. On every database."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.bootstrap import AppContext
from app.core.roles import Role
from app.core.supervision.classes import SOURCES
from app.core.supervision.flow import CLOSED, FLOW_KEY, HANDLE, REVIEW
from app.core.supervision.notice import ItemFacts, month_period, notice_figures, quarter_period
from app.core.workflow.duties import Rhythm, next_due
from app.db.tables import workflow_duties, workflow_duty_reports, workflow_work_items
from app.demo.generate import generate_demo_data
from app.models import AccountabilityRecord, Unit, User, UserRole, WorkflowInstance
from app.models.supervision import SupervisionItem
from app.services.admin.auth import actor_of
from app.services.kernel.actor import Actor
from app.services.kernel.clock import local_date
from app.services.kernel.settings import work_calendar
from app.services.supervision import detail, ledger, lifecycle, notice
from app.services.supervision.ledger import LedgerFilter
from app.services.workflow import todo
from bench.supervision_data import SWEPT_AFTER_DAYS, generate_supervision

ITEMS = 300
TODAY = date.today()


@pytest.fixture
def bench_ctx(ctx: AppContext) -> AppContext:
    generate_demo_data(ctx, size=0, seed=1)
    with ctx.uow() as uow:
        calendar = work_calendar(uow)
    with ctx.engine.connect() as conn:
        written = generate_supervision(conn, ITEMS, random.Random(7), today=TODAY, calendar=calendar,
                                       log=lambda _line: None)
    assert written["supervision_items"] == ITEMS
    return ctx


def _actor(ctx: AppContext, user_id: int) -> Actor:
    with ctx.uow() as uow:
        user = uow.session.get(User, user_id)
        assert user is not None
        return actor_of(user)


def _with_role(ctx: AppContext, role: Role) -> Actor:
    with ctx.uow() as uow:
        user_id = uow.session.execute(
            select(UserRole.user_id).where(UserRole.role_code == role.value).order_by(UserRole.user_id).limit(1)
        ).scalar_one()
    return _actor(ctx, user_id)


def _items_at(ctx: AppContext, state: str) -> list[tuple[int, int, int | None]]:
    """(item, instance, responsible person) of the generated items at a step."""
    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(SupervisionItem.id, WorkflowInstance.id, WorkflowInstance.responsible_id)
            .join(WorkflowInstance, WorkflowInstance.id == SupervisionItem.instance_id)
            .where(WorkflowInstance.state == state).order_by(SupervisionItem.id)
        ).all()
    return [(int(a), int(b), c) for a, b, c in rows]


def test_generated_items_spread_as_asked(bench_ctx: AppContext) -> None:
    with bench_ctx.uow() as uow:
        states = dict(uow.session.execute(
            select(WorkflowInstance.state, func.count()).where(WorkflowInstance.flow_key == FLOW_KEY)
            .group_by(WorkflowInstance.state)
        ).all())
        leads = uow.session.execute(select(func.count(func.distinct(SupervisionItem.lead_unit_id)))).scalar_one()
        units = uow.session.execute(select(func.count()).select_from(Unit)).scalar_one()
        years = uow.session.execute(select(func.count(func.distinct(SupervisionItem.year)))).scalar_one()
        sources = uow.session.execute(select(func.count(func.distinct(SupervisionItem.source)))).scalar_one()
    assert set(states) >= {"handle", "review", "closed", "cancelled"}, states
    assert states["closed"] > ITEMS / 2 and states["handle"] > 0
    assert units >= 100 and leads > 50
    assert years >= 3 and sources == 5


def test_ledger_reads_generated_items_as_the_rows_say(bench_ctx: AppContext) -> None:
    director = _with_role(bench_ctx, Role.DIRECTOR)
    with bench_ctx.uow() as uow:
        open_items = uow.session.execute(
            select(func.count()).select_from(WorkflowInstance)
            .where(WorkflowInstance.flow_key == FLOW_KEY, WorkflowInstance.closed.is_(False))
        ).scalar_one()
        overdue = uow.session.execute(
            select(func.count()).select_from(SupervisionItem)
            .join(WorkflowInstance, WorkflowInstance.id == SupervisionItem.instance_id)
            .where(WorkflowInstance.closed.is_(False), SupervisionItem.deadline < TODAY)
        ).scalar_one()
        page = ledger.list_items(uow, director, LedgerFilter(), limit=50, today=TODAY)
        late = ledger.list_items(uow, director, LedgerFilter(overdue=True), limit=50, today=TODAY)
    assert page.total == open_items and len(page.rows) == min(50, open_items)
    assert [r.deadline for r in page.rows] == sorted(r.deadline for r in page.rows)
    assert late.total == overdue and all(r.status == "逾期未办结" for r in late.rows)
    # Items with reports show their latest one, as the ledger reads it from the duty's reports.
    assert any(r.latest_report and r.latest_report_on is not None for r in page.rows)
    assert all(r.lead_unit_name and r.responsible_name for r in page.rows)
    # Every order, a page at a time, gives each open item once, in that order (the page's ids are sorted first).
    for order_by in ("deadline", "number", "unit", "priority", "id"):
        for descending in (False, True):
            seen: list[ledger.ItemRow] = []
            with bench_ctx.uow() as uow:
                while len(seen) < open_items:
                    more = ledger.list_items(uow, director, LedgerFilter(), offset=len(seen), limit=40,
                                             order_by=order_by, descending=descending, today=TODAY).rows
                    assert more, (order_by, descending, len(seen))
                    seen += more
            assert len({r.id for r in seen}) == open_items
            if order_by == "deadline":
                keys = [(r.deadline, r.id) for r in seen]
                assert keys == sorted(keys, reverse=descending)


def test_item_window_and_todo_on_generated_items(bench_ctx: AppContext) -> None:
    item_id, instance_id, responsible_id = _items_at(bench_ctx, HANDLE)[0]
    assert responsible_id is not None
    responsible = _actor(bench_ctx, responsible_id)
    with bench_ctx.uow() as uow:
        shown = detail.item_detail(uow, responsible, item_id, today=TODAY)
        duty = uow.execute(select(workflow_duties).where(workflow_duties.c.instance_id == instance_id)).one()
    assert shown.info.state == HANDLE and shown.info.responsible_id == responsible_id
    assert shown.next_report_due == duty.next_due and shown.report_overdue == (duty.next_due < TODAY)
    assert shown.rhythm_text
    # The next report is due a rhythm after the last one (or after 交办), as report_duty sets it.
    with bench_ctx.uow() as uow:
        calendar = work_calendar(uow)
        last = uow.execute(
            select(func.max(workflow_duty_reports.c.reported_on)).where(workflow_duty_reports.c.duty_id == duty.id)
        ).scalar_one()
    assert next_due(Rhythm(duty.rhythm, duty.every), last or duty.starts_on, calendar).date == duty.next_due
    # The 工作台: the responsible person's items at 立项 and 督办落实 are their to-dos.
    with bench_ctx.uow() as uow:
        theirs = uow.session.execute(
            select(func.count()).select_from(WorkflowInstance).where(
                WorkflowInstance.flow_key == FLOW_KEY, WorkflowInstance.responsible_id == responsible_id,
                WorkflowInstance.state.in_(("register", HANDLE)),
            )
        ).scalar_one()
        listed = todo.todo(uow, responsible, today=TODAY)
    # Their items' steps, and the units' missed reports they follow up (催报).
    assert not listed.truncated
    assert listed.total == theirs + sum(1 for i in listed.items if i.kind in (todo.DUTY, todo.FOLLOW))
    assert sum(1 for i in listed.items if i.kind == todo.STEP) == theirs
    assert instance_id in {i.info.id for i in listed.items}


def test_generated_items_move_on_through_the_lifecycle(bench_ctx: AppContext) -> None:
    director = _with_role(bench_ctx, Role.DIRECTOR)
    item_id, _instance, _who = _items_at(bench_ctx, REVIEW)[0]
    with bench_ctx.uow() as uow:
        closed = lifecycle.close_item(uow, director, item_id, "同意销号。", today=TODAY)
    assert closed.state == CLOSED and closed.closed_on == TODAY
    # An item whose lead unit has sent its 办结报告: its responsible person asks for 销号, the director closes it.
    with bench_ctx.uow() as uow:
        ready = uow.execute(
            select(SupervisionItem.id, WorkflowInstance.responsible_id)
            .join(WorkflowInstance, WorkflowInstance.id == SupervisionItem.instance_id)
            .join(workflow_work_items, workflow_work_items.c.instance_id == WorkflowInstance.id)
            .where(WorkflowInstance.state == HANDLE, workflow_work_items.c.lead.is_(True),
                   workflow_work_items.c.state == "reported")
            .order_by(SupervisionItem.id).limit(1)
        ).one()
    with bench_ctx.uow() as uow:
        asked = lifecycle.request_close(uow, _actor(bench_ctx, ready.responsible_id), ready.id, today=TODAY)
    assert asked.state == REVIEW
    with bench_ctx.uow() as uow:
        assert lifecycle.close_item(uow, director, ready.id, today=TODAY).state == CLOSED
        page = ledger.list_items(uow, director, LedgerFilter(box="closed"), order_by="id", descending=True,
                                 limit=200, today=TODAY)
    assert {item_id, ready.id} <= {r.id for r in page.rows}


def test_notice_sweeps_only_what_the_generator_left_unrecorded(bench_ctx: AppContext) -> None:
    director = _with_role(bench_ctx, Role.DIRECTOR)
    with bench_ctx.uow() as uow:
        unrecorded = uow.session.execute(
            select(func.count()).select_from(SupervisionItem)
            .join(WorkflowInstance, WorkflowInstance.id == SupervisionItem.instance_id)
            .where(WorkflowInstance.closed.is_(False), SupervisionItem.deadline < TODAY,
                   SupervisionItem.deadline >= TODAY - timedelta(days=SWEPT_AFTER_DAYS))
        ).scalar_one()
        before = uow.session.execute(select(func.count()).select_from(AccountabilityRecord)).scalar_one()
    quarter = quarter_period(TODAY.year - 1, 4)
    with bench_ctx.uow() as uow:
        first = notice.supervision_notice(uow, director, quarter, today=TODAY)
    with bench_ctx.uow() as uow:
        after = uow.session.execute(select(func.count()).select_from(AccountabilityRecord)).scalar_one()
        second = notice.supervision_notice(uow, director, quarter, today=TODAY)
        again = uow.session.execute(select(func.count()).select_from(AccountabilityRecord)).scalar_one()
    assert after - before == unrecorded
    assert again == after
    assert first.figures == second.figures
    assert first.figures.office.due > 0


def test_notice_reads_only_items_that_count_and_counts_as_over_all(bench_ctx: AppContext) -> None:
    """The notice leaves out items closed before the period that were not due in it: its figures are those of
    every item, for quarters and months over the generated years."""
    director = _with_role(bench_ctx, Role.DIRECTOR)
    with bench_ctx.uow() as uow:
        every = [
            ItemFacts(item_id, title, unit, source, local_date(created), deadline, closed_on)
            for item_id, title, unit, source, created, deadline, closed_on in uow.session.execute(
                select(SupervisionItem.id, SupervisionItem.title, Unit.name, SupervisionItem.source,
                       WorkflowInstance.created_at, SupervisionItem.deadline, SupervisionItem.closed_on)
                .join(WorkflowInstance, WorkflowInstance.id == SupervisionItem.instance_id)
                .join(Unit, Unit.id == SupervisionItem.lead_unit_id)
                .where(SupervisionItem.cancelled.is_(False))
            ).all()
        ]
    periods = [quarter_period(year, q) for year in (TODAY.year - 2, TODAY.year - 1) for q in (1, 2, 3, 4)]
    periods += [month_period(TODAY.year - 1, 6), month_period(TODAY.year, 1)]
    counted: list[int] = []
    for period in periods:
        with bench_ctx.uow() as uow:
            shown = notice.supervision_notice(uow, director, period, today=TODAY)
        opened = [i for i in every if i.opened_on <= period.end]
        assert shown.figures == notice_figures(opened, period, SOURCES), period.label
        counted.append(shown.figures.office.due)
    assert sum(counted) > 0
