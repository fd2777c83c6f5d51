"""A reporting period: whole days in the office's time, turned into UTC bounds for queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


#: The days a period may cover: far past and future days cannot be turned into UTC bounds.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in ``timezone``."""

    start: date
    end: date
    timezone: str = "Asia/Jakarta"

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(self.timezone)
        return (datetime.combine(self.start, time(), zone),
                datetime.combine(self.end + timedelta(days=1), time(), zone))

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
        """From query-string dates; anything missing or unreadable falls back to this month."""
        default = cls.this_month(today, timezone)
        try:
            first = date.fromisoformat(start) if start else default.start
            last = date.fromisoformat(end) if end else default.end
        except ValueError:
            return default
        if last < first or (last - first).days > 3660 or not (EARLIEST <= first and last <= LATEST):
            return default
        return cls(first, last, timezone)
