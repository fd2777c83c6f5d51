"""The leader's assessment: the package comes from the decree the complaint was filed under,
the leader may add what the decree allows and settle what it leaves open, never remove."""

from __future__ import annotations

import re

from datetime import timedelta

import pytest

from tanggap.complaints.models import Status
from tests.complaints.helpers import Staff, by_number, errors

FINDING = {"upheld": "yes", "components": ["fee"], "delay_amount": "45", "delay_unit": "minutes",
           "overcharge": "50000", "reasoning": "Terbukti.", "confirm": "1"}


@pytest.fixture
def metro_leader(metro, make, new_visitor):
    filed = make.complaint(metro, components=("fee",), charged=75000, tariff=25000, waited_minutes=40)
    visitor = new_visitor()
    visitor.login(metro.leader.email)
    visitor.get("/locale/en")
    staff = Staff(visitor, "disdikbud-metro")
    assert staff.act(filed.number, "accept").status_code == 303
    return staff, filed


def test_the_form_starts_from_the_citizens_account(metro_leader):
    staff, filed = metro_leader
    html = staff.visitor.get(staff.url(filed.number, "assess")).get_data(as_text=True)
    assert 'value="50000"' in html and 'value="40 minutes"' in html  # overcharge 75,000 - 25,000; 40 minutes
    assert "Category A: Pen" in html


def test_the_package_preview_answers_htmx_with_the_fragment(metro_leader):
    staff, filed = metro_leader
    token = staff.visitor.csrf_token(staff.url(filed.number, "assess"))
    response = staff.visitor.client.post(staff.url(filed.number, "assess"), headers={"HX-Request": "true"},
                                         data={key: value for key, value in FINDING.items() if key != "confirm"}
                                         | {"delay_amount": "4", "delay_unit": "days", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<section id=\"package\"")
    assert "Category B: Water bottle" in html or "Category B" in html


def test_a_delay_in_the_tier_gap_makes_the_leader_choose_the_souvenir(metro_leader, ctx):
    staff, filed = metro_leader
    gap = FINDING | {"delay_amount": "2", "delay_unit": "hours"}
    refused = staff.act(filed.number, "assess", gap)
    assert refused.status_code == 422
    assert "A souvenir is due but no category covers it: choose one." in errors(refused)
    assert "No souvenir tier covers a delay of 2 hours" in refused.get_data(as_text=True)
    assert staff.act(filed.number, "assess", gap | {"souvenir_tier": "B"}).status_code == 303
    with ctx():
        souvenir = by_number(filed.number).package_items[-1]
        assert (souvenir.kind, souvenir.tier, souvenir.item["en"]) == ("souvenir", "B", "Water bottle")


def test_the_leader_adds_what_the_decree_allows_and_cannot_remove_what_it_requires(metro_leader, ctx):
    staff, filed = metro_leader
    unknown = staff.act(filed.number, "assess", FINDING | {"added": ["bonus"]})
    assert unknown.status_code == 422
    # Items come from the finding, never from the browser: there is no way to post fewer.
    assert staff.act(filed.number, "assess", FINDING | {"added": ["priority"], "items": ["apology"]}).status_code == 303
    with ctx():
        items = by_number(filed.number).package_items
        assert [(i.code, i.required) for i in items] == [
            ("apology", True), ("refund", True), ("clarification", True), ("souvenir", True), ("priority", False)]


def test_a_refund_needs_its_amount(metro_leader):
    staff, filed = metro_leader
    refused = staff.act(filed.number, "assess", FINDING | {"overcharge": ""})
    assert refused.status_code == 422
    assert "A refund is due: give the amount charged over the tariff." in errors(refused)


def test_a_decree_without_tiers_lets_the_leader_name_the_souvenir(lampung, make, new_visitor, ctx):
    filed = make.complaint(lampung, components=("fee",))
    visitor = new_visitor()
    visitor.login(lampung.leader.email)
    staff = Staff(visitor, "dinsos-lampung")
    staff.act(filed.number, "accept")
    finding = FINDING | {"overcharge": "10000"}
    assert staff.act(filed.number, "assess", finding).status_code == 422
    assert staff.act(filed.number, "assess", finding | {"souvenir_item": "Buku saku"}).status_code == 303
    with ctx():
        complaint = by_number(filed.number)
        assert complaint.status is Status.UPHELD
        souvenir = next(i for i in complaint.package_items if i.kind == "souvenir")
        assert souvenir.item == {"id": "Buku saku", "en": "Buku saku"}


def test_assessing_twice_or_out_of_turn_is_not_possible(metro_leader, make, metro):
    staff, filed = metro_leader
    assert staff.act(filed.number, "assess", FINDING).status_code == 303
    assert staff.act(filed.number, "assess", FINDING).status_code == 303  # sent back to the page
    assert staff.visitor.get(staff.url(filed.number, "assess")).status_code == 303
    fresh = make.complaint(metro)
    assert staff.act(fresh.number, "assess", FINDING).status_code == 303  # not accepted yet: nothing done
    from tests.complaints.helpers import by_number as find

    with staff.visitor.client.application.app_context():
        assert find(fresh.number).status is Status.SUBMITTED


# The measured delay in words ---------------------------------------------------------------------


def test_the_delay_is_prefilled_in_words_of_the_leaders_language(metro, make, new_visitor):
    """A citizen's two days show as "2 hari" (or "2 days"), not as 2880 minutes."""
    filed = make.complaint(metro, components=("time",), waited_minutes=2880)
    for locale, words in (("id", "2 hari"), ("en", "2 days")):
        visitor = new_visitor()
        visitor.login(metro.leader.email)
        visitor.get(f"/locale/{locale}")
        staff = Staff(visitor, "disdikbud-metro")
        if locale == "id":
            assert staff.act(filed.number, "accept").status_code == 303
        html = visitor.get(staff.url(filed.number, "assess")).get_data(as_text=True)
        assert f'value="{words}"' in html and 'value="2880"' not in html
        # In a text box: a browser shows a number input holding "2 hari" as empty.
        delay = re.search(r'<input[^>]*id="delay_amount"[^>]*>', html).group(0)
        assert 'type="text"' in delay


@pytest.mark.parametrize(("typed", "tier"), [("2 hari", None), ("3 hari", "B"), ("45 menit", "A"), ("1 jam", None),
                                             ("1 day 12 hours", None), ("2x24 jam", None), ("4 days", "B")])
def test_the_leader_writes_the_delay_in_words(metro_leader, ctx, typed, tier):
    staff, filed = metro_leader
    finding = FINDING | {"delay_amount": typed, "delay_unit": "minutes"} | ({} if tier else {"souvenir_tier": "B"})
    response = staff.act(filed.number, "assess", finding)
    assert response.status_code == 303, errors(response)
    with ctx():
        from tanggap.decrees.durations import parse_duration

        upheld = by_number(filed.number)
        assert upheld.assessment.delay_minutes == parse_duration(typed) // timedelta(minutes=1)
        assert upheld.package_items[-1].tier == (tier or "B")


def test_a_delay_that_cannot_be_read_is_said_beside_the_field_and_kept(metro_leader):
    staff, filed = metro_leader
    response = staff.act(filed.number, "assess", FINDING | {"delay_amount": "lama sekali"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write how long, e.g. 45 minutes" in " ".join(errors(response))
    assert 'value="lama sekali"' in html
