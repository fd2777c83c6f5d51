"""What the sanction pages read: an officer's record, a unit's counts, open coaching plans.

Queries only, each page in a fixed number of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..assessments.models import Assessment
from ..complaints.models import Complaint
from ..extensions import db
from ..units.models import Officer, ServiceUnit
from .models import CoachingPlan, Sanction


@dataclass(frozen=True)
class OfficerRecord:
    officer: Officer
    upheld: list[Assessment]
    sanctions: list[Sanction]


def officer_record(officer: Officer) -> OfficerRecord:
    upheld = list(db.session.execute(
        select(Assessment).where(Assessment.responsible_officer_id == officer.id, Assessment.upheld)
        .options(joinedload(Assessment.complaint)).order_by(Assessment.decided_at.desc())
    ).scalars())
    sanctions = list(db.session.execute(
        select(Sanction).where(Sanction.officer_id == officer.id)
        .options(joinedload(Sanction.complaint), joinedload(Sanction.coaching), joinedload(Sanction.superseded_by),
                 joinedload(Sanction.decided_by))
        .order_by(Sanction.decided_on.desc(), Sanction.id.desc())
    ).unique().scalars())
    return OfficerRecord(officer, upheld, sanctions)


def open_coaching() -> list[CoachingPlan]:
    """Coaching plans of sanctions in force that are not completed yet, soonest due first."""
    return list(db.session.execute(
        select(CoachingPlan).join(CoachingPlan.sanction).where(CoachingPlan.completed_on.is_(None),
                                                               ~Sanction.superseded_by.has())
        .options(joinedload(CoachingPlan.sanction).joinedload(Sanction.officer))
        .order_by(CoachingPlan.due_on)
    ).scalars())


def recent_sanctions(limit: int = 50) -> list[Sanction]:
    return list(db.session.execute(
        select(Sanction).options(joinedload(Sanction.officer), joinedload(Sanction.complaint),
                                 joinedload(Sanction.superseded_by))
        .order_by(Sanction.decided_at.desc()).limit(limit)
    ).unique().scalars())


@dataclass(frozen=True)
class UnitCounts:
    complaints: int
    open: int
    upheld: int
    sanctions: dict[str, int]


def units_with_officers() -> list[ServiceUnit]:
    return list(db.session.execute(
        select(ServiceUnit).options(selectinload(ServiceUnit.officers)).order_by(ServiceUnit.name)
    ).scalars())


def unit_counts() -> dict[int | None, UnitCounts]:
    """Per unit: complaints, still open, upheld, and sanctions in force by code; in three queries."""
    from ..complaints.models import FINISHED

    complaints = {row.unit_id: row for row in db.session.execute(
        select(Complaint.unit_id, func.count(Complaint.id).label("total"),
               func.count(Complaint.id).filter(Complaint.status.not_in(FINISHED)).label("open"))
        .group_by(Complaint.unit_id)
    )}
    upheld = dict(db.session.execute(
        select(Complaint.unit_id, func.count(Assessment.id)).join(Assessment, Assessment.complaint_id == Complaint.id)
        .where(Assessment.upheld).group_by(Complaint.unit_id)
    ).tuples().all())
    sanctions: dict[int | None, dict[str, int]] = {}
    for unit_id, code, count in db.session.execute(
        select(Officer.unit_id, Sanction.code, func.count(Sanction.id)).join(Officer, Sanction.officer_id == Officer.id)
        .where(~Sanction.superseded_by.has()).group_by(Officer.unit_id, Sanction.code)
    ):
        sanctions.setdefault(unit_id, {})[code] = count
    keys = set(complaints) | set(upheld) | set(sanctions)
    return {key: UnitCounts(complaints[key].total if key in complaints else 0,
                            complaints[key].open if key in complaints else 0,
                            upheld.get(key, 0), sanctions.get(key, {})) for key in keys}


def sanction_names() -> dict[str, dict[str, str]]:
    """Each sanction code's name as last decided (``coaching`` → *Pembinaan*), for counts kept by code."""
    latest = select(func.max(Sanction.id)).group_by(Sanction.code)
    return {code: name for code, name in db.session.execute(
        select(Sanction.code, Sanction.name).where(Sanction.id.in_(latest))).tuples()}


def overdue(plan: CoachingPlan, today: date) -> bool:
    return plan.completed_on is None and plan.due_on < today
