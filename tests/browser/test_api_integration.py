"""A leader and an officer issue tokens in the browser (a token does what its scopes and its
issuer's role allow: the leader's decides, the officer's delivers); an integrator reads the
reference page and follows a complaint to closure over real HTTP; staff see the API's steps
on the complaint."""

from __future__ import annotations

import json
import urllib.request
from zoneinfo import ZoneInfo

import pytest

from tanggap import clock
from playwright.sync_api import expect

from .conftest import login, shoot

OFFICES = {"disdikbud-metro": ("id", "time", {"delay_amount": 45, "delay_unit": "minutes"}),
           "dinsos-lampung": ("en", "fee", {"overcharge": 25000, "souvenir_item": "Tas kain"})}


def _call(base: str, secret: str, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}/api/v1{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return answer.status, json.loads(answer.read())


@pytest.mark.parametrize("slug", sorted(OFFICES))
def test_a_token_issued_in_the_browser_carries_a_complaint_to_closure(live_server, page_factory, slug):
    locale, component, finding = OFFICES[slug]
    short = slug.split("-")[0]
    page = page_factory(locale=locale)
    page.goto(f"{live_server}/api/v1/")
    expect(page.locator("h1")).to_contain_text("API")
    shoot(page, f"api-reference-{locale}")

    def issue(person: str, name: str, scopes: tuple[str, ...]) -> str:
        issuer = page_factory(locale=locale)
        login(issuer, live_server, f"{person}.{short}@tanggap.demo")
        issuer.goto(f"{live_server}/{slug}/staff/settings/api-tokens")
        issuer.fill("#name", name)
        for scope in scopes:
            issuer.check(f"input[name=scopes][value={scope}]")
        issuer.click("form.card button[type=submit]")
        token = issuer.locator("#new-token").inner_text().strip()
        assert token.startswith("tgp_")
        shoot(issuer, f"api-token-issued-{slug}-{person}")
        return token

    secret = issue("leader", "Meja WhatsApp", ("read", "write"))
    deliveries = issue("officer", "Meja Loket", ("write",))

    status, created = _call(live_server, secret, "POST", "/complaints", {
        "components": [component], "description": "Layanan terlambat dan tidak sesuai standar yang diumumkan.",
        "occurred_on": "2026-11-02", "name": "Siti Rahma", "phone": "081234567890", "consent": True})
    assert status == 201
    number = created["number"]
    _call(live_server, secret, "POST", f"/complaints/{number}/accept")
    _, assessed = _call(live_server, secret, "POST", f"/complaints/{number}/assessment",
                        {"upheld": "yes", "components": [component], "reasoning": "Terbukti.", **finding})
    zone = ZoneInfo("Asia/Jakarta")
    for item in assessed["assessment"]["items"]:
        _call(live_server, deliveries, "POST", f"/complaints/{number}/items/{item['id']}/delivery",
              {"delivered_at": clock.now().astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
               "method": "in_person" if item["kind"] == "souvenir" else "phone"})  # a souvenir is handed over
    _, closed = _call(live_server, secret, "POST", f"/complaints/{number}/close")
    assert closed["status"] == "closed"

    staff = page_factory(locale=locale)
    login(staff, live_server, f"leader.{short}@tanggap.demo")
    staff.goto(f"{live_server}/{slug}/staff/complaints/{number}")
    expect(staff.locator(".timeline, ol, ul").filter(has_text="API: Meja WhatsApp").first).to_be_visible()
    shoot(staff, f"api-complaint-closed-{slug}")
    tracking = page_factory(phone=True, locale=locale)
    tracking.goto(created["tracking_url"])
    expect(tracking.locator("body")).to_contain_text(number)
