"""The JSON API as an integrator uses it: file a complaint for a citizen, follow it through
triage, assessment and delivery to closure, under the same rules as the web."""

from __future__ import annotations


import json

import pytest
from sqlalchemy import select

from tanggap import clock
from tanggap.audit.models import AuditLog
from tanggap.complaints.models import Complaint, Status
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office

from ..complaints.helpers import by_number
from .conftest import citizen_complaint


def _now_local(zone: str) -> str:
    return clock.office_time(zone).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("office_name, component, finding", [
    ("metro", "time", {"delay_amount": 45, "delay_unit": "minutes"}),
    ("lampung", "fee", {"overcharge": 50000, "souvenir_item": "Tas kain Dinas Sosial"}),
])
def test_an_integrator_files_a_complaint_and_follows_it_to_closure(request, integrator, ctx, office_name,
                                                                   component, finding):
    office = request.getfixturevalue(office_name)
    api = integrator(office)

    created = api.post("/complaints", citizen_complaint(component))
    assert created.status_code == 201, created.json
    complaint = created.json
    number = complaint["number"]
    assert complaint["status"] == "submitted"
    assert complaint["tracking_code"] and complaint["tracking_url"].endswith(complaint["tracking_code"])
    assert created.headers["Location"].endswith(f"/api/v1/complaints/{number}")
    assert set(complaint["actions"]) >= {"accept", "request_info", "refer"}

    assert api.post(f"/complaints/{number}/accept").json["status"] == "in_assessment"
    assessed = api.post(f"/complaints/{number}/assessment", {
        "upheld": "yes", "components": [component], "reasoning": "Terbukti dari catatan loket.", **finding})
    assert assessed.status_code == 200, assessed.json
    items = assessed.json["assessment"]["items"]
    assert assessed.json["status"] == "upheld" and len(items) == 3
    assert all(item["required"] for item in items)

    zone = office.tenant.timezone
    desk = integrator(office, by="officer")  # the leader's token cannot deliver: the leader may not
    for item in items:
        evidence = {"souvenir_given": "Tas kain"} if item["kind"] == "souvenir" else {}
        assert api.post(f"/complaints/{number}/items/{item['id']}/delivery",
                        {"delivered_at": _now_local(zone), "method": "in_person", **evidence}).status_code == 403
        delivered = desk.post(f"/complaints/{number}/items/{item['id']}/delivery",
                             {"delivered_at": _now_local(zone), "method": "in_person", **evidence})
        assert delivered.status_code == 200, delivered.json
    assert delivered.json["status"] == "compensated" and delivered.json["on_time"] is True

    closed = api.post(f"/complaints/{number}/close")
    assert closed.json["status"] == "closed" and closed.json["actions"] == ["reopen"]

    timeline = api.get(f"/complaints/{number}/timeline").json["items"]
    kinds = [event["kind"] for event in timeline]
    assert kinds[0] == "submitted" and kinds[-1] == "closed"
    assert {event["actor"] for event in timeline} == {"API: Meja WhatsApp"}

    with ctx():
        stored = by_number(number)
        assert stored.status is Status.CLOSED and stored.tenant_id == office.tenant.id
        assert stored.assessment.decided_by is None and stored.assessment.decider == "API: Meja WhatsApp"
        labels = set(db.session.execute(
            select(AuditLog.actor_label).where(AuditLog.tenant_id == office.tenant.id,
                                               AuditLog.action.like("complaint.%"))
        ).scalars())
        assert labels == {"API: Meja WhatsApp"}


def test_the_web_form_s_rules_and_messages_apply(metro, integrator):
    api = integrator(metro, language="id")
    refused = api.post("/complaints", citizen_complaint("time", description="Terlambat.", email=None, phone=None,
                                                        consent=False))
    assert refused.status_code == 422
    error = refused.json["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["description"] == ["Tulis antara 20 dan 5.000 karakter."]
    assert "consent" in error["fields"] and "email" in error["fields"]

    english = integrator(metro, language="en")
    refused = english.post("/complaints", citizen_complaint("time", occurred_on="2999-01-01"))
    assert refused.json["error"]["fields"] == {"occurred_on": ["The date cannot be in the future."]}


def test_wrong_json_types_and_unknown_fields_are_named(metro, integrator):
    api = integrator(metro, language="en")
    refused = api.post("/complaints", citizen_complaint("time", charged="lima ribu", consent="yes", colour="red"))
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {"charged": ["Give a whole number."], "consent": ["Give true or false."],
                                               "colour": ["This field is not known."]}
    not_json = api.client.post("/api/v1/complaints", data="components=time", headers=api.headers,
                               content_type="application/x-www-form-urlencoded")
    assert not_json.status_code == 415 and not_json.json["error"]["code"] == "unsupported_media_type"
    a_list = api.client.post("/api/v1/complaints", json=["time"], headers=api.headers)
    assert a_list.status_code == 400 and a_list.json["error"]["code"] == "bad_request"


def test_sending_the_same_submission_key_again_returns_the_first_complaint(metro, integrator):
    api = integrator(metro)
    first = api.post("/complaints", citizen_complaint("time", submission_key="wa-2026-11-23-0001"))
    again = api.post("/complaints", citizen_complaint("time", submission_key="wa-2026-11-23-0001"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["number"] == again.json["number"]
    assert api.get("/complaints?tab=all").json["total"] == 1


def test_another_tokens_resend_gets_no_complaint_of_the_first(metro, integrator, ctx):
    channel = integrator(metro, scopes=("submit",), name="Meja WhatsApp")
    outsider = integrator(metro, scopes=("submit",), name="Portal lain")
    first = channel.post("/complaints", citizen_complaint("time", submission_key="wa-2026-11-23-0001"))
    assert first.status_code == 201
    stolen = outsider.post("/complaints", {"submission_key": "wa-2026-11-23-0001"})
    assert stolen.status_code == 422
    assert first.json["tracking_code"] not in stolen.get_data(as_text=True)
    again = channel.post("/complaints", citizen_complaint("time", submission_key="wa-2026-11-23-0001"))
    assert again.status_code == 200 and again.json["tracking_code"] == first.json["tracking_code"]


def test_an_overlong_key_in_the_api_is_named_not_a_500(metro, integrator):
    api = integrator(metro, scopes=("submit",), language="en")
    response = api.post("/complaints", citizen_complaint("time", submission_key="k" * 65))
    assert response.status_code == 422
    assert response.json["error"]["fields"]["submission_key"] == ["A submission key has at most 64 characters."]


def _filed(ctx) -> int:
    with ctx():
        return len(db.session.execute(every_office(select(Complaint.id))).all())


@pytest.mark.parametrize("field", ["name", "description", "submission_key"])
def test_a_lone_surrogate_in_a_json_body_is_refused_as_unreadable_and_nothing_is_filed(metro, integrator, ctx, field):
    """JSON can write half a UTF-16 pair ("\\ud800"); it is no character, and neither UTF-8 nor
    PostgreSQL can hold it (it reached the database from ``name`` and hashing from the key: 500)."""
    api = integrator(metro, scopes=("submit",), language="en")
    before = _filed(ctx)
    body = json.dumps(citizen_complaint("time", **{field: "Siti \ud800 Rahma"}))
    assert "\\ud800" in body
    response = api.client.post("/api/v1/complaints", data=body, content_type="application/json", headers=api.headers)
    assert response.status_code == 400 and response.json["error"]
    assert _filed(ctx) == before


def test_a_json_body_nested_deeper_than_the_stack_is_refused_as_unreadable(metro, integrator, ctx):
    api = integrator(metro, scopes=("submit",), language="en")
    before = _filed(ctx)
    body = '{"name": ' + "[" * 5000 + "]" * 5000 + "}"
    response = api.client.post("/api/v1/complaints", data=body, content_type="application/json", headers=api.headers)
    assert response.status_code == 400 and response.json["error"]
    assert _filed(ctx) == before
    fine = api.post("/complaints", citizen_complaint("time", submission_key="after-the-deep-one"))
    assert fine.status_code == 201  # the worker's stack is whole again


def test_a_step_the_status_does_not_allow_is_a_409_and_changes_nothing(metro, integrator, make, ctx):
    filed = make.complaint(metro)
    api = integrator(metro)
    refused = api.post(f"/complaints/{filed.number}/close")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "conflict"
    with ctx():
        assert by_number(filed.number).status is Status.SUBMITTED


def test_assessment_refusals_name_the_field(metro, integrator, make):
    filed = make.complaint(metro, components=("time",))
    api = integrator(metro, language="en")
    api.post(f"/complaints/{filed.number}/accept")
    refused = api.post(f"/complaints/{filed.number}/assessment", {"upheld": "no", "reasoning": "Tidak terbukti."})
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {
        "explanation": ["Explain to the citizen why the complaint is not upheld."]}
    rejected = api.post(f"/complaints/{filed.number}/assessment", {
        "upheld": "no", "reasoning": "Tidak terbukti.", "explanation": "Layanan selesai tepat waktu."})
    assert rejected.json["status"] == "rejected" and rejected.json["assessment"]["upheld"] is False


def test_scopes_limit_what_a_token_does(metro, integrator, make):
    filed = make.complaint(metro)
    reader = integrator(metro, scopes=("read",))
    assert reader.get(f"/complaints/{filed.number}").status_code == 200
    refused = reader.post(f"/complaints/{filed.number}/accept")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert reader.post("/complaints", citizen_complaint("time")).status_code == 403

    desk = integrator(metro, scopes=("submit",))
    assert desk.post("/complaints", citizen_complaint("time")).status_code == 201
    assert desk.get("/complaints").status_code == 403
    assert desk.get(f"/complaints/{filed.number}").status_code == 403


PERSONAL = ("Siti Rahma", "siti@example.org", "081234567890", "Surat keterangan belum selesai")


def test_tokens_without_read_get_a_receipt_and_no_citizen_s_details(metro, integrator):
    desk = integrator(metro, scopes=("submit",))
    created = desk.post("/complaints", citizen_complaint("time"))
    assert created.status_code == 201
    body = created.get_data(as_text=True)
    assert not any(personal in body for personal in PERSONAL)
    assert {"citizen", "name", "description"}.isdisjoint(created.json)
    number = created.json["number"]
    assert created.json["status"] == "submitted" and created.json["tracking_url"].endswith(created.json["tracking_code"])

    writer = integrator(metro, scopes=("write",))
    accepted = writer.post(f"/complaints/{number}/accept")
    assert accepted.status_code == 200 and accepted.json["status"] == "in_assessment"
    assessed = writer.post(f"/complaints/{number}/assessment", {
        "upheld": "yes", "components": ["time"], "reasoning": "Terbukti dari catatan loket.",
        "delay_amount": 45, "delay_unit": "minutes"})
    assert assessed.status_code == 200, assessed.json
    for answer in (accepted, assessed, writer.post(f"/complaints/{number}/notes", {"message": "Cek loket."})):
        assert not any(personal in answer.get_data(as_text=True) for personal in PERSONAL)
        assert "citizen" not in answer.json
    desk_officer = integrator(metro, scopes=("write",), by="officer")
    item = assessed.json["items"][0]
    delivered = desk_officer.post(f"/complaints/{number}/items/{item['id']}/delivery",
                                  {"delivered_at": _now_local(metro.tenant.timezone), "method": "in_person"})
    assert delivered.status_code == 200 and "citizen" not in delivered.json
    assert integrator(metro, scopes=("read",)).get(f"/complaints/{number}").json["citizen"]["name"] == "Siti Rahma"


def test_no_token_a_wrong_one_or_a_revoked_one_is_401(app, metro, integrator, make, ctx):
    client = app.test_client()
    missing = client.get("/api/v1/complaints", headers={"Accept-Language": "en"})
    assert missing.status_code == 401 and missing.json["error"]["code"] == "unauthorized"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/complaints", headers={"Authorization": "Bearer tgp_guess"}).status_code == 401

    api = integrator(metro)
    assert api.get("/complaints").status_code == 200
    from tanggap.auth import tokens
    from tanggap.auth.models import ApiToken, User
    from tanggap.tenancy.context import bound_to

    with ctx():
        token = db.session.execute(every_office(select(ApiToken).where(ApiToken.id == api.token.id))).scalar_one()
        with bound_to(token.tenant):
            tokens.revoke(token, by=db.session.get(User, metro.admin.id))
            db.session.commit()
    assert api.get("/complaints").status_code == 401


def test_another_office_s_complaints_do_not_exist_for_a_token(metro, lampung, integrator, make):
    theirs = make.complaint(lampung, upheld=True)
    ours = make.complaint(metro)
    api = integrator(metro)
    for path in (f"/complaints/{theirs.number}", f"/complaints/{theirs.number}/timeline"):
        answer = api.get(path)
        assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"
    assert api.post(f"/complaints/{theirs.number}/accept").status_code == 404
    assert api.post(f"/complaints/{theirs.number}/items/{theirs.item_id}/delivery",
                    {"delivered_at": "2026-11-20T10:00", "method": "phone"}).status_code == 404
    listed = api.get("/complaints?tab=all").json
    assert [c["number"] for c in listed["items"]] == [ours.number]


def test_the_list_filters_like_the_inbox(metro, integrator, make):
    make.complaint(metro, components=("time",))
    make.complaint(metro, components=("product",), upheld=True)
    api = integrator(metro)
    assert api.get("/complaints?tab=all").json["total"] == 2
    assert api.get("/complaints?component=product&tab=all").json["total"] == 1
    assert api.get("/complaints?status=upheld&tab=all").json["items"][0]["status"] == "upheld"
    assert api.get("/complaints?q=Warga&tab=all&per_page=1").json["total"] == 2
    bad = api.get("/complaints?from=23-11-2026&page=x")
    assert bad.status_code == 422 and set(bad.json["error"]["fields"]) == {"from", "page"}


def test_the_office_the_decree_and_the_figures_can_be_read(metro, integrator, make):
    make.complaint(metro, components=("time",), upheld=True)
    api = integrator(metro, scopes=("read",))
    office = api.get("/office").json
    assert office["slug"] == "disdikbud-metro" and office["units"][0]["name"] == "Loket Pelayanan"
    decree = api.get("/decree").json
    assert decree["deadline"] == {"hours": 72, "counting": "calendar"}
    assert [tier["code"] for tier in decree["tiers"]] == ["A", "B"] and decree["tiers"][0]["min_minutes"] == 30
    figures = api.get("/reports/figures").json
    assert figures["received"] == 1 and figures["upheld"] == 1


def test_errors_speak_the_caller_s_language(app, metro):
    client = app.test_client()
    indonesian = client.get("/api/v1/complaints", headers={"Accept-Language": "id"}).json["error"]["message"]
    english = client.get("/api/v1/complaints", headers={"Accept-Language": "en"}).json["error"]["message"]
    assert english.startswith("Give a valid API token")
    assert indonesian != english and "token" in indonesian
    assert client.get("/api/v1/nothing-here").json["error"]["code"] == "not_found"
    assert client.delete("/api/v1/openapi.json").json["error"]["code"] == "method_not_allowed"


def test_last_use_is_recorded(metro, integrator, ctx):
    from tanggap.auth.models import ApiToken

    api = integrator(metro)
    api.get("/complaints")
    with ctx():
        token = db.session.execute(every_office(select(ApiToken).where(ApiToken.id == api.token.id))).scalar_one()
        assert token.last_used_at is not None


def test_a_delivery_through_the_api_meets_the_rules_of_amount_and_method(integrator, metro):
    """The delivery step itself refuses, whichever way it is reached: a souvenir paid by bank
    transfer, a refund short of what is owed, a refund over it without a reason."""
    api, desk = integrator(metro), integrator(metro, by="officer")
    number = api.post("/complaints", citizen_complaint("fee")).json["number"]
    api.post(f"/complaints/{number}/accept")
    items = api.post(f"/complaints/{number}/assessment", {
        "upheld": "yes", "components": ["fee"], "reasoning": "Terbukti dari kuitansi.", "overcharge": 50000,
        "delay_amount": 45, "delay_unit": "minutes"}).json["assessment"]["items"]
    by_kind = {item["kind"]: item["id"] for item in items}
    when = _now_local(metro.tenant.timezone)

    def deliver(kind: str, body: dict):
        return desk.post(f"/complaints/{number}/items/{by_kind[kind]}/delivery", {"delivered_at": when, **body})

    souvenir = deliver("souvenir", {"method": "bank_transfer", "souvenir_given": "Pulpen"})
    assert souvenir.status_code == 422 and set(souvenir.json["error"]["fields"]) == {"method"}
    refund = {"method": "bank_transfer", "receipt_number": "TRF-1"}
    short = deliver("refund", refund | {"refunded_amount": 40000})
    assert short.status_code == 422 and set(short.json["error"]["fields"]) == {"refunded_amount"}
    over = deliver("refund", refund | {"refunded_amount": 60000})
    assert over.status_code == 422 and set(over.json["error"]["fields"]) == {"overpay_reason"}
    paid = deliver("refund", refund | {"refunded_amount": 60000, "overpay_reason": "Biaya legalisir ikut dikembalikan."})
    assert paid.status_code == 200, paid.json
    shown = next(item for item in api.get(f"/complaints/{number}").json["assessment"]["items"]
                 if item["kind"] == "refund")
    assert (shown["refunded_amount"], shown["overpay_reason"], shown["evidence"]) == (
        60000, "Biaya legalisir ikut dikembalikan.", [])


def test_the_lists_total_counts_this_offices_complaints_only(metro, lampung, integrator, make):
    """The total is the count of the very query that gives the items, in the office's scope:
    another office's complaints are neither listed nor counted."""
    for _ in range(3):
        make.complaint(metro)
    make.complaint(lampung)
    api = integrator(metro)
    first, second = api.get("/complaints?per_page=2").json, api.get("/complaints?per_page=2&page=2").json
    assert first["total"] == second["total"] == 3
    assert len(first["items"]) + len(second["items"]) == 3
