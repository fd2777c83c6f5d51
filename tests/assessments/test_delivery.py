"""The officer's delivery of each item: when, how and the evidence, checked before it counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tanggap import clock
from tanggap.complaints.models import Status
from tests.complaints.helpers import Staff, by_number, errors


def _local(delta: timedelta = timedelta()) -> str:
    return clock.office_time("Asia/Jakarta", clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


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


def _overdue_and_upheld(make, ctx, office, overdue_by: timedelta):
    """A complaint whose deadline passed ``overdue_by`` ago, upheld with one item to deliver."""
    from tanggap.extensions import db

    filed = make.complaint(office, upheld=True)
    with ctx():
        complaint = by_number(filed.number)
        shift = complaint.due_at - clock.now() + overdue_by
        complaint.submitted_at -= shift
        complaint.due_at -= shift
        db.session.commit()
        return filed, complaint.submitted_at, complaint.due_at

def _deliver_as_officer(new_visitor, office, filed, stated, method: str) -> Staff:
    """The office's officer records the package's item as delivered at ``stated``; their view."""
    officer = new_visitor()
    officer.login(office.officer.email)
    officer.get("/locale/en")
    staff = Staff(officer, "dinas-alpha")
    done = staff.act(filed.number, f"items/{filed.item_id}/deliver",
                     {"delivered_at": clock.office_time("Asia/Jakarta", stated).strftime("%Y-%m-%dT%H:%M"),
                      "method": method})
    assert done.status_code == 303, errors(done)
    return staff



def test_a_delivery_backdated_to_before_the_deadline_is_late_flagged_and_counted_late_everywhere(
        make, ctx, new_visitor):
    """An overdue complaint delivered "an hour after it was filed", days ago, by the officer's
    word: the stated time is kept, but it counts from when it was recorded; leaders see it marked
    on the complaint's package, inspectors in the office's list; the dashboard (live and rolled
    up) and the inbox's outcome filter all count it late."""
    from tanggap.audit.models import AuditLog
    from tanggap.extensions import db
    from sqlalchemy import select

    from tanggap.reports import figures, rollup
    from tanggap.reports.period import Period
    from tanggap.tenancy.models import Tenant

    office = make.office_with_staff("dinas-alpha", region="kota-alpha", parent="provinsi-alpha")
    filed, submitted, due = _overdue_and_upheld(make, ctx, office, overdue_by=timedelta(days=2))
    stated = submitted + timedelta(hours=1)
    assert stated < due
    staff = _deliver_as_officer(new_visitor, office, filed, stated, "in_person")

    with ctx():
        complaint = by_number(filed.number)
        [item] = complaint.package_items
        assert complaint.status is Status.COMPENSATED and complaint.on_time is False
        assert item.delivered_at == stated.replace(second=0, microsecond=0)  # kept as stated
        assert item.backdated is True and complaint.compensated_at == item.recorded_at
        audited = db.session.execute(select(AuditLog.after).where(AuditLog.action == "complaint.item_delivered")
                                     .order_by(AuditLog.seq.desc())).scalars().first()
        assert audited["backdated"] is True and audited["recorded_at"]

    page = staff.page(filed.number).get_data(as_text=True)
    assert 'id="backdated-note"' in page and "backdated" in page and "compensated late" in page

    leader = new_visitor()
    leader.login(office.leader.email)
    inbox = "/dinas-alpha/staff/complaints/?tab=all&outcome="
    assert filed.number not in leader.get(inbox + "on_time").get_data(as_text=True)
    assert filed.number in leader.get(inbox + "late").get_data(as_text=True)
    period = (f"?from={clock.office_date('Asia/Jakarta', submitted).isoformat()}"
              f"&to={clock.office_date('Asia/Jakarta', clock.now()).isoformat()}")
    dashboard = leader.get("/dinas-alpha/staff/reports/" + period).get_data(as_text=True)
    assert (_figure(dashboard, "compensated"), _figure(dashboard, "on_time"), _figure(dashboard, "late")) == (1, 0, 1)

    with ctx():
        rollup.refresh()
        db.session.commit()
        tenant = db.session.get(Tenant, office.tenant.id)
        days = Period.parse(clock.office_date("Asia/Jakarta", submitted).isoformat(),
                            clock.office_date("Asia/Jakarta", clock.now()).isoformat(), "Asia/Jakarta",
                            Period.this_month("Asia/Jakarta"))
        rolled = figures.key_figures_rolled([tenant], days, clock.now())[tenant.id]
        assert (rolled.compensated, rolled.on_time) == (1, 0)  # what the inspectorate's overview ranks by
    inspector = new_visitor()
    inspector.login(make.inspector("provinsi-alpha").email)
    inspector.get("/locale/en")
    board = inspector.get("/inspektorat/dinas-alpha/" + period).get_data(as_text=True)
    assert (_figure(board, "compensated"), _figure(board, "on_time"), _figure(board, "late")) == (1, 0, 1)
    listed = inspector.get("/inspektorat/dinas-alpha/complaints" + period).get_data(as_text=True)
    row = listed.split(filed.number)[1].split("</tr>")[0]
    assert "late" in row and "backdated" in row


def test_a_delivery_recorded_within_the_allowance_counts_at_its_stated_time(make, ctx, new_visitor):
    """Recorded the next morning, delivered before the deadline that passed overnight: on time,
    not flagged, and the package shows when it was recorded."""
    from tanggap.assessments.decisions import RECORDING_ALLOWANCE

    office = make.office_with_staff("dinas-alpha")
    filed, _submitted, due = _overdue_and_upheld(make, ctx, office, overdue_by=timedelta(hours=2))
    stated = due - timedelta(hours=1)
    assert clock.now() - stated < RECORDING_ALLOWANCE
    staff = _deliver_as_officer(new_visitor, office, filed, stated, "phone")
    with ctx():
        complaint = by_number(filed.number)
        assert complaint.on_time is True and complaint.package_items[0].backdated is False
    page = staff.page(filed.number).get_data(as_text=True)
    assert 'id="backdated-note"' not in page and "compensated on time" in page and "recorded " in page


def _figure(html: str, name: str) -> int:
    import re

    found = re.search(rf'id="figure-{name}">\s*<span class="figure-value">(\d+)<', html)
    assert found, name
    return int(found.group(1))
