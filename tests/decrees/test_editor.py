"""The office admin's decree editor, through HTTP as a browser would use it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.auth.models import Role
from tanggap.decrees.models import Decree
from tanggap.extensions import db
from tests.forms import form_with, replace

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


@pytest.fixture
def metro(app, make):
    assert app.test_cli_runner().invoke(args=["tenants", "load", str(TENANTS / "disdikbud-metro")]).exit_code == 0
    with make.ctx():
        from tanggap.tenancy.models import Tenant

        tenant = db.session.execute(select(Tenant).where(Tenant.slug == "disdikbud-metro")).scalar_one()
    return {role: make.member(tenant, role) for role in Role} | {"tenant": tenant}


def _draft_page(visitor) -> tuple[str, str]:
    index = visitor.get("/disdikbud-metro/staff/decree/")
    response = visitor.client.post("/disdikbud-metro/staff/decree/drafts",
                                   data={"csrf_token": visitor.csrf_token("/disdikbud-metro/staff/decree/")})
    assert index.status_code == 200 and response.status_code == 303
    location = response.headers["Location"]
    return location, visitor.get(location).get_data(as_text=True)


def _problems(response) -> list[str]:
    """The editor's list of problems, to show when a save that should pass does not."""
    import re

    return re.findall(r"<li><code>.*?</li>", response.get_data(as_text=True))


def _versions(ctx) -> list[tuple[int, str, int]]:
    with ctx():
        rows = db.session.execute(
            select(Decree).order_by(Decree.version).execution_options(cross_tenant=True)
        ).scalars()
        return [(d.version, d.status.value, d.deadline.hours) for d in rows]


def test_admin_drafts_changes_and_publishes_a_new_version(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    assert location.endswith("/staff/decree/2/edit")
    fields = form_with(html, "deadline.hours")
    assert fields["components[3].code"] == "fee"
    saved = visitor.client.post(location, data=replace(fields, deadline__hours="48"))
    assert saved.status_code == 303, _problems(saved)
    assert _versions(ctx) == [(1, "published", 72), (2, "draft", 48)]
    page = visitor.get(location).get_data(as_text=True)
    publish = visitor.client.post("/disdikbud-metro/staff/decree/2/publish",
                                  data=replace(form_with(page, "effective_from"), effective_from="2025-01-01"))
    assert publish.status_code == 303
    assert _versions(ctx) == [(1, "published", 72), (2, "published", 48)]
    with ctx():
        actions = db.session.execute(
            select(AuditLog.action).where(AuditLog.tenant_id == metro["tenant"].id).order_by(AuditLog.seq)
        ).scalars().all()
    assert actions[-3:] == ["decree.draft_started", "decree.draft_saved", "decree.published"]


def test_saving_unchanged_keeps_the_matrix_in_its_enacted_order(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    saved = visitor.client.post(location, data=form_with(html, "deadline.hours"))
    assert saved.status_code == 303, _problems(saved)
    with ctx():
        draft = db.session.execute(select(Decree).where(Decree.version == 2)
                                   .execution_options(cross_tenant=True)).scalar_one()
        fee = next(c for c in draft.components if c.code == "fee")
        assert [cell.compensation.code for cell in fee.cells] == ["apology", "refund", "clarification", "souvenir"]
        assert [t.code for t in draft.tiers] == ["A", "B"]


def test_a_bad_value_is_shown_by_its_field_and_nothing_is_saved(metro, visitor, ctx):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{"souvenir_tiers[0].min_delay": "sebentar",
                                                           "components[0].name.en": "", "decree.number": ""})
    response = visitor.client.post(location, data=fields, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="sebentar"' in page
    assert 'id="souvenir_tiers-0-min_delay-error"' in page
    assert 'id="components-0-name-en-error"' in page
    assert page.count("components-0-name-en-error") == 2  # the message, and the field pointing at it
    assert 'id="decree-number-error"' in page
    assert _versions(ctx) == [(1, "published", 72), (2, "draft", 72)]


def test_overlapping_tiers_are_refused_like_in_a_file(metro, visitor):
    visitor.login(metro[Role.ADMIN].email)
    location, html = _draft_page(visitor)
    fields = replace(form_with(html, "deadline.hours"), **{"souvenir_tiers[1].min_delay": "45m"})
    response = visitor.client.post(location, data=fields, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "souvenir_tiers" in response.get_data(as_text=True)


def test_a_new_office_writes_its_decree_from_nothing(make, visitor, ctx):
    office = make.office_with_staff("dinas-gamma", region="kota-gamma")
    visitor.login(office.admin.email)
    visitor.get("/dinas-gamma/staff/decree/")
    response = visitor.client.post("/dinas-gamma/staff/decree/drafts",
                                   data={"csrf_token": visitor.csrf_token("/dinas-gamma/staff/decree/")})
    location = response.headers["Location"]
    fields = replace(form_with(visitor.get(location).get_data(as_text=True), "deadline.hours"), **{
        "decree.number": "100/KPTS/2026", "decree.title.id": "Kompensasi Layanan",
        "decree.title.en": "Service compensation", "decree.enacted_at": "2026-01-05", "decree.enacted_in": "Gamma",
        "decree.effective_from": "2026-01-05",
        "deadline.hours": "48",
        "compensations[0].code": "apology", "compensations[0].kind": "apology",
        "compensations[0].name.id": "Permohonan maaf", "compensations[0].name.en": "Apology",
    })
    first = visitor.client.post(location, data=fields)
    assert first.status_code == 422  # a decree needs at least one component: said, not saved
    fields = replace(fields, **{"components[0].code": "time", "components[0].name.id": "Jangka Waktu",
                                "components[0].name.en": "Service time"})
    fields.add("components[0].compensations", "0")  # the matrix: tick "apology" for "time"
    saved = visitor.client.post(location, data=fields)
    assert saved.status_code == 303, _problems(saved)
    page = visitor.get(location).get_data(as_text=True)
    published = visitor.client.post("/dinas-gamma/staff/decree/1/publish",
                                     data=replace(form_with(page, "effective_from"), effective_from="2026-01-05"))
    assert published.status_code == 303
    home = visitor.get("/dinas-gamma/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Service time" in home and "Apology" in home and "2 × 24" in home


@pytest.mark.parametrize(("role", "status"), [(Role.LEADER, 403), (Role.OFFICER, 403)])
def test_only_the_admin_edits_the_decree(metro, new_visitor, role, status):
    visitor = new_visitor()
    visitor.login(metro[role].email)
    assert visitor.get("/disdikbud-metro/staff/decree/").status_code == 200
    response = visitor.client.post("/disdikbud-metro/staff/decree/drafts",
                                   data={"csrf_token": visitor.csrf_token("/disdikbud-metro/staff/decree/")})
    assert response.status_code == status


def test_a_published_version_cannot_be_edited(metro, visitor):
    visitor.login(metro[Role.ADMIN].email)
    response = visitor.get("/disdikbud-metro/staff/decree/1/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/decree/1")


def test_simulator_answers_in_place_with_htmx_and_as_a_page_without(metro, visitor):
    visitor.login(metro[Role.OFFICER].email)
    token = visitor.csrf_token("/disdikbud-metro/staff/decree/")
    data = {"csrf_token": token, "components": "fee", "delay": "45m", "overcharge": "25000"}
    fragment = visitor.client.post("/disdikbud-metro/staff/decree/simulate", data=data,
                                   headers={"HX-Request": "true", "Accept-Language": "en"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert "Pen" in body and "IDR25,000" in body
    assert "HX-Request" in fragment.headers["Vary"]
    page = visitor.client.post("/disdikbud-metro/staff/decree/simulate", data=data).get_data(as_text=True)
    assert "<html" in page and "Pulpen" in page


def test_simulator_with_nothing_chosen_says_so(metro, visitor):
    visitor.login(metro[Role.OFFICER].email)
    token = visitor.csrf_token("/disdikbud-metro/staff/decree/")
    response = visitor.client.post("/disdikbud-metro/staff/decree/simulate", data={"csrf_token": token},
                                   headers={"Accept-Language": "en"})
    assert response.status_code == 422 and "Choose at least one component." in response.get_data(as_text=True)


def test_the_printable_attachment_is_public(metro, visitor):
    html = visitor.get("/disdikbud-metro/lampiran").get_data(as_text=True)
    assert "002.b/KPTS/D-1/2024" in html and "Tempat Air Minum" in html and "SUWANDI" in html


def test_pages_showing_the_matrix_read_it_in_a_fixed_number_of_queries(app, metro, visitor):
    """Five components and their cells must not cost a query per cell or per component (no N+1)."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    visitor.login(metro[Role.ADMIN].email)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for path in ("/disdikbud-metro/", "/disdikbud-metro/lampiran", "/disdikbud-metro/staff/decree/1"):
            statements.clear()
            assert visitor.get(path).status_code == 200
            assert len(statements) <= 12, (path, len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
