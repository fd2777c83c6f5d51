"""The office's public accountability page, through HTTP, for both shipped offices.

Complaints are filed and handled across several months with the clock frozen at each step
(some upheld, rejected, compensated on time or late, one filed just after midnight WIB on
the first of a month, when UTC still reads the month before). The page's figures must equal
the leader's dashboard for the same months, and a count made here by hand; the page shows
nobody's name, contact, words or ticket number; its admin can switch it off; the inspectorate
sees who publishes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from tanggap.extensions import db
from tanggap.tenancy.models import Tenant

WIB = ZoneInfo("Asia/Jakarta")
#: When the pages are read: mid-November in WIB, so the page shows December 2025 to November 2026.
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=WIB)
PERIOD = "from=2025-12-01&to=2026-11-30"
SEEDS = ("disdikbud-metro", "dinsos-lampung")

#: Each complaint: filed at (office time), what became of it, and hours from filing to the
#: last delivery. Metro's deadline is 72 hours, Lampung's 48: 30 hours is on time in both,
#: 100 late in both, 60 on time in Metro only.
PLAN = [
    (datetime(2025, 11, 20, 9, 0), "compensated", 10),   # before the twelve months: never counted
    (datetime(2026, 3, 2, 9, 0), "compensated", 10),
    (datetime(2026, 3, 5, 14, 0), "compensated", 30),
    (datetime(2026, 3, 9, 8, 0), "compensated", 100),
    (datetime(2026, 3, 12, 11, 0), "compensated", 60),
    (datetime(2026, 3, 20, 10, 0), "rejected", None),
    (datetime(2026, 3, 28, 10, 0), "open", None),
    (datetime(2026, 6, 10, 9, 0), "compensated", 20),    # alone: its median is one citizen's time
    (datetime(2026, 6, 11, 9, 0), "upheld", None),
    (datetime(2026, 9, 1, 0, 30), "compensated", 100),   # 31 August 17:30 in UTC, September in WIB
    (datetime(2026, 9, 2, 9, 0), "compensated", 5),
    (datetime(2026, 9, 3, 9, 0), "compensated", 6),
    (datetime(2026, 11, 16, 9, 0), "upheld", None),
]
#: Fields the citizen filled in, none of which may reach the page.
PERSONAL = {"name": "Sumarni Wulandari", "email": "sumarni.w@example.org", "phone": "081377712345",
            "description": "Petugas loket meminta biaya tambahan yang tidak tercantum."}


def _file_and_handle(make, ctx, travel, office: SimpleNamespace) -> list[SimpleNamespace]:
    from tanggap.assessments.decisions import Delivery, Finding, assess, deliver
    from tanggap.assessments.models import DeliveryMethod
    from tanggap.auth.models import User
    from tanggap.complaints import lifecycle
    from tanggap.complaints.models import Complaint
    from tanggap.tenancy.context import bound_to

    filed = []
    for moment, outcome, hours in PLAN:
        at = moment.replace(tzinfo=WIB)
        travel(at)
        complaint = make.complaint(office, components=("procedure",), upheld=outcome in ("compensated", "upheld"),
                                   email=PERSONAL["email"], name=PERSONAL["name"], phone=PERSONAL["phone"],
                                   description=PERSONAL["description"])
        filed.append(complaint)
        if outcome == "rejected":
            with ctx():
                tenant = db.session.get_one(Tenant, office.tenant.id)
                with bound_to(tenant):
                    leader = db.session.get_one(User, office.leader.id)
                    found = db.session.get_one(Complaint, complaint.id)
                    lifecycle.apply(found, lifecycle.Action.ACCEPT, by=leader)
                    assess(found, Finding(upheld=False, components=["procedure"], reasoning="Diperiksa.",
                                          explanation="Layanan sesuai standar."), by=leader)
                    db.session.commit()
        if outcome == "compensated":
            travel(at + timedelta(hours=hours))
            with ctx():
                tenant = db.session.get_one(Tenant, office.tenant.id)
                with bound_to(tenant):
                    officer = db.session.get_one(User, office.officer.id)
                    found = db.session.get_one(Complaint, complaint.id)
                    for item in found.assessment.items:
                        deliver(item, Delivery(delivered_at=(at + timedelta(hours=hours)).astimezone(timezone.utc),
                                               method=DeliveryMethod.IN_PERSON), by=officer)
                    db.session.commit()
    travel(NOW)
    return filed


def _expected(deadline_hours: int) -> dict[str, tuple]:
    """(received, upheld, compensated, on time, median or None) per month, counted by hand."""
    months: dict[str, list] = {}
    for moment, outcome, hours in PLAN[1:]:
        row = months.setdefault(f"{moment:%Y-%m}", [0, 0, 0, 0, []])
        row[0] += 1
        row[1] += outcome in ("compensated", "upheld")
        if outcome == "compensated":
            row[2] += 1
            row[3] += hours <= deadline_hours
            row[4].append(hours)
    from statistics import median

    return {month: (*row[:4], round(median(row[4]), 1) if row[4] else None) for month, row in months.items()}


def _number(text: str) -> float | None:
    text = re.sub(r"<[^>]+>", "", text).strip()
    return None if text in ("", "–", "*") else float(text.replace(",", ""))


def _public_rows(html: str) -> dict[str, tuple]:
    table = html.split('id="public-months"')[1].split("<tfoot>")[0]
    rows = {}
    for month, row in re.findall(r'<tr data-month="([\w-]+)">(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        rows[month] = (*(int(_number(cell)) for cell in cells[:4]), _number(cells[4]))
    return rows


def _dashboard_rows(html: str) -> dict[str, tuple]:
    table = html.split('id="table-months"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr><td>(.*?)</tr>", table, re.S):
        cells = [cell.strip() for cell in re.findall(r"(?:^|<td>)(.*?)</td>", row, re.S)]
        rows[cells[0]] = (*(int(_number(cell)) for cell in cells[1:5]), _number(cells[5]))
    return rows


def _card(html: str, name: str) -> str:
    return re.search(rf'id="figure-{name}">\s*<span class="figure-value">([^<]+)<', html).group(1)


@pytest.fixture(params=SEEDS)
def seeded(request, make, ctx, travel):
    travel(datetime(2025, 11, 1, tzinfo=WIB))
    office = make.seed_office(request.param)
    office.slug = request.param
    office.filed = _file_and_handle(make, ctx, travel, office)
    office.deadline_hours = 72 if request.param == "disdikbud-metro" else 48
    return office


def test_the_public_page_shows_the_dashboards_figures(seeded, new_visitor):
    leader = new_visitor()
    leader.login(seeded.leader.email)
    leader.get("/locale/en")
    dashboard = leader.get(f"/{seeded.slug}/staff/reports/?{PERIOD}").get_data(as_text=True)
    citizen = new_visitor()
    response = citizen.get(f"/{seeded.slug}/akuntabilitas", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)

    public, staff = _public_rows(page), _dashboard_rows(dashboard)
    assert list(public) == [f"{year}-{month:02d}" for year, month in
                            [(2025, 12), *((2026, m) for m in range(1, 12))]]
    assert list(staff) == list(public)
    expected = _expected(seeded.deadline_hours)
    for month, shown in public.items():
        received, upheld, compensated, on_time, median = staff[month]
        assert shown[:4] == (received, upheld, compensated, on_time), month
        # The median is the dashboard's where at least three were compensated; withheld below that.
        assert shown[4] == (median if compensated >= 3 else None), month
        assert staff[month] == expected.get(month, (0, 0, 0, 0, None)), month
    assert public["2026-03"][4] is not None and public["2026-09"][4] is not None
    assert staff["2026-06"][4] == 20.0 and public["2026-06"][4] is None
    assert staff["2026-09"][0] == 3 and staff["2026-08"][0] == 0  # counted in the office's month

    total = re.search(r'<tr data-month="total">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", total, re.S)
    assert [int(_number(cell)) for cell in cells[:4]] == [int(_card(dashboard, name)) for name in
                                                          ("received", "upheld", "compensated", "on_time")]
    median = re.search(r"Median time from filing to full compensation: (\S+) hours\.", dashboard).group(1)
    assert _number(cells[4]) == _number(median) and _number(median) is not None
    assert re.search(r'id="public-received">\s*<span class="figure-value">12<', page)


def test_the_page_holds_no_personal_data_in_either_language(seeded, new_visitor):
    visitor = new_visitor()
    pages = {}
    for language in ("id", "en"):
        response = visitor.get(f"/{seeded.slug}/akuntabilitas", headers={"Accept-Language": language})
        assert response.status_code == 200
        pages[language] = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in pages[language]
    assert "Bagaimana kami menepati janji" in pages["id"] and "Komponen standar pelayanan" in pages["id"]
    assert "How we keep our promise" in pages["en"] and "Component of the service standard broken" in pages["en"]
    assert "Januari 2026" in pages["id"] and "January 2026" in pages["en"]
    for html in pages.values():
        for value in PERSONAL.values():
            assert value not in html
        for complaint in seeded.filed:
            assert complaint.number not in html and complaint.code not in html
        assert "Budi Santoso" not in html  # the officer, named in no public figure
        assert "csrf" not in html.lower()


def test_anonymous_visitors_share_a_cacheable_page(seeded, new_visitor, app):
    url = f"/{seeded.slug}/akuntabilitas"
    first = new_visitor().get(url, headers={"Accept-Language": "id"})
    cache = first.headers["Cache-Control"]
    assert "public" in cache and "max-age=300" in cache and "no-store" not in cache
    assert "Accept-Language" in first.headers["Vary"]
    assert "Set-Cookie" not in first.headers
    assert first.headers["Content-Security-Policy"] and first.headers["X-Frame-Options"] == "DENY"
    again = new_visitor().get(url, headers={"Accept-Language": "id", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    english = new_visitor().get(url, headers={"Accept-Language": "en", "If-None-Match": first.headers["ETag"]})
    assert english.status_code == 200  # another language is another page

    # Signed in, the page names its reader: kept by nobody, as every other page.
    leader = new_visitor()
    leader.login(seeded.leader.email)
    signed_in = leader.get(url)
    assert signed_in.status_code == 200 and "no-store" in signed_in.headers["Cache-Control"]
    assert "public" not in signed_in.headers["Cache-Control"]


def test_the_page_is_linked_and_can_be_switched_off(seeded, new_visitor, make, ctx):
    url = f"/{seeded.slug}/akuntabilitas"
    visitor = new_visitor()
    home = visitor.get(f"/{seeded.slug}/").get_data(as_text=True)
    assert home.count(f'href="{url}"') == 2  # the home page's card and the footer

    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-lampung").email)
    row = inspector.get("/inspektorat/").get_data(as_text=True).split(f'data-office="{seeded.slug}"')[1].split("</tr>")[0]
    assert 'data-publishes="yes"' in row and f'href="{url}"' in row

    admin = new_visitor()
    admin.login(seeded.admin.email)
    settings = admin.get(f"/{seeded.slug}/staff/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="accountability_page"|<input[^>]*name="accountability_page"[^>]*checked',
                     settings)
    with ctx():
        tenant = db.session.get_one(Tenant, seeded.tenant.id)
        form = {"brand_color": tenant.brand_color, "default_locale": tenant.default_locale,
                "timezone": tenant.timezone, "government_id": "", "government_en": "",
                "address": tenant.letterhead.get("address", ""), "phone": "", "fax": "", "website": "", "email": "",
                "intro_id": "", "intro_en": ""}
    saved = admin.submit(f"/{seeded.slug}/staff/settings", form)  # the box left unticked
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]

    assert visitor.get(url).status_code == 404
    assert visitor.get(url, headers={"Accept-Language": "en"}).status_code == 404
    home = visitor.get(f"/{seeded.slug}/").get_data(as_text=True)
    assert url not in home
    row = inspector.get("/inspektorat/").get_data(as_text=True).split(f'data-office="{seeded.slug}"')[1].split("</tr>")[0]
    assert 'data-publishes="no"' in row and url not in row

    saved = admin.submit(f"/{seeded.slug}/staff/settings", {**form, "accountability_page": "y"})
    assert saved.status_code == 303
    assert visitor.get(url).status_code == 200


def test_one_address_reading_the_page_too_often_is_paused(metro, new_visitor):
    """Each reading runs the figures' queries: a script hammering it is stopped like one
    hammering the complaint form, people reading it are not."""
    from tanggap.reports.public_views import PAGE_LIMIT

    allowed = int(PAGE_LIMIT.split()[0])
    visitor = new_visitor()
    answers = [visitor.get("/disdikbud-metro/akuntabilitas").status_code for _ in range(allowed + 1)]
    assert answers[:allowed] == [200] * allowed
    assert answers[allowed] == 429
