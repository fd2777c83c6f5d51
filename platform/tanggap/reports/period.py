"""A reporting period: whole days of the calendar, turned into UTC bounds in an office's time.

The days are what a reader chose ("1 to 30 April"); each office's complaints are counted
between its own midnights, so an office in WIT and one in WIB report the same April.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import clock, days


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in ``timezone``."""

    start: date
    end: date
    timezone: str = "Asia/Jakarta"

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return self.bounds_in(self.timezone)

    def bounds_in(self, office: clock.OfficeOrZone) -> tuple[datetime, datetime]:
        """The period's first and after-last moments in ``office``'s time."""
        return clock.start_of(self.start, office), clock.end_of(self.end, office)

    @property
    def query(self) -> dict[str, str]:
        """The period as the query string carries it (``from``, ``to``)."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @property
    def months(self) -> list[str]:
        """Every month the period touches, ``YYYY-MM``, so an empty month still shows."""
        found, day = [], self.start.replace(day=1)
        while day <= self.end:
            found.append(f"{day:%Y-%m}")
            day = (day + timedelta(days=32)).replace(day=1)
        return found

    @classmethod
    def this_month(cls, timezone: str) -> "Period":
        """The month the office's calendar is in now."""
        return cls(*clock.office_month(timezone), timezone)

    @classmethod
    def this_year(cls, timezone: str) -> "Period":
        return cls(*clock.office_year_span(timezone), timezone)

    @classmethod
    def parse(cls, start: str | None, end: str | None, timezone: str, default: "Period | None" = None) -> "Period":
        """From query-string dates; anything missing, unreadable or out of range falls back to
        ``default`` (this month of the office's calendar)."""
        default = default or cls.this_month(timezone)
        first = days.parse(start) if start else default.start
        last = days.parse(end) if end else default.end
        if first is None or last is None or last < first or (last - first).days > 3660:
            return default
        return cls(first, last, timezone)
