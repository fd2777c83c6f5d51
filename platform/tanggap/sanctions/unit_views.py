"""The office's service units and officers: every member reads the units and their counts;
the office admin keeps the list. Officers' civil servant numbers are shown only to those
who may read officers' records.

The rows are ``units/``'s, but the pages live here: they count each unit's complaints and
sanctions (``queries.unit_counts``) and open the officers' records, and ``units`` sits
below complaints in the import layers, so it may read none of them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..audit.log import record
from ..auth.permissions import Permission, require
from ..database import get_or_404
from ..extensions import db
from ..forms import given
from ..tenancy.context import bound_tenant
from ..units.models import Officer, ServiceUnit
from ..web import redirect_htmx
from . import form_handling, queries
from .forms import OfficerForm, UnitForm

bp = Blueprint("units", __name__)
BASE = "/<tenant_slug>/staff"


@bp.get(f"{BASE}/units/")
@require(Permission.VIEW_STAFF_PAGES)
def units():
    return render_template("units/index.html", units=queries.units_with_officers(),
                           counts=queries.unit_counts(), unassigned=[o for o in form_handling.officers() if o.unit_id is None])


@bp.get(f"{BASE}/units/<int:unit_id>")
@require(Permission.VIEW_STAFF_PAGES)
def unit(unit_id: int):
    found = get_or_404(ServiceUnit, id=unit_id)
    counts = queries.unit_counts().get(found.id)
    return render_template("units/unit.html", unit=found, counts=counts, names=queries.sanction_names())


def _save(form: UnitForm | OfficerForm, target: Any, fields: dict[str, Any], action: str) -> None:
    before = {name: getattr(target, name) for name in fields} if target.id else None
    for name, value in fields.items():
        setattr(target, name, value)
    db.session.add(target)
    db.session.flush()
    record(f"{action}.{'changed' if before else 'created'}", tenant_id=target.tenant_id, actor=current_user,
           obj=target, before=before, after=fields)


@bp.route(f"{BASE}/units/new", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route(f"{BASE}/units/<int:unit_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def edit_unit(unit_id: int | None):
    target = get_or_404(ServiceUnit, id=unit_id) if unit_id else ServiceUnit(tenant_id=bound_tenant().id)
    form = UnitForm(obj=target if unit_id else None)
    if form.validate_on_submit():
        name = given(form.name.data).strip()
        clash = db.session.execute(select(ServiceUnit.id).where(ServiceUnit.name == name,
                                                                ServiceUnit.id != (target.id or 0))).first()
        if clash is None:
            _save(form, target, {"name": name, "active": form.active.data}, "unit")
            flash(_("Unit saved."), "success")
            return redirect_htmx(url_for(".units"))
        form.name.errors = [_("There is already a unit with this name.")]
    return render_template("units/unit_form.html", form=form, unit=target if unit_id else None), \
        422 if form.is_submitted() else 200


@bp.route(f"{BASE}/officers/new", methods=["GET", "POST"], defaults={"officer_id": None})
@bp.route(f"{BASE}/officers/<int:officer_id>/edit", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def edit_officer(officer_id: int | None):
    tenant = bound_tenant()
    target = get_or_404(Officer, id=officer_id) if officer_id else Officer(tenant_id=tenant.id)
    form = form_handling.officer_choices(OfficerForm(), tenant)
    if officer_id and not form.is_submitted():
        form.name.data, form.nip.data, form.position.data = target.name, target.nip, target.position
        form.unit.data, form.user.data = str(target.unit_id or ""), str(target.user_id or "")
        form.active.data = target.active
    if form.validate_on_submit():
        _save(form, target, {
            "name": given(form.name.data).strip(), "nip": (form.nip.data or "").strip() or None,
            "position": (form.position.data or "").strip() or None,
            "unit_id": int(form.unit.data) if form.unit.data else None,
            "user_id": int(form.user.data) if form.user.data else None, "active": form.active.data,
        }, "officer")
        flash(_("Officer saved."), "success")
        return redirect_htmx(url_for(".units"))
    return render_template("units/officer_form.html", form=form, officer=target if officer_id else None), \
        422 if form.is_submitted() else 200
