"""The quarterly 公文运转及差错情况通报 on a hand-built quarter, and the 收文登记簿.

The documents are driven through the services with ``today`` set to each day of the scenario; the
moments of their history rows are then set to those days, as if the work had happened then.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.core.areas.documents import OUTGOING_DOCUMENT
from app.core.calendar import WorkCalendar
from app.core.errors import PermissionDenied, ValidationError
from app.services.documents import reports as document_reports
from tests.helpers.document_office import TODAY, Office, build_office
from tests.helpers.document_quarter import build_quarter


@pytest.fixture
def quarter(ctx: AppContext) -> tuple[Office, dict[str, int]]:
    o = build_office(ctx)
    return o, build_quarter(o)


def test_the_quarterly_notice_counts_each_unit(quarter: tuple[Office, dict[str, int]]) -> None:
    o, _ = quarter
    notice = o.run(document_reports.quarterly_notice, o.director, 2026, 4, today=TODAY)
    assert notice.title == "关于2026年第四季度公文运转及差错情况的通报"
    assert (notice.period_start, notice.period_end, notice.cutoff) == (date(2026, 10, 1), date(2026, 12, 31), TODAY)
    by_unit = {u.unit_name: u for u in notice.units}
    # Only the county's units: 城关镇人民政府 is the township 城关镇; the city's 江州市应急管理局 is no row.
    assert list(by_unit) == ["秘书股", "县财政局", "城关镇"]

    office = by_unit["秘书股"]
    # A (发文) and C (收文 registered here, returned at 初审).
    assert (office.outgoing, office.incoming, office.handled, office.returns) == (1, 1, 2, 1)
    assert office.errors == {"格式": 1, "文字": 1, "文种": 0, "程序": 0}
    # A: 签发 took 11-9 → 11-16 against 11-11, and A has waited at the next step since 11-16 (due 11-17):
    # one 逾期公文 with two 超时环节.
    assert (office.overdue_documents, office.late_steps) == (1, 2)
    # Steps: A 1, 2, 1, 1, 5 and C 0, 0, 1 working days.
    assert (office.step_moves, office.step_workdays, office.average_workdays) == (8, 11, 1.4)

    finance = by_unit["县财政局"]
    assert (finance.outgoing, finance.incoming, finance.returns, finance.error_total) == (1, 1, 0, 0)
    # D was handled on 11-13 against a deadline of 11-11; B has waited at 核稿 since 11-10 (due 11-12).
    assert (finance.overdue_documents, finance.late_steps) == (2, 2)
    # B: 0; D: 0, 0, 1, 0, 1, 7, 1.
    assert (finance.step_moves, finance.step_workdays) == (8, 10)

    # C's 退文 and its 程序 error go to the township that sent it, which handled nothing itself.
    township = by_unit["城关镇"]
    assert (township.handled, township.returns, township.errors["程序"], township.overdue_documents) == (0, 1, 1, 0)

    totals = notice.totals
    assert (totals.handled, totals.returns, totals.error_total, totals.overdue_documents, totals.late_steps) == (
        4, 2, 3, 3, 4
    )
    # The list of overdue documents is the table's 逾期公文, and its steps the 超时环节.
    assert len(notice.overdue) == totals.overdue_documents
    assert sum(len(line.steps) for line in notice.overdue) == totals.late_steps

    steps = {(s.flow_key, s.step): (s.moves, s.average_workdays) for s in notice.steps}
    assert steps[("outgoing_document", "review")] == (2, 1.5)
    assert steps[("outgoing_document", "sign")] == (1, 5.0)
    assert steps[("incoming_document", "handle")] == (1, 7.0)
    assert [s.label for s in notice.steps][:3] == ["拟稿", "核稿", "签发"]

    assert [(e.unit_name, e.person_name, e.kind) for e in notice.errors] == [
        ("秘书股", "张文秘", "文字"), ("秘书股", "张文秘", "格式"), ("城关镇", "", "程序"),
    ]
    after_signing = OUTGOING_DOCUMENT.step(OUTGOING_DOCUMENT.transitions_from("sign")[0].target).label
    assert [
        (line.unit_name, line.title, [(s.step_label, s.due_date, s.overdue_workdays, s.completed_on) for s in line.steps])
        for line in notice.overdue
    ] == [
        ("秘书股", "关于做好冬季森林防火工作的通知", [
            ("签发", date(2026, 11, 11), 3, date(2026, 11, 16)), (after_signing, date(2026, 11, 17), 8, None),
        ]),
        ("县财政局", "关于开展安全生产大检查的通知", [("承办", date(2026, 11, 11), 2, date(2026, 11, 13))]),
        ("县财政局", "关于申请拨付防汛资金的请示", [("核稿", date(2026, 11, 12), 11, None)]),
    ]


def test_a_document_stuck_since_an_earlier_quarter_is_counted_at_the_cut_off(
    quarter: tuple[Office, dict[str, int]],
) -> None:
    """B has waited at 核稿 since 11-10 and nothing moved in the first quarter of 2027: it is still in
    hand, and still late, at that quarter's end (lateness over 元旦 2027 counted as the calendar has it)."""
    o, _ = quarter
    first = o.run(document_reports.quarterly_notice, o.director, 2027, 1, today=date(2027, 4, 10))
    assert first.cutoff == date(2027, 3, 31)
    titles = [line.title for line in first.overdue]
    assert "关于申请拨付防汛资金的请示" in titles
    b = first.overdue[titles.index("关于申请拨付防汛资金的请示")]
    calendar = WorkCalendar()
    assert [(s.step_label, s.completed_on) for s in b.steps] == [("核稿", None)]
    assert b.steps[0].overdue_workdays == calendar.overdue_workdays(date(2026, 11, 12), date(2027, 3, 31))
    assert first.totals.overdue_documents == len(first.overdue)
    assert first.totals.handled >= len(first.overdue)


def test_last_quarter_and_who_may_read_it(quarter: tuple[Office, dict[str, int]]) -> None:
    o, _ = quarter
    third = o.run(document_reports.quarterly_notice, o.clerk, 2026, 3, today=TODAY)
    assert [(u.unit_name, u.outgoing, u.returns, u.errors["文种"]) for u in third.units] == [("秘书股", 1, 1, 1)]
    assert third.totals.overdue_documents == 0
    assert third.cutoff == date(2026, 9, 30) and third.overdue == []
    with pytest.raises(PermissionDenied):
        o.run(document_reports.quarterly_notice, o.liaison_fin, 2026, 4)
    with pytest.raises(ValidationError, match="季度"):
        o.run(document_reports.quarterly_notice, o.director, 2026, 5)


def test_the_incoming_register(quarter: tuple[Office, dict[str, int]]) -> None:
    o, docs = quarter
    rows = o.run(document_reports.incoming_register, o.clerk, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
    assert [(r.receipt_number, r.received_on, r.source_unit, r.handling_unit, r.deadline, r.state_label) for r in rows] == [
        ("收〔2026〕1号", date(2026, 11, 2), "江州市应急管理局", "县财政局", date(2026, 11, 11), "归档"),
        ("收〔2026〕2号", date(2026, 11, 4), "城关镇人民政府", "", None, "已退文"),
    ]
    assert rows[0].result == "已完成检查并报送" and rows[0].copies == 2
    assert o.run(document_reports.incoming_register, o.clerk, date_from=date(2026, 12, 1),
                 date_to=date(2026, 12, 31)) == []
    with pytest.raises(PermissionDenied, match="办公室"):
        o.run(document_reports.incoming_register, o.liaison_fin, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
