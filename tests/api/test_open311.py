"""Open311 GeoReport v2, checked against the shapes of the spec's own examples
(https://wiki.open311.org/GeoReport_v2): per office and for all offices by jurisdiction_id."""

from __future__ import annotations

import warnings

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from tanggap import clock
from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to

from ..complaints.helpers import by_number

#: Keys of the spec's example answers.
SERVICE_KEYS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
ATTRIBUTE_KEYS = {"variable", "code", "datatype", "required", "datatype_description", "order", "description"}
REQUEST_KEYS = {"service_request_id", "status", "status_notes", "service_name", "service_code",
                "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                "expected_datetime", "address", "zipcode"}
CREATED_KEYS = {"service_request_id", "service_notice", "account_id"}


def _post(client, base: str, key: str, **fields):
    form = {"api_key": key, "service_code": "time", "first_name": "Siti", "last_name": "Rahma",
            "email": "siti@example.org", "phone": "081234567890",
            "description": "Legalisir ijazah belum selesai melewati jangka waktu yang diumumkan.",
            "attribute[occurred_on]": "2026-11-02T09:00:00+07:00", "attribute[consent]": "yes",
            "attribute[delay]": "90"} | fields
    return client.post(f"{base}/requests.json", data={k: v for k, v in form.items() if v is not None})


@pytest.mark.parametrize("base", ["/disdikbud-metro/open311/v2", "/open311/v2"])
def test_services_are_the_standard_s_components(app, metro, base):
    query = "?jurisdiction_id=disdikbud-metro" if base == "/open311/v2" else ""
    services = app.test_client().get(f"{base}/services.json{query}").json
    assert [s["service_code"] for s in services] == ["requirements", "procedure", "time", "fee", "product"]
    assert all(set(s) == SERVICE_KEYS and s["metadata"] is True and s["type"] == "realtime" for s in services)

    definition = app.test_client().get(f"{base}/services/time.json{query}").json
    assert definition["service_code"] == "time"
    codes = [a["code"] for a in definition["attributes"]]
    assert codes == ["occurred_on", "consent", "service", "unit", "delay", "charged", "tariff"]
    assert all(ATTRIBUTE_KEYS.issubset(a) for a in definition["attributes"])
    required = {a["code"] for a in definition["attributes"] if a["required"]}
    assert required == {"occurred_on", "consent"}
    unit = next(a for a in definition["attributes"] if a["code"] == "unit")
    assert unit["values"] == [{"key": str(metro.unit_id), "name": "Loket Pelayanan"}]
    assert app.test_client().get(f"{base}/services/nothing.json{query}").status_code == 404


def test_filing_a_request_makes_a_complaint_as_the_web_form_does(app, metro, make, ctx):
    key = make.api_token(metro, scopes=("submit",), name="Kanal SP4N-LAPOR!").secret
    client = app.test_client()
    created = _post(client, "/disdikbud-metro/open311/v2", key)
    assert created.status_code == 201, created.json
    [answer] = created.json
    assert CREATED_KEYS.issubset(answer) and answer["service_request_id"].startswith("DISDIKBUD-")
    assert answer["tanggap_tracking_code"]
    with ctx():
        complaint = by_number(answer["service_request_id"])
        assert complaint.components == ["time"] and complaint.name == "Siti Rahma"
        assert complaint.waited_minutes == 90 and complaint.occurred_on.isoformat() == "2026-11-02"
        assert complaint.events[0].actor_label == "API: Kanal SP4N-LAPOR!"

    public = client.get(f"/disdikbud-metro/open311/v2/requests/{answer['service_request_id']}.json").json
    [request] = public
    assert REQUEST_KEYS.issubset(request)
    assert request["status"] == "open" and request["tanggap_status"] == "submitted"
    assert request["service_name"] == "Jangka Waktu Pelayanan"
    assert datetime.fromisoformat(request["expected_datetime"]) - datetime.fromisoformat(
        request["requested_datetime"]) == timedelta(hours=72)
    text = str(public)
    for private in ("siti@example.org", "081234567890", "Rahma", "Legalisir", answer["tanggap_tracking_code"]):
        assert private not in text


def test_the_web_form_s_validation_refuses_a_request_with_its_messages(app, metro, make):
    key = make.api_token(metro, scopes=("submit",)).secret
    client = app.test_client()
    refused = _post(client, "/disdikbud-metro/open311/v2", key, description="Lambat.",
                    **{"attribute[consent]": None})
    assert refused.status_code == 400
    [error] = refused.json
    assert error["code"] == 400
    assert "description: Tulis antara 20 dan 5.000 karakter." in error["description"]
    assert "attribute[consent]:" in error["description"]


@pytest.mark.parametrize("scopes", [("read",), None])
def test_filing_needs_an_api_key_of_this_office_that_may_submit(app, metro, lampung, make, scopes):
    key = make.api_token(metro, scopes=scopes).secret if scopes else make.api_token(lampung).secret
    refused = _post(app.test_client(), "/disdikbud-metro/open311/v2", key)
    assert refused.status_code == 403 and refused.json[0]["code"] == 403
    assert _post(app.test_client(), "/disdikbud-metro/open311/v2", "tgp_not-a-key").status_code == 403


def test_the_list_defaults_to_90_days_and_filters_as_the_spec_says(app, metro, make, ctx):
    recent = make.complaint(metro, components=("time",))
    closed = make.complaint(metro, components=("product",), upheld=True)
    old = make.complaint(metro, components=("time",))
    with ctx():
        with bound_to(metro.tenant):
            stored = db.session.execute(select(Complaint).where(Complaint.number == old.number)).scalar_one()
            stored.submitted_at -= timedelta(days=120)
            db.session.commit()
    client = app.test_client()
    base = "/open311/v2/requests.json?jurisdiction_id=disdikbud-metro"

    def numbers(query: str = "") -> set[str]:
        return {r["service_request_id"] for r in client.get(base + query).json}

    assert numbers() == {recent.number, closed.number}
    assert numbers("&service_code=product") == {closed.number}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an empty OR of codes was SQLAlchemy's deprecated or_()
        assert numbers("&service_code=,%20,") == numbers()  # names no code: no filter, as when left out
    assert numbers("&status=open") == {recent.number, closed.number}
    start = quote((clock.office_time("Asia/Jakarta") - timedelta(days=200)).isoformat(timespec="seconds"))
    assert numbers(f"&start_date={start}") == {recent.number, closed.number, old.number}
    assert numbers(f"&service_request_id={old.number},{recent.number}") == {recent.number, old.number}
    assert client.get(base + "&start_date=yesterday").status_code == 400


def test_the_all_offices_endpoint_needs_a_known_jurisdiction(app, metro, lampung, make):
    theirs = make.complaint(lampung)
    client = app.test_client()
    missing = client.get("/open311/v2/services.json", headers={"Accept-Language": "en"})
    assert missing.status_code == 400 and "jurisdiction_id" in missing.json[0]["description"]
    assert client.get("/open311/v2/services.json?jurisdiction_id=nowhere").status_code == 404
    assert client.get("/open311/v2/services.json?jurisdiction_id=platform").status_code == 404
    # An office's own endpoint does not answer for another office, nor find its requests.
    assert client.get("/disdikbud-metro/open311/v2/services.json?jurisdiction_id=dinsos-lampung").status_code == 404
    assert client.get(f"/disdikbud-metro/open311/v2/requests/{theirs.number}.json").status_code == 404
    assert client.get(f"/dinsos-lampung/open311/v2/requests/{theirs.number}.json").status_code == 200
    assert client.get("/disdikbud-metro/open311/v2/services.xml").status_code == 400


def test_filing_is_rate_limited_like_the_web_form(app, metro, make):
    key = make.api_token(metro, scopes=("submit",)).secret
    client = app.test_client()
    statuses = [_post(client, "/disdikbud-metro/open311/v2", key).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]
