"""Offices on their own host names: the pages answer there without the slug, every link
leaves it out, platform paths stay the platform's, and an unknown host is the platform's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tanggap.extensions import db
from tanggap.tenancy.models import Tenant
from tests.conftest import CSRF_PATTERN, Visitor

HOST = "pengaduan.dinsos.example.go.id"


@pytest.fixture
def own_host(app, lampung, ctx):
    with ctx():
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == "dinsos-lampung")).scalar_one()
        tenant.domain = HOST
        db.session.commit()
    app.extensions["tanggap.office_hosts"].forget()
    yield lampung
    app.extensions["tanggap.office_hosts"].forget()


def test_an_office_answers_on_its_own_host_without_the_slug(own_host, visitor):
    home = visitor.get("/", headers={"Host": HOST})
    html = home.get_data(as_text=True)
    assert home.status_code == 200 and "Dinas Sosial Provinsi Lampung" in html
    assert 'href="/pengaduan/baru"' in html and "/dinsos-lampung/" not in html
    assert "/static/" in html  # platform paths stay
    assert visitor.get("/brand.css", headers={"Host": HOST}).status_code == 200
    assert visitor.get("/dinsos-lampung/", headers={"Host": HOST}).status_code == 200  # old links still work


class OnHost(Visitor):
    """A visitor whose browser asks for the office's own host name."""

    def get(self, path, **kwargs):
        return self.client.get(path, headers={"Host": HOST}, **kwargs)

    def csrf_token(self, page="/auth/login"):
        match = CSRF_PATTERN.search(self.get(page).get_data(as_text=True))
        return match.group(1) or match.group(2)

    def submit(self, path, data=None, *, page=None, **kwargs):
        payload = {"csrf_token": self.csrf_token(page or path), **(data or {})}
        return self.client.post(path, data=payload, headers={"Host": HOST}, **kwargs)


def test_a_citizen_files_and_staff_work_on_the_office_host(own_host, app):
    citizen = OnHost(app.test_client())
    form = citizen.get("/pengaduan/baru").get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', form).group(1)
    from tests.complaints.conftest import complaint_form

    sent = citizen.submit("/pengaduan/baru", {"submission_key": key, **complaint_form(components=["time"])})
    assert sent.status_code == 303 and re.fullmatch(r"/pengaduan/[A-Z0-9-]+/tanda-terima", sent.headers["Location"])
    staff = OnHost(app.test_client())
    staff.login(own_host.leader.email)
    inbox = staff.get("/staff/complaints/")
    assert inbox.status_code == 200 and 'href="/staff/complaints/DINSOS-' in inbox.get_data(as_text=True)


def test_an_unknown_host_is_the_platform(own_host, visitor):
    assert "Dinas Sosial Provinsi Lampung" in visitor.get("/", headers={"Host": "tanggap.example.org"}).get_data(as_text=True)
    assert visitor.get("/pengaduan/baru", headers={"Host": "tanggap.example.org"}).status_code == 404


def test_the_operator_sets_a_host_name_and_two_offices_cannot_share_one(make, new_visitor, ctx, own_host):
    make.user("ops@example.org", is_operator=True)
    operator = new_visitor()
    operator.login("ops@example.org")
    operator.get("/locale/en")
    make.tenant("dinas-alpha", region="kota-alpha")
    with ctx():
        region = db.session.execute(select(Tenant.region_id).where(Tenant.slug == "dinas-alpha")).scalar_one()
    page = "/platform/offices/dinas-alpha"
    base = {"name_id": "Dinas Alpha", "name_en": "Alpha Office", "region": str(region), "active": "y"}
    assert operator.submit(page, base | {"domain": "Not A Host"}).status_code == 422
    assert operator.submit(page, base | {"domain": "pengaduan.alpha.example.go.id\n"}).status_code == 422  # not before $
    taken = operator.submit(page, base | {"domain": HOST})
    assert taken.status_code == 422 and "Another office already has this host name." in taken.get_data(as_text=True)
    assert operator.submit(page, base | {"domain": "pengaduan.alpha.example.go.id"}).status_code == 303
    answer = new_visitor().get("/", headers={"Host": "pengaduan.alpha.example.go.id"})
    assert "Dinas Dinas-Alpha" in answer.get_data(as_text=True) or "Dinas Alpha" in answer.get_data(as_text=True)


@pytest.mark.parametrize(("host", "prefix"), [(None, "/dinsos-lampung"), (HOST, "")])
def test_links_built_once_for_many_values_are_the_links_built_one_by_one(own_host, app, host, prefix):
    """``web.url_for_each`` sets each value into a URL built once; a value that would need
    quoting is built as ``url_for`` builds it. On the office's host and off it alike."""
    from flask import url_for

    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.domains import ENVIRON_KEY
    from tanggap.web import url_for_each

    asked = {"headers": {"Host": host}, "environ_overrides": {ENVIRON_KEY: "dinsos-lampung"}} if host else {}
    with app.test_request_context("/", **asked):
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == "dinsos-lampung")).scalar_one()
        with bound_to(tenant):
            link = url_for_each("staff_complaints.show", "number")
            for number in ("DINSOS-NOMOR-000042", "A.b_c~1", "nomor/dengan spasi", "ü"):
                assert link(number) == url_for("staff_complaints.show", number=number)
            assert link("DINSOS-NOMOR-000042") == f"{prefix}/staff/complaints/DINSOS-NOMOR-000042"
            assert link("nomor dengan spasi").endswith("/complaints/nomor%20dengan%20spasi")
