"""A leader decides, corrects and follows up a sanction in the browser, for both shipped offices,
at 03:00 WIB: the office's today is already a day ahead of UTC's."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tanggap import clock
from tests.complaints.helpers import ticket

from .conftest import DEMO_PASSWORD, shoot

OFFICES = {"metro": ("disdikbud-metro", "DISDIKBUD"), "lampung": ("dinsos-lampung", "DINSOS")}
WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize("office", OFFICES)
def test_leader_decides_corrects_and_follows_up_a_sanction(live_server, page_factory, office, travel):
    slug, prefix = OFFICES[office]
    number = ticket(prefix)  # the demo's first complaint, filed when the server started
    # 03:00 WIB tomorrow (20:00 UTC today), after the demo's assessment: every date the pages
    # offer by default is the office's today.
    travel(datetime.combine(clock.office_today(WIB.key) + timedelta(days=1), time(3, 0), WIB))
    page = page_factory(locale="en")
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", f"leader.{slug.split('-')[0]}@tanggap.demo")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/{slug}/staff/complaints/{number}")
    page.click("text=Decide the sanction")
    assert "Suggested: Reprimand" in page.inner_text("#suggestion")
    page.fill("#reasoning", "The officer charged a fee the standard does not allow.")
    shoot(page, f"sanction-{office}-1-decide")
    page.click("text=Record the sanction")
    page.wait_for_selector("#sanction-title")
    assert "Reprimand" in page.inner_text("section[aria-labelledby=sanction-title]")

    page.click("text=Correct the sanction")
    page.select_option("#code", "coaching")
    page.fill("#deviation_reason", "Second time this year at the same counter.")
    page.fill("#coaching_description", "Two days at the model service counter with a mentor.")
    page.fill("#coaching_due_on", (clock.office_today(WIB.key) + timedelta(days=14)).isoformat())
    page.fill("#correction_reason", "The first decision missed an earlier warning.")
    page.click("text=Record the correction")
    panel = page.inner_text("section[aria-labelledby=sanction-title]")
    assert "Coaching" in panel and "Corrected once" in panel
    shoot(page, f"sanction-{office}-2-corrected")

    page.click("section[aria-labelledby=sanction-title] a[href*='/staff/officers/']")
    page.click("text=Record completion")
    page.fill("#note", "Completed with the mentor's positive report.")
    page.click("button:text('Record completion')")
    page.wait_for_selector("text=Coaching recorded as completed.")
    record = page.inner_text("main")
    assert "completed" in record and "corrected" in record
    shoot(page, f"sanction-{office}-3-officer-record")
