"""The office's public accountability page: its promise, and month by month how it kept it.

Clause 9 of both decrees makes complaints an input to the office's evaluation, and the
Ombudsman's compliance survey asks whether compensation is published and given. The page's
figures are the dashboard's own (``figures.monthly`` and ``figures.key_figures``, over the
same period), never a second count, so the public page and the leader's dashboard cannot
disagree.

What it leaves out, so that it holds no personal data: names, contacts, complaint texts and
ticket numbers are never read; nothing is broken down by component, service unit or officer,
which would narrow a count to a few people; and a median of fewer than ``MEDIAN_MINIMUM``
compensated complaints is withheld, since it would be one or two citizens' own times (the
counts themselves say only how many, which the decree asks the office to account for).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from .. import clock
from ..tenancy.models import Tenant
from . import figures
from .figures import KeyFigures, MonthFigures
from .period import Period

#: How many months the page shows: this one and the eleven before it.
MONTHS = 12
#: The fewest compensated complaints whose median time the page shows.
MEDIAN_MINIMUM = 3


def shown_period(office: Tenant) -> Period:
    """The last ``MONTHS`` months of the office's calendar, this month included."""
    first, last = clock.office_month(office)
    months_back = first.year * 12 + first.month - 1 - (MONTHS - 1)
    return Period(date(months_back // 12, months_back % 12 + 1, 1), last, office.timezone)


@dataclass(frozen=True)
class PublicFigures:
    period: Period
    #: Month (``YYYY-MM``) -> its figures, with the median withheld where too few were compensated.
    months: dict[str, MonthFigures]
    #: The whole period, as the dashboard's key figures count it.
    total: KeyFigures
    #: The months (and ``"total"``) whose median is withheld.
    withheld: frozenset[str]


def public_figures(office: Tenant, now: datetime) -> PublicFigures:
    """The page's figures, read under the office's own scope (it must be bound)."""
    period = shown_period(office)
    months = figures.monthly(office, period, now)
    total = figures.key_figures([office], period, now, across=False)[office.id]
    withheld = {month for month, found in months.items() if _too_few(found.median_hours, found.compensated)}
    if _too_few(total.median_hours, total.compensated):
        withheld.add("total")
        total = replace(total, median_hours=None)
    months = {month: found._replace(median_hours=None) if month in withheld else found
              for month, found in months.items()}
    return PublicFigures(period, months, total, frozenset(withheld))


def _too_few(median: float | None, compensated: int) -> bool:
    return median is not None and compensated < MEDIAN_MINIMUM
