"""A whole year's 信息台账 imported, then the year's notice (app.services.information.notices, the notices helper's
work, as COMMON.md agrees it) counts it as the office counts it: 18 issues, 148 items, 52 items adopted for 216
points, 10 research articles. On SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from datetime import date

import pytest

from app.bootstrap import AppContext
from app.services.information import ledger_import
from tests.helpers.document_office import Office
from tests.helpers.information_ledger import ADOPTIONS, ARTICLES, ISSUES, ITEMS, POINTS, YEAR, ledger_bytes, year_ledger
from tests.helpers.information_office import build_information_office

TODAY = date(2026, 11, 27)


@pytest.fixture
def office(ctx: AppContext) -> Office:
    return build_information_office(ctx)


def test_the_years_notice_counts_the_imported_ledger(office: Office) -> None:
    # Imported here, not at the top: the notices module comes from another helper's branch.
    from app.services.information import notices  # type: ignore[attr-defined,unused-ignore]

    o = office
    o.run(ledger_import.import_items, o.clerk, ledger_bytes(year_ledger()), today=TODAY)
    notice = o.run(notices.notice, o.clerk, YEAR, today=TODAY)
    totals = notice.totals
    assert (totals.issues, totals.items, totals.adopted_items, totals.points, totals.articles) == (
        ISSUES, ITEMS, ADOPTIONS, POINTS, ARTICLES) == (18, 148, 52, 216, 10)
    assert (notice.start, notice.end) == (date(YEAR, 1, 1), date(YEAR, 12, 31))
    # Each group's share adds up to the office's.
    assert sum(g.points for g in notice.groups) == POINTS
    assert sum(g.articles for g in notice.groups) == ARTICLES
