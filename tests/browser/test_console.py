"""The platform operator onboards a third office in the browser; its admin sets its colours."""

from __future__ import annotations

from .conftest import login, shoot


def test_the_operator_onboards_a_third_office_and_its_admin_brands_it(live_server, page_factory):
    page = page_factory(locale="en")
    login(page, live_server, "operator@tanggap.demo")
    page.wait_for_url("**/platform/")
    shoot(page, "console-home-en")
    page.click("text=Offices")
    page.fill("#slug", "dinkes-metro")
    page.fill("#name_id", "Dinas Kesehatan Kota Metro")
    page.fill("#name_en", "Health Office of Metro City")
    page.select_option("#region", label="Pemerintah Kota Metro (kota-metro)")
    page.click("text=Create the office")
    page.wait_for_url("**/platform/offices/dinkes-metro")
    page.fill("#name", "Admin Dinkes")
    page.fill("#email", "admin.dinkes@example.org")
    page.click("text=Send the invitation")
    assert "admin.dinkes@example.org" in page.inner_text("#members")
    shoot(page, "console-office-dinkes-metro-en")
    page.goto(f"{live_server}/dinkes-metro/")
    assert "Health Office of Metro City" in page.inner_text("header.letterhead")

    admin = page_factory(locale="en")
    login(admin, live_server, "admin.disdikbud@tanggap.demo")
    admin.goto(f"{live_server}/disdikbud-metro/staff/settings")
    admin.fill("#brand_color", "#ffee58")
    admin.click("button:text('Save')")
    assert "Too light" in admin.inner_text("#brand_color-error")
    shoot(admin, "settings-colour-refused-disdikbud-metro-en")
    admin.click("text=Staff")
    assert "leader.disdikbud@tanggap.demo" in admin.inner_text("#staff-list")
    shoot(admin, "settings-staff-disdikbud-metro-en")
