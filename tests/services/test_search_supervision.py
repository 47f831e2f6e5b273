"""综合查询 of 督办事项 (app.services.supervision.search): items made and carried along through the real services
are found by their fields at once, by terms of one, two and four characters and by two words; not before their
commit; a change replaces the old text; a cancelled item stays findable as 已撤销, as the ledger keeps it; a unit's
联络员 finds only the items their unit leads or helps with; and the index kept by every commit is the index a
rebuild makes. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.bootstrap import AppContext
from app.core.supervision.flow import ENTITY
from app.db.tables import search_records
from app.services.kernel import audit_chain
from app.services.search import query, reindex, upkeep
from app.services.supervision import items, lifecycle
from app.services.workflow import responsibility
from tests.helpers.document_office import TODAY, Office, build_office
from tests.helpers.supervision_office import EVIDENCE, assigned_item, info, item_input, new_item

CODE = 4


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def found(o: Office, who: str, text: str, **filters: Any) -> dict[int, query.SearchHit]:
    """The items ``who`` finds by ``text``, by id."""
    results = o.run(query.search_kind, o.people[who], ENTITY, text, query.SearchFilters(**filters), 0, 100)
    return {hit.record_id: hit for hit in results.hits}


def index_state(o: Office) -> tuple[dict[int, tuple[Any, ...]], dict[tuple[int, int, int], bool]]:
    """The kind's index rows (without the time they were written) and postings, as they are."""
    r = search_records.c
    with o.ctx.uow() as uow:
        rows = {
            row.record_id: tuple(row)[1:]
            for row in uow.execute(
                select(r.record_id, r.year, r.state, r.closed, r.title, r.shown, r.private_shown)
                .where(r.kind == CODE)
            )
        }
        return rows, dict(upkeep.postings_of(uow, CODE))


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
    o = office
    seen: dict[str, set[int]] = {}
    write_pending = audit_chain.write_pending

    def spying(uow: Any, pending: Any) -> None:
        if not seen and any(p.entity_type == ENTITY for p in pending):
            inside = query.search_kind(uow, o.director, ENTITY, "停车场")
            seen["inside"] = {hit.record_id for hit in inside.hits}
            seen["outside"] = set(found(o, "director", "停车场"))
        write_pending(uow, pending)

    monkeypatch.setattr(audit_chain, "write_pending", spying)
    item = new_item(o)
    assert seen == {"inside": {item}, "outside": set()}
    assert set(found(o, "director", "停车场")) == {item}


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


def test_a_liaison_finds_only_their_units_items(office: Office) -> None:
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
    kept = index_state(o)
    assert len(kept[0]) == 3 and kept[1]
    reindex.reindex(o.ctx.uow)
    assert index_state(o) == kept
