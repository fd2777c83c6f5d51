"""The office's public accountability page in a real browser, in both languages: reached from
the office's home page, its chart and table drawn, and the promise in force beside them."""

from __future__ import annotations

import pytest

from .conftest import shoot

HEADINGS = {"id": ("Bagaimana kami menepati janji", "Lihat halaman akuntabilitas kami"),
            "en": ("How we keep our promise", "See our accountability page")}


@pytest.mark.parametrize("locale", ["id", "en"])
def test_a_citizen_reads_the_offices_accountability_page(live_server, page_factory, locale):
    heading, link = HEADINGS[locale]
    page = page_factory(locale=locale)
    page.goto(f"{live_server}/disdikbud-metro/")
    page.click(f"text={link}")
    page.wait_for_url("**/disdikbud-metro/akuntabilitas")
    assert page.inner_text("h1") == heading
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("#public-trend-title").count() == 1
    assert page.locator("#public-months tbody tr").count() == 12
    assert int(page.inner_text("#public-received .figure-value")) >= 1  # the demo's complaints
    assert page.locator("table.matrix").count() == 1
    assert "002.b/KPTS/D-1/2024" in page.inner_text("main")
    shoot(page, f"public-accountability-{locale}")
    phone = page_factory(phone=True, locale=locale)
    phone.goto(f"{live_server}/disdikbud-metro/akuntabilitas")
    shoot(phone, f"public-accountability-phone-{locale}")
