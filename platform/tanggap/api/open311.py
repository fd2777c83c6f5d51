"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), per office and for all.

Each office answers at ``/<slug>/open311/v2/``; ``/open311/v2/`` serves every office and
takes the office as ``jurisdiction_id``, as the spec provides for endpoints with many
jurisdictions. Services are the standard's components of the decree in force. Requests
show public fields only (no contacts, no citizen's text); filing one runs the web form's
validation and rate limits, with an office's API token as ``api_key``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.datastructures import MultiDict

from .. import days
from ..auth import tokens
from ..auth.models import ApiScope
from ..complaints import submitting, labels
from ..complaints.forms import ComplaintForm
from ..complaints.intake import submit
from ..complaints.inbox import component_names, names_component
from ..complaints.models import FINISHED, Complaint, ComplaintEvent
from ..complaints.limits import LOOKUP_LIMIT, SUBMIT_LIMIT
from .. import clock
from ..decrees.models import Decree
from ..decrees.store import in_force
from ..extensions import csrf, db, limiter
from ..i18n import localized
from ..tenancy.context import bound_tenant, current_tenant
from ..tenancy.resolver import bind_for_request, tenant_by_slug
from ..units.listing import Unit, active_units
from . import form_json
from .errors import ApiProblem

bp = Blueprint("open311", __name__)
csrf.exempt(bp)  # an api_key, never a browser's cookie, authorises the one write

PREFIXES = {"office": "/<tenant_slug>/open311/v2", "all": "/open311/v2"}
#: The spec's defaults for a list of requests.
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
#: Where the web form's fields come from in an Open311 request (the rest map one to one).
FIELD_NAMES = {"components": "service_code", "name": "first_name", "waited_amount": "attribute[delay]",
               "occurred_on": "attribute[occurred_on]", "consent": "attribute[consent]",
               "service": "attribute[service]", "unit": "attribute[unit]", "charged": "attribute[charged]",
               "tariff": "attribute[tariff]"}


def route(rule: str, methods: tuple[str, ...] = ("GET",)) -> Callable:
    """Register a view under both prefixes: ``name`` for one office, ``name_all`` for all."""

    def decorator(view: Callable) -> Callable:
        for scope, prefix in PREFIXES.items():
            endpoint = view.__name__ if scope == "office" else f"{view.__name__}_all"
            bp.add_url_rule(prefix + rule, endpoint, view, methods=list(methods))
        return view

    return decorator


@bp.before_request
def _jurisdiction() -> None:
    """Bind the office ``jurisdiction_id`` names; on an office's own URL it must name that office."""
    wanted = request.values.get("jurisdiction_id")
    tenant = current_tenant()
    if tenant is not None:
        if wanted and wanted != tenant.slug:
            raise ApiProblem(404)
        return
    if not wanted:
        raise ApiProblem(400, "jurisdiction_required")
    found = tenant_by_slug(wanted)
    if found is None or not found.active:
        raise ApiProblem(404)
    bind_for_request(found)


def _json_only(fmt: str) -> None:
    if fmt != "json":
        raise ApiProblem(400, "format")


def _decree() -> Decree:
    decree = in_force(bound_tenant())
    if decree is None:
        raise ApiProblem(404, "no_decree")
    return decree


# Services ---------------------------------------------------------------------------------

@route("/services.<fmt>")
@limiter.limit(LOOKUP_LIMIT)
def services(fmt: str) -> Response:
    _json_only(fmt)
    group = localized(bound_tenant().name)
    return jsonify([{
        "service_code": component.code,
        "service_name": localized(component.name),
        "description": localized(component.description) if component.description else "",
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": group,
    } for component in _decree().components])


@route("/services/<code>.<fmt>")
@limiter.limit(LOOKUP_LIMIT)
def service_definition(code: str, fmt: str) -> Response:
    _json_only(fmt)
    if code not in {component.code for component in _decree().components}:
        raise ApiProblem(404)
    return jsonify({"service_code": code, "attributes": _attributes(active_units(bound_tenant()))})


def _attributes(units: Sequence[Unit]) -> list[dict[str, Any]]:
    def attribute(order: int, code: str, datatype: str, required: bool, description: str,
                  datatype_description: str = "", values: list[dict[str, str]] | None = None) -> dict[str, Any]:
        found = {"variable": True, "code": code, "datatype": datatype, "required": required,
                 "datatype_description": datatype_description, "order": order, "description": description}
        if values is not None:
            found["values"] = values
        return found

    return [
        attribute(1, "occurred_on", "datetime", True, _("When did it happen?"), _("The day, as YYYY-MM-DD.")),
        attribute(2, "consent", "singlevaluelist", True,
                  _("I agree that the office processes my personal data to handle this complaint."),
                  values=[{"key": "yes", "name": _("Yes")}]),
        attribute(3, "service", "string", False, _("Which service?")),
        attribute(4, "unit", "singlevaluelist", False, _("Which unit served you? (if you know)"),
                  values=[{"key": str(unit.id), "name": unit.name} for unit in units]),
        attribute(5, "delay", "number", False, _("How long did you wait beyond the promised time?"),
                  _("Minutes, a whole number.")),
        attribute(6, "charged", "number", False, _("How much were you charged? (Rupiah)"),
                  _("With the tariff it gives the overcharge, which is refunded.")),
        attribute(7, "tariff", "number", False, _("What is the published tariff? (Rupiah)"),
                  _("Write 0 if the service should be free.")),
    ]


# Requests ---------------------------------------------------------------------------------

@route("/requests.<fmt>", methods=("POST",))
@limiter.limit(SUBMIT_LIMIT)
def create_request(fmt: str) -> Response:
    _json_only(fmt)
    tenant = bound_tenant()
    token = tokens.authenticate(request.form.get("api_key"))
    if token is None or token.tenant_id != tenant.id or not token.allows(ApiScope.SUBMIT):
        raise ApiProblem(403, "forbidden", _("Give a valid api_key of this office."))
    decree = _decree()
    form = submitting.complaint_form(tenant, decree, formdata=_as_form(request.form))
    if not form.validate():
        raise ApiProblem(400, "invalid", _described(form))
    form.fill_key()
    sender = submitting.token_sender(token.id)
    complaint = submit(tenant, submitting.submission(form, [], str(get_locale()), sender=sender), decree=decree,
                       via=token.label)
    db.session.flush()
    due = clock.office_time(tenant, complaint.due_at)
    response = jsonify([{
        "service_request_id": complaint.number,
        "service_notice": _("The office answers and compensates by %(due)s.", due=due.strftime("%Y-%m-%d %H:%M")),
        "account_id": None,
        "tanggap_tracking_code": complaint.tracking_code,
        "tanggap_tracking_url": url_for("citizen.track", tenant_slug=tenant.slug, code=complaint.tracking_code,
                                        _external=True),
    }])
    response.status_code = 201
    return response


def _as_form(posted: MultiDict) -> MultiDict:
    """An Open311 request as the web form's fields."""
    data: MultiDict[str, Any] = MultiDict()
    if posted.get("service_code"):
        data.add("components", posted["service_code"])
    name = " ".join(part for part in (posted.get("first_name", "").strip(), posted.get("last_name", "").strip()) if part)
    for field, value in (
        ("description", posted.get("description")),
        ("name", name),
        ("email", posted.get("email")),
        ("phone", posted.get("phone")),
        ("occurred_on", (posted.get("attribute[occurred_on]") or "")[:10]),
        ("service", posted.get("attribute[service]")),
        ("unit", posted.get("attribute[unit]")),
        ("waited_amount", posted.get("attribute[delay]")),
        ("charged", posted.get("attribute[charged]")),
        ("tariff", posted.get("attribute[tariff]")),
    ):
        if value:
            data.add(field, value)
    data.add("waited_unit", "minutes")
    if posted.get("attribute[consent]") == "yes":
        data.add("consent", "y")
    return data


def _described(form: ComplaintForm) -> str:
    """The form's messages in one line, each under the Open311 name of its field."""
    return "; ".join(f"{FIELD_NAMES.get(name, name)}: {' '.join(messages)}"
                     for name, messages in form_json.errors(form).items())


@route("/requests.<fmt>")
@limiter.limit(LOOKUP_LIMIT)
def requests(fmt: str) -> Response:
    _json_only(fmt)
    args = request.args
    statement = select(Complaint)
    if args.get("service_request_id"):
        numbers = [n.strip() for n in args["service_request_id"].split(",") if n.strip()][:MAX_REQUESTS]
        statement = statement.where(Complaint.number.in_(numbers))
    else:
        start, end = _moment("start_date"), _moment("end_date")
        if start is None and end is None:
            start = clock.now() - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            statement = statement.where(Complaint.submitted_at >= start)
        if end is not None:
            statement = statement.where(Complaint.submitted_at <= end)
        codes = [c.strip() for c in args.get("service_code", "").split(",") if c.strip()]
        if codes:  # "service_code=,," names none: no filter, as when it is left out
            statement = statement.where(or_(*(names_component(code) for code in codes)))
        wanted = {s.strip() for s in args.get("status", "").split(",") if s.strip()}
        if wanted - {"open", "closed"}:
            raise ApiProblem(400, "invalid", _("status is open, closed or both."))
        if wanted == {"open"}:
            statement = statement.where(Complaint.status.not_in(FINISHED))
        elif wanted == {"closed"}:
            statement = statement.where(Complaint.status.in_(FINISHED))
    found = db.session.execute(
        statement.order_by(Complaint.submitted_at.desc(), Complaint.id.desc()).limit(MAX_REQUESTS)
    ).scalars().all()
    return jsonify(_public(found))


def _moment(name: str) -> datetime | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
        if not days.in_range(moment.date()):
            raise ValueError(value)
    except ValueError:
        raise ApiProblem(400, "invalid", _("%(name)s is not a date and time in ISO 8601.", name=name)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.zone(bound_tenant()))


@route("/requests/<number>.<fmt>")
@limiter.limit(LOOKUP_LIMIT)
def request_detail(number: str, fmt: str) -> Response:
    _json_only(fmt)
    found = db.session.execute(select(Complaint).where(Complaint.number == number)).scalars().all()
    if not found:
        raise ApiProblem(404)
    return jsonify(_public(found))


def _public(complaints: Sequence[Complaint]) -> list[dict[str, Any]]:
    """Requests as anyone may read them: status and times, never who complained or what they wrote."""
    tenant = bound_tenant()
    zone = clock.zone(tenant)
    names = {key: localized(value) for key, value in component_names(complaints).items()}
    updated = _last_events([c.id for c in complaints])

    def moment(value: datetime | None) -> str | None:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else None

    return [{
        "service_request_id": c.number,
        "status": "closed" if c.status in FINISHED else "open",
        "status_notes": labels.status_explanation(c.status),
        "service_name": names.get((c.decree_id, c.components[0]), c.components[0]) if c.components else "",
        "service_code": c.components[0] if c.components else "",
        "agency_responsible": localized(tenant.name),
        "service_notice": "",
        "requested_datetime": moment(c.submitted_at),
        "updated_datetime": moment(updated.get(c.id, c.submitted_at)),
        "expected_datetime": moment(c.due_at),
        "address": None,
        "zipcode": None,
        "tanggap_status": c.status.value,
        "tanggap_status_label": labels.status_label(c.status),
        "tanggap_components": list(c.components),
    } for c in complaints]


def _last_events(ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(ComplaintEvent.complaint_id, func.max(ComplaintEvent.at))
        .where(ComplaintEvent.complaint_id.in_(ids)).group_by(ComplaintEvent.complaint_id)
    ).tuples().all()
    return dict(rows)

