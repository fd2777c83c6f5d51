"""Everything that reports on a complaint names the decree version the complaint was judged
under, never merely the one in force: even after a version published later, and dated
earlier, took over."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tanggap import clock
from tanggap.auth.models import User
from tanggap.decrees import drafts, store
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant

OLD, NEW = "1/KPTS/2026", "3/KPTS/2026"


@pytest.fixture
def office(make, ctx):
    """Version 1 in force with a complaint filed under it; then version 2 published from 30 days
    back, so by the dates it covers the day that complaint was filed."""
    office = make.office_with_staff("dinas-alpha")
    office.old = make.complaint(office)
    office.draft = make.draft_decree(office.tenant, number=NEW)
    with ctx():
        tenant = db.session.get_one(Tenant, office.tenant.id)
        with bound_to(tenant):
            drafts.publish_draft(store.version(tenant, office.draft), clock.office_today(tenant) - timedelta(days=30),
                                 db.session.get(User, office.admin.id), reason="Ditandatangani bulan lalu.")
            db.session.commit()
    return office


def _text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(p|dd|table)>', html, re.S)
    assert match, f"no #{element_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def _leader(new_visitor, office, language: str):
    leader = new_visitor()
    leader.login(office.leader.email)
    leader.get(f"/locale/{language}")
    return leader


REPORT = "/dinas-alpha/staff/reports"


@pytest.mark.parametrize(("language", "line"), [("en", f"Under decree {OLD}."), ("id", f"Berdasarkan keputusan {OLD}.")])
def test_the_printed_report_names_the_old_decree_for_complaints_filed_under_it(office, new_visitor, language, line):
    page = _leader(new_visitor, office, language).get(f"{REPORT}/print").get_data(as_text=True)
    assert _text(page, "decrees") == line
    assert NEW not in page


def test_a_report_over_complaints_under_two_versions_names_each(make, office, new_visitor):
    make.complaint(office)
    make.complaint(office)
    leader = _leader(new_visitor, office, "en")
    page = leader.get(f"{REPORT}/print").get_data(as_text=True)
    assert _text(page, "decrees").startswith(f"Under decrees {OLD} and {NEW}:")
    table = _text(page, "table-decrees")
    assert f"{OLD} 1 1" in table and f"{NEW} 2 2" in table
    dashboard = leader.get(f"{REPORT}/").get_data(as_text=True)
    assert f"{OLD} 1 1" in _text(dashboard, "table-decrees") and f"{NEW} 2 2" in _text(dashboard, "table-decrees")
    rows = list(csv.reader(io.StringIO(leader.get(f"{REPORT}/export/decrees.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [["Decree", "Version", "Complaints"], [OLD, "1", "1"], [NEW, "2", "2"]]
    indonesian = _leader(new_visitor, office, "id").get(f"{REPORT}/print").get_data(as_text=True)
    assert _text(indonesian, "decrees").startswith(f"Berdasarkan keputusan {OLD} dan {NEW}:")


def test_versions_with_the_same_number_are_told_apart(make, ctx, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    make.complaint(office)
    draft = make.draft_decree(office.tenant)  # the same number as version 1
    with ctx():
        tenant = db.session.get_one(Tenant, office.tenant.id)
        with bound_to(tenant):
            drafts.publish_draft(store.version(tenant, draft), clock.office_today(tenant),
                                 db.session.get(User, office.admin.id))
            db.session.commit()
    make.complaint(office)
    page = _leader(new_visitor, office, "en").get(f"{REPORT}/print").get_data(as_text=True)
    assert _text(page, "decrees").startswith(f"Under decrees {OLD} (version 1) and {OLD} (version 2):")


def test_a_period_without_complaints_names_the_decree_in_force_as_such(office, new_visitor):
    leader = _leader(new_visitor, office, "en")
    page = leader.get(f"{REPORT}/print?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert _text(page, "decrees") == f"No complaint was filed in this period. Decree in force: {NEW}."


def test_the_complaints_export_names_each_complaints_decree(make, office, new_visitor):
    make.complaint(office)
    leader = _leader(new_visitor, office, "en")
    started = leader.submit(f"{REPORT}/exports", {}, page=f"{REPORT}/", headers={"HX-Request": "true"})
    link = re.search(r'href="([^"]+/file)"', started.get_data(as_text=True)).group(1)
    rows = list(load_workbook(io.BytesIO(leader.get(link).data)).active.values)
    header = list(rows[0])
    by_number = {row[0]: (row[header.index("decree")], row[header.index("decree_version")]) for row in rows[1:]}
    assert by_number[office.old.number] == (OLD, 1)
    assert sorted(by_number.values()) == [(OLD, 1), (NEW, 2)]


def test_the_complaint_pages_name_the_decree_it_was_judged_under(office, new_visitor):
    staff = _leader(new_visitor, office, "en")
    page = staff.get(f"/dinas-alpha/staff/complaints/{office.old.number}").get_data(as_text=True)
    assert _text(page, "decree") == f"{OLD} (version 1) · in force when the complaint was filed"
    citizen = new_visitor()
    citizen.get("/locale/id")
    receipt = citizen.get(f"/dinas-alpha/pengaduan/{office.old.code}/tanda-terima").get_data(as_text=True)
    assert _text(receipt, "decree") == OLD
    tracking = citizen.get(f"/dinas-alpha/pengaduan/{office.old.code}").get_data(as_text=True)
    assert _text(tracking, "decree") == f"Dinilai berdasarkan keputusan {OLD}, yang berlaku saat Anda mengajukannya."
    assert NEW not in receipt and NEW not in tracking


def test_the_api_names_the_decree_a_complaint_was_judged_under(make, office, app):
    from tests.api.conftest import Integrator

    token = make.api_token(office, scopes=("read",))
    answer = Integrator(app, token.secret).get(f"/complaints/{office.old.number}").get_json()
    assert answer["decree_version"] == 1
    assert answer["decree"] == {"version": 1, "number": OLD, "effective_from": "2026-01-05"}
    receipt_only = make.api_token(office, scopes=("write",), name="Meja loket")
    answer = Integrator(app, receipt_only.secret).post(f"/complaints/{office.old.number}/notes",
                                                        {"message": "Cek loket."}).get_json()
    assert "description" not in answer and answer["decree"]["number"] == OLD  # a receipt, naming its decree
