"""Pages in the reader's language, looked at: roles, token scopes and region kinds in words
(the crawl in tests/i18n/test_words.py reads every page, figures included)."""

from __future__ import annotations

from .conftest import login, shoot


def test_the_leader_reads_token_scopes_in_indonesian(live_server, page_factory):
    page = page_factory(locale="id")
    login(page, live_server, "leader.disdikbud@tanggap.demo")
    page.goto(f"{live_server}/disdikbud-metro/staff/settings/api-tokens")
    page.fill("#name", "Meja WhatsApp")
    page.check("input[name=scopes][value=read]")
    page.click("button:has-text('Terbitkan token')")
    listed = page.inner_text("table")
    assert "Membaca" in listed and "read" not in listed.split()
    shoot(page, "api-tokens-disdikbud-metro-id")


def test_the_operator_reads_regions_and_roles_in_both_languages(live_server, page_factory):
    page = page_factory(locale="id")
    login(page, live_server, "operator@tanggap.demo")
    page.goto(f"{live_server}/platform/regions/")
    regions = page.inner_text("main")
    assert "Provinsi" in regions and "Kota" in regions and "province" not in regions and "city" not in regions
    shoot(page, "console-regions-id")
    page.goto(f"{live_server}/platform/offices/disdikbud-metro")
    office = page.inner_text("main")
    assert "· Admin kantor" in office and "· Petugas layanan" in office and "Office admin" not in office
    shoot(page, "console-office-disdikbud-metro-id")
    page.click("text=English")
    office = page.inner_text("main")
    assert "· Office admin" in office and "· Service officer" in office and "· Petugas layanan" not in office
    shoot(page, "console-office-disdikbud-metro-en")
