"""The JSON API for the office's other systems (``/api/v1``), authenticated by API token.

The token names the office, so no URL does; everything read is scoped to that office like
a staff page, and another office's complaint is a 404. Writes go through the same
functions as the web's buttons, with the web's forms, and commit one step at a time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, g, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..assessments import decisions, form_handling
from ..assessments.forms import AssessmentForm, DeliveryForm
from ..assessments.models import PackageItem
from ..auth import tokens
from ..auth.models import ApiScope, ApiToken
from ..auth.permissions import Permission, can
from ..complaints import lifecycle, submitting
from ..complaints.forms import ComplaintForm, MessageForm
from ..complaints.inbox import query_from
from ..complaints.intake import file_once
from ..complaints.lifecycle import Action, IllegalTransition
from ..complaints.models import Complaint
from ..complaints.limits import SUBMIT_LIMIT
from .. import clock
from ..database import LARGEST_ID, commit_progress, discard, whole_number
from ..decrees.store import in_force
from ..extensions import csrf, db, limiter
from ..forms import given
from ..reports.figures import KeyFigures, key_figures
from ..reports.period import Period
from ..tenancy.context import bound_tenant
from ..tenancy.resolver import bind_for_request
from ..units.listing import active_units
from ..units.models import Officer
from . import form_json, representations
from .errors import ApiProblem
from .spec import Api, Param, document

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
csrf.exempt(bp)  # a bearer token is never sent by a browser on its own, so there is nothing to forge
api = Api(bp)

#: Public: the description of the API, for anyone deciding whether to integrate.
PUBLIC_ENDPOINTS = {"api.openapi", "api.reference"}
#: A token's calls per minute; generous for a system, a wall for a runaway loop.
TOKEN_LIMIT = "600 per minute"
PER_PAGE_MAX = 100
#: last_used_at is written at most this often, so reading does not mean writing each time.
USE_RECORDED_EVERY = timedelta(minutes=1)

COMPLAINTS = "complaints"
STEPS = "steps"
OFFICE = "office"


def _token_key() -> str:
    """Limits count per token (the limiter runs before authentication, so by its digest)."""
    presented = request.headers.get("Authorization", "")
    return "token:" + hashlib.sha256(presented.encode()).hexdigest()[:24] if presented else request.remote_addr or "?"


@bp.before_request
def _authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    token = tokens.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise ApiProblem(401)
    g.api_token = token
    bind_for_request(token.tenant)
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        commit_progress()  # the token's use stays, whatever its request answers


limiter.limit(TOKEN_LIMIT, key_func=_token_key)(bp)


def _token() -> ApiToken:
    return g.api_token


def _body(form_class: type) -> Any:
    """The JSON body as the form data ``form_class`` reads."""
    if not request.is_json:
        raise ApiProblem(415)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiProblem(400)
    try:
        return form_json.formdata(form_class, body)
    except form_json.WrongTypes as wrong:
        raise ApiProblem(422, fields=wrong.fields) from None


def _invalid(form: Any) -> ApiProblem:
    return ApiProblem(422, fields=form_json.errors(form))


def _complaint(number: str) -> Complaint:
    found = db.session.execute(select(Complaint).where(Complaint.number == number)).scalar_one_or_none()
    if found is None:
        raise ApiProblem(404)
    return found


def _actions(complaint: Complaint) -> list[str]:
    return sorted(action.value for action in lifecycle.available(complaint, _token()))


def _answer(complaint: Complaint) -> dict[str, Any]:
    """The complaint as this token may see it: whole with the read scope, a receipt without it."""
    if can(_token(), Permission.VIEW_COMPLAINTS, bound_tenant()):
        return representations.complaint(complaint, _actions(complaint))
    return representations.receipt(complaint, _actions(complaint))


def _detail(complaint: Complaint) -> Response:
    return jsonify(_answer(complaint))


def _step(complaint: Complaint, step: Callable[[], object]) -> Response:
    """Take one step and commit it; a step the status does not allow is a 409 and changes nothing."""
    try:
        step()
    except IllegalTransition:
        discard()
        raise ApiProblem(409) from None
    db.session.flush()
    return _detail(complaint)


# The document -----------------------------------------------------------------------------

def openapi_document() -> dict[str, Any]:
    return document(
        api,
        server=request.url_root.rstrip("/") + PREFIX,
        title="Tanggap API",
        description=str(_l(
            "Complaints, their timelines, assessment and delivery, the decree in force and the report "
            "figures of one office, for the office's other systems. Authenticate with a token a member of "
            "the office issues, which does no more than they may; the token decides the office. Errors are JSON with a stable code and a message "
            "in the language of Accept-Language (id or en).")),
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    response = jsonify(openapi_document())
    response.vary.add("Accept-Language")
    return response


@bp.get("/")
def reference() -> str:
    return render_template("api/reference.html", spec=openapi_document(), operations=api.operations)


# Complaints -------------------------------------------------------------------------------

@api.operation("GET", "/complaints", summary=_l("List complaints"), tag=COMPLAINTS, scope=ApiScope.READ,
               responses={200: "ComplaintPage"}, query=(
                   Param("tab", _l("open (default), new, info, assessment, delivery, due_soon, overdue, finished, all"),
                         {"type": "string", "enum": ["open", "new", "info", "assessment", "delivery", "due_soon",
                                                     "overdue", "finished", "all"]}),
                   Param("status", _l("One status"), {"type": "string", "enum": representations.STATUSES}),
                   Param("component", _l("A component code of the decree")),
                   Param("unit", _l("A service unit's id"), {"type": "integer", "minimum": 1, "maximum": LARGEST_ID}),
                   Param("q", _l("Text in the number, name, description or service")),
                   Param("from", _l("Filed on or after this day (office time)"), {"type": "string", "format": "date"}),
                   Param("to", _l("Filed on or before this day (office time)"), {"type": "string", "format": "date"}),
                   Param("sort", _l("due (default), due_desc, newest, oldest"),
                         {"type": "string", "enum": ["due", "due_desc", "newest", "oldest"]}),
                   Param("page", _l("Page, from 1"), {"type": "integer", "minimum": 1, "maximum": 100_000}),
                   Param("per_page", _l("Complaints per page, at most 100"),
                         {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX}),
               ), permission=Permission.VIEW_COMPLAINTS)
def list_complaints() -> Response:
    query, problems = query_from(request.args, bound_tenant().timezone)
    per_page = whole_number(request.args.get("per_page") or "25", PER_PAGE_MAX) or 0
    if per_page < 1:
        problems["per_page"] = str(_l("Complaints per page, at most 100"))
    if problems:
        raise ApiProblem(422, fields={name: [message] for name, message in problems.items()})
    found = db.paginate(query.statement(clock.now()), page=query.page, per_page=per_page, error_out=False,
                        count=True)
    return jsonify(items=[representations.summary(c) for c in found.items], page=query.page,
                   per_page=per_page, total=found.total or 0)


@api.operation("POST", "/complaints", summary=_l("File a complaint for a citizen"), tag=COMPLAINTS,
               scope=ApiScope.SUBMIT, responses={200: "CreatedComplaint", 201: "CreatedComplaint", 409: "Error"},
               body=ComplaintForm, description=_l(
                   "Validated exactly as the office's web form. The answer carries the tracking code: give it to "
                   "the citizen. Sending the same submission_key again with the same token returns the first complaint (200)."))
@limiter.limit(SUBMIT_LIMIT)
def create_complaint() -> Response:
    tenant = bound_tenant()
    decree = in_force(tenant)
    if decree is None:
        raise ApiProblem(409, "no_decree")
    form = submitting.complaint_form(tenant, decree, formdata=_body(ComplaintForm))
    if not form.validate():
        raise _invalid(form)
    form.fill_key()
    sender = submitting.token_sender(_token().id)
    complaint, new = file_once(tenant, submitting.submission(form, [], str(get_locale()), sender=sender),
                               decree=decree, via=_token().label)
    status = 201 if new else 200  # the same key sent again by the same token: the first complaint
    response = jsonify({
        **_answer(complaint),
        "tracking_code": complaint.tracking_code,
        "tracking_url": url_for("citizen.track", tenant_slug=tenant.slug, code=complaint.tracking_code,
                                _external=True),
    })
    response.status_code = status
    response.headers["Location"] = url_for(".show_complaint", number=complaint.number, _external=True)
    return response


@api.operation("GET", "/complaints/<number>", summary=_l("Read a complaint"), tag=COMPLAINTS,
               scope=ApiScope.READ, responses={200: "Complaint"}, permission=Permission.VIEW_COMPLAINTS)
def show_complaint(number: str) -> Response:
    return _detail(_complaint(number))


@api.operation("GET", "/complaints/<number>/timeline", summary=_l("Read a complaint's timeline"), tag=COMPLAINTS,
               scope=ApiScope.READ, responses={200: "Timeline"},
               description=_l("Every event, staff notes included (public: false)."), permission=Permission.VIEW_COMPLAINTS)
def timeline(number: str) -> Response:
    return jsonify(items=[representations.event(e) for e in _complaint(number).events])


# Steps ------------------------------------------------------------------------------------

def _message_step(number: str, take: Callable[[Complaint, str], object]) -> Response:
    complaint = _complaint(number)
    form = MessageForm(formdata=_body(MessageForm), meta={"csrf": False})
    if not form.validate():
        raise _invalid(form)
    return _step(complaint, lambda: take(complaint, given(form.message.data).strip()))


@api.operation("POST", "/complaints/<number>/accept", summary=_l("Accept for assessment"), tag=STEPS,
               scope=ApiScope.WRITE, responses={200: "StepAnswer", 409: "Error"})
def accept(number: str) -> Response:
    complaint = _complaint(number)
    return _step(complaint, lambda: lifecycle.apply(complaint, Action.ACCEPT, by=_token()))


@api.operation("POST", "/complaints/<number>/request-info", summary=_l("Ask the citizen for information"),
               tag=STEPS, scope=ApiScope.WRITE, responses={200: "StepAnswer", 409: "Error"}, body=MessageForm)
def request_info(number: str) -> Response:
    return _message_step(number, lambda complaint, text: lifecycle.apply(
        complaint, Action.REQUEST_INFO, by=_token(), message=text))


@api.operation("POST", "/complaints/<number>/refer", summary=_l("Refer elsewhere (not this office's matter)"),
               tag=STEPS, scope=ApiScope.WRITE, responses={200: "StepAnswer", 409: "Error"}, body=MessageForm)
def refer(number: str) -> Response:
    return _message_step(number, lambda complaint, text: lifecycle.refer(complaint, text, by=_token()))


@api.operation("POST", "/complaints/<number>/notes", summary=_l("Add a note for colleagues"), tag=STEPS,
               scope=ApiScope.WRITE, responses={200: "StepAnswer"}, body=MessageForm, permission=Permission.TRIAGE)
def note(number: str) -> Response:
    return _message_step(number, lambda complaint, text: lifecycle.add_note(complaint, text, by=_token()))


@api.operation("POST", "/complaints/<number>/assessment", summary=_l("Record the leader's assessment"),
               tag=STEPS, scope=ApiScope.WRITE, responses={200: "StepAnswer", 409: "Error"}, body=AssessmentForm,
               description=_l(
                   "upheld: yes or no. The package follows from the decree the complaint was filed under; "
                   "required items cannot be left out. delay_amount with delay_unit, and overcharge, are what "
                   "was found, not what the citizen claimed."))
def assess(number: str) -> Response:
    complaint = _complaint(number)
    form = form_handling.assessment_form(complaint, formdata=_body(AssessmentForm))
    if not lifecycle.allowed(complaint.status, Action.UPHOLD):
        raise ApiProblem(409)
    if not form.validate():
        raise _invalid(form)
    try:
        return _step(complaint, lambda: decisions.assess(complaint, form_handling.finding(form), by=_token()))
    except decisions.DecisionError as refused:
        discard()
        form_handling.add_error(form, refused)
        raise _invalid(form) from None


@api.operation("POST", "/complaints/<number>/items/<int:item_id>/delivery", summary=_l("Record a delivered item"),
               tag=STEPS, scope=ApiScope.WRITE, responses={200: "StepAnswer", 409: "Error"}, body=DeliveryForm,
               description=_l("delivered_at is the office's local time. The last item makes the complaint "
                              "compensated, on time or late."))
def deliver(number: str, item_id: int) -> Response:
    complaint = _complaint(number)
    item = db.session.execute(
        select(PackageItem).where(PackageItem.id == item_id, PackageItem.complaint_id == complaint.id)
    ).scalar_one_or_none()
    if item is None:
        raise ApiProblem(404)
    if not can(_token(), Permission.DELIVER, bound_tenant()):  # after the look-up: another office's is a 404
        raise ApiProblem(403)
    form = DeliveryForm(formdata=_body(DeliveryForm), meta={"csrf": False})
    if not form.validate():
        raise _invalid(form)
    delivery = form_handling.delivery(form, clock.zone(bound_tenant()))
    try:
        return _step(complaint, lambda: decisions.deliver(item, delivery, by=_token()))
    except decisions.DecisionError as refused:
        discard()
        form_handling.add_error(form, refused)
        raise _invalid(form) from None


@api.operation("POST", "/complaints/<number>/close", summary=_l("Close"), tag=STEPS, scope=ApiScope.WRITE,
               responses={200: "StepAnswer", 409: "Error"})
def close(number: str) -> Response:
    complaint = _complaint(number)
    return _step(complaint, lambda: lifecycle.apply(complaint, Action.CLOSE, by=_token()))


@api.operation("POST", "/complaints/<number>/reopen", summary=_l("Reopen, with the reason"), tag=STEPS,
               scope=ApiScope.WRITE, responses={200: "StepAnswer", 409: "Error"}, body=MessageForm)
def reopen(number: str) -> Response:
    return _message_step(number, lambda complaint, text: lifecycle.apply(
        complaint, Action.REOPEN, by=_token(), message=text))


# The office -------------------------------------------------------------------------------

@api.operation("GET", "/office", summary=_l("The office, its service units and officers"), tag=OFFICE,
               scope=ApiScope.READ, responses={200: "Office"})
def office() -> Response:
    officers = db.session.execute(select(Officer).where(Officer.active).order_by(Officer.name)).scalars()
    return jsonify(representations.office(bound_tenant(), active_units(bound_tenant()), list(officers)))


@api.operation("GET", "/decree", summary=_l("The decree in force"), tag=OFFICE, scope=ApiScope.READ,
               responses={200: "Decree"})
def decree() -> Response:
    found = in_force(bound_tenant())
    if found is None:
        raise ApiProblem(404, "no_decree")
    return jsonify(representations.decree(found))


@api.operation("GET", "/reports/figures", summary=_l("The report's key figures for a period"), tag=OFFICE,
               scope=ApiScope.READ, responses={200: "Figures"}, query=(
                   Param("from", _l("First day (office time); default: the first of this month"),
                         {"type": "string", "format": "date"}),
                   Param("to", _l("Last day (office time); default: the end of this month"),
                         {"type": "string", "format": "date"}),
               ), permission=Permission.VIEW_REPORTS)
def figures() -> Response:
    tenant = bound_tenant()
    now = clock.now()
    period = Period.parse(request.args.get("from"), request.args.get("to"), tenant.timezone)
    found = key_figures([tenant], period, now, across=False)
    return jsonify(representations.figures(found.get(tenant.id, KeyFigures()), period))
