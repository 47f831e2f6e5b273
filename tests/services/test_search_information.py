"""综合查询 of 政务信息 items and research articles (app.services.information.search): items written and edited
through the real services are found by their fields at once, by terms of one, two and four characters and by
two words; not before their commit; a correction replaces the old text; an item sent back or filed stays
findable, as the lists keep it; adoptions and 批示 are found, and no longer once removed; a group's item is found
by its group and the editors, and by everyone once the issue that holds it is issued; and the index kept by
every commit is the index a rebuild makes. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.information.flow import ENTITY
from app.models.information import InfoItem
from app.services.information import adoptions, groups, issues, items, records
from app.services.kernel.clock import local_date
from app.services.search import query
from tests.helpers import search_checks
from tests.helpers.document_office import TODAY, Office
from tests.helpers.information_office import WRITTEN, build_information_office, group_id, item_input, new_item


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


found = partial(search_checks.found_by, ENTITY)


def test_an_item_is_found_by_its_fields(office: Office) -> None:
    o = office
    item = new_item(o)  # 我县农村公路提质改造取得新进展, by 孙接待 of 第一信息组
    article = new_item(o, by="finance", kind="article", title="关于乡村旅游发展的调研报告",
                       body="我县乡村旅游接待游客120万人次，但配套设施仍显不足。")
    assert set(found(o, "clerk", "路")) == {item}  # one character
    assert set(found(o, "clerk", "游客")) == {article}  # two: the body
    assert set(found(o, "clerk", "提质改造")) == {item}  # four: the title
    assert set(found(o, "clerk", "孙接待 公路")) == {item}  # two words: the author and the title
    assert found(o, "clerk", "孙接待 旅游") == {}
    assert set(found(o, "clerk", "第二信息组")) == {article}
    assert set(found(o, "clerk", "调研文章")) == {article}
    hit = found(o, "clerk", "游客")[article]
    assert (hit.title, hit.state, hit.closed, hit.year) == ("关于乡村旅游发展的调研报告", "编审", False, WRITTEN.year)
    assert hit.snippet is not None and hit.snippet.label == "正文"


def test_found_when_its_commit_ends_and_not_before(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    search_checks.assert_found_when_its_commit_ends_and_not_before(
        ENTITY, office, monkeypatch, "clerk", "提质改造", lambda: new_item(office)
    )


def test_a_correction_replaces_the_old_text(office: Office) -> None:
    o = office
    item = new_item(o, submit=False)
    o.run(items.update_item, o.petition, item, item_input(title="我县冬季供暖保障有力", body="全县供暖面积达200万平方米。"))
    assert found(o, "clerk", "农村公路") == {}
    assert set(found(o, "clerk", "供暖 平方米")) == {item}


def test_a_draft_is_filed_under_the_year_it_is_begun_then_under_its_submission(office: Office) -> None:
    o = office
    item = new_item(o, submit=False)
    with o.ctx.uow() as uow:
        begun = local_date(uow.execute(select(InfoItem.created_at).where(InfoItem.id == item)).scalar_one()).year
    assert found(o, "clerk", "农村公路")[item].year == begun
    o.run(items.submit_item, o.petition, item, today=date(2019, 6, 3))
    assert set(found(o, "clerk", "农村公路", year=2019)) == {item}
    assert found(o, "clerk", "农村公路", year=begun) == {}


def test_an_item_sent_back_or_filed_is_still_found(office: Office) -> None:
    o = office
    returned = new_item(o)
    filed = new_item(o, title="我县召开安全生产工作会议")
    o.run(items.return_item, o.clerk, returned, "请补充具体数据和典型案例", today=TODAY)
    o.run(items.file_item, o.clerk, filed, "内容已见报道", today=TODAY)
    hit = found(o, "clerk", "典型案例")[returned]
    assert (hit.state, hit.closed) == ("撰写", False) and hit.snippet is not None and hit.snippet.label == "办理意见"
    hit = found(o, "clerk", "安全生产")[filed]
    assert (hit.state, hit.closed) == ("已存档", True)
    assert set(found(o, "clerk", "已见报道")) == {filed}


def test_adoptions_and_comments_are_found_until_removed(office: Office) -> None:
    o = office
    item = new_item(o)
    o.run(adoptions.record_adoption, o.clerk, item, body="江州市政府办公室", level="市级", adopted_on=TODAY,
          today=TODAY)
    o.run(adoptions.record_comment, o.clerk, item, leader="陈县长", text="经验做法值得推广", commented_on=TODAY,
          today=TODAY)
    assert found(o, "clerk", "江州市")[item].snippet.label == "采用单位"  # type: ignore[union-attr]
    assert found(o, "clerk", "值得推广")[item].snippet.label == "领导批示"  # type: ignore[union-attr]
    assert set(found(o, "clerk", "陈县长")) == {item}
    info = o.run(records.get_item, o.clerk, item)
    o.run(adoptions.remove_adoption, o.clerk, info.adoptions[0].id)
    o.run(adoptions.remove_comment, o.clerk, info.comments[0].id)
    assert found(o, "clerk", "江州市") == {} and found(o, "clerk", "值得推广") == {}


def test_a_groups_item_is_found_by_its_group_and_by_everyone_once_issued(office: Office, walk: str) -> None:
    o = office
    item = new_item(o)  # 第一信息组: deputy leads it, clerk and petition write in it
    assert {who: bool(found(o, who, "农村公路")) for who in ("petition", "deputy", "clerk2", "finance", "cashier")} == {
        "petition": True, "deputy": True, "clerk2": True, "finance": False, "cashier": False}
    issue = o.run(issues.create_issue, o.clerk, issue_date=TODAY)
    o.run(issues.add_items, o.clerk, issue.id, [item])
    assert found(o, "cashier", "农村公路") == {} and found(o, "clerk", "第1期") == {}
    o.run(issues.publish_issue, o.clerk, issue.id, today=TODAY)
    hit = found(o, "cashier", "农村公路")[item]
    assert (hit.state, hit.closed) == ("已编入期刊", True)
    assert found(o, "finance", "2026年第1期")[item].snippet.label == "刊期"  # type: ignore[union-attr]


def _ranking_statements(o: Office, who: str, text: str) -> list[str]:
    with search_checks.statements_sent(o.ctx, "ORDER BY") as sent:
        found(o, who, text)
    return sent


def test_a_kind_the_asker_sees_none_of_is_not_walked(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    """The 会计 is in no group and no issue is out: she sees no 政务信息, so the kind is left out of the ranking
    statement (MariaDB read every row of the kind for it). The count that says so is made at each query, never
    kept: an issue published a moment later is found at once."""
    # The counts an earlier test kept for these people on this database would stand in for the ones made here.
    monkeypatch.setattr(query, "_seen_counts", {})
    o = office
    item = new_item(o)
    assert _ranking_statements(o, "petition", "农村公路"), "a member of the item's group walks the kind"
    assert _ranking_statements(o, "cashier", "农村公路") == []
    assert found(o, "cashier", "农村公路") == {}
    issue = o.run(issues.create_issue, o.clerk, issue_date=TODAY)
    o.run(issues.add_items, o.clerk, issue.id, [item])
    o.run(issues.publish_issue, o.clerk, issue.id, today=TODAY)
    assert set(found(o, "cashier", "农村公路")) == {item}


def test_a_renamed_group_is_found_by_its_new_name(office: Office) -> None:
    o = office
    item = new_item(o)
    elsewhere = new_item(o, by="finance", title="关于乡村旅游发展的调研报告")
    ids = {key: person.id for key, person in o.people.items()}
    o.run(groups.save_group, o.admin, group_id(o), name="综合信息组", leader_id=ids["deputy"],
          member_ids=[ids["clerk"], ids["petition"]])
    assert found(o, "clerk", "第一信息组") == {}
    assert set(found(o, "clerk", "综合信息组")) == {item}
    assert set(found(o, "clerk", "第二信息组")) == {elsewhere}
    search_checks.assert_upkeep_is_a_rebuild(ENTITY, o.ctx)


def test_the_kept_index_is_the_rebuilt_one(office: Office) -> None:
    o = office
    new_item(o, submit=False)
    adopted = new_item(o, by="finance", title="关于乡村旅游发展的调研报告", kind="article")
    o.run(adoptions.record_adoption, o.clerk, adopted, body="省政府办公厅", level="省级", adopted_on=TODAY,
          today=TODAY)
    returned = new_item(o, title="我县召开安全生产工作会议")
    o.run(items.return_item, o.clerk, returned, "请补充数据", today=TODAY)
    issued = new_item(o, title="我县冬季供暖保障有力")
    issue = o.run(issues.create_issue, o.clerk, issue_date=TODAY)
    o.run(issues.add_items, o.clerk, issue.id, [issued])
    o.run(issues.publish_issue, o.clerk, issue.id, today=TODAY)
    # In an issue still being edited: the issue is not searched until it is issued (adding an item to it is the
    # issue's act, which leaves the item's index row as it was).
    editing = o.run(issues.create_issue, o.clerk, issue_date=TODAY)
    o.run(issues.add_items, o.clerk, editing.id, [new_item(o, title="我县开展消防安全检查")])
    assert len(search_checks.kind_index(o.ctx, ENTITY)[0]) == 5
    search_checks.assert_upkeep_is_a_rebuild(ENTITY, o.ctx)
