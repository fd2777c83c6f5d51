"""The office's public accountability page (``/<office>/akuntabilitas``), for anyone.

It is the same for every visitor who is not signed in, so for them it is cacheable: public for
five minutes, with an ETag for a cheap revalidation. Such a page carries no session at all (no
CSRF token, no name, no message), which is why it is shareable only when the request brought no
session cookie and nobody is signed in; anyone else gets it like every other page (``no-store``).
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import clock
from ..decrees.store import in_force
from ..extensions import limiter
from ..tenancy.context import bound_tenant
from . import accountability

bp = Blueprint("accountability", __name__)

#: Reading the figures costs a few grouped queries: generous for people, few for a script.
PAGE_LIMIT = "60 per minute"
#: Seconds a browser or a shared cache may keep the page: the figures move as complaints do.
MAX_AGE = 300


@bp.get("/<tenant_slug>/akuntabilitas")
@limiter.limit(PAGE_LIMIT)
def page() -> Response:
    tenant = bound_tenant()
    if not tenant.accountability_page:
        abort(404)
    shareable = _without_session()
    body = render_template("reports/public.html", decree=in_force(tenant), shareable=shareable,
                           report=accountability.public_figures(tenant, clock.now()),
                           median_minimum=accountability.MEDIAN_MINIMUM)
    response = make_response(body)
    if shareable:
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
        response.vary.add("Accept-Language")
        response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
        response.make_conditional(request)
    return response


def _without_session() -> bool:
    """Nobody is signed in and the browser sent no session: the page is everyone's."""
    return not current_user.is_authenticated and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
