"""Nothing with personal data stays in a browser's or a proxy's cache: every answer is
``Cache-Control: no-store`` except the few that are public by nature.

Generated from the URL map, like the isolation walk: a new route is checked the day it is
added, and one with an argument this file cannot fill fails until an example is given.
"""

from __future__ import annotations

import pytest

from tests.test_isolation import EXAMPLES, _url

#: Public by nature, the same for every visitor: they may be cached.
PUBLIC = {"static", "favicon", "citizen.brand_css", "citizen.logo"}
#: Arguments outside the office's staff pages, filled from the same office.
MORE = {
    "code": lambda office: office.complaint.code,
    "office": lambda office: office.tenant.slug,
    "fmt": lambda office: "json",
    "token": lambda office: "not-a-token",
    "slug": lambda office: office.tenant.slug,
    "filename": lambda office: "app.css",
}


@pytest.fixture
def leader(two_offices, new_visitor):
    alpha, _ = two_offices
    visitor = new_visitor()
    visitor.login(alpha.leader.email)
    return visitor


def _get(visitor, office, path: str):
    headers = {"Authorization": f"Bearer {office.token.secret}"} if path.startswith("/api/") else {}
    return visitor.get(path, headers=headers)


def test_every_answer_but_the_public_files_is_no_store(app, two_offices, leader, monkeypatch):
    alpha, _ = two_offices
    for name, fill in MORE.items():
        monkeypatch.setitem(EXAMPLES, name, fill)
    checked = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        response = _get(leader, alpha, _url(rule, alpha) if rule.arguments else rule.rule)
        header = response.headers.get("Cache-Control", "")
        if rule.endpoint in PUBLIC:
            assert response.status_code != 200 or "no-store" not in header, rule.rule
        else:
            assert "no-store" in header, f"GET {rule.rule} ({response.status_code}): {header!r}"
        checked += 1
    assert checked > 60


@pytest.mark.parametrize("path", [
    "/dinas-alpha/staff/complaints/",
    "/dinas-alpha/staff/complaints/{number}",
    "/dinas-alpha/staff/complaints/{number}/files/{attachment}",
    "/dinas-alpha/pengaduan/{code}",
    "/dinas-alpha/pengaduan/{code}/tanda-terima",
    "/dinas-alpha/pengaduan/{code}/berkas/{attachment}",
    "/api/v1/complaints",
    "/api/v1/complaints/{number}",
    "/dinas-alpha/staff/reports/export/units.csv",
    "/dinas-alpha/staff/reports/export/all.xlsx",
    "/dinas-alpha/staff/reports/exports/{export}/file",
])
def test_pages_and_files_with_personal_data_are_not_stored(two_offices, leader, path):
    alpha, _ = two_offices
    url = path.format(number=alpha.complaint.number, code=alpha.complaint.code,
                      attachment=alpha.complaint.attachment_id, export=alpha.export_id)
    response = _get(leader, alpha, url)
    assert response.status_code == 200, url
    assert "no-store" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]


def test_the_offices_stylesheet_and_logo_stay_cacheable(two_offices, new_visitor):
    response = new_visitor().get("/dinas-alpha/brand.css")
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    again = new_visitor().get("/dinas-alpha/brand.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and "no-store" not in again.headers["Cache-Control"]
