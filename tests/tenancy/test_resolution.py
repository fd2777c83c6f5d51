"""A request's office comes from its URL; unknown, inactive and reserved slugs are 404s."""

from __future__ import annotations

import pytest

from tanggap.tenancy.models import RESERVED_SLUGS


def test_tenant_home_is_branded_with_its_name_and_letterhead(make, visitor):
    make.tenant("dinas-alpha", brand_color="#7a1f1f")
    html = visitor.get("/dinas-alpha/", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert "Dinas Dinas-Alpha" in html
    assert "Jalan Dinas-Alpha 1" in html
    assert "/dinas-alpha/brand.css" in html


def test_brand_css_carries_the_office_colour_and_a_readable_text_colour(make, visitor):
    make.tenant("dinas-alpha", brand_color="#7a1f1f")
    css = visitor.get("/dinas-alpha/brand.css").get_data(as_text=True)
    assert "--brand:#7a1f1f;" in css
    assert "--brand-text:#ffffff;" in css


def test_unknown_slug_is_a_404_page_in_the_visitors_language(visitor):
    response = visitor.get("/no-such-office/", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_unknown_slug_in_indonesian(visitor):
    response = visitor.get("/no-such-office/", headers={"Accept-Language": "id"})
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_inactive_office_is_not_available(make, visitor):
    make.tenant("dinas-closed", active=False)
    assert visitor.get("/dinas-closed/").status_code == 404


def test_the_platform_lists_active_offices_by_region(make, visitor):
    make.tenant("dinas-alpha", region="kota-alpha")
    make.tenant("dinas-closed", region="kota-alpha", active=False)
    html = visitor.get("/").get_data(as_text=True)
    assert "/dinas-alpha/" in html
    assert "/dinas-closed/" not in html
    assert "Pemerintah Kota-Alpha" in html


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS - {"static", "favicon.ico", "robots.txt"}))
def test_reserved_slugs_never_resolve_to_an_office(slug, visitor, make):
    # Logged in as staff of an office, so that a platform area of the same name (the
    # inspectorate's pages ask for a log-in) answers for itself: never as an office.
    office = make.office_with_staff("dinas-alpha")
    visitor.login(office.leader.email)
    assert visitor.get(f"/{slug}/staff/").status_code == 404


@pytest.mark.parametrize("slug", ["platform", "api", "Bad_Slug", "-edge", "", "dinas-alpha\n"])
def test_offices_cannot_take_reserved_or_malformed_slugs(slug, make):
    with pytest.raises(ValueError, match="slug"):
        make.tenant(slug)


def test_a_job_s_tenant_survives_building_an_address(app, make):
    """``external_url`` pushes a request context of its own inside a job's app context; its
    end must not unbind the office the job is working for."""
    from tanggap.extensions import db
    from tanggap.tenancy.context import bound_to, current_tenant
    from tanggap.tenancy.models import Tenant
    from tanggap.web import external_url

    office = make.tenant("dinas-alpha")
    with app.app_context():
        with bound_to(db.session.get(Tenant, office.id)) as tenant:
            assert external_url("citizen.home", tenant_slug="dinas-alpha").endswith("/dinas-alpha/")
            assert current_tenant() is tenant
