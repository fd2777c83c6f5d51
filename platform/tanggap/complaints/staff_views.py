"""The staff's complaint pages: the inbox, a complaint's page, and triage, assignment,
notes, transfer, closing and reopening. Each view checks its permission first and leaves
every change of status to ``lifecycle``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from ..auth.permissions import Permission, require
from .. import clock
from ..decrees.store import in_force
from ..extensions import db
from ..forms import given
from ..tenancy.context import bound_tenant
from ..tenancy.models import Tenant
from ..web import redirect_htmx, render_page_or_fragment
from . import inbox, lifecycle, staff
from .forms import ConfirmForm, MessageForm, NoteForm, TransferForm
from .intake import NoDecreeInForce
from .lifecycle import Action, IllegalTransition
from .models import Complaint, ComplaintEvent
from .transfer import transfer as transfer_complaint
from .views import send_attachment
from .wording import STAFF_STATUS_LABELS

bp = Blueprint("complaints", __name__)

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


@bp.get(f"{BASE}/")
@require(Permission.VIEW_COMPLAINTS)
def index():
    tenant = bound_tenant()
    now = clock.now()
    query, unread = inbox.query_from(request.args, tenant.timezone)  # an old link still opens the inbox, saying what it left out
    counts = inbox.counts(now)
    page = inbox.page_of(query, now, counts)  # the tab's count is the page's total when nothing narrows it
    decree = in_force(tenant)
    context = {
        "query": query, "page": page, "now": now, "counts": counts, "tabs": inbox.TABS,
        "sorts": inbox.SORTS, "statuses": STAFF_STATUS_LABELS, "units": staff.units(),
        "handlers": staff.handlers(tenant), "components": decree.components if decree else [],
        "names": inbox.component_names(page.items, decree), "due_state": inbox.due_state, "unread": unread,
    }
    return render_page_or_fragment("complaints/inbox.html", "complaints/_inbox_results.html", **context)


@bp.get(f"{BASE}/<number>")
@require(Permission.VIEW_COMPLAINTS)
def show(number: str):
    complaint = complaint_or_404(number)
    return render_template("complaints/show.html", **staff.page_context(complaint, current_user, bound_tenant()))


def _again(complaint: Complaint, **forms: Any) -> tuple[str, int]:
    """The complaint's page with a form that failed, its errors shown and its text kept (422)."""
    context = staff.page_context(complaint, current_user, bound_tenant(), **forms)
    return render_template("complaints/show.html", **context), 422


def refused(complaint: Complaint) -> tuple[str, int]:
    """A step the complaint's status does not allow (any more): 409, and the page says why."""
    db.session.rollback()
    flash(_("This step is not possible while the complaint is \u201c%(status)s\u201d.",
            status=STAFF_STATUS_LABELS[complaint.status]), "error")
    return render_template("complaints/show.html",
                           **staff.page_context(complaint, current_user, bound_tenant())), 409


def _done(complaint: Complaint, message: str) -> BaseResponse:
    flash(message, "success")
    return redirect_htmx(url_for(".show", number=complaint.number))


def _step(complaint: Complaint, step: Callable[[], object], message: str) -> BaseResponse | tuple[str, int]:
    """Take a lifecycle step and commit it, or refuse it with 409."""
    try:
        step()
    except IllegalTransition:
        return refused(complaint)
    return _done(complaint, message)


@bp.post(f"{BASE}/<number>/accept")
@require(Permission.TRIAGE)
def accept(number: str):
    complaint = complaint_or_404(number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _step(complaint, lambda: lifecycle.apply(complaint, Action.ACCEPT, by=current_user),
                 _("Accepted for assessment."))


@bp.post(f"{BASE}/<number>/request-info")
@require(Permission.TRIAGE)
def request_info(number: str):
    complaint = complaint_or_404(number)
    form = MessageForm(prefix="info")
    if not form.validate_on_submit():
        return _again(complaint, request_info=form)
    return _step(complaint, lambda: lifecycle.apply(complaint, Action.REQUEST_INFO, by=current_user,
                                                    message=given(form.message.data).strip()),
                 _("The citizen has been asked for more information."))


@bp.post(f"{BASE}/<number>/refer")
@require(Permission.TRIAGE)
def refer(number: str):
    complaint = complaint_or_404(number)
    form = MessageForm(prefix="refer")
    if not form.validate_on_submit():
        return _again(complaint, refer=form)
    return _step(complaint, lambda: staff.refer(complaint, given(form.message.data).strip(), by=current_user),
                 _("Marked as not this office's matter; the citizen has been told where to go."))


@bp.post(f"{BASE}/<number>/transfer")
@require(Permission.TRANSFER)
def transfer(number: str):
    complaint = complaint_or_404(number)
    tenant = bound_tenant()
    form = staff.transfer_form(tenant, TransferForm())
    if not form.validate_on_submit():
        return _again(complaint, transfer=form)
    target = db.session.execute(select(Tenant).where(Tenant.slug == form.office.data)).scalar_one()
    try:
        received = transfer_complaint(complaint, target, by=current_user, reason=given(form.message.data).strip())
    except NoDecreeInForce:
        db.session.rollback()
        form.office.errors = [_("That office has no decree in force and cannot receive complaints yet.")]
        return _again(complaint_or_404(number), transfer=form)
    except IllegalTransition:
        return refused(complaint)
    return _done(complaint, _("Transferred; the office responsible has it as %(number)s.", number=received.number))


@bp.post(f"{BASE}/<number>/assign")
@require(Permission.TRIAGE)
def assign(number: str):
    complaint = complaint_or_404(number)
    form = staff.submitted_assign_form(bound_tenant())
    if not form.validate_on_submit():
        return _again(complaint, assign=form)
    staff.assign(complaint, int(form.unit.data) if form.unit.data else None,
                 int(form.assignee.data) if form.assignee.data else None, by=current_user)
    return _done(complaint, _("Assignment saved."))


@bp.post(f"{BASE}/<number>/notes")
@require(Permission.VIEW_COMPLAINTS)
def note(number: str):
    complaint = complaint_or_404(number)
    form = NoteForm()
    if not form.validate_on_submit():
        return _again(complaint, note=form)
    staff.add_note(complaint, given(form.message.data).strip(), by=current_user)
    return _done(complaint, _("Note added."))


@bp.post(f"{BASE}/<number>/close")
@require(Permission.CLOSE)
def close(number: str):
    complaint = complaint_or_404(number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _step(complaint, lambda: lifecycle.apply(complaint, Action.CLOSE, by=current_user), _("Closed."))


@bp.post(f"{BASE}/<number>/reopen")
@require(Permission.REOPEN)
def reopen(number: str):
    complaint = complaint_or_404(number)
    form = MessageForm(prefix="reopen")
    if not form.validate_on_submit():
        return _again(complaint, reopen=form)
    return _step(complaint, lambda: lifecycle.apply(complaint, Action.REOPEN, by=current_user,
                                                    message=given(form.message.data).strip()), _("Reopened."))


@bp.get(f"{BASE}/<number>/files/<int:attachment_id>")
@require(Permission.VIEW_COMPLAINTS)
def attachment(number: str, attachment_id: int):
    return send_attachment(complaint_or_404(number), attachment_id)
