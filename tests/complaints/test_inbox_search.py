"""The inbox's search and its counts: Indonesian words by their stems (PostgreSQL), parts of
ticket numbers and names, what the citizen added later, never another office's complaints;
a list counted only so far says "more than"; and the inbox's statements stay few."""

from __future__ import annotations

import re

import pytest

from tanggap.complaints import inbox
from tanggap.extensions import db
from tests.complaints.test_inbox import _numbers
from tests.conftest import ON_POSTGRES
from tests.statements import counted

INBOX = "/dinas-alpha/staff/complaints/"
OTHER = "/dinas-beta/staff/complaints/"


def _on_postgresql(ctx) -> bool:
    with ctx():
        return db.engine.dialect.name == "postgresql"


def _found(visitor, words: str, inbox_url: str = INBOX) -> list[str]:
    return _numbers(visitor.get(inbox_url + f"?tab=all&q={words}"))


@pytest.fixture
def offices(make):
    return make.office_with_staff("dinas-alpha"), make.office_with_staff("dinas-beta")


def test_parts_of_numbers_names_and_words_are_found_in_this_office_only(offices, make, new_visitor):
    alpha, beta = offices
    budi = make.complaint(alpha, name="Budi Hartono", description="Antrean di loket legalisir terlalu panjang.")
    siti = make.complaint(alpha, name="Siti Rahayu", description="Biaya surat keterangan tidak sesuai tarif.",
                          service="Surat keterangan domisili")
    # The other office's complaint holds every word searched for below.
    make.complaint(beta, name="Budi Hartono", description="Antrean legalisir; biaya domisili; Rahayu.")
    leader = new_visitor()
    leader.login(alpha.leader.email)
    assert _found(leader, "harto") == [budi.number]  # part of a name, any case
    assert _found(leader, "LEGALISIR") == [budi.number]
    assert _found(leader, "domisili") == [siti.number]  # the service
    assert _found(leader, siti.number[-4:]) == [siti.number]  # part of the ticket number
    assert _found(leader, siti.number.lower()) == [siti.number]
    assert _found(leader, "zzz-tidak-ada") == []
    assert _found(leader, "50%25") == []  # a percent sign is a character, not a wildcard
    assert _found(leader, "_") == []


def test_what_the_citizen_added_later_is_found(metro, lampung, file_complaint, new_visitor):
    citizen = new_visitor()
    code = file_complaint(citizen, "disdikbud-metro")
    file_complaint(citizen, "disdikbud-metro", description="Antrean terlalu panjang di loket legalisir.")
    elsewhere = file_complaint(citizen, "dinsos-lampung")
    for slug, tracking in (("disdikbud-metro", code), ("dinsos-lampung", elsewhere)):
        track = f"/{slug}/pengaduan/{tracking}"
        added = citizen.submit(f"{track}/informasi", {"message": "Kuitansi pembayaran nomor KW-99812 terlampir."},
                               page=track)
        assert added.status_code in (302, 303)
    number = re.search(r"DISDIKBUD-\d{4}-\d{6}",
                       citizen.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)).group(0)
    leader = new_visitor()
    leader.login(metro.leader.email)
    inbox_url = "/disdikbud-metro/staff/complaints/"
    found = re.findall(r">(DISDIKBUD-\d{4}-\d{6})</a>", leader.get(inbox_url + "?tab=all&q=kw-99812").get_data(as_text=True))
    assert found == [number]
    found = re.findall(r">(DISDIKBUD-\d{4}-\d{6})</a>", leader.get(inbox_url + "?tab=all&q=kuitansi").get_data(as_text=True))
    assert found == [number]


def test_indonesian_words_are_found_by_their_stems(offices, make, new_visitor, ctx):
    """PostgreSQL's ``indonesian`` configuration: "pelayanan" and "dilayani" share the stem
    *layan*; neither is part of the other, so LIKE alone would miss it."""
    if not _on_postgresql(ctx):
        pytest.skip("stems come from PostgreSQL's text search; SQLite matches the text as typed")
    alpha, beta = offices
    served = make.complaint(alpha, name="Ani Wijaya", description="Saya tidak dilayani petugas selama dua jam.")
    make.complaint(alpha, name="Dedi", description="Biaya legalisir diminta dua kali.")
    make.complaint(beta, name="Ani", description="Saya tidak dilayani petugas.")
    leader = new_visitor()
    leader.login(alpha.leader.email)
    assert _found(leader, "pelayanan") == [served.number]
    assert _found(leader, "melayani") == [served.number]


def test_the_sqlite_fallback_matches_the_text_as_typed(offices, make, new_visitor, ctx):
    if _on_postgresql(ctx):
        pytest.skip("SQLite's way")
    alpha, _beta = offices
    served = make.complaint(alpha, description="Saya tidak dilayani petugas selama dua jam.")
    leader = new_visitor()
    leader.login(alpha.leader.email)
    assert _found(leader, "dilayani") == [served.number]
    assert _found(leader, "layani petugas") == [served.number]
    assert _found(leader, "pelayanan") == []


def test_another_office_s_staff_get_404_and_find_nothing_of_it(offices, make, new_visitor):
    alpha, beta = offices
    make.complaint(alpha, name="Rahasia Alpha")
    outsider = new_visitor()
    outsider.login(beta.leader.email)
    assert outsider.get(INBOX + "?tab=all&q=rahasia").status_code == 404
    assert _found(outsider, "rahasia", OTHER) == []


def test_a_list_counted_only_so_far_says_more_than(offices, make, new_visitor, monkeypatch):
    alpha, _beta = offices
    for _ in range(5):
        make.complaint(alpha, name="Warga Sama")
    monkeypatch.setattr(inbox, "PER_PAGE", 2)
    monkeypatch.setattr(inbox, "COUNTED_UP_TO", 3)
    leader = new_visitor()
    leader.login(alpha.leader.email)
    html = leader.get(INBOX + "?tab=all&q=sama").get_data(as_text=True)
    assert len(_numbers_of(html)) == 2
    assert "lebih dari 3" in html and "page=2" in html  # "more than 3": the count stopped there
    # Unnarrowed, the tab's own (exact) count is the total.
    html = leader.get(INBOX + "?tab=all").get_data(as_text=True)
    assert "seluruhnya 5" in html and "lebih dari" not in html
    # The last page needs no count: it says how many there are.
    monkeypatch.setattr(inbox, "COUNTED_UP_TO", 100)
    html = leader.get(INBOX + "?tab=all&q=sama&page=3").get_data(as_text=True)
    assert len(_numbers_of(html)) == 1 and "Halaman 3 dari 3" in html


def _numbers_of(html: str) -> list[str]:
    return re.findall(r">(DINAS-\d{4}-\d{6})</a>", html)


#: The inbox's statements, counted (PostgreSQL's per-transaction tenant declaration is sent
#: by the driver and not counted). They may fall; they must not creep back up. The office with
#: its region, the user with their offices and regions, the tab counts, the page and the
#: handlers to filter by: 5 (10 before the region, the offices and the regions came in the
#: statements that need them; 7 before the version in force and the units were kept under
#: the office's revision).
DEFAULT_STATEMENTS = 5
FILTERED_STATEMENTS = 6 if ON_POSTGRES else 5  # a search reads its matching ids first (PostgreSQL)


def test_the_inbox_runs_a_fixed_small_number_of_statements(app, offices, make, new_visitor):
    alpha, _beta = offices
    for index in range(30):
        make.complaint(alpha, name=f"Warga {index}", components=("time",) if index % 2 else ("fee",))
    leader = new_visitor()
    leader.login(alpha.leader.email)
    leader.get(INBOX)  # warm up: log-in bookkeeping
    with counted() as default:
        assert len(_numbers(leader.get(INBOX))) == 25
    with counted() as filtered:
        assert len(_numbers(leader.get(INBOX + "?tab=all&component=time&sort=newest&q=warga&page=1"))) == 15
    with counted() as paged:
        assert len(_numbers(leader.get(INBOX + "?tab=all&component=fee&q=warga&status=submitted"))) == 15
    assert len(_queries(default)) <= DEFAULT_STATEMENTS, default
    assert len(_queries(filtered)) <= FILTERED_STATEMENTS, filtered
    assert len(_queries(paged)) <= FILTERED_STATEMENTS, paged


def test_a_search_with_more_than_a_page_counts_its_matches_on_the_page_s_own_statement(app, offices, make,
                                                                                         new_visitor):
    """A search's matches are read whole to be ordered; on PostgreSQL (a list of their ids)
    the page counts them as it reads them, so no second statement reads them again. Its
    total and its next page are what counting apart gave."""
    alpha, _beta = offices
    for index in range(30):
        make.complaint(alpha, name=f"Warga {index}")
    make.complaint(alpha, name="Agus")
    leader = new_visitor()
    leader.login(alpha.leader.email)
    leader.get(INBOX)  # warm up: log-in bookkeeping
    with counted() as searched:
        first = leader.get(INBOX + "?tab=all&q=warga").get_data(as_text=True)
    assert len(_numbers_of(first)) == 25 and "seluruhnya 30" in first and "Halaman 1 dari 2" in first
    second = leader.get(INBOX + "?tab=all&q=warga&page=2").get_data(as_text=True)
    assert len(_numbers_of(second)) == 5 and "seluruhnya 30" in second
    assert not set(_numbers_of(first)) & set(_numbers_of(second))
    # The office and user, the tab counts, the matches (PostgreSQL), the page, and the
    # handlers; SQLite's LIKE has no list of matches and counts apart.
    assert len(_queries(searched)) <= 6, searched


def _queries(statements: list[str]) -> list[str]:
    """Leaves out the savepoints of the suite's own per-test transaction."""
    return [s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]


@pytest.mark.parametrize(("name", "words"), [("Rina Marlina", "marlina"), ("Budi Hartono", "harto")])
def test_words_in_most_complaints_are_found_row_by_row_with_the_same_answer(offices, make, new_visitor, monkeypatch,
                                                                             name, words):
    """Past ``CANDIDATES`` matches the ids are not listed; the answer must not change, whether
    the stems found them ("marlina") or only the text as typed ("harto": no stem holds it)."""
    from tanggap.complaints import search

    alpha, beta = offices
    mine = {make.complaint(alpha, name=name).number for _ in range(3)}
    make.complaint(alpha, name="Agus")
    make.complaint(beta, name=name)
    leader = new_visitor()
    leader.login(alpha.leader.email)
    listed = set(_found(leader, words))
    monkeypatch.setattr(search, "CANDIDATES", 1)
    assert set(_found(leader, words)) == listed == mine


@pytest.mark.skipif(not ON_POSTGRES, reason="the driver prepares statements on PostgreSQL only")
def test_a_search_is_planned_for_its_words_however_often_a_connection_asks_it(offices, make, ctx):
    """The driver prepares a statement it has run five times, and PostgreSQL then plans it once
    for any parameters; a search's best plan depends on its words, so they are written into
    the statement, and what the connection keeps prepared names them."""
    from sqlalchemy import select, text

    from tanggap.complaints import search
    from tanggap.complaints.models import Complaint
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    alpha, _ = offices
    rina = make.complaint(alpha, name="Rina O'Marlina \\ 100%")
    with ctx():
        with bound_to(db.session.get(Tenant, alpha.tenant.id)):
            for words in ["marlina"] * 8 + ["o'marlina \\ 100%"] * 8:
                kind, values = search.matching(words)
                found = db.session.execute(select(Complaint.number).where(search.condition(kind)), values).scalars().all()
                assert found == [rina.number], words
            prepared = db.session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
    searches = [statement for statement in prepared if "office_complaint_search" in statement]
    assert searches, "nothing was prepared: the driver prepares after five runs"
    assert all("marlina" in statement.lower() for statement in searches), searches
