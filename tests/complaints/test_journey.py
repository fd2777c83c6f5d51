"""A complaint from the citizen's form to its closure, through HTTP, for both shipped offices.

Metro's fee component (refund + souvenir by tier, 3 x 24 jam) in Indonesian; Lampung's time
component (priority service, 2 x 24 jam) in English; then the other endings: rejection,
withdrawal, referral, transfer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tanggap import clock
from tanggap.audit.log import verify
from tanggap.complaints.models import EventKind, Status
from tanggap.extensions import db
from tests.complaints.helpers import Staff, audit_actions, by_number, complaint, errors, mails_to, photo, ticket


def local_minute(moment: datetime | None = None, zone: str = "Asia/Jakarta") -> str:
    """A moment as the delivery form's office-time field takes it (now by default)."""
    return clock.office_time(zone, moment).strftime("%Y-%m-%dT%H:%M")


def _staff(new_visitor, person, slug: str, locale: str | None = None) -> Staff:
    visitor = new_visitor()
    visitor.login(person.email)
    if locale:
        visitor.get(f"/locale/{locale}")
    return Staff(visitor, slug)


def test_metro_fee_complaint_is_refunded_with_a_tier_a_souvenir_on_time(metro, visitor, new_visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro", email="siti@example.org")

    receipt = visitor.get(f"/disdikbud-metro/pengaduan/{code}/tanda-terima").get_data(as_text=True)
    assert ticket("DISDIKBUD") in receipt and code in receipt
    assert "Pengembalian atas biaya" in receipt  # the decree's promise for the fee component, in Indonesian
    with ctx():
        filed = complaint(code)
        assert filed.status is Status.SUBMITTED
        assert filed.due_at - filed.submitted_at == timedelta(hours=72)  # 3 x 24 jam
        assert filed.charged == 50000 and filed.tariff == 0 and filed.waited_minutes == 45
        [received] = mails_to("siti@example.org")
        assert received.sent_at is not None and code in received.body and ticket("DISDIKBUD") in received.subject

    officer = _staff(new_visitor, metro.officer, "disdikbud-metro")
    number = ticket("DISDIKBUD")
    assert officer.act(number, "assign", {"unit": str(metro.unit_id), "assignee": str(metro.officer.id)}).status_code == 303
    assert officer.act(number, "accept").status_code == 303

    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    preview = leader.visitor.get(leader.url(number, "assess")).get_data(as_text=True)
    assert "Pulpen" in preview  # 45 minutes is tier A: a pen
    response = leader.act(number, "assess", {
        "upheld": "yes", "components": ["fee"], "delay_amount": "45", "delay_unit": "minutes",
        "overcharge": "50000", "officer": str(metro.officer_id),
        "reasoning": "Pungutan tidak sesuai tarif; layanan legalisir gratis.", "explanation": "", "confirm": "1",
    })
    assert response.status_code == 303, errors(response)

    with ctx():
        upheld = complaint(code)
        assert upheld.status is Status.UPHELD
        items = {item.code: item for item in upheld.package_items}
        assert [item.code for item in upheld.package_items] == ["apology", "refund", "clarification", "souvenir"]
        assert items["refund"].amount == 50000
        assert (items["souvenir"].tier, items["souvenir"].item["id"]) == ("A", "Pulpen")
        assert upheld.assessment.responsible_officer_id == metro.officer_id

    page = officer.page(number).get_data(as_text=True)
    for code_, item in items.items():
        delivery = {"delivered_at": local_minute(), "method": "in_person", "note": ""}
        if code_ == "refund":  # money goes in cash or by transfer, not "in person"
            delivery |= {"method": "cash", "refunded_amount": "50000", "receipt_number": "KW-0091"}
        if code_ == "souvenir":
            delivery |= {"souvenir_given": "Pulpen"}
        assert f"/items/{item.id}/deliver" in page
        result = officer.act(number, f"items/{item.id}/deliver", delivery)
        assert result.status_code == 303, errors(result)

    with ctx():
        done = complaint(code)
        assert done.status is Status.COMPENSATED and done.on_time is True
        assert done.package_items[1].receipt_number == "KW-0091"

    assert officer.act(number, "close").status_code == 303
    tracking = visitor.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)
    assert "Pulpen" in tracking and "Ditutup" in tracking
    rated = visitor.submit(f"/disdikbud-metro/pengaduan/{code}/nilai", {"rating": "5", "comment": "Cepat."},
                           page=f"/disdikbud-metro/pengaduan/{code}")
    assert rated.status_code == 303
    with ctx():
        closed = complaint(code)
        assert (closed.status, closed.rating, closed.rating_comment) == (Status.CLOSED, 5, "Cepat.")
        kinds = [event.kind for event in closed.events]
        assert kinds[:3] == [EventKind.SUBMITTED, EventKind.ASSIGNED, EventKind.ACCEPTED]
        assert kinds.count(EventKind.ITEM_DELIVERED) == 4 and kinds[-1] is EventKind.RATED
        actions = audit_actions(metro.tenant.id)
        for action in ("complaint.submitted", "complaint.accept", "complaint.uphold", "complaint.item_delivered",
                       "complaint.compensate", "complaint.close", "complaint.rated"):
            assert action in actions
        assert verify(metro.tenant.id) is None
        # The citizen heard of each step: received, accepted, upheld, 4 deliveries, compensated, closed.
        assert len(mails_to("siti@example.org")) == 9


def test_lampung_time_complaint_in_english_gets_priority_service_and_late_delivery_shows(
        lampung, visitor, new_visitor, file_complaint, ctx):
    visitor.get("/locale/en")
    code = file_complaint(visitor, "dinsos-lampung", components=["time"], charged=None, tariff=None,
                          waited_amount="3", waited_unit="days", email="ani@example.org",
                          description="My recommendation letter took three days longer than the standard says.")
    receipt = visitor.get(f"/dinsos-lampung/pengaduan/{code}/tanda-terima").get_data(as_text=True)
    assert ticket("DINSOS") in receipt and "Your complaint has been received" in receipt
    assert "Priority" in receipt or "priority" in receipt
    with ctx():
        filed = complaint(code)
        assert filed.locale == "en" and filed.due_at - filed.submitted_at == timedelta(hours=48)  # 2 x 24 jam
        [mail] = mails_to("ani@example.org")
        assert mail.subject.startswith(f"Your complaint {ticket('DINSOS')}")

    number = ticket("DINSOS")
    leader = _staff(new_visitor, lampung.leader, "dinsos-lampung", locale="en")
    assert leader.act(number, "accept").status_code == 303
    assert leader.act(number, "assess", {"upheld": "yes", "components": ["time"], "delay_amount": "3",
                                         "delay_unit": "days", "reasoning": "Terlambat 3 hari.",
                                         "confirm": "1"}).status_code == 303
    with ctx():
        upheld = complaint(code)
        assert [item.kind for item in upheld.package_items] == ["apology", "clarification", "priority"]
        items = list(upheld.package_items)
        # The complaint was in fact filed three days ago: its 2 x 24 jam ran out yesterday.
        upheld.submitted_at -= timedelta(days=3)
        upheld.due_at -= timedelta(days=3)
        db.session.commit()

    officer = _staff(new_visitor, lampung.officer, "dinsos-lampung", locale="en")
    for item in items:
        data = {"delivered_at": local_minute(), "method": "phone", "voucher": "Q-17" if item.kind == "priority" else ""}
        assert officer.act(number, f"items/{item.id}/deliver", data).status_code == 303
    with ctx():
        late = complaint(code)
        assert late.status is Status.COMPENSATED and late.on_time is False
        assert late.package_items[2].voucher == "Q-17"
    assert "compensated late" in officer.page(number).get_data(as_text=True)
    tracking = visitor.get(f"/dinsos-lampung/pengaduan/{code}").get_data(as_text=True)
    assert "Compensated after the deadline." in tracking


def test_rejected_complaint_shows_the_citizen_the_explanation(metro, visitor, new_visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro")
    number = ticket("DISDIKBUD")
    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    leader.act(number, "accept")
    without = leader.act(number, "assess", {"upheld": "no", "reasoning": "Tarif resmi Rp 50.000.", "confirm": "1"})
    assert without.status_code == 422 and ("Jelaskan kepada warga" in without.get_data(as_text=True)
                                           or "Explain to the citizen" in without.get_data(as_text=True))
    response = leader.act(number, "assess", {"upheld": "no", "reasoning": "Tarif resmi Rp 50.000.",
                                             "explanation": "Tarif legalisir sesuai Perda adalah Rp 50.000.",
                                             "confirm": "1"})
    assert response.status_code == 303
    tracking = visitor.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)
    assert "Tarif legalisir sesuai Perda adalah Rp 50.000." in tracking
    assert leader.act(number, "close").status_code == 303
    with ctx():
        closed = complaint(code)
        assert closed.status is Status.CLOSED and closed.status_before_close is Status.REJECTED
        assert closed.compensated_at is None and closed.on_time is None


def test_citizen_withdraws_and_then_can_do_nothing_more(metro, visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro")
    track = f"/disdikbud-metro/pengaduan/{code}"
    unconfirmed = visitor.submit(f"{track}/tarik", {"reason": "Sudah selesai."}, page=track)
    assert unconfirmed.status_code == 422 and "Sudah selesai." in unconfirmed.get_data(as_text=True)
    assert visitor.submit(f"{track}/tarik", {"reason": "Sudah selesai.", "confirm": "y"}, page=track).status_code == 303
    with ctx():
        assert complaint(code).status is Status.WITHDRAWN
    again = visitor.submit(f"{track}/tarik", {"confirm": "y"}, page=track)
    assert again.status_code == 409
    more = visitor.submit(f"{track}/informasi", {"message": "Tambahan"}, page=track)
    assert more.status_code == 409


def test_a_compensated_complaint_cannot_be_withdrawn_and_still_closes_and_is_rated(
        metro, visitor, new_visitor, file_complaint, ctx):
    """Withdrawal ends at the decision: a withdrawn compensated complaint could never be closed
    or rated, so the page no longer offers it and the step is refused."""
    code = file_complaint(visitor, "disdikbud-metro", components=["time"], charged=None, tariff=None)
    number = ticket("DISDIKBUD")
    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    assert leader.act(number, "accept").status_code == 303
    assert leader.act(number, "assess", {"upheld": "yes", "components": ["time"], "delay_amount": "45",
                                         "delay_unit": "minutes", "reasoning": "Terlambat.",
                                         "confirm": "1"}).status_code == 303
    track = f"/disdikbud-metro/pengaduan/{code}"
    withdraw_form = f"{track}/tarik"
    assert withdraw_form not in visitor.get(track).get_data(as_text=True)  # upheld: decided
    with ctx():
        items = list(complaint(code).package_items)
    officer = _staff(new_visitor, metro.officer, "disdikbud-metro")
    token = visitor.csrf_token(track)
    for item in items:
        delivery = {"delivered_at": local_minute(), "method": "in_person", "souvenir_given": "Pulpen"}
        assert officer.act(number, f"items/{item.id}/deliver", delivery).status_code == 303
    with ctx():
        assert complaint(code).status is Status.COMPENSATED

    page = visitor.get(track).get_data(as_text=True)
    assert withdraw_form not in page
    refused = visitor.client.post(withdraw_form, data={"csrf_token": token, "reason": "Batal.", "confirm": "y"})
    assert refused.status_code == 409
    assert "alert-danger" in refused.get_data(as_text=True)  # the tracking page says why
    from_htmx = visitor.client.post(withdraw_form, data={"csrf_token": token, "confirm": "y"},
                                    headers={"HX-Request": "true"})
    assert (from_htmx.status_code, from_htmx.headers["HX-Redirect"]) == (204, track)
    assert "alert-danger" in visitor.get(track).get_data(as_text=True)
    with ctx():
        assert complaint(code).status is Status.COMPENSATED
    assert officer.act(number, "close").status_code == 303
    rated = visitor.submit(f"{track}/nilai", {"rating": "4"}, page=track)
    assert rated.status_code == 303


def test_information_request_and_the_citizens_answer(metro, visitor, new_visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro")
    number = ticket("DISDIKBUD")
    officer = _staff(new_visitor, metro.officer, "disdikbud-metro")
    empty = officer.act(number, "request-info", {"info-message": ""})
    assert empty.status_code == 422
    assert officer.act(number, "request-info", {"info-message": "Mohon kirim foto kuitansi."}).status_code == 303
    track = f"/disdikbud-metro/pengaduan/{code}"
    page = visitor.get(track).get_data(as_text=True)
    assert "Mohon kirim foto kuitansi." in page and "Menunggu informasi dari Anda" in page
    import io

    png = photo("PNG")

    answered = visitor.submit(f"{track}/informasi", {"message": "Terlampir kuitansinya.",
                                                      "files": [(io.BytesIO(png), "kuitansi.png")]}, page=track,
                              content_type="multipart/form-data")
    assert answered.status_code == 303
    with ctx():
        back = complaint(code)
        assert back.status is Status.SUBMITTED
        assert [a.filename for a in back.attachments] == ["kuitansi.png"]
        assert back.attachments[0].mimetype == "image/png"
    staff_file = officer.visitor.get(f"/disdikbud-metro/staff/complaints/{number}/files/{back.attachments[0].id}")
    assert staff_file.status_code == 200 and staff_file.data.startswith(b"\x89PNG")
    assert staff_file.headers["X-Content-Type-Options"] == "nosniff"


def test_not_competent_referral_closes_and_a_leader_can_reopen(metro, visitor, new_visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro")
    number = ticket("DISDIKBUD")
    officer = _staff(new_visitor, metro.officer, "disdikbud-metro")
    assert officer.act(number, "refer", {"refer-message": "Silakan ke Disdukcapil Kota Metro."}).status_code == 303
    assert "Disdukcapil" in visitor.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)
    assert officer.act(number, "reopen", {"reopen-message": "Salah."}).status_code == 403  # officers cannot reopen
    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    assert leader.act(number, "reopen", {"reopen-message": ""}).status_code == 422
    assert leader.act(number, "reopen", {"reopen-message": "Ternyata wewenang kami."}).status_code == 303
    with ctx():
        assert complaint(code).status is Status.SUBMITTED


def test_transfer_moves_the_complaint_with_its_history_to_the_other_office(
        metro, lampung, visitor, new_visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro", components=["time"], email="budi@example.org")
    number = ticket("DISDIKBUD")
    officer = _staff(new_visitor, metro.officer, "disdikbud-metro")
    officer.act(number, "notes", {"message": "Ini urusan Dinas Sosial."})
    assert officer.act(number, "transfer", {"office": "dinsos-lampung", "message": "x"}).status_code == 403
    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    assert leader.act(number, "transfer", {"office": "", "message": "Bukan wewenang"}).status_code == 422
    moved = leader.act(number, "transfer", {"office": "dinsos-lampung", "message": "Urusan bantuan sosial."})
    assert moved.status_code == 303
    with ctx():
        old = complaint(code)
        new = by_number(ticket("DINSOS"))
        assert old.status is Status.TRANSFERRED and old.transferred_to_id == new.id
        assert new.tenant_id == lampung.tenant.id and new.transferred_from_id == old.id
        assert new.status is Status.SUBMITTED and new.components == ["time"]
        copied = [event.kind for event in new.events]
        assert copied[0] is EventKind.SUBMITTED and EventKind.NOTE in copied and copied[-1] is EventKind.TRANSFERRED_IN
        assert "Dinas Pendidikan" in new.events[0].actor_label
        assert "complaint.transfer" in audit_actions(metro.tenant.id)
        assert "complaint.transferred_in" in audit_actions(lampung.tenant.id)
        assert any(new.tracking_code in mail.body for mail in mails_to("budi@example.org"))
    lampung_leader = _staff(new_visitor, lampung.leader, "dinsos-lampung")
    page = lampung_leader.page(ticket("DINSOS")).get_data(as_text=True)
    assert "Ini urusan Dinas Sosial." in page and ticket("DISDIKBUD") in page
    old_tracking = visitor.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)
    assert ticket("DINSOS") in old_tracking


def test_after_a_transfer_the_old_office_never_holds_the_new_offices_tracking_code(
        metro, lampung, visitor, new_visitor, file_complaint, ctx):
    from sqlalchemy import select

    from tanggap.audit.models import AuditLog
    from tanggap.tenancy.scoping import every_office

    code = file_complaint(visitor, "disdikbud-metro", components=["time"], email="budi@example.org")
    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    number = ticket("DISDIKBUD")
    assert leader.act(number, "transfer", {"office": "dinsos-lampung", "message": "Urusan sosial."}).status_code == 303
    with ctx():
        old, new = complaint(code), by_number(ticket("DINSOS"))
        new_code = new.tracking_code
        stored = [repr((entry.before, entry.after)) for entry in db.session.execute(
            every_office(select(AuditLog).where(AuditLog.tenant_id == metro.tenant.id))).scalars()]
        stored += [repr((event.data, event.message)) for event in old.events]
        assert stored and not any(new_code in text for text in stored)
        # the citizen, whose code it is, is told it
        assert any(new_code in mail.body for mail in mails_to("budi@example.org"))
    for page in (leader.page(number), _staff(new_visitor, metro.admin, "disdikbud-metro").visitor.get(
            "/disdikbud-metro/staff/audit")):
        assert page.status_code == 200 and new_code not in page.get_data(as_text=True)
