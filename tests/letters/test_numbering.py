"""Letter numbers: the office's own pattern, one gapless count per office and year, a number
never taken twice for one letter, and never lost to a letter that failed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.letters.helpers import issue, items_of, letters_of, upheld_fee_complaint


def _seqs(number: str) -> list[int]:
    return [letter.seq for letter in letters_of(number)]


def test_each_office_counts_its_own_letters_without_gaps_and_a_second_ask_reuses_the_letter(
        metro, lampung, make, ctx, officer_of):
    ours, theirs = upheld_fee_complaint(metro, make).number, upheld_fee_complaint(lampung, make).number
    metro_staff, lampung_staff = officer_of(metro), officer_of(lampung)
    with ctx():
        metro_items, lampung_items = items_of(ours), items_of(theirs)
    steps = [(metro_staff, ours, metro_items["apology"], "id"), (lampung_staff, theirs, lampung_items["apology"], "id"),
             (metro_staff, ours, metro_items["apology"], "en"), (metro_staff, ours, metro_items["apology"], "id"),
             (lampung_staff, theirs, lampung_items["clarification"], "en"), (metro_staff, ours, metro_items["refund"], "id")]
    for staff, number, item_id, locale in steps:
        assert issue(staff, number, item_id, locale).status_code == 303
    with ctx():
        assert _seqs(ours) == [1, 2, 3]  # the repeated Indonesian apology is the first letter again
        assert _seqs(theirs) == [1, 2]
        numbers = [letter.number for letter in letters_of(ours)]
        assert [n.split("/")[:3] for n in numbers] == [["001", "PM", "DISDIKBUD"], ["002", "PM", "DISDIKBUD"],
                                                      ["003", "TT", "DISDIKBUD"]]
        assert letters_of(theirs)[1].number.startswith("002/PK/DINSOS/")


def test_a_letter_that_fails_gives_its_number_and_its_file_back(metro, make, ctx, officer_of, monkeypatch):
    from tanggap import filestore
    from tanggap.complaints import lifecycle

    number = upheld_fee_complaint(metro, make).number
    staff = officer_of(metro)
    with ctx():
        items = items_of(number)
    real = lifecycle.log_event

    def broken(*args, **kwargs):  # after the number was taken and the PDF written to the store
        raise RuntimeError("the database went away")

    with ctx():
        before = set(filestore.current().keys("uploads/"))
    monkeypatch.setattr(lifecycle, "log_event", broken)
    with pytest.raises(RuntimeError):
        issue(staff, number, items["apology"], "id")
    monkeypatch.setattr(lifecycle, "log_event", real)
    assert issue(staff, number, items["clarification"], "id").status_code == 303
    with ctx():
        letters = letters_of(number)
        assert [(letter.seq, letter.kind.value) for letter in letters] == [(1, "clarification")]
        added = set(filestore.current().keys("uploads/")) - before
        assert added == {f"uploads/{letters[0].evidence.storage_key}"}


def test_a_priority_item_gets_no_letter(lampung, make, ctx, officer_of):
    from tanggap.extensions import db
    from tanggap.letters.models import Letter
    from tanggap.tenancy.scoping import every_office

    number = upheld_fee_complaint(lampung, make, components=("time",)).number
    staff = officer_of(lampung)
    with ctx():
        items = items_of(number)
    assert "priority" in items
    staff.visitor.get("/locale/en")
    response = issue(staff, number, items["priority"], "id")
    assert response.status_code == 303
    assert "This compensation is not given by letter." in staff.page(number).get_data(as_text=True)
    with ctx():
        assert db.session.execute(every_office(select(Letter))).first() is None
