"""The office admin's alert settings: the points on each deadline and who is head of office."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..audit.log import record
from ..auth.models import Membership, Role, User
from ..auth.permissions import Permission, require
from ..extensions import db
from ..forms import options
from ..tenancy.context import bound_tenant
from ..web import redirect_htmx
from .forms import AlertSettingsForm
from .models import AlertSettings
from .points import AlertPoint, Audience
from .sweep import points_of

bp = Blueprint("alerts", __name__)


def _members(tenant_id: int) -> list[tuple[Membership, User]]:
    return list(db.session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id).order_by(User.name)
    ).tuples().all())


def _fill(form: AlertSettingsForm, points: tuple[AlertPoint, ...]) -> None:
    for entry, point in zip(form.points.entries, points, strict=False):
        entry.form.code.data, entry.form.anchor.data = point.code, point.anchor
        # A DecimalField shows a float too ("%.2f"); its stubs admit only a Decimal.
        value = point.value * 100 if point.anchor == "share" else point.value / 60
        entry.form.value.data = value  # type: ignore[assignment]
        entry.form.escalate.data = point.escalates


def _points(form: AlertSettingsForm) -> list[AlertPoint] | None:
    points = []
    for entry in form.points.entries:
        row = entry.form
        if not row.code.data or row.value.data is None:
            continue
        value = float(row.value.data)
        if row.anchor.data == "share" and not 0 < value < 100:
            row.value.errors = [_("A share of the time is more than 0 and less than 100 per cent.")]
            return None
        audience: tuple[Audience, ...] = (
            ("assignee", "leaders", "head") if row.escalate.data else ("assignee", "leaders"))
        points.append(AlertPoint(row.code.data, row.anchor.data, value / 100 if row.anchor.data == "share" else value * 60,
                                 audience))
    if len({p.code for p in points}) != len(points):
        form.form_errors.append(_("Each alert point needs its own name."))
        return None
    return points


@bp.route("/<tenant_slug>/staff/alerts/settings", methods=["GET", "POST"])
@require(Permission.MANAGE_OFFICE)
def settings():
    tenant = bound_tenant()
    members = _members(tenant.id)
    form = AlertSettingsForm()
    form.heads.choices = options((str(m.id), f"{u.name} ({m.role.label})") for m, u in members
                                 if m.role in (Role.LEADER, Role.ADMIN))
    if not form.is_submitted():
        _fill(form, points_of(tenant.id))
        form.heads.data = [str(m.id) for m, _u in members if m.head_of_office]
    if form.validate_on_submit() and (points := _points(form)) is not None:
        row = db.session.execute(select(AlertSettings).where(AlertSettings.tenant_id == tenant.id)).scalar_one_or_none()
        if row is None:
            row = AlertSettings(tenant_id=tenant.id)
            db.session.add(row)
        before = {"points": row.points, "heads": [m.user_id for m, _u in members if m.head_of_office]}
        row.points = [p.as_json() for p in points]
        for membership, _user in members:
            membership.head_of_office = str(membership.id) in form.heads.data
        db.session.flush()
        record("alerts.settings_changed", tenant_id=tenant.id, actor=current_user, obj=row, before=before,
               after={"points": row.points, "heads": [m.user_id for m, _u in members if m.head_of_office]})
        db.session.commit()
        flash(_("Alert settings saved. New points apply from the next sweep."), "success")
        return redirect_htmx(url_for(".settings"))
    return render_template("alerts/settings.html", form=form), 422 if form.is_submitted() else 200
