"""The rhythm of a 督办事项's progress reports (its 督办类别: 重点 weekly, 马上 within 1 working day, 定期 monthly),
across the 2026 calendar's 调休 (2/14, 2/28 and 10/10 are make-up working days; 10/1–10/7 are off) and into a
year whose holidays are not yet published (2027: due dates provisional); a missed report is overdue and hastened
at the lead unit's 联络员. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied, ValidationError
from app.models import Urge
from app.services.supervision import items, lifecycle
from app.services.workflow import duties
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.supervision_office import assigned_item, info, item_input, progress_duty


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


@pytest.mark.parametrize(("priority", "assigned_on", "due", "described"), [
    # 重点: a week on is 10/1, a holiday: the first working day after the 国庆 break.
    ("重点督办", date(2026, 9, 24), date(2026, 10, 8), "每周"),
    # 马上: the next working day is the make-up Saturday.
    ("马上督办", date(2026, 2, 13), date(2026, 2, 14), "1个工作日内"),
    ("马上督办", date(2026, 10, 9), date(2026, 10, 10), "1个工作日内"),
    ("马上督办", date(2026, 9, 30), date(2026, 10, 8), "1个工作日内"),
    # 定期: a month after 1/31 is 2/28, a make-up Saturday, so it stays.
    ("定期督办", date(2026, 1, 31), date(2026, 2, 28), "每月"),
    ("定期督办", date(2026, 3, 31), date(2026, 4, 30), "每月"),
])
def test_each_class_sets_the_first_reports_due_date(
    office: Office, priority: str, assigned_on: date, due: date, described: str,
) -> None:
    item = assigned_item(office, today=assigned_on, priority=priority, deadline=date(2026, 12, 31))
    duty = progress_duty(office, item, assigned_on)
    assert (duty.active, duty.next_due, duty.next_due_provisional, duty.rhythm.describe()) == (
        True, due, False, described)
    assert (duty.holder_name, duty.overdue) == ("吴联络", False)


@pytest.mark.parametrize(("priority", "assigned_on", "due"), [
    ("重点督办", date(2026, 12, 28), date(2027, 1, 4)),
    # Without a published calendar, 元旦 is still a holiday.
    ("马上督办", date(2026, 12, 31), date(2027, 1, 4)),
    ("定期督办", date(2026, 12, 15), date(2027, 1, 15)),
])
def test_a_due_date_in_an_unpublished_year_is_provisional(
    office: Office, priority: str, assigned_on: date, due: date,
) -> None:
    item = assigned_item(office, today=assigned_on, priority=priority, deadline=date(2027, 6, 30))
    duty = progress_duty(office, item, assigned_on)
    assert (duty.next_due, duty.next_due_provisional) == (due, True)


def test_each_report_sets_the_next_due_date_a_rhythm_later(office: Office) -> None:
    item = assigned_item(office, today=date(2026, 9, 21), priority="马上督办", deadline=date(2026, 12, 31))
    # Reported on the last day before the 国庆 break: the next is due after it.
    shown = office.run(lifecycle.report_progress, office.liaison_fin, item, "已开工", today=date(2026, 9, 30))
    assert shown.state == "handle"
    duty = progress_duty(office, item, date(2026, 9, 30))
    assert (duty.next_due, duty.overdue) == (date(2026, 10, 8), False)
    [report] = duty.reports
    assert (report.due_date, report.reported_on, report.text, report.by_name) == (
        date(2026, 9, 22), date(2026, 9, 30), "已开工", "吴联络")
    office.run(lifecycle.report_progress, office.liaison_fin, item, "主体完工", today=date(2026, 10, 9))
    assert progress_duty(office, item, date(2026, 10, 9)).next_due == date(2026, 10, 10)


def test_a_missed_report_is_overdue_and_hastened_at_the_lead_units_liaison(office: Office) -> None:
    assigned_on = date(2026, 11, 2)
    item = assigned_item(office, today=assigned_on, priority="重点督办", deadline=date(2026, 12, 31))
    instance = info(office, item).instance_id
    due = date(2026, 11, 9)
    assert progress_duty(office, item, due).overdue is False
    late = due + timedelta(days=1)
    duty = progress_duty(office, item, late)
    assert (duty.overdue, duty.next_due) == (True, due)
    [owed] = office.run(duties.duties_due, office.liaison_fin, late)
    assert (owed.instance_id, owed.label, owed.overdue) == (instance, "进展报告", True)
    assert office.run(duties.duties_due, office.liaison_edu, late) == []
    # Not yet due: nothing to hasten; and a 联络员 hastens nobody.
    with pytest.raises(ValidationError, match="尚未逾期"):
        office.run(duties.hasten_duty, office.clerk, instance, "progress", "电话", "", due)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        office.run(duties.hasten_duty, office.liaison_edu, instance, "progress", "电话", "", late)
    assert counts(office.ctx) == before
    urge_id = office.run(duties.hasten_duty, office.clerk, instance, "progress", "电话", "请今天报送", late)
    with office.ctx.uow() as uow:
        urge = uow.session.get(Urge, urge_id)
        assert urge is not None
        assert urge.aimed_at_id == office.liaison_fin.id
        assert urge.note.startswith("“进展报告”应于2026年11月9日前汇报，已逾期")
    # Reported late: no longer overdue, the next a week from the report.
    office.run(lifecycle.report_progress, office.liaison_fin, item, "已补报", today=late)
    duty = progress_duty(office, item, late)
    assert (duty.overdue, duty.next_due) == (False, date(2026, 11, 17))


def test_changing_the_class_changes_the_rhythm(office: Office) -> None:
    assigned_on = date(2026, 11, 2)
    item = assigned_item(office, today=assigned_on, priority="重点督办", deadline=date(2026, 12, 31))
    office.run(items.update_item, office.director, item,
               item_input(office, priority="定期督办", deadline=date(2026, 12, 31)), today=date(2026, 11, 4))
    duty = progress_duty(office, item, date(2026, 11, 4))
    assert (duty.rhythm.describe(), duty.next_due) == ("每月", date(2026, 12, 2))


def test_the_reports_stop_at_review_and_start_again_on_return(office: Office) -> None:
    item = assigned_item(office, today=date(2026, 11, 2), priority="重点督办", deadline=date(2026, 12, 31))
    office.run(lifecycle.report_task, office.liaison_fin, item, "已办结", [("验收.pdf", b"%PDF-1.4")],
               completion=True)
    office.run(lifecycle.request_close, office.clerk, item, today=date(2026, 11, 5))
    assert progress_duty(office, item, date(2026, 11, 20)).active is False
    office.run(lifecycle.return_item, office.director, item, "请补充照片", today=date(2026, 11, 20))
    duty = progress_duty(office, item, date(2026, 11, 20))
    assert (duty.active, duty.next_due) == (True, date(2026, 11, 27))
