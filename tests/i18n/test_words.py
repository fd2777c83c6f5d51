"""Every page speaks the reader's language: words, plurals and numbers.

The crawl logs in as each role of a shipped office (and as an inspector, a platform
operator and a citizen), opens every GET page of the URL map with real ids, in Indonesian
and in English, and reads what a person sees: the text, the title, the labels on
buttons and fields, never markup, scripts or hidden values. An Indonesian page must hold
no English-only word and no decimal point ("1.5" is "1,5"); an English page no
Indonesian-only word and no "1 complaints". Text a page shows in a language other than
its own (the decree's Indonesian clauses on an English page) carries its own ``lang``
and is read as that language. The URL arguments are filled as the isolation walk fills
them, so a new page is crawled the day it is added.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.routing import Rule

from tanggap.auth.models import Role, User
from tanggap.complaints import lifecycle
from tanggap.complaints.models import Complaint, Status
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.resolver import SLUG_ARG
from tanggap.tenancy.scoping import every_office

from tests.test_isolation import EXAMPLES

#: Words that never occur in Indonesian text (checked as whole words, any case).
ENGLISH_ONLY = (
    "the", "and", "of", "with", "complaint", "complaints", "office", "leader", "officer", "officers",
    "rating", "ratings", "submit", "delete", "save", "cancel", "deadline", "day", "days", "hour", "hours",
    "minute", "minutes", "week", "weeks", "upheld", "overdue", "settings", "sign", "password", "staff",
    "search", "decree", "issued", "revoked", "created", "changed", "city", "province", "regency", "none",
    "yes", "read", "write", "reports", "compensation", "sanction", "sanctions", "coaching", "reprimand",
)
#: Words that never occur in English text.
INDONESIAN_ONLY = (
    "pengaduan", "simpan", "hari", "jam", "menit", "minggu", "terbukti", "dan", "yang", "untuk", "dengan",
    "tidak", "belum", "kantor", "petugas", "kota", "provinsi", "kabupaten", "tenggat", "batas", "hapus",
    "kirim", "ubah", "keputusan", "sanksi", "kompensasi", "penilaian", "ditugaskan", "selesai", "diterbitkan",
)
#: An English count that forgot its plural form: "1 complaints", "(1 ratings)".
BAD_PLURAL = re.compile(r"(?<![\d.,])1 (complaints|ratings|items|days|hours|minutes|weeks|officers|members|"
                        r"offices|sanctions|files|tokens|entries|times|points|notices|units)\b")
#: A decimal point on an Indonesian page: "1.5", "4.0", "1.8:1", "12.5%". Thousands ("25.000")
#: and clock times ("14.30") have groups of two or three digits after the point.
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d(?![\d.])|\d\.\d+\s?%")
#: A code where words belong: an audit action ("api_token.issued"), a snake_case key, raw JSON.
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+_[a-z_]+\b|\b[a-z]+_[a-z]+(?:\.[a-z_]+)+\b|\{\"")

#: The office's people, named as people are (the factories name them after their role).
PEOPLE = {"admin": ("Sri Wahyuni", "admin"), "leader": ("Agus Salim", "leader"), "officer": ("Rina Marlina", "officer"),
          "inspector": ("Dewi Lestari", "inspector"), "operator": ("Bambang Irawan", "ops")}

#: Text that is no language at all: identifiers in ``<code>``, or marked with BCP 47's "zxx".
NO_LANGUAGE = "zxx"

#: An address is an address in any language.
EMAIL = re.compile(r"<?[\w.+-]+@[\w.-]+>?")

#: A quotation is in the language quoted: the notes on a decree quote its Indonesian text.
QUOTED = re.compile(r'"[^"]*"')

#: What people typed, shown as typed whatever the page's language (tests/factories.py).
USER_CONTENT = (
    "Layanan terlambat tiga hari dari standar.", "Terbukti lalai.", "Terbukti.", "Pelatihan pelayanan prima",
    "Kebijakan pimpinan.", "Warga Contoh", "Meja WhatsApp", "Budi Santoso", "Loket Pelayanan", "Pelaksana",
    *(name for name, _email in PEOPLE.values()),
)
#: Proper names: the office, its region and its letterhead are named in Indonesian in both languages.
PROPER_NAMES = (
    "Dinas Pendidikan dan Kebudayaan Kota Metro", "Pemerintah Kota Metro", "Provinsi Lampung", "Kota Metro",
    "Ki. Hajar Dewantara", "Metro Timur", "Iringmulyo", "decree.toml",
)
#: The API reference's prose names the API's own identifiers, which no language translates.
API_IDENTIFIERS = ("upheld: yes", "bercakupan submit atau write", "due_soon, overdue")
#: Pages that are not pages: files, feeds, machine formats, the language switch itself.
NOT_PAGES = ("static", "i18n.switch", "citizen.brand_css", "citizen.logo", "citizen.attachment",
             "staff_complaints.attachment", "reports.export", "reports.export_file", "inspectorate.export",
             "decrees.attachment")
#: Pages that need a secret from an e-mail (they are tested in tests/auth).
NEEDS_MAILED_SECRET = ("auth.invitation", "auth.reset")


class VisibleText(HTMLParser):
    """The words a page shows, by language: text, the title, and the attributes a person reads."""

    SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
    HIDDEN_ELEMENTS = ("script", "style", "template", "noscript")
    #: Elements whose text is an identifier (an API field, a scope, a file name), the same in every language.
    IDENTIFIERS = ("code", "kbd", "samp")
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def __init__(self, page_locale: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = []  # (tag, language, hidden)
        self.page_locale = page_locale
        self.text: dict[str, list[str]] = {"id": [], "en": []}

    @property
    def language(self) -> str:
        return self.stack[-1][1] if self.stack else self.page_locale

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        language = NO_LANGUAGE if tag in self.IDENTIFIERS else (given.get("lang") or self.language).split("-")[0]
        hidden = self.hidden or tag in self.HIDDEN_ELEMENTS or "hidden" in given
        if not hidden:
            shown = [given.get(name) for name in self.SHOWN_ATTRIBUTES]
            # A field's value is data (typed, or stored in the language the field asks for); a button's is its label.
            if tag == "input" and given.get("type") in ("submit", "button"):
                shown.append(given.get("value"))
            # Each label stands alone: "Value 1" then "hours" are two texts, not "1 hours".
            self.text.setdefault(language, []).extend(f"{value} ¦" for value in shown if value)
        if tag not in self.VOID:
            self.stack.append((tag, language, hidden))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.text.setdefault(self.language, []).append(data)


def shown_text(html: str, locale: str) -> dict[str, str]:
    parser = VisibleText(locale)
    parser.feed(html)
    return {language: " ".join(" ".join(parts).split()) for language, parts in parser.text.items()}


def _quote(text: str, match: re.Match[str]) -> str:
    return f"{match.group(0)!r} in …{text[max(0, match.start() - 40):match.end() + 40]}…"


def findings(text: str, locale: str) -> list[str]:
    """What is wrong with ``text`` shown as ``locale``: each a short quote of the offence."""
    for allowed in USER_CONTENT + PROPER_NAMES + API_IDENTIFIERS:
        text = text.replace(allowed, " ")
    text = EMAIL.sub(" ", text)
    found = [f"{locale}: code {_quote(text, m)}" for m in RAW_CODE.finditer(text)]
    text = QUOTED.sub(" ", text)
    words = ENGLISH_ONLY if locale == "id" else INDONESIAN_ONLY
    found += [f"{locale}: word {_quote(text, m)}"
              for word in words for m in re.finditer(rf"(?<![\w/.-]){word}(?![\w/-])", text, re.IGNORECASE)]
    if locale == "id":
        found += [f"id: decimal point {_quote(text, m)}" for m in DECIMAL_POINT.finditer(text)]
    else:
        found += [f"en: plural {_quote(text, m)}" for m in BAD_PLURAL.finditer(text)]
    return found


@pytest.mark.parametrize(("text", "locale", "wrong"), [
    ("Pengaduan 1,5 jam", "id", False),
    ("Rp25.000 pada 14.30 WIB", "id", False),
    ("Median 1.5 jam", "id", True),
    ("Rasio 1.8:1", "id", True),
    ("Admin kantor", "id", False),
    ("Office admin", "id", True),
    ("1 complaint (2 ratings)", "en", False),
    ("1 complaints", "en", True),
    ("(1 ratings)", "en", True),
    ("3 hari", "en", True),
    ("api_token.issued", "en", True),
    ('{"name": "x"}', "id", True),
])
def test_the_reader_catches_what_it_should(text, locale, wrong):
    assert bool(findings(text, locale)) is wrong, findings(text, locale)


def test_text_in_another_language_is_read_as_that_language():
    shown = shown_text('<p>Decree <span lang="id">Menimbang bahwa</span><script>var the = 1</script>'
                       '<input type="hidden" value="hari"><input placeholder="Search"></p>', "en")
    assert shown == {"en": "Decree Search ¦", "id": "Menimbang bahwa"}


@pytest.fixture
def world(make, metro, ctx):
    """Metro as shipped with one of everything a page can show, and the people who read it."""
    office = make.furnish(metro, decree_number="2/KPTS/2026")
    office.inspector = make.inspector("provinsi-lampung")
    office.operator = make.user("ops@example.org", is_operator=True)
    rated = make.complaint(office)
    office.assessing = make.complaint(office, components=("fee", "time"), charged=40000, tariff=25000,
                                      waited_minutes=2 * 24 * 60)
    with ctx():
        for role, (name, _email) in PEOPLE.items():
            db.session.get(User, getattr(office, role).id).name = name
        # Compensated in an hour and a half and rated 4, so figures have decimals: "1,5" and "4,0".
        complaint = db.session.execute(every_office(select(Complaint).where(Complaint.id == rated.id))).scalar_one()
        complaint.status, complaint.status_before_close = Status.CLOSED, Status.COMPENSATED
        complaint.compensated_at = complaint.submitted_at + timedelta(minutes=90)
        complaint.rating = 4
        office.rated = rated
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            lifecycle.apply(db.session.get(Complaint, office.assessing.id), lifecycle.Action.ACCEPT,
                            by=db.session.get(User, office.leader.id))
        db.session.commit()
    return office


#: URL arguments outside the staff pages, filled from the same world.
MORE_EXAMPLES = {
    "code": lambda office: office.complaint.code,
    "slug": lambda office: office.tenant.slug,
    "office": lambda office: office.tenant.slug,
}


#: Whose pages each kind of visitor opens.
AUDIENCE_PAGES = {
    "staff": lambda path: "/staff/" in path,
    "inspector": lambda path: path.startswith("/inspektorat"),
    "operator": lambda path: path.startswith("/platform"),
    "citizen": lambda path: "/staff/" not in path and not path.startswith(("/inspektorat", "/platform")),
}


def _pages(app, audience: str) -> list[Rule]:
    """The HTML GET pages a visitor of ``audience`` opens: staff, inspector, operator or citizen."""
    return sorted(
        (rule for rule in app.url_map.iter_rules()
         if "GET" in rule.methods and rule.endpoint not in NOT_PAGES + NEEDS_MAILED_SECRET
         and (not rule.rule.startswith("/api/") or rule.endpoint == "api.reference") and "/open311/" not in rule.rule
         and AUDIENCE_PAGES[audience](rule.rule)),
        key=lambda rule: rule.rule,
    )


def _url(rule: Rule, office: SimpleNamespace) -> str:
    values = {argument: (EXAMPLES | MORE_EXAMPLES)[argument](office) for argument in rule.arguments - {SLUG_ARG}}
    values[SLUG_ARG] = office.tenant.slug
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    return path


#: Pages beyond one per route: the decree in force (the examples name the draft), whose
#: clauses are the office's own Indonesian text.
MORE_PAGES = {
    "staff": ["/{slug}/staff/decree/1", "/{slug}/staff/complaints/{assessing.number}",
              "/{slug}/staff/complaints/{assessing.number}/assess", "/{slug}/staff/complaints/{rated.number}"],
    "inspector": [], "operator": [],
    "citizen": ["/{slug}/pengaduan/{assessing.code}", "/{slug}/pengaduan/{rated.code}"],
}


def _crawl(visitor, urls: list[str], locale: str) -> tuple[list[str], int]:
    visitor.get(f"/locale/{locale}")
    problems, read = [], 0
    for url in urls:
        response = visitor.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        read += 1
        html = response.get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        if "<html" in html and (title is None or "<" in title.group(1) or "\n" in title.group(1).strip()):
            problems.append(f"{url} title is not a line of words: {title.group(1)[:80] if title else None!r}")
        for language, text in shown_text(html, locale).items():
            if language == NO_LANGUAGE:
                continue
            problems += [f"{url} {problem}" for problem in findings(text, language)]
    return problems, read


AUDIENCES = [("staff", role.value) for role in Role] + [("inspector", "inspector"), ("operator", "operator"),
                                                        ("citizen", None)]


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize(("audience", "who"), AUDIENCES, ids=[who or audience for audience, who in AUDIENCES])
def test_every_page_speaks_the_readers_language(app, world, new_visitor, audience, who, locale):
    visitor = new_visitor()
    if who is not None:
        visitor.login(getattr(world, who).email)
    urls = [_url(rule, world) for rule in _pages(app, audience)]
    problems, read = _crawl(visitor, urls + [url.format(slug=world.tenant.slug, assessing=world.assessing, rated=world.rated)
                                   for url in MORE_PAGES[audience]],
                            locale)
    assert read >= 3, f"only {read} pages read as {who or audience}"
    assert not problems, "\n".join(problems)
