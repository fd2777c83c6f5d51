"""The complaint step: the one shape of every staff action on a complaint, whichever feature owns it.

A step's view has its permission checked by ``require`` above it, loads the office's complaint
by its ticket number (404 for any other office's, or none), applies the change through its
feature's logic, and answers in one of three ways: back to the complaint's page when it is done
(a 303, or ``HX-Redirect`` for htmx), the page again with the form that failed (422), or the page
saying why the complaint's status refuses the step (409). Triage, assessment, delivery, sanctions
and letters all build on this module, never on complaints' view modules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from ..database import discard
from ..extensions import db
from ..tenancy.context import bound_tenant
from ..web import redirect_htmx
from . import staff_actions
from .lifecycle import IllegalTransition
from .models import Complaint, ComplaintEvent
from .labels import STAFF_STATUS_LABELS

#: Where a complaint's staff pages live; every feature's step hangs below it.
BASE = "/<tenant_slug>/staff/complaints"


def complaint_or_404(number: str) -> Complaint:
    """The office's complaint by its ticket number, with its timeline; 404 for anything else."""
    complaint = db.session.execute(
        select(Complaint).where(Complaint.number == number)
        .options(selectinload(Complaint.events).joinedload(ComplaintEvent.actor),
                 selectinload(Complaint.attachments))
    ).scalar_one_or_none()
    if complaint is None:
        abort(404)
    return complaint


def page(complaint: Complaint, status: int = 200, **forms: Any) -> tuple[str, int]:
    """The complaint's page; with a form that failed (422), its errors shown and its text kept."""
    return render_template("complaints/show.html",
                           **staff_actions.page_context(complaint, current_user, bound_tenant(), **forms)), status


def refused(complaint: Complaint) -> tuple[str, int]:
    """A step the complaint's status does not allow (any more): 409, and the page says why."""
    discard()
    flash(_("This step is not possible while the complaint is \u201c%(status)s\u201d.",
            status=STAFF_STATUS_LABELS[complaint.status]), "error")
    return page(complaint, 409)


def back(complaint: Complaint, message: str, category: str = "success", *, anchor: str | None = None) -> BaseResponse:
    """Back to the complaint's page, saying what happened (or why nothing did)."""
    flash(message, category)
    return redirect_htmx(url_for("staff_complaints.show", number=complaint.number, _anchor=anchor))


def take(complaint: Complaint, change: Callable[[], object], message: str) -> BaseResponse | tuple[str, int]:
    """Apply a change of the complaint, or refuse it with 409 if its status forbids it."""
    try:
        change()
    except IllegalTransition:
        return refused(complaint)
    return back(complaint, message)
