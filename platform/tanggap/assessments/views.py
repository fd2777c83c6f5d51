"""The leader's assessment page (with a live preview of the package) and the officer's
delivery of each item. Decisions go through ``decisions``, statuses through the lifecycle."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ..auth.permissions import Permission, require
from ..complaints import attachments, lifecycle, steps
from ..complaints.lifecycle import Action, IllegalTransition
from ..complaints.models import Complaint
from ..complaints.steps import BASE, complaint_or_404
from ..complaints.uploads import checked_uploads
from .. import clock
from ..database import get_or_404
from ..extensions import db
from ..forms import Form
from ..i18n import localized
from ..tenancy.context import bound_tenant
from ..web import render_page_or_fragment
from . import decisions, form_handling
from .forms import DeliveryForm
from .models import DeliveryEvidence, PackageItem

bp = Blueprint("assessments", __name__)


@bp.route(f"{BASE}/<number>/assess", methods=["GET", "POST"])
@require(Permission.ASSESS)
def assess(number: str):
    complaint = complaint_or_404(number)
    if not lifecycle.allowed(complaint.status, Action.UPHOLD):
        return steps.back(complaint, _("Only a complaint being assessed can be assessed."), "error")
    form = form_handling.assessment_form(complaint)
    finding = form_handling.finding(form) if form.is_submitted() else form_handling.claimed(complaint)
    proposal = decisions.propose(complaint, finding) if finding.upheld and finding.components else None
    confirming = form.is_submitted() and "confirm" in form_handling.request_buttons()
    if confirming and form.validate():
        done = _decided(form, complaint, lambda: decisions.assess(complaint, finding, by=current_user),
                        _("Assessment recorded."))
        if done is not None:
            return done
    status = 422 if confirming else 200
    return render_page_or_fragment("assessments/assess.html", "assessments/_package.html", status,
                                   complaint=complaint, form=form, proposal=proposal,
                                   warnings=form_handling.warnings(proposal))


@bp.route(f"{BASE}/<number>/items/<int:item_id>/deliver", methods=["GET", "POST"])
@require(Permission.DELIVER)
def deliver(number: str, item_id: int):
    complaint = complaint_or_404(number)
    item = get_or_404(PackageItem, id=item_id, complaint_id=complaint.id)
    zone = clock.zone(bound_tenant())
    form = form_handling.delivery_choices(DeliveryForm(), item)
    if not form.is_submitted():
        form_handling.fill_delivery(form, item, clock.now().astimezone(zone))
    valid = form.validate_on_submit()
    evidence = checked_uploads(form) if form.is_submitted() else []  # beside the field, like a citizen's
    if valid and evidence is not None:
        delivery = form_handling.delivery(form, zone, evidence)
        done = _decided(form, complaint, lambda: decisions.deliver(item, delivery, by=current_user),
                        _("Delivery of \u201c%(item)s\u201d recorded.", item=localized(item.name)))
        if done is not None:
            return done
    status = 422 if form.is_submitted() else 200
    return render_template("assessments/deliver.html", complaint=complaint, item=item, form=form), status


@bp.get(f"{BASE}/<number>/items/<int:item_id>/evidence/<int:evidence_id>")
@require(Permission.VIEW_COMPLAINTS)
def evidence(number: str, item_id: int, evidence_id: int):
    """One file of a delivery's evidence, for the office's staff who read complaints."""
    complaint = complaint_or_404(number)
    found = db.session.execute(
        select(DeliveryEvidence).where(DeliveryEvidence.id == evidence_id, DeliveryEvidence.package_item_id == item_id,
                                       DeliveryEvidence.complaint_id == complaint.id)
    ).scalar_one_or_none()
    if found is None:
        abort(404)
    return attachments.download(found)


def _decided(form: Form, complaint: Complaint, decide: Callable[[], object],
             message: str) -> BaseResponse | tuple[str, int] | None:
    """Carry out a decision and go back to the complaint; None, with the reason on the form, if
    the rules refuse it; the complaint's page with 409 if its status no longer allows it (someone
    else assessed it, delivered the item or the citizen withdrew a moment earlier)."""
    try:
        decide()
    except decisions.DecisionError as error:
        form_handling.add_error(form, error)
        return None
    except IllegalTransition:
        return steps.refused(complaint)
    return steps.back(complaint, message)
