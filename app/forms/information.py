"""信息调研's form loaders for `govdesk print` and the windows: the 《政务信息》 issue (by id), the notice (by year,
optionally a quarter) and the study rotation (by term id). Each returns the plain data its printing module draws."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.forms.context import PrintPeriod, Source, actor_of, record_print, required

# ----- 通报 -----

if TYPE_CHECKING:
    from app.printing.information.notice_data import NoticeSheet
    from app.services.information.notices import Notice


def notice_sheet_of(notice: Notice, office_name: str) -> NoticeSheet:
    """The printed notice's data from the service's notice (the UI's tab prints what it shows with this too)."""
    from app.printing.information.notice_data import NoticeGroupRow, NoticeSheet, NoticeTotals

    t = notice.totals
    return NoticeSheet(
        title=notice.title, period_label=notice.period_label, office_name=office_name, issued_on=notice.today,
        totals=NoticeTotals(t.issues, t.items, t.adopted_items, t.points, t.articles),
        groups=tuple(
            NoticeGroupRow(g.name, g.leader_name, g.quota, g.items, len(g.weeks), g.weeks_missed, g.article_quota,
                           g.half_articles, g.adopted_items, g.points, g.loses_eligibility, g.eligibility_reasons)
            for g in notice.groups
        ),
        year=notice.year, quarter=notice.quarter, open=notice.today <= notice.end,
        items_per_week=notice.items_per_week, articles_per_half_year=notice.articles_per_half_year,
    )


def load_notice(ctx: Source, period: PrintPeriod, *, today: date | None = None) -> NoticeSheet:
    """`govdesk print info-notice --year 2026 [--quarter 4]`: the groups' quota completion, read as the user who
    prints (the editors and the groups' members); the print recorded for the period."""
    from app.services.information.notices import notice
    from app.services.kernel.settings import get_setting

    year = required(period.year, "政务信息报送情况通报", "年度（--year）")
    actor = actor_of(ctx)
    with ctx.uow() as uow:
        found = notice(uow, actor, year, period.quarter, today=today or date.today())
        data = notice_sheet_of(found, str(get_setting(uow, "office_name")))
        record_print(uow, ctx, "info-notice", "information_item", None, period=found.period_label)
    return data
