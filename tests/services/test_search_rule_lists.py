"""Which areas' rules 综合查询 can walk as lists of the records the asker sees, and when it does: a rule that says
"entity_id IN (…)", or an OR of such, is a list; anything else (NOT IN, a condition on the flow's state, AND) is
asked of each match instead. The walk among the listed records is chosen for a term commoner than the records the
asker sees, and never beyond VISIBLE_CAP."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, select

from app.db.tables import units, workflow_instances
from app.services.search import query, rules, statements
from tests.helpers.claims_office import Office

WI = workflow_instances.c
UNIT_IDS = select(units.c.id).where(units.c.name == "县财政局")
OTHER_IDS = select(units.c.id).where(units.c.name == "县教育局")


def _listed(rule: Any) -> list[str] | None:
    lists = rules.id_lists(rule)
    return None if lists is None else [str(listed) for listed in lists]


def test_an_in_list_and_an_or_of_in_lists_are_lists() -> None:
    assert _listed(WI.entity_id.in_(UNIT_IDS)) == [str(UNIT_IDS)]
    assert _listed(or_(WI.entity_id.in_(UNIT_IDS), WI.entity_id.in_(OTHER_IDS))) == [str(UNIT_IDS), str(OTHER_IDS)]
    # A part plainly false adds nothing; a rule plainly false lists nothing (the kind is not searched at all).
    assert _listed(or_(WI.entity_id.in_(UNIT_IDS), false())) == [str(UNIT_IDS)]
    assert _listed(false()) == []


def test_any_other_rule_is_asked_of_each_match() -> None:
    others: list[Any] = [
        WI.entity_id.not_in(UNIT_IDS),
        WI.unit_id.in_(UNIT_IDS),
        and_(WI.entity_id.in_(UNIT_IDS), WI.closed == false()),
        or_(WI.entity_id.in_(UNIT_IDS), WI.flow_version.in_([1, 2])),
        WI.entity_id.in_([1, 2, 3]),
    ]
    for rule in others:
        assert rules.id_lists(rule) is None, str(rule)


def test_a_claims_rule_is_a_list_for_those_who_see_few(office: Office) -> None:
    """A colleague or a department's head sees their own and their department's claims: two lists. Finance and
    the leaders see every submitted claim ("not a draft never submitted"): asked of each match."""
    o = office
    with o.ctx.uow() as uow:
        for who, lists in (("colleague", True), ("head", True), ("finance", False), ("director", False)):
            rule = rules.VisibleRule.of(uow, o.people[who], query.searched()["claim"][0])
            assert (rule.lists is not None) == lists, who


def _plan(seen: int, driver: int, lists: bool = True) -> query._Plan:
    rule = rules.VisibleRule("claim", false(), (UNIT_IDS,) if lists else None, False)
    return query._Plan({2: {7: driver, 8: driver + 10}}, set(), {2: seen} if lists else {}, {2: rule})


def test_the_walk_among_the_visible_records_is_chosen_for_a_term_commoner_than_they() -> None:
    cap = statements.GRAM_COUNT_CAP
    assert _plan(seen=300, driver=cap).walks_visible(2)  # a common term, a few hundred records seen
    assert _plan(seen=40, driver=120).walks_visible(2)  # fewer records seen than the term's postings
    assert not _plan(seen=300, driver=120).walks_visible(2)  # a rare term: its postings are fewer
    assert not _plan(seen=statements.VISIBLE_CAP, driver=cap).walks_visible(2)  # too many seen to walk them all
    assert not _plan(seen=10, driver=cap, lists=False).walks_visible(2)  # a rule that is no list


def test_on_a_server_a_list_under_an_or_is_listed_one_condition_at_a_time() -> None:
    """Each part is one of the alternatives alone, from the same tables: the union is the same ids, and each part
    reads the index of its own alternative. A select with a limit, a grouping or DISTINCT is left whole."""
    from app.models.documents import Document

    d = Document.__table__.c
    listed = select(d.id).where(or_(d.drafting_unit_id == 9, d.handling_unit_id == 9))
    rule = WI.entity_id.in_(listed)
    assert _listed(rule) == [str(listed)]
    split = rules.id_lists(rule, split_or=True)
    assert split is not None and len(split) == 2
    literal = {"literal_binds": True}
    assert [str(part.whereclause.compile(compile_kwargs=literal)) for part in split] == [
        "documents.drafting_unit_id = 9", "documents.handling_unit_id = 9",
    ]
    assert all(str(part).startswith("SELECT documents.id \nFROM documents \nWHERE") for part in split)
    joined = select(d.id).select_from(Document.__table__.join(units, units.c.id == d.drafting_unit_id)).where(
        or_(units.c.name == "财政局", d.handling_unit_id == 9))
    joined_split = rules.id_lists(WI.entity_id.in_(joined), split_or=True)
    assert joined_split is not None and len(joined_split) == 2
    for part in joined_split:
        assert "FROM documents JOIN units ON units.id = documents.drafting_unit_id" in " ".join(str(part).split())
    alone = select(d.id).where(d.drafting_unit_id == 9)
    for whole in (listed.limit(5), listed.group_by(d.id), listed.distinct(), alone):
        kept = rules.id_lists(WI.entity_id.in_(whole), split_or=True)
        assert kept is not None and [str(part) for part in kept] == [str(whole)]



def _walk_of_the_page(typed: str, year: int | None = None) -> set[str]:
    """The tables the LIMITed select of a 公文 walk along the postings reads, for what was typed."""
    from sqlalchemy import Select
    from sqlalchemy.sql.util import find_tables
    from sqlalchemy.sql.visitors import iterate

    from app.core.search_text import parse_query

    spec, _source = query.searched()["document"]
    asked = parse_query(typed)
    part = statements.Part(statements.POSTINGS, statements.Asked(spec, False), tuple(asked.grams()),
                           rules.VisibleRule("document", None, None, True))
    statement = statements.ranked([part], asked, year, "").statement
    (limited,) = {s for s in iterate(statement) if isinstance(s, Select) and s._limit_clause is not None}
    return {getattr(table, "name", "") for table in find_tables(limited, include_aliases=False)}


def test_along_the_postings_the_index_rows_are_read_for_the_page_alone() -> None:
    """Where nothing but the title asks the index's rows (no needle longer than two characters to check in the
    text, no year or state), the walk keeps its page of postings first and reads the rows of that page only; a
    四字 needle or a filter reads the row of each posting walked, as it must."""
    assert "search_records" not in _walk_of_the_page("信")
    assert "search_records" not in _walk_of_the_page("农村")
    assert "search_records" in _walk_of_the_page("农村公路")
    assert "search_records" in _walk_of_the_page("信", year=2026)
