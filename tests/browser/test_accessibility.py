"""axe-core (from the npm registry, served by the app) finds no serious or critical
violation on the public pages and the main staff pages, in both languages."""

from __future__ import annotations

import pytest

from tests.complaints.helpers import ticket

from .conftest import login

PUBLIC = ["/{slug}/", "/{slug}/pengaduan/baru", "/{slug}/lacak", "/{slug}/lampiran", "/{slug}/akuntabilitas", "/api/v1/"]
STAFF = ["/{slug}/staff/", "/{slug}/staff/complaints/", "/{slug}/staff/complaints/{number}",
         "/{slug}/staff/reports/", "/{slug}/staff/units/", "/{slug}/staff/sanctions/", "/{slug}/staff/decree/",
         "/{slug}/staff/notifications/"]
OFFICES = {"disdikbud-metro": ("id", "DISDIKBUD"), "dinsos-lampung": ("en", "DINSOS")}


def serious_violations(page, url: str) -> list[tuple[str, int, list]]:
    page.goto(url)
    page.add_script_tag(url=url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/static/vendor/axe.min.js")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], len(v["nodes"]), v["nodes"][0]["target"]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("slug", sorted(OFFICES))
def test_public_and_staff_pages_pass_axe(live_server, page_factory, slug):
    locale, prefix = OFFICES[slug]
    number = ticket(prefix)
    page = page_factory(locale=locale)
    found = {path: serious_violations(page, live_server + path.format(slug=slug)) for path in PUBLIC}
    login(page, live_server, f"leader.{slug.split('-')[0]}@tanggap.demo")
    page.wait_for_url("**/staff/")
    found |= {path: serious_violations(page, live_server + path.format(slug=slug, number=number)) for path in STAFF}
    assert {path: problems for path, problems in found.items() if problems} == {}
