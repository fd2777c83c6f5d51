"""Both shipped offices' pages in a real browser, in both languages, on a desktop and a phone."""

from __future__ import annotations

import pytest

from .conftest import DEMO_PASSWORD, shoot

OFFICES = {
    "dinsos-lampung": ({"id": "Dinas Sosial Provinsi Lampung", "en": "Social Affairs Office of Lampung Province"},
                       "2 × 24"),
    "disdikbud-metro": ({"id": "Dinas Pendidikan dan Kebudayaan Kota Metro",
                         "en": "Education and Culture Office of Metro City"}, "3 × 24"),
}


@pytest.mark.parametrize("slug", sorted(OFFICES))
@pytest.mark.parametrize("locale", ["id", "en"])
def test_office_home_shows_its_promise(live_server, page_factory, slug, locale):
    name, deadline = OFFICES[slug]
    page = page_factory(locale=locale)
    page.goto(f"{live_server}/{slug}/")
    assert page.locator("html").get_attribute("lang") == locale
    assert name[locale] in page.locator(".letterhead").inner_text()
    assert deadline in page.inner_text("main")
    assert page.locator(".card-promise").count() == 5
    assert page.evaluate("document.querySelector('.letterhead-logo img').naturalWidth") > 0
    heading = "Janji layanan kami" if locale == "id" else "Our service promise"
    assert page.locator("h1").inner_text() == heading
    shoot(page, f"home-{slug}-{locale}")


def test_office_home_fits_a_phone(live_server, page_factory):
    page = page_factory(phone=True)
    page.goto(f"{live_server}/disdikbud-metro/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shoot(page, "home-disdikbud-metro-phone")


def test_language_switch_by_click(live_server, page_factory):
    page = page_factory(locale="id")
    page.goto(f"{live_server}/dinsos-lampung/")
    page.click("text=English")
    page.wait_for_url(f"{live_server}/dinsos-lampung/")
    assert page.locator("h1").inner_text() == "Our service promise"


def test_leader_logs_in_and_sees_the_office_and_audit_log(live_server, page_factory):
    page = page_factory(locale="en")
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", "leader.disdikbud@tanggap.demo")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/disdikbud-metro/staff/")
    assert "Leader" in page.inner_text("main")
    shoot(page, "staff-home-disdikbud-metro-en")
    page.click("text=Audit log")
    main = page.inner_text("main")
    assert "The chain is intact" in main
    # The decree's publication is the office's first entry: page back to it (newest come first,
    # and the other browser tests add entries of their own).
    for _ in range(20):
        if "Decree published" in main or not page.locator("text=Older").count():
            break
        page.click("text=Older")
        main = page.inner_text("main")
    assert "Decree published" in main and "decree.published" not in main  # words, not codes
    assert '{"' not in main  # changes as field: old → new, not JSON
    shoot(page, "audit-log-disdikbud-metro-en")
    page.click("text=Bahasa Indonesia")
    main = page.inner_text("main")
    assert "Keputusan diterbitkan" in main and "Berlaku mulai" in main
    shoot(page, "audit-log-disdikbud-metro-id")


def test_wrong_password_keeps_the_email_and_says_why(live_server, page_factory):
    page = page_factory(locale="id")
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", "leader.dinsos@tanggap.demo")
    page.fill("#password", "salah")
    page.click("button[type=submit]")
    assert page.input_value("#email") == "leader.dinsos@tanggap.demo"
    assert page.locator("#password-error").is_visible()
    shoot(page, "login-error-id")
