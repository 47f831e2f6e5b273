"""How each server's planner is steered to the plan a walk means, and the same records found on every database:
on MariaDB a query whose parts ask no rule that lists records (the director's) has each other gram's EXISTS
asked of the postings walked, not made a semi-join (app.services.search.query._probing_each_row), the session's
optimizer settings as they were afterwards, and the other grams joined along the postings; on PostgreSQL each
gram's lookup among the records a 联络员 sees is fenced (app.services.search.statements.Hints)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.bootstrap import AppContext
from app.services.search import query as search
from tests.helpers import search_checks
from tests.helpers.document_office import Office, build_office, new_draft, new_incoming

SWITCH_OFF = "SET SESSION optimizer_switch = 'exists_to_in=off'"


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_office(ctx)


def _asked(office: Office, actor: object, typed: str) -> tuple[list[int], list[str]]:
    with search_checks.statements_sent(office.ctx, "optimizer_switch") as said:
        found = office.run(search.search_kind, actor, "document", typed)
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


def _ranking(office: Office, actor: object, typed: str) -> tuple[list[int], str]:
    with search_checks.statements_sent(office.ctx, "ORDER BY") as said:
        found = office.run(search.search_kind, actor, "document", typed)
    (statement,) = said
    return sorted(hit.record_id for hit in found.hits), statement


@pytest.mark.parametrize("typed", ["森林防火", "森林 通知"])
def test_on_mariadb_the_other_grams_are_joined_not_asked_with_exists(
    office: Office, typed: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Along the postings, MariaDB gets each other gram joined on its posting of the record (a 联络员's rule made
    it read all of an EXISTS gram's postings first); the others keep EXISTS; the same records either way, for
    the director and for a 联络员, with no record counted twice."""
    from app.services.search import upkeep

    monkeypatch.setattr(upkeep, "POST_AT", 1)
    monkeypatch.setattr(search._Plan, "walks_visible", lambda _plan, _code: False)
    theirs = new_draft(office, cosigner_unit_ids=[office.units["财政局"]])
    plain = new_draft(office, title="关于做好冬季森林防火巡查的通知")
    for who, expected in ((office.director, sorted([theirs, plain])), (office.liaison_fin, [theirs])):
        found, statement = _ranking(office, who, typed)
        assert found == expected
        joined = "JOIN search_postings AS" in statement
        exists = "EXISTS (SELECT * FROM search_postings" in statement
        if getattr(office.ctx.engine.dialect, "is_mariadb", False):
            assert joined and not exists, statement
        else:
            assert exists and not joined, statement


@pytest.mark.parametrize("typed", ["森林防火", "森林 通知", "财"])
def test_on_postgresql_each_lookup_among_the_visible_records_is_fenced(
    office: Office, typed: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Among the records a 联络员 sees, each gram's EXISTS carries OFFSET 0 on PostgreSQL (else it is pulled up
    into a hash semi-join that reads all that gram's postings); the other databases keep a plain EXISTS; the same
    records either way."""
    from app.services.search import upkeep

    monkeypatch.setattr(upkeep, "POST_AT", 1)
    monkeypatch.setattr(search._Plan, "walks_visible", lambda plan, code: plan.rules[code].lists)
    theirs = new_draft(office, title="关于财政局森林防火巡查的通知", cosigner_unit_ids=[office.units["财政局"]])
    new_draft(office, title="关于做好冬季森林防火巡查的通知")
    found, statement = _ranking(office, office.liaison_fin, typed)
    assert found == [theirs]
    lookups = statement.count("EXISTS (SELECT 1 FROM search_postings")
    assert lookups >= 1, statement
    if office.ctx.engine.dialect.name == "postgresql":
        assert statement.count("LIMIT ALL OFFSET 0)") == lookups, statement
    else:
        assert "OFFSET 0" not in statement, statement
