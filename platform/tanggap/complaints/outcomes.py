"""How a complaint ended, as conditions on its own columns.

The inbox filters by them and the reports count by them, so a figure on the dashboard and
the list it links to always agree.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_

from .models import DEADLINE_BINDS, FINISHED, Complaint, Status

_UPHELD = (Status.UPHELD, Status.COMPENSATED)

OUTCOMES = ("upheld", "rejected", "compensated", "on_time", "late", "open", "overdue")


def condition(outcome: str, now) -> ColumnElement[bool]:
    conditions: dict[str, ColumnElement[bool]] = {
        # Upheld at assessment, whatever happened after (closed; or withdrawn, which older complaints
        # could be after their decision).
        "upheld": or_(Complaint.status.in_(_UPHELD), Complaint.status_before_close.in_(_UPHELD),
                      Complaint.compensated_at.is_not(None)),
        "rejected": or_(Complaint.status == Status.REJECTED, Complaint.status_before_close == Status.REJECTED),
        "compensated": Complaint.compensated_at.is_not(None),
        "on_time": and_(Complaint.compensated_at.is_not(None), Complaint.compensated_at <= Complaint.due_at),
        "late": and_(Complaint.compensated_at.is_not(None), Complaint.compensated_at > Complaint.due_at),
        "open": Complaint.status.not_in(FINISHED),
        "overdue": and_(Complaint.status.in_(DEADLINE_BINDS), Complaint.due_at < now),
    }
    return conditions[outcome]
