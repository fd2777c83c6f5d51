"""Resolving the tenant a request is for, from ``/<tenant_slug>/...`` in its URL.

One app-wide URL value preprocessor takes ``tenant_slug`` out of every matched route, so
views never see or forget it, and one URL default puts it back when a URL is built inside
a tenant's pages. An unknown or inactive office is a 404 page.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Flask, abort, g
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from . import context, row_security
from .models import RESERVED_SLUGS, Tenant

SLUG_ARG = "tenant_slug"


def tenant_by_slug(slug: str) -> Tenant | None:
    """The office, with its region: every page's letterhead names the region, so it comes in
    the same statement rather than one more per request. On PostgreSQL that statement also
    declares the office to row-level security, as the request binds it next: its first
    statement on the office's rows then needs no declaration of its own."""
    if slug in RESERVED_SLUGS:
        return None
    connection = db.session.connection(bind_arguments={"mapper": Tenant})
    declares = connection.dialect.name == "postgresql"
    found = db.session.execute(_by_slug(declares), {"slug": slug}).first()
    if found is None:
        return None
    if declares:
        row_security.declared(connection, found[0].id)
    return found[0]


@cache
def _by_slug(declares: bool) -> Select[Any]:
    """The look-up, built once: every request asks it, and only the slug differs, so its
    construction and its cache key were a twentieth of a form page's time."""
    query = select(Tenant).where(Tenant.slug == bindparam("slug")).options(joinedload(Tenant.region))
    return query.add_columns(row_security.declaring(Tenant.id)) if declares else query


#: Set on ``g`` when a request bound the tenant itself, so that only it unbinds it: a
#: request context pushed inside a job's or command's own
#: must not take away the tenant the job bound.
_FROM_REQUEST = "tenant_from_request"


def bind_for_request(tenant: Tenant) -> None:
    """Bind the tenant this request is for, until the request ends."""
    context.bind(tenant)
    g.setdefault(_FROM_REQUEST, True)


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor
    def _bind_tenant(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if not values or SLUG_ARG not in values:
            return
        tenant = tenant_by_slug(values.pop(SLUG_ARG))
        if tenant is None or not tenant.active:
            abort(404)
        bind_for_request(tenant)

    @app.url_defaults
    def _add_tenant_slug(endpoint: str, values: dict[str, Any]) -> None:
        if SLUG_ARG in values or not app.url_map.is_endpoint_expecting(endpoint, SLUG_ARG):
            return
        tenant = context.current_tenant()
        if tenant is not None:
            values[SLUG_ARG] = tenant.slug

    @app.teardown_request
    def _unbind_tenant(exc: BaseException | None) -> None:
        if g.pop(_FROM_REQUEST, False):
            context.unbind()
