"""A delivery's amount, method and evidence, checked where the rule lives (the delivery step)
and seen through the pages: a refund is paid in full (more only with a reason the leaders
read), each kind of compensation goes only the ways that fit it, and the files that show it
was delivered are checked, re-encoded and kept like a citizen's."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from tests.assessments.test_delivery import _local
from tests.complaints.helpers import Staff, by_number, errors, photo

GPS = 0x8825


def _good() -> dict[str, str]:
    return {"delivered_at": _local(), "method": "bank_transfer", "refunded_amount": "50000",
            "receipt_number": "TRF-0091", "note": "Ditransfer ke rekening warga."}


def _send(staff: Staff, number: str, item_id: int, data: dict, *files: tuple[bytes, str]):
    payload = dict(data)
    if files:
        payload["files"] = [(io.BytesIO(content), name) for content, name in files]
    return staff.visitor.submit(staff.url(number, f"items/{item_id}/deliver"), payload, page=staff.url(number),
                                content_type="multipart/form-data")


def _error(response, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', response.get_data(as_text=True), re.S)
    return found.group(1).strip() if found else ""


def _item(number: str, kind: str):
    return next(item for item in by_number(number).package_items if item.kind == kind)


def _located_photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS).update({1: "S", 2: (5.0, 7.0, 12.5), 3: "E", 4: (105.0, 18.0, 30.0)})
    return photo("JPEG", size=(40, 30), exif=exif.tobytes())


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"


def test_an_underpaid_refund_is_refused_beside_the_amount_in_words_and_keeps_what_was_typed(refund, ctx):
    staff, number, item_id = refund
    response = _send(staff, number, item_id, _good() | {"refunded_amount": "40000"})
    assert response.status_code == 422
    message = _error(response, "refunded_amount")
    assert "40,000" in message and "50,000" in message and "less than" in message, errors(response)
    html = response.get_data(as_text=True)
    assert 'value="40000"' in html and 'value="TRF-0091"' in html and "Ditransfer ke rekening warga." in html
    with ctx():
        assert _item(number, "refund").delivered_at is None
    staff.visitor.get("/locale/id")
    message = _error(_send(staff, number, item_id, _good() | {"refunded_amount": "40000"}), "refunded_amount")
    assert "40.000" in message and "50.000" in message and "kurang" in message, message


def test_an_overpaid_refund_needs_a_reason_which_is_recorded_audited_and_shown_to_the_leader(
        refund, ctx, metro, new_visitor):
    from tanggap.audit.models import AuditLog
    from tanggap.extensions import db

    staff, number, item_id = refund
    refused = _send(staff, number, item_id, _good() | {"refunded_amount": "60000"})
    assert refused.status_code == 422
    message = _error(refused, "overpay_reason")
    assert "60,000" in message and "50,000" in message, errors(refused)
    assert 'value="60000"' in refused.get_data(as_text=True)

    reason = "Warga juga membayar biaya legalisir yang tidak dipungut."
    done = _send(staff, number, item_id, _good() | {"refunded_amount": "60000", "overpay_reason": reason})
    assert done.status_code == 303, errors(done)
    with ctx():
        item = _item(number, "refund")
        assert (item.refunded_amount, item.overpaid, item.overpay_reason) == (60000, 10000, reason)
        audited = db.session.execute(select(AuditLog.after).where(AuditLog.action == "complaint.item_delivered")
                                     .order_by(AuditLog.seq.desc())).scalars().first()
        assert audited["overpay_reason"] == reason and audited["overpaid"] == 10000 and audited["owed"] == 50000

    leader = new_visitor()
    leader.login(metro.leader.email)
    leader.get("/locale/en")
    page = Staff(leader, "disdikbud-metro").page(number).get_data(as_text=True)
    shown = re.search(r'id="overpaid-refund">(.*?)</div>', page, re.S)
    assert shown and reason in shown.group(1) and "10,000" in shown.group(1), page


def test_the_exact_refund_needs_no_reason_and_keeps_none(refund, ctx):
    staff, number, item_id = refund
    done = _send(staff, number, item_id, _good() | {"overpay_reason": "tidak perlu"})
    assert done.status_code == 303, errors(done)
    with ctx():
        item = _item(number, "refund")
        assert item.refunded_amount == 50000 and item.overpay_reason is None and item.overpaid == 0


def test_each_kind_offers_only_the_ways_it_can_be_delivered(refund, ctx):
    staff, number, _ = refund
    with ctx():
        ids = {item.kind: item.id for item in by_number(number).package_items}
    offered = {}
    for kind in ("apology", "souvenir", "refund"):
        html = staff.visitor.get(staff.url(number, f"items/{ids[kind]}/deliver")).get_data(as_text=True)
        select_html = re.search(r'<select[^>]*name="method".*?</select>', html, re.S).group(0)
        offered[kind] = re.findall(r'value="([a-z_]+)"', select_html)
    assert offered["apology"] == ["in_person", "letter", "email", "whatsapp", "phone"]
    assert offered["souvenir"] == ["in_person", "courier"]
    assert offered["refund"] == ["cash", "bank_transfer"]
    refused = _send(staff, number, ids["souvenir"], {"delivered_at": _local(), "method": "bank_transfer",
                                                     "souvenir_given": "Pulpen"})
    assert refused.status_code == 422 and _error(refused, "method"), errors(refused)


def test_the_delivery_step_itself_refuses_a_way_that_does_not_fit_the_kind(refund, ctx, metro):
    """The API's form knows every method; the rule is in the delivery step, not only on the page."""
    from tanggap import clock
    from tanggap.assessments.decisions import DecisionError, Delivery, deliver
    from tanggap.assessments.models import DeliveryMethod
    from tanggap.auth.models import User
    from tanggap.extensions import db
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    _staff, number, _ = refund
    with ctx():
        with bound_to(db.session.get(Tenant, metro.tenant.id)):
            souvenir = _item(number, "souvenir")
            with pytest.raises(DecisionError) as refused:
                deliver(souvenir, Delivery(delivered_at=clock.now(), method=DeliveryMethod.BANK_TRANSFER),
                        by=db.session.get(User, metro.officer.id))
            assert (refused.value.field, str(refused.value)) == ("method", "method")
            db.session.rollback()
            refund_item = _item(number, "refund")
            with pytest.raises(DecisionError) as refused:
                deliver(refund_item, Delivery(delivered_at=clock.now(), method=DeliveryMethod.CASH,
                                              refunded_amount=25000, receipt_number="KW-1"),
                        by=db.session.get(User, metro.officer.id))
            assert (refused.value.field, str(refused.value), refused.value.values) == (
                "refunded_amount", "underpaid", {"given": 25000, "owed": 50000})


def test_evidence_is_checked_re_encoded_kept_and_shown_with_the_delivery(refund, ctx, metro, new_visitor):
    from tanggap.assessments.models import DeliveryEvidence
    from tanggap.extensions import db
    from tanggap.tenancy.scoping import every_office

    staff, number, item_id = refund
    done = _send(staff, number, item_id, _good(), (_located_photo(), "serah-terima.jpg"), (PDF, "slip.pdf"))
    assert done.status_code == 303, errors(done)
    with ctx():
        kept = list(db.session.execute(every_office(select(DeliveryEvidence).order_by(DeliveryEvidence.id))).scalars())
        assert [(e.filename, e.mimetype, e.package_item_id) for e in kept] == [
            ("serah-terima.jpg", "image/jpeg", item_id), ("slip.pdf", "application/pdf", item_id)]

    leader = new_visitor()
    leader.login(metro.leader.email)
    page = Staff(leader, "disdikbud-metro").page(number).get_data(as_text=True)
    links = re.findall(rf'href="(/disdikbud-metro/staff/complaints/{number}/items/{item_id}/evidence/\d+)"', page)
    assert len(links) == 2 and "serah-terima.jpg" in page and "slip.pdf" in page
    downloaded = leader.get(links[0])
    assert downloaded.status_code == 200 and "attachment" in downloaded.headers["Content-Disposition"]
    assert downloaded.headers["X-Content-Type-Options"] == "nosniff"
    picture = Image.open(io.BytesIO(downloaded.data))
    assert picture.format == "JPEG" and not picture.getexif().get_ifd(GPS)  # written anew, the position gone
    assert leader.get(links[1]).data == PDF
    assert leader.get(links[0].rsplit("/", 1)[0] + "/999999").status_code == 404


def test_a_file_that_is_not_what_it_claims_is_refused_beside_the_field_and_nothing_is_delivered(refund, ctx):
    from tanggap.assessments.models import DeliveryEvidence
    from tanggap.extensions import db
    from tanggap.tenancy.scoping import every_office

    staff, number, item_id = refund
    response = _send(staff, number, item_id, _good(), (b"MZ\x90\x00 not a picture", "slip.jpg"))
    assert response.status_code == 422
    assert "slip.jpg is not a photo (JPEG, PNG, WebP) or a PDF." in _error(response, "files")
    html = response.get_data(as_text=True)
    assert 'value="TRF-0091"' in html and 'id="files-again"' in html
    too_many = _send(staff, number, item_id, _good(), *[(PDF, f"slip-{n}.pdf") for n in range(4)])
    assert too_many.status_code == 422 and "Attach at most 3 files." in _error(too_many, "files")
    with ctx():
        assert _item(number, "refund").delivered_at is None
        assert not db.session.execute(every_office(select(DeliveryEvidence))).first()


def test_a_citizen_never_reaches_the_evidence(refund, ctx, visitor):
    staff, number, item_id = refund
    assert _send(staff, number, item_id, _good(), (PDF, "slip.pdf")).status_code == 303
    page = staff.page(number).get_data(as_text=True)
    link = re.search(r'href="([^"]+/evidence/\d+)"', page).group(1)
    assert visitor.get(link).status_code in (302, 401, 404)
    with ctx():
        code = by_number(number).tracking_code
    assert "slip.pdf" not in visitor.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)
