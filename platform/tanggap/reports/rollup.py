"""The inspectorate's rollup: per office and day, the additive figures, refreshed by a job.

A year of fifty offices is a million complaints; summing 18,000 day rows instead answers in
milliseconds. A refresh recomputes only the (office, day) pairs whose complaints changed since
the last one (``updated_at`` moves on every step of the lifecycle), so it costs what changed.
Figures of state rather than history (open, overdue) are not rolled up: they are read live,
from the partial index on open complaints. Nor is the median time to compensation: a median
is not a sum, and the figure is read live by its one definition (``figures._medians``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, and_, case, cast, delete, func, insert, literal, or_, select, tuple_

from ..complaints import outcomes
from ..complaints.models import Complaint
from .. import clock
from ..extensions import db
from ..tenancy.models import Tenant
from ..tenancy.scoping import every_office
from .models import ReportDay, RollupState



def local_day(postgres: bool):
    """The office-time day a complaint was filed on, as SQL."""
    if postgres:
        return cast(func.timezone(Tenant.timezone, Complaint.submitted_at), Date)
    # SQLite has no time zone database: it is told each office zone's offset (Indonesia keeps no summer time).
    zones = db.session.execute(select(Tenant.timezone).distinct()).scalars()
    whens = [(Tenant.timezone == zone, clock.utc_offset_hours(zone)) for zone in zones]
    offset = case(*whens, else_=7) if whens else literal(7)
    shifted = func.printf("%+d hours", offset)
    return func.date(Complaint.submitted_at, shifted)


def refresh(now: datetime | None = None) -> int:
    """Bring the rollup up to date; the number of (office, day) pairs recomputed."""
    now = now or clock.now()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    state = db.session.get(RollupState, 1)
    day = local_day(postgres).label("day")
    joined = select(Complaint.tenant_id, day).join(Tenant, Tenant.id == Complaint.tenant_id)
    if state is None:
        db.session.execute(every_office(delete(ReportDay)))
        changed_filter = literal(True)
        touched = None
    else:
        # A minute of overlap: a transaction that committed just after the last refresh began.
        since = state.refreshed_at - timedelta(minutes=1)
        touched = db.session.execute(every_office(joined.where(Complaint.updated_at >= since).distinct())).all()
        if not touched:
            state.refreshed_at = now
            return 0
        pairs = [(tenant_id, _as_date(value)) for tenant_id, value in touched]
        for start in range(0, len(pairs), 500):
            db.session.execute(every_office(delete(ReportDay).where(tuple_(ReportDay.tenant_id, ReportDay.day)
                                                       .in_(pairs[start:start + 500]))))
        zones = dict(db.session.execute(select(Tenant.id, Tenant.timezone)).tuples().all())
        changed_filter = _filed_within(pairs, zones)
    _insert_days(day, changed_filter, now)
    if state is None:
        db.session.add(RollupState(id=1, refreshed_at=now))
    else:
        state.refreshed_at = now
    db.session.flush()
    return len(touched) if touched is not None else -1


def _insert_days(day, changed, now: datetime) -> None:
    count = func.count(Complaint.id)
    source = (
        select(Complaint.tenant_id, day, count,
               *(count.filter(outcomes.condition(name, now)) for name in ("upheld", "rejected", "compensated", "on_time")),
               func.count(Complaint.rating), func.coalesce(func.sum(Complaint.rating), 0))
        .join(Tenant, Tenant.id == Complaint.tenant_id).where(changed)
        .group_by(Complaint.tenant_id, day)
    )
    columns = ["tenant_id", "day", "received", "upheld", "rejected", "compensated", "on_time", "rated", "rating_total"]
    db.session.execute(every_office(insert(ReportDay).from_select(columns, source)))


def _filed_within(pairs: list[tuple[int, date]], zones: dict[int, str]):
    """Complaints filed on these office-days: index ranges, not an expression."""
    ranges = []
    for tenant_id, day in pairs:
        zone = zones[tenant_id]
        ranges.append(and_(Complaint.tenant_id == tenant_id, Complaint.submitted_at >= clock.start_of(day, zone),
                           Complaint.submitted_at < clock.end_of(day, zone)))
    return or_(*ranges)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def refreshed_at() -> datetime | None:
    state = db.session.get(RollupState, 1)
    return state.refreshed_at if state else None
