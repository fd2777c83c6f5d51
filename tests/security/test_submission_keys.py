"""A submission key says "the same sending again", nothing more: a resend finds the first
complaint only for the browser or token that sent it. Anyone else who learns or guesses a key
(a transfer's, the demo's, a channel's) gets the form's ordinary answer, never someone else's
receipt or tracking code."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tanggap.auth.models import User
from tanggap.complaints.models import Complaint
from tanggap.complaints.transfer import transfer
from tanggap.extensions import db
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tanggap.tenancy.scoping import every_office
from tests.complaints.conftest import complaint_form

METRO_FORM = "/disdikbud-metro/pengaduan/baru"
LAMPUNG_FORM = "/dinsos-lampung/pengaduan/baru"


def _count() -> int:
    return db.session.execute(
        every_office(select(func.count(Complaint.id)))
    ).scalar_one()


def _key(visitor, page: str = METRO_FORM) -> str:
    html = visitor.get(page).get_data(as_text=True)
    return re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1)


def _no_receipt(response, code: str) -> None:
    assert response.status_code == 422, response.status_code
    assert "tanda-terima" not in response.headers.get("Location", "")
    assert code not in response.get_data(as_text=True)


def test_a_transferred_complaints_key_gives_an_outsider_no_receipt(metro, lampung, make, ctx, new_visitor):
    filed = make.complaint(metro)
    with ctx():
        with bound_to(db.session.get(Tenant, metro.tenant.id)):
            source = db.session.get(Complaint, filed.id)
            received = transfer(source, db.session.get(Tenant, lampung.tenant.id),
                                by=db.session.get(User, metro.leader.id), reason="Bukan wewenang kami.")
            db.session.commit()
            code, before = received.tracking_code, _count()
    outsider = new_visitor()
    response = outsider.submit(LAMPUNG_FORM, {"submission_key": f"transfer:{metro.tenant.id}:{filed.id}"})
    _no_receipt(response, code)
    with ctx():
        assert _count() == before


def test_the_demos_keys_give_an_outsider_no_receipt(metro, app, ctx, new_visitor):
    result = app.test_cli_runner().invoke(args=["demo", "--password", "demo-password-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        codes = list(db.session.execute(every_office(select(Complaint.tracking_code))).scalars())
        keys = list(db.session.execute(every_office(select(Complaint.submission_key))).scalars())
        db.session.remove()
    assert codes and not any(key.startswith("demo-") for key in keys)
    outsider = new_visitor()
    for key in ("demo-0", "demo-1"):
        response = outsider.submit(METRO_FORM, {"submission_key": key})
        assert response.status_code == 422
        assert not any(code in response.get_data(as_text=True) for code in codes)


def test_another_browser_with_a_citizens_key_gets_the_form_not_the_receipt(metro, new_visitor, ctx):
    citizen, outsider = new_visitor(), new_visitor()
    key = _key(citizen)
    first = citizen.submit(METRO_FORM, {"submission_key": key, **complaint_form()})
    assert first.status_code == 303
    code = re.search(r"/pengaduan/([A-Z0-9-]+)/tanda-terima", first.headers["Location"]).group(1)
    _no_receipt(outsider.submit(METRO_FORM, {"submission_key": key}), code)
    again = citizen.submit(METRO_FORM, {"submission_key": key, **complaint_form()})
    assert again.headers["Location"] == first.headers["Location"]

    # the outsider's own complete form with the same key is a complaint of its own
    theirs = outsider.submit(METRO_FORM, {"submission_key": key, **complaint_form(name="Budi")})
    assert theirs.status_code == 303 and theirs.headers["Location"] != first.headers["Location"]
    with ctx():
        assert _count() == 2


def test_a_missing_or_overlong_key_on_the_web_form_is_treated_as_absent(metro, visitor, ctx):
    missing = visitor.submit(METRO_FORM, complaint_form())
    overlong = visitor.submit(METRO_FORM, {"submission_key": "k" * 500, **complaint_form()})
    assert (missing.status_code, overlong.status_code) == (303, 303)
    assert missing.headers["Location"] != overlong.headers["Location"]
    with ctx():
        assert _count() == 2
