"""The sections later features add to a complaint's page come in the order the app factory
states (assessment, sanction, letters), whatever order their modules happen to be imported in."""

from __future__ import annotations

import importlib

from tests.complaints.helpers import Staff
from tests.letters.helpers import upheld_fee_complaint

#: Each panel's heading on the staff's page, in the order ``create_app`` registers them.
STATED = {"assessment": 'id="assessment-title"', "sanctions": 'id="sanction-title"', "letters": 'id="letters-title"'}


def test_the_factory_registers_the_panels_in_the_stated_order(app):
    from tanggap.complaints import panels

    for module in ("tanggap.letters.views", "tanggap.sanctions.views", "tanggap.assessments.views"):
        importlib.import_module(module)  # importing a feature registers nothing
    with app.app_context():
        assert [panel.name for panel in panels.registered()] == list(STATED)


def test_an_upheld_complaints_page_shows_its_sections_in_the_stated_order(make, new_visitor, metro):
    number = upheld_fee_complaint(metro, make).number
    visitor = new_visitor()
    visitor.login(metro.leader.email)
    response = Staff(visitor, metro.tenant.slug).page(number)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    where = [html.find(marker) for marker in ('id="complaint-title"', *STATED.values(), 'id="timeline-title"')]
    assert -1 not in where, dict(zip(("complaint", *STATED, "timeline"), where, strict=True))
    assert where == sorted(where)
