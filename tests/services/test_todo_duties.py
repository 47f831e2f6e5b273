"""Recurring reports on the 工作台 (app.services.workflow.todo, kind DUTY): a report that is overdue or due within
3 working days is a to-do of its holder only (the responsible person, or the unit's 联络员), counted under the
tiles as a step's to-do is, marked as what it is; hastened by duties.hasten_duty until the next report, apart
from the step's own 催办; held for a person by their delegate, marked, within the period only. On the 督办 test
flow (tests/helpers/record_features_flow.py), on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.db.tables import workflow_duty_reports
from app.models import Urge
from app.services.kernel.actor import Actor
from app.services.workflow import delegation, duties, todo
from tests.helpers.document_office import TODAY, Office
from tests.helpers.record_features_flow import FLOW_KEY, build, item_at_handle, move

# TODAY is Friday 2026-11-27. The weekly report falls due a week on; the unit's within one working day.
WEEK_ON = date(2026, 12, 4)
NEXT_DAY = date(2026, 11, 30)
# Three working days before the weekly report: due soon. The day after it: overdue.
SOON = date(2026, 12, 2)
LATE = date(2026, 12, 7)
PEOPLE = ("admin", "director", "deputy", "clerk", "clerk2", "petition", "finance", "cashier", "mayor", "vice",
          "liaison_fin", "liaison_edu")


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx)


def mine(office: Office, who: Actor, today: date, **kwargs: object) -> todo.TodoList:
    with office.ctx.uow() as uow:
        return todo.todo(uow, who, today=today, **kwargs)  # type: ignore[arg-type]


def reports(result: todo.TodoList) -> list[tuple[str, str, date | None, str]]:
    return [(i.duty_key, i.duty_label, i.due_date, i.on_behalf_of) for i in result.items if i.kind == todo.DUTY]


def test_a_report_is_a_to_do_once_it_is_due_soon_and_stays_one_when_missed(office: Office) -> None:
    item = item_at_handle(office, title="推进停车场建设")
    # A week off: not yet a to-do. The clerk acts at 承办 as well: that step is her only to-do.
    now = mine(office, office.clerk, TODAY)
    assert reports(now) == [] and [i.kind for i in now.items] == [todo.STEP]
    soon = mine(office, office.clerk, SOON)
    assert reports(soon) == [("progress", "进展汇报 · 每周", WEEK_ON, "")]
    [report] = [i for i in soon.items if i.kind == todo.DUTY]
    # It opens the record it is about, and is due soon, not overdue.
    assert (report.info.id, report.info.title, report.due_soon, report.overdue) == (item, "推进停车场建设", True, False)
    # The unit's own report (due the next working day) is missed by then: the clerk, who answers for the item,
    # follows it up (催报) beside her own report and her step.
    assert [(i.kind, i.duty_key) for i in soon.items if i.kind == todo.FOLLOW] == [(todo.FOLLOW, "unit_report")]
    assert soon.counts.total == now.counts.total + 2 and soon.counts.soon == now.counts.soon + 1
    assert soon.counts_by_flow == {FLOW_KEY: 3}
    late = mine(office, office.clerk, LATE)
    [missed] = [i for i in late.items if i.kind == todo.DUTY]
    assert missed.overdue and not missed.due_soon and late.count_of("overdue") >= 1
    assert [i.duty_key for i in mine(office, office.clerk, LATE, view="overdue").items if i.kind == todo.DUTY] == [
        "progress"]
    assert todo.DUTY not in {i.kind for i in mine(office, office.clerk, LATE, view="soon").items}


def test_the_units_report_is_its_liaisons_to_do(office: Office) -> None:
    item_at_handle(office)
    result = mine(office, office.liaison_fin, TODAY)
    assert reports(result) == [("unit_report", "单位汇报 · 1个工作日内", NEXT_DAY, "")]
    assert (result.counts.total, result.counts.soon, result.counts.overdue) == (1, 1, 0)
    assert result.count_of("all", frozenset({FLOW_KEY})) == 1
    assert result.count_of("all", frozenset({"outgoing_document"})) == 0
    later = mine(office, office.liaison_fin, NEXT_DAY + timedelta(days=1))
    assert (later.counts.total, later.counts.overdue) == (1, 1)


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_holder_has_the_report_on_their_workbench(office: Office, who: str) -> None:
    item_at_handle(office)
    expected = {"clerk": ["progress", "unit_report"][:1], "liaison_fin": ["unit_report"]}.get(who, [])
    assert [key for key, *_ in reports(mine(office, office.people[who], LATE))] == expected
    # And every one shown is one they may report (the same rule as duties.report_duty).
    with office.ctx.uow() as uow:
        for entry in mine(office, office.people[who], LATE).items:
            if entry.kind == todo.DUTY:
                [duty] = [d for d in duties.duties_of(uow, office.people[who], entry.info.id, LATE)
                          if d.key == entry.duty_key]
                assert duty.may_report


def test_a_report_made_or_a_duty_stopped_leaves_the_workbench(office: Office) -> None:
    item = item_at_handle(office)
    office.run(duties.report_duty, office.clerk, item, "progress", "已完成选址", LATE)
    assert reports(mine(office, office.clerk, LATE)) == []
    # Leaving 承办 stops the weekly report; the unit's runs on until the review is done.
    move(office, "clerk", item, "report_done", today=LATE)
    assert reports(mine(office, office.clerk, LATE + timedelta(days=14))) == []
    assert [key for key, *_ in reports(mine(office, office.liaison_fin, LATE))] == ["unit_report"]
    move(office, "director", item, "approve", today=LATE)
    assert reports(mine(office, office.liaison_fin, LATE)) == []


def test_a_hastened_report_counts_under_urged_apart_from_the_step(office: Office) -> None:
    item = item_at_handle(office)
    before = mine(office, office.clerk, LATE)
    assert before.counts.urged == 0
    office.run(duties.hasten_duty, office.director, item, "progress", "电话", "请周五前报送", LATE)
    after = mine(office, office.clerk, LATE)
    assert after.counts.urged == 1 and after.counts.total == before.counts.total
    [report] = [i for i in after.items if i.kind == todo.DUTY]
    assert report.urge is not None and (report.urge.by_name, report.urge.method) == ("王主任", "电话")
    assert report.urge.note.endswith("请周五前报送")
    # The step the clerk holds on the same record was not hastened.
    [step] = [i for i in after.items if i.kind == todo.STEP]
    assert step.urge is None
    assert [(i.kind, i.duty_key) for i in mine(office, office.clerk, LATE, view="urged").items] == [
        (todo.DUTY, "progress")]
    # Nobody else's 催办 tile moves.
    assert mine(office, office.clerk2, LATE).counts.urged == 0
    # The next report answers the 催办.
    office.run(duties.report_duty, office.clerk, item, "progress", "已补报", LATE)
    assert mine(office, office.clerk, LATE).counts.urged == 0


def test_a_step_urge_does_not_hasten_the_report(office: Office) -> None:
    item = item_at_handle(office)
    # A 催办 of the step (the step has no time limit here: recorded as an urgent item's would be).
    with office.ctx.uow() as uow:
        uow.session.add(Urge(instance_id=item, by_id=office.director.id, by_name="王主任", method="电话",
                             note="请加快办理", aimed_at_id=office.clerk.id))
        uow.commit()
    result = mine(office, office.clerk, LATE)
    assert result.counts.urged == 1
    [report] = [i for i in result.items if i.kind == todo.DUTY]
    [step] = [i for i in result.items if i.kind == todo.STEP]
    assert report.urge is None and step.urge is not None and step.urge.note == "请加快办理"


def test_a_delegate_holds_the_report_marked_and_reports_it_within_the_period(office: Office) -> None:
    item = item_at_handle(office)
    office.run(delegation.delegate, office.liaison_fin, delegate_id=office.clerk2.id, starts_on=TODAY,
               ends_on=NEXT_DAY, reason="外出培训", today=TODAY)
    held = mine(office, office.clerk2, TODAY)
    assert reports(held) == [("unit_report", "单位汇报 · 1个工作日内", NEXT_DAY, "吴联络")]
    # Her own 承办 step, and the report she holds for the 联络员.
    assert (held.counts.total, held.counts.soon) == (2, 1)
    # After the period: neither on the 工作台 nor reportable.
    after = NEXT_DAY + timedelta(days=1)
    assert reports(mine(office, office.clerk2, after)) == []
    with pytest.raises(PermissionDenied, match="由承办单位联络员"):
        office.run(duties.report_duty, office.clerk2, item, "unit_report", "资金已拨付", after)
    shown = office.run(duties.report_duty, office.clerk2, item, "unit_report", "资金已拨付", NEXT_DAY)
    assert shown.reports[0].by_name == "赵文秘"
    with office.ctx.uow() as uow:
        behalf = uow.execute(select(workflow_duty_reports.c.on_behalf_of_id)).scalar_one()
    assert behalf == office.liaison_fin.id
    # Reported: the next one, a working day on, is what the delegate holds now.
    assert reports(mine(office, office.clerk2, NEXT_DAY)) == [
        ("unit_report", "单位汇报 · 1个工作日内", date(2026, 12, 1), "吴联络")]


def test_the_counts_come_from_count_queries_past_the_lists_limit(office: Office) -> None:
    for n in range(3):
        item_at_handle(office, title=f"督办事项{n}")
    result = mine(office, office.liaison_fin, TODAY, limit=2)
    assert len(result.items) == 2 and result.total == 3 and result.truncated
    assert result.counts.soon == 3


def test_the_reports_are_read_without_the_orm(office: Office) -> None:
    """The 工作台 runs at every start: a liaison's owed and hastened report, and a delegate's, are read with
    neither SQLAlchemy's ORM nor the mapped classes loaded. A fresh process, since this one loaded them long ago."""
    import subprocess
    import sys

    started = date.today() - timedelta(days=14)
    item = item_at_handle(office, today=started)
    office.run(duties.hasten_duty, office.director, item, "unit_report", "电话", "", date.today())
    script = (
        "import sys\n"
        "from app.bootstrap import bootstrap, load_database_layer\n"
        "load_database_layer()\n"
        "from app.services.workflow import todo\n"
        "from app.services.kernel.actor import Actor\n"
        "ctx = bootstrap(sys.argv[1])\n"
        "counts = []\n"
        "for actor in (Actor(*eval(sys.argv[2])), Actor(*eval(sys.argv[3]))):\n"
        "    with ctx.uow() as uow:\n"
        "        result = todo.todo(uow, actor)\n"
        "        urged = todo.todo(uow, actor, view='urged')\n"
        "    counts += [sum(i.kind == 'duty' for i in result.items), sum(i.urge is not None for i in urged.items)]\n"
        "loaded = sorted(m for m in ('sqlalchemy.orm', 'app.models') if m in sys.modules)\n"
        "print(*counts, 'loaded:', *loaded)\n"
    )
    people = [repr((p.id, p.username, p.full_name, frozenset(p.roles), p.unit_id)) for p in (
        office.liaison_fin, office.clerk)]
    done = subprocess.run(
        [sys.executable, "-c", script, office.ctx.url.render_as_string(hide_password=False), *people],
        capture_output=True, text=True, check=True,
    )
    # The liaison: her report, hastened; the clerk: the weekly report, not hastened.
    assert done.stdout.split() == ["1", "1", "1", "0", "loaded:"]
