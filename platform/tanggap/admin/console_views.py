"""The platform operator's console: figures, offices (onboarded from a decree file or a blank
form, edited, deactivated and reactivated, with their admins invited), regions and inspectors."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, func, or_, select

from ..auth.models import InspectorScope, User
from ..complaints.models import Complaint
from .. import clock
from ..database import discard, mark_across_offices
from ..decrees.decree_file import decoded
from ..extensions import db
from ..forms import given, options
from ..i18n import localized
from ..tenancy.models import Region, Tenant
from ..tenancy.scoping import every_office
from ..web import redirect_htmx
from . import onboarding
from .forms import InviteForm, OfficeEditForm, OfficeForm, RegionForm, UploadForm
from .platform_views import failed_count, operator_only, outbox_figures

bp = Blueprint("console", __name__, url_prefix="/platform")
# The platform operator's and the inspectors' pages read across offices: their statements
# go through the cross-office role, never the one serving office pages (row_security).
bp.before_request(mark_across_offices)


def _regions() -> list[Region]:
    return list(db.session.execute(select(Region).order_by(Region.slug)).scalars())


def _region_choices(blank: str | None = None):
    pairs = [(str(r.id), f"{r.name} ({r.slug})") for r in _regions()]
    return options(([("", blank)] if blank else []) + pairs)


def _office(slug: str) -> Tenant:
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none()
    if tenant is None:
        abort(404)
    return tenant


@bp.get("/")
@operator_only
def home():
    figures = {
        "offices": db.session.execute(select(func.count(Tenant.id)).where(Tenant.active)).scalar_one(),
        "inactive": db.session.execute(select(func.count(Tenant.id)).where(~Tenant.active)).scalar_one(),
        "today": _filed_today(),
        "backlog": outbox_figures()[0],
        "failed": failed_count(),
    }
    return render_template("admin/home.html", figures=figures)


def _filed_today() -> int:
    """Complaints filed today, each office's today: since its own midnight in WIB, WITA or WIT."""
    zones = db.session.execute(select(Tenant.timezone).distinct()).scalars().all()
    if not zones:
        return 0
    since_midnight = or_(*(and_(Tenant.timezone == zone,
                                Complaint.submitted_at >= clock.start_of(clock.office_today(zone), zone))
                           for zone in zones))
    return db.session.execute(every_office(select(func.count(Complaint.id)).join(Tenant, Tenant.id == Complaint.tenant_id)
                              .where(since_midnight))).scalar_one()


@bp.get("/offices/")
@operator_only
def offices():
    return _offices_page(UploadForm(formdata=None), _blank_form(formdata=None))


def _blank_form(**kwargs) -> OfficeForm:
    form = OfficeForm(**kwargs)
    form.region.choices = _region_choices(_("Choose the region"))
    return form


def _offices_page(upload: UploadForm, blank: OfficeForm, problems: list[str] | None = None, status: int = 200):
    listed = db.session.execute(select(Tenant).order_by(Tenant.slug)).scalars().all()
    return render_template("admin/offices.html", offices=listed, upload=upload, blank=blank,
                           problems=problems or []), status


@bp.post("/offices/upload")
@operator_only
def upload():
    form = UploadForm()
    blank = _blank_form(formdata=None)
    decree = form.decree.data
    if not form.validate_on_submit() or not decree or not decree.filename:
        return _offices_page(form, blank, [_("Choose a decree file.")], 422)
    logo = form.logo.data
    text = decoded(decree.read())
    if text is None:
        return _offices_page(form, blank, [_("The decree file must be UTF-8 text.")], 422)
    logo_part = (logo.read(), logo.mimetype) if logo and logo.filename else None
    try:
        tenant = onboarding.from_decree_file(text, decree.filename, logo_part, by=current_user)
    except onboarding.OnboardingError as error:
        discard()
        return _offices_page(form, blank, error.problems, 422)
    flash(_("Office %(office)s is on the platform.", office=localized(tenant.name)), "success")
    return redirect_htmx(url_for(".office", slug=tenant.slug))


@bp.post("/offices/new")
@operator_only
def new_office():
    form = _blank_form()
    if form.validate_on_submit():
        region = db.session.get(Region, int(form.region.data))
        try:
            tenant = onboarding.blank_office(form.slug.data, {"id": form.name_id.data.strip(), "en": form.name_en.data.strip()},
                                             region, form.timezone.data, form.default_locale.data, by=current_user)
        except onboarding.OnboardingError as error:
            discard()
            form.slug.errors = error.problems
        else:
            flash(_("Office %(office)s is on the platform.", office=localized(tenant.name)), "success")
            return redirect_htmx(url_for(".office", slug=tenant.slug))
    return _offices_page(UploadForm(formdata=None), form, status=422)


@bp.route("/offices/<slug>", methods=["GET", "POST"])
@operator_only
def office(slug: str):
    tenant = _office(slug)
    form = OfficeEditForm()
    form.region.choices = _region_choices()
    if not form.is_submitted():
        form.name_id.data, form.name_en.data = tenant.name.get("id"), tenant.name.get("en")
        form.region.data, form.active.data, form.domain.data = str(tenant.region_id), tenant.active, tenant.domain
    if form.validate_on_submit():
        try:
            name = {"id": given(form.name_id.data).strip(), "en": given(form.name_en.data).strip()}
            onboarding.change_office(tenant, name, db.session.get_one(Region, int(given(form.region.data))),
                                     form.active.data, by=current_user,
                                     domain=(form.domain.data or "").strip().lower() or None)
        except onboarding.OnboardingError as error:
            discard()
            form.domain.errors = error.problems
        else:
            flash(_("Office saved."), "success")
            return redirect_htmx(url_for(".office", slug=slug))
    return _office_page(tenant, form, InviteForm(formdata=None), 422 if form.is_submitted() else 200)


def _office_page(tenant: Tenant, form: OfficeEditForm, invite: InviteForm, status: int):
    from ..auth.accounts import members_of

    return render_template("admin/office.html", office=tenant, form=form, invite=invite,
                           members=members_of(tenant)), status


@bp.post("/offices/<slug>/admins")
@operator_only
def invite_admin(slug: str):
    tenant = _office(slug)
    invite = InviteForm()
    invite.region.choices = options([("", "")])
    if invite.validate_on_submit():
        email = given(invite.email.data).strip()
        onboarding.invite_admin(tenant, email, given(invite.name.data).strip(), by=current_user)
        flash(_("Invitation sent to %(email)s.", email=email), "success")
        return redirect_htmx(url_for(".office", slug=slug))
    form = OfficeEditForm(formdata=None, data={"name_id": tenant.name.get("id"), "name_en": tenant.name.get("en"),
                                               "region": str(tenant.region_id), "active": tenant.active})
    form.region.choices = _region_choices()
    return _office_page(tenant, form, invite, 422)


@bp.route("/regions/", methods=["GET", "POST"])
@operator_only
def regions():
    form = RegionForm()
    form.parent.choices = _region_choices(_("None (a province)"))
    if form.validate_on_submit():
        parent = db.session.get(Region, int(form.parent.data)) if form.parent.data else None
        try:
            onboarding.save_region(form.slug.data, form.name.data.strip(), form.kind.data, parent, by=current_user)
        except onboarding.OnboardingError as error:
            discard()
            form.parent.errors = error.problems
        else:
            flash(_("Region saved."), "success")
            return redirect_htmx(url_for(".regions"))
    return render_template("admin/regions.html", regions=_regions(), form=form), 422 if form.is_submitted() else 200


@bp.route("/inspectors/", methods=["GET", "POST"])
@operator_only
def inspectors():
    form = InviteForm()
    form.region.choices = _region_choices(_("Choose the region"))
    if form.validate_on_submit():
        if not form.region.data:
            form.region.errors = [_("Choose the region.")]
        else:
            region = db.session.get(Region, int(form.region.data))
            onboarding.invite_inspector(region, form.email.data.strip(), form.name.data.strip(), by=current_user)
            flash(_("Invitation sent to %(email)s.", email=form.email.data.strip()), "success")
            return redirect_htmx(url_for(".inspectors"))
    scopes = db.session.execute(
        select(InspectorScope, User).join(User, User.id == InspectorScope.user_id).order_by(User.name)).all()
    return render_template("admin/inspectors.html", scopes=scopes, form=form), 422 if form.is_submitted() else 200
