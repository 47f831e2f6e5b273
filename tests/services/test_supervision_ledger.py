"""督办台账 (app.services.supervision.ledger): its boxes and filters (year, source, unit as lead or co-unit, class,
overdue, search), each row's latest progress report, and what a unit's 联络员 sees of it. On SQLite, PostgreSQL
and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.services.supervision import ledger, lifecycle
from app.services.supervision.ledger import LedgerFilter
from tests.helpers.document_office import TODAY, Office, build_office
from tests.helpers.supervision_office import DEADLINE, assigned_item, closed_item, item_in_review, new_item

NEXT_YEAR = date(2027, 1, 6)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _ledger(o: Office) -> dict[str, int]:
    """Items of every kind the filters tell apart."""
    return {
        # 财政局 leads, 教育局 helps; 重点, 政府工作报告, at 督办落实.
        "parking": assigned_item(o),
        # 教育局 leads alone; 马上, 领导批示, due in 3 days.
        "school": assigned_item(o, title="校园周边交通整治", requirement="设置护学岗", lead_unit_id=o.units["教育局"],
                                co_unit_ids=[], priority="马上督办", source="领导批示",
                                deadline=TODAY + timedelta(days=3)),
        # 城关镇 leads, 财政局 helps; 定期, 上级交办事项, at 立项.
        "market": new_item(o, title="农贸市场改造", requirement="改造摊位100个", lead_unit_id=o.units["城关镇"],
                           co_unit_ids=[o.units["财政局"]], priority="定期督办", source="上级交办事项"),
        "review": item_in_review(o, title="路灯维修", requirement="更换路灯50盏", co_unit_ids=[]),
        "closed": closed_item(o, title="公厕改造", requirement="新建公厕5座", co_unit_ids=[]),
        # Registered next year.
        "next_year": new_item(o, today=NEXT_YEAR, title="河道清淤", requirement="清淤10公里",
                              deadline=NEXT_YEAR + timedelta(days=60)),
    }


def _ids(o: Office, f: LedgerFilter, who: str = "director", today: date = TODAY) -> set[int]:
    page = o.run(ledger.list_items, o.people[who], f, today=today, limit=100)
    assert page.total == len(page.rows)
    return {row.id for row in page.rows}


def test_the_boxes(office: Office) -> None:
    made = _ledger(office)
    assert _ids(office, LedgerFilter()) == set(made.values()) - {made["closed"]}
    assert _ids(office, LedgerFilter(box="closed")) == {made["closed"]}
    assert _ids(office, LedgerFilter(box="all")) == set(made.values())
    assert _ids(office, LedgerFilter(box="mine"), "clerk") == set(made.values())
    assert _ids(office, LedgerFilter(box="mine"), "clerk2") == set()
    # Waiting on the director: the item at 销号审核.
    assert _ids(office, LedgerFilter(box="waiting")) == {made["review"]}


def test_the_filters(office: Office) -> None:
    made = _ledger(office)
    every = LedgerFilter(box="all")
    assert _ids(office, LedgerFilter(box="all", year=2027)) == {made["next_year"]}
    assert _ids(office, LedgerFilter(box="all", source="领导批示")) == {made["school"]}
    assert _ids(office, LedgerFilter(box="all", priority="定期督办")) == {made["market"]}
    # A unit's items: those it leads and those it helps with.
    assert _ids(office, LedgerFilter(box="all", unit_id=office.units["教育局"])) == {
        made["school"], made["parking"], made["next_year"]}
    assert _ids(office, LedgerFilter(box="all", unit_id=office.units["城关镇"])) == {made["market"]}
    assert made["market"] in _ids(office, LedgerFilter(box="all", unit_id=office.units["财政局"]))
    # Search: by number, name or requirement; a LIKE wildcard is a plain character.
    assert _ids(office, LedgerFilter(box="all", search="护学岗")) == {made["school"]}
    assert _ids(office, LedgerFilter(box="all", search="公厕")) == {made["closed"]}
    assert _ids(office, LedgerFilter(box="all", search="督〔2027〕1号")) == {made["next_year"]}
    assert _ids(office, LedgerFilter(box="all", search="%")) == set()
    assert len(_ids(office, every)) == 6


def test_overdue_items(office: Office) -> None:
    made = _ledger(office)
    later = TODAY + timedelta(days=4)
    assert _ids(office, LedgerFilter(overdue=True), today=TODAY) == set()
    assert _ids(office, LedgerFilter(overdue=True), today=later) == {made["school"]}
    rows = {r.id: r for r in office.run(ledger.list_items, office.director, LedgerFilter(box="all"), today=later).rows}
    assert (rows[made["school"]].overdue, rows[made["school"]].status) == (True, "逾期未办结")
    assert (rows[made["parking"]].overdue, rows[made["parking"]].status) == (False, "督办落实")
    assert rows[made["closed"]].status == "已销号"
    far = DEADLINE + timedelta(days=1)
    # Closed before its deadline, never overdue.
    assert made["closed"] not in _ids(office, LedgerFilter(box="all", overdue=True), today=far)


def test_each_row_shows_its_latest_report(office: Office) -> None:
    made = _ledger(office)
    office.run(lifecycle.report_progress, office.liaison_fin, made["parking"], "已完成选址", today=TODAY)
    office.run(lifecycle.report_progress, office.liaison_fin, made["parking"], "已开工建设",
               today=TODAY + timedelta(days=5))
    office.run(lifecycle.report_progress, office.liaison_edu, made["school"], "护学岗已设置", today=TODAY)
    rows = {r.id: r for r in office.run(ledger.ledger_rows, office.director, LedgerFilter(box="all"), today=TODAY)}
    assert (rows[made["parking"]].latest_report, rows[made["parking"]].latest_report_on) == (
        "已开工建设", TODAY + timedelta(days=5))
    assert rows[made["school"]].latest_report == "护学岗已设置"
    assert (rows[made["market"]].latest_report, rows[made["market"]].latest_report_on) == ("", None)


def test_a_liaison_sees_her_units_items_only(office: Office) -> None:
    made = _ledger(office)
    assert _ids(office, LedgerFilter(box="all"), "liaison_edu") == {made["parking"], made["school"], made["next_year"]}
    assert _ids(office, LedgerFilter(box="all"), "liaison_fin") == set(made.values()) - {made["school"]}
    # Asking for another unit's items shows only those her unit shares.
    assert _ids(office, LedgerFilter(box="all", unit_id=office.units["城关镇"]), "liaison_edu") == set()
    assert _ids(office, LedgerFilter(box="all"), "mayor") == set(made.values())


def test_the_rows_and_their_order(office: Office) -> None:
    made = _ledger(office)
    page = office.run(ledger.list_items, office.director, LedgerFilter(box="all"), order_by="number", limit=2)
    assert (page.total, [r.number for r in page.rows]) == (6, ["督〔2026〕1号", "督〔2026〕2号"])
    first = page.rows[0]
    assert (first.id, first.lead_unit_name, first.co_unit_names, first.responsible_name) == (
        made["parking"], "县财政局", "县教育局", "张文秘")
    by_deadline = office.run(ledger.ledger_rows, office.director, LedgerFilter(box="all"))
    assert [r.deadline for r in by_deadline] == sorted(r.deadline for r in by_deadline)
    assert LedgerFilter(box="all", year=2026, unit_id=1, overdue=True, search="路灯").describe("县财政局") == (
        "全部事项，2026年，承办单位：县财政局，仅逾期，含“路灯”")


@pytest.mark.parametrize(("f", "order_by", "words"), [
    (LedgerFilter(box="trash"), "deadline", "没有这个督办事项列表"),  # type: ignore[arg-type]
    (LedgerFilter(source="群众来信"), "deadline", "事项来源只能是"),
    (LedgerFilter(priority="一般督办"), "deadline", "督办类别只能是"),
    (LedgerFilter(), "title; drop table", "不能按"),
])
def test_a_bad_filter_is_refused(office: Office, f: LedgerFilter, order_by: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        office.run(ledger.list_items, office.director, f, order_by=order_by)
