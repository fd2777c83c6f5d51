"""The staff's complaint pages: the inbox, a complaint's page, and triage, assignment,
notes, transfer, closing and reopening. Each view checks its permission first, leaves every
change of status to ``lifecycle`` and answers as every complaint step does (``steps``)."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..database import discard
from ..auth.permissions import Permission, require
from .. import clock
from ..decrees.store import outline_in_force
from ..extensions import db
from ..forms import given
from ..tenancy.context import bound_tenant
from ..tenancy.models import Tenant
from ..units.listing import every_unit
from ..web import render_page_or_fragment
from . import inbox, inbox_rows, lifecycle, staff_actions, steps
from .forms import ConfirmForm, MessageForm, NoteForm, TransferForm
from .intake import NoDecreeInForce
from .lifecycle import Action, IllegalTransition
from .steps import BASE, complaint_or_404
from .transfer import transfer as transfer_complaint
from .citizen_views import send_attachment
from .labels import staff_status_words

bp = Blueprint("staff_complaints", __name__)


@bp.get(f"{BASE}/")
@require(Permission.VIEW_COMPLAINTS)
def index():
    tenant = bound_tenant()
    now = clock.now()
    query, unread = inbox.query_from(request.args, tenant.timezone)  # an old link still opens the inbox, saying what it left out
    counts = inbox.counts(now)
    page = inbox.page_of(query, now, counts, inbox_rows.LOADED)  # the tab's count is the page's total when nothing narrows it
    decree = outline_in_force(tenant)  # only its components' names
    statuses = staff_status_words()
    context = {
        "query": query, "page": page, "counts": counts, "tabs": inbox.TABS, "sorts": inbox.SORTS,
        "statuses": statuses, "units": every_unit(tenant), "handlers": staff_actions.handlers(tenant),
        "components": decree.components if decree else [], "unread": unread,
        "rows": inbox_rows.rows(page.items, inbox.component_names(page.items, decree), now, statuses),
        "inbox_link": inbox_rows.inbox_link(query, request.args),
    }
    return render_page_or_fragment("complaints/inbox.html", "complaints/_inbox_results.html", **context)


@bp.get(f"{BASE}/<number>")
@require(Permission.VIEW_COMPLAINTS)
def show(number: str):
    return steps.page(complaint_or_404(number))


@bp.post(f"{BASE}/<number>/accept")
@require(Permission.TRIAGE)
def accept(number: str):
    complaint = complaint_or_404(number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return steps.take(complaint, lambda: lifecycle.apply(complaint, Action.ACCEPT, by=current_user),
                      _("Accepted for assessment."))


@bp.post(f"{BASE}/<number>/request-info")
@require(Permission.TRIAGE)
def request_info(number: str):
    complaint = complaint_or_404(number)
    form = MessageForm(prefix="info")
    if not form.validate_on_submit():
        return steps.page(complaint, 422, request_info=form)
    return steps.take(complaint, lambda: lifecycle.apply(complaint, Action.REQUEST_INFO, by=current_user,
                                                         message=given(form.message.data).strip()),
                      _("The citizen has been asked for more information."))


@bp.post(f"{BASE}/<number>/refer")
@require(Permission.TRIAGE)
def refer(number: str):
    complaint = complaint_or_404(number)
    form = MessageForm(prefix="refer")
    if not form.validate_on_submit():
        return steps.page(complaint, 422, refer=form)
    return steps.take(complaint, lambda: lifecycle.refer(complaint, given(form.message.data).strip(), by=current_user),
                      _("Marked as not this office's matter; the citizen has been told where to go."))


@bp.post(f"{BASE}/<number>/transfer")
@require(Permission.TRANSFER)
def transfer(number: str):
    complaint = complaint_or_404(number)
    tenant = bound_tenant()
    form = staff_actions.transfer_form(tenant, TransferForm())
    if not form.validate_on_submit():
        return steps.page(complaint, 422, transfer=form)
    target = db.session.execute(select(Tenant).where(Tenant.slug == form.office.data)).scalar_one()
    try:
        received = transfer_complaint(complaint, target, by=current_user, reason=given(form.message.data).strip())
    except NoDecreeInForce:
        discard()
        form.office.errors = [_("That office has no decree in force and cannot receive complaints yet.")]
        return steps.page(complaint_or_404(number), 422, transfer=form)
    except IllegalTransition:
        return steps.refused(complaint)
    return steps.back(complaint, _("Transferred; the office responsible has it as %(number)s.", number=received.number))


@bp.post(f"{BASE}/<number>/assign")
@require(Permission.TRIAGE)
def assign(number: str):
    complaint = complaint_or_404(number)
    form = staff_actions.submitted_assign_form(bound_tenant())
    if not form.validate_on_submit():
        return steps.page(complaint, 422, assign=form)
    unit = int(form.unit.data) if form.unit.data else None
    assignee = int(form.assignee.data) if form.assignee.data else None
    return steps.take(complaint, lambda: staff_actions.assign(complaint, unit, assignee, by=current_user), _("Assignment saved."))


@bp.post(f"{BASE}/<number>/notes")
@require(Permission.VIEW_COMPLAINTS)
def note(number: str):
    complaint = complaint_or_404(number)
    form = NoteForm()
    if not form.validate_on_submit():
        return steps.page(complaint, 422, note=form)
    return steps.take(complaint, lambda: lifecycle.add_note(complaint, given(form.message.data).strip(), by=current_user),
                      _("Note added."))


@bp.post(f"{BASE}/<number>/close")
@require(Permission.CLOSE)
def close(number: str):
    complaint = complaint_or_404(number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return steps.take(complaint, lambda: lifecycle.apply(complaint, Action.CLOSE, by=current_user), _("Closed."))


@bp.post(f"{BASE}/<number>/reopen")
@require(Permission.REOPEN)
def reopen(number: str):
    complaint = complaint_or_404(number)
    form = MessageForm(prefix="reopen")
    if not form.validate_on_submit():
        return steps.page(complaint, 422, reopen=form)
    return steps.take(complaint, lambda: lifecycle.apply(complaint, Action.REOPEN, by=current_user,
                                                         message=given(form.message.data).strip()), _("Reopened."))


@bp.get(f"{BASE}/<number>/files/<int:attachment_id>")
@require(Permission.VIEW_COMPLAINTS)
def attachment(number: str, attachment_id: int):
    return send_attachment(complaint_or_404(number), attachment_id)
