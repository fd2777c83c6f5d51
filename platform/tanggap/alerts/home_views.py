"""The staff home's page. Its route is auth's (``auth.staff_home``, where every log-in lands);
the page itself is this feature's, registered by ``create_app``, since what needs a person now
is read from the complaints above auth."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from .. import clock
from ..auth.permissions import Permission, can
from ..tenancy.context import bound_tenant
from . import home


def page() -> str:
    tenant = bound_tenant()
    if not can(current_user, Permission.VIEW_COMPLAINTS, tenant):
        work = home.office_work(tenant) if can(current_user, Permission.MANAGE_OFFICE, tenant) else None
        return render_template("alerts/home.html", role=current_user.role_in(tenant), needs=[], work=work)
    return render_template("alerts/home.html", role=current_user.role_in(tenant), work=None,
                           needs=home.needs(current_user, tenant, clock.now()))
