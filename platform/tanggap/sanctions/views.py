"""The leader's sanction pages: deciding one for an upheld complaint, correcting it by a new
entry, following coaching to completion; the office's sanction list and suggestion ladder;
an officer's record."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..database import whole_number
from ..auth.permissions import Permission, require
from ..complaints import steps
from ..complaints.models import Complaint
from ..complaints.steps import complaint_or_404
from ..decrees.store import in_force
from ..extensions import db
from ..forms import given
from ..i18n import localized
from ..tenancy.context import bound_tenant
from ..units.models import Officer
from ..web import redirect_htmx
from . import decisions, ladder, form_handling, record_access, queries
from .forms import CoachingDoneForm, CorrectionForm, LadderForm, SanctionForm
from .models import Sanction

bp = Blueprint("sanctions", __name__)
BASE = "/<tenant_slug>/staff"


def _sanction_or_404(sanction_id: int) -> Sanction:
    sanction = db.session.execute(select(Sanction).where(Sanction.id == sanction_id)).scalar_one_or_none()
    if sanction is None:
        abort(404)
    return sanction


def _decide_page(complaint: Complaint, form: SanctionForm, template: str, **context):
    """Decide or correct: record it and go back to the complaint, or show the form again."""
    suggestion, officer = None, None
    officer_id = whole_number(form.officer.data)
    if officer_id:
        officer = db.session.execute(select(Officer).where(Officer.id == officer_id)).scalar_one_or_none()
        suggestion = decisions.suggestion(complaint, officer) if officer else None
    if form.validate_on_submit():
        extra = {"supersedes": context["old"], "correction_reason": form.correction_reason.data} \
            if "old" in context else {}
        try:
            decisions.decide(complaint, form_handling.decision(form), by=current_user, **extra)
        except decisions.SanctionError as error:
            form_handling.add_error(form, error)
        else:
            return steps.back(complaint, _("Sanction corrected.") if extra else _("Sanction decided."))
    record = queries.officer_record(officer) if suggestion and officer else None
    names = {t.code: localized(t.name) for t in complaint.decree.sanction_types}
    status = 422 if form.is_submitted() else 200
    suggested_name = names.get(suggestion.code) if suggestion and suggestion.code else None
    return render_template(template, complaint=complaint, form=form, suggestion=suggestion, record=record,
                           suggested_name=suggested_name, **context), status


@bp.route(f"{BASE}/complaints/<number>/sanction", methods=["GET", "POST"])
@require(Permission.DECIDE_SANCTION)
def decide(number: str):
    complaint = complaint_or_404(number)
    if complaint.status not in decisions.SANCTIONABLE or not getattr(complaint.assessment, "upheld", False):
        return steps.back(complaint, form_handling.ERRORS["not_upheld"](), "error")
    current = decisions.current_sanction(complaint)
    if current is not None:
        return redirect_htmx(url_for(".correct", sanction_id=current.id))
    form = form_handling.sanction_choices(SanctionForm(), complaint)
    if not form.is_submitted():
        form.decided_on.data = clock.office_today(bound_tenant())
        responsible = getattr(complaint.assessment, "responsible_officer_id", None)
        form.officer.data = str(responsible or "")
        if responsible:
            officer = db.session.get_one(Officer, responsible)
            form.code.data = decisions.suggestion(complaint, officer).code or ""
    return _decide_page(complaint, form, "sanctions/decide.html")


@bp.route(f"{BASE}/sanctions/<int:sanction_id>/correct", methods=["GET", "POST"])
@require(Permission.DECIDE_SANCTION)
def correct(sanction_id: int):
    old = _sanction_or_404(sanction_id)
    if old.superseded_by is not None:
        return redirect_htmx(url_for(".correct", sanction_id=old.superseded_by.id))
    complaint = complaint_or_404(old.complaint.number)
    form = form_handling.sanction_choices(CorrectionForm(), complaint)
    if not form.is_submitted():
        form.officer.data, form.code.data = str(old.officer_id), old.code
        form.decided_on.data, form.reasoning.data = clock.office_today(bound_tenant()), old.reasoning
    return _decide_page(complaint, form, "sanctions/correct.html", old=old)


@bp.route(f"{BASE}/sanctions/<int:sanction_id>/coaching", methods=["GET", "POST"])
@require(Permission.DECIDE_SANCTION)
def complete_coaching(sanction_id: int):
    sanction = _sanction_or_404(sanction_id)
    plan = sanction.coaching
    if plan is None:
        abort(404)
    form = CoachingDoneForm()
    if not form.is_submitted():
        form.completed_on.data = clock.office_today(bound_tenant())
    if form.validate_on_submit():
        try:
            decisions.complete_coaching(plan, given(form.completed_on.data), form.note.data or "", by=current_user)
        except decisions.SanctionError as error:
            form_handling.add_error(form, error)
        else:
            flash(_("Coaching recorded as completed."), "success")
            return redirect_htmx(url_for(".officer", officer_id=sanction.officer_id))
    return render_template("sanctions/coaching.html", plan=plan, form=form), 422 if form.is_submitted() else 200


@bp.get(f"{BASE}/sanctions/")
@require(Permission.VIEW_OFFICER_RECORDS)
def index():
    return render_template("sanctions/index.html", sanctions=queries.recent_sanctions(),
                           coaching=queries.open_coaching(), today=clock.office_today(bound_tenant()))


@bp.route(f"{BASE}/sanctions/ladder", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def ladder_settings():
    tenant = bound_tenant()
    decree = in_force(tenant)
    types = list(decree.sanction_types) if decree else []
    form = LadderForm()
    form_handling.ladder_form(form, decisions.ladder_of(tenant.id), types, submitted=form.is_submitted())
    if form.validate_on_submit():
        new = form_handling.ladder_of_form(form)
        found = ladder.problems(new, [t.code for t in types])
        for problem in found:
            form.form_errors.append(form_handling.ERRORS[problem]())
        if not found:
            decisions.save_ladder(tenant.id, new, by=current_user)
            flash(_("Suggestion ladder saved."), "success")
            return redirect_htmx(url_for(".ladder_settings"))
    return render_template("sanctions/ladder.html", form=form), 422 if form.is_submitted() else 200


@bp.get(f"{BASE}/officers/<int:officer_id>")
@require(Permission.VIEW_STAFF_PAGES)
def officer(officer_id: int):
    found = db.session.execute(select(Officer).where(Officer.id == officer_id)).scalar_one_or_none()
    if found is None:
        abort(404)
    if not record_access.reads_record_of(current_user, found, bound_tenant()):
        abort(403)  # an officer reads their own record, no one else's
    return render_template("sanctions/officer.html", record=queries.officer_record(found),
                           today=clock.office_today(bound_tenant()))
