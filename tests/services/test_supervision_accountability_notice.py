"""责任追究 records feed the notices: an item past its deadline is recorded once against its responsible person and
lead unit, and the record is named in the 督查通报 and in the quarter's 公文运转及差错情况通报 (read back from the
PDF), on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from app.bootstrap import AppContext
from app.core.supervision.notice import quarter_period
from app.forms import PrintContext, PrintPeriod, build_registry
from app.services.supervision import lifecycle
from app.services.supervision.notice import supervision_notice
from app.services.workflow.accountability import accountability_records
from tests.helpers.document_office import TODAY, build_office
from tests.helpers.supervision_office import assigned_item

LATER = TODAY + timedelta(days=8)


def test_an_overdue_item_is_recorded_once_and_named_in_both_notices(ctx: AppContext) -> None:
    o = build_office(ctx)
    assigned_item(o, deadline=TODAY + timedelta(days=3), title="整改农贸市场消防隐患")
    assert o.run(lifecycle.record_overdue, o.clerk, LATER) == 1
    assert o.run(lifecycle.record_overdue, o.clerk, LATER) == 0
    [record] = o.run(accountability_records, o.director, TODAY, LATER)
    assert (record.kind_label, record.person_name, record.unit_name) == ("逾期未办结", "张文秘", "县财政局")
    assert "整改农贸市场消防隐患" in record.title

    notice = o.run(supervision_notice, o.director, quarter_period(2026, 4), LATER)
    assert [r.id for r in notice.accountability] == [record.id]

    pdf = build_registry().load_and_render("document-notice", PrintContext(ctx, o.director),
                                           PrintPeriod(year=2026, quarter=4))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert "督查督办事项责任追究情况" in text and "整改农贸市场消防隐患" in text and "县财政局" in text
