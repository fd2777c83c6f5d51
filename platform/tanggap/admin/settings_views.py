"""The office admin's settings page: what the office looks like and says, in both languages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..database import discard
from ..auth.accounts import members_of
from ..auth.models import Membership, Role
from ..auth.permissions import Permission, matrix_rows, require
from ..extensions import db
from ..tenancy.context import bound_tenant
from ..web import redirect_htmx
from . import onboarding, office_settings
from .forms import MemberForm, RoleForm, SettingsForm

bp = Blueprint("settings", __name__)
LETTERHEAD = ("address", "phone", "fax", "website", "email")


@bp.route("/<tenant_slug>/staff/settings", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def office():
    tenant = bound_tenant()
    form = SettingsForm()
    letterhead = dict(tenant.letterhead or {})
    government = letterhead.get("government") or {}
    if not form.is_submitted():
        form.brand_color.data, form.default_locale.data = tenant.brand_color, tenant.default_locale
        form.timezone.data = tenant.timezone
        form.government_id.data, form.government_en.data = government.get("id"), government.get("en")
        for name in LETTERHEAD:
            getattr(form, name).data = letterhead.get(name)
        form.intro_id.data, form.intro_en.data = (tenant.intro or {}).get("id"), (tenant.intro or {}).get("en")
        form.accountability_page.data = tenant.accountability_page
    if form.validate_on_submit():
        problem = office_settings.colour_problem(form.brand_color.data.lower())
        logo = None
        if form.logo.data and form.logo.data.filename:
            try:
                logo = office_settings.logo_png(form.logo.data.read())
            except ValueError as error:
                form.logo.errors = [str(error)]
        if problem:
            form.brand_color.errors = [problem]
        if not form.errors:
            for name in LETTERHEAD:
                letterhead[name] = (getattr(form, name).data or "").strip() or None
            if form.government_id.data or form.government_en.data:
                letterhead["government"] = {"id": form.government_id.data.strip(),
                                            "en": (form.government_en.data or form.government_id.data).strip()}
            office_settings.save(tenant, {
                "brand_color": form.brand_color.data.lower(), "default_locale": form.default_locale.data,
                "timezone": form.timezone.data,
                "letterhead": {key: value for key, value in letterhead.items() if value},
                "intro": {key: value for key, value in (("id", (form.intro_id.data or "").strip()),
                                                        ("en", (form.intro_en.data or "").strip())) if value},
                "accountability_page": bool(form.accountability_page.data),
            }, logo, by=current_user)
            flash(_("Settings saved."), "success")
            return redirect_htmx(url_for(".office"))
    return render_template("admin/settings.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/<tenant_slug>/staff/settings/staff", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def staff():
    """Who works in the office and in which role; new people are invited by e-mail."""
    tenant = bound_tenant()
    form = MemberForm()
    if form.validate_on_submit():
        onboarding.invite_member(tenant, form.email.data.strip(), form.name.data.strip(), Role(form.role.data),
                                 by=current_user)
        flash(_("Invitation sent to %(email)s.", email=form.email.data.strip()), "success")
        return redirect_htmx(url_for(".staff"))
    members = members_of(tenant)
    return render_template("admin/staff.html", form=form, members=members, role_form=RoleForm, matrix=matrix_rows(),
                           no_head=not any(m.head_of_office for m in members)), 422 if form.is_submitted() else 200


@bp.post("/<tenant_slug>/staff/settings/staff/<int:member_id>")
@require(Permission.MANAGE_OFFICE)
def member(member_id: int):
    tenant = bound_tenant()
    membership = db.session.execute(select(Membership).where(Membership.id == member_id,
                                                             Membership.tenant_id == tenant.id)).scalar_one_or_none()
    if membership is None:
        abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            onboarding.change_role(membership, None if form.role.data == "none" else Role(form.role.data),
                                   by=current_user)
        except onboarding.OnboardingError as error:
            discard()
            flash(" ".join(error.problems), "error")
        else:
            flash(_("Staff saved."), "success")
    return redirect_htmx(url_for(".staff"))
