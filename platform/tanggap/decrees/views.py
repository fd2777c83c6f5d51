"""The decree pages: in force and history for all staff; drafts, publishing and the
simulator for the office admin; the printable attachment for everyone."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.permissions import Permission, can, require
from .. import clock
from ..extensions import htmx
from ..forms import given, options
from ..i18n import localized
from ..tenancy.context import bound_tenant
from ..web import render_page_or_fragment
from . import drafts, editor, store
from .forms import PublishForm, SimulatorForm
from .models import Decree
from .simulation import simulate

bp = Blueprint("decrees", __name__)


def _version_or_404(number: int) -> Decree:
    decree = store.version(bound_tenant(), number)
    if decree is None:
        abort(404)
    return decree


def _simulator(decree: Decree | None) -> SimulatorForm:
    form = SimulatorForm()
    form.components.choices = options((c.code, localized(c.name)) for c in decree.components) if decree else []
    return form


def _simulate(form: SimulatorForm, decree: Decree) -> dict | None:
    """The simulator's answer under ``decree`` (in force or a draft), or None when the form is refused."""
    if not form.validate_on_submit():
        return None
    return simulate(bound_tenant(), decree, list(form.components.data or []), submitted_at=clock.now(), delay=form.delay.delta,
                    overcharge=form.overcharge.data)


@bp.get("/<tenant_slug>/staff/decree/")
@require(Permission.VIEW_STAFF_PAGES)
def index():
    tenant = bound_tenant()
    decree = store.in_force(tenant)
    return render_template("decrees/index.html", decree=decree, history=store.history(tenant),
                           draft=drafts.open_draft(tenant), simulator=_simulator(decree), result=None)


@bp.post("/<tenant_slug>/staff/decree/simulate")
@require(Permission.VIEW_STAFF_PAGES)
def simulator():
    tenant = bound_tenant()
    decree = store.in_force(tenant)
    if decree is None:
        abort(404)
    form = _simulator(decree)
    result = _simulate(form, decree)
    status = 200 if result else 422
    return render_page_or_fragment("decrees/index.html", "decrees/_simulator.html", status, decree=decree,
                                   history=store.history(tenant), draft=drafts.open_draft(tenant),
                                   simulator=form, result=result)


@bp.post("/<tenant_slug>/staff/decree/<int:version>/simulate")
@require(Permission.VIEW_STAFF_PAGES)
def simulate_version(version: int):
    """The simulator on any version, a draft included: what its rules would give before they are in force.

    htmx swaps the answer in place; without it the answer comes on the editor (a draft, for
    who may edit it) or on the version's page.
    """
    decree = _version_or_404(version)
    form = _simulator(decree)
    result = _simulate(form, decree)
    status = 200 if result else 422
    if decree.is_draft and not htmx and can(current_user, Permission.EDIT_DECREE, bound_tenant()):
        return _editor_page(decree, simulator=form, result=result, status=status)
    return render_page_or_fragment("decrees/show.html", "decrees/_simulator.html", status, decree=decree,
                                   simulator=form, result=result)


@bp.get("/<tenant_slug>/staff/decree/<int:version>")
@require(Permission.VIEW_STAFF_PAGES)
def show(version: int):
    decree = _version_or_404(version)
    return render_template("decrees/show.html", decree=decree, simulator=_simulator(decree), result=None)


@bp.post("/<tenant_slug>/staff/decree/drafts")
@require(Permission.EDIT_DECREE)
def start_draft():
    draft = drafts.start_draft(bound_tenant(), current_user)
    return redirect(url_for(".edit", version=draft.version), 303)


@bp.route("/<tenant_slug>/staff/decree/<int:version>/edit", methods=["GET", "POST"])
@require(Permission.EDIT_DECREE)
def edit(version: int):
    tenant = bound_tenant()
    draft = _version_or_404(version)
    if not draft.is_draft:
        flash(_("A published decree never changes. Start a draft to make a new version."), "warning")
        return redirect(url_for(".show", version=version))
    document = editor.document_from_decree(tenant, draft)
    problems: list = []
    if request.method == "POST":  # CSRFProtect has already checked the token
        document = editor.document_from_form(request.form, document)
        loaded, problems = editor.validate(document, f"{tenant.slug}/decree v{version}")
        if loaded is not None:
            drafts.save_draft(draft, loaded, current_user)
            flash(_("The draft is saved."), "success")
            return redirect(url_for(".edit", version=version), 303)
    status = 422 if any(p.severity == "error" for p in problems) else 200
    return _editor_page(draft, document, problems, status=status)


def _editor_page(draft: Decree, document: dict | None = None, problems: list | None = None, *,
                 simulator: SimulatorForm | None = None, result: dict | None = None, status: int = 200):
    """The editor with the document as typed, its problems beside their fields, and the draft's simulator."""
    document = document if document is not None else editor.document_from_decree(bound_tenant(), draft)
    problems = problems or []
    return render_template("decrees/edit.html", draft=draft, decree=draft, publish=PublishForm(),
                           simulator=simulator or _simulator(draft), result=result,
                           **editor.page(document, problems)), status


@bp.post("/<tenant_slug>/staff/decree/<int:version>/publish")
@require(Permission.EDIT_DECREE)
def publish(version: int):
    """Publish a draft; a date that reaches back is first shown for confirmation, with a reason."""
    tenant = bound_tenant()
    draft = _version_or_404(version)
    if not draft.is_draft:
        flash(_("A published decree never changes. Start a draft to make a new version."), "warning")
        return redirect(url_for(".show", version=version), 303)
    problems = editor.validate(editor.document_from_decree(tenant, draft), "draft")[1]
    if any(p.severity == "error" for p in problems):
        flash(_("The draft is not complete yet; fix what the editor shows before publishing."), "danger")
        return redirect(url_for(".edit", version=version), 303)
    form = PublishForm()
    valid = form.validate_on_submit()
    reached_back = drafts.backdating(tenant, given(form.effective_from.data)) if valid else None
    asking = reached_back is not None and not form.asked.data  # the first answer to a past date is the question
    if not valid or asking or not form.confirms(reached_back):
        return render_template("decrees/publish.html", draft=draft, form=form, backdating=reached_back), 422
    drafts.publish_draft(draft, given(form.effective_from.data), current_user,
                         reason=form.reason.data if reached_back else None)
    flash(_("Version %(version)d is published.", version=version), "success")
    return redirect(url_for(".show", version=version), 303)


@bp.post("/<tenant_slug>/staff/decree/<int:version>/discard")
@require(Permission.EDIT_DECREE)
def discard(version: int):
    draft = _version_or_404(version)
    if draft.is_draft:
        drafts.discard_draft(draft, current_user)
        flash(_("The draft is discarded."), "info")
    return redirect(url_for(".index"), 303)


@bp.get("/<tenant_slug>/lampiran")
def attachment():
    """The decree in force's attachment, printable on the office's letterhead."""
    decree = store.in_force(bound_tenant())
    if decree is None:
        abort(404)
    return render_template("decrees/lampiran.html", decree=decree)
