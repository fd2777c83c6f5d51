"""Whole days in an office's time, as the query strings carry them (``from``, ``to``).

One place, because every filter by day needs the same two guards: the text must be a
date, and the date must be one a time zone can be applied to and turned into UTC (year 1
cannot). The inbox, the reports, the API and Open311 all read days through here; the
clock (``clock.start_of``, ``clock.end_of``) turns them into UTC bounds.
"""

from __future__ import annotations

from datetime import date

#: The days a filter may name: far past and future days cannot be turned into UTC bounds.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def parse(text: str | None) -> date | None:
    """The day ``text`` names (``YYYY-MM-DD``), or None when it names none or one out of range."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if in_range(day) else None


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST
