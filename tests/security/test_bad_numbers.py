"""Input that once answered 500: each now gets a clear answer in the reader's language.

Digits ``int`` cannot read ("²" passes ``str.isdigit``), ids past the database's integer,
durations past the calendar, numbers of thousands of digits, pictures of hundreds of millions
of pixels, and decree files built to exhaust the parser.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.complaints.helpers import errors

SUPERSCRIPT = "\u00b2"
HUGE = "99999999999999999999"


@pytest.fixture
def office(make):
    office = make.office_with_staff("dinas-alpha", region="kota-alpha")
    make.complaint(office)
    return office


@pytest.mark.parametrize("name", ["unit", "page", "assignee"])
@pytest.mark.parametrize("value", [SUPERSCRIPT, HUGE])
def test_the_inbox_says_which_filter_it_could_not_read(office, new_visitor, name, value):
    leader = new_visitor()
    leader.login(office.leader.email)
    page = leader.get(f"/dinas-alpha/staff/complaints/?tab=all&{name}={value}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Beberapa saringan tidak dapat dibaca dan tidak dipakai:" in html  # Indonesian, the default
    assert f"<code>{name}</code>: Berikan bilangan bulat." in html
    assert "inbox-table" in html  # the complaint is still listed, the filter left out


@pytest.mark.parametrize("name", ["unit", "page", "assignee", "per_page"])
def test_the_api_names_the_parameter_it_could_not_read(office, make, app, name):
    token = make.api_token(office, scopes=("read",))
    answer = app.test_client().get(f"/api/v1/complaints?{name}={SUPERSCRIPT}",
                                   headers={"Authorization": f"Bearer {token.secret}", "Accept-Language": "en"})
    assert answer.status_code == 422
    assert name in answer.get_json()["error"]["fields"]


@pytest.mark.parametrize("query", [f"unit={HUGE}", f"page={HUGE}", f"unit={SUPERSCRIPT}", f"page={SUPERSCRIPT}"])
def test_the_inspectorate_says_which_filter_it_could_not_read(office, make, new_visitor, query):
    inspector = new_visitor()
    inspector.login(make.inspector("kota-alpha").email)
    inspector.get("/locale/en")
    page = inspector.get(f"/inspektorat/dinas-alpha/complaints?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Some filters could not be read and were left out:" in html and "Give a whole number." in html


def test_the_simulator_refuses_a_delay_past_a_century(metro, new_visitor):
    officer = new_visitor()
    officer.login(metro.officer.email)
    officer.get("/locale/en")
    token = officer.csrf_token("/disdikbud-metro/staff/decree/")
    answer = officer.client.post("/disdikbud-metro/staff/decree/simulate",
                                 data={"csrf_token": token, "components": "fee", "delay": "99999999999999w"})
    assert answer.status_code == 422
    assert "A delay can be at most 5217 weeks 6 days." in answer.get_data(as_text=True)


def test_the_decree_editor_refuses_numbers_of_thousands_of_digits(metro, new_visitor):
    from tests.forms import form_with, replace

    admin = new_visitor()
    admin.login(metro.admin.email)
    admin.get("/locale/en")
    admin.get("/disdikbud-metro/staff/decree/")
    started = admin.client.post("/disdikbud-metro/staff/decree/drafts",
                                data={"csrf_token": admin.csrf_token("/disdikbud-metro/staff/decree/")})
    location = started.headers["Location"]
    fields = form_with(admin.get(location).get_data(as_text=True), "deadline.hours")
    number = admin.client.post(location, data=replace(fields, **{"decree.number": "9" * 5000}))
    assert number.status_code == 422 and "must be at most 120 characters" in number.get_data(as_text=True)
    tier = admin.client.post(location, data=replace(fields, **{"souvenir_tiers[0].code": "A" * 30}))
    assert tier.status_code == 422 and "must be at most 20 characters" in tier.get_data(as_text=True)
    for changes in ({"deadline.hours": "9" * 5000}, {"souvenir_tiers[0].stock": "9" * 5000},
                    {"souvenir_tiers[0].unit_cost": "9" * 15},
                    {"components[0].compensations": "9" * 5000, f"components[{'9' * 5000}].code": "x"}):
        answer = admin.client.post(location, data=replace(fields, **changes))
        assert answer.status_code in (303, 422), changes
        if "deadline.hours" in changes or "souvenir_tiers[0].stock" in changes:
            assert answer.status_code == 422 and "is too large a number" in answer.get_data(as_text=True)
        if "souvenir_tiers[0].unit_cost" in changes:
            assert answer.status_code == 422 and "must be at most 2147483647" in answer.get_data(as_text=True)


def test_a_logo_of_hundreds_of_millions_of_pixels_is_refused(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get("/locale/en")
    out = io.BytesIO()
    Image.new("1", (14_000, 13_000)).save(out, format="PNG")  # 182 million pixels, Pillow's bomb
    form = {"brand_color": "#0b5394", "default_locale": "id", "timezone": "Asia/Jakarta", "address": "Jalan Alpha 1",
            "logo": (io.BytesIO(out.getvalue()), "lambang.png")}
    answer = admin.submit("/dinas-alpha/staff/settings", form, content_type="multipart/form-data")
    assert answer.status_code == 422
    assert "The logo has more than 25 million pixels." in errors(answer)


@pytest.mark.parametrize(("text", "message"), [
    ("a = " + "[" * 5000 + "]" * 5000, "tables and lists nest more than 16 deep"),
    (".".join(["a"] * 20_000) + " = 1", "a key has more than 16 parts"),
    ("a = \"" + "x" * (600 * 1024) + "\"", "not a decree file: larger than 512 KB"),
])
def test_an_operators_decree_file_built_to_exhaust_the_parser_is_refused(make, new_visitor, text, message):
    import time

    make.user("ops@example.org", is_operator=True)
    operator = new_visitor()
    operator.login("ops@example.org")
    operator.get("/locale/en")
    started = time.monotonic()
    answer = operator.submit("/platform/offices/upload", {"decree": (io.BytesIO(text.encode()), "decree.toml")},
                             page="/platform/offices/", content_type="multipart/form-data")
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert time.monotonic() - started < 2


def test_unicode_digits_in_staff_forms_are_not_ids(office, new_visitor):
    from tanggap.database import whole_number

    assert whole_number(SUPERSCRIPT) is None and whole_number("\u0663") is None  # Arabic-Indic three
    assert whole_number(HUGE) is None and whole_number("2147483647") == 2147483647
    admin = new_visitor()
    admin.login(office.admin.email)
    assert admin.get(f"/dinas-alpha/staff/audit?page={HUGE}").status_code == 200
    assert admin.get(f"/dinas-alpha/staff/audit?page={SUPERSCRIPT}").status_code == 200
