"""Letters on the complaint's page (issue, download, send), the citizen's copy by tracking
code, and the office's letter settings. Issuing and sending go through ``issuing``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..assessments.models import PackageItem
from ..auth.permissions import Permission, require
from ..complaints import attachments, steps
from ..complaints.forms import ConfirmForm
from ..complaints.models import Complaint
from ..complaints.numbering import normalize_tracking_code
from ..complaints.limits import LOOKUP_LIMIT
from ..complaints.steps import BASE, complaint_or_404
from ..database import discard, get_or_404
from ..extensions import db, limiter
from ..forms import given
from ..tenancy.context import bound_tenant
from ..web import redirect_htmx
from . import composing, issuing, settings as letter_settings
from .forms import KINDS, IssueForm, SettingsForm
from .models import Letter

bp = Blueprint("letters", __name__)

REFUSALS = {
    "kind": lambda: _("This compensation is not given by letter."),
    "locale": lambda: _("Letters are written in Indonesian or English."),
    "pattern": lambda: _("The office's letter number pattern cannot number letters; the office admin can correct it."),
    "no_email": lambda: _("The citizen gave no e-mail address: print the letter and hand it over or post it."),
}


@bp.post(f"{BASE}/<number>/items/<int:item_id>/letter")
@require(Permission.ISSUE_LETTERS)
def issue(number: str, item_id: int):
    complaint = complaint_or_404(number)
    item = get_or_404(PackageItem, id=item_id, complaint_id=complaint.id)
    form = IssueForm()
    if not form.validate_on_submit():
        return steps.back(complaint, REFUSALS["locale"](), "error")
    try:
        letter = issuing.issue(item, given(form.locale.data), by=current_user)
    except issuing.LetterRefused as refused:
        discard()
        return steps.back(complaint, REFUSALS[refused.reason](), "error")
    db.session.flush()
    return steps.back(complaint, _("Letter %(number)s is ready.", number=letter.number), anchor=f"letter-{letter.id}")


def _letter_or_404(complaint: Complaint, letter_id: int) -> Letter:
    return get_or_404(Letter, id=letter_id, complaint_id=complaint.id)


@bp.get(f"{BASE}/<number>/letters/<int:letter_id>.pdf")
@require(Permission.VIEW_COMPLAINTS)
def download(number: str, letter_id: int):
    letter = _letter_or_404(complaint_or_404(number), letter_id)
    issuing.downloaded(letter, by=current_user)
    return attachments.download(letter.evidence)


@bp.post(f"{BASE}/<number>/letters/<int:letter_id>/send")
@require(Permission.ISSUE_LETTERS)
def send(number: str, letter_id: int):
    complaint = complaint_or_404(number)
    letter = _letter_or_404(complaint, letter_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        issuing.send(letter, by=current_user)
    except issuing.LetterRefused as refused:
        discard()
        return steps.back(complaint, REFUSALS[refused.reason](), "error")
    db.session.flush()
    return steps.back(complaint, _("Letter %(number)s sent to %(email)s.", number=letter.number, email=complaint.email),
                      anchor=f"letter-{letter.id}")


@bp.get("/<tenant_slug>/pengaduan/<code>/surat/<int:letter_id>.pdf")
@limiter.limit(LOOKUP_LIMIT)
def citizen_letter(code: str, letter_id: int):
    """A letter addressed to the citizen, for whoever holds the complaint's tracking code."""
    tracking = normalize_tracking_code(code)
    complaint = db.session.execute(select(Complaint).where(Complaint.tracking_code == tracking)).scalar_one_or_none() \
        if tracking else None
    if complaint is None:
        abort(404)
    return attachments.download(_letter_or_404(complaint, letter_id).evidence)


@bp.route("/<tenant_slug>/staff/letters", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def office_settings():
    tenant = bound_tenant()
    form = SettingsForm()
    current = letter_settings.settings_of(tenant)
    if not form.is_submitted():
        _fill(form, current)
    if form.validate_on_submit():
        for name in letter_settings.FIELDS:
            setattr(current, name, getattr(form, name).data.strip())
        current.kinds = {kind: _kind_from(form, kind) for kind in KINDS}
        letter_settings.save(tenant, current, by=current_user)
        flash(_("Letter settings saved."), "success")
        return redirect_htmx(url_for(".office_settings"))
    return render_template("letters/settings.html", form=form, kinds=KINDS,
                           placeholders=composing.PLACEHOLDERS), 422 if form.is_submitted() else 200


def _fill(form: SettingsForm, current: letter_settings.Settings) -> None:
    for name in letter_settings.FIELDS:
        getattr(form, name).data = getattr(current, name)
    for kind in KINDS:
        spec = current.kind(kind)
        getattr(form, f"{kind}_code").data = spec["code"]
        for part in ("subject", "body"):
            for locale in ("id", "en"):
                getattr(form, f"{kind}_{part}_{locale}").data = spec[part].get(locale, "")


def _kind_from(form: SettingsForm, kind: str) -> dict[str, object]:
    def text(name: str) -> str:
        return (getattr(form, f"{kind}_{name}").data or "").strip()
    return {"code": text("code"), "subject": {"id": text("subject_id"), "en": text("subject_en")},
            "body": {"id": text("body_id"), "en": text("body_en")}}
