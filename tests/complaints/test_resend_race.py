"""A citizen's form sent twice at the same moment (a double click on a slow line), on PostgreSQL:
one complaint, both answers the same receipt, and the ticket number the second sending took is
given back.

The sendings run in real threads on real connections (tests/assessments/test_races.py), each
held after its form was read and validated, so that neither has filed when the other checks:
the moment a read-before-write lets both through. The unique (office, submission key) decides
instead (``intake.file_once``).
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from tanggap.complaints import submitting
from tanggap.complaints.models import Complaint, TicketCounter
from tanggap.extensions import db
from tanggap.tenancy.scoping import every_office
from tests.assessments.test_races import held_after, run_together
from tests.complaints.conftest import complaint_form
from tests.conftest import Visitor

pytestmark = pytest.mark.postgres

PAGE = "/disdikbud-metro/pengaduan/baru"


def test_one_form_sent_twice_at_once_files_one_complaint_and_gives_its_number_back(race, monkeypatch):
    app, make = race
    office = make.seed_office("disdikbud-metro")
    browser = Visitor(app.test_client())
    html = browser.get(PAGE).get_data(as_text=True)
    data = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1),
            "submission_key": re.search(r'name="submission_key" type="hidden" value="([^"]+)"', html).group(1),
            **complaint_form()}
    # The same browser twice: a second client carrying the first one's session cookie.
    twin = app.test_client()
    for cookie in browser.client._cookies.values():
        twin.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    held_after(monkeypatch, threading.Barrier(2, timeout=20), submitting, "submission")

    answers = run_together(lambda: browser.client.post(PAGE, data=data), lambda: twin.post(PAGE, data=data))

    assert [getattr(answer, "status_code", answer) for answer in answers] == [303, 303]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    with app.app_context():
        tenant_id = office.tenant.id
        filed = db.session.execute(every_office(
            select(func.count(Complaint.id)).where(Complaint.tenant_id == tenant_id))).scalar_one()
        issued = db.session.execute(every_office(
            select(func.sum(TicketCounter.last)).where(TicketCounter.tenant_id == tenant_id))).scalar_one()
        db.session.remove()
    assert (filed, issued) == (1, 1)  # no number lost: the next complaint takes 2
