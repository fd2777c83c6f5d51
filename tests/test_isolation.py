"""Tenant isolation, route by route, generated from the URL map.

Every staff route of office A, requested by each member of office B, is a 404: B's staff
must not read, change or even learn of A's data. A new route is covered the day it is
added; one with an argument this file cannot fill fails until an example is given.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from werkzeug.routing import Rule

from tanggap.auth.models import Role
from tanggap.tenancy.resolver import SLUG_ARG

#: How to fill each URL argument with a real object of the given office.
EXAMPLES: dict[str, Callable[[SimpleNamespace], str]] = {
    "version": lambda office: str(office.decree_version),
    "number": lambda office: office.complaint.number,
    "item_id": lambda office: str(office.complaint.item_id),
    "attachment_id": lambda office: str(office.complaint.attachment_id),
    "evidence_id": lambda office: str(office.complaint.evidence_id),
    "letter_id": lambda office: str(office.complaint.letter_id),
    "sanction_id": lambda office: str(office.sanction.sanction_id),
    "officer_id": lambda office: str(office.pelaksana.id),
    "unit_id": lambda office: str(office.pelaksana.unit_id),
    "name": lambda office: "key",
    "kind": lambda office: "csv",
    "export_id": lambda office: office.export_id,
    "member_id": lambda office: str(office.member_id),
    "token_id": lambda office: str(office.token.id),
}


def _staff_rules(app) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if SLUG_ARG in rule.arguments and "/staff/" in rule.rule),
        key=lambda rule: rule.rule,
    )


def _url(rule: Rule, office: SimpleNamespace) -> str:
    values = {SLUG_ARG: office.tenant.slug}
    for argument in rule.arguments - {SLUG_ARG}:
        assert argument in EXAMPLES, f"{rule.rule}: add an example for <{argument}> to tests/test_isolation.py"
        values[argument] = EXAMPLES[argument](office)
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<{name}>", str(value))
        for converter in ("int", "string", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    return path


def test_there_are_staff_routes_to_check(app):
    assert len(_staff_rules(app)) >= 2


@pytest.mark.parametrize("role", list(Role))
def test_staff_of_another_office_get_404_on_every_staff_route(app, two_offices, new_visitor, role):
    alpha, beta = two_offices
    outsider = new_visitor()
    outsider.login(getattr(beta, role.value).email)
    token = outsider.csrf_token(f"/{beta.tenant.slug}/staff/")
    checked = 0
    for rule in _staff_rules(app):
        url = _url(rule, alpha)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = outsider.client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 404, f"{method} {url} as {role.value} of {beta.tenant.slug}"
            checked += 1
    assert checked >= len(_staff_rules(app))


def test_own_staff_reach_every_staff_route(app, two_offices, new_visitor):
    alpha, _ = two_offices
    members = {}
    for role in Role:
        members[role] = new_visitor()
        members[role].login(getattr(alpha, role.value).email)
    for rule in _staff_rules(app):
        if "GET" not in rule.methods:
            continue
        url = _url(rule, alpha)
        statuses = {role: members[role].get(url).status_code for role in Role}
        assert 404 not in statuses.values(), f"GET {url}: {statuses}"
        assert any(status in (200, 302, 303) for status in statuses.values()), f"GET {url}: {statuses}"
