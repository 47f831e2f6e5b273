"""The claims office most 报销单 service tests share (tests/helpers/claims_office.py). A module with an office
of its own (the 公文 office, or test_claims_flow's) defines its own ``office`` fixture, which wins over this one."""

from __future__ import annotations

import pytest

from app.bootstrap import AppContext
from tests.helpers import claims_office


@pytest.fixture
def office(ctx: AppContext) -> claims_office.Office:
    """Units and people in one unit of work."""
    return claims_office.build_office(ctx)


@pytest.fixture(params=["waiting", "postings", "visible"])
def walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How a 综合查询 scope test's records are matched: still waiting to be posted (on their text), or posted at
    once and found along the rarest gram's postings, or among the records the asker sees (whichever the query
    would choose by the counts, both must give the same results)."""
    from app.services.search import query, upkeep

    if request.param != "waiting":
        monkeypatch.setattr(upkeep, "POST_AT", 1)
        visible = request.param == "visible"
        monkeypatch.setattr(
            query._Plan, "walks_visible", lambda plan, code: visible and bool(plan.rules[code].lists)
        )
    return str(request.param)
