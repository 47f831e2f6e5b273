"""综合查询 of 督办事项 (app.services.supervision.search): items made and carried along through the real services
are found by their fields at once, by terms of one, two and four characters and by two words; not before their
commit; a change replaces the old text; a cancelled item stays findable as 已撤销, as the ledger keeps it; a unit's
联络员 finds only the items their unit leads or helps with; and the index kept by every commit is the index a
rebuild makes. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from functools import partial

import pytest

from app.bootstrap import AppContext
from app.core.supervision.flow import ENTITY
from app.services.search import query
from app.services.supervision import items, lifecycle
from app.services.workflow import responsibility
from tests.helpers import search_checks
from tests.helpers.document_office import TODAY, Office, build_office
from tests.helpers.supervision_office import EVIDENCE, assigned_item, info, item_input, new_item


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


found = partial(search_checks.found_by, ENTITY)


def test_an_item_is_found_by_its_fields(office: Office) -> None:
    o = office
    item = new_item(o)  # 推进城区停车场建设, 年内建成公共停车位500个, 县财政局 with 县教育局, 张文秘
    other = new_item(o, title="开展春季植树造林", requirement="完成造林3000亩", co_unit_ids=[])
    assert set(found(o, "director", "停")) == {item}  # one character
    assert set(found(o, "director", "教育")) == {item}  # two: the co-unit
    assert set(found(o, "director", "公共停车")) == {item}  # four: the requirement
    assert set(found(o, "director", "财政 停车场")) == {item} and set(found(o, "director", "财政 造林")) == {other}
    assert found(o, "director", "教育 造林") == {}
    assert set(found(o, "director", "督〔2026〕2号")) == {other}
    assert set(found(o, "director", "张文秘")) == {item, other}
    hit = found(o, "director", "教育")[item]
    assert (hit.title, hit.state, hit.closed, hit.year) == ("推进城区停车场建设", "立项", False, TODAY.year)
    assert hit.snippet is not None and hit.snippet.label == "协办单位" and "县教育局" in hit.snippet.text
    grouped = o.run(query.search, o.director, "停车位")
    assert [(k.entity_type, k.total) for k in grouped.kinds if k.entity_type == ENTITY] == [(ENTITY, 1)]


def test_found_when_its_commit_ends_and_not_before(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked inside the commit, after the index is written and before the transaction ends: the item is found
    on its own connection and not from another."""
    search_checks.assert_found_when_its_commit_ends_and_not_before(
        ENTITY, office, monkeypatch, "director", "停车场", lambda: new_item(office)
    )


def test_a_change_replaces_the_old_text(office: Office) -> None:
    o = office
    item = new_item(o, by="director", requirement="年内完成")  # 登记人 王主任, 责任人 张文秘
    o.run(items.update_item, o.director, item, item_input(o, title="推进老旧小区改造", requirement="年内完成"),
          today=TODAY)
    assert found(o, "director", "停车场") == {}
    assert set(found(o, "director", "老旧小区")) == {item}
    # The responsible person changes by a recorded hand-over, and the item follows.
    o.run(responsibility.hand_over, o.director, info(o, item).instance_id, to_user_id=o.clerk2.id, reason="工作调整")
    assert set(found(o, "director", "赵文秘")) == {item} and found(o, "director", "张文秘") == {}


def test_what_was_said_and_reported_is_found(office: Office) -> None:
    o = office
    item = new_item(o)
    o.run(lifecycle.assign_item, o.clerk, item, "请财政局抓紧落实", today=TODAY)
    o.run(lifecycle.report_progress, o.liaison_fin, item, "已完成场地平整", today=TODAY)
    o.run(lifecycle.report_task, o.liaison_edu, item, "学校周边车位已规划")
    o.run(lifecycle.report_task, o.liaison_fin, item, "停车场已通过验收", [EVIDENCE], completion=True)
    labels = {
        text: found(o, "director", text)[item].snippet.label  # type: ignore[union-attr]
        for text in ("抓紧落实", "场地平整", "车位已规划", "通过验收")
    }
    assert labels == {"抓紧落实": "办理意见", "场地平整": "进展情况", "车位已规划": "办理情况", "通过验收": "办理情况"}
    assert found(o, "director", "场地平整")[item].state == "督办落实"


def test_a_cancelled_item_is_found_as_cancelled(office: Office) -> None:
    """The ledger keeps a cancelled item among all items (not among the 已销号 ones): found, closed, 已撤销."""
    o = office
    item = assigned_item(o)
    o.run(lifecycle.cancel_item, o.director, item, "上级已调整任务", today=TODAY)
    hit = found(o, "director", "停车场")[item]
    assert (hit.state, hit.closed) == ("已撤销", True)
    assert set(found(o, "director", "调整任务")) == {item}
    assert found(o, "director", "停车场", state=query.OPEN) == {}
    assert set(found(o, "director", "停车场", state=query.CLOSED)) == {item}
    assert set(found(o, "director", "停车场", state="已撤销")) == {item}
    assert found(o, "director", "停车场", year=TODAY.year - 1) == {}


def test_a_liaison_finds_only_their_units_items(office: Office, walk: str) -> None:
    o = office
    helped = new_item(o)  # 财政局 leads, 教育局 helps
    alone = new_item(o, title="推进停车场智能化", co_unit_ids=[])
    assert set(found(o, "liaison_fin", "停车场")) == {helped, alone}
    assert set(found(o, "liaison_edu", "停车场")) == {helped}
    assert set(found(o, "mayor", "停车场")) == {helped, alone}


def test_the_kept_index_is_the_rebuilt_one(office: Office) -> None:
    o = office
    new_item(o)
    moved = assigned_item(o, title="开展春季植树造林")
    o.run(lifecycle.report_progress, o.liaison_fin, moved, "已完成苗木采购", today=TODAY)
    changed = new_item(o, title="旧名称")
    o.run(items.update_item, o.director, changed, item_input(o, title="新名称"), today=TODAY)
    rows, postings = search_checks.kind_index(o.ctx, ENTITY)
    assert len(rows) == 3 and postings
    search_checks.assert_upkeep_is_a_rebuild(ENTITY, o.ctx)
