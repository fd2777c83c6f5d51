"""The figures of the reports, each defined once here and read by every page that shows it.

The office dashboard, the inspectorate (overview, office pages, compliance sheet), the exports,
the API and the rollup all take their figures from these functions, and count outcomes by the
inbox's own conditions (``complaints.outcomes``), so a figure and the list it links to agree.
Every query reads the complaints of the period through the (tenant_id, submitted_at) index;
nothing scans the whole table.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, extract, false, func, or_, select

from .. import clock
from ..assessments.models import Assessment, PackageItem
from ..complaints import outcomes
from ..complaints.models import Complaint
from ..extensions import db
from ..sanctions.models import Sanction
from ..tenancy.models import Tenant
from ..tenancy.scoping import every_office
from .period import Period



#: The average rating and the median hours are given in tenths, everywhere they are shown.
RATING_DIGITS = MEDIAN_DIGITS = 1


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
        """The average rating, in tenths (as every page, export and the API give it)."""
        return round(self.rating_total / self.rated, RATING_DIGITS) if self.rated else None


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
    figures = {office.id: KeyFigures() for office in offices}
    rows = db.session.execute(
        _for(select(Complaint.tenant_id, *_counted(now)).where(_cohort(offices, period))
             .group_by(Complaint.tenant_id), across)
    )
    for row in rows:
        values = row._asdict()
        tenant_id = values.pop("tenant_id")
        figures[tenant_id] = KeyFigures(**values)
    for tenant_id, median in _medians(offices, period, across).items():
        figures[tenant_id].median_hours = median
    return figures


def _for(statement: Select[Any], across: bool) -> Select[Any]:
    """``statement`` as a cross-office reader asks it (``across``), or as one office's page does."""
    return every_office(statement) if across else statement


def _medians(offices: list[Tenant], period: Period, across: bool, by: ColumnElement | None = None) -> dict:
    """Median hours from filing to full compensation, per office (or per ``by``, such as the
    month of filing): the one definition of the figure, read live (the rollup keeps sums, and
    a median is not one), rounded once."""
    return {key: round(value, MEDIAN_DIGITS)
            for key, value in _exact_medians(offices, period, across, by).items()}


def _exact_medians(offices: list[Tenant], period: Period, across: bool, by: ColumnElement | None = None) -> dict:
    group = Complaint.tenant_id if by is None else by
    compensated = and_(_cohort(offices, period), Complaint.compensated_at.is_not(None))
    if db.session.get_bind().dialect.name == "postgresql":
        hours = extract("epoch", Complaint.compensated_at - Complaint.submitted_at) / 3600
        return {row[0]: float(row[1]) for row in db.session.execute(
            _for(select(group, func.percentile_cont(0.5).within_group(hours)).where(compensated).group_by(group),
                 across))}
    durations: dict = defaultdict(list)
    for key, filed, done in db.session.execute(
        _for(select(group, Complaint.submitted_at, Complaint.compensated_at).where(compensated), across)
    ):
        durations[key].append((done - filed).total_seconds() / 3600)
    return {key: statistics.median(values) for key, values in durations.items()}


def key_figures_rolled(offices: Iterable[Tenant], period: Period, now: datetime) -> dict[int, KeyFigures]:
    """The same figures for many offices, the history summed from the rollup's day rows
    (``rollup.py``, as of its last refresh), what is open and overdue now counted live by
    the same conditions, and the median read live by the one definition of it."""
    from .models import ReportDay

    offices = list(offices)
    ids = [office.id for office in offices]
    figures = {tenant_id: KeyFigures() for tenant_id in ids}
    in_period = (ReportDay.tenant_id.in_(ids), ReportDay.day >= period.start, ReportDay.day <= period.end)
    for row in db.session.execute(
        every_office(select(ReportDay.tenant_id, *(func.sum(getattr(ReportDay, name)).label(name) for name in ROLLED))
        .where(*in_period).group_by(ReportDay.tenant_id))
    ):
        tenant_id, *sums = row
        figures[tenant_id] = KeyFigures(**{name: int(value or 0) for name, value in zip(ROLLED, sums, strict=True)})
    for tenant_id, open_now, overdue in db.session.execute(
        every_office(select(Complaint.tenant_id, func.count(Complaint.id).filter(outcomes.condition("open", now)),
               func.count(Complaint.id).filter(outcomes.condition("overdue", now)))
        .where(_cohort(offices, period), outcomes.condition("open", now))
        .group_by(Complaint.tenant_id))
    ):
        figures[tenant_id].open, figures[tenant_id].overdue = open_now, overdue
    for tenant_id, median in _medians(offices, period, True).items():
        figures[tenant_id].median_hours = median
    return figures


#: The figures the rollup keeps as sums per office and day: those of history, not of state.
ROLLED = ("received", "upheld", "rejected", "compensated", "on_time", "rated", "rating_total")


class ComponentCounts(NamedTuple):
    """Of the complaints that name a component: how many, how many upheld, how many compensated.
    A complaint counts under the components it names, as the inbox's filter reads them, so
    each count is the length of the list it links to and no part exceeds its whole."""

    complaints: int
    upheld: int
    compensated: int


def by_component(cohort: ColumnElement[bool], now: datetime) -> dict[str, ComponentCounts]:
    """Per component code, the complaints of the cohort that name it (dashboard and compliance sheet)."""
    counts: dict[str, list[int]] = {}
    for components, upheld, compensated in db.session.execute(
        select(Complaint.components, outcomes.condition("upheld", now), outcomes.condition("compensated", now))
        .where(cohort)
    ):
        for code in dict.fromkeys(components or []):
            found = counts.setdefault(code, [0, 0, 0])
            found[0] += 1
            found[1] += bool(upheld)
            found[2] += bool(compensated)
    return {code: ComponentCounts(*found) for code, found in counts.items()}


def office_cohort(office: Tenant, period: Period) -> ColumnElement[bool]:
    """The office's complaints filed in the period."""
    return _cohort([office], period)


def ranks(values: dict[int, float | None], *, highest_first: bool) -> dict[int, int | None]:
    """Competition ranking ("1, 1, 3"): equal figures share a rank, and the next rank counts
    everyone above it. An office with no figure (None) is not ranked."""
    present = [value for value in values.values() if value is not None]
    result: dict[int, int | None] = {}
    for key, value in values.items():
        if value is None:
            result[key] = None
        else:
            result[key] = 1 + sum(1 for other in present if (other > value if highest_first else other < value))
    return result


class MonthFigures(NamedTuple):
    """One month of an office's complaints (those filed in it, in the office's time): the
    dashboard's months, its chart and table, and the office's public page all read these."""

    received: int = 0
    upheld: int = 0
    compensated: int = 0
    on_time: int = 0
    #: Hours from filing to full compensation, the median of the month's compensated complaints.
    median_hours: float | None = None


def monthly(office: Tenant, period: Period, now: datetime) -> dict[str, MonthFigures]:
    """The office's figures month by month (``YYYY-MM``, every month of the period, empty ones
    too), read under the office's own scope (it must be bound): counted by the inbox's
    conditions, the median by the one definition of it, grouped by the month of filing."""
    cohort = office_cohort(office, period)
    month = _month(office.timezone)
    counts = {key: (0, 0, 0, 0) for key in period.months}
    for row in db.session.execute(
        select(month, func.count(Complaint.id), func.count(Complaint.id).filter(outcomes.condition("upheld", now)),
               func.count(Complaint.id).filter(outcomes.condition("compensated", now)),
               func.count(Complaint.id).filter(outcomes.condition("on_time", now)))
        .where(cohort).group_by(month)
    ):
        counts[row[0]] = tuple(row[1:])
    medians = _medians([office], period, False, by=month)
    return {key: MonthFigures(*values, median_hours=medians.get(key)) for key, values in counts.items()}


@dataclass
class Dashboard:
    """Everything the office dashboard shows for one period."""

    key: KeyFigures
    by_component: dict[str, ComponentCounts] = field(default_factory=dict)
    by_unit: dict[int | None, tuple[int, int, int]] = field(default_factory=dict)  # unit -> (received, upheld, overdue)
    by_officer: dict[int, int] = field(default_factory=dict)                  # officer -> upheld complaints
    by_month: dict[str, MonthFigures] = field(default_factory=dict)
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
    cohort = office_cohort(office, period)
    board = Dashboard(key=key_figures([office], period, now, across=False)[office.id])
    upheld = outcomes.condition("upheld", now)

    board.by_component = by_component(cohort, now)

    board.by_unit = {row[0]: (row[1], row[2], row[3]) for row in db.session.execute(
        select(Complaint.unit_id, func.count(Complaint.id), func.count(Complaint.id).filter(upheld),
               func.count(Complaint.id).filter(outcomes.condition("overdue", now)))
        .where(cohort).group_by(Complaint.unit_id))}
    board.by_officer = {officer_id: count for officer_id, count in db.session.execute(
        select(Assessment.responsible_officer_id, func.count(Assessment.id))
        .join(Complaint, Complaint.id == Assessment.complaint_id)
        .where(cohort, upheld, Assessment.responsible_officer_id.is_not(None))
        .group_by(Assessment.responsible_officer_id)).tuples() if officer_id is not None}

    board.by_month = monthly(office, period, now)

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
