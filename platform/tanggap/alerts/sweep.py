"""The deadline sweep: find complaints with an alert coming due, record each alert once, tell
the right people.

Its cost follows the complaints with an alert due, not all complaints: it reads only rows
whose ``next_alert_at`` has come (a partial index), and moves each one's ``next_alert_at``
to its next point or clears it. Two sweeps at once are safe: on PostgreSQL each takes the
rows the other has not locked (``SKIP LOCKED``), and the unique (complaint, point) row
decides, in any case, who tells anyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..complaints.models import DEADLINE_BINDS, Complaint
from .. import clock
from ..database import commit_progress, insert_rows, update_rows
from ..extensions import db
from ..tenancy.context import bound_to
from ..tenancy.scoping import every_office
from . import messages
from .models import AlertSettings, DeadlineAlert
from .points import DEFAULT_POINTS, AlertPoint, due_now, next_moment


#: What the sweep and its messages read of a complaint: not its text, which is most of its row.
_READ = (Complaint.id, Complaint.tenant_id, Complaint.number, Complaint.status, Complaint.submitted_at,
         Complaint.due_at, Complaint.next_alert_at, Complaint.assignee_id)


@dataclass
class SweepResult:
    complaints: int = 0
    alerts: int = 0


def points_of(tenant_id: int) -> tuple[AlertPoint, ...]:
    stored = db.session.execute(
        every_office(select(AlertSettings.points).where(AlertSettings.tenant_id == tenant_id))
    ).scalar_one_or_none()
    return tuple(AlertPoint.from_json(p) for p in stored) if stored else DEFAULT_POINTS


def sweep(now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Run once over everything due at ``now``; commits per batch."""
    now = now or clock.now()
    result = SweepResult()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    teller = messages.Teller()
    points: dict[int, tuple[AlertPoint, ...]] = {}
    while True:
        statement = (
            every_office(select(Complaint).where(Complaint.next_alert_at <= now).order_by(Complaint.next_alert_at)
            .limit(batch).options(load_only(*_READ), selectinload(Complaint.tenant), selectinload(Complaint.assignee)))
        )
        if postgres:
            statement = statement.with_for_update(skip_locked=True, of=Complaint)
        complaints = db.session.execute(statement).scalars().all()
        for tenant_id in {c.tenant_id for c in complaints} - set(points):
            points[tenant_id] = points_of(tenant_id)
        result.alerts += _visit(complaints, points, now, teller)
        commit_progress()  # the batch's row locks go; a second worker takes the next
        result.complaints += len(complaints)
        if len(complaints) < batch:
            return result


def _visit(complaints: Sequence[Complaint], points: dict[int, tuple[AlertPoint, ...]], now: datetime,
           teller: messages.Teller) -> int:
    """One batch: which points are due, recorded in one statement, then who is told."""
    fired: dict[int, set[str]] = defaultdict(set)
    for complaint_id, point in db.session.execute(
        every_office(select(DeadlineAlert.complaint_id, DeadlineAlert.point)
        .where(DeadlineAlert.complaint_id.in_([c.id for c in complaints])))
    ):
        fired[complaint_id].add(point)
    due: dict[int, list[AlertPoint]] = {}
    for complaint in complaints:
        if complaint.status in DEADLINE_BINDS:
            due[complaint.id] = due_now(points[complaint.tenant_id], complaint.submitted_at, complaint.due_at, now,
                                        fired[complaint.id])
    recorded = _record(complaints, due, now)
    # Told office by office: each binding of an office flushes what the last one queued, so
    # a batch costs one flush per office, not one per complaint.
    telling: dict[int, list[tuple[Complaint, AlertPoint]]] = defaultdict(list)
    moves: dict[Complaint, datetime | None] = {}
    for complaint in complaints:
        if complaint.id not in due:
            moves[complaint] = None
            continue
        reached = due[complaint.id]
        for index, point in enumerate(reached):
            # After an outage several points may be due at once: tell of the latest (and of any
            # escalation), not of "half the time gone" when the deadline has already passed.
            # A point another sweep recorded first is that sweep's to tell.
            if (complaint.id, point.code) in recorded and (index == len(reached) - 1 or point.escalates):
                telling[complaint.tenant_id].append((complaint, point))
        moves[complaint] = next_moment(points[complaint.tenant_id], complaint.submitted_at, complaint.due_at,
                                       fired[complaint.id] | {p.code for p in reached})
    _move_next_alerts(moves)
    for pairs in telling.values():
        with bound_to(pairs[0][0].tenant):
            for complaint, point in pairs:
                teller.tell(complaint, point)
            teller.write()
    return sum(len(pairs) for pairs in telling.values())


def _move_next_alerts(moves: dict[Complaint, datetime | None]) -> None:
    """Each complaint's next alert moved (or cleared) by one statement for the batch. Set on
    the loaded objects as though read back, so no flush compares a thousand complaints'
    relationships to find the one column that changed."""
    update_rows(Complaint, [{"id": complaint.id, "next_alert_at": moment} for complaint, moment in moves.items()])
    for complaint, moment in moves.items():
        set_committed_value(complaint, "next_alert_at", moment)


def _record(complaints: Sequence[Complaint], due: dict[int, list[AlertPoint]], now: datetime) -> set[tuple[int, str]]:
    """Insert the batch's alert rows unless they exist; the (complaint, point) pairs this call inserted."""
    tenants = {c.id: c.tenant_id for c in complaints}
    inserted = insert_rows(
        DeadlineAlert,
        [{"tenant_id": tenants[complaint_id], "complaint_id": complaint_id, "point": point.code, "fired_at": now}
         for complaint_id, reached in due.items() for point in reached],
        returning=(DeadlineAlert.complaint_id, DeadlineAlert.point), unless_conflict_on=("complaint_id", "point"))
    return set() if inserted is None else {(row.complaint_id, row.point) for row in inserted}
