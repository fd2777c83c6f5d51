"""Fixtures of the assessment and delivery tests."""

from __future__ import annotations

import pytest

from tests.complaints.helpers import Staff, by_number


@pytest.fixture
def refund(metro, make, new_visitor):
    """Metro's fee complaint upheld with Rp50.000 to refund, and its officer (in English) to deliver it:
    ``(staff, number, refund item id)``."""
    from tanggap.assessments.decisions import Finding, assess
    from tanggap.complaints import lifecycle
    from tanggap.auth.models import User
    from tanggap.extensions import db
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    filed = make.complaint(metro, components=("fee",))
    with make.ctx():
        with bound_to(db.session.get(Tenant, metro.tenant.id)):
            complaint = by_number(filed.number)
            leader = db.session.get(User, metro.leader.id)
            lifecycle.apply(complaint, lifecycle.Action.ACCEPT, by=leader)
            assessment = assess(complaint, Finding(upheld=True, components=["fee"], reasoning="Terbukti.",
                                                   delay_minutes=45, overcharge=50000), by=leader)
            db.session.commit()
            item_id = next(item.id for item in assessment.items if item.kind == "refund")
    visitor = new_visitor()
    visitor.login(metro.officer.email)
    visitor.get("/locale/en")
    return Staff(visitor, "disdikbud-metro"), filed.number, item_id
