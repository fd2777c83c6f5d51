"""An office's pages as PDF: what the page links to from the office (its logo, its colours)
is handed to the PDF engine from the database, so the engine reads no address at all."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from .. import pdf
from ..extensions import db
from .branding import stylesheet
from .models import Tenant


def resources(tenant: Tenant) -> dict[str, tuple[bytes, str]]:
    """The office's logo and stylesheet under the paths its pages link to them by."""
    found = {url_for("citizen.brand_css", tenant_slug=tenant.slug): (stylesheet(tenant.brand_color).encode(), "text/css")}
    logo, mimetype = db.session.execute(select(Tenant.logo, Tenant.logo_mimetype).where(Tenant.id == tenant.id)).one()
    if logo:
        found[url_for("citizen.logo", tenant_slug=tenant.slug)] = (logo, mimetype or "application/octet-stream")
    return found


def office_pdf(html: str, tenant: Tenant) -> bytes:
    """A page of ``tenant``'s, rendered as PDF."""
    return pdf.render(html, resources(tenant))
