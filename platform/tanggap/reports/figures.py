"""The figures of the reports, each in one aggregate query over the complaints filed in a period.

The dashboard and the inspectorate read the same definitions (``complaints.outcomes``), and
so does the inbox a figure links to. Every query reads the complaints of the period through
the (tenant_id, submitted_at) index; nothing scans the whole table.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, extract, false, func, or_, select

from .. import clock
from ..assessments.models import Assessment, PackageItem
from ..complaints import outcomes
from ..complaints.models import Complaint
from ..extensions import db
from ..sanctions.models import Sanction
from ..tenancy.models import Tenant
from ..tenancy.scoping import CROSS_TENANT
from .period import Period

ALL = {CROSS_TENANT: True}


@dataclass
class KeyFigures:
    received: int = 0
    open: int = 0
    overdue: int = 0
    upheld: int = 0
    rejected: int = 0
    compensated: int = 0
    on_time: int = 0
    rated: int = 0
    rating_total: int = 0
    median_hours: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        """Share of compensated complaints compensated by their deadline; None with none compensated."""
        return self.on_time / self.compensated if self.compensated else None

    @property
    def rating(self) -> float | None:
        return self.rating_total / self.rated if self.rated else None


def _cohort(offices: Iterable[Tenant], period: Period) -> ColumnElement[bool]:
    """The offices' complaints filed in the period, each office between its own midnights."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for office in offices:
        by_zone[office.timezone].append(office.id)
    ranges = []
    for zone, ids in by_zone.items():
        start, end = period.bounds_in(zone)
        ranges.append(and_(Complaint.tenant_id.in_(ids), Complaint.submitted_at >= start, Complaint.submitted_at < end))
    return or_(*ranges) if ranges else false()


def _counted(now: datetime) -> list:
    return [
        func.count(Complaint.id).label("received"),
        *(func.count(Complaint.id).filter(outcomes.condition(name, now)).label(name)
          for name in ("open", "overdue", "upheld", "rejected", "compensated", "on_time")),
        func.count(Complaint.rating).label("rated"),
        func.coalesce(func.sum(Complaint.rating), 0).label("rating_total"),
    ]


def key_figures(offices: Iterable[Tenant], period: Period, now: datetime, *,
                across: bool = True) -> dict[int, KeyFigures]:
    """One row of key figures per office, from one grouped query (and one for the medians).

    ``across`` lifts the ORM's tenant filter for the many offices of a cross-office reader;
    one office's own pages pass False and read under their scope.
    """
    offices = list(offices)
    options = ALL if across else {}
    figures = {office.id: KeyFigures() for office in offices}
    rows = db.session.execute(
        select(Complaint.tenant_id, *_counted(now)).where(_cohort(offices, period))
        .group_by(Complaint.tenant_id).execution_options(**options)
    )
    for row in rows:
        values = row._asdict()
        tenant_id = values.pop("tenant_id")
        figures[tenant_id] = KeyFigures(**values)
    for tenant_id, median in _medians(offices, period, options).items():
        figures[tenant_id].median_hours = median
    return figures


def _medians(offices: list[Tenant], period: Period, options: dict[str, bool]) -> dict[int, float]:
    """Median hours from filing to full compensation, per office."""
    compensated = and_(_cohort(offices, period), Complaint.compensated_at.is_not(None))
    if db.session.get_bind().dialect.name == "postgresql":
        hours = extract("epoch", Complaint.compensated_at - Complaint.submitted_at) / 3600
        return {row[0]: float(row[1]) for row in db.session.execute(
            select(Complaint.tenant_id, func.percentile_cont(0.5).within_group(hours))
            .where(compensated).group_by(Complaint.tenant_id).execution_options(**options))}
    durations: dict[int, list[float]] = defaultdict(list)
    for tenant_id, filed, done in db.session.execute(
        select(Complaint.tenant_id, Complaint.submitted_at, Complaint.compensated_at).where(compensated)
        .execution_options(**options)
    ):
        durations[tenant_id].append((done - filed).total_seconds() / 3600)
    return {tenant_id: statistics.median(values) for tenant_id, values in durations.items()}


def key_figures_rolled(offices: Iterable[Tenant], period: Period, now: datetime) -> dict[int, KeyFigures]:
    """The same figures for many offices from the rollup (``rollup.py``): day sums for history,
    a live count from the open complaints' index for what is open and overdue now, and the
    median from three-hour buckets per month (to within an hour and a half)."""
    from ..complaints.models import FINISHED
    from .models import ReportDay, ReportHours

    offices = list(offices)
    ids = [office.id for office in offices]
    figures = {tenant_id: KeyFigures() for tenant_id in ids}
    in_period = (ReportDay.tenant_id.in_(ids), ReportDay.day >= period.start, ReportDay.day <= period.end)
    for row in db.session.execute(
        select(ReportDay.tenant_id, *(func.sum(getattr(ReportDay, name)).label(name) for name in (
            "received", "upheld", "rejected", "compensated", "on_time", "rated", "rating_total")))
        .where(*in_period).group_by(ReportDay.tenant_id).execution_options(**ALL)
    ):
        tenant_id, *sums = row
        names = ("received", "upheld", "rejected", "compensated", "on_time", "rated", "rating_total")
        figures[tenant_id] = KeyFigures(**{name: int(value or 0) for name, value in zip(names, sums, strict=True)})
    for tenant_id, open_now, overdue in db.session.execute(
        select(Complaint.tenant_id, func.count(Complaint.id),
               func.count(Complaint.id).filter(outcomes.condition("overdue", now)))
        .where(_cohort(offices, period), Complaint.status.not_in(FINISHED))
        .group_by(Complaint.tenant_id).execution_options(**ALL)
    ):
        figures[tenant_id].open, figures[tenant_id].overdue = open_now, overdue
    buckets: dict[int, list[tuple[int, int]]] = defaultdict(list)
    # By whole months: a period that starts or ends mid-month counts those months whole for the median.
    for tenant_id, bucket, count in db.session.execute(
        select(ReportHours.tenant_id, ReportHours.bucket, func.sum(ReportHours.count))
        .where(ReportHours.tenant_id.in_(ids), ReportHours.month >= period.start.replace(day=1),
               ReportHours.month <= period.end)
        .group_by(ReportHours.tenant_id, ReportHours.bucket).order_by(ReportHours.tenant_id, ReportHours.bucket)
        .execution_options(**ALL)
    ):
        buckets[tenant_id].append((bucket, int(count)))
    for tenant_id, counts in buckets.items():
        figures[tenant_id].median_hours = _bucket_median(counts)
    return figures


def _bucket_median(counts: list[tuple[int, int]]) -> float | None:
    """The median of hours counted in buckets, taken as its bucket's middle."""
    from .models import BUCKET_HOURS

    total = sum(count for _bucket, count in counts)
    if not total:
        return None
    middle, seen = (total + 1) / 2, 0
    for bucket, count in counts:
        seen += count
        if seen >= middle:
            return (bucket + 0.5) * BUCKET_HOURS
    return None


@dataclass
class Dashboard:
    """Everything the office dashboard shows for one period."""

    key: KeyFigures
    by_component: dict[str, tuple[int, int]] = field(default_factory=dict)   # code -> (claimed, upheld)
    by_unit: dict[int | None, tuple[int, int, int]] = field(default_factory=dict)  # unit -> (received, upheld, overdue)
    by_officer: dict[int, int] = field(default_factory=dict)                  # officer -> upheld complaints
    by_month: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # received, upheld, compensated, on time
    items: dict[str, tuple[int, int]] = field(default_factory=dict)           # kind -> (owed, delivered)
    refunds: int = 0
    souvenirs: dict[str, int] = field(default_factory=dict)                   # tier -> delivered
    sanctions: dict[str, int] = field(default_factory=dict)                   # code -> in force
    ratings: dict[int, int] = field(default_factory=dict)
    #: Complaints per decree version they were judged under (decree id -> complaints): a
    #: report names each of these, never the version in force today.
    by_decree: dict[int, int] = field(default_factory=dict)


def dashboard(office: Tenant, period: Period, now: datetime) -> Dashboard:
    """One office's figures, read under that office's own scope (it must be bound): the ORM's
    tenant filter and the database's row policies both apply, nothing is lifted for them."""
    cohort = _cohort([office], period)
    board = Dashboard(key=key_figures([office], period, now, across=False)[office.id])
    upheld = outcomes.condition("upheld", now)

    claimed: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for components, assessed, was_upheld in db.session.execute(
        select(Complaint.components, Assessment.components, Assessment.upheld)
        .outerjoin(Assessment, Assessment.complaint_id == Complaint.id).where(cohort)
    ):
        claimed.update(components or [])
        if was_upheld:
            found.update(assessed or [])
    board.by_component = {code: (claimed[code], found[code]) for code in claimed | found}

    board.by_unit = {row[0]: (row[1], row[2], row[3]) for row in db.session.execute(
        select(Complaint.unit_id, func.count(Complaint.id), func.count(Complaint.id).filter(upheld),
               func.count(Complaint.id).filter(outcomes.condition("overdue", now)))
        .where(cohort).group_by(Complaint.unit_id))}
    board.by_officer = {officer_id: count for officer_id, count in db.session.execute(
        select(Assessment.responsible_officer_id, func.count(Assessment.id))
        .join(Complaint, Complaint.id == Assessment.complaint_id)
        .where(cohort, Assessment.upheld, Assessment.responsible_officer_id.is_not(None))
        .group_by(Assessment.responsible_officer_id)).tuples() if officer_id is not None}

    month = _month(office.timezone)
    board.by_month = {key: (0, 0, 0, 0) for key in period.months}
    for row in db.session.execute(
        select(month, func.count(Complaint.id), func.count(Complaint.id).filter(upheld),
               func.count(Complaint.id).filter(outcomes.condition("compensated", now)),
               func.count(Complaint.id).filter(outcomes.condition("on_time", now)))
        .where(cohort).group_by(month)
    ):
        board.by_month[row[0]] = tuple(row[1:])

    delivered = PackageItem.delivered_at.is_not(None)
    for kind, tier, owed, done, refunded in db.session.execute(
        select(PackageItem.kind, PackageItem.tier, func.count(PackageItem.id), func.count(PackageItem.id).filter(delivered),
               func.coalesce(func.sum(PackageItem.refunded_amount), 0))
        .join(Complaint, Complaint.id == PackageItem.complaint_id).where(cohort)
        .group_by(PackageItem.kind, PackageItem.tier)
    ):
        before = board.items.get(kind, (0, 0))
        board.items[kind] = (before[0] + owed, before[1] + done)
        board.refunds += int(refunded)
        if kind == "souvenir":
            board.souvenirs[tier or "-"] = board.souvenirs.get(tier or "-", 0) + done

    board.sanctions = dict(db.session.execute(
        select(Sanction.code, func.count(Sanction.id)).join(Complaint, Complaint.id == Sanction.complaint_id)
        .where(cohort, ~Sanction.superseded_by.has()).group_by(Sanction.code)).tuples().all())
    board.ratings = {rating: count for rating, count in db.session.execute(
        select(Complaint.rating, func.count(Complaint.id)).where(cohort, Complaint.rating.is_not(None))
        .group_by(Complaint.rating)).tuples() if rating is not None}
    board.by_decree = dict(db.session.execute(
        select(Complaint.decree_id, func.count(Complaint.id)).where(cohort).group_by(Complaint.decree_id)
        .order_by(Complaint.decree_id)).tuples().all())
    return board


def _month(timezone: str):
    """The month a complaint was filed in, in the office's time (Indonesia keeps no summer time)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(timezone, Complaint.submitted_at), "YYYY-MM")
    return func.strftime("%Y-%m", Complaint.submitted_at, f"{clock.utc_offset_hours(timezone):+d} hours")
