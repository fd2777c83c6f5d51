"""The staff home shows what needs this person now, each count equal to the rows its link
shows in the inbox; an office admin gets the office's set-up instead, and no complaint."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tanggap.auth.models import User
from tanggap.complaints import lifecycle
from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tests.complaints.helpers import by_number

WIB = ZoneInfo("Asia/Jakarta")
HOME = "/dinas-alpha/staff/"


def needs(page: str) -> dict[str, tuple[int, str]]:
    """Each list on the home: its count and the inbox link behind the count."""
    found = re.findall(r'data-need="(\w+)".*?<a href="([^"]+)" class="need-count[^"]*" data-count="(\d+)"', page, re.S)
    return {key: (int(count), html.unescape(link)) for key, link, count in found}


def rows(page: str) -> int:
    table = re.search(r'<tbody>(.*?)</tbody>', page, re.S)
    return 0 if table is None else table.group(1).count("<tr>")


def _step(ctx, office, number: str, action: lifecycle.Action, **fields) -> None:
    with ctx():
        tenant = db.session.get(Tenant, office.tenant.id)
        with bound_to(tenant):
            complaint = db.session.get(Complaint, by_number(number).id)
            for name, value in fields.items():
                setattr(complaint, name, value)
            lifecycle.apply(complaint, action, by=db.session.get(User, office.leader.id))
            db.session.commit()


def _office_at_work(make, ctx, travel):
    """Filed over three days: two new, one overdue, one due soon, one being assessed, one to deliver."""
    start = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)
    travel(start)
    office = make.office_with_staff("dinas-alpha")
    overdue = make.complaint(office)
    travel(start + timedelta(hours=2))
    upheld = make.complaint(office, upheld=True)
    with ctx():
        tenant = db.session.get(Tenant, office.tenant.id)
        with bound_to(tenant):
            db.session.get(Complaint, upheld.id).assignee_id = office.officer.id
            db.session.commit()
    travel(start + timedelta(hours=30))
    assessed = make.complaint(office)
    _step(ctx, office, assessed.number, lifecycle.Action.ACCEPT)
    travel(start + timedelta(hours=40))
    fresh = [make.complaint(office), make.complaint(office)]
    travel(start + timedelta(hours=60))  # the first is 12 hours overdue, the third due in 18 hours
    return office, {"overdue": overdue, "upheld": upheld, "assessed": assessed, "fresh": fresh}


def test_a_leaders_home_counts_what_the_inbox_shows(make, ctx, new_visitor, travel):
    office, filed = _office_at_work(make, ctx, travel)
    leader = new_visitor()
    leader.login(office.leader.email)
    page = leader.get(HOME).get_data(as_text=True)
    found = needs(page)
    assert set(found) == {"new", "overdue", "due_soon", "assess"}  # a leader delivers nothing
    assert {key: count for key, (count, _link) in found.items()} == {"new": 3, "overdue": 2, "due_soon": 1,
                                                                      "assess": 1}
    for key, (count, link) in found.items():
        inbox = leader.get(link)
        assert inbox.status_code == 200 and rows(inbox.get_data(as_text=True)) == count, key
    assert filed["assessed"].number in page and filed["fresh"][0].number in page
    assert "role-matrix" not in page and "Tim kantor" not in page  # work, not the team and its permissions


def test_an_officers_home_lists_what_they_deliver(make, ctx, new_visitor, travel):
    office, filed = _office_at_work(make, ctx, travel)
    officer = new_visitor()
    officer.login(office.officer.email)
    found = needs(officer.get(HOME).get_data(as_text=True))
    assert set(found) == {"new", "overdue", "due_soon", "deliver"}
    count, link = found["deliver"]
    assert count == 1 and f"assignee={office.officer.id}" in link
    assert filed["upheld"].number in officer.get(link).get_data(as_text=True)
    leader = new_visitor()
    leader.login(office.leader.email)
    # The same link opened by someone else: the officer's deliveries, not the reader's own.
    assert rows(leader.get(link).get_data(as_text=True)) == 1


def test_an_admins_home_is_the_offices_set_up_with_no_complaint(make, ctx, new_visitor, travel):
    office, filed = _office_at_work(make, ctx, travel)
    admin = new_visitor()
    admin.login(office.admin.email)
    page = admin.get(HOME).get_data(as_text=True)
    assert needs(page) == {}
    assert "/staff/complaints" not in page and filed["overdue"].number not in page
    assert 'id="office-work"' in page and 'href="/dinas-alpha/staff/alerts/settings"' in page
    assert 'id="no-head-warning"' in page
    staff = admin.get("/dinas-alpha/staff/settings/staff").get_data(as_text=True)
    assert "role-matrix" in staff and office.leader.email in staff  # the team and who may do what live here


def test_an_office_with_nothing_to_do_says_so(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    leader = new_visitor()
    leader.login(office.leader.email)
    page = leader.get(HOME).get_data(as_text=True)
    assert all(count == 0 for count, _link in needs(page).values())
    assert page.count("Tidak ada untuk saat ini.") == 4
