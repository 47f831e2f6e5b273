"""The 信访 bench's data (bench/petitions_data.py) is what the services would have written: the lists, a case's
reading, the repeat check and the acts of the flow all work on generated cases and say about them what the
generated rows say, on every database; and the bench itself runs end to end at a tiny size."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.bootstrap import AppContext
from app.core.ids import is_valid_id_number
from app.core.petitions.flow import (
    APPROVE,
    CONCLUDED,
    FLOW_KEY,
    FORWARDED,
    HANDLE,
    NOT_ACCEPTED,
    REGISTER,
    REPLIED,
    REVIEW_FLOW_KEY,
)
from app.core.petitions.terms import CHANNELS, LEADER_RECEPTION, RE_REVIEW, REVIEW
from app.core.roles import Role
from app.db.tables import record_links
from app.demo.generate import generate_demo_data
from app.demo.petitions_material import HOT_CATEGORIES
from app.models import User, UserRole, WorkflowInstance
from app.models.petitions import Petition
from app.services.admin.auth import actor_of
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.petitions import listing, records, repeats
from app.services.petitions.listing import PetitionFilter
from bench.petitions_data import generate_petitions

CASES = 400
# A fixed day, so the generated story (and what is open, due or overdue) is the same on every run.
TODAY = date(2026, 11, 27)


@pytest.fixture
def bench_ctx(ctx: AppContext) -> AppContext:
    generate_demo_data(ctx, size=0, seed=1)
    with ctx.uow() as uow:
        calendar = work_calendar(uow)
    with ctx.engine.connect() as conn:
        written = generate_petitions(conn, CASES, random.Random(7), today=TODAY, calendar=calendar,
                                     log=lambda _line: None)
    assert written["petitions"] >= CASES
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


def test_generated_cases_spread_as_a_county_sees_them(bench_ctx: AppContext) -> None:
    with bench_ctx.uow() as uow:
        states = dict(uow.session.execute(
            select(WorkflowInstance.state, func.count()).where(WorkflowInstance.flow_key == FLOW_KEY)
            .group_by(WorkflowInstance.state)
        ).all())
        rows = uow.session.execute(select(Petition).options(selectinload(Petition.representatives))).scalars().all()
        links = Counter(uow.execute(select(record_links.c.kind)).scalars())
        uow.session.expunge_all()
    assert set(states) == {REGISTER, HANDLE, APPROVE, REPLIED, CONCLUDED, FORWARDED, NOT_ACCEPTED}, states
    assert states[CONCLUDED] > CASES / 2
    firsts = [p for p in rows if p.stage == "initial"]
    assert len(firsts) == CASES
    categories = Counter(p.category for p in firsts)
    assert {c for c, _n in categories.most_common(2)} == set(HOT_CATEGORIES)
    assert {p.channel for p in firsts} == set(CHANNELS)
    leader_days = [p for p in firsts if p.channel_detail == LEADER_RECEPTION]
    assert leader_days and all(p.received_on.weekday() == 0 and p.reception_leader for p in leader_days)
    assert all(is_valid_id_number(p.id_number, today=TODAY) for p in rows if p.id_number)
    assert all(p.id_number or p.phone for p in rows)
    assert any(p.people_count > 1 and p.representatives for p in firsts)
    # Repeats are flagged and linked to the earlier case, as registration does.
    flagged = [p for p in firsts if p.is_repeat]
    assert flagged and links["repeat"] == len(flagged)
    # 复查 of answered cases, and 复核 of 复查, linked to what they review.
    reviews = [p for p in rows if p.stage == REVIEW]
    by_id = {p.id: p for p in rows}
    assert reviews and links["review"] == len(reviews)
    assert all(by_id[p.reviews_id].replied_on is not None and by_id[p.reviews_id].replied_on <= p.received_on
               for p in reviews if p.reviews_id is not None)
    assert links["re_review"] == sum(1 for p in rows if p.stage == RE_REVIEW)
    # Numbers per stage and year, in the order received.
    for stage in ("initial", REVIEW):
        ours = sorted((p for p in rows if p.stage == stage), key=lambda p: p.id)
        for year in {p.year for p in ours}:
            seqs = [p.seq for p in ours if p.year == year]
            assert seqs == list(range(1, len(seqs) + 1))


def test_lists_read_generated_cases_as_the_rows_say(bench_ctx: AppContext) -> None:
    officer = _with_role(bench_ctx, Role.PETITION_OFFICER)
    mayor = _with_role(bench_ctx, Role.COUNTY_LEADER)
    with bench_ctx.uow() as uow:
        every = uow.session.execute(select(func.count()).select_from(Petition)).scalar_one()
        open_cases = uow.session.execute(
            select(func.count()).select_from(WorkflowInstance)
            .where(WorkflowInstance.entity_type == "petition", WorkflowInstance.closed.is_(False))
        ).scalar_one()
        mine = uow.session.execute(
            select(func.count()).select_from(WorkflowInstance)
            .where(WorkflowInstance.entity_type == "petition", WorkflowInstance.closed.is_(False),
                   WorkflowInstance.responsible_id == officer.id)
        ).scalar_one()
    with bench_ctx.uow() as uow:
        page = listing.list_petitions(uow, officer, PetitionFilter(box="all"), limit=50, today=TODAY)
        masked = listing.list_petitions(uow, mayor, PetitionFilter(box="all"), limit=50, today=TODAY)
        opened = listing.list_petitions(uow, officer, PetitionFilter(box="open"), limit=50, today=TODAY)
        own = listing.list_petitions(uow, officer, PetitionFilter(box="mine"), limit=50, today=TODAY)
        due = listing.list_petitions(uow, officer, PetitionFilter(box="due"), limit=50, today=TODAY)
    assert page.total == masked.total == every and len(page.rows) == 50
    assert [r.received_on for r in page.rows] == sorted((r.received_on for r in page.rows), reverse=True)
    assert opened.total == open_cases and all(not r.closed for r in opened.rows)
    assert own.total == mine > 0
    assert due.total > 0 and all(r.due_date is not None for r in due.rows)
    assert [r.due_date for r in due.rows] == sorted(r.due_date for r in due.rows if r.due_date is not None)
    assert all(r.id_number == "" or "*" in r.id_number for r in masked.rows)
    assert any(r.id_number and "*" not in r.id_number for r in page.rows)


def test_repeat_check_and_history_find_a_returning_petitioner(bench_ctx: AppContext) -> None:
    officer = _with_role(bench_ctx, Role.PETITION_OFFICER)
    with bench_ctx.uow() as uow:
        repeat_id = uow.session.execute(
            select(Petition.id).where(Petition.is_repeat.is_(True), Petition.id_number != "").order_by(Petition.id)
            .limit(1)
        ).scalar_one()
        back = uow.session.get(Petition, repeat_id)
        assert back is not None
        earlier = set(uow.execute(
            select(record_links.c.source_id).where(record_links.c.kind == "repeat",
                                                   record_links.c.target_id == repeat_id)
        ).scalars())
        data = records.PetitionInput(
            channel="来信", received_on=TODAY, name=back.name, id_number=back.id_number, phone=back.phone,
            address=back.address, request=back.request, category=back.category, place=back.place,
        )
    with bench_ctx.uow() as uow:
        found = repeats.check_repeats(uow, officer, data, today=TODAY)
        history = repeats.petitioner_history(uow, officer, repeat_id)
    found_ids = {c.petition_id for c in found}
    assert earlier | {repeat_id} <= found_ids
    assert {repeat_id} | earlier <= {h.petition_id for h in history}
    assert all("身份证号相同" in c.reasons for c in found if c.petition_id in earlier | {repeat_id})


def test_a_generated_case_reads_as_the_rows_say(bench_ctx: AppContext) -> None:
    with bench_ctx.uow() as uow:
        petition_id, instance_id, responsible_id, unit_id = uow.session.execute(
            select(Petition.id, WorkflowInstance.id, WorkflowInstance.responsible_id, Petition.handling_unit_id)
            .join(WorkflowInstance, WorkflowInstance.id == Petition.instance_id)
            .where(WorkflowInstance.state == HANDLE, Petition.handling_unit_id.is_not(None))
            .order_by(Petition.id).limit(1)
        ).one()
        liaison_id = uow.session.execute(
            select(User.id).join(UserRole, UserRole.user_id == User.id)
            .where(User.unit_id == unit_id, UserRole.role_code == Role.LIAISON.value).limit(1)
        ).scalar_one_or_none()
    responsible = _actor(bench_ctx, responsible_id)
    with bench_ctx.uow() as uow:
        info = records.get_petition(uow, responsible, petition_id)
    assert info.state == HANDLE and info.instance_id == instance_id and info.responsible_id == responsible_id
    assert info.handling_unit_id == unit_id and not info.masked
    if liaison_id is not None:
        with bench_ctx.uow() as uow:
            seen = records.get_petition(uow, _actor(bench_ctx, liaison_id), petition_id)
        assert seen.masked and seen.id == petition_id


def test_generated_reviews_are_in_their_own_flow(bench_ctx: AppContext) -> None:
    with bench_ctx.uow() as uow:
        flows = set(uow.session.execute(
            select(WorkflowInstance.flow_key).join(Petition, Petition.instance_id == WorkflowInstance.id)
            .where(Petition.stage != "initial")
        ).scalars())
    assert flows == {REVIEW_FLOW_KEY}


def test_the_bench_runs_at_a_tiny_size(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import petitions

    # SQLite only: the servers' bench databases are for real runs.
    monkeypatch.delenv("GOVDESK_TEST_DATABASES", raising=False)
    path = tmp_path / "petitions.sqlite3"
    assert petitions.main(["--sqlite", str(path), "--cases", "150", "--repetitions", "2", "--warmups", "0"]) == 0
    out = capsys.readouterr().out
    assert "== SQLite: 150 信访件" in out
    assert "check_repeats" in out and "全部在办" in out
