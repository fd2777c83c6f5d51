"""Sanctions through HTTP: the leader decides from the ladder's suggestion (or otherwise, with
a reason), corrects by a new entry, and follows coaching to completion; admins keep the
units and officers; an officer reads their own record; every step is audited."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tanggap import clock
from tanggap.audit.models import AuditLog
from tanggap.extensions import db
from tanggap.sanctions.models import CoachingPlan, Sanction
from tests.complaints.helpers import Staff, audit_actions, errors
from tanggap.tenancy.scoping import every_office

SLUG = "disdikbud-metro"
WIB = ZoneInfo("Asia/Jakarta")


def _today() -> date:
    """Metro's today: the office's calendar, not the server's."""
    return clock.office_today("Asia/Jakarta")


def _as(new_visitor, person, locale: str = "en") -> Staff:
    visitor = new_visitor()
    visitor.login(person.email)
    visitor.get(f"/locale/{locale}")
    return Staff(visitor, SLUG)


def _upheld_against(make, office, officer_id: int):
    from tanggap.complaints.models import Complaint
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    filed = make.complaint(office, upheld=True)
    with make.ctx():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            db.session.get(Complaint, filed.id).assessment.responsible_officer_id = officer_id
            db.session.commit()
    return filed


def _decision(**fields) -> dict:
    return {"officer": "", "code": "reprimand", "decided_on": _today().isoformat(),
            "reasoning": "Petugas tidak menjelaskan tarif resmi.", "deviation_reason": "",
            "coaching_description": "", "coaching_due_on": ""} | fields


def test_first_upheld_complaint_suggests_a_reprimand_then_coaching(metro, make, new_visitor, ctx):
    leader = _as(new_visitor, metro.leader)
    first = _upheld_against(make, metro, metro.officer_id)
    page = leader.visitor.get(leader.url(first.number, "sanction")).get_data(as_text=True)
    assert "Suggested: Reprimand. This is upheld complaint number 1" in page
    decided = leader.act(first.number, "sanction", _decision(officer=str(metro.officer_id)))
    assert decided.status_code == 303, errors(decided)
    shown = leader.page(first.number).get_data(as_text=True)
    assert "Reprimand" in shown and "Budi Santoso" in shown

    second = _upheld_against(make, metro, metro.officer_id)
    page = leader.visitor.get(leader.url(second.number, "sanction")).get_data(as_text=True)
    assert "Suggested: Coaching. This is upheld complaint number 2" in page
    no_plan = leader.act(second.number, "sanction", _decision(officer=str(metro.officer_id), code="coaching"))
    assert no_plan.status_code == 422 and "Describe the coaching plan." in errors(no_plan)
    otherwise = leader.act(second.number, "sanction", _decision(officer=str(metro.officer_id), code="reprimand"))
    assert otherwise.status_code == 422 and "You chose otherwise than suggested: say why." in errors(otherwise)
    assert "Petugas tidak menjelaskan tarif resmi." in otherwise.get_data(as_text=True)  # kept
    due = (_today() + timedelta(days=30)).isoformat()
    coached = leader.act(second.number, "sanction", _decision(
        officer=str(metro.officer_id), code="coaching", coaching_description="Pelatihan standar pelayanan",
        coaching_due_on=due))
    assert coached.status_code == 303
    with ctx():
        sanctions = db.session.execute(every_office(select(Sanction).order_by(Sanction.id))).scalars().all()
        assert [(s.code, s.suggested_code) for s in sanctions] == [("reprimand", "reprimand"), ("coaching", "coaching")]
        plan = db.session.execute(every_office(select(CoachingPlan))).scalar_one()
        assert plan.description == "Pelatihan standar pelayanan" and plan.completed_on is None
        assert audit_actions(metro.tenant.id).count("sanction.decided") == 2
    again = leader.act(second.number, "sanction", _decision(officer=str(metro.officer_id)))
    assert again.status_code == 303 and "/correct" in again.headers["Location"]


def test_a_correction_is_a_new_entry_and_the_original_stays(metro, make, new_visitor, ctx):
    leader = _as(new_visitor, metro.leader)
    done = make.sanctioned(metro, metro.officer_id)
    url = f"/{SLUG}/staff/sanctions/{done.sanction_id}/correct"
    missing = leader.visitor.submit(url, _decision(officer=str(metro.officer_id), code="coaching",
                                                   deviation_reason="x", coaching_description="Magang",
                                                   coaching_due_on=_today().isoformat()))
    assert missing.status_code == 422 and "Say why the sanction is corrected." in errors(missing)
    corrected = leader.visitor.submit(url, _decision(
        officer=str(metro.officer_id), code="coaching", deviation_reason="Pelanggaran berulang.",
        coaching_description="Magang di loket teladan", coaching_due_on=_today().isoformat(),
        correction_reason="Teguran tidak sepadan dengan dampaknya."))
    assert corrected.status_code == 303, errors(corrected)
    with ctx():
        old, new = db.session.execute(every_office(select(Sanction).order_by(Sanction.id))).scalars().all()
        assert (old.code, old.reasoning) == ("reprimand", "Terbukti lalai.")  # unchanged
        assert new.supersedes_id == old.id and new.code == "coaching" and not old.current and new.current
        entry = db.session.execute(select(AuditLog).where(AuditLog.action == "sanction.corrected")).scalar_one()
        assert entry.before["code"] == "reprimand" and entry.after["code"] == "coaching"
        assert entry.after["correction_reason"] == "Teguran tidak sepadan dengan dampaknya."
    assert leader.visitor.get(url).headers["Location"].endswith(f"/sanctions/{new.id}/correct")
    page = leader.page(done.complaint.number).get_data(as_text=True)
    assert "Corrected once" in page and "Coaching" in page


def test_coaching_is_followed_to_completion(metro, make, new_visitor, ctx):
    leader = _as(new_visitor, metro.leader)
    done = make.sanctioned(metro, metro.officer_id, code="coaching")
    url = f"/{SLUG}/staff/sanctions/{done.sanction_id}/coaching"
    assert "Pelatihan pelayanan prima" in leader.visitor.get(f"/{SLUG}/staff/sanctions/").get_data(as_text=True)
    future = leader.visitor.submit(url, {"completed_on": (_today() + timedelta(days=2)).isoformat()})
    assert future.status_code == 422
    assert "The completion date must lie between the decision and today." in errors(future)
    assert leader.visitor.submit(url, {"completed_on": _today().isoformat(), "note": "Lulus."}).status_code == 303
    with ctx():
        plan = db.session.execute(every_office(select(CoachingPlan))).scalar_one()
        assert plan.completed_on == _today() and plan.completion_note == "Lulus."
        assert "sanction.coaching_completed" in audit_actions(metro.tenant.id)
    assert leader.visitor.submit(url, {"completed_on": _today().isoformat()}).status_code == 422


def test_coaching_completes_today_in_the_small_hours_of_the_office(metro, make, new_visitor, ctx, travel):
    """03:00 WIB on 2 December is still 1 December in UTC: the office's today is the 2nd, and
    the form's own default date (the office's today) is accepted."""
    travel(datetime(2026, 12, 2, 3, 0, tzinfo=WIB))
    leader = _as(new_visitor, metro.leader)
    done = make.sanctioned(metro, metro.officer_id, code="coaching")
    url = f"/{SLUG}/staff/sanctions/{done.sanction_id}/coaching"
    assert 'value="2026-12-02"' in leader.visitor.get(url).get_data(as_text=True)
    completed = leader.visitor.submit(url, {"completed_on": "2026-12-02", "note": "Lulus."})
    assert completed.status_code == 303, errors(completed)
    with ctx():
        plan = db.session.execute(every_office(select(CoachingPlan))).scalar_one()
        assert plan.completed_on == date(2026, 12, 2)


def test_a_sanction_is_dated_between_the_assessment_and_the_office_today(metro, make, new_visitor, ctx,
                                                                         travel):
    travel(datetime(2027, 1, 1, 0, 20, tzinfo=WIB))  # 31 December in UTC
    leader = _as(new_visitor, metro.leader)
    filed = _upheld_against(make, metro, metro.officer_id)
    page = leader.visitor.get(leader.url(filed.number, "sanction")).get_data(as_text=True)
    assert 'value="2027-01-01"' in page  # the office's today is the default
    for day in ("2027-01-02", "2026-12-31"):  # the future, and before the assessment
        refused = leader.act(filed.number, "sanction", _decision(officer=str(metro.officer_id), decided_on=day))
        assert refused.status_code == 422
        assert "The decision date must lie between the assessment and today." in errors(refused)
    decided = leader.act(filed.number, "sanction", _decision(officer=str(metro.officer_id), decided_on="2027-01-01"))
    assert decided.status_code == 303, errors(decided)


def test_the_ladder_counts_decisions_by_the_office_calendar(metro, make, new_visitor, travel):
    """A year's window: a decision at noon WIB on 1 December 2025 lies outside the window of
    one at 00:30 WIB on 1 December 2026 (still 30 November in UTC, where it would lie inside)."""
    travel(datetime(2025, 12, 1, 12, 0, tzinfo=WIB))
    _upheld_against(make, metro, metro.officer_id)
    travel(datetime(2026, 12, 1, 0, 30, tzinfo=WIB))
    second = _upheld_against(make, metro, metro.officer_id)
    leader = _as(new_visitor, metro.leader)
    page = leader.visitor.get(leader.url(second.number, "sanction")).get_data(as_text=True)
    assert "Suggested: Reprimand. This is upheld complaint number 1" in page


@pytest.mark.parametrize(("role", "path", "expected"), [
    ("leader", "sanctions/", 200), ("admin", "sanctions/", 200), ("officer", "sanctions/", 403),
    ("leader", "sanctions/ladder", 403), ("admin", "sanctions/ladder", 200),
    ("admin", "units/new", 200), ("leader", "units/new", 403), ("officer", "units/new", 403),
    ("admin", "officers/new", 200), ("officer", "officers/new", 403),
    ("officer", "units/", 200),
])
def test_who_may_open_which_page(metro, new_visitor, role, path, expected):
    assert _as(new_visitor, getattr(metro, role)).visitor.get(f"/{SLUG}/staff/{path}").status_code == expected


def test_only_leaders_decide(metro, make, new_visitor):
    filed = _upheld_against(make, metro, metro.officer_id)
    for role in ("officer", "admin"):
        staff = _as(new_visitor, getattr(metro, role))
        assert staff.act(filed.number, "sanction", _decision(officer=str(metro.officer_id))).status_code == 403


def test_an_officer_reads_their_own_record_and_no_one_elses(metro, make, new_visitor):
    own = make.officer(metro, name="Sari Dewi", user_id=metro.officer.id)
    make.sanctioned(metro, own.id)
    officer = _as(new_visitor, metro.officer)
    record = officer.visitor.get(f"/{SLUG}/staff/officers/{own.id}")
    assert record.status_code == 200 and "Reprimand" in record.get_data(as_text=True)
    assert officer.visitor.get(f"/{SLUG}/staff/officers/{metro.officer_id}").status_code == 403
    units = officer.visitor.get(f"/{SLUG}/staff/units/").get_data(as_text=True)
    assert "Budi Santoso" in units and "19800101" not in units  # names yes, NIP no
    leader = _as(new_visitor, metro.leader)
    assert "19800101" in leader.visitor.get(f"/{SLUG}/staff/units/").get_data(as_text=True)
    assert leader.visitor.get(f"/{SLUG}/staff/officers/{metro.officer_id}").status_code == 200


def test_a_rejected_complaint_cannot_lead_to_a_sanction(metro, make, new_visitor):
    filed = make.complaint(metro)
    leader = _as(new_visitor, metro.leader)
    leader.act(filed.number, "accept")
    leader.act(filed.number, "assess", {"upheld": "no", "reasoning": "Tidak terbukti.", "explanation": "Sesuai.",
                                        "confirm": "1"})
    response = leader.visitor.get(leader.url(filed.number, "sanction"))
    assert response.status_code == 303
    assert "Only an upheld complaint" in leader.page(filed.number).get_data(as_text=True)


def test_admin_keeps_units_and_officers_with_an_audit_trail(metro, new_visitor, ctx):
    admin = _as(new_visitor, metro.admin)
    base = f"/{SLUG}/staff"
    assert admin.visitor.submit(f"{base}/units/new", {"name": "Layanan Mutasi Siswa", "active": "y"}).status_code == 303
    clash = admin.visitor.submit(f"{base}/units/new", {"name": "Layanan Mutasi Siswa", "active": "y"})
    assert clash.status_code == 422 and "There is already a unit with this name." in errors(clash)
    empty = admin.visitor.submit(f"{base}/officers/new", {"name": "", "nip": "123"})
    assert empty.status_code == 422 and 'value="123"' in empty.get_data(as_text=True)
    assert admin.visitor.submit(f"{base}/officers/new", {
        "name": "Rudi Hartono", "nip": "19900202 201501 1 002", "position": "Operator", "unit": "", "user": "",
        "active": "y"}).status_code == 303
    page = admin.visitor.get(f"{base}/units/").get_data(as_text=True)
    assert "Layanan Mutasi Siswa" in page and "Rudi Hartono" in page
    with ctx():
        actions = audit_actions(metro.tenant.id)
        assert "unit.created" in actions and "officer.created" in actions


def test_the_admin_sets_the_ladder_and_the_suggestion_follows(metro, make, new_visitor):
    admin = _as(new_visitor, metro.admin)
    url = f"/{SLUG}/staff/sanctions/ladder"
    steps = {"window_months": "6", "steps-0-start": "1", "steps-0-sanction": "coaching",
             "steps-1-start": "1", "steps-1-sanction": "reprimand"}
    clash = admin.visitor.submit(url, steps)
    assert clash.status_code == 422 and "Each step needs its own number, from 1 up." in errors(clash)
    assert admin.visitor.submit(url, steps | {"steps-1-start": "", "steps-1-sanction": ""}).status_code == 303
    filed = _upheld_against(make, metro, metro.officer_id)
    leader = _as(new_visitor, metro.leader)
    page = leader.visitor.get(leader.url(filed.number, "sanction")).get_data(as_text=True)
    assert "Suggested: Coaching. This is upheld complaint number 1 against this officer in 6 months." in page


def test_unit_page_counts_and_officers_never_on_public_pages(metro, make, new_visitor, visitor):
    filed = make.sanctioned(metro, metro.officer_id)
    from tanggap.complaints.models import Complaint
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    with make.ctx():
        with bound_to(db.session.get(Tenant, metro.tenant.id)):
            db.session.get(Complaint, filed.complaint.id).unit_id = metro.unit_id
            db.session.commit()
    page = _as(new_visitor, metro.officer).visitor.get(f"/{SLUG}/staff/units/{metro.unit_id}").get_data(as_text=True)
    assert 'id="count-complaints">1<' in page and 'id="count-upheld">1<' in page
    assert "Reprimand: 1" in page  # the sanction by name, not its code
    tracking = visitor.get(f"/{SLUG}/pengaduan/{filed.complaint.code}").get_data(as_text=True)
    assert "Budi Santoso" not in tracking and "19800101" not in tracking


def test_a_complaints_sanction_and_coaching_plan_are_read_only_by_leaders_and_the_officer_concerned(
        metro, make, new_visitor):
    """Issue 17, item 9: a colleague's sanction and coaching plan were on the complaint's page for
    every officer. Now leaders see them, the officer concerned sees their own, other officers
    see no sanction section at all."""
    from tanggap.auth.models import Role

    concerned = make.officer(metro, name="Sari Dewi", user_id=metro.officer.id)
    sanctioned = make.sanctioned(metro, concerned.id, code="coaching")
    number = sanctioned.complaint.number
    colleague = make.member(metro.tenant, Role.OFFICER, "rekan@disdikbud-metro.example")

    def page(person) -> str:
        staff = _as(new_visitor, person)
        response = staff.page(number)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    for reader in (metro.leader, metro.officer):
        html = page(reader)
        assert 'id="sanction-title"' in html and "Pelatihan pelayanan prima" in html and "Terbukti lalai." in html
    other = page(colleague)
    assert 'id="sanction-title"' not in other
    assert "Pelatihan pelayanan prima" not in other and "Terbukti lalai." not in other and "Coaching" not in other
    assert "Decide the sanction" not in other
