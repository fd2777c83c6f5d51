"""The platform operator's console: onboarding from a decree file (errors inline, nothing
half-written), from a blank form, deactivating and reactivating, inviting admins and
inspectors; operators only, everyone else 404; everything audited."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.auth.models import User
from tanggap.extensions import db, mail
from tanggap.tenancy.models import Region, Tenant
from tests.complaints.helpers import errors

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


def _upload(operator, text: str, name: str = "decree.toml"):
    return operator.submit("/platform/offices/upload", {"decree": (io.BytesIO(text.encode()), name)},
                           page="/platform/offices/", content_type="multipart/form-data")


def test_an_office_is_onboarded_from_its_decree_file(operator, ctx, visitor):
    text = (TENANTS / "disdikbud-metro" / "decree.toml").read_text()
    response = _upload(operator, text)
    assert response.status_code == 303 and response.headers["Location"].endswith("/platform/offices/disdikbud-metro")
    assert visitor.get("/disdikbud-metro/").status_code == 200
    assert "002.b/KPTS/D-1/2024" in visitor.get("/disdikbud-metro/").get_data(as_text=True)
    with ctx():
        actions = db.session.execute(select(AuditLog.action)).scalars().all()
        assert "tenant.loaded" in actions and "decree.published" in actions


def test_a_bad_decree_file_is_refused_with_the_key_and_reason_and_nothing_is_written(operator, ctx):
    text = (TENANTS / "disdikbud-metro" / "decree.toml").read_text().replace("hours = 72", 'hours = "lots"')
    response = _upload(operator, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="upload-problems"' in html and "deadline.hours" in html
    with ctx():
        assert db.session.execute(select(Tenant)).first() is None
    assert _upload(operator, "not = [toml").status_code == 422


def test_an_uploaded_file_placing_a_region_inside_one_it_contains_is_refused_and_nothing_is_written(operator, ctx):
    operator.get("/locale/en")
    assert _upload(operator, (TENANTS / "disdikbud-metro" / "decree.toml").read_text()).status_code == 303
    text = (TENANTS / "dinsos-lampung" / "decree.toml").read_text().replace(
        'name = "Pemerintah Provinsi Lampung" }', 'name = "Pemerintah Provinsi Lampung", parent = "kota-metro" }')
    response = _upload(operator, text)
    assert response.status_code == 422
    assert "A region cannot be part of itself or of a region inside it." in response.get_data(as_text=True)
    with ctx():
        assert db.session.execute(select(Tenant.slug)).scalars().all() == ["disdikbud-metro"]
        province = db.session.execute(select(Region).where(Region.slug == "provinsi-lampung")).scalar_one()
        assert province.parent is None


def test_a_blank_office_then_deactivated_and_reactivated(operator, make, ctx, visitor):
    make.tenant("dinas-alpha", region="kota-alpha", parent="provinsi-alpha")  # a region to choose
    with ctx():
        region_id = db.session.execute(select(Region.id).where(Region.slug == "kota-alpha")).scalar_one()
    bad = operator.submit("/platform/offices/new", {"slug": "Bad Slug", "name_id": "", "name_en": "x",
                                                    "region": str(region_id), "timezone": "Asia/Jakarta",
                                                    "default_locale": "id"}, page="/platform/offices/")
    assert bad.status_code == 422 and 'value="Bad Slug"' in bad.get_data(as_text=True)
    made = operator.submit("/platform/offices/new", {"slug": "dinas-baru", "name_id": "Dinas Baru",
                                                     "name_en": "New Office", "region": str(region_id),
                                                     "timezone": "Asia/Makassar", "default_locale": "en"},
                           page="/platform/offices/")
    assert made.status_code == 303
    assert visitor.get("/dinas-baru/").status_code == 200
    page = "/platform/offices/dinas-baru"
    off = operator.submit(page, {"name_id": "Dinas Baru", "name_en": "New Office", "region": str(region_id)})
    assert off.status_code == 303
    assert visitor.get("/dinas-baru/").status_code == 404  # not available; data kept
    with ctx():
        assert db.session.execute(select(Tenant.timezone).where(Tenant.slug == "dinas-baru")).scalar_one() == "Asia/Makassar"
        region = db.session.execute(select(Region).where(Region.slug == "kota-alpha")).scalar_one()
        assert region.parent.slug == "provinsi-alpha"  # joining a region does not move it
        assert "tenant.deactivated" in db.session.execute(select(AuditLog.action)).scalars().all()
    operator.submit(page, {"name_id": "Dinas Baru", "name_en": "New Office", "region": str(region_id), "active": "y"})
    assert visitor.get("/dinas-baru/").status_code == 200


def test_admins_and_inspectors_are_invited_with_a_one_time_link(operator, make, ctx, new_visitor, app):
    make.tenant("dinas-alpha", region="kota-alpha")
    with mail.record_messages() as sent:
        response = operator.submit("/platform/offices/dinas-alpha/admins",
                                   {"name": "Rina Admin", "email": "rina@example.org"},
                                   page="/platform/offices/dinas-alpha")
        assert response.status_code == 303
    [message] = sent
    link = message.body.split(app.config["PUBLIC_URL"], 1)[1].split()[0]  # mail links are on the public URL
    newcomer = new_visitor()
    assert newcomer.submit(link, {"new_password": "sebuah kata sandi", "confirm": "sebuah kata sandi"}).status_code in (302, 303)
    newcomer.login("rina@example.org", "sebuah kata sandi")
    assert newcomer.get("/dinas-alpha/staff/decree/").status_code == 200
    with ctx():
        rina = db.session.execute(select(User).where(User.email == "rina@example.org")).scalar_one()
        assert rina.role_in(db.session.execute(select(Tenant)).scalar_one()).value == "admin"

    missing = operator.submit("/platform/inspectors/", {"name": "Inspektur", "email": "insp@example.org", "region": ""})
    assert missing.status_code == 422 and "Choose the region." in errors(missing)


@pytest.mark.parametrize("path", ["/platform/", "/platform/offices/", "/platform/regions/", "/platform/inspectors/"])
def test_only_operators_reach_the_console(path, make, new_visitor, operator):
    assert operator.get(path).status_code == 200
    office = make.office_with_staff("dinas-alpha")
    staff = new_visitor()
    staff.login(office.admin.email)
    assert staff.get(path).status_code == 404
    assert new_visitor().get(path).status_code == 302


def test_complaints_today_counts_each_office_from_its_own_midnight(make, new_visitor, travel):
    """At 07:00 WIB (09:00 WIT) on 1 April, a complaint filed at 00:30 WIT is today's for its
    office, though it was 22:30 on 31 March in WIB; one filed at 23:30 WIB the evening before
    is not."""
    wib, wit = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura")
    papua = make.office_with_staff("dinas-papua", region="kota-jayapura", timezone="Asia/Jayapura")
    alpha = make.office_with_staff("dinas-alpha", region="kota-alpha")
    travel(datetime(2027, 3, 31, 23, 30, tzinfo=wib))
    make.complaint(alpha)
    travel(datetime(2027, 4, 1, 0, 30, tzinfo=wit))
    make.complaint(papua)
    travel(datetime(2027, 4, 1, 9, 0, tzinfo=wit))
    make.user("ops@example.org", is_operator=True)
    operator = new_visitor()
    operator.login("ops@example.org")
    page = operator.get("/platform/").get_data(as_text=True)
    assert re.search(r'id="platform-today">1<', page)


@pytest.mark.parametrize("language, message", [
    ("en", "A region cannot be part of itself or of a region inside it."),
    ("id", "Wilayah tidak dapat menjadi bagian dari dirinya sendiri atau dari wilayah di dalamnya."),
])
def test_a_region_cannot_be_made_part_of_itself_or_of_a_region_inside_it(operator, ctx, language, message):
    operator.get(f"/locale/{language}")
    for slug, name, kind, parent in (("prov-alpha", "Provinsi Alpha", "province", None),
                                     ("kota-alpha", "Kota Alpha", "city", "prov-alpha")):
        with ctx():
            parent_id = db.session.execute(select(Region.id).where(Region.slug == parent)).scalar_one() if parent else ""
        saved = operator.submit("/platform/regions/", {"slug": slug, "name": name, "kind": kind, "parent": str(parent_id)})
        assert saved.status_code == 303
    with ctx():
        ids = dict(db.session.execute(select(Region.slug, Region.id)).all())
    for slug, parent in (("kota-alpha", "kota-alpha"),  # its own parent (the ORM could not even order it: a 500)
                         ("prov-alpha", "kota-alpha")):  # part of a region inside it: a loop
        refused = operator.submit("/platform/regions/", {"slug": slug, "name": "X", "kind": "city",
                                                         "parent": str(ids[parent])})
        assert refused.status_code == 422 and message in errors(refused)
    with ctx():
        parents = dict(db.session.execute(select(Region.slug, Region.parent_id)).all())
    assert parents["prov-alpha"] is None and parents["kota-alpha"] == ids["prov-alpha"]  # nothing changed
    trailing = operator.submit("/platform/regions/", {"slug": "kota-beta\n", "name": "Kota Beta", "kind": "city",
                                                      "parent": ""})  # $ matched before it: saved with it
    assert trailing.status_code == 422
