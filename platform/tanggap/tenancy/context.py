"""The tenant a request, job or command is working for.

It lives on ``flask.g`` for the length of one request (set when the URL names a tenant,
cleared at teardown) or of one ``bound_to`` block in jobs and commands. Scoping reads it
on every query, so it is the one place the answer comes from.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import g, has_app_context

if TYPE_CHECKING:
    from .models import Tenant


def current_tenant() -> "Tenant | None":
    if not has_app_context():
        return None
    return g.get("tenant")


def bound_tenant() -> "Tenant":
    """The tenant bound now, where there must be one: an office's pages (their URL names it,
    an unknown one is a 404 before the view runs), a token's API calls, a ``bound_to`` block."""
    tenant = current_tenant()
    if tenant is None:
        raise RuntimeError("no tenant is bound here")
    return tenant


def current_tenant_id() -> int | None:
    if not has_app_context():
        return None
    return g.get("tenant_id")


def bind(tenant: "Tenant | None") -> None:
    g.tenant = tenant
    g.tenant_id = tenant.id if tenant is not None else None


def unbind() -> None:
    g.pop("tenant", None)
    g.pop("tenant_id", None)


@contextmanager
def bound_to(tenant: "Tenant") -> Iterator["Tenant"]:
    """Work as ``tenant`` inside the block (jobs, commands, tests), then restore.

    Pending writes are flushed whenever the binding changes, so each is written under the
    binding it was made in: flushed later, under the next office a job binds, the scoping
    guard (and PostgreSQL's row policies) would rightly refuse it as a foreign row.
    """
    from ..extensions import db

    previous = current_tenant()
    db.session.flush()
    bind(tenant)
    try:
        yield tenant
        db.session.flush()
    finally:
        bind(previous) if previous is not None else unbind()
