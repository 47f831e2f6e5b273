"""定期通报: the month's, quarter's or year's figures of supervision (app.core.supervision.notice defines every
figure once), with the items still overdue and the 责任追究 records of the period, for the screen, the printed
通报 and its Excel export alike.

Every item counts but a cancelled one (撤销: no longer to be done). An item counts for its lead unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import false, or_, select

from app.core.supervision.classes import SOURCES
from app.core.supervision.flow import ENTITY
from app.core.supervision.notice import ItemFacts, NoticeFigures, Period, notice_figures, notice_text
from app.models import Unit, WorkflowInstance
from app.models.supervision import SupervisionItem
from app.services.kernel.access import acting
from app.services.kernel.actor import Actor, require_role
from app.services.kernel.clock import local_date, office_today
from app.services.kernel.settings import get_setting
from app.services.kernel.uow import UnitOfWork
from app.services.supervision.items import REGISTRARS
from app.services.workflow.accountability import READERS, AccountabilityInfo, accountability_records


@dataclass(frozen=True)
class SupervisionNotice:
    office_name: str
    figures: NoticeFigures
    paragraphs: tuple[str, ...]
    accountability: tuple[AccountabilityInfo, ...]
    made_on: date

    @property
    def title(self) -> str:
        return f"关于{self.figures.period.label}督查督办工作情况的通报"


def _end_of(period: Period) -> datetime:
    """The last moment of the period's last day, in UTC as times are stored (a day later is safe: the facts
    judge the opening day in local time)."""
    return datetime.combine(period.end + timedelta(days=1), time.max, tzinfo=UTC)


@acting
def supervision_notice(uow: UnitOfWork, actor: Actor, period: Period, today: date | None = None) -> SupervisionNotice:
    """The notice of the period. The office's staff sweep the overdue items into 责任追究 first, so that the
    notice's records are complete; its readers are the office's staff and leaders and the county's leaders."""
    # The office's day, as the items' opening days are taken (local_date): on a machine whose own zone is
    # behind China's, date.today() is still yesterday when an item registered this morning opened today.
    today = today or office_today()
    if actor.id is not None:  # the command line (`govdesk print`) reads what the database holds
        require_role(actor, READERS, "查看督查通报")
    if actor.has(*REGISTRARS):
        from app.services.supervision.lifecycle import record_overdue

        with uow.as_one():
            record_overdue(uow, actor, today)
    # Plain columns, not mapped items, and only the items that can count (app.core.supervision.notice): one closed
    # before the period began counts only where it was due in the period. Years of closed items are left in the
    # database (at 20,000 items a quarter reads about a fifth of them; bench/supervision.py). The lead unit is
    # outer-joined (it always exists) so that MariaDB reads the items first: inner-joined, it read every item unit
    # by unit (90 ms instead of 25 ms there).
    item = SupervisionItem.__table__.c
    rows = uow.execute(
        select(item.id, item.title, Unit.name, item.source, WorkflowInstance.created_at, item.deadline, item.closed_on)
        .join(WorkflowInstance, WorkflowInstance.id == item.instance_id)
        .outerjoin(Unit, Unit.id == item.lead_unit_id)
        .where(
            item.cancelled == false(), WorkflowInstance.created_at <= _end_of(period),
            or_(item.closed_on.is_(None), item.closed_on >= period.start,
                item.deadline.between(period.start, period.end)),
        )
    ).all()
    facts = [
        ItemFacts(item_id, title, unit_name or "", source, local_date(created), deadline, closed_on)
        for item_id, title, unit_name, source, created, deadline, closed_on in rows
    ]
    # A period still running is counted as it stands today: nothing is overdue before its deadline comes.
    if period.end > today >= period.start:
        period = Period(period.start, today, f"{period.label}（截至{today.month}月{today.day}日）")
    figures = notice_figures(facts, period, SOURCES)
    records = accountability_records(uow, actor, period.start, period.end, ENTITY)
    result = SupervisionNotice(
        office_name=str(get_setting(uow, "office_name")), figures=figures, paragraphs=tuple(notice_text(figures)),
        accountability=tuple(records), made_on=today,
    )
    uow.commit()
    return result
