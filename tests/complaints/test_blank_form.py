"""The citizen's blank complaint page is rendered once per worker and office
(``complaints.blank_form``): each visitor still gets secrets of their own, whatever the page
is made of (the office's units, its name, the version in force, the language) shows on the
next visit, and a page not every visitor would be shown alike is never kept or handed out."""

from __future__ import annotations

import re

from tanggap import clock
from tanggap.complaints import blank_form
from tanggap.decrees import drafts
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tanggap.units.models import ServiceUnit

from tests.complaints.conftest import complaint_form

PAGE = "/disdikbud-metro/pengaduan/baru"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')


def _form(client, language: str = "id") -> str:
    page = client.get(PAGE, headers={"Accept-Language": language})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_every_visitor_gets_secrets_of_their_own_from_the_kept_form(metro, new_visitor):
    first, second = new_visitor(), new_visitor()
    one, other = _form(first), _form(second)
    assert len(blank_form._kept) == 1  # the second visit was answered from the kept form
    assert TOKEN.search(one).group(1) != TOKEN.search(other).group(1)
    assert KEY.search(one).group(1) != KEY.search(other).group(1)
    assert "\x00" not in other
    token, key = TOKEN.search(other).group(1), KEY.search(other).group(1)
    sent = second.client.post(PAGE, data={"csrf_token": token, "submission_key": key, **complaint_form()})
    assert sent.status_code == 303  # the token put into the kept form is the visitor's own


def test_a_new_unit_a_new_name_and_the_other_language_show_on_the_next_visit(metro, new_visitor, ctx):
    assert "Loket Legalisir Baru" not in _form(new_visitor())
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            db.session.add(ServiceUnit(tenant_id=tenant.id, name="Loket Legalisir Baru"))
            tenant.name = {"id": "Dinas Pendidikan Kota Metro (nama baru)", "en": "Metro City Education Office"}
            db.session.commit()
    page = _form(new_visitor())
    assert "Loket Legalisir Baru" in page and "Dinas Pendidikan Kota Metro (nama baru)" in page
    assert "Send the complaint" in _form(new_visitor(), "en") and "Send the complaint" not in page


def test_a_component_the_new_version_drops_is_no_longer_offered(metro, new_visitor, ctx):
    assert 'value="fee"' in _form(new_visitor())
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            draft = drafts.start_draft(tenant, None)
            draft.components = [c for c in draft.components if c.code != "fee"]
            drafts.publish_draft(draft, clock.office_today(tenant), None)
            db.session.commit()
    assert 'value="fee"' not in _form(new_visitor())


def test_a_form_with_answers_is_rendered_afresh_and_keeps_them(metro, new_visitor):
    visitor = new_visitor()
    page = _form(visitor)
    sent = visitor.client.post(PAGE, data={"csrf_token": TOKEN.search(page).group(1),
                                    "submission_key": KEY.search(page).group(1),
                                    **complaint_form(service="Layanan yang saya tulis sendiri", consent="")})
    assert sent.status_code == 422
    assert "Layanan yang saya tulis sendiri" in sent.get_data(as_text=True)
    assert "Layanan yang saya tulis sendiri" not in _form(new_visitor())


def _secrets_blanked(page: str) -> str:
    """The page with its CSRF token (in the form and for htmx) and its key blanked."""
    token, key = TOKEN.search(page).group(1), KEY.search(page).group(1)
    return page.replace(token, "TOKEN").replace(key, "KEY")


def test_the_kept_page_is_the_page_rendered_afresh_but_for_its_secrets(metro, new_visitor):
    fresh = _form(new_visitor())
    kept = _form(new_visitor())
    assert len(blank_form._kept) == 1 and kept != fresh
    assert _secrets_blanked(kept) == _secrets_blanked(fresh)
    assert _secrets_blanked(kept).count("TOKEN") == 2  # the form's field and htmx's header


def test_a_logged_in_visitor_and_a_waiting_message_are_never_kept_nor_served_from_it(metro, new_visitor):
    staff = new_visitor()
    staff.login(metro.leader.email)
    name = metro.leader.name
    assert name in _form(staff)  # rendered for them, not kept
    assert len(blank_form._kept) == 0
    assert name not in _form(new_visitor())  # now kept, for visitors not logged in
    assert name in _form(staff) and len(blank_form._kept) == 1
    told = new_visitor()
    with told.client.session_transaction() as session:
        session["_flashes"] = [("message", "Sesi Anda berakhir; isi formulir sekali lagi.")]
    assert "Sesi Anda berakhir" in _form(told)
    assert "Sesi Anda berakhir" not in _form(new_visitor()) and "Sesi Anda berakhir" not in _form(told)


def test_an_htmx_request_gets_the_form_alone_even_once_the_page_is_kept(metro, new_visitor):
    _form(new_visitor())
    fragment = new_visitor().client.get(PAGE, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and TOKEN.search(html)
    assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in new_visitor().client.get(PAGE).headers["Vary"]
