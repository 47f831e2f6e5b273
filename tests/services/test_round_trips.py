"""Round trips per use case (issue 12 point 4): on a LAN each one costs the network's round trip, so the
windows' loads are held to a count. On a server the count is taken where it is paid, at a relay between
the program and the server (bench.lan.DelayRelay with no delay): every turn in which the program spoke
and the server answered, BEGIN and ROLLBACK included. On SQLite, where nothing crosses a network, the
statements are counted. Counts are deterministic; no time is measured here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from app.bootstrap import AppContext, bootstrap
from app.core.documents import INCOMING, OUTGOING
from app.core.roles import Role
from app.demo.generate import generate_demo_data
from app.demo.office import DEMO_PASSWORD
from app.services.admin import auth
from app.services.claims import records as claims
from app.services.documents import records as documents
from app.services.kernel.actor import Actor
from app.services.kernel.settings import work_calendar
from app.services.workflow import todo
from bench.lan import DelayRelay, through
from tests.helpers import add_unit, add_user

OPEN_RECORD = 4  # the target for opening a record
# Today's counts for the others (PostgreSQL round trips), so that they do not creep up unseen.
LOGIN = 8
# The demo's 文秘 answers for a 督办事项 whose unit's report is overdue (催报): those rows are a statement of their
# own, asked only of someone who has such to-dos.
WORKBENCH = 7
LIST_PAGE = 4


class Counter:
    """Counts what one use case costs: round trips at the relay on a server, statements on SQLite."""

    def __init__(self, ctx: AppContext, relay: DelayRelay | None) -> None:
        self.ctx, self.relay = ctx, relay
        self.statements = 0
        event.listen(ctx.engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self.statements += 1

    def cost(self, work: Callable[[AppContext], object]) -> int:
        work(self.ctx)  # the pool's connection is made and the statements compiled before counting
        self.statements = 0
        if self.relay is not None:
            self.relay.reset()
        work(self.ctx)
        return self.relay.round_trips if self.relay is not None else self.statements


@pytest.fixture
def counted(db_url: str) -> Iterator[Counter]:
    filled = bootstrap(db_url)
    try:
        generate_demo_data(filled, size=52)
    finally:
        filled.dispose()
    url = make_url(db_url)
    relay = None if url.get_backend_name() == "sqlite" else DelayRelay((url.host or "127.0.0.1", url.port or 0))
    ctx = bootstrap(through(url, relay) if relay is not None else url)
    try:
        yield Counter(ctx, relay)
    finally:
        ctx.dispose()
        if relay is not None:
            relay.close()


def _one(ctx: AppContext, sql: str, **params: Any) -> Any:
    with ctx.uow() as uow:
        return uow.execute(text(sql), params).scalar_one()


def _user_with(ctx: AppContext, role: str) -> str:
    return str(_one(ctx, "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id "
                         "WHERE r.role_code = :role AND u.active = :yes ORDER BY u.id LIMIT 1", role=role, yes=True))


def _login(ctx: AppContext, username: str) -> Actor:
    with ctx.uow() as uow:
        return auth.login(uow, username, DEMO_PASSWORD)


def _busiest_document(ctx: AppContext, direction: str) -> int:
    """The document of this direction with the longest history (and so the most rows to show)."""
    return int(_one(
        ctx,
        "SELECT i.entity_id FROM workflow_instances i JOIN workflow_history h ON h.instance_id = i.id "
        "JOIN documents d ON d.id = i.entity_id WHERE i.entity_type = 'document' AND d.direction = :direction "
        "GROUP BY i.entity_id ORDER BY count(*) DESC, i.entity_id LIMIT 1",
        direction=direction,
    ))


def test_each_window_costs_few_round_trips(counted: Counter) -> None:
    ctx = counted.ctx
    secretary = _user_with(ctx, "secretary")
    actor = _login(ctx, secretary)
    finance = _login(ctx, _user_with(ctx, "finance"))
    outgoing_id, incoming_id = _busiest_document(ctx, OUTGOING), _busiest_document(ctx, INCOMING)
    claim_id = int(_one(ctx, "SELECT c.id FROM claims c JOIN claim_lines l ON l.claim_id = c.id "
                             "WHERE c.submitted = :yes GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1", yes=True))

    def open_document(document_id: int) -> Callable[[AppContext], object]:
        def work(c: AppContext) -> object:
            with c.uow() as uow:
                detail = documents.get_document(uow, actor, document_id)
            assert detail.instance.history, "the document chosen has a history to show"
            return detail
        return work

    def open_claim(c: AppContext) -> object:
        with c.uow() as uow:
            detail = claims.get_claim(uow, finance, claim_id)
        assert detail.lines and detail.workflow.history
        return detail

    def login(c: AppContext) -> object:
        return _login(c, secretary)

    def workbench(c: AppContext) -> object:
        with c.uow() as uow:
            return todo.todo(uow, actor, date.today()), work_calendar(uow).is_workday(date.today())

    def list_page(c: AppContext) -> object:
        with c.uow() as uow:
            return documents.list_documents(uow, actor, direction=OUTGOING, limit=100)

    costs = {
        "open 发文": counted.cost(open_document(outgoing_id)),
        "open 收文": counted.cost(open_document(incoming_id)),
        "open 报销单": counted.cost(open_claim),
        "login": counted.cost(login),
        "工作台": counted.cost(workbench),
        "list page": counted.cost(list_page),
    }
    bounds = {
        "open 发文": OPEN_RECORD, "open 收文": OPEN_RECORD, "open 报销单": OPEN_RECORD,
        "login": LOGIN, "工作台": WORKBENCH, "list page": LIST_PAGE,
    }
    over = {case: (cost, bounds[case]) for case, cost in costs.items() if cost > bounds[case]}
    assert not over, f"round trips (or statements on SQLite) above their bound: {over}; all: {costs}"
    if counted.relay is None:
        # On SQLite the record windows read two statements: the record, then every child row.
        assert costs["open 发文"] == costs["open 收文"] == costs["open 报销单"] == 2


def test_a_liaison_still_sees_only_documents_linked_to_their_unit(counted: Counter) -> None:
    """The document's one statement carries the liaison's links; a document of another unit is refused."""
    from app.core.errors import PermissionDenied

    ctx = counted.ctx
    links = (
        "d.drafting_unit_id = u.unit_id OR d.handling_unit_id = u.unit_id"
        " OR d.workflow_instance_id IN (SELECT instance_id FROM workflow_work_items"
        " WHERE unit_id = u.unit_id AND kind IN ('cosign', 'receipt'))"
        " OR d.id IN (SELECT document_id FROM document_co_handlers WHERE unit_id = u.unit_id)"
    )
    # The first liaison whose unit some document is linked to (the demo draws which units those are).
    username = _one(ctx, "SELECT min(u.username) FROM users u JOIN user_roles r ON r.user_id = u.id "
                         f"WHERE r.role_code = 'liaison' AND EXISTS (SELECT 1 FROM documents d WHERE {links})")
    assert username is not None
    liaison = _login(ctx, str(username))
    linked = _one(ctx, f"SELECT min(d.id) FROM documents d, users u WHERE u.username = :name AND ({links})",
                  name=str(username))
    assert linked is not None
    with ctx.uow() as uow:
        assert documents.get_document(uow, liaison, int(linked)).document.id == linked
    # A liaison of a unit no document is linked to.
    stranger = add_user(ctx, "stranger", [Role.LIAISON], add_unit(ctx, "新设单位"))
    with ctx.uow() as uow, pytest.raises(PermissionDenied):
        documents.get_document(uow, stranger, int(linked))
