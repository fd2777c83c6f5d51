"""The letters' section of a complaint's pages: for staff, the letters issued and a button per
language for each item that gets one; for the citizen, the letters sent to them."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import Permission, can
from ..complaints.forms import ConfirmForm
from ..complaints.models import Complaint
from ..complaints.panels import Panel
from ..extensions import db
from ..i18n import localized
from ..tenancy.context import bound_tenant
from . import issuing
from .models import Letter


def staff(complaint: Complaint) -> tuple[str, dict[str, Any]] | None:
    items = [item for item in complaint.package_items if issuing.kind_for(item) is not None]
    if not items:
        return None
    letters = list(db.session.execute(
        select(Letter).where(Letter.complaint_id == complaint.id).order_by(Letter.id)
    ).scalars())
    return "letters/_staff_panel.html", {
        "items": items, "letters": letters, "form": ConfirmForm(),
        "may_issue": can(current_user, Permission.ISSUE_LETTERS, bound_tenant()),
        "issued": {(letter.package_item_id, letter.locale) for letter in letters}, "localized": localized,
    }


def citizen(complaint: Complaint) -> tuple[str, dict[str, Any]] | None:
    letters = list(db.session.execute(
        select(Letter).where(Letter.complaint_id == complaint.id, Letter.sent_at.is_not(None)).order_by(Letter.id)
    ).scalars())
    return ("letters/_citizen_panel.html", {"letters": letters}) if letters else None


PANEL = Panel("letters", staff=staff, citizen=citizen)
