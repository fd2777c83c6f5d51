"""The citizen's form: every bad answer is named beside its field and nothing typed is lost;
the same form sent twice files one complaint; files are judged by their content."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tanggap.complaints.models import Complaint, TicketCounter
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office
from tests.complaints.conftest import complaint_form
from tests.complaints.helpers import complaint, errors, photo

PAGE = "/disdikbud-metro/pengaduan/baru"


def _count() -> int:
    return db.session.execute(
        every_office(select(func.count(Complaint.id)))
    ).scalar_one()


def _key(visitor) -> str:
    html = visitor.get(PAGE).get_data(as_text=True)
    return re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)


def _send(visitor, **overrides):
    return visitor.submit(PAGE, {"submission_key": _key(visitor), **complaint_form(**overrides)},
                          content_type="multipart/form-data")


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"components": []}, "components", "Choose at least one part of the standard that was not met."),
    ({"components": ["nonsense"]}, "components", "is not a valid choice for this field."),
    ({"description": ""}, "description", "Tell us what happened."),
    ({"description": "Terlalu pendek"}, "description", "Write between 20 and 5,000 characters."),
    ({"occurred_on": ""}, "occurred_on", "Give the date it happened."),
    ({"occurred_on": "kemarin"}, "occurred_on", "Not a valid date value."),
    ({"occurred_on": "2999-01-01"}, "occurred_on", "The date cannot be in the future."),
    ({"waited_amount": "-3"}, "waited_amount", "Give a whole number of at least 1."),
    ({"charged": "lima puluh"}, "charged", "Not a valid integer value."),
    ({"unit": "999"}, "unit", "Not a valid choice."),
    ({"name": ""}, "name", "Give your name."),
    ({"email": "bukan-email"}, "email", "This is not an e-mail address."),
    ({"email": "", "phone": ""}, "email", "Give an e-mail address or a phone number, so that we can reach you."),
    ({"phone": "telepon saya"}, "phone", "Write a phone number with digits only, like 0812 3456 7890."),
    ({"consent": None}, "consent", "We can only handle your complaint with your agreement."),
])
def test_bad_answers_are_named_beside_their_field_and_everything_typed_is_kept(
        metro, visitor, ctx, overrides, field, message):
    visitor.get("/locale/en")
    response = _send(visitor, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>\s*[^<]*{re.escape(message)}', html), errors(response)
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    kept = complaint_form(**overrides)
    if field != "name":
        assert 'value="Siti Rahayu"' in html
    if field != "description":
        assert kept["description"] in html
    with ctx():
        assert _count() == 0


def test_errors_are_in_indonesian_by_default(metro, visitor):
    response = _send(visitor, name="", consent=None)
    assert response.status_code == 422
    text = " ".join(errors(response))
    assert "Tuliskan nama Anda." in text and "Give your name" not in text


def test_the_same_form_sent_twice_files_one_complaint(metro, visitor, ctx):
    key = _key(visitor)
    data = {"submission_key": key, **complaint_form()}
    first = visitor.submit(PAGE, data)
    second = visitor.submit(PAGE, data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with ctx():
        assert _count() == 1
        # The resend's number went back with its discarded work: the next complaint takes 2.
        assert db.session.execute(every_office(select(func.sum(TicketCounter.last)))).scalar_one() == 1


def test_an_htmx_submission_gets_the_form_fragment_on_error_and_a_redirect_on_success(metro, visitor):
    key = _key(visitor)
    headers = {"HX-Request": "true"}
    bad = visitor.submit(PAGE, {"submission_key": key, **complaint_form(name="")}, headers=headers)
    assert bad.status_code == 422 and "HX-Request" in bad.headers["Vary"]
    html = bad.get_data(as_text=True)
    assert html.lstrip().startswith("<form") and "<html" not in html
    good = visitor.submit(PAGE, {"submission_key": key, **complaint_form()}, headers=headers)
    assert good.status_code == 204 and "/tanda-terima" in good.headers["HX-Redirect"]


def test_files_are_judged_by_content_not_by_name(metro, visitor, ctx, app):
    visitor.get("/locale/en")
    disguised = (io.BytesIO(b"<script>alert(1)</script>" * 10), "foto.png")
    response = _send(visitor, files=[disguised])
    assert response.status_code == 422
    assert "foto.png is not a photo (JPEG, PNG, WebP) or a PDF." in response.get_data(as_text=True)

    big = (io.BytesIO(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)), "besar.pdf")
    assert "besar.pdf is larger than 5 MB." in _send(visitor, files=[big]).get_data(as_text=True)
    many = [(io.BytesIO(b"%PDF-1.4 x"), f"{n}.pdf") for n in range(4)]
    assert "Attach at most 3 files." in _send(visitor, files=many).get_data(as_text=True)

    jpeg = photo()
    ok = _send(visitor, files=[(io.BytesIO(jpeg), "../../etc/kuitansi.jpg")])
    assert ok.status_code == 303
    code = re.search(r"/pengaduan/([A-Z0-9-]+)/", ok.headers["Location"]).group(1)
    with ctx():
        [stored] = complaint(code).attachments
        path = Path(app.config["FILE_STORE"]) / "uploads" / stored.storage_key
        kept = path.read_bytes()  # the photo written anew (tests/complaints/test_attachment_content.py)
        assert (stored.filename, stored.mimetype, stored.size) == ("kuitansi.jpg", "image/jpeg", len(kept))
        assert Path(app.static_folder) not in path.parents
    download = visitor.get(f"/disdikbud-metro/pengaduan/{code}/berkas/{stored.id}")
    assert download.status_code == 200 and download.data == kept
    assert "attachment" in download.headers["Content-Disposition"]


def test_submissions_are_rate_limited_per_address(metro, visitor, ctx):
    statuses = [_send(visitor).status_code for _ in range(6)]
    assert statuses[:5] == [303] * 5 and statuses[5] == 429
    with ctx():
        assert _count() == 5


def test_an_office_without_a_decree_in_force_takes_no_complaints(make, visitor):
    make.office_with_staff("dinas-kosong")
    response = visitor.get("/dinas-kosong/pengaduan/baru")
    assert response.status_code == 404
    assert "Pengaduan belum dapat diajukan di sini" in response.get_data(as_text=True) or \
        "Complaints cannot be filed here yet" in response.get_data(as_text=True)


def test_the_deadline_stays_when_the_decree_changes(metro, make, visitor, new_visitor, file_complaint, ctx):

    from tanggap import clock
    from tanggap.decrees import drafts
    from tanggap.tenancy.context import bound_to
    from tanggap.tenancy.models import Tenant

    code = file_complaint(visitor, "disdikbud-metro")
    with ctx():
        filed = complaint(code)
        due, decree_id = filed.due_at, filed.decree_id
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):  # a new version shortens it (a published version is never edited)
            draft = drafts.start_draft(tenant, None)
            draft.deadline.hours = 24
            drafts.publish_draft(draft, clock.office_today(tenant), None)
            db.session.commit()
    with ctx():
        assert complaint(code).due_at == due and complaint(code).decree_id == decree_id
    later = file_complaint(new_visitor(), "disdikbud-metro")
    with ctx():
        assert complaint(later).decree_id != decree_id
        assert complaint(later).due_at - complaint(later).submitted_at != due - complaint(code).submitted_at


def test_tracking_codes_cannot_be_guessed_or_borrowed_across_offices(metro, lampung, visitor, file_complaint, ctx):
    code = file_complaint(visitor, "disdikbud-metro")
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){2}", code)
    assert visitor.get(f"/disdikbud-metro/pengaduan/{code.lower()}").status_code == 200  # typed in lower case
    assert visitor.get(f"/dinsos-lampung/pengaduan/{code}").status_code == 404  # another office's page
    assert visitor.get("/disdikbud-metro/pengaduan/AAAA-BBBB-CCCC").status_code == 404
    assert visitor.get("/disdikbud-metro/pengaduan/1").status_code == 404
    found = visitor.submit("/disdikbud-metro/lacak", {"code": code.replace("-", " ").lower()})
    assert found.status_code == 303 and found.headers["Location"].endswith(f"/pengaduan/{code}")
    wrong = visitor.submit("/disdikbud-metro/lacak", {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 422


def test_guessing_tracking_codes_is_rate_limited(metro, visitor):
    statuses = [visitor.get(f"/disdikbud-metro/pengaduan/AAAA-BBBB-CC{n:02d}").status_code for n in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
