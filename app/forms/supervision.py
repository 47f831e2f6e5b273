"""The loaders of 督查督办's forms: the 督办通知单 of an item, the 督办台账 (of a year, or of a list as filtered)
and the 督查通报 of a month, a quarter or a year."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from app.forms.context import PrintPeriod, Source, actor_of, record_print, required

if TYPE_CHECKING:
    from app.printing.supervision.data import LedgerSheet, SupervisionNotice, SupervisionNoticeSlip
    from app.services.supervision.ledger import LedgerFilter
    from app.services.supervision.notice import SupervisionNotice as ServiceNotice


def load_supervision_slip(ctx: Source, item_id: int) -> SupervisionNoticeSlip:
    from app.printing.supervision.data import SupervisionNoticeSlip
    from app.services.supervision import detail

    with ctx.uow() as uow:
        facts = detail.slip_facts(uow, actor_of(ctx), item_id)
        record_print(uow, ctx, "supervision-slip", "supervision_item", facts.info.id)
    info = facts.info
    return SupervisionNoticeSlip(
        office_name=facts.office_name, number=info.number, title=info.title, source=info.source,
        requirement=info.requirement, lead_unit=info.lead_unit_name, co_units=[name for _id, name in info.co_units],
        responsible_person=info.responsible_name, priority=info.priority, deadline=info.deadline,
        issued_on=facts.issued_on, report_rhythm=facts.rhythm_text,
    )


def ledger_sheet(ctx: Source, ledger: LedgerFilter, unit_name: str = "") -> LedgerSheet:
    """The 督办台账 of a list as the user filtered it, every row of it, in the list's order."""
    from app.core.errors import PermissionDenied
    from app.printing.supervision.data import LedgerRow, LedgerSheet
    from app.services.kernel.settings import get_setting
    from app.services.supervision.items import sees_all
    from app.services.supervision.ledger import ledger_rows

    today = date.today()
    actor = actor_of(ctx)
    if not sees_all(actor):
        # A unit keeps its items in its own list; the printed 台账 is the office's.
        raise PermissionDenied("督办台账由办公室和县领导打印，请向办公室索取")
    with ctx.uow() as uow:
        rows = ledger_rows(uow, actor, ledger, today)
        office = str(get_setting(uow, "office_name"))
        record_print(uow, ctx, "supervision-ledger", "supervision_item", None, year=ledger.year, count=len(rows))
    return LedgerSheet(
        office_name=office, filters=ledger.describe(unit_name), printed_on=today,
        rows=tuple(
            LedgerRow(
                serial=serial, source=row.source, title=row.title, requirement=row.requirement,
                lead_unit=row.lead_unit_name, co_units=row.co_unit_names.split("、") if row.co_unit_names else (),
                responsible_person=row.responsible_name, priority=row.priority, deadline=row.deadline,
                state=row.status, latest_report=row.latest_report if row.latest_report_on else "",
                latest_report_on=row.latest_report_on,
            )
            for serial, row in enumerate(rows, start=1)
        ),
    )


def load_supervision_ledger(ctx: Source, period: PrintPeriod) -> LedgerSheet:
    """`govdesk print supervision-ledger --year 2026`: every item of the year, open or closed."""
    from app.services.supervision.ledger import LedgerFilter

    year = required(period.year, "督办台账", "年度（--year）")
    return ledger_sheet(ctx, LedgerFilter(box="all", year=year))


def load_supervision_notice(ctx: Source, period: PrintPeriod) -> SupervisionNotice:
    """The 督查通报 of the --year, or of its --month or --quarter."""
    from app.core.supervision.notice import month_period, quarter_period, year_period
    from app.services.supervision.notice import supervision_notice

    year = required(period.year, "督查通报", "年度（--year）")
    if period.month is not None:
        covered = month_period(year, period.month)
    elif period.quarter is not None:
        covered = quarter_period(year, period.quarter)
    else:
        covered = year_period(year)
    with ctx.uow() as uow:
        notice = supervision_notice(uow, actor_of(ctx), covered)
        record_print(uow, ctx, "supervision-notice", "supervision_item", None, year=year, quarter=period.quarter,
                     month=period.month)
    return printable_notice(notice)


def printable_notice(notice: ServiceNotice) -> SupervisionNotice:
    """The notice the service counted, as the form and the chart take it."""
    from app.printing.supervision.data import AccountabilityEntry, notice_from_figures

    return notice_from_figures(
        notice.figures, office_name=notice.office_name, issued_on=notice.made_on,
        accountability=[AccountabilityEntry(r.person_name, r.unit_name, r.title, r.reason, r.occurred_on)
                        for r in notice.accountability],
        paragraphs=notice.paragraphs,
    )
