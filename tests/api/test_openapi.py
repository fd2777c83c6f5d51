"""The OpenAPI document: complete against the URL map, readable as a page, and honoured by
every answer: schemathesis generates requests from it and checks what comes back."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from tanggap.extensions import limiter

#: How many generated requests per operation: enough to find 500s and schema breaks,
#: few enough to keep the suite quick. The examples are derived from the test, not drawn at
#: random, so CI gives the same verdict on every run; explore more with a larger number.
EXAMPLES = 25
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]


def test_every_api_route_is_in_the_document_and_nothing_else(app):
    document = app.test_client().get("/api/v1/openapi.json").json
    documented = {(method.upper(), path) for path, methods in document["paths"].items() for method in methods}
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in ("api.openapi", "api.reference"):
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1/"))
        routed |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    assert document["openapi"].startswith("3.0")


def test_request_bodies_are_the_web_forms_fields(app):
    document = app.test_client().get("/api/v1/openapi.json").json
    body = document["paths"]["/complaints"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"components", "description", "occurred_on", "name", "consent"}
    description = body["properties"]["description"]
    assert (description["type"], description["minLength"], description["maxLength"]) == ("string", 20, 5000)
    assert body["properties"]["waited_unit"]["enum"] == ["minutes", "hours", "days"]
    assert "files" not in body["properties"]


@pytest.mark.parametrize("language, heading", [("id", "Referensi API Tanggap"), ("en", "Tanggap API reference")])
def test_the_reference_page_reads_in_both_languages(app, language, heading):
    page = app.test_client().get("/api/v1/", headers={"Accept-Language": language})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and heading in html
    assert "POST /complaints/{number}/items/{item_id}/delivery" in html
    assert "submission_key" in html and "jurisdiction_id" in html


def test_schemathesis_finds_no_server_error_no_schema_break_and_no_other_office_s_data(
        app, metro, lampung, make, monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)  # limits have their own tests; here they would only hide
    token = make.api_token(metro).secret
    ours = make.complaint(metro, upheld=True)
    theirs = make.complaint(lampung, upheld=True)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        @given(case=operation.as_strategy(), number=st.sampled_from([ours.number, theirs.number, None]),
               item=st.sampled_from([ours.item_id, theirs.item_id, None]))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def exercise(case, number, item):
            parameters = case.path_parameters or {}
            if "number" in parameters and number:
                parameters["number"] = number
            if "item_id" in parameters and item:
                parameters["item_id"] = item
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            case.validate_response(response, checks=CHECKS)
            # exercise() runs within the iteration that defines it, so `operation` is this iteration's.
            assert theirs.number not in response.text, f"{operation.label} showed Lampung's complaint"  # noqa: B023
            if parameters.get("number") == theirs.number:
                assert response.status_code in (404, 415, 400, 422), operation.label  # noqa: B023

        exercise()
