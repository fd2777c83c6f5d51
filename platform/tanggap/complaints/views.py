"""The public pages: the platform's list of offices, and each office's branded home."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, make_response, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, undefer

from ..decrees.store import in_force
from ..extensions import db
from ..tenancy.branding import brand_palette
from ..tenancy.context import current_tenant
from ..tenancy.models import Region, Tenant

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    offices = db.session.execute(
        select(Tenant).where(Tenant.active).options(joinedload(Tenant.region)).order_by(Tenant.slug)
    ).scalars().all()
    by_region: dict[Region, list[Tenant]] = {}
    for office in offices:
        by_region.setdefault(office.region, []).append(office)
    return render_template("public/index.html", by_region=by_region)


@bp.get("/<tenant_slug>/")
def home():
    tenant = current_tenant()
    return render_template("public/home.html", decree=in_force(tenant))


@bp.get("/<tenant_slug>/brand.css")
def brand_css():
    """The office's colours as CSS variables: a stylesheet, so no inline style is needed."""
    palette = brand_palette(current_tenant().brand_color)
    body = ":root{" + "".join(f"{name}:{value};" for name, value in palette.items()) + "}\n"
    return _cached(body.encode(), "text/css")


@bp.get("/<tenant_slug>/logo")
def logo():
    tenant = db.session.execute(
        select(Tenant).where(Tenant.id == current_tenant().id).options(undefer(Tenant.logo))
    ).scalar_one()
    if not tenant.logo:
        abort(404)
    return _cached(tenant.logo, tenant.logo_mimetype or "application/octet-stream")


def _cached(body: bytes, mimetype: str) -> Response:
    etag = hashlib.sha256(body).hexdigest()[:32]
    if etag in request.if_none_match:
        return make_response("", 304)
    response = make_response(body)
    response.mimetype = mimetype
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response
