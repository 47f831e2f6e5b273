"""On MariaDB a query whose parts ask no rule that lists records (the director's) has each other gram's EXISTS
asked of the postings walked, not made a semi-join (app.services.search.query._probing_each_row); the session's
optimizer settings are as they were afterwards, and the results are the same as on the other databases."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from app.bootstrap import AppContext
from app.services.search import query as search
from tests.helpers.document_office import Office, build_office, new_incoming

SWITCH_OFF = "SET SESSION optimizer_switch = 'exists_to_in=off'"


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _asked(office: Office, actor: object, typed: str) -> tuple[list[int], list[str]]:
    said: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "optimizer_switch" in statement:
            said.append(statement)

    event.listen(office.ctx.engine, "before_cursor_execute", seen)
    try:
        found = office.run(search.search_kind, actor, "document", typed)
    finally:
        event.remove(office.ctx.engine, "before_cursor_execute", seen)
    return sorted(hit.record_id for hit in found.hits), said


def test_the_directors_query_probes_each_posting_on_mariadb_only(office: Office) -> None:
    first = new_incoming(office, title="关于森林防火工作的通知")
    second = new_incoming(office, title="关于森林防火检查的通知")
    new_incoming(office, title="关于农村公路养护的通知")
    found, said = _asked(office, office.director, "森林防火")
    assert found == [first, second]
    if office.ctx.engine.dialect.name == "mysql" and getattr(office.ctx.engine.dialect, "is_mariadb", False):
        assert said == [SWITCH_OFF, "SET SESSION optimizer_switch = DEFAULT"]
        with office.ctx.engine.connect() as conn:
            assert "exists_to_in=on" in conn.execute(text("SELECT @@SESSION.optimizer_switch")).scalar_one()
    else:
        assert said == []


def test_a_liaisons_query_keeps_the_servers_plan(office: Office) -> None:
    """A 联络员's rule lists the records they see: those lists are read once, so the switch is left alone."""
    new_incoming(office, title="关于森林防火工作的通知")
    _found, said = _asked(office, office.liaison_fin, "森林防火")
    assert said == []
