"""The one clock of the application: the UTC instant, and each office's calendar.

The database keeps UTC; offices live in WIB, WITA or WIT. Every business date ("today",
"this month", a ticket number's year, "not in the future", a report's days) is the
office's, read here: at 00:30 WIB on the 1st, UTC still says the last day of the month
before, and at 23:30 WIT on 31 December the office is already in the new year. Nothing
else reads the system clock (ruff's banned-api rule keeps it so), which also gives the
tests one seam to freeze.

Pure: no Flask, no database. An office is anything with an IANA ``timezone`` name (a
``Tenant``), or the name itself.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo


class Office(Protocol):
    """What the clock needs of an office: its time zone."""

    @property
    def timezone(self) -> str: ...


OfficeOrZone = Office | str


def now() -> datetime:
    """This instant, in UTC and timezone-aware: what the database stores."""
    return datetime.now(timezone.utc)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(office: OfficeOrZone) -> ZoneInfo:
    """The office's time zone (``Asia/Jakarta`` is WIB, ``Asia/Makassar`` WITA, ``Asia/Jayapura`` WIT)."""
    return _zone(office if isinstance(office, str) else office.timezone)


def office_time(office: OfficeOrZone, moment: datetime | None = None) -> datetime:
    """``moment`` (now by default) on the office's wall clock."""
    return (moment or now()).astimezone(zone(office))


def office_date(office: OfficeOrZone, moment: datetime) -> date:
    """The office's calendar day on which ``moment`` fell."""
    return office_time(office, moment).date()


def office_today(office: OfficeOrZone) -> date:
    """Today, as the office's calendar says."""
    return office_time(office).date()


def office_year(office: OfficeOrZone, moment: datetime | None = None) -> int:
    """The office's year at ``moment`` (now by default): ticket numbers count per this year."""
    return office_time(office, moment).year


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def office_month(office: OfficeOrZone) -> tuple[date, date]:
    """The first and last day of the office's current month."""
    return month_of(office_today(office))


def office_year_span(office: OfficeOrZone) -> tuple[date, date]:
    """The first and last day of the office's current year."""
    today = office_today(office)
    return today.replace(month=1, day=1), today.replace(month=12, day=31)


def start_of(day: date, office: OfficeOrZone) -> datetime:
    """The first moment of ``day`` in the office's time."""
    return datetime.combine(day, time(), zone(office))


def end_of(day: date, office: OfficeOrZone) -> datetime:
    """The first moment after ``day`` in the office's time (bounds are half-open)."""
    return start_of(day + timedelta(days=1), office)


def utc_offset_hours(office: OfficeOrZone) -> int:
    """Hours ahead of UTC (7, 8 or 9 in Indonesia, which keeps no summer time), for SQL
    engines with no time zone database of their own (SQLite)."""
    offset = office_time(office).utcoffset() or timedelta()
    return int(offset.total_seconds() // 3600)
