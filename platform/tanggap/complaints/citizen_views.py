"""The public pages: the platform's list of offices, each office's branded home, and the
citizen's complaint pages (filing, the receipt, tracking by code, adding information,
withdrawing, rating). The tracking code is the citizen's only key, so every page of a
complaint is found by it and by nothing guessable."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import (Blueprint, Response, abort, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, undefer
from werkzeug.wrappers import Response as BaseResponse

from ..database import discard
from .. import pdf
from ..decrees.models import Decree
from ..decrees.store import in_force, outline_in_force
from ..extensions import db, htmx, limiter
from ..forms import given
from ..tenancy.branding import stylesheet
from ..tenancy.printing import office_pdf
from ..tenancy.context import bound_tenant
from ..tenancy.models import Region, Tenant
from ..web import FILE_CSP, content_policy, external_url, page_answer, redirect_htmx, render_page_or_fragment
from . import attachments, blank_form, citizen_actions, submitting, labels
from .forms import FollowUpForm, RatingForm, TrackForm, WithdrawForm
from .intake import NoDecreeInForce, file_once
from .limits import LOOKUP_LIMIT, SUBMIT_LIMIT
from .lifecycle import IllegalTransition
from .models import Complaint
from .numbering import normalize_tracking_code
from .uploads import checked_uploads

bp = Blueprint("citizen", __name__)


@bp.app_context_processor
def _complaint_words() -> dict[str, object]:
    return {"status_label": labels.status_label, "status_explanation": labels.status_explanation,
            "event_title": labels.event_title, "notify_by_label": labels.notify_by_label}


@bp.get("/")
def index() -> str:
    offices = db.session.execute(
        select(Tenant).where(Tenant.active).options(joinedload(Tenant.region)).order_by(Tenant.slug)
    ).scalars().all()
    by_region: dict[Region, list[Tenant]] = {}
    for office in offices:
        by_region.setdefault(office.region, []).append(office)
    return render_template("public/index.html", by_region=by_region)


@bp.get("/<tenant_slug>/")
def home():
    tenant = bound_tenant()
    return render_template("public/home.html", decree=in_force(tenant))


@bp.get("/<tenant_slug>/brand.css")
def brand_css():
    """The office's colours as CSS variables: a stylesheet, so no inline style is needed."""
    return _cached(stylesheet(bound_tenant().brand_color).encode(), "text/css")


@bp.get("/<tenant_slug>/logo")
@content_policy(FILE_CSP)
def logo():
    """The office's logo, checked when it was kept (tenancy.logos); an SVG opened on its own is
    sandboxed all the same."""
    tenant = db.session.execute(
        select(Tenant).where(Tenant.id == bound_tenant().id).options(undefer(Tenant.logo))
    ).scalar_one()
    if not tenant.logo:
        abort(404)
    return _cached(tenant.logo, tenant.logo_mimetype or "application/octet-stream")


@bp.route("/<tenant_slug>/pengaduan/baru", methods=["GET", "POST"])
@limiter.limit(SUBMIT_LIMIT, methods=["POST"])
def new_complaint():
    tenant = bound_tenant()
    outline = outline_in_force(tenant)
    if outline is None:
        return render_template("complaints/closed_for_complaints.html"), 404
    sender = submitting.browser_sender()  # set when the form is shown: a double click sends it twice
    alike = request.method == "GET" and blank_form.alike_for_everyone()
    if alike and (kept := blank_form.kept_page(tenant, outline)) is not None:
        return page_answer(kept)
    form = submitting.complaint_form(tenant, outline)
    if form.is_submitted():
        form.fill_key()
    valid = form.validate_on_submit()  # first: validating resets every field's errors
    uploads = checked_uploads(form) if form.is_submitted() else []
    if not valid or uploads is None:
        # The page shows each component's description and compensations: the version itself.
        decree = outline if isinstance(outline, Decree) else in_force(tenant)
        if decree is None:  # taken out of force since the outline was read
            abort(404)
        form.fill_key()
        status = 422 if form.is_submitted() else 200
        answer = render_page_or_fragment("complaints/new.html", "complaints/_form.html", status, form=form,
                                         decree=decree)
        if alike:
            blank_form.keep_page(answer.get_data(as_text=True), tenant, decree,
                                 token=str(form.csrf_token.current_token), key=str(form.submission_key.data))
        return answer
    try:  # a browser that sent its form twice is shown what the first sending made
        complaint, _new = file_once(tenant, submitting.submission(form, uploads, str(get_locale()), sender=sender),
                                    decree=outline)
    except NoDecreeInForce:
        abort(404)
    receipt_url = url_for(".receipt", code=complaint.tracking_code)  # before the commit expires what it names
    return redirect_htmx(receipt_url)


@bp.get("/<tenant_slug>/pengaduan/<code>/tanda-terima")
@limiter.limit(LOOKUP_LIMIT)
def receipt(code: str):
    complaint = _complaint_or_404(code)
    return render_template("complaints/receipt.html", complaint=complaint, promise=citizen_actions.promise(complaint),
                           track_address=external_url("citizen.find"), messaged_at=citizen_actions.messaged_at(complaint))


@bp.route("/<tenant_slug>/lacak", methods=["GET", "POST"])
@limiter.limit(LOOKUP_LIMIT, methods=["POST"])
def find():
    form = TrackForm()
    if form.validate_on_submit():
        code = normalize_tracking_code(form.code.data)
        complaint = _by_code(code) if code else None
        if complaint is not None:
            return redirect(url_for(".track", code=complaint.tracking_code), 303)
        form.code.errors.append(_("No complaint of this office has this code. Check it and try again."))
    return render_template("complaints/find.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/<tenant_slug>/pengaduan/<code>")
@limiter.limit(LOOKUP_LIMIT)
def track(code: str):
    complaint = _complaint_or_404(code)
    return render_template("complaints/track.html", **citizen_actions.track_context(complaint))


@bp.post("/<tenant_slug>/pengaduan/<code>/informasi")
@limiter.limit(SUBMIT_LIMIT)
def add_information(code: str):
    complaint = _complaint_or_404(code)
    form = FollowUpForm()
    valid = form.validate_on_submit()
    uploads = checked_uploads(form)
    if not valid or uploads is None:
        return _track_again(complaint, followup=form)
    return _citizen_step(code, lambda: citizen_actions.add_information(complaint, given(form.message.data).strip(), uploads),
                         _("Thank you. Your information has been added to the complaint."))


@bp.post("/<tenant_slug>/pengaduan/<code>/tarik")
@limiter.limit(SUBMIT_LIMIT)
def withdraw(code: str):
    complaint = _complaint_or_404(code)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _track_again(complaint, withdraw=form)
    return _citizen_step(code, lambda: citizen_actions.withdraw(complaint, form.reason.data),
                         _("Your complaint has been withdrawn."))


@bp.post("/<tenant_slug>/pengaduan/<code>/nilai")
@limiter.limit(SUBMIT_LIMIT)
def rate(code: str):
    complaint = _complaint_or_404(code)
    form = RatingForm()
    if not form.validate_on_submit():
        return _track_again(complaint, rating=form)
    return _citizen_step(code, lambda: citizen_actions.rate(complaint, form.rating.data, form.comment.data),
                         _("Thank you for rating how your complaint was handled."))


@bp.get("/<tenant_slug>/pengaduan/<code>/tanda-terima.pdf")
@limiter.limit(LOOKUP_LIMIT)
def receipt_pdf(code: str):
    """The same receipt as PDF, on the office's letterhead, to keep or print."""
    complaint = _complaint_or_404(code)
    html = render_template("complaints/receipt.html", complaint=complaint, promise=citizen_actions.promise(complaint),
                           track_address=external_url("citizen.find"), pdf=True)
    return pdf.response(office_pdf(html, bound_tenant()), f"tanda-terima-{complaint.number}.pdf")


@bp.get("/<tenant_slug>/pengaduan/<code>/berkas/<int:attachment_id>")
@limiter.limit(LOOKUP_LIMIT)
def attachment(code: str, attachment_id: int):
    complaint = _complaint_or_404(code)
    return send_attachment(complaint, attachment_id)


def send_attachment(complaint: Complaint, attachment_id: int) -> Response:
    """One of the complaint's files, as a download that the browser will not try to run."""
    found = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if found is None:
        abort(404)
    return attachments.download(found)


def _citizen_step(code: str, step: Callable[[], object], message: str) -> BaseResponse:
    """Take the citizen's step and commit it; a step their complaint no longer allows (perhaps
    because the office acted a moment earlier) is a 409: the tracking page as it now stands,
    saying why."""
    try:
        step()
    except IllegalTransition:
        discard()
        complaint = _complaint_or_404(code)
        flash(_("This is no longer possible: your complaint is now \u201c%(status)s\u201d.",
                status=labels.status_label(complaint.status)), "error")
        if htmx:  # htmx leaves a 409 unswapped: the page is loaded again, the message on top
            return redirect_htmx(url_for(".track", code=code))
        return make_response(render_template("complaints/track.html", **citizen_actions.track_context(complaint)), 409)
    flash(message, "success")
    return redirect_htmx(url_for(".track", code=code))


def _track_again(complaint: Complaint, **forms) -> Response:
    """The tracking page with one of its forms showing its errors (422)."""
    return render_page_or_fragment("complaints/track.html", "complaints/_track_forms.html", 422,
                                   **citizen_actions.track_context(complaint, **forms))


def _by_code(code: str | None) -> Complaint | None:
    if not code:
        return None
    return db.session.execute(
        select(Complaint).where(Complaint.tracking_code == code)
        .options(selectinload(Complaint.events), selectinload(Complaint.attachments))
    ).scalar_one_or_none()


def _complaint_or_404(code: str) -> Complaint:
    complaint = _by_code(normalize_tracking_code(code))
    if complaint is None:
        abort(404)
    return complaint


def _cached(body: bytes, mimetype: str) -> Response:
    """A public file every visitor of the office shares (stylesheet, logo), cached briefly."""
    etag = hashlib.sha256(body).hexdigest()[:32]
    response = make_response("", 304) if etag in request.if_none_match else make_response(body)
    if response.status_code == 200:
        response.mimetype = mimetype
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
