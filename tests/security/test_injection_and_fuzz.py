"""SQL injection through the inbox's filters and search, and hypothesis throwing bad input
at the public forms: no 500, nothing filed that should not be, nothing dropped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tanggap.complaints.models import Complaint
from tanggap.extensions import db, limiter
from tanggap.tenancy.scoping import every_office

from ..complaints.conftest import complaint_form

ATTACKS = ["' OR '1'='1", "1; DROP TABLE complaint; --", "%", "_", "\\", '") OR 1=1 --', "fee%' --",
           "' UNION SELECT password_hash FROM \"user\" --"]


@contextmanager
def limits_off() -> Iterator[None]:
    """Many examples from one address: the limits would answer 429 and hide what is tested."""
    limiter.enabled = False
    try:
        yield
    finally:
        limiter.enabled = True


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _count(ctx) -> int:
    with ctx():
        return db.session.execute(every_office(select(func.count(Complaint.id)))).scalar()


@pytest.mark.parametrize("attack", ATTACKS)
def test_filters_and_search_take_text_as_text(metro, make, new_visitor, ctx, attack):
    make.complaint(metro, components=("time",))
    make.complaint(metro, components=("product",))
    leader = new_visitor()
    leader.login(metro.leader.email)
    before = _count(ctx)
    for parameter in ("q", "status", "component", "unit", "assignee", "sort", "page", "outcome", "from", "to", "tab"):
        page = leader.get(f"/disdikbud-metro/staff/complaints/?{parameter}={attack}")
        assert page.status_code in (200, 400), (parameter, page.status_code)
    searched = leader.get(f"/disdikbud-metro/staff/complaints/?tab=all&q={attack}").get_data(as_text=True)
    assert not re.search(r"DISDIKBUD-\d{4}-", searched)  # no complaint matches these words, so none is listed
    assert _count(ctx) == before


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(fields=st.fixed_dictionaries({}, optional={
    name: st.one_of(st.text(max_size=300), st.sampled_from(["", " ", "0", "-1", "9" * 30, "2026-02-30", "null",
                                                            "\x00", "🙂" * 50, "<b>", "' OR 1=1 --"]))
    for name in ("components", "description", "occurred_on", "service", "unit", "waited_amount", "waited_unit",
                 "charged", "tariff", "name", "email", "phone", "consent")
}))
def test_the_complaint_form_never_breaks_on_bad_input(app, metro, fields):
    with limits_off():
        client = app.test_client()
        page = client.get("/disdikbud-metro/pengaduan/baru").get_data(as_text=True)
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/disdikbud-metro/pengaduan/baru",
                               data={"csrf_token": _token(page), "submission_key": key, **complaint_form(**fields)})
        assert response.status_code in (303, 422), response.status_code


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(email=st.text(max_size=300), password=st.text(max_size=300))
def test_the_login_form_never_breaks_on_bad_input(app, email, password):
    with limits_off():
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        response = client.post("/auth/login", data={"csrf_token": _token(page), "email": email, "password": password})
        assert response.status_code in (200, 422, 429), response.status_code


def test_a_session_cookie_planted_before_login_is_not_logged_in_after_it(app, metro, visitor):
    """Session fixation: the cookie a person had before logging in (which an attacker could
    have planted) does not become a logged-in session."""
    visitor.get("/auth/login")
    planted = visitor.client.get_cookie("session")
    assert planted is not None
    visitor.login(metro.leader.email)
    assert visitor.client.get_cookie("session").value != planted.value
    attacker = app.test_client()
    attacker.set_cookie("session", planted.value)
    assert attacker.get("/disdikbud-metro/staff/").status_code == 302


def test_an_id_beyond_the_database_s_integers_is_not_found_not_an_error(app, metro, make, new_visitor):
    filed = make.complaint(metro, upheld=True)
    leader = new_visitor()
    leader.login(metro.leader.email)
    huge = 2**31
    for path in (f"/disdikbud-metro/staff/complaints/{filed.number}/items/{huge}/deliver",
                 f"/disdikbud-metro/staff/officers/{huge}", f"/disdikbud-metro/staff/units/{huge}",
                 f"/disdikbud-metro/staff/decree/{huge}"):
        assert leader.get(path).status_code == 404, path


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=2026-02-30", "page=99999999999",
                                   "unit=2147483648"])
def test_days_and_numbers_no_database_can_hold_are_ignored_by_the_inbox(metro, new_visitor, query):
    """The inbox, the reports and the API read days and ids the same way (``tanggap.days``)."""
    leader = new_visitor()
    leader.login(metro.leader.email)
    assert leader.get(f"/disdikbud-metro/staff/complaints/?{query}").status_code == 200
    assert leader.get(f"/disdikbud-metro/staff/reports/?{query}").status_code == 200


def test_control_characters_are_refused_on_their_field_and_nothing_typed_is_lost(app, metro, ctx):
    """A NUL cannot be kept in PostgreSQL text, and no control character is typed by a person:
    every form refuses them with a message on the field, in the reader's language, and shows
    the rest of what was typed again."""
    before = _count(ctx)
    with limits_off():
        for language, message in (("id", "Hapus karakter kontrol dari teks ini."),
                                  ("en", "Remove the control characters from this text.")):
            client = app.test_client()
            headers = {"Accept-Language": language}
            page = client.get("/disdikbud-metro/pengaduan/baru", headers=headers).get_data(as_text=True)
            key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
            response = client.post("/disdikbud-metro/pengaduan/baru", headers=headers, data={
                "csrf_token": _token(page), "submission_key": key,
                **complaint_form(name="Siti\x00Rahayu", service="Legalisir\x07 ijazah")})
            html = response.get_data(as_text=True)
            assert response.status_code == 422, language
            assert html.count(message) == 2, language
            assert "siti@example.org" in html and "membayar Rp 50.000" in html  # the rest is shown again
    assert _count(ctx) == before


def test_inbox_filters_with_control_characters_are_left_out_and_said(metro, make, new_visitor):
    make.complaint(metro, components=("time",))
    leader = new_visitor()
    leader.login(metro.leader.email)
    for parameter in ("q", "component"):
        page = leader.get("/disdikbud-metro/staff/complaints/", query_string={"tab": "all", parameter: "time\x07"})
        html = page.get_data(as_text=True)
        assert page.status_code == 200, parameter
        assert 'id="unread-filters"' in html and f"<code>{parameter}</code>" in html, parameter
        assert len(re.findall(r">DISDIKBUD-\d{4}-\d{6}</a>", html)) == 1, parameter  # left out, not matched


def test_a_nul_in_an_address_is_refused_before_it_reaches_the_database(metro, make, new_visitor):
    """PostgreSQL cannot compare text holding a NUL: in a part of the path no route matches it
    (404), in the query string it is refused (400), on every face, never a 500."""
    complaint = make.complaint(metro, components=("time",))
    leader = new_visitor()
    leader.login(metro.leader.email)
    for url in ("/disdikbud-metro/staff/complaints/?q=a%00b", "/disdikbud-metro/staff/complaints/?a%00=b",
                "/disdikbud-metro/open311/v2/requests.json?service_request_id=A%00B",
                "/disdikbud-metro/open311/v2/requests.json?service_code=ti%00me"):
        assert leader.get(url).status_code == 400, url
    for url in ("/disdikbud-metro/pengaduan/ABCD-EFGH%00/tanda-terima",
                f"/disdikbud-metro/staff/complaints/{complaint.number}%00", "/disdikbud%00-metro/pengaduan/baru",
                "/disdikbud-metro/open311/v2/requests/A%00B.json"):
        assert leader.get(url).status_code == 404, url
    leader.get("/locale/id")
    assert "Permintaan tidak dapat dipahami" in leader.get("/disdikbud-metro/staff/complaints/?q=%00").get_data(as_text=True)
