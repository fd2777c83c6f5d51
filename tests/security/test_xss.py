"""Cross-site scripting: what citizens, staff and decree files write comes back escaped on
every page that shows it, what a URL carries is never reflected raw, and the content
security policy forbids inline script besides."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from tanggap.decrees.models import StandardComponent
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to

from ..complaints.conftest import complaint_form

SCRIPT = '<script>alert("tanggap")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
PAYLOADS = (SCRIPT, IMAGE)


def _raw(html: str) -> list[str]:
    return [payload for payload in PAYLOADS if payload in html]


def _file(visitor, slug: str, **fields) -> str:
    page = f"/{slug}/pengaduan/baru"
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', visitor.get(page).get_data(as_text=True))
    response = visitor.submit(page, {"submission_key": key.group(1), **complaint_form(**fields)})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return re.search(r"/pengaduan/([A-Z0-9-]+)/tanda-terima", response.headers["Location"]).group(1)


def test_what_citizens_and_staff_write_is_escaped_everywhere(metro, new_visitor, ctx):
    citizen = new_visitor()
    code = _file(citizen, "disdikbud-metro", name=f"Siti {SCRIPT}", service=IMAGE,
                 description=f"Layanan terlambat sekali. {SCRIPT} {IMAGE}")
    leader = new_visitor()
    leader.login(metro.leader.email)
    from ..complaints.helpers import complaint as stored

    with ctx():
        number = stored(code).number
    base = f"/disdikbud-metro/staff/complaints/{number}"
    assert leader.submit(f"{base}/notes", {"message": f"Catatan {SCRIPT}"}, page=base).status_code == 303
    assert leader.submit(f"{base}/request-info", {"info-message": f"Mohon bukti {IMAGE}"}, page=base).status_code == 303
    citizen_pages = [f"/disdikbud-metro/pengaduan/{code}", f"/disdikbud-metro/pengaduan/{code}/tanda-terima"]
    staff_pages = [base, "/disdikbud-metro/staff/complaints/?tab=all", "/disdikbud-metro/staff/audit"]
    for path in citizen_pages:
        html = citizen.get(path).get_data(as_text=True)
        assert _raw(html) == [], path
    for path in staff_pages:
        html = leader.get(path).get_data(as_text=True)
        assert _raw(html) == [], path
    shown = leader.get(base).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;tanggap&#34;)&lt;/script&gt;" in shown  # there, as text
    assert "Mohon bukti &#34;&gt;&lt;img" in citizen.get(citizen_pages[0]).get_data(as_text=True)


def test_decree_names_are_escaped_on_public_and_staff_pages(metro, make, new_visitor, ctx):
    make.complaint(metro, components=("time",))
    with ctx():
        with bound_to(metro.tenant):
            db.session.execute(update(StandardComponent).where(StandardComponent.code == "time")
                               .values(name={"id": f"Jangka {SCRIPT}", "en": f"Time {IMAGE}"}))
            db.session.commit()
            assert db.session.execute(select(StandardComponent.name).where(StandardComponent.code == "time")).first()
    leader = new_visitor()
    leader.login(metro.leader.email)
    visitor = new_visitor()
    for path in ("/disdikbud-metro/", "/disdikbud-metro/pengaduan/baru", "/disdikbud-metro/lampiran",
                 "/disdikbud-metro/open311/v2/services.json"):
        assert _raw(visitor.get(path).get_data(as_text=True)) == [], path
    for path in ("/disdikbud-metro/staff/decree/", "/disdikbud-metro/staff/complaints/?tab=all",
                 "/disdikbud-metro/staff/reports/"):
        assert _raw(leader.get(path).get_data(as_text=True)) == [], path


@pytest.mark.parametrize("path", [
    f"/disdikbud-metro/staff/complaints/?q={SCRIPT}",
    f"/disdikbud-metro/pengaduan/{SCRIPT}",
    f"/{SCRIPT}/",
    f"/auth/login?next={SCRIPT}",
    f"/locale/en?next={IMAGE}",
    f"/disdikbud-metro/staff/reports/?from={SCRIPT}",
])
def test_nothing_in_the_url_comes_back_raw(metro, new_visitor, path):
    leader = new_visitor()
    leader.login(metro.leader.email)
    response = leader.client.get(path, follow_redirects=True)
    assert response.status_code < 500
    assert _raw(response.get_data(as_text=True)) == []


def test_the_tracking_form_does_not_reflect_a_code_raw(metro, visitor):
    answer = visitor.submit("/disdikbud-metro/lacak", {"code": SCRIPT})
    assert answer.status_code == 422 and _raw(answer.get_data(as_text=True)) == []


@pytest.mark.parametrize("path", ["/", "/disdikbud-metro/", "/disdikbud-metro/pengaduan/baru", "/auth/login",
                                  "/api/v1/", "/nowhere"])
def test_the_content_security_policy_forbids_inline_script(visitor, metro, path):
    policy = visitor.get(path).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
