"""A citizen who gave only a phone number is told of every step by WhatsApp or SMS, through the
office's messaging gateway (a real HTTP server on loopback here), once per step, in the
language they wrote in, with the tracking link; staff see how the citizen was reached.

The form normalises the number to E.164 and refuses clearly what is not a phone number,
keeping everything else the citizen typed.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tanggap.complaints.models import NotifyBy, Status
from tanggap.extensions import db
from tanggap.notifications.models import Channel, OutboxMessage
from tanggap.notifications.phones import NotAPhone, Problem, can_message, normalise
from tanggap.tenancy.scoping import every_office
from tests.complaints.conftest import complaint_form
from tests.complaints.helpers import Staff, complaint, errors, ticket
from tests.complaints.test_journey import local_minute
from tests.notifications.conftest import switch_gateway_on

PHONE = "+6281234567890"


@pytest.mark.parametrize("written", ["081234567890", "0812-3456-7890", "0812 3456 7890", "6281234567890",
                                     "62 812 3456 7890", "+62 812-3456-7890", "+62 (0)812 3456 7890",
                                     "(0812) 3456.7890", "0062 812 3456 7890"])
def test_indonesian_mobile_numbers_however_written_become_one_e164_number(written):
    assert normalise(written) == PHONE and can_message(PHONE)


def test_landlines_and_foreign_numbers_are_numbers_but_only_mobiles_and_foreign_ones_take_messages():
    assert normalise("(0725) 41549") == "+6272541549" and not can_message("+6272541549")
    assert normalise("+44 20 7946 0958") == "+442079460958" and can_message("+442079460958")


@pytest.mark.parametrize("written", ["telepon saya", "12345", "0812", "+62", "0812345678901234", "08x2 3456 7890",
                                     "+0812345678", ""])
def test_what_is_not_a_phone_number_is_refused(written):
    with pytest.raises(NotAPhone) as refused:
        normalise(written)
    assert refused.value.problem is Problem.NOT_A_NUMBER


def _form_page(visitor, slug: str) -> tuple[str, str]:
    page = f"/{slug}/pengaduan/baru"
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', visitor.get(page).get_data(as_text=True))
    return page, key.group(1)


@pytest.mark.parametrize("locale, words", [
    ("id", ["Isi nomor telepon Anda untuk diberi tahu lewat WhatsApp atau SMS.",
            "Tulis nomor telepon hanya dengan angka, seperti 0812 3456 7890."]),
    ("en", ["Give your phone number to be told by WhatsApp or SMS.",
            "Write a phone number with digits only, like 0812 3456 7890."]),
])
def test_a_wrong_number_is_refused_in_the_citizens_language_and_nothing_else_is_lost(metro, visitor, locale, words):
    visitor.get(f"/locale/{locale}")
    page, key = _form_page(visitor, "disdikbud-metro")
    missing = visitor.submit(page, {"submission_key": key, **complaint_form(phone=None, notify_by="phone")})
    assert missing.status_code == 422 and words[0] in missing.get_data(as_text=True)
    wrong = visitor.submit(page, {"submission_key": key, **complaint_form(email=None, phone="telepon saya",
                                                                          notify_by="phone")})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and words[1] in html
    for kept in ("telepon saya", "Siti Rahayu", "Legalisir ijazah", "padahal layanan ini gratis", 'value="50000"',
                 'checked class="form-check-input" id="notify_by-1"'):
        assert kept in html
    landline = visitor.submit(page, {"submission_key": key, **complaint_form(email=None, phone="(0725) 41549",
                                                                             notify_by="phone")})
    assert landline.status_code == 422 and "(0725) 41549" in landline.get_data(as_text=True)


def test_the_citizen_may_choose_e_mail_only_though_they_gave_a_phone(metro, visitor, ctx, file_complaint, gateway):
    receiver = gateway()
    switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    code = file_complaint(visitor, "disdikbud-metro", notify_by="email")
    with ctx():
        filed = complaint(code)
        assert (filed.notify_by, filed.phone) == (NotifyBy.EMAIL, PHONE)
    assert receiver.requests == []


def _citizen_messages(ctx) -> list[OutboxMessage]:
    with ctx():
        return list(db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.channel == Channel.MESSAGE)
                                       .order_by(OutboxMessage.id))).scalars())


def _staff(new_visitor, person, slug: str, locale: str | None = None) -> Staff:
    visitor = new_visitor()
    visitor.login(person.email)
    if locale:
        visitor.get(f"/locale/{locale}")
    return Staff(visitor, slug)


def _deliver_everything(officer: Staff, number: str, code: str, ctx) -> None:
    with ctx():
        items = list(complaint(code).package_items)
    for item in items:
        delivery = {"delivered_at": local_minute(), "method": "in_person", "note": ""}
        if item.kind == "refund":
            delivery |= {"method": "cash", "refunded_amount": str(item.amount), "receipt_number": "KW-0091"}
        if item.kind == "souvenir":
            delivery |= {"souvenir_given": "Pulpen"}
        if item.kind == "priority":
            delivery |= {"voucher": "Q-17"}
        result = officer.act(number, f"items/{item.id}/deliver", delivery)
        assert result.status_code == 303, errors(result)


def test_a_phone_only_citizen_hears_of_every_step_once_in_indonesian(metro, visitor, new_visitor, file_complaint,
                                                                     ctx, gateway):
    receiver = gateway()
    secret = switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    code = file_complaint(visitor, "disdikbud-metro", email=None, phone="0812-3456-7890")
    number = ticket("DISDIKBUD")
    receipt = visitor.get(f"/disdikbud-metro/pengaduan/{code}/tanda-terima").get_data(as_text=True)
    assert f"lewat WhatsApp atau SMS ke {PHONE}" in receipt and "Kami telah mengirimkan tanda terima ini ke" not in receipt
    officer = _staff(new_visitor, metro.officer, "disdikbud-metro")
    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    assert officer.act(number, "assign", {"unit": str(metro.unit_id), "assignee": str(metro.officer.id)}).status_code == 303
    assert officer.act(number, "accept").status_code == 303
    assert officer.act(number, "request-info", {"info-message": "Mohon kirim foto kuitansi."}).status_code == 303
    track = f"/disdikbud-metro/pengaduan/{code}"
    assert visitor.submit(f"{track}/informasi", {"message": "Kuitansi hilang, maaf."}, page=track).status_code == 303
    assert officer.act(number, "accept").status_code == 303
    assessed = leader.act(number, "assess", {
        "upheld": "yes", "components": ["fee"], "delay_amount": "45", "delay_unit": "minutes",
        "overcharge": "50000", "officer": str(metro.officer_id), "reasoning": "Pungutan tidak sesuai tarif.",
        "explanation": "", "confirm": "1"})
    assert assessed.status_code == 303, errors(assessed)
    _deliver_everything(officer, number, code, ctx)
    assert officer.act(number, "close").status_code == 303
    assert leader.act(number, "reopen", {"reopen-message": "Kuitansi pengembalian salah tulis."}).status_code == 303
    assert leader.act(number, "close").status_code == 303

    notices = ["submitted", "accepted", "info_requested", "accepted", "upheld", *["item_delivered"] * 4,
               "compensated", "closed", "reopened", "closed"]
    documents = receiver.documents()
    assert [document["notice"] for document in documents] == notices
    assert len({document["key"] for document in documents}) == len(notices)  # each step once
    assert receiver.signed_with(secret)
    assert {document["to"] for document in documents} == {PHONE} and {d["locale"] for d in documents} == {"id"}
    link = f"/disdikbud-metro/pengaduan/{code}"
    assert all(document["text"].endswith(link) for document in documents)
    assert documents[0]["text"].startswith(f"Pengaduan {number} diterima. Kompensasi paling lambat ")
    # The deadline in the office's time, as Indonesians write it (``6 Des 2026 19.09 WIB``).
    assert re.search(r"paling lambat \d{1,2} \w{3} \d{4} \d{2}\.\d{2} WIB\. http", documents[0]["text"])
    assert documents[5]["text"].startswith(f"Pengaduan {number}: kompensasi telah diserahkan (Permohonan maaf")
    # One SMS each (160 characters), the items' messages a few characters more: an item's name is cut short.
    assert "(Pengembalian atas biaya/ tarif…)" in documents[6]["text"]
    assert all(len(d["text"]) <= (170 if d["notice"] == "item_delivered" else 160) for d in documents)
    assert all(d["receipts"].endswith("/disdikbud-metro/gateway/receipts") for d in documents)
    with ctx():
        sent = _citizen_messages(ctx)
        assert all(message.sent_at is not None and message.attempts == 1 for message in sent)

    page = leader.page(number).get_data(as_text=True)
    assert "Cara warga diberi tahu" in page and page.count(PHONE) >= len(notices)
    assert page.count("reached-sent") == len(notices) and "WhatsApp atau SMS" in page


def test_a_phone_only_citizen_hears_in_english_when_they_wrote_in_english(lampung, visitor, new_visitor,
                                                                          file_complaint, ctx, gateway):
    receiver = gateway()
    switch_gateway_on(ctx, lampung.tenant.id, receiver.url)
    visitor.get("/locale/en")
    code = file_complaint(visitor, "dinsos-lampung", components=["time"], charged=None, tariff=None,
                          waited_amount="3", waited_unit="days", email=None, phone="+62 813-1111-2222",
                          notify_by="phone", description="My recommendation letter took three days too long.")
    number = ticket("DINSOS")
    leader = _staff(new_visitor, lampung.leader, "dinsos-lampung", locale="en")
    assert leader.act(number, "accept").status_code == 303
    assert leader.act(number, "assess", {"upheld": "yes", "components": ["time"], "delay_amount": "3",
                                         "delay_unit": "days", "reasoning": "Late.", "confirm": "1"}).status_code == 303
    _deliver_everything(_staff(new_visitor, lampung.officer, "dinsos-lampung", locale="en"), number, code, ctx)
    assert leader.act(number, "close").status_code == 303

    documents = receiver.documents()
    assert [d["notice"] for d in documents] == ["submitted", "accepted", "upheld", "item_delivered", "item_delivered",
                                                "item_delivered", "compensated", "closed"]
    assert {d["to"] for d in documents} == {"+6281311112222"} and {d["locale"] for d in documents} == {"en"}
    texts = [d["text"] for d in documents]
    assert texts[0].startswith(f"Complaint {number} received. Compensation due by ") and " WIB. " in texts[0]
    assert texts[2].startswith(f"Complaint {number} upheld: compensation is on its way.")
    assert texts[-1].startswith(f"Complaint {number} is closed. Rate how it was handled.")
    assert "Apology" in texts[3] and all(text.endswith(f"/dinsos-lampung/pengaduan/{code}") for text in texts)
    page = leader.page(number).get_data(as_text=True)
    assert "How the citizen was told" in page and "WhatsApp or SMS" in page


def test_referral_rejection_and_transfer_reach_a_phone_only_citizen(metro, lampung, visitor, new_visitor,
                                                                   file_complaint, ctx, gateway):
    receiver = gateway()
    switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    leader = _staff(new_visitor, metro.leader, "disdikbud-metro")
    referred = file_complaint(visitor, "disdikbud-metro", email=None)
    assert leader.act(ticket("DISDIKBUD", 1), "refer", {"refer-message": "Silakan ke Disdukcapil."}).status_code == 303
    rejected = file_complaint(visitor, "disdikbud-metro", email=None)
    assert leader.act(ticket("DISDIKBUD", 2), "accept").status_code == 303
    assert leader.act(ticket("DISDIKBUD", 2), "assess", {
        "upheld": "no", "reasoning": "Tarif resmi.", "explanation": "Tarif sesuai Perda.", "confirm": "1"}).status_code == 303
    transferred = file_complaint(visitor, "disdikbud-metro", email=None)
    assert leader.act(ticket("DISDIKBUD", 3), "transfer",
                      {"office": "dinsos-lampung", "message": "Urusan bantuan sosial."}).status_code == 303

    by_notice = {}
    for document in receiver.documents():
        by_notice.setdefault(document["notice"], []).append(document["text"])
    assert len(by_notice.pop("submitted")) == 3 and len(by_notice.pop("accepted")) == 1
    [referral], [rejection], [transfer] = by_notice.pop("not_competent"), by_notice.pop("rejected"), \
        by_notice.pop("transferred_out")
    assert by_notice == {}
    assert "bukan wewenang kantor ini" in referral and referral.endswith(f"/disdikbud-metro/pengaduan/{referred}")
    assert "tidak terbukti" in rejection and rejection.endswith(f"/disdikbud-metro/pengaduan/{rejected}")
    with ctx():
        moved = complaint(transferred)
        received = db.session.execute(every_office(select(type(moved)).where(type(moved).id == moved.transferred_to_id))).scalar_one()
        assert moved.status is Status.TRANSFERRED and received.notify_by is NotifyBy.PHONE
        new_code, new_number = received.tracking_code, received.number
    # The citizen follows it at the office that has it now, by its new number and code.
    assert new_number in transfer and transfer.endswith(f"/dinsos-lampung/pengaduan/{new_code}")


def test_without_a_gateway_switched_on_nothing_is_owed_to_the_phone(metro, visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro", email=None)
    with ctx():
        assert complaint(code).notify_by is NotifyBy.PHONE
    assert _citizen_messages(ctx) == []
