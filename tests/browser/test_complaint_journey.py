"""A complaint carried from the citizen's phone to closure in a real browser, for both
shipped offices in both languages: the citizen files (htmx keeps their answers when one is
missing) and finds it again by its code; the leader narrows the inbox with htmx filters,
assigns it (the officer's bell lights up) and assesses with the package shown live; the
officer delivers every item; the citizen follows it and rates the handling. Screenshots
of each step are kept in artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PASSWORD, shoot

JOURNEYS = {
    # slug, language, component, what the citizen writes
    "metro-id": ("disdikbud-metro", "id", "fee", {"charged": "50000", "tariff": "0", "waited_amount": "45"}),
    "metro-en": ("disdikbud-metro", "en", "time", {"waited_amount": "45"}),
    "lampung-id": ("dinsos-lampung", "id", "requirements", {}),
    "lampung-en": ("dinsos-lampung", "en", "time", {"waited_amount": "2", "waited_unit": "days"}),
}
WORDS = {
    "id": {"file": "Ajukan pengaduan", "send": "Kirim pengaduan", "accept": "Terima untuk dinilai",
           "assess": "Nilai pengaduan (penilaian Pimpinan)", "confirm": "Konfirmasi penilaian", "deliver": "Serahkan",
           "record": "Catat penyerahan", "close": "Tutup pengaduan", "rate": "Kirim penilaian saya",
           "closed": "Ditutup", "upheld": "Terbukti", "assign": "Simpan penugasan"},
    "en": {"file": "File a complaint", "send": "Send the complaint", "accept": "Accept for assessment",
           "assess": "Assess the complaint", "confirm": "Confirm the assessment", "deliver": "Deliver",
           "record": "Record the delivery", "close": "Close the complaint", "rate": "Send my rating",
           "closed": "Closed", "upheld": "Upheld", "assign": "Save assignment"},
}


def _login(page, live_server, email):
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/staff/**")


@pytest.mark.parametrize("journey", JOURNEYS)
def test_a_complaint_from_the_citizens_phone_to_closure(live_server, page_factory, journey):
    slug, language, component, details = JOURNEYS[journey]
    words = WORDS[language]
    short = slug.split("-")[0]

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
    citizen.fill("#name", "Rahmat Hidayat")
    citizen.fill("#email", "rahmat@example.org")
    citizen.click(f"text={words['send']}")  # without the consent box: htmx shows the error in place
    citizen.wait_for_selector("#consent-error")
    assert citizen.input_value("#name") == "Rahmat Hidayat"
    assert citizen.url.endswith("/pengaduan/baru")
    shoot(citizen, f"complaint-{journey}-1-form-error")
    citizen.check("#consent")
    citizen.click(f"text={words['send']}")
    citizen.wait_for_url("**/tanda-terima")
    number = citizen.inner_text("#ticket-number").strip()
    code = citizen.inner_text("#tracking-code").strip()
    assert re.fullmatch(rf"{short.upper()}-\d{{4}}-\d{{6}}", number) and re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){2}", code)
    shoot(citizen, f"complaint-{journey}-2-receipt")
    citizen.goto(f"{live_server}/{slug}/lacak")
    citizen.fill("#code", code.lower().replace("-", " "))  # read back in any case or spacing
    citizen.locator("main form button[type=submit]").click()
    citizen.wait_for_url(f"**/pengaduan/{code}")
    expect(citizen.locator("#status")).to_be_visible()
    shoot(citizen, f"complaint-{journey}-2b-tracked")

    leader = page_factory(locale=language)
    _login(leader, live_server, f"leader.{short}@tanggap.demo")
    leader.goto(f"{live_server}/{slug}/staff/complaints/")
    leader.select_option("#component", component)  # htmx filters in place and pushes the address
    expect(leader).to_have_url(re.compile(rf"component={component}"))
    expect(leader.locator(f"#inbox-results a:text('{number}')")).to_have_count(1)
    leader.fill("#q", number)
    expect(leader.locator("#inbox-results tbody tr")).to_have_count(1)
    assert leader.locator(f"#inbox-results a:text('{number}')").count() == 1
    assert "q=" in leader.url  # htmx pushed the search into the address bar
    shoot(leader, f"complaint-{journey}-3-inbox")
    leader.click(f"#inbox-results a:text('{number}')")
    # Leaving the search box also sends the filter form ("change"): the complaint's page is
    # read once the browser is on it, not while that answer and the navigation cross.
    leader.wait_for_url(f"**/staff/complaints/{number}")
    expect(leader.locator("#assignee")).to_be_visible()
    officers = leader.locator("#assignee option").all_inner_texts()
    leader.select_option("#assignee", label=next(name for name in officers if name.startswith("Officer")))
    leader.click(f"text={words['assign']}")
    leader.wait_for_url(f"**/staff/complaints/{number}")
    leader.click(f"text={words['accept']}")
    leader.click(f"text={words['assess']}")
    leader.check("input[name=upheld][value=yes]")
    leader.wait_for_selector("#package .package-items li")
    leader.fill("#reasoning", "Terbukti dari bukti yang dilampirkan dan keterangan petugas loket.")
    shoot(leader, f"complaint-{journey}-4-assessment")
    if component == "fee":
        assert "Pulpen" in leader.inner_text("#package") or "Pen" in leader.inner_text("#package")
    leader.click(f"text={words['confirm']}")
    leader.wait_for_selector(".package-table")
    assert words["upheld"] in leader.inner_text("#status")

    officer = page_factory(locale=language)
    _login(officer, live_server, f"officer.{short}@tanggap.demo")
    expect(officer.locator("#bell-count")).to_be_visible()  # the bell, fetched by htmx, says it was assigned
    officer.click("#bell")
    expect(officer.locator("main")).to_contain_text(number)
    shoot(officer, f"complaint-{journey}-4b-bell")
    officer.goto(f"{live_server}/{slug}/staff/complaints/{number}")
    while officer.locator(".package-table a.btn").count():
        officer.locator(".package-table a.btn").first.click()
        if officer.locator("#receipt_number").count():
            officer.fill("#receipt_number", "KW-2026-0042")
        if officer.locator("#voucher").count():
            officer.fill("#voucher", "ANTRIAN-P01")
        officer.click(f"text={words['record']}")
        officer.wait_for_url(f"**/staff/complaints/{number}")
    shoot(officer, f"complaint-{journey}-5-delivered")
    assert officer.locator("#on-time").count() == 1
    officer.click(f"text={words['close']}")
    assert words["closed"] in officer.inner_text("#status")

    citizen.goto(f"{live_server}/{slug}/pengaduan/{code}")
    citizen.check("input[name=rating][value='5']")
    citizen.fill("#comment", "Ditangani dengan baik.")
    citizen.click(f"text={words['rate']}")
    citizen.wait_for_selector("text=5")
    assert words["closed"] in citizen.inner_text("#status")
    shoot(citizen, f"complaint-{journey}-6-tracking-closed")
