"""A search longer than anything it could find (issue 13, Low): every list says how long a search may be, instead
of the database's own error (SQLite refuses a LIKE pattern past 50,000 characters)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.core.errors import ValidationError
from app.services.admin import audit
from app.services.claims import lists as claim_lists
from app.services.documents import records as documents
from app.services.workflow import worklist
from app.services.workflow.worklist import MAX_SEARCH_LENGTH
from tests.helpers.claims_office import Office, new_claim

HUGE = "关于" * 100_000


def searches(o: Office) -> dict[str, Callable[[str], Any]]:
    director, admin = o.people["director"], o.people["admin"]
    return {
        "documents": lambda text: o.run(documents.list_documents, director, search=text),
        "claims": lambda text: o.run(claim_lists.list_claims, director, box="all", search=text),
        "worklist": lambda text: o.run(worklist.list_instances, director, search=text, include_closed=True),
        "audit user": lambda text: o.run(audit.list_entries, admin, username=text),
        "audit action": lambda text: o.run(audit.list_entries, admin, action=text),
    }


@pytest.mark.parametrize("which", ["documents", "claims", "worklist", "audit user", "audit action"])
def test_a_huge_search_is_refused_with_a_message(office: Office, which: str) -> None:
    search = searches(office)[which]
    with pytest.raises(ValidationError, match=f"搜索内容最多 {MAX_SEARCH_LENGTH} 个字（现在 200000 个字）"):
        search(HUGE)
    with pytest.raises(ValidationError, match="最多 100 个字"):
        search("%" * (MAX_SEARCH_LENGTH + 1))


def test_a_search_at_the_bound_still_runs(office: Office) -> None:
    claim_id = new_claim(office)
    for search in searches(office).values():
        search("差" * MAX_SEARCH_LENGTH)
        # Spaces around the text are not counted: they are trimmed before the search, as before.
        search("  " + "差" * MAX_SEARCH_LENGTH + "  ")
    page = office.run(claim_lists.list_claims, office.people["director"], box="all", search="  差旅费  ")
    assert [row.id for row in page.rows] == [claim_id]
