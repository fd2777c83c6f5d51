"""When compensation is due: *maksimal N x 24 jam setelah penerima layanan mengajukan komplain*.

Point 8 of both seeds' Lampiran counts calendar hours (2 x 24 in Lampung, 3 x 24 in Metro).
A decree may instead count working hours; then only time inside the office's working hours
on its working days counts, skipping Indonesian public holidays and the office's own days off.
Pure: the standard library and the `holidays` package, nothing from the app.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_calendars

from .rules import Deadline

_DAY = timedelta(days=1)


def due_at(deadline: Deadline, submitted_at: datetime, tz: str | tzinfo) -> datetime:
    """The moment compensation is due, as an aware UTC datetime.

    ``tz`` is the tenant's time zone; it matters only when counting working hours, whose
    opening and closing times are local.
    """
    if submitted_at.tzinfo is None or submitted_at.utcoffset() is None:
        raise ValueError("submitted_at must be timezone-aware (naive times are ambiguous)")
    zone = _zone(tz)
    start = submitted_at.astimezone(UTC)
    if deadline.counting == "calendar":
        return start + timedelta(hours=deadline.hours)
    return _add_working_hours(deadline, start, zone)


def is_working_day(deadline: Deadline, day: date) -> bool:
    """Whether the office counts this local date: a working weekday, no holiday, no day off."""
    return (
        day.isoweekday() in deadline.working_days
        and day not in deadline.days_off
        and day not in _public_holidays(deadline.holidays, day.year)
    )


def working_window(deadline: Deadline, day: date, tz: str | tzinfo) -> tuple[datetime, datetime]:
    """The opening and closing moments of a local date, in UTC."""
    zone = _zone(tz)
    opening, closing = deadline.working_hours
    return (
        datetime.combine(day, opening, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, closing, tzinfo=zone).astimezone(UTC),
    )


def _add_working_hours(deadline: Deadline, start: datetime, zone: tzinfo) -> datetime:
    """Walk day by day (not minute by minute) until the working hours are used up.

    A deadline that lands exactly on closing time stays at closing time, and a start outside
    working time (a Saturday, an evening) begins at the next opening.
    """
    remaining = timedelta(hours=deadline.hours)
    day = start.astimezone(zone).date()
    while True:
        if is_working_day(deadline, day):
            opening, closing = working_window(deadline, day, zone)
            counted_from = max(opening, start)
            if counted_from < closing:
                available = closing - counted_from
                if remaining <= available:
                    return counted_from + remaining
                remaining -= available
        day += _DAY


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {tz!r}") from None


@lru_cache(maxsize=256)
def _public_holidays(calendar: str, year: int) -> frozenset[date]:
    """Indonesia's public holidays of one year; cached because every day of a walk asks."""
    if not calendar:
        return frozenset()
    return frozenset(holiday_calendars.country_holidays(calendar, years=year).keys())
