"""The officer's delivery of each item: when, how and the evidence, checked before it counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tanggap import clock
from tanggap.complaints.models import Status
from tests.complaints.helpers import Staff, by_number, errors


def _local(delta: timedelta = timedelta()) -> str:
    return clock.office_time("Asia/Jakarta", clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def refund(metro, make, new_visitor):
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


@pytest.mark.parametrize(("data", "message"), [
    ({"delivered_at": ""}, "Give the date and time."),
    ({"delivered_at": "besok"}, "Not a valid datetime value."),
    ({"delivered_at": _local(timedelta(days=1))}, "The delivery cannot be in the future."),
    ({"delivered_at": _local(-timedelta(days=30))}, "The delivery cannot be before the complaint was filed."),
    ({"refunded_amount": ""}, "A refund is due: give the amount charged over the tariff."),
    ({"refunded_amount": "-5"}, "Number must be between 1 and 1000000000."),
    ({"receipt_number": ""}, "Give the receipt number of the refund."),
    ({"method": "pigeon"}, "Not a valid choice."),
])
def test_a_bad_delivery_is_refused_beside_its_field_and_keeps_the_rest(refund, ctx, data, message):
    staff, number, item_id = refund
    good = {"delivered_at": _local(), "method": "bank_transfer", "refunded_amount": "50000",
            "receipt_number": "KW-1", "note": "Ditransfer ke rekening warga."}
    response = staff.act(number, f"items/{item_id}/deliver", good | data)
    assert response.status_code == 422
    assert any(message in error for error in errors(response)), errors(response)
    assert "Ditransfer ke rekening warga." in response.get_data(as_text=True)
    with ctx():
        complaint = by_number(number)
        assert complaint.status is Status.UPHELD
        assert all(item.delivered_at is None for item in complaint.package_items)


def test_the_forms_own_messages_are_in_indonesian_too(refund):
    staff, number, item_id = refund
    staff.visitor.get("/locale/id")
    response = staff.act(number, f"items/{item_id}/deliver", {"delivered_at": "besok", "method": "phone",
                                                              "refunded_amount": "-5"})
    text = " ".join(errors(response))
    assert "Not a valid" not in text and "Number must" not in text, text
