"""groups.group_people: whom the group editor offers (active users, by rank), who may lead, who is in which group;
for the director and the administrator only."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from app.core.errors import PermissionDenied
from app.services.information import groups
from tests.helpers.document_office import Office
from tests.helpers.information_office import build_information_office, group_id


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_the_people_the_group_editor_offers(office: Office) -> None:
    o = office
    people = {p.user_id: p for p in o.run(groups.group_people, o.director)}
    assert people[o.deputy.id].may_lead and people[o.director.id].may_lead
    assert not people[o.clerk.id].may_lead and not people[o.cashier.id].may_lead
    assert people[o.petition.id].group_id == group_id(o, "first")
    assert people[o.finance.id].group_id == group_id(o, "second")
    assert people[o.cashier.id].group_id is None
    assert [p.user_id for p in o.run(groups.group_people, o.admin)] == list(people)


def test_only_the_director_and_the_administrator(office: Office) -> None:
    o = office
    for who in ("clerk", "deputy", "petition"):
        with pytest.raises(PermissionDenied):
            o.run(groups.group_people, o.people[who])
