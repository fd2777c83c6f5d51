"""A reporting period: whole days in the office's time, turned into UTC bounds for queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import days


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in ``timezone``."""

    start: date
    end: date
    timezone: str = "Asia/Jakarta"

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return days.start_of(self.start, self.timezone), days.end_of(self.end, self.timezone)

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
    def this_month(cls, today: date, timezone: str) -> "Period":
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return cls(start, end, timezone)

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date, timezone: str) -> "Period":
        """From query-string dates; anything missing, unreadable or out of range falls back to this month."""
        default = cls.this_month(today, timezone)
        first = days.parse(start) if start else default.start
        last = days.parse(end) if end else default.end
        if first is None or last is None or last < first or (last - first).days > 3660:
            return default
        return cls(first, last, timezone)
