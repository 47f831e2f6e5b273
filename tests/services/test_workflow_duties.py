"""Recurring duties (app.services.workflow.duties): started and stopped by the record's moves, reported by their
holder on a rhythm chosen per record, overdue when missed, listed for the 工作台 and hastened at the holder. On
the test flow stored as an edited flow, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.calendar import WorkCalendar
from app.core.errors import PermissionDenied, ValidationError, WorkflowError
from app.db.tables import workflow_duties
from app.models import Urge
from app.services.workflow import duties, responsibility
from tests.helpers.document_office import TODAY, Office, counts
from tests.helpers.record_features_flow import build, item_at_handle, move, start_item

CALENDAR = WorkCalendar()
# TODAY (Friday 2026-11-27) + 7 days; and the next working day, Monday.
WEEK_ON = date(2026, 12, 4)
NEXT_DAY = date(2026, 11, 30)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build(ctx)


def _duty(o: Office, who: str, item: int, key: str, today: date = TODAY) -> duties.DutyInfo:
    return next(d for d in o.run(duties.duties_of, o.people[who], item, today) if d.key == key)


def test_duties_start_on_entering_their_step_with_the_flows_rhythm(office: Office) -> None:
    item = start_item(office)
    assert [(d.key, d.active) for d in office.run(duties.duties_of, office.clerk, item)] == [
        ("progress", False), ("unit_report", False)]
    move(office, "clerk", item, "submit")
    progress, unit = office.run(duties.duties_of, office.clerk, item, TODAY)
    assert (progress.active, progress.next_due, progress.rhythm.describe(), progress.holder_name) == (
        True, WEEK_ON, "每周", "张文秘")
    assert (unit.active, unit.next_due, unit.rhythm.describe(), unit.holder_name) == (
        True, NEXT_DAY, "1个工作日内", "吴联络")
    assert progress.may_report and not unit.may_report
    assert _duty(office, "liaison_fin", item, "unit_report").may_report


def test_the_holder_reports_and_the_next_report_falls_due_a_rhythm_later(office: Office) -> None:
    item = item_at_handle(office)
    day = TODAY + timedelta(days=3)
    before = counts(office.ctx)
    shown = office.run(duties.report_duty, office.clerk, item, "progress", "  已完成选址和立项。 ", day)
    assert shown.next_due == CALENDAR.add_days(day, 7).date
    [report] = shown.reports
    assert (report.due_date, report.reported_on, report.text, report.by_name) == (WEEK_ON, day, "已完成选址和立项。",
                                                                                "张文秘")
    assert counts(office.ctx)[1:] == (before[1] + 1, before[2] + 1)
    unit = office.run(duties.report_duty, office.liaison_fin, item, "unit_report", "资金已拨付。", NEXT_DAY)
    assert unit.next_due == CALENDAR.add_workdays(NEXT_DAY, 1).date


@pytest.mark.parametrize(("who", "key", "words"), [
    ("clerk2", "progress", "“进展汇报”由责任人（张文秘）汇报"),
    ("director", "progress", "由责任人（张文秘）汇报"),
    ("liaison_fin", "progress", "由责任人（张文秘）汇报"),
    ("clerk", "unit_report", "“单位汇报”由承办单位联络员（吴联络）汇报"),
])
def test_nobody_but_the_holder_reports(office: Office, who: str, key: str, words: str) -> None:
    item = item_at_handle(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match=words):
        office.run(duties.report_duty, office.people[who], item, key, "汇报", TODAY)
    assert counts(office.ctx) == before
    # Another unit's 联络员 may not even see the record.
    with pytest.raises(PermissionDenied, match="不在您可以查看的范围内"):
        office.run(duties.report_duty, office.liaison_edu, item, "unit_report", "汇报", TODAY)


def test_a_hand_over_hands_the_duty_on(office: Office) -> None:
    item = item_at_handle(office)
    office.run(responsibility.hand_over, office.director, item, to_user_id=office.clerk2.id, reason="工作调整")
    office.run(duties.report_duty, office.clerk2, item, "progress", "已接手，正在推进。", TODAY)
    with pytest.raises(PermissionDenied, match="赵文秘"):
        office.run(duties.report_duty, office.clerk, item, "progress", "汇报", TODAY)


@pytest.mark.parametrize(("text", "words"), [("  ", "请填写汇报内容"), ("汇" * 2001, "不能超过2000个字")])
def test_an_empty_or_long_report_is_refused(office: Office, text: str, words: str) -> None:
    item = item_at_handle(office)
    with pytest.raises(ValidationError, match=words):
        office.run(duties.report_duty, office.clerk, item, "progress", text, TODAY)


def test_a_duty_stops_on_leaving_its_last_step_and_starts_again_on_return(office: Office) -> None:
    item = item_at_handle(office)
    # No work items were sent: the move waits for nothing.
    move(office, "director", item, "lead_done")
    progress = _duty(office, "clerk", item, "progress")
    assert not progress.active and progress.next_due is None
    assert _duty(office, "clerk", item, "unit_report").active
    with pytest.raises(WorkflowError, match="“进展汇报”在当前环节不需要汇报"):
        office.run(duties.report_duty, office.clerk, item, "progress", "汇报", TODAY)
    later = TODAY + timedelta(days=10)
    move(office, "director", item, "return", "请补充佐证材料", today=later)
    assert _duty(office, "clerk", item, "progress", later).next_due == CALENDAR.add_days(later, 7).date
    assert _duty(office, "clerk", item, "unit_report", later).next_due == CALENDAR.add_workdays(later, 1).date
    move(office, "director", item, "lead_done", today=later)
    move(office, "director", item, "approve", today=later)
    assert not any(d.active for d in office.run(duties.duties_of, office.clerk, item, later))
    with pytest.raises(WorkflowError, match="已办结"):
        office.run(duties.report_duty, office.liaison_fin, item, "unit_report", "汇报", later)


@pytest.mark.parametrize("who", ["clerk", "director", "deputy"])
def test_the_responsible_person_or_a_head_sets_a_records_rhythm(office: Office, who: str) -> None:
    item = item_at_handle(office)
    shown = office.run(duties.set_rhythm, office.people[who], item, "progress", "monthly", 1, TODAY)
    assert (shown.rhythm.describe(), shown.next_due) == ("每月", date(2026, 12, 28))
    # The rhythm counts from the last report.
    office.run(duties.report_duty, office.clerk, item, "progress", "进展顺利", date(2026, 12, 1))
    shown = office.run(duties.set_rhythm, office.people[who], item, "progress", "workdays", 3, TODAY)
    assert shown.next_due == CALENDAR.add_workdays(date(2026, 12, 1), 3).date


def test_an_item_is_classed_at_registration_and_its_duty_starts_with_that_rhythm(office: Office) -> None:
    item = start_item(office)
    before = office.run(duties.set_rhythm, office.director, item, "progress", "workdays", 1, TODAY)
    assert (before.active, before.next_due, before.rhythm.describe()) == (False, None, "1个工作日内")
    office.run(duties.set_rhythm, office.director, item, "progress", "workdays", 2, TODAY)
    move(office, "clerk", item, "submit")
    started = _duty(office, "clerk", item, "progress")
    assert (started.active, started.next_due) == (True, CALENDAR.add_workdays(TODAY, 2).date)


def test_a_closed_items_rhythm_is_not_set(office: Office) -> None:
    item = item_at_handle(office)
    move(office, "director", item, "lead_done")
    move(office, "director", item, "approve")
    assert not _duty(office, "director", item, "progress").may_set_rhythm
    with pytest.raises(WorkflowError, match="已办结，不能再设置汇报周期"):
        office.run(duties.set_rhythm, office.director, item, "progress", "monthly", 1, TODAY)


@pytest.mark.parametrize("who", ["clerk2", "petition", "mayor", "liaison_fin", "admin"])
def test_nobody_else_sets_the_rhythm(office: Office, who: str) -> None:
    item = item_at_handle(office)
    with pytest.raises(PermissionDenied, match="只有本事项的责任人或办公室主任、副主任可以设置汇报周期"):
        office.run(duties.set_rhythm, office.people[who], item, "progress", "monthly", 1, TODAY)


@pytest.mark.parametrize(("kind", "every", "words"), [("daily", 1, "只能是每周、每月"), ("monthly", 9, "1至6")])
def test_a_bad_rhythm_is_refused(office: Office, kind: str, every: int, words: str) -> None:
    item = item_at_handle(office)
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=words):
        office.run(duties.set_rhythm, office.director, item, "progress", kind, every, TODAY)
    assert counts(office.ctx) == before


def test_the_workbench_lists_overdue_and_due_soon_reports_of_their_holder(office: Office) -> None:
    item = item_at_handle(office, title="推进停车场建设")
    # Due in a week: not yet due soon for the responsible person; the unit's report is due on Monday.
    assert office.run(duties.duties_due, office.clerk, TODAY) == []
    [unit] = office.run(duties.duties_due, office.liaison_fin, TODAY)
    assert (unit.title, unit.label, unit.next_due, unit.overdue) == ("推进停车场建设", "单位汇报", NEXT_DAY, False)
    assert office.run(duties.duties_due, office.liaison_edu, TODAY) == []
    late = WEEK_ON + timedelta(days=1)
    [overdue] = [d for d in office.run(duties.duties_due, office.clerk, late) if d.key == "progress"]
    assert overdue.overdue and overdue.next_due == WEEK_ON
    assert office.run(duties.duties_due, office.director, late) == []
    office.run(duties.report_duty, office.clerk, item, "progress", "已补报", late)
    assert office.run(duties.duties_due, office.clerk, late) == []


def test_a_missed_report_is_hastened_at_its_holder(office: Office) -> None:
    item = item_at_handle(office)
    late = WEEK_ON + timedelta(days=3)
    urge_id = office.run(duties.hasten_duty, office.director, item, "progress", "电话", "请周五前报送", late)
    unit_urge = office.run(duties.hasten_duty, office.deputy, item, "unit_report", "短信", "", late)
    with office.ctx.uow() as uow:
        urge = uow.session.get(Urge, urge_id)
        by_unit = uow.session.get(Urge, unit_urge)
        assert urge is not None and by_unit is not None
        assert urge.aimed_at_id == office.clerk.id
        assert urge.note.startswith("“进展汇报”应于2026年12月4日前汇报，已逾期") and urge.note.endswith("请周五前报送")
        # The unit has one 联络员: the 催办 reaches her.
        assert by_unit.aimed_at_id == office.liaison_fin.id


def test_a_report_not_yet_due_or_by_the_wrong_person_is_not_hastened(office: Office) -> None:
    item = item_at_handle(office)
    with pytest.raises(ValidationError, match="尚未逾期"):
        office.run(duties.hasten_duty, office.director, item, "progress", "电话", "", TODAY)
    late = WEEK_ON + timedelta(days=3)
    for who in ("liaison_fin", "finance", "admin"):
        with pytest.raises(PermissionDenied, match="可以催办"):
            office.run(duties.hasten_duty, office.people[who], item, "progress", "电话", "", late)
    with pytest.raises(ValidationError, match="催办方式"):
        office.run(duties.hasten_duty, office.director, item, "progress", "飞鸽", "", late)
    with office.ctx.uow() as uow:
        assert uow.execute(select(Urge.id)).first() is None


def test_a_flow_without_duties_starts_none(office: Office) -> None:
    with office.ctx.uow() as uow:
        from app.services.workflow import moves

        instance = moves.start(uow, office.clerk, flow_key="outgoing_document", entity_type="task", title="事项")
        uow.commit()
        assert uow.execute(select(workflow_duties).where(workflow_duties.c.instance_id == instance.id)).first() is None
