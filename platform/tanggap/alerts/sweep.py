"""The deadline sweep: find complaints with an alert coming due, record each alert once, tell
the right people.

Its cost follows the complaints with an alert due, not all complaints: it reads only rows
whose ``next_alert_at`` has come (a partial index), and moves each one's ``next_alert_at``
to its next point or clears it. Two sweeps at once are safe: on PostgreSQL each takes the
rows the other has not locked (``SKIP LOCKED``), and the unique (complaint, point) row
decides, in any case, who tells anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from ..complaints.models import DEADLINE_BINDS, Complaint
from ..database import utcnow
from ..extensions import db
from ..tenancy.context import bound_to
from ..tenancy.scoping import CROSS_TENANT
from . import messages
from .models import AlertSettings, DeadlineAlert
from .points import DEFAULT_POINTS, AlertPoint, due_now, next_moment


@dataclass
class SweepResult:
    complaints: int = 0
    alerts: int = 0


def points_of(tenant_id: int) -> tuple[AlertPoint, ...]:
    stored = db.session.execute(
        select(AlertSettings.points).where(AlertSettings.tenant_id == tenant_id)
    ).scalar_one_or_none()
    return tuple(AlertPoint.from_json(p) for p in stored) if stored else DEFAULT_POINTS


def sweep(now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Run once over everything due at ``now``; commits per batch."""
    now = now or utcnow()
    result = SweepResult()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    while True:
        statement = (
            select(Complaint).where(Complaint.next_alert_at <= now).order_by(Complaint.next_alert_at)
            .limit(batch).options(joinedload(Complaint.tenant), joinedload(Complaint.assignee))
            .execution_options(**{CROSS_TENANT: True})
        )
        if postgres:
            statement = statement.with_for_update(skip_locked=True, of=Complaint)
        complaints = db.session.execute(statement).scalars().all()
        cache: dict[int, tuple[AlertPoint, ...]] = {}
        for complaint in complaints:
            with bound_to(complaint.tenant):
                if complaint.tenant_id not in cache:
                    cache[complaint.tenant_id] = points_of(complaint.tenant_id)
                result.alerts += _visit(complaint, cache[complaint.tenant_id], now)
        db.session.commit()
        result.complaints += len(complaints)
        if len(complaints) < batch:
            return result


def _visit(complaint: Complaint, points: tuple[AlertPoint, ...], now: datetime) -> int:
    if complaint.status not in DEADLINE_BINDS:
        complaint.next_alert_at = None
        return 0
    fired = set(db.session.execute(
        select(DeadlineAlert.point).where(DeadlineAlert.complaint_id == complaint.id)
    ).scalars())
    due = due_now(points, complaint.submitted_at, complaint.due_at, now, fired)
    told = 0
    for index, point in enumerate(due):
        if not _record(complaint, point, now):
            continue  # another sweep recorded it first, and told everyone
        fired.add(point.code)
        # After an outage several points may be due at once: tell of the latest (and of any
        # escalation), not of "half the time gone" when the deadline has already passed.
        if index == len(due) - 1 or point.escalates:
            messages.tell(complaint, point)
            told += 1
    complaint.next_alert_at = next_moment(points, complaint.submitted_at, complaint.due_at,
                                          fired | {p.code for p in due})
    return told


def _record(complaint: Complaint, point: AlertPoint, now: datetime) -> bool:
    """Insert the alert's row unless it exists; True when this call inserted it."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    inserted = db.session.execute(
        dialect.insert(DeadlineAlert)
        .values(tenant_id=complaint.tenant_id, complaint_id=complaint.id, point=point.code, fired_at=now)
        .on_conflict_do_nothing(index_elements=["complaint_id", "point"])
        .returning(DeadlineAlert.id)
    ).scalar_one_or_none()
    return inserted is not None
