"""Both catalogues are complete, and the visitor's language is chosen as DESIGN.md says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(locale: str):
    with (ROOT / "platform" / "tanggap" / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory) -> set[str]:
    """Every message id the code and templates use, extracted as ``make extract-messages`` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "platform/tanggap/translations/babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), str(ROOT / "platform")],
        check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(locale):
    missing = [
        m.id for m in _catalogue(locale)
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert missing == []


@pytest.mark.parametrize("locale", ["id", "en"])
def test_translations_keep_their_placeholders(locale):
    wrong = []
    for m in _catalogue(locale):
        if not m.id:
            continue
        source = m.id if isinstance(m.id, str) else m.id[0]
        target = m.string if isinstance(m.string, str) else m.string[0]
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
            wrong.append(source)
    assert wrong == []


@pytest.mark.parametrize("locale", ["id", "en"])
def test_catalogues_hold_every_string_in_the_code(locale, extracted_ids):
    in_code = extracted_ids
    in_catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(locale) if m.id}
    assert sorted(in_code - in_catalogue) == [], "run `make extract-messages` and translate"


def test_indonesian_is_the_default_without_any_preference(visitor):
    html = visitor.get("/auth/login").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Masuk" in html


def test_browser_language_is_followed(visitor):
    html = visitor.get("/auth/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_the_language_switch_sticks_and_returns_to_the_page(make, visitor):
    make.tenant("dinas-alpha")
    response = visitor.get("/locale/en?next=/dinas-alpha/")
    assert response.status_code == 302 and response.headers["Location"] == "/dinas-alpha/"
    html = visitor.get("/dinas-alpha/", headers={"Accept-Language": "id"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Our service promise" in html
    visitor.get("/locale/id")
    assert "Janji layanan kami" in visitor.get("/dinas-alpha/").get_data(as_text=True)


def test_the_language_switch_never_leaves_the_site(visitor):
    response = visitor.get("/locale/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_an_office_default_language_applies_when_the_browser_says_nothing(make, visitor):
    make.tenant("dinas-alpha", default_locale="en")
    html = visitor.get("/dinas-alpha/").get_data(as_text=True)
    assert '<html lang="en">' in html


def test_money_and_dates_follow_the_language(app):
    from datetime import datetime, timezone

    from flask_babel import force_locale

    from tanggap.i18n import local_datetime, rupiah

    with app.test_request_context():
        with force_locale("id"):
            assert rupiah(150000) == "Rp150.000"
            assert "Mei" in local_datetime(datetime(2024, 5, 2, 2, 0, tzinfo=timezone.utc), "long")
        with force_locale("en"):
            assert rupiah(150000) == "IDR150,000"
            # Stored in UTC, shown in the office's zone (WIB, UTC+7): 02:00 UTC is 09:00.
            assert "9:00:00" in local_datetime(datetime(2024, 5, 2, 2, 0, tzinfo=timezone.utc), "long")


def test_wtforms_own_messages_have_an_indonesian_catalogue():
    """WTForms ships none for Indonesian; ours must cover every message of the installed WTForms."""
    from wtforms.i18n import messages_path

    with (Path(messages_path()) / "wtforms.pot").open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with (ROOT / "platform" / "tanggap" / "translations" / "id" / "LC_MESSAGES" / "wtforms.po").open("rb") as handle:
        ours = {(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(handle) if m.id}
    assert wanted - set(ours) == set()
    for source, translation in ours.items():
        text = translation if isinstance(translation, str) else translation[0]
        assert text and sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), source


def test_form_validation_messages_follow_the_readers_language(app):
    from tanggap.forms import Form
    from wtforms import IntegerField

    class Amount(Form):
        amount = IntegerField()

    for language, expected in (("id", "Bukan bilangan bulat yang sah."), ("en", "Not a valid integer value.")):
        with app.test_request_context(method="POST", data={"amount": "lima"},
                                      headers={"Accept-Language": language}):
            form = Amount(meta={"csrf": False})
            assert not form.validate() and form.amount.errors == [expected]


@pytest.mark.parametrize("locale, expected", [
    ("id", "Pengaduan, seluruhnya 3 | 1 pengaduan | 2 pengaduan | &lt;b&gt; | Rp"),
    ("en", "Complaints, 3 in all | 1 complaint | 2 complaints | &lt;b&gt; | Rp"),
])
def test_a_page_says_its_strings_in_its_language_as_jinja_would(app, locale, expected):
    """A page's ``_`` and ``ngettext`` are bound to its language's catalogue when it is
    rendered (``i18n.template_gettext``): translated, formatted, escaped as Jinja's own, and
    in the language forced around the rendering (a citizen's mail written in a staff request)."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = ('{{ _("Complaints, %(count)d in all", count=3) }} | {{ ngettext("%(num)d complaint", "%(num)d complaints", 1) }}'
            ' | {{ ngettext("%(num)d complaint", "%(num)d complaints", 2) }} | {{ _("%(x)s", x="<b>") }} | {{ _("Rp") }}')
    with app.test_request_context(), force_locale("en" if locale == "id" else "id"):
        with force_locale(locale):
            assert render_template_string(page) == expected
