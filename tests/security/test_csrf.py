"""CSRF, generated from the URL map: every state-changing route refuses a request without
the form's token, whoever sends it, and changes nothing. Only the APIs are exempt: a bearer
token or an api_key, never a cookie, authorises them; and the messaging gateway's delivery
receipts, which its signature authorises (HMAC over the body under the office's secret), so
without one they are refused as unauthorised and change nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tanggap.audit.models import AuditLog
from tanggap.extensions import csrf, db

from ..test_isolation import EXAMPLES

ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
#: Authorised by a header or a field a browser never sends by itself.
EXEMPT_PREFIXES = ("/api/v1/", "/open311/v2/", "/<tenant_slug>/open311/v2/")
#: Authorised by the sender's signature of the body, never by a cookie: refused unsigned.
SIGNED = {"/<tenant_slug>/gateway/receipts": "tanggap.notifications.views.gateway_receipt"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _unsafe_rules(app) -> list:
    return sorted((r for r in app.url_map.iter_rules() if r.methods & UNSAFE), key=lambda r: r.rule)


def test_only_the_apis_are_exempt(app):
    exempt = {getattr(blueprint, "name", blueprint) for blueprint in csrf._exempt_blueprints}
    assert exempt == {"api", "open311"}
    assert csrf._exempt_views == set(SIGNED.values())


def test_every_state_changing_route_refuses_a_request_without_the_token(app, two_offices, make, new_visitor,
                                                                        ctx):
    alpha, _ = two_offices
    alpha.code = alpha.complaint.code
    examples = {**EXAMPLES, "tenant_slug": lambda office: office.tenant.slug, "code": lambda office: office.code,
                "token": lambda office: "reset-link-token", "slug": lambda office: office.tenant.slug,
                "queue_name": lambda office: "notifications", "job_id": lambda office: "a-job"}
    visitors = {}
    for role in ("admin", "leader", "officer"):
        visitors[role] = new_visitor()
        visitors[role].login(getattr(alpha, role).email)
    visitors["citizen"] = new_visitor()
    operator = make.user("operator@platform.example", is_operator=True)
    visitors["operator"] = new_visitor()
    visitors["operator"].login(operator.email)
    with ctx():
        before = db.session.execute(select(func.count(AuditLog.id))).scalar()
    checked = 0
    for rule in _unsafe_rules(app):
        if rule.rule.startswith(EXEMPT_PREFIXES):
            continue
        url = ARGUMENT.sub(lambda m: str(examples[m.group(1)](alpha)), rule.rule)
        for who, visitor in visitors.items():
            for method in sorted(rule.methods & UNSAFE):
                response = visitor.client.open(url, method=method, data={"message": "x", "name": "x"})
                refused = 401 if rule.rule in SIGNED else 400
                assert response.status_code == refused, f"{method} {url} as {who}: {response.status_code}"
                checked += 1
    with ctx():
        assert db.session.execute(select(func.count(AuditLog.id))).scalar() == before
    assert checked >= 5 * 40
