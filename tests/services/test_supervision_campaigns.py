"""综合督查 campaigns (app.services.supervision.campaigns): recorded with their findings by the office's staff,
more findings added, and a finding made a 督办事项 once only. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.bootstrap import AppContext
from app.core.errors import ConflictError, NotFound, PermissionDenied, ValidationError, WorkflowError
from app.services.supervision import campaigns, items, ledger
from app.services.supervision.campaigns import FindingInput
from tests.helpers.document_office import TODAY, Office, build_office, counts
from tests.helpers.supervision_office import item_input

STARTS, ENDS = TODAY - timedelta(days=10), TODAY - timedelta(days=3)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _campaign(o: Office, who: str = "clerk") -> campaigns.CampaignInfo:
    return o.run(  # type: ignore[no-any-return]
        campaigns.record_campaign, o.people[who], "  2026年第四季度  综合督查 ", " 重点项目推进情况 ", STARTS, ENDS,
        [FindingInput("停车场项目进度滞后", o.units["财政局"]), FindingInput("   "),
         FindingInput("校园周边护栏缺失", o.units["教育局"]), FindingInput("台账资料不全")],
    )


@pytest.mark.parametrize("who", ["clerk", "director", "deputy"])
def test_the_office_records_a_campaign_with_its_findings(office: Office, who: str) -> None:
    made = _campaign(office, who)
    assert (made.title, made.scope, made.year, made.starts_on, made.ends_on) == (
        "2026年第四季度 综合督查", "重点项目推进情况", 2026, STARTS, ENDS)
    assert made.created_by_name == office.people[who].full_name
    # A blank finding is left out; the others keep their order and units.
    assert [(f.position, f.text, f.unit_name, f.item_id) for f in made.findings] == [
        (0, "停车场项目进度滞后", "县财政局", None), (1, "校园周边护栏缺失", "县教育局", None), (2, "台账资料不全", "", None)]


@pytest.mark.parametrize("who", ["petition", "finance", "mayor", "liaison_fin", "admin"])
def test_nobody_else_records_one(office: Office, who: str) -> None:
    made = _campaign(office)
    before = counts(office.ctx)
    with pytest.raises(PermissionDenied):
        _campaign(office, who)
    with pytest.raises(PermissionDenied):
        office.run(campaigns.add_findings, office.people[who], made.id, [FindingInput("又一个问题")])
    with pytest.raises(PermissionDenied):
        office.run(campaigns.finding_to_item, office.people[who], made.findings[0].id, item_input(office),
                   today=TODAY)
    assert counts(office.ctx) == before


@pytest.mark.parametrize(("title", "starts", "ends", "words"), [
    ("  ", STARTS, ENDS, "请填写督查名称"),
    ("督查", None, ENDS, "请填写督查的起止日期"),
    ("督查", ENDS, STARTS, "结束日期不能早于开始日期"),
])
def test_a_bad_campaign_is_refused(office: Office, title: str, starts: date | None, ends: date | None,
                                   words: str) -> None:
    before = counts(office.ctx)
    with pytest.raises(ValidationError, match=words):
        office.run(campaigns.record_campaign, office.clerk, title, "", starts, ends, [])
    assert counts(office.ctx) == before


def test_findings_are_added_after_those_there_are(office: Office) -> None:
    made = _campaign(office)
    more = office.run(campaigns.add_findings, office.director, made.id,
                      [FindingInput("农贸市场消防通道堵塞", office.units["城关镇"])])
    assert [(f.position, f.text) for f in more.findings][-1] == (3, "农贸市场消防通道堵塞")
    with pytest.raises(ValidationError, match="请填写发现的问题"):
        office.run(campaigns.add_findings, office.clerk, made.id, [FindingInput("  ")])
    with pytest.raises(NotFound, match="找不到该次督查"):
        office.run(campaigns.add_findings, office.clerk, 999999, [FindingInput("问题")])


def test_a_finding_becomes_an_item_once_only(office: Office) -> None:
    made = _campaign(office)
    finding = made.findings[0]
    item = office.run(campaigns.finding_to_item, office.clerk, finding.id,
                      item_input(office, title="加快停车场项目进度", source="政府工作报告"), today=TODAY)
    # Its source is the campaign, whatever the form said.
    assert (item.source, item.state, item.title) == ("综合督查", "register", "加快停车场项目进度")
    [listed] = office.run(campaigns.list_campaigns, office.director, 2026)
    assert (listed.findings[0].item_id, listed.findings[0].item_number) == (item.id, item.number)
    before = counts(office.ctx)
    with pytest.raises(WorkflowError, match=f"这个问题已转为督办事项{item.number}"):
        office.run(campaigns.finding_to_item, office.director, finding.id, item_input(office), today=TODAY)
    assert counts(office.ctx) == before
    assert office.run(items.get_item, office.director, item.id).source == "综合督查"


def test_a_bad_item_from_a_finding_leaves_the_finding_as_it_was(office: Office) -> None:
    made = _campaign(office)
    with pytest.raises(ValidationError, match="请选择牵头单位"):
        office.run(campaigns.finding_to_item, office.clerk, made.findings[1].id,
                   item_input(office, lead_unit_id=None), today=TODAY)
    [listed] = office.run(campaigns.list_campaigns, office.clerk)
    assert listed.findings[1].item_id is None


def test_who_lists_the_campaigns(office: Office) -> None:
    _campaign(office)
    office.run(campaigns.record_campaign, office.clerk, "2025年专项督查", "", date(2025, 6, 1), date(2025, 6, 5), [])
    assert [c.year for c in office.run(campaigns.list_campaigns, office.mayor)] == [2026, 2025]
    assert [c.title for c in office.run(campaigns.list_campaigns, office.clerk, 2025)] == ["2025年专项督查"]
    for who in ("liaison_fin", "liaison_edu"):
        with pytest.raises(PermissionDenied, match="综合督查记录仅供办公室和县领导查看"):
            office.run(campaigns.list_campaigns, office.people[who])


def test_two_people_making_one_finding_an_item_at_once_make_one_item(
    office: Office, monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = _campaign(office)
    finding = made.findings[0].id
    real_check = campaigns.check_item
    raced: list[int] = []

    def check_then_race(uow: object, data: items.ItemInput, today: object) -> object:
        """The first caller has read the finding (not yet an item) when the director makes it one."""
        if not raced:
            raced.append(finding)
            office.run(campaigns.finding_to_item, office.director, finding, item_input(office, title="他人先转"),
                       today=TODAY)
        return real_check(uow, data, today)  # type: ignore[arg-type]

    monkeypatch.setattr(campaigns, "check_item", check_then_race)
    with pytest.raises(ConflictError):
        office.run(campaigns.finding_to_item, office.clerk, finding, item_input(office), today=TODAY)
    assert raced == [finding]
    [listed] = office.run(campaigns.list_campaigns, office.director)
    titles = [r.title for r in office.run(ledger.list_items, office.director, ledger.LedgerFilter(box="all")).rows]
    assert titles == ["他人先转"]
    assert listed.findings[0].item_number == "督〔2026〕1号"
