"""The staff inbox: tabs with counts, filters, search, deadline badges, pages, and a fixed
number of queries however many complaints a page shows."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import url_for
from markupsafe import escape

from tanggap.complaints.models import Status
from tanggap import clock
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tests.complaints.helpers import by_number
from tests.statements import counted

INBOX = "/dinas-alpha/staff/complaints/"


def _numbers(response) -> list[str]:
    return re.findall(r">(DINAS-\d{4}-\d{6})</a>", response.get_data(as_text=True))


def _tab_counts(response) -> dict[str, int]:
    return {tab: int(n) for tab, n in re.findall(r'data-tab="(\w+)">(\d+)<', response.get_data(as_text=True))}


def _set(ctx, tenant_id: int, number: str, **fields) -> None:
    with ctx():
        with bound_to(db.session.get(Tenant, tenant_id)):
            complaint = by_number(number)
            for name, value in fields.items():
                setattr(complaint, name, value)
            db.session.commit()


def test_tabs_filters_search_and_badges(make, new_visitor, ctx):
    office = make.office_with_staff("dinas-alpha")
    fresh = make.complaint(office, name="Ani Wijaya")
    overdue = make.complaint(office, name="Budi Hartono", service="Surat rekomendasi")
    soon = make.complaint(office, name="Citra Lestari")
    done = make.complaint(office, name="Dedi Kurnia")
    now = clock.now()
    _set(ctx, office.tenant.id, overdue.number, due_at=now - timedelta(hours=2))
    _set(ctx, office.tenant.id, soon.number, due_at=now + timedelta(hours=3))
    _set(ctx, office.tenant.id, done.number, status=Status.WITHDRAWN)
    visitor = new_visitor()
    visitor.login(office.officer.email)

    page = visitor.get(INBOX)
    assert _numbers(page) == [overdue.number, soon.number, fresh.number]  # soonest deadline first
    assert _tab_counts(page) | {} == {"open": 3, "new": 3, "info": 0, "assessment": 0, "delivery": 0,
                                      "due_soon": 1, "overdue": 1, "finished": 1, "all": 4}
    html = page.get_data(as_text=True)
    assert html.count("due-red") == 1 and html.count("due-amber") == 1 and html.count("due-green") == 1

    assert _numbers(visitor.get(INBOX + "?tab=overdue")) == [overdue.number]
    assert _numbers(visitor.get(INBOX + "?tab=finished")) == [done.number]
    assert _numbers(visitor.get(INBOX + "?q=budi")) == [overdue.number]
    assert _numbers(visitor.get(INBOX + "?q=rekomendasi")) == [overdue.number]
    assert _numbers(visitor.get(INBOX + f"?q={fresh.number[-6:]}")) == [fresh.number]
    assert _numbers(visitor.get(INBOX + "?q=100%25")) == []  # a literal percent sign matches nothing
    assert _numbers(visitor.get(INBOX + "?sort=newest")) == [soon.number, overdue.number, fresh.number]
    assert _numbers(visitor.get(INBOX + "?component=time&tab=all")) == [overdue.number, soon.number, fresh.number, done.number]
    assert _numbers(visitor.get(INBOX + "?component=fee")) == []
    assert _numbers(visitor.get(INBOX + "?status=withdrawn&tab=all")) == [done.number]

    _set(ctx, office.tenant.id, fresh.number, assignee_id=office.officer.id)
    assert _numbers(visitor.get(INBOX + f"?assignee={office.officer.id}")) == [fresh.number]
    assert visitor.get(INBOX + "?tab=nonsense&status=nonsense&sort=nonsense&page=x").status_code == 200


def test_an_htmx_filter_gets_only_the_results(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    make.complaint(office)
    visitor = new_visitor()
    visitor.login(office.leader.email)
    fragment = visitor.get(INBOX + "?tab=all", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "inbox-table" in html and "HX-Request" in fragment.headers["Vary"]
    restore = visitor.get(INBOX, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_pages_of_twenty_five_and_a_fixed_number_of_queries(app, make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    make.complaint(office)
    visitor = new_visitor()
    visitor.login(office.officer.email)
    visitor.get(INBOX)  # warm up: log-in bookkeeping, caches
    with counted() as few:
        assert len(_numbers(visitor.get(INBOX))) == 1
    for _ in range(29):
        make.complaint(office)
    with counted() as many:
        first = visitor.get(INBOX)
    assert len(_numbers(first)) == 25 and "page=2" in first.get_data(as_text=True)
    assert len(many) == len(few), "the inbox runs a query per complaint"
    assert len(_numbers(visitor.get(INBOX + "?page=2"))) == 5
    assert _numbers(visitor.get(INBOX + "?page=9")) == []


def test_officers_and_leaders_read_complaints_admins_do_not(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    for role, status in (("officer", 200), ("leader", 200), ("admin", 403)):
        visitor = new_visitor()
        visitor.login(getattr(office, role).email)
        assert visitor.get(INBOX).status_code == status
        assert visitor.get(f"{INBOX}{filed.number}").status_code == status


def test_the_all_tab_counts_exactly_the_office_s_complaints(metro, lampung, make, ctx):
    """The count comes from the ticket counters; it must match the rows whatever happened:
    filings, a transfer (a new number at the receiving office) and a filing rolled back."""
    import uuid
    from datetime import date

    from sqlalchemy import func, select

    from tanggap.auth.models import User
    from tanggap.complaints.inbox import counts
    from tanggap.complaints.intake import Submission, submit
    from tanggap.complaints.models import Complaint
    from tanggap.complaints.transfer import transfer
    from tanggap.extensions import db
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    filed = [make.complaint(metro) for _ in range(3)]
    make.complaint(lampung)
    with ctx():
        metro_office = db.session.get(Tenant, metro.tenant.id)
        with bound_to(metro_office):
            complaint = db.session.execute(select(Complaint).where(Complaint.number == filed[0].number)).scalar_one()
            transfer(complaint, db.session.get(Tenant, lampung.tenant.id), by=db.session.get(User, metro.leader.id),
                     reason="Bukan wewenang kami.")
            db.session.commit()
            submit(metro_office, Submission(components=["time"], description="Layanan terlambat dari standar.",
                                            occurred_on=date(2026, 11, 1), name="Warga", email="w@example.org",
                                            phone=None, submission_key=uuid.uuid4().hex))
            db.session.rollback()
        now = clock.now()
        for office in (metro, lampung):
            with bound_to(db.session.get(Tenant, office.tenant.id)):
                rows = db.session.execute(select(func.count(Complaint.id))).scalar_one()
                assert counts(now)["all"] == rows == (3 if office is metro else 2)


def test_search_finds_what_the_citizen_added_afterwards(metro, file_complaint, new_visitor):
    citizen = new_visitor()
    code = file_complaint(citizen, "disdikbud-metro")
    other = file_complaint(citizen, "disdikbud-metro", description="Antrean terlalu panjang di loket legalisir.")
    track = f"/disdikbud-metro/pengaduan/{code}"
    added = citizen.submit(f"{track}/informasi", {"message": "Nomor kuitansi saya KW-7731, dari loket dua."},
                           page=track)
    assert added.status_code in (302, 303)
    leader = new_visitor()
    leader.login(metro.leader.email)
    inbox = "/disdikbud-metro/staff/complaints/"
    found = re.findall(r">(DISDIKBUD-\d{4}-\d{6})</a>", leader.get(inbox + "?tab=all&q=kw-7731").get_data(as_text=True))
    numbers = {c: re.search(r"DISDIKBUD-\d{4}-\d{6}", citizen.get(f"/disdikbud-metro/pengaduan/{c}").get_data(as_text=True)).group(0)
               for c in (code, other)}
    assert found == [numbers[code]]


def test_every_tab_counts_what_its_list_holds(make, ctx):
    """The tabs are declared once (``inbox.Tab``): the count read grouped by status agrees with
    the tab's own condition for complaints in every status, overdue, due soon and later."""
    from sqlalchemy import func, select

    from tanggap.complaints import inbox
    from tanggap.complaints.models import Complaint

    office = make.office_with_staff("dinas-alpha")
    now = clock.now()
    deadlines = (now - timedelta(hours=3), now + timedelta(hours=5), now + timedelta(days=3))
    for index, status in enumerate(Status):
        for deadline in deadlines[:1 + index % 3]:
            filed = make.complaint(office)
            _set(ctx, office.tenant.id, filed.number, status=status, due_at=deadline)
    with ctx():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            counted = inbox.counts(now)
            listed = {key: db.session.execute(select(func.count()).select_from(Complaint)
                                              .where(inbox.tab_condition(key, now))).scalar_one()
                      for key in inbox.TABS}
    assert counted == listed
    assert counted["all"] == sum(1 + index % 3 for index in range(len(Status)))
    assert 0 not in (counted["overdue"], counted["due_soon"], counted["finished"], counted["delivery"])


def test_the_deadline_tabs_follow_the_clock_from_one_request_to_the_next(make, new_visitor, ctx, travel):
    """A tab's statement is built once per process (``inbox._listed``) and the moment bound
    when asked: the next request, hours later, sees which deadlines have come and gone."""
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    start = clock.now()
    _set(ctx, office.tenant.id, filed.number, due_at=start + timedelta(hours=30))
    visitor = new_visitor()
    visitor.login(office.officer.email)
    for hours, due_soon, overdue in ((0, [], []), (7, [filed.number], []), (31, [], [filed.number]),
                                     (1, [], [])):
        travel(start + timedelta(hours=hours, minutes=1))
        assert _numbers(visitor.get(INBOX + "?tab=due_soon")) == due_soon, hours
        assert _numbers(visitor.get(INBOX + "?tab=overdue")) == overdue, hours
        assert _tab_counts(visitor.get(INBOX))["overdue"] == len(overdue), hours


def test_each_row_names_its_status_in_the_readers_language(make, new_visitor, ctx):
    office = make.office_with_staff("dinas-alpha")
    fresh, done = make.complaint(office), make.complaint(office)
    _set(ctx, office.tenant.id, done.number, status=Status.WITHDRAWN)
    visitor = new_visitor()
    visitor.login(office.officer.email)
    row = r"{}</a></td>.*?</td>.*?</td>\s*<td>([^<]+)</td>"
    for locale, new, withdrawn in (("id", "Baru", "Ditarik"), ("en", "New", "Withdrawn")):
        visitor.get(f"/locale/{locale}")
        html = visitor.get(INBOX + "?tab=all").get_data(as_text=True)
        words = [re.search(row.format(number), html, re.S).group(1) for number in (fresh.number, done.number)]
        assert words == [new, withdrawn], locale


def test_tab_and_page_links_keep_every_filter_as_url_for_writes_them(app, make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    for _ in range(26):
        make.complaint(office)
    visitor = new_visitor()
    visitor.login(office.officer.email)
    asked = {"status": "submitted", "sort": "newest", "from": "2000-01-01", "to": "2099-12-31"}
    searched = {**asked, "q": "hak & kewajiban/ö"}
    for given, pages in ((asked, True), (searched, False)):
        html = visitor.get(INBOX, query_string=given).get_data(as_text=True)
        with app.test_request_context():
            def url(**shown) -> str:
                return escape(url_for("staff_complaints.index", tenant_slug="dinas-alpha", **shown))

            filters = {"q": given.get("q"), "status": "submitted", "sort": "newest", "from": "2000-01-01",
                       "to": "2099-12-31"}
            for tab in ("open", "new", "overdue", "all"):
                assert f'href="{url(tab=tab, **filters)}"' in html, tab
            if pages:
                assert f'href="{url(tab="open", page=2, **filters)}"' in html
