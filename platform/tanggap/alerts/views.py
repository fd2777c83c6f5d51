"""The office admin's alert settings: the points on each deadline, who is head of office, and
who hears of new complaints and when."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from .messages import describe
from .models import DIGEST_HOUR, AlertSettings
from .points import AlertPoint, Audience, PointError, code_for, parse
from .sweep import points_of

bp = Blueprint("alerts", __name__)

#: What the admin reads beside a point that could not be read, by ``PointError.reason``.
POINT_ERRORS = {
    "unreadable": _l("Write the point in words, for example \u201c3 hours before\u201d, \u201chalf time\u201d, "
                     "\u201cat the deadline\u201d or \u201c12 hours after\u201d."),
    "direction": _l("Say whether it is before or after the deadline, for example \u201c3 hours before\u201d."),
    "share": _l("A share of the time is more than 0 and less than 100 per cent."),
    "far": _l("A point lies at most 30 days before or after the deadline."),
}


def _members(tenant_id: int) -> list[tuple[Membership, User]]:
    return list(db.session.execute(
        select(Membership, User).join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id).order_by(User.name)
    ).tuples().all())


def _settings_row(tenant_id: int) -> AlertSettings | None:
    return db.session.execute(select(AlertSettings).where(AlertSettings.tenant_id == tenant_id)).scalar_one_or_none()


def _fill(form: AlertSettingsForm, points: tuple[AlertPoint, ...], row: AlertSettings | None) -> None:
    for entry, point in zip(form.points.entries, points, strict=False):
        entry.form.when.data = describe(point)
        entry.form.escalate.data = point.escalates
    form.digest_hour.data = str(DIGEST_HOUR) if row is None else (
        "" if row.digest_hour is None else str(row.digest_hour))
    form.new_complaints_to.data = [str(user_id) for user_id in (row.new_complaints_to if row else [])]


def _points(form: AlertSettingsForm, saved: tuple[AlertPoint, ...]) -> list[AlertPoint] | None:
    """The points the admin wrote, or None with each unreadable one's message beside it.

    A point saved before keeps its stored name, so the alerts it already fired are not fired again.
    """
    names = {(p.anchor, p.value): p.code for p in saved}
    points: list[AlertPoint] = []
    for entry in form.points.entries:
        row = entry.form
        if not (row.when.data or "").strip():
            continue
        try:
            anchor, value = parse(row.when.data or "")
        except PointError as error:
            row.when.errors = [str(POINT_ERRORS[error.reason])]
            continue
        code = names.get((anchor, value)) or code_for(anchor, value)
        if any((p.anchor, p.value) == (anchor, value) for p in points):
            row.when.errors = [_("This point is already in the list.")]
            continue
        audience: tuple[Audience, ...] = (
            ("assignee", "leaders", "head") if row.escalate.data else ("assignee", "leaders"))
        points.append(AlertPoint(code, anchor, value, audience))
    if any(entry.form.when.errors for entry in form.points.entries):
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
    # Leaders hear of every new complaint anyway; an admin could not open one.
    form.new_complaints_to.choices = options((str(u.id), f"{u.name} ({m.role.label})") for m, u in members
                                             if m.role == Role.OFFICER)
    row = _settings_row(tenant.id)
    if not form.is_submitted():
        _fill(form, points_of(tenant.id), row)
        form.heads.data = [str(m.id) for m, _u in members if m.head_of_office]
    if form.validate_on_submit() and (points := _points(form, points_of(tenant.id))) is not None:
        if row is None:
            row = AlertSettings(tenant_id=tenant.id)
            db.session.add(row)
        heads = lambda: [m.user_id for m, _u in members if m.head_of_office]  # noqa: E731
        before = {"points": row.points, "heads": heads(), "digest_hour": row.digest_hour,
                  "new_complaints_to": row.new_complaints_to}
        row.points = [p.as_json() for p in points]
        row.digest_hour = int(form.digest_hour.data) if form.digest_hour.data else None
        row.new_complaints_to = sorted(int(user_id) for user_id in form.new_complaints_to.data)
        for membership, _user in members:
            membership.head_of_office = str(membership.id) in form.heads.data
        db.session.flush()
        record("alerts.settings_changed", tenant_id=tenant.id, actor=current_user, obj=row, before=before,
               after={"points": row.points, "heads": heads(), "digest_hour": row.digest_hour,
                      "new_complaints_to": row.new_complaints_to})
        flash(_("Alert settings saved. New points apply from the next sweep."), "success")
        return redirect_htmx(url_for(".settings"))
    return render_template("alerts/settings.html", form=form,
                           no_head=not any(m.head_of_office for m, _u in members)), \
        422 if form.is_submitted() else 200
