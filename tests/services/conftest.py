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
