"""Tenant isolation of the APIs, generated from the URL map: a token of office B, or office
B's own Open311 address, never reaches an object of office A."""

from __future__ import annotations

import re

import pytest

from ..test_isolation import EXAMPLES

ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


def _fill(rule: str, office, **fixed: str) -> str:
    return ARGUMENT.sub(lambda m: fixed.get(m.group(1)) or EXAMPLES[m.group(1)](office), rule)


def _api_rules(app, prefix: str) -> list:
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith(prefix)), key=lambda r: r.rule)


def test_a_token_of_another_office_gets_404_for_every_object_route(app, two_offices, make):
    alpha, beta = two_offices
    # Numbers are unique per office only: beta has a first number (000001) of its own, not a 000002.
    extra = make.complaint(alpha, upheld=True)
    headers = {"Authorization": f"Bearer {beta.token.secret}"}
    client = app.test_client()
    checked = 0
    for rule in _api_rules(app, "/api/v1/"):
        if not rule.arguments:
            continue
        url = _fill(rule.rule, alpha, number=extra.number, item_id=str(extra.item_id))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, json={}, headers=headers)
            assert response.status_code == 404, f"{method} {url} with {beta.tenant.slug}'s token"
            checked += 1
    assert checked >= 10


def test_lists_and_figures_of_a_token_hold_only_its_own_office(app, two_offices, make):
    alpha, beta = two_offices
    extra = make.complaint(alpha)
    client = app.test_client()
    for rule in _api_rules(app, "/api/v1/"):
        if rule.arguments or "GET" not in rule.methods:
            continue
        answer = client.get(rule.rule + "?tab=all", headers={"Authorization": f"Bearer {beta.token.secret}"})
        assert answer.status_code == 200, rule.rule
        assert extra.number not in answer.get_data(as_text=True), rule.rule
        assert alpha.tenant.slug not in answer.get_data(as_text=True) or rule.rule.endswith("openapi.json")


@pytest.mark.parametrize("prefix", ["/<tenant_slug>/open311/v2/requests/", "/open311/v2/requests/"])
def test_an_office_s_open311_address_does_not_find_another_office_s_requests(app, two_offices, make,
                                                                            prefix):
    alpha, beta = two_offices
    alpha.complaint = make.complaint(alpha)  # 000002: beta has no complaint with this number
    client = app.test_client()
    [rule] = [r for r in app.url_map.iter_rules() if r.rule.startswith(prefix)]
    url = rule.rule.replace("<tenant_slug>", beta.tenant.slug).replace("<number>", alpha.complaint.number)
    url = url.replace("<fmt>", "json") + ("" if "<tenant_slug>" in prefix else f"?jurisdiction_id={beta.tenant.slug}")
    assert client.get(url).status_code == 404
    own = url.replace(beta.tenant.slug, alpha.tenant.slug)
    assert client.get(own).status_code == 200
