"""The 公文 list: filters, Chinese substring search (title, 文号, 来文单位, opinions), paging, order, the
传阅中 flag, a liaison's view of their own unit, and one count plus one page query per call."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from sqlalchemy import event

from app.bootstrap import AppContext
from app.core.errors import ValidationError
from app.services.documents import incoming, outgoing
from app.services.documents.records import list_documents
from app.services.kernel import access
from tests.helpers.document_office import (
    TODAY,
    Office,
    advance_incoming,
    advance_outgoing,
    build_office,
    new_draft,
    new_incoming,
)


@pytest.fixture
def filed(ctx: AppContext) -> Iterator[tuple[Office, dict[str, int]]]:
    o = build_office(ctx)
    edu = o.units["教育局"]
    docs = {
        "draft": new_draft(o, title="关于做好冬季森林防火工作的通知", today=date(2026, 11, 2)),
        "letter": new_draft(o, title="关于商请提供有关统计数据的函", doc_type="函", prefix="县政办函",
                            today=date(2026, 11, 10)),
        "request": new_draft(o, drafter=o.liaison_fin, title="关于申请拨付防汛抗旱资金的请示", doc_type="请示",
                             today=date(2026, 11, 12)),
        "cosigned": new_draft(o, title="关于加强校园食品安全管理的通知", cosigner_unit_ids=[edu], today=date(2026, 11, 20)),
    }
    advance_outgoing(o, docs["letter"], "print")  # signed on TODAY, numbered 县政办函〔2026〕1号
    o.run(outgoing.submit, o.liaison_fin, docs["request"], today=date(2026, 11, 12))
    advance_outgoing(o, docs["cosigned"], "cosign")

    def arrived(day: date, **fields: object) -> int:
        doc = new_incoming(o, **fields)
        o.run(incoming.sign_for, o.clerk, doc, received_at=datetime.combine(day, time(10, 0)), today=day)
        return doc

    docs["inspection"] = arrived(date(2026, 11, 3), title="关于开展安全生产大检查的通知", source_unit="江州市应急管理局",
                                 source_number="江应急〔2026〕31号")
    docs["repair"] = arrived(date(2026, 11, 16), title="城关镇人民政府关于申请解决办公用房维修经费的请示",
                             source_unit="城关镇人民政府", source_number="城政发〔2026〕8号")
    docs["done"] = arrived(date(2026, 10, 9), title="关于下达衔接推进乡村振兴补助资金的通知", source_unit="江州市财政局")
    docs["reading"] = arrived(date(2026, 11, 25), title="关于做好冬季消防安全工作的通知", source_unit="江州市消防救援支队")
    advance_incoming(o, docs["inspection"], "handle")  # 主办 县财政局, 协办 县教育局
    advance_incoming(o, docs["repair"], "propose")
    o.run(incoming.propose, o.deputy, docs["repair"], "拟请县财政局研究提出意见。", today=date(2026, 11, 17))
    advance_incoming(o, docs["done"], "archived", needs_circulation=False)
    advance_incoming(o, docs["reading"], "instruct")
    o.run(incoming.instruct, o.mayor, docs["reading"], "请各位领导阅", needs_handling=False, today=TODAY)
    o.run(incoming.circulate, o.clerk, docs["reading"], [o.vice.id, o.director.id])
    yield o, docs


def ids(page: object, docs: dict[str, int]) -> list[str]:
    names = {v: k for k, v in docs.items()}
    return [names[row.id] for row in page.rows]  # type: ignore[attr-defined]


def test_filters(filed: tuple[Office, dict[str, int]]) -> None:
    o, docs = filed
    every = o.run(list_documents, o.director, today=TODAY)
    assert every.total == 8 and len(every.rows) == 8
    # Newest first: 成文日期 for 发文 (the signing day once signed), 收文日期 for 收文.
    assert ids(every, docs) == ["letter", "reading", "cosigned", "repair", "request", "inspection", "draft", "done"]
    assert o.run(list_documents, o.director, direction="out").total == 4
    assert ids(o.run(list_documents, o.director, direction="in", state="handle"), docs) == ["inspection"]
    # A step without a direction looks in every flow that has it; a final step finds the closed records.
    assert ids(o.run(list_documents, o.director, state="handle"), docs) == ["inspection"]
    assert ids(o.run(list_documents, o.director, direction="in", state="archived"), docs) == ["done"]
    assert sorted(ids(o.run(list_documents, o.director, direction="out", state="draft"), docs)) == ["draft"]
    assert ids(o.run(list_documents, o.director, state="closed"), docs) == ["done"]
    assert o.run(list_documents, o.director, state="open").total == 7
    assert sorted(ids(o.run(list_documents, o.director, doc_type="请示"), docs)) == ["repair", "request"]
    by_unit = o.run(list_documents, o.director, unit_id=o.units["财政局"])
    assert sorted(ids(by_unit, docs)) == ["done", "inspection", "request"]
    window = o.run(list_documents, o.director, date_from=date(2026, 11, 3), date_to=date(2026, 11, 16))
    assert ids(window, docs) == ["repair", "request", "inspection"]
    overdue = o.run(list_documents, o.director, overdue_on=TODAY, today=TODAY)
    assert "draft" in ids(overdue, docs) and all(row.overdue for row in overdue.rows)
    row = next(r for r in every.rows if r.id == docs["letter"])
    assert (row.number, row.state_label, row.unit_name, row.doc_type) == ("县政办函〔2026〕1号", "印制", "秘书股", "函")
    handled = next(r for r in every.rows if r.id == docs["inspection"])
    assert (handled.number, handled.source_unit, handled.unit_name, handled.urgency) == (
        "收〔2026〕1号", "江州市应急管理局", "县财政局", "加急",
    )
    reading = next(r for r in every.rows if r.id == docs["reading"])
    assert reading.circulating and reading.status_label == "传阅中"
    inspection = next(r for r in every.rows if r.id == docs["inspection"])
    assert not inspection.circulating and inspection.status_label == "承办"
    assert ids(o.run(list_documents, o.director, circulating=True), docs) == ["reading"]


SEARCHES: list[tuple[str, list[str]]] = [
    ("安全", ["cosigned", "inspection", "reading"]),  # title
    ("县政办函〔2026〕", ["letter"]),  # 发文字号
    ("收〔2026〕2号", ["repair"]),  # 收文编号
    ("应急管理局", ["inspection"]),  # 来文单位
    ("城政发", ["repair"]),  # 来文字号
    ("研究提出意见", ["repair"]),  # an opinion in the history
    ("各位领导阅", ["reading"]),
    ("同意印发", ["letter"]),
    ("100%", []),  # LIKE wildcards are taken literally
    ("统计_数据", []),
]


def test_search(filed: tuple[Office, dict[str, int]]) -> None:
    o, docs = filed
    for text, expected in SEARCHES:
        page = o.run(list_documents, o.director, search=text)
        assert (sorted(ids(page, docs)), page.total) == (sorted(expected), len(expected)), text


def test_a_search_pages_and_counts_alike_on_every_page(filed: tuple[Office, dict[str, int]]) -> None:
    """On SQLite and MariaDB a search's total comes in its page's statement; past the last page there is
    no row to carry it, and it is counted on its own."""
    o, docs = filed
    pages = [o.run(list_documents, o.director, search="通知", offset=offset, limit=2) for offset in (0, 2, 4, 9)]
    assert [(p.total, len(p.rows)) for p in pages] == [(5, 2), (5, 2), (5, 1), (5, 0)]
    found = [name for p in pages for name in ids(p, docs)]
    assert found == ids(o.run(list_documents, o.director, search="通知"), docs) and len(set(found)) == 5
    assert o.run(list_documents, o.director, search="没有这样的公文", offset=0).total == 0


def test_a_search_flags_what_is_being_circulated(filed: tuple[Office, dict[str, int]]) -> None:
    o, docs = filed
    page = o.run(list_documents, o.director, search="安全")
    flags = {name: row.circulating for name, row in zip(ids(page, docs), page.rows, strict=True)}
    assert flags == {"cosigned": False, "inspection": False, "reading": True}


def test_paging_and_order(filed: tuple[Office, dict[str, int]]) -> None:
    o, docs = filed
    first = o.run(list_documents, o.director, limit=3)
    second = o.run(list_documents, o.director, offset=3, limit=3)
    last = o.run(list_documents, o.director, offset=6, limit=3)
    assert (first.total, second.total, last.total, len(last.rows), last.offset) == (8, 8, 8, 2, 6)
    everything = ids(first, docs) + ids(second, docs) + ids(last, docs)
    assert everything == ids(o.run(list_documents, o.director), docs)
    by_due = o.run(list_documents, o.director, state="open", order_by="due_date")
    dues = [r.due_date for r in by_due.rows]
    assert dues == sorted(dues)
    # Titles sort by the database's collation; whatever it is, descending is ascending reversed.
    up = ids(o.run(list_documents, o.director, direction="out", order_by="title"), docs)
    down = ids(o.run(list_documents, o.director, direction="out", order_by="title", descending=True), docs)
    assert down == up[::-1] and sorted(up) == ["cosigned", "draft", "letter", "request"]
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"order_by": "secret"}, {"state": "nowhere"},
                {"direction": "sideways"}, {"date_from": date(2026, 12, 1), "date_to": date(2026, 11, 1)}):
        with pytest.raises(ValidationError):
            o.run(list_documents, o.director, **bad)


def test_a_liaison_sees_only_their_units_documents(filed: tuple[Office, dict[str, int]]) -> None:
    o, docs = filed
    # 县财政局: its own 请示, and the 收文 it leads (主办).
    assert sorted(ids(o.run(list_documents, o.liaison_fin), docs)) == ["done", "inspection", "request"]
    # 县教育局: the 通知 it co-signs and the 收文 it assists (协办).
    assert sorted(ids(o.run(list_documents, o.liaison_edu), docs)) == ["cosigned", "done", "inspection"]
    assert o.run(list_documents, o.liaison_edu, search="防汛").total == 0
    assert o.run(list_documents, o.liaison_fin, search="防汛").total == 1
    # Office roles and leaders see everything.
    assert o.run(list_documents, o.vice).total == o.run(list_documents, o.petition).total == 8


def test_a_page_is_two_statements(filed: tuple[Office, dict[str, int]]) -> None:
    """A count and a page; or, for a search on SQLite and MariaDB, the page with its total and the
    传阅中 flags of its rows."""
    o, _ = filed
    statements: list[str] = []

    def listen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    # An open window's change poller has just seen the director still current (app.services.kernel.access).
    access.confirm(o.ctx.engine, o.director)
    event.listen(o.ctx.engine, "before_cursor_execute", listen)
    try:
        with o.ctx.uow() as uow:
            page = list_documents(uow, o.director, direction="in", state="open", search="通知", limit=2)
    finally:
        event.remove(o.ctx.engine, "before_cursor_execute", listen)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2, selects
    assert page.total == 2 and len(page.rows) == 2
