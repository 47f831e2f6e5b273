"""The office's clock for the days the services store and print: China Standard Time, which has no
daylight saving, whatever the machine's own time zone.

Every area takes a stored moment's day the same way (a 发文's date, a 报销单's signature day), so it lives
here and not in one area that the others would have to reach into.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))


def local_date(moment: datetime) -> date:
    """The office's calendar day of an aware moment."""
    return moment.astimezone(CST).date()


def office_today() -> date:
    """Today on the office's clock: the day local_date gives a moment stored now, whatever the machine's zone."""
    return local_date(datetime.now(UTC))


def as_utc(moment: datetime) -> datetime:
    """An aware time as UTC; a naive one is taken as the office's local time."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=CST)).astimezone(UTC)
