"""The office dashboard (leaders and admins), its exports, and the printable monthly report."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from babel.lists import format_list
from flask_babel import get_locale, gettext as _

from ..auth.permissions import Permission, can, require
from .. import clock, filestore, pdf
from ..decrees.store import in_force
from ..extensions import db, htmx
from ..i18n import percent
from ..tenancy.context import bound_tenant
from ..tenancy.models import Tenant
from ..tenancy.printing import office_pdf
from ..web import redirect_htmx, render_page_or_fragment
from . import exporting, figures, naming, tables
from .models import Export
from .period import Period

bp = Blueprint("reports", __name__)
BASE = "/<tenant_slug>/staff/reports"


def period_of(tenant: Tenant) -> Period:
    return Period.parse(request.args.get("from"), request.args.get("to"), tenant.timezone)


def office_report(tenant: Tenant, period: Period) -> dict:
    """The dashboard's figures and tables for one office (the inspectorate reads it too).

    ``decrees`` are the versions the period's complaints were judged under, which is what
    the report names; ``in_force`` is today's version, named only when no complaint was filed.
    """
    board = figures.dashboard(tenant, period, clock.now())
    decrees = naming.judged_under(board.by_decree)
    current = in_force(tenant)
    words = naming.names([*decrees, *([current] if current is not None else [])])
    charts = {"components": [(words["component"](code), counts.complaints) for code, counts in board.by_component.items()]}
    return {"board": board, "tables": tables.office_tables(board, words), "period": period, "names": words,
            "decrees": [words["decree"](decree.id) for decree in decrees], "in_force": current, "charts": charts}


@bp.get(f"{BASE}/")
@require(Permission.VIEW_REPORTS)
def dashboard():
    tenant = bound_tenant()
    period = period_of(tenant)
    return render_template("reports/dashboard.html", **office_report(tenant, period), office=tenant,
                           link=inbox_link(tenant, period),
                           export=lambda name, kind: url_for(".export", name=name, kind=kind, **period.query),
                           printable=url_for(".printable", **period.query),
                           printable_pdf=url_for(".printable_pdf", **period.query))


def inbox_link(tenant: Tenant, period: Period) -> Callable[..., str] | None:
    """How a figure links to the inbox list that makes it, for those who may read the inbox.
    An office admin reads the figures but not the complaints (citizens' details stay with the
    staff who handle them): their figures are plain numbers, with no link that would refuse them."""
    if not can(current_user, Permission.VIEW_COMPLAINTS, tenant):
        return None
    return lambda **filters: url_for("staff_complaints.index", tab="all", **{**period.query, **filters})


@bp.get(f"{BASE}/print")
@require(Permission.VIEW_REPORTS)
def printable():
    tenant = bound_tenant()
    return render_template("reports/print.html", **office_report(tenant, period_of(tenant)))


@bp.get(f"{BASE}/print.pdf")
@require(Permission.VIEW_REPORTS)
def printable_pdf():
    """The printable report as PDF, on the office's letterhead."""
    tenant = bound_tenant()
    period = period_of(tenant)
    html = render_template("reports/print.html", **office_report(tenant, period), pdf=True)
    return pdf.response(office_pdf(html, tenant), f"laporan-{tenant.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf")


@bp.get(f"{BASE}/export/<name>.<kind>")
@require(Permission.VIEW_REPORTS)
def export(name: str, kind: str):
    tenant = bound_tenant()
    period = period_of(tenant)
    return export_response(office_report(tenant, period)["tables"], name, kind,
                           f"{tenant.slug}-{period.start}-{period.end}")


def export_response(all_tables: dict[str, tables.Table], name: str, kind: str, stem: str) -> Response:
    """One table as CSV, or one or every table (``all``) as an XLSX workbook."""
    if kind == "csv" and name in all_tables:
        body, mimetype = tables.as_csv(all_tables[name]), "text/csv"
    elif kind == "xlsx" and (name in all_tables or name == "all"):
        chosen = list(all_tables.values()) if name == "all" else [all_tables[name]]
        body = tables.as_xlsx(chosen)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}-{name}.{kind}"'
    return response


@bp.app_template_filter("wordlist")
def _wordlist(items: Iterable[str]) -> str:
    """``a, b and c`` in the reader's language (Babel's list patterns: ``a, b dan c``)."""
    return format_list(list(items), locale=str(get_locale() or "id"))


@bp.app_template_filter("percent")
def _percent(value: float | None) -> str:
    return percent(value) if value is not None else _("n/a")


@bp.post(f"{BASE}/exports")
@require(Permission.VIEW_REPORTS)
def start_export():
    tenant = bound_tenant()
    export = exporting.start(tenant, current_user.id, period_of(tenant))
    return redirect_htmx(url_for(".export_status", export_id=export.id)) if not htmx else \
        export_status(export.id)


@bp.get(f"{BASE}/exports/<export_id>")
@require(Permission.VIEW_REPORTS)
def export_status(export_id: str):
    export = _own_export(export_id)
    return render_page_or_fragment("reports/export.html", "reports/_export.html", export=export)


@bp.get(f"{BASE}/exports/<export_id>/file")
@require(Permission.VIEW_REPORTS)
def export_file(export_id: str):
    export = _own_export(export_id)
    if export.status != "done":
        abort(404)
    return filestore.download(exporting.key_of(export),
                              filename=f"{bound_tenant().slug}-complaints-{export.start}-{export.end}.xlsx",
                              mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _own_export(export_id: str) -> Export:
    """The caller's own export of this office: another office's is a 404, a colleague's a 403."""
    export = db.session.execute(select(Export).where(Export.id == export_id)).scalar_one_or_none()
    if export is None:
        abort(404)
    if export.user_id != current_user.id:
        abort(403)
    return export
