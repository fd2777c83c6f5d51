"""In a real browser: the office admin writes deadline alert points in words in both languages,
sees a point that cannot be read refused beside its field and the warning of an office with no
head of office; a leader lands on the staff home, sees what needs them, each count equal to the
inbox it links to, and the bell rung for a complaint a citizen has just filed."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tanggap.alerts import new_complaints
from tanggap.database import unit_of_work

from .conftest import login, shoot

SLUG = "disdikbud-metro"
SAVE = "main form button[type=submit]"


def _settings(page, live_server):
    page.goto(f"{live_server}/{SLUG}/staff/alerts/settings")


def test_the_admin_writes_alert_points_in_words_and_marks_a_head(live_server, page_factory):
    admin = page_factory(locale="id")
    login(admin, live_server, "admin.disdikbud@tanggap.demo")
    admin.wait_for_url(f"{live_server}/{SLUG}/staff/")
    _settings(admin, live_server)
    assert admin.input_value("#points-0-when") == "separuh waktu"  # in words, never a code
    assert admin.input_value("#points-3-when") == "1 hari setelah batas waktu"
    admin.fill("#points-4-when", "3 jam sebelum")
    admin.click(SAVE)
    expect(admin.locator("#points-4-when")).to_have_value("3 jam sebelum batas waktu")
    shoot(admin, "alert-points-id")

    admin.goto(f"{live_server}/locale/en")
    _settings(admin, live_server)
    expect(admin.locator("#points-4-when")).to_have_value("3 hours before the deadline")
    assert admin.input_value("#points-0-when") == "half time"
    admin.fill("#points-4-when", "")
    admin.fill("#points-5-when", "3 hours before")
    admin.click(SAVE)
    expect(admin.locator("#points-4-when")).to_have_value("3 hours before the deadline")
    assert admin.input_value("#points-5-when") == ""

    admin.fill("#points-5-when", "tomorrow morning")
    admin.click(SAVE)
    expect(admin.locator("#points-5-when-error")).to_contain_text("Write the point in words")
    assert admin.input_value("#points-5-when") == "tomorrow morning"  # nothing typed is lost
    assert "is-invalid" in (admin.get_attribute("#points-5-when", "class") or "")
    shoot(admin, "alert-points-refused-en")

    _settings(admin, live_server)  # the demo made the leader head of office: take it away
    for box in admin.locator("input[name=heads]").all():
        box.uncheck()
    admin.click(SAVE)
    expect(admin.locator("#no-head-warning")).to_be_visible()
    admin.goto(f"{live_server}/{SLUG}/staff/settings/staff")
    expect(admin.locator("#no-head-warning")).to_contain_text("No head of office is marked.")
    shoot(admin, "no-head-of-office-en")
    admin.click("#no-head-warning a")
    admin.locator("#heads .form-check", has_text="Leader Dinas").locator("input").check()
    admin.click(SAVE)
    expect(admin.locator(".alert-success")).to_be_visible()
    expect(admin.locator("#no-head-warning")).to_have_count(0)
    admin.goto(f"{live_server}/{SLUG}/staff/")
    expect(admin.locator("#office-work")).to_be_visible()
    expect(admin.locator("#no-head-warning")).to_have_count(0)
    assert admin.locator("main a[href*='/staff/complaints']").count() == 0  # an admin reads no complaint
    shoot(admin, "staff-home-admin-en")


def _file(live_server, page_factory) -> str:
    citizen = page_factory(phone=True)
    citizen.goto(f"{live_server}/{SLUG}/")
    citizen.click("text=Ajukan pengaduan")
    citizen.check("input[name=components][value=time]")
    citizen.fill("#description", "Antrean lebih lama dari standar pelayanan yang diumumkan.")
    citizen.fill("#occurred_on", "2026-11-20")
    citizen.fill("#waited_amount", "45")
    citizen.fill("#name", "Sri Wahyuni")
    citizen.fill("#email", "sri@example.org")
    citizen.check("#consent")
    citizen.click("text=Kirim pengaduan")
    citizen.wait_for_url("**/tanda-terima")
    return citizen.inner_text("#ticket-number").strip()


def _in_the_inbox(page) -> int:
    if page.locator("#inbox-results table").count() == 0:
        return 0
    return int(re.search(r"\d+", page.locator("#inbox-results caption").text_content() or "").group())


def test_a_leader_sees_what_needs_them_and_the_bell_for_a_new_complaint(live_server, live_app, page_factory):
    number = _file(live_server, page_factory)
    with live_app.app_context(), unit_of_work():
        assert new_complaints.tell().rung >= 1  # what the cron does every minute

    leader = page_factory(locale="id")
    login(leader, live_server, "leader.disdikbud@tanggap.demo")
    leader.wait_for_url(f"{live_server}/{SLUG}/staff/")
    expect(leader.locator("#bell-count")).to_be_visible()  # htmx fetched the bell
    assert int(leader.inner_text("#bell-count")) >= 1
    keys = leader.locator("[data-need]").evaluate_all("cards => cards.map(c => c.dataset.need)")
    assert keys == ["new", "overdue", "due_soon", "assess"]
    counts = {key: int(leader.get_attribute(f"[data-need={key}] .need-count", "data-count") or "") for key in keys}
    assert counts["new"] >= 1
    shoot(leader, "staff-home-id")
    links = {key: leader.get_attribute(f"[data-need={key}] .need-count", "href") for key in keys}

    for key, link in links.items():
        leader.goto(f"{live_server}{link}")
        assert _in_the_inbox(leader) == counts[key], key
    leader.goto(f"{live_server}/{SLUG}/staff/complaints/?tab=new")
    expect(leader.locator(f"#inbox-results a:text('{number}')")).to_have_count(1)

    leader.goto(f"{live_server}/{SLUG}/staff/")
    leader.click("#bell")
    expect(leader.locator("main")).to_contain_text(f"Pengaduan baru {number}")

    leader.goto(f"{live_server}/locale/en")
    leader.goto(f"{live_server}/{SLUG}/staff/")
    expect(leader.locator("main")).to_contain_text("What needs you now")
    expect(leader.locator("[data-need=assess]")).to_contain_text("To assess")
    shoot(leader, "staff-home-en")
