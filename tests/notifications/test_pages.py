"""The bell, the list, marking read; the admin's channel and alert settings; the operator's jobs page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tanggap.alerts.sweep import sweep
from tanggap.auth.models import Membership
from tanggap.complaints.models import Complaint
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office
from tests.complaints.helpers import audit_actions, errors


def _overdue(make, ctx, office):
    filed = make.complaint(office)
    with ctx():
        due = db.session.execute(every_office(select(Complaint.due_at).where(Complaint.id == filed.id))).scalar_one()
        sweep(now=due + timedelta(minutes=1))
    return filed


def test_the_bell_counts_unread_and_marking_read_clears_it(make, ctx, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    filed = _overdue(make, ctx, office)
    leader = new_visitor()
    leader.login(office.leader.email)
    leader.get("/locale/en")
    bell = leader.get("/dinas-alpha/staff/notifications/bell").get_data(as_text=True)
    assert 'id="bell-count">1<' in bell
    listing = leader.get("/dinas-alpha/staff/notifications/").get_data(as_text=True)
    assert f"[{filed.number}] Batas waktu telah lewat" in listing  # written in the recipient's language
    assert leader.submit("/dinas-alpha/staff/notifications/read", {},
                         page="/dinas-alpha/staff/notifications/").status_code == 303
    assert "bell-count" not in leader.get("/dinas-alpha/staff/notifications/bell").get_data(as_text=True)
    officer = new_visitor()
    officer.login(office.officer.email)  # not assigned, not a leader: heard nothing
    assert "bell-count" not in officer.get("/dinas-alpha/staff/notifications/bell").get_data(as_text=True)


def test_staff_are_told_when_a_complaint_is_assigned_to_them(make, ctx, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    leader = new_visitor()
    leader.login(office.leader.email)
    leader.submit(f"/dinas-alpha/staff/complaints/{filed.number}/assign",
                  {"unit": "", "assignee": str(office.officer.id)}, page=f"/dinas-alpha/staff/complaints/{filed.number}")
    officer = new_visitor()
    officer.login(office.officer.email)
    assert 'id="bell-count">1<' in officer.get("/dinas-alpha/staff/notifications/bell").get_data(as_text=True)
    assert "Ditugaskan kepada Anda" in officer.get("/dinas-alpha/staff/notifications/").get_data(as_text=True)


def test_only_the_admin_configures_channels_and_alerts(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    for role, status in (("admin", 200), ("leader", 403), ("officer", 403)):
        visitor = new_visitor()
        visitor.login(getattr(office, role).email)
        assert visitor.get("/dinas-alpha/staff/notifications/settings").status_code == status
        assert visitor.get("/dinas-alpha/staff/alerts/settings").status_code == status


def test_the_admin_sets_alert_points_and_the_head_of_office(make, ctx, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    admin.get("/locale/en")
    url = "/dinas-alpha/staff/alerts/settings"
    with ctx():
        leader_membership = db.session.execute(select(Membership.id).where(Membership.user_id == office.leader.id)).scalar_one()
    bad = admin.submit(url, {"points-0-when": "150% of the time"})
    assert bad.status_code == 422 and "A share of the time is more than 0 and less than 100 per cent." in errors(bad)
    saved = admin.submit(url, {"points-0-when": "6 hours before", "points-1-when": "48 hours after the deadline",
                               "points-1-escalate": "y", "heads": [str(leader_membership)], "digest_hour": "7"})
    assert saved.status_code == 303, errors(saved)
    filed = make.complaint(office)
    with ctx():
        due = db.session.execute(every_office(select(Complaint.due_at).where(Complaint.id == filed.id))).scalar_one()
        assert sweep(now=due - timedelta(hours=7)).alerts == 0
        assert sweep(now=due - timedelta(hours=6)).alerts == 1
        assert sweep(now=due + timedelta(hours=47)).alerts == 0
        assert sweep(now=due + timedelta(hours=48)).alerts == 1
        assert "alerts.settings_changed" in audit_actions(office.tenant.id)
        assert db.session.execute(select(Membership.head_of_office).where(Membership.id == leader_membership)).scalar_one()


def test_only_operators_see_the_jobs_page(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    make.user("ops@example.org", is_operator=True)
    staff = new_visitor()
    staff.login(office.admin.email)
    assert staff.get("/platform/jobs").status_code == 404
    anonymous = new_visitor()
    assert anonymous.get("/platform/jobs").status_code == 302
    operator = new_visitor()
    operator.login("ops@example.org")
    page = operator.get("/platform/jobs")
    assert page.status_code == 200 and 'id="backlog">0<' in page.get_data(as_text=True)
