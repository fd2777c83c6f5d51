"""The reports in a real browser: the leader's dashboard with its charts and an export that
runs as a job (htmx shows it through to the download), and the inspector's cross-office view."""

from __future__ import annotations

from .conftest import login, shoot


def test_the_leader_reads_the_dashboard_and_exports(live_server, page_factory):
    page = page_factory(locale="id")
    login(page, live_server, "leader.disdikbud@tanggap.demo")
    page.goto(f"{live_server}/disdikbud-metro/staff/reports/")
    assert page.locator("svg[role=img]").count() >= 3
    assert int(page.inner_text("#figure-received .figure-value")) >= 2
    shoot(page, "reports-dashboard-disdikbud-metro-id")
    page.click("text=Semua pengaduan dalam periode ini (XLSX)")
    page.wait_for_selector("#export-download")
    assert page.url.endswith("/staff/reports/")  # answered in place
    with page.expect_download() as download:
        page.click("#export-download")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.click("#figure-received")
    page.wait_for_url("**/staff/complaints/**")
    assert page.locator("#report-filter").count() == 1


def test_the_inspector_compares_offices_and_reads_one(live_server, page_factory):
    page = page_factory(locale="en")
    login(page, live_server, "inspector.provinsi-lampung@tanggap.demo")
    page.goto(f"{live_server}/inspektorat/")
    offices = page.inner_text("#offices")
    # The province's office and Metro's, a city in the province (and any office onboarded there since).
    assert "Social Affairs Office of Lampung Province" in offices and "Education and Culture Office of Metro City" in offices
    shoot(page, "reports-inspectorate-overview-en")
    page.click("text=Education and Culture Office of Metro City")
    assert page.locator("svg[role=img]").count() >= 3
    page.goto(f"{live_server}/inspektorat/disdikbud-metro/complaints")
    assert "***" in page.inner_text("#inspected-complaints")
    page.goto(f"{live_server}/inspektorat/disdikbud-metro/compliance")
    assert "002.b/KPTS/D-1/2024" in page.inner_text("#regime")
    shoot(page, "reports-compliance-disdikbud-metro-en")


def test_the_office_admin_reads_figures_without_links_to_the_inbox(live_server, page_factory):
    """The admin reads the office's figures but not its complaints: the figures are plain
    numbers, and every link the page offers opens."""
    for locale in ("id", "en"):
        page = page_factory(locale=locale)
        login(page, live_server, "admin.disdikbud@tanggap.demo")
        if locale == "en":
            page.goto(f"{live_server}/locale/en")
        page.goto(f"{live_server}/disdikbud-metro/staff/reports/")
        assert int(page.inner_text("#figure-received .figure-value")) >= 2
        assert page.locator("a#figure-received").count() == 0
        assert page.locator("a[href*='/staff/complaints']").count() == 0
        shoot(page, f"reports-dashboard-admin-disdikbud-metro-{locale}")
        links = [href for href in page.eval_on_selector_all("a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
                 if not href.startswith("/static/")]
        for href in dict.fromkeys(links):
            answer = page.request.get(f"{live_server}{href}")
            assert answer.status not in (403, 404), href
