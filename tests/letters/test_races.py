"""Letters issued at the same moment, on PostgreSQL (real threads, real connections): one item's
letter asked for twice is issued once, and two letters of one office take consecutive numbers."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tanggap.extensions import db
from tanggap.letters.models import Letter, LetterCounter
from tanggap.tenancy.scoping import every_office
from tests.assessments.test_races import held_after, run_together
from tests.conftest import Visitor

pytestmark = pytest.mark.postgres


def _officer(app, office) -> Visitor:
    visitor = Visitor(app.test_client())
    visitor.login(office.officer.email)
    return visitor


def _issue(visitor: Visitor, slug: str, filed, token: str):
    return visitor.client.post(f"/{slug}/staff/complaints/{filed.number}/items/{filed.item_id}/letter",
                               data={"csrf_token": token, "locale": "id"})


def _letters(app, tenant_id: int) -> list[Letter]:
    with app.app_context():
        return list(db.session.execute(every_office(select(Letter).where(Letter.tenant_id == tenant_id).order_by(Letter.seq))).scalars())


def test_one_items_letter_asked_for_twice_at_once_is_issued_once(race, monkeypatch):
    from tanggap.letters import views

    app, make = race
    office = make.office_with_staff("dinas-surat")
    filed = make.complaint(office, upheld=True)
    first, second = _officer(app, office), _officer(app, office)
    page = f"/dinas-surat/staff/complaints/{filed.number}"
    tokens = first.csrf_token(page), second.csrf_token(page)
    held_after(monkeypatch, threading.Barrier(2, timeout=20), views, "complaint_or_404")

    answers = run_together(lambda: _issue(first, "dinas-surat", filed, tokens[0]),
                           lambda: _issue(second, "dinas-surat", filed, tokens[1]))

    assert [getattr(answer, "status_code", answer) for answer in answers] == [303, 303]
    letters = _letters(app, office.tenant.id)
    assert [(letter.seq, letter.package_item_id) for letter in letters] == [(1, filed.item_id)]


def test_two_letters_of_one_office_at_once_take_consecutive_numbers(race, monkeypatch):
    from tanggap.letters import views

    app, make = race
    office = make.office_with_staff("dinas-nomor")
    ours, theirs = make.complaint(office, upheld=True), make.complaint(office, upheld=True)
    first, second = _officer(app, office), _officer(app, office)
    tokens = (first.csrf_token(f"/dinas-nomor/staff/complaints/{ours.number}"),
              second.csrf_token(f"/dinas-nomor/staff/complaints/{theirs.number}"))
    held_after(monkeypatch, threading.Barrier(2, timeout=20), views, "complaint_or_404")

    answers = run_together(lambda: _issue(first, "dinas-nomor", ours, tokens[0]),
                           lambda: _issue(second, "dinas-nomor", theirs, tokens[1]))

    assert [getattr(answer, "status_code", answer) for answer in answers] == [303, 303]
    assert sorted(letter.seq for letter in _letters(app, office.tenant.id)) == [1, 2]
    with app.app_context():
        counters = db.session.execute(every_office(select(LetterCounter.last).where(LetterCounter.tenant_id == office.tenant.id))).scalars().all()
    assert counters == [2]
