"""What becomes of a letter: kept as the item's delivery evidence, downloaded (audited), and
e-mailed to the citizen (on the timeline both read), who opens it with their tracking code."""

from __future__ import annotations

import hashlib
import re

from tests.complaints.helpers import audit_actions, mails_to
from tests.letters.helpers import download, issue, items_of, letters_of, upheld_fee_complaint


def test_the_letter_is_the_items_evidence_and_stays_so_after_delivery_by_letter(metro, make, ctx, officer_of):
    from tests.assessments.test_delivery import _local

    filed = upheld_fee_complaint(metro, make)
    staff = officer_of(metro)
    with ctx():
        item_id = items_of(filed.number)["apology"]
    issue(staff, filed.number, item_id, "id")
    with ctx():
        letter = letters_of(filed.number)[0]
        evidence_id, digest, letter_id = letter.evidence.id, letter.evidence.sha256, letter.id
        assert letter.evidence.package_item_id == item_id and letter.evidence.mimetype == "application/pdf"
    kept = staff.visitor.get(staff.url(filed.number, f"items/{item_id}/evidence/{evidence_id}"))
    assert kept.status_code == 200 and hashlib.sha256(kept.data).hexdigest() == digest
    assert download(staff, filed.number, letter_id) == kept.data
    delivered = staff.visitor.submit(staff.url(filed.number, f"items/{item_id}/deliver"),
                                     {"delivered_at": _local(), "method": "letter", "note": "Diserahkan di loket."},
                                     page=staff.url(filed.number))
    assert delivered.status_code == 303, delivered.get_data(as_text=True)[:300]
    page = staff.page(filed.number).get_data(as_text=True)
    assert re.search(rf'items/{item_id}/evidence/{evidence_id}">apology-id-001-PM-DISDIKBUD-[IVX]+-\d{{4}}\.pdf', page)


def test_sending_mails_the_citizen_a_link_to_the_same_letter_and_both_timelines_say_so(
        metro, make, ctx, officer_of, visitor):
    filed = upheld_fee_complaint(metro, make, email="siti@example.org")
    staff = officer_of(metro)
    with ctx():
        item_id = items_of(filed.number)["clarification"]
    issue(staff, filed.number, item_id, "en")
    with ctx():
        letter_id, letter_number = letters_of(filed.number)[0].id, letters_of(filed.number)[0].number
    citizen_page = f"/disdikbud-metro/pengaduan/{filed.code}"
    assert "Surat untuk Anda" not in visitor.get(citizen_page).get_data(as_text=True)  # not sent yet
    pdf = download(staff, filed.number, letter_id)
    sent = staff.visitor.submit(staff.url(filed.number, f"letters/{letter_id}/send"), {}, page=staff.url(filed.number))
    assert sent.status_code == 303
    with ctx():
        mails = [mail for mail in mails_to("siti@example.org") if mail.key.startswith("letter-sent:")]
        assert len(mails) == 1
        mail = mails[0]
        assert letter_number in mail.body and "a letter from" in mail.subject  # the letter's language
        link = re.search(r"https?://\S+/surat/\d+\.pdf", mail.body).group(0)
        assert "letter.issued" in audit_actions(metro.tenant.id)
        assert audit_actions(metro.tenant.id)[-2:] == ["letter.downloaded", "letter.sent"]
    opened = visitor.get(re.sub(r"^https?://[^/]+", "", link))
    assert opened.status_code == 200 and opened.data == pdf
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    visitor.get("/locale/id")
    tracking = visitor.get(citizen_page).get_data(as_text=True)
    assert "Surat untuk Anda" in tracking and letter_number in tracking and "Surat dikirim kepada warga" in tracking
    assert "Surat diterbitkan" not in tracking  # issuing is the staff's own step
    staff_page = staff.page(filed.number).get_data(as_text=True)
    assert "Surat diterbitkan" in staff_page and "Surat dikirim kepada warga" in staff_page


def test_a_citizen_without_e_mail_is_not_sent_anything(metro, make, ctx, officer_of):
    filed = upheld_fee_complaint(metro, make, email=None)
    staff = officer_of(metro)
    staff.visitor.get("/locale/en")
    with ctx():
        item_id = items_of(filed.number)["apology"]
    issue(staff, filed.number, item_id, "id")
    with ctx():
        letter_id = letters_of(filed.number)[0].id
    page = staff.page(filed.number).get_data(as_text=True)
    assert f"letters/{letter_id}/send" not in page  # no button
    refused = staff.visitor.submit(staff.url(filed.number, f"letters/{letter_id}/send"), {}, page=staff.url(filed.number))
    assert refused.status_code == 303
    assert "The citizen gave no e-mail address" in staff.page(filed.number).get_data(as_text=True)
    with ctx():
        assert letters_of(filed.number)[0].sent_at is None
        assert "letter.sent" not in audit_actions(metro.tenant.id)


def test_the_citizens_copy_opens_only_with_its_own_complaints_code_at_its_own_office(
        metro, lampung, make, ctx, officer_of, visitor):
    filed, other = upheld_fee_complaint(metro, make), upheld_fee_complaint(metro, make, name="Andi")
    elsewhere = upheld_fee_complaint(lampung, make)
    staff = officer_of(metro)
    with ctx():
        item_id = items_of(filed.number)["apology"]
    issue(staff, filed.number, item_id, "id")
    with ctx():
        letter_id = letters_of(filed.number)[0].id
    assert visitor.get(f"/disdikbud-metro/pengaduan/{filed.code}/surat/{letter_id}.pdf").status_code == 200
    assert visitor.get(f"/disdikbud-metro/pengaduan/{other.code}/surat/{letter_id}.pdf").status_code == 404
    assert visitor.get(f"/dinsos-lampung/pengaduan/{filed.code}/surat/{letter_id}.pdf").status_code == 404
    assert visitor.get(f"/dinsos-lampung/pengaduan/{elsewhere.code}/surat/{letter_id}.pdf").status_code == 404
    assert visitor.get(f"/disdikbud-metro/pengaduan/NOT-A-CODE/surat/{letter_id}.pdf").status_code == 404


def test_another_offices_staff_get_404_on_each_letter_route(metro, lampung, make, ctx, officer_of, new_visitor):
    filed = upheld_fee_complaint(metro, make)
    staff = officer_of(metro)
    with ctx():
        item_id = items_of(filed.number)["apology"]
    issue(staff, filed.number, item_id, "id")
    with ctx():
        letter_id = letters_of(filed.number)[0].id
    for role in ("officer", "leader", "admin"):
        outsider = new_visitor()
        outsider.login(getattr(lampung, role).email)
        token = outsider.csrf_token("/dinsos-lampung/staff/")
        base = f"/disdikbud-metro/staff/complaints/{filed.number}"
        for method, url in (("GET", f"{base}/letters/{letter_id}.pdf"), ("POST", f"{base}/letters/{letter_id}/send"),
                            ("POST", f"{base}/items/{item_id}/letter"), ("GET", "/disdikbud-metro/staff/letters"),
                            ("POST", "/disdikbud-metro/staff/letters"), ("GET", "/disdikbud-metro/staff/reports/print.pdf")):
            response = outsider.client.open(url, method=method, data={"csrf_token": token, "locale": "id"})
            assert response.status_code == 404, (role, method, url)
    with ctx():
        assert len(letters_of(filed.number)) == 1 and letters_of(filed.number)[0].sent_at is None
