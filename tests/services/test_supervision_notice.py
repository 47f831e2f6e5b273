"""The periodic 督查通报 through its service (app.services.supervision.notice): the completion rate counts the items
due in the period (not those due after it, closed late or cancelled), the paragraphs name the tallies' own figures,
and the period's 责任追究 records come with it. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.core.supervision.classes import SOURCES
from app.core.supervision.notice import quarter_period
from app.models import AccountabilityRecord, WorkflowInstance
from app.services.supervision import lifecycle
from app.services.supervision.notice import supervision_notice
from app.services.workflow.accountability import accountability_records
from tests.helpers.document_office import Office, build_office, counts
from tests.helpers.supervision_office import assigned_item, item_in_review, new_item

OPENED = date(2026, 7, 1)
Q3 = quarter_period(2026, 3)
MADE_ON = date(2026, 10, 12)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _closed(o: Office, title: str, unit: str, deadline: date, closed_on: date, source: str = "政府工作报告") -> int:
    item = item_in_review(o, OPENED, title=title, lead_unit_id=o.units[unit], co_unit_ids=[], deadline=deadline,
                          source=source)
    o.run(lifecycle.close_item, o.director, item, "同意销号", today=closed_on)
    return item


def _quarter(o: Office) -> dict[str, int]:
    """The third quarter's items, all registered on 7/1, one of each kind the notice tells apart."""
    made = {
        "on_time": _closed(o, "按期办结", "财政局", date(2026, 8, 31), date(2026, 8, 20)),
        "late": _closed(o, "逾期办结", "财政局", date(2026, 9, 10), date(2026, 9, 20), "领导批示"),
        "early": _closed(o, "提前办结", "财政局", date(2026, 11, 30), date(2026, 9, 25)),
        "overdue": assigned_item(o, OPENED, title="逾期未办结", lead_unit_id=o.units["教育局"], co_unit_ids=[],
                                 deadline=date(2026, 9, 15), source="常务会议决定事项"),
        "due_after": assigned_item(o, OPENED, title="期末在办", lead_unit_id=o.units["教育局"], co_unit_ids=[],
                                   deadline=date(2026, 10, 31)),
        "cancelled": new_item(o, today=OPENED, title="已撤销", lead_unit_id=o.units["城关镇"], co_unit_ids=[],
                              deadline=date(2026, 9, 30)),
    }
    o.run(lifecycle.cancel_item, o.director, made["cancelled"], "上级已调整部署", today=date(2026, 8, 1))
    # Registered on 7/1 (the notice reads the day a record was opened from its flow instance).
    with o.ctx.uow() as uow:
        uow.execute(update(WorkflowInstance).values(created_at=datetime(2026, 7, 1, 1, 0, tzinfo=UTC)))
        uow.commit()
    return made


def test_the_figures_count_what_each_defines(office: Office) -> None:
    made = _quarter(office)
    notice = office.run(supervision_notice, office.clerk, Q3, today=MADE_ON)
    office_tally = notice.figures.office
    # Due in the quarter: on time, late and overdue; not the one due after it, nor the cancelled one.
    assert (office_tally.due, office_tally.closed_on_time, office_tally.rate) == (3, 1, Decimal("33.3"))
    assert (office_tally.closed, office_tally.closed_late, office_tally.in_progress, office_tally.overdue) == (3, 1, 1, 1)
    units = {t.name: t for t in notice.figures.by_unit}
    assert set(units) == {"县财政局", "县教育局"}
    assert (units["县财政局"].due, units["县财政局"].rate_text, units["县财政局"].closed) == (2, "50.0%", 3)
    assert (units["县教育局"].due, units["县教育局"].rate_text, units["县教育局"].overdue) == (1, "0.0%", 1)
    assert [t.name for t in notice.figures.by_unit] == ["县财政局", "县教育局"]
    assert [t.name for t in notice.figures.by_source] == list(SOURCES)
    assert [i.id for i in notice.figures.overdue_items] == [made["overdue"]]
    assert notice.title == "关于2026年第三季度督查督办工作情况的通报"


def test_the_paragraphs_name_the_tallies_figures(office: Office) -> None:
    _quarter(office)
    notice = office.run(supervision_notice, office.director, Q3, today=MADE_ON)
    t = notice.figures.office
    first, praised, late = notice.paragraphs
    assert first == (
        f"2026年第三季度，应办结督办事项{t.due}项，其中按期办结{t.closed_on_time}项，按期办结率{t.rate_text}；"
        f"统计期内已办结{t.closed}项（其中逾期办结{t.closed_late}项），统计期末正在办理{t.in_progress}项，"
        f"逾期未办结{t.overdue}项。"
    )
    assert "应办结督办事项3项，其中按期办结1项，按期办结率33.3%" in first
    # Praise is for a unit that closed all it had due on time; the best of the rest is only named.
    assert praised == "县财政局按期办结率最高（50.0%）。"
    assert late.startswith("逾期未办结的单位：县教育局（1项）。")


def test_the_period_brings_its_accountability_records(office: Office) -> None:
    made = _quarter(office)
    # The staff's notice sweeps the overdue item first; the late 销号 was recorded as it was closed.
    notice = office.run(supervision_notice, office.clerk, Q3, today=MADE_ON)
    assert [(r.entity_id, r.kind_label, r.unit_name, r.occurred_on) for r in notice.accountability] == [
        (made["late"], "逾期未办结", "县财政局", date(2026, 9, 10)),
        (made["overdue"], "逾期未办结", "县教育局", date(2026, 9, 15)),
    ]
    before = counts(office.ctx)
    again = office.run(supervision_notice, office.clerk, Q3, today=MADE_ON)
    assert len(again.accountability) == 2
    assert counts(office.ctx) == before
    # A county leader reads it, and sweeps nothing.
    assert len(office.run(supervision_notice, office.mayor, Q3, today=MADE_ON).accountability) == 2
    assert office.run(accountability_records, office.mayor, date(2026, 10, 1), date(2026, 12, 31)) == []


def test_nothing_due_has_no_rate(office: Office) -> None:
    _quarter(office)
    notice = office.run(supervision_notice, office.director, quarter_period(2026, 1), today=MADE_ON)
    assert (notice.figures.office.due, notice.figures.office.rate_text) == (0, "—")
    assert notice.figures.by_unit == ()
    assert notice.paragraphs[-1] == "统计期末无逾期未办结事项。"


def test_a_leaders_notice_before_any_sweep_sweeps_first(office: Office) -> None:
    made = _quarter(office)
    with office.ctx.uow() as uow:
        assert {r.entity_id for r in uow.session.query(AccountabilityRecord)} == {made["late"]}
    office.run(supervision_notice, office.deputy, Q3, today=MADE_ON)
    with office.ctx.uow() as uow:
        assert {r.entity_id for r in uow.session.query(AccountabilityRecord)} == {made["late"], made["overdue"]}


@pytest.mark.parametrize("who", ["petition", "finance", "cashier", "liaison_fin", "admin"])
def test_nobody_else_reads_the_notice(office: Office, who: str) -> None:
    _quarter(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied, match="查看督查通报"):
        office.run(supervision_notice, office.people[who], Q3, today=MADE_ON)
    with pytest.raises(PermissionDenied, match="查看责任追究记录"):
        office.run(accountability_records, office.people[who], Q3.start, Q3.end)
    assert counts(office.ctx) == before


def test_a_running_period_is_counted_as_it_stands_that_day(office: Office) -> None:
    _quarter(office)
    notice = office.run(supervision_notice, office.mayor, Q3, today=date(2026, 9, 12))
    t = notice.figures.office
    # Due by 9/12: the two closed later than that day are not closed yet; the one due 9/15 is not overdue yet.
    assert (t.due, t.closed_on_time, t.rate_text, t.closed, t.in_progress, t.overdue) == (2, 1, "50.0%", 1, 3, 1)
    assert notice.figures.period.label == "2026年第三季度（截至9月12日）"
    assert notice.paragraphs[0].startswith("2026年第三季度（截至9月12日），应办结督办事项2项")
