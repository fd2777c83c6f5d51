"""The staff timeline's *Ditugaskan* entry says to whom and to which unit; the citizen's
timeline shows no assignment, so no officer is named to the public."""

from __future__ import annotations

import re

from tests.complaints.helpers import Staff


def _staff(new_visitor, person, locale: str) -> Staff:
    visitor = new_visitor()
    visitor.login(person.email)
    visitor.get(f"/locale/{locale}")
    return Staff(visitor, "disdikbud-metro")


def _entry(page: str, title: str) -> str:
    """The text of the last timeline entry with ``title``."""
    entries = re.findall(r'<li class="timeline-event[^"]*"[^>]*>(.*?)</li>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", [e for e in entries if title in e][-1]).split())


def test_the_assignment_entry_names_the_assignee_and_unit_for_staff_only(metro, visitor, new_visitor,
                                                                          file_complaint):
    code = file_complaint(visitor, "disdikbud-metro")
    leader = _staff(new_visitor, metro.leader, "id")
    number = re.search(r"DISDIKBUD-\d{4}-\d{6}", visitor.get(f"/disdikbud-metro/pengaduan/{code}")
                       .get_data(as_text=True)).group(0)
    assigned = leader.act(number, "assign", {"unit": str(metro.unit_id), "assignee": str(metro.officer.id)})
    assert assigned.status_code == 303
    entry = _entry(leader.page(number).get_data(as_text=True), "Ditugaskan")
    assert f"Kepada {metro.officer.name}, Loket Pelayanan" in entry, entry

    english = _staff(new_visitor, metro.officer, "en")
    assert f"To {metro.officer.name}, Loket Pelayanan" in _entry(english.page(number).get_data(as_text=True), "Assigned")

    assert leader.act(number, "assign", {"unit": "", "assignee": ""}).status_code == 303
    assert "Penugasan dicabut" in _entry(leader.page(number).get_data(as_text=True), "Ditugaskan")

    citizen_page = visitor.get(f"/disdikbud-metro/pengaduan/{code}").get_data(as_text=True)
    assert metro.officer.name not in citizen_page and "Ditugaskan" not in citizen_page
