"""The lifecycle table is the only way a status changes: every step it allows works, every
other step is refused and changes nothing, through the module and through HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tanggap import clock
from tanggap.audit.models import AuditLog
from tanggap.auth.models import User
from tanggap.complaints import lifecycle
from tanggap.complaints.lifecycle import TRANSITIONS, Action, IllegalTransition
from tanggap.complaints.models import FINISHED, ComplaintEvent, Status
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tests.complaints.helpers import Staff, by_number

#: DESIGN.md's table, written out again by hand: the code must agree with the document.
DESIGNED = {
    Action.ACCEPT: ({"submitted"}, "in_assessment"),
    Action.REQUEST_INFO: ({"submitted", "in_assessment"}, "info_requested"),
    Action.ANSWER: ({"info_requested"}, "submitted"),
    Action.REFER: ({"submitted", "in_assessment"}, "not_competent"),
    Action.TRANSFER: ({"submitted", "in_assessment"}, "transferred"),
    Action.UPHOLD: ({"in_assessment"}, "upheld"),
    Action.REJECT: ({"in_assessment"}, "rejected"),
    Action.COMPENSATE: ({"upheld"}, "compensated"),
    Action.CLOSE: ({"compensated", "rejected"}, "closed"),
    # Until the office has decided: after that the decision stands and only closing ends it.
    Action.WITHDRAW: ({"submitted", "info_requested", "in_assessment"}, "withdrawn"),
    Action.REOPEN: ({"closed", "not_competent"}, None),
}


def test_the_transition_table_is_the_designed_one():
    assert {action: ({s.value for s in t.sources}, t.target.value if t.target else None)
            for action, t in TRANSITIONS.items()} == DESIGNED
    assert {Status.CLOSED, Status.NOT_COMPETENT, Status.TRANSFERRED, Status.WITHDRAWN} == FINISHED


STAFF_ACTIONS = [a for a in Action if TRANSITIONS[a].permission is not None]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_every_step_outside_the_table_is_refused_and_changes_nothing(make, ctx, status, action):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    with ctx():
        tenant = db.session.get(Tenant, office.tenant.id)
        with bound_to(tenant):
            complaint = by_number(filed.number)
            complaint.status = status
            complaint.status_before_close = Status.COMPENSATED if status is Status.CLOSED else (
                Status.SUBMITTED if status is Status.NOT_COMPETENT else None)
            db.session.commit()
            events = db.session.scalar(select(func.count(ComplaintEvent.id)))
            audits = db.session.scalar(select(func.count(AuditLog.id)))
            # The role that holds the permission: leaders for most, officers for delivery.
            role = office.officer if action is Action.COMPENSATE else office.leader
            person = db.session.get(User, role.id)
            if status in TRANSITIONS[action].sources:
                lifecycle.apply(complaint, action, by=person)
                assert complaint.status is not status or action is Action.REOPEN
                db.session.rollback()
                return
            with pytest.raises(IllegalTransition):
                lifecycle.apply(complaint, action, by=person)
            db.session.rollback()
            assert by_number(filed.number).status is status
            assert db.session.scalar(select(func.count(ComplaintEvent.id))) == events
            assert db.session.scalar(select(func.count(AuditLog.id))) == audits


@pytest.mark.parametrize(("action", "role"), [
    (Action.ACCEPT, "admin"), (Action.UPHOLD, "officer"), (Action.COMPENSATE, "leader"),
    (Action.REOPEN, "officer"), (Action.TRANSFER, "officer"),
])
def test_a_role_without_the_permission_cannot_take_the_step_even_in_code(make, ctx, action, role):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    with ctx():
        with bound_to(db.session.get(Tenant, office.tenant.id)):
            complaint = by_number(filed.number)
            complaint.status = next(iter(TRANSITIONS[action].sources))
            complaint.status_before_close = Status.COMPENSATED
            with pytest.raises(IllegalTransition):
                lifecycle.apply(complaint, action, by=db.session.get(User, getattr(office, role).id))


@pytest.mark.parametrize(("role", "path", "expected"), [
    ("officer", "assess", 403), ("admin", "accept", 403), ("leader", "close", 409),
    ("officer", "accept", 303), ("leader", "reopen", 422),  # the form is checked before the status
])
def test_http_answers_match_role_and_status(make, new_visitor, role, path, expected):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    visitor = new_visitor()
    visitor.login(getattr(office, role).email)
    staff = Staff(visitor, "dinas-alpha")
    assert staff.act(filed.number, path).status_code == expected


def test_a_refused_step_says_why_on_the_page(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office)
    visitor = new_visitor()
    visitor.login(office.officer.email)
    visitor.get("/locale/en")
    staff = Staff(visitor, "dinas-alpha")
    assert staff.act(filed.number, "accept").status_code == 303
    again = staff.act(filed.number, "accept")
    assert again.status_code == 409
    assert "This step is not possible while the complaint is" in again.get_data(as_text=True)


def test_only_officers_deliver_and_an_item_is_delivered_once(make, new_visitor, ctx):

    office = make.office_with_staff("dinas-alpha")
    filed = make.complaint(office, upheld=True)
    visitor = new_visitor()
    visitor.login(office.officer.email)
    staff = Staff(visitor, "dinas-alpha")
    url = f"items/{filed.item_id}/deliver"
    assert visitor.get(staff.url(filed.number, url)).status_code == 200
    leader = new_visitor()
    leader.login(office.leader.email)
    assert Staff(leader, "dinas-alpha").act(filed.number, url, {"method": "phone"}).status_code == 403
    now = clock.office_time("Asia/Jakarta").strftime("%Y-%m-%dT%H:%M")
    assert staff.act(filed.number, url, {"delivered_at": now, "method": "phone"}).status_code == 303
    assert staff.act(filed.number, url, {"delivered_at": now, "method": "phone"}).status_code == 409
    with ctx():
        assert by_number(filed.number).status is Status.COMPENSATED
