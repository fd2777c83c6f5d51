"""A citizen who gives only a phone number, followed to closure in a real browser, for both
shipped offices in both languages: every notice arrives once at the office's messaging
gateway (a real HTTP server on loopback), signed, in the citizen's language, with the
tracking link; a wrong number is refused in place with nothing else lost; the gateway's
signed receipt shows on the staff's complaint page. Screenshots:
phone-<journey>-1-wrong-number.png, phone-<journey>-2-receipt.png and
phone-<journey>-3-staff-reached.png; gateway-settings-<language>.png (the channels page)."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tanggap.extensions import db
from tanggap.notifications.models import ChannelSettings, GatewayKind
from tanggap.notifications.outbox import settings_of
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant

from ..notifications.conftest import Gateway
from .conftest import DEMO_PASSWORD, shoot

JOURNEYS = {
    # slug, language, component, what the citizen writes, the phone as they write it, in E.164
    "metro-id": ("disdikbud-metro", "id", "fee", {"charged": "50000", "tariff": "0", "waited_amount": "45"},
                 "0812-7777-1001", "+6281277771001"),
    "lampung-en": ("dinsos-lampung", "en", "time", {"waited_amount": "2", "waited_unit": "days"},
                   "+62 813 7777 1002", "+6281377771002"),
}
WORDS = {
    "id": {"file": "Ajukan pengaduan", "send": "Kirim pengaduan", "accept": "Terima untuk dinilai",
           "assess": "Nilai pengaduan (penilaian Pimpinan)", "confirm": "Konfirmasi penilaian",
           "record": "Catat penyerahan", "close": "Tutup pengaduan", "closed": "Ditutup",
           "wrong": "Tulis nomor telepon hanya dengan angka", "by_phone": "WhatsApp atau SMS", "arrived": "Sampai",
           "received": "diterima. Kompensasi paling lambat"},
    "en": {"file": "File a complaint", "send": "Send the complaint", "accept": "Accept for assessment",
           "assess": "Assess the complaint", "confirm": "Confirm the assessment",
           "record": "Record the delivery", "close": "Close the complaint", "closed": "Closed",
           "wrong": "Write a phone number with digits only", "by_phone": "WhatsApp or SMS", "arrived": "Arrived",
           "received": "received. Compensation due by"},
}


@pytest.fixture
def office_gateway(live_app):
    """Switch the office's gateway on for one journey (and off again after), at a gateway on loopback."""
    made: list[tuple[Gateway, int]] = []
    live_app.config["WEBHOOK_ALLOWED_NETWORKS"] = ("127.0.0.1/32",)

    def switch_on(slug: str) -> tuple[Gateway, str]:
        gateway = Gateway(200)
        with live_app.app_context():
            tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
            with bound_to(tenant):
                settings_of(tenant.id)
                channels = db.session.execute(select(ChannelSettings)).scalar_one()
                channels.gateway_enabled, channels.gateway_url = True, gateway.url
                channels.gateway_kind, secret = GatewayKind.SIGNED, channels.gateway_secret
                db.session.commit()
            made.append((gateway, tenant.id))
        return gateway, secret

    yield switch_on
    with live_app.app_context():
        for gateway, tenant_id in made:
            with bound_to(db.session.get(Tenant, tenant_id)):
                db.session.execute(select(ChannelSettings)).scalar_one().gateway_enabled = False
                db.session.commit()
            gateway.server.shutdown()
    live_app.config["WEBHOOK_ALLOWED_NETWORKS"] = ()


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/**")


def _receipt(live_server: str, slug: str, secret: str, key: str) -> dict:
    """The gateway's signed word that a message arrived, posted as a gateway would."""
    body = json.dumps({"key": key, "status": "delivered"}).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{live_server}/{slug}/gateway/receipts", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-Tanggap-Signature": signature})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.mark.parametrize("journey", JOURNEYS)
def test_a_phone_only_citizen_is_told_of_every_step_once_at_the_gateway(live_server, page_factory, office_gateway,
                                                                        journey):
    slug, language, component, details, written, e164 = JOURNEYS[journey]
    words = WORDS[language]
    short = slug.split("-")[0]
    gateway, secret = office_gateway(slug)

    citizen = page_factory(phone=True, locale=language)
    citizen.goto(f"{live_server}/{slug}/")
    citizen.click(f"text={words['file']}")
    citizen.check(f"input[name=components][value={component}]")
    citizen.fill("#description", "Layanan tidak sesuai standar yang diumumkan di papan informasi kantor.")
    citizen.fill("#occurred_on", "2026-11-20")
    for name, value in details.items():
        if name == "waited_unit":
            citizen.select_option(f"#{name}", value)
        else:
            citizen.fill(f"#{name}", value)
    citizen.fill("#name", "Wayan Sudarma")
    citizen.fill("#phone", "nomor WA saya")
    citizen.check("input[name=notify_by][value=phone]")
    citizen.check("#consent")
    citizen.click(f"text={words['send']}")  # htmx answers with the form, the number refused in place
    citizen.wait_for_selector("#phone-error")
    assert words["wrong"] in citizen.inner_text("#phone-error")
    assert citizen.input_value("#name") == "Wayan Sudarma" and citizen.input_value("#phone") == "nomor WA saya"
    assert citizen.is_checked("input[name=notify_by][value=phone]") and citizen.is_checked("#consent")
    shoot(citizen, f"phone-{journey}-1-wrong-number")
    citizen.fill("#phone", written)
    citizen.click(f"text={words['send']}")
    citizen.wait_for_url("**/tanda-terima")
    number = citizen.inner_text("#ticket-number").strip()
    code = citizen.inner_text("#tracking-code").strip()
    assert e164 in citizen.inner_text("#messaged")  # the receipt went to the phone, and says so
    shoot(citizen, f"phone-{journey}-2-receipt")

    leader = page_factory(locale=language)
    _login(leader, live_server, f"leader.{short}@tanggap.demo")
    leader.goto(f"{live_server}/{slug}/staff/complaints/{number}")
    leader.click(f"text={words['accept']}")
    leader.click(f"text={words['assess']}")
    leader.check("input[name=upheld][value=yes]")
    leader.wait_for_selector("#package .package-items li")
    leader.fill("#reasoning", "Terbukti dari keterangan petugas loket.")
    leader.click(f"text={words['confirm']}")
    leader.wait_for_selector(".package-table")

    officer = page_factory(locale=language)
    _login(officer, live_server, f"officer.{short}@tanggap.demo")
    officer.goto(f"{live_server}/{slug}/staff/complaints/{number}")
    delivered = 0
    while officer.locator(".package-table a.btn").count():
        officer.locator(".package-table a.btn").first.click()
        if officer.locator("#receipt_number").count():
            officer.fill("#receipt_number", "KW-2026-0043")
        if officer.locator("#voucher").count():
            officer.fill("#voucher", "ANTRIAN-P02")
        officer.click(f"text={words['record']}")
        officer.wait_for_url(f"**/staff/complaints/{number}")
        delivered += 1
    officer.click(f"text={words['close']}")
    assert words["closed"] in officer.inner_text("#status")

    documents = gateway.documents()
    assert [d["notice"] for d in documents] == ["submitted", "accepted", "upheld", *["item_delivered"] * delivered,
                                                "compensated", "closed"]
    assert len({d["key"] for d in documents}) == len(documents) and gateway.signed_with(secret)
    assert {d["to"] for d in documents} == {e164} and {d["locale"] for d in documents} == {language}
    assert all(d["text"].endswith(f"/{slug}/pengaduan/{code}") and number in d["text"] for d in documents)
    assert words["received"] in documents[0]["text"]

    assert _receipt(live_server, slug, secret, documents[0]["key"]) == {"recorded": True}
    assert _receipt(live_server, slug, secret, documents[0]["key"]) == {"recorded": False}  # a replay: no change
    leader.goto(f"{live_server}/{slug}/staff/complaints/{number}")
    reached = leader.locator("#reached")
    expect(reached.locator("tbody tr")).to_have_count(len(documents))
    expect(reached.locator("tr.reached-delivered")).to_have_count(1)
    expect(reached.locator("tr.reached-delivered")).to_contain_text(words["arrived"])
    expect(leader.locator("#notify-by")).to_have_text(words["by_phone"])
    reached.scroll_into_view_if_needed()
    shoot(leader, f"phone-{journey}-3-staff-reached")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_office_admin_switches_the_gateway_on(live_server, live_app, page_factory, language):
    """The channels page: the gateway's address is checked as it is saved, the secret and the
    receipt address are shown for the gateway's people, and the page reads in both languages."""
    gateway = Gateway(200)
    live_app.config["WEBHOOK_ALLOWED_NETWORKS"] = ("127.0.0.1/32",)
    try:
        admin = page_factory(locale=language)
        _login(admin, live_server, "admin.dinsos@tanggap.demo")
        admin.goto(f"{live_server}/dinsos-lampung/staff/notifications/settings")
        admin.check("#gateway_enabled")
        admin.fill("#gateway_url", "")
        admin.select_option("#gateway_kind", "token_form")
        admin.click("form.narrow-form button[type=submit]")  # no address, no token: both asked for in place
        expect(admin.locator("#gateway_url-error")).to_be_visible()
        expect(admin.locator("#gateway_token-error")).to_be_visible()
        admin.select_option("#gateway_kind", "signed")
        admin.fill("#gateway_url", gateway.url)
        admin.click("form.narrow-form button[type=submit]")
        expect(admin.locator("#gateway_enabled")).to_be_checked()
        expect(admin.locator("#gateway_url")).to_have_value(gateway.url)
        expect(admin.locator("#receipt-address")).to_have_text(f"{live_server}/dinsos-lampung/gateway/receipts")
        shoot(admin, f"gateway-settings-{language}")
    finally:
        with live_app.app_context():
            tenant = db.session.execute(select(Tenant).where(Tenant.slug == "dinsos-lampung")).scalar_one()
            with bound_to(tenant):
                channels = db.session.execute(select(ChannelSettings)).scalar_one()
                channels.gateway_enabled, channels.gateway_url = False, None
                db.session.commit()
        live_app.config["WEBHOOK_ALLOWED_NETWORKS"] = ()
        gateway.server.shutdown()
