"""The sanction section of a complaint's staff page, once the complaint is upheld."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from ..complaints.models import Complaint
from ..complaints.panels import Panel
from . import decisions, record_access


def staff(complaint: Complaint) -> tuple[str, dict[str, Any]] | None:
    """For leaders, and for the officer it concerns (their own sanction only); other officers
    see no section at all."""
    assessment = complaint.assessment
    if assessment is None or not assessment.upheld:
        return None
    current = decisions.current_sanction(complaint)
    if record_access.sees_sanctions_of(current_user, complaint.tenant):
        return "sanctions/_complaint_panel.html", {"history": decisions.history(complaint), "current": current}
    if current is not None and record_access.reads_record_of(current_user, current.officer, complaint.tenant):
        return "sanctions/_complaint_panel.html", {"history": [current], "current": current}
    return None


PANEL = Panel("sanctions", staff=staff)
