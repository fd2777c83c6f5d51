"""The inspectorate's pages: every office of the inspector's regions side by side, each
office's dashboard and complaints read-only (contacts masked), and its compliance sheet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..assessments.models import PackageItem
from ..complaints import inbox, outcomes
from .. import clock
from ..database import mark_across_offices
from ..extensions import db, login_manager
from ..tenancy.context import bound_to
from ..tenancy.models import Tenant
from . import figures, masking, oversight, rollup, tables
from .period import Period
from .views import export_response, office_report

bp = Blueprint("inspectorate", __name__, url_prefix="/inspektorat")
# The platform operator's and the inspectors' pages read across offices: their statements
# go through the cross-office role, never the one serving office pages (row_security).
bp.before_request(mark_across_offices)
#: The calendar of an inspector with no offices yet (WIB).
DEFAULT_ZONE = "Asia/Jakarta"
SORTS = ("office", "received", "overdue", "on_time_rate", "upheld")


def inspector_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Inspectors only; anyone else learns nothing exists here (404)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.inspector_scopes:
            abort(404)
        return view(*args, **kwargs)

    return guarded


def zone_of(offices: list[Tenant]) -> str:
    """The time zone the inspector's calendar follows: the one most of their offices keep (a
    province's offices share one). Each office is still counted between its own midnights."""
    found = Counter(office.timezone for office in offices).most_common(1)
    return found[0][0] if found else DEFAULT_ZONE


def _period(timezone: str, default_year: bool = False) -> Period:
    default = Period.this_year(timezone) if default_year else Period.this_month(timezone)
    return Period.parse(request.args.get("from"), request.args.get("to"), timezone, default)


def _office(slug: str) -> Tenant:
    """One of the inspector's offices; any other is a 404."""
    for office in oversight.offices_of(current_user):
        if office.slug == slug:
            return office
    abort(404)


def overview_rows(offices: list[Tenant], period: Period, sort: str) -> list[dict[str, Any]]:
    """One row per office: its key figures, its standing and its ranks.

    Only offices with a decree in force are ranked: one without has no compensation regime to
    be measured by, and is flagged instead of being placed among those that have one. Equal
    figures share a rank (``figures.ranks``)."""
    rolled = rollup.refreshed_at() is not None
    key = (figures.key_figures_rolled if rolled else figures.key_figures)(offices, period, clock.now())
    standing = oversight.standings(offices)
    rows: list[dict[str, Any]] = [{"office": office, "key": key[office.id], "standing": standing[office.id]}
                                  for office in offices]
    ranked = [row for row in rows if row["standing"].decree is not None]
    on_time = figures.ranks({row["office"].id: row["key"].on_time_rate for row in ranked}, highest_first=True)
    overdue = figures.ranks({row["office"].id: row["key"].overdue for row in ranked}, highest_first=False)
    for row in rows:
        row["rank_on_time"] = on_time.get(row["office"].id)
        row["rank_overdue"] = overdue.get(row["office"].id)

    def rate(row: dict[str, Any]) -> float:
        return -1.0 if row["key"].on_time_rate is None else -row["key"].on_time_rate

    keys: dict[str, Callable[[dict[str, Any]], Any]] = {
        "office": lambda r: r["office"].slug, "received": lambda r: -r["key"].received,
        "overdue": lambda r: -r["key"].overdue, "upheld": lambda r: -r["key"].upheld,
        "on_time_rate": lambda r: (r["key"].on_time_rate is None, rate(r))}
    return sorted(rows, key=keys.get(sort, keys["office"]))


@bp.get("/")
@inspector_only
def overview():
    offices = oversight.offices_of(current_user)
    period = _period(zone_of(offices), default_year=True)
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "office"
    rows = overview_rows(offices, period, sort)
    return render_template("reports/overview.html", rows=rows, period=period, sort=sort,
                           refreshed_at=rollup.refreshed_at())


@bp.get("/export.<kind>")
@inspector_only
def export(kind: str):
    offices = oversight.offices_of(current_user)
    period = _period(zone_of(offices), default_year=True)
    rows = overview_rows(offices, period, "office")
    table = tables.Table("offices", _("Offices of your regions"), [_("Office"), *tables.key_header(), _("Decree in force")],
                         [[row["office"].slug, *tables.key_row(row["key"]),
                           row["standing"].decree.number if row["standing"].decree else ""] for row in rows])
    return export_response({"offices": table}, "offices", kind, f"inspektorat-{period.start}-{period.end}")


@bp.get("/<office>/")
@inspector_only
def office_dashboard(office: str):
    tenant = _office(office)
    period = _period(tenant.timezone)
    with bound_to(tenant):
        report = office_report(tenant, period)
        return render_template(
            "reports/inspect_office.html", **report, office=tenant,
            link=lambda **filters: url_for(".complaints", **{"office": tenant.slug, **period.query, **filters}),
            export=None)


@bp.get("/<office>/complaints")
@inspector_only
def complaints(office: str):
    tenant = _office(office)
    period = _period(tenant.timezone)
    outcome = request.args.get("outcome") if request.args.get("outcome") in outcomes.OUTCOMES else None
    start, end = period.bounds
    # The staff inbox's own query (the same filters the figures link with), read in the office's scope;
    # its numbers read the inbox's way, and what cannot be read is said and left out.
    asked, problems = inbox.query_from(request.args, tenant.timezone)
    query = inbox.InboxQuery(
        tab="all", outcome=outcome, component=request.args.get("component") or None,
        unit_id=asked.unit_id, filed_from=start, filed_until=end, sort="newest", page=asked.page)
    with bound_to(tenant):
        page = inbox.page_of(query, clock.now())
        return render_template("reports/inspect_complaints.html", office=tenant, page=page, period=period,
                               mask=masking, outcome=outcome, backdated=_backdated([c.id for c in page.items]),
                               unread={name: problems[name] for name in ("unit", "page") if name in problems})


def _backdated(complaint_ids: list[int]) -> set[int]:
    """Those of these complaints with a delivery stated long before it was recorded: an
    inspector sees them marked, since they count from the recording, not the stated time."""
    if not complaint_ids:
        return set()
    return set(db.session.execute(
        select(PackageItem.complaint_id).where(PackageItem.backdated, PackageItem.complaint_id.in_(complaint_ids))
    ).scalars())


@bp.get("/<office>/compliance")
@inspector_only
def compliance(office: str):
    """The compensation regime as the Ombudsman's assessment asks about it."""
    tenant = _office(office)
    period = _period(tenant.timezone, default_year=True)
    standing = oversight.standings([tenant])[tenant.id]
    with bound_to(tenant):
        found = figures.by_component(figures.office_cohort(tenant, period), clock.now())
    return render_template("reports/compliance.html", office=tenant, standing=standing, found=found,
                           period=period, components=("time", "procedure", "fee", "product", "requirements"),
                           nothing=figures.ComponentCounts(0, 0, 0))
