"""The assessment's section of a complaint's pages: the finding and the package, item by item,
with delivery for staff; the outcome for the citizen once there is one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..complaints.models import Complaint
from ..complaints.panels import Panel
from . import decisions, methods, form_handling


def staff(complaint: Complaint) -> tuple[str, dict[str, Any]]:
    return "assessments/_staff_panel.html", {
        "assessment": complaint.assessment, "items": form_handling.items_of(complaint),
        "allowance_hours": decisions.RECORDING_ALLOWANCE // timedelta(hours=1),
        # A delivery recorded this long after its stated time shows when it was recorded.
        "shown_after": timedelta(hours=1),
        "method_label": methods.label,
    }


def citizen(complaint: Complaint) -> tuple[str, dict[str, Any]] | None:
    if complaint.assessment is None:
        return None
    return "assessments/_citizen_panel.html", {"assessment": complaint.assessment,
                                               "items": form_handling.items_of(complaint)}


PANEL = Panel("assessment", staff=staff, citizen=citizen)
