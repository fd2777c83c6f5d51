"""The platform operator onboards a third office in the browser; its admin sets its colours;
a newly invited admin gets in by the link the embedded default wrote to the mail folder."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

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


def test_a_new_office_admin_gets_in_by_the_link_in_the_mail_folder(live_server, live_instance, page_factory):
    """The embedded default has no SMTP server: the invitation is a file in the instance's
    mail folder, and its link (on the server's own address) lets the new admin in."""
    page = page_factory(locale="id")
    login(page, live_server, "operator@tanggap.demo")
    page.wait_for_url("**/platform/")
    page.goto(f"{live_server}/platform/offices/dinsos-lampung")
    page.fill("#name", "Admin Baru Dinsos")
    page.fill("#email", "admin.baru@dinsos.example")
    page.click("form[action$='/admins'] button[type=submit]")
    page.wait_for_url("**/platform/offices/dinsos-lampung")
    assert "admin.baru@dinsos.example" in page.inner_text("#members")
    shoot(page, "console-invite-admin-id")

    [mail] = [message for message in _mails(live_instance) if message["To"] == "admin.baru@dinsos.example"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    [link] = re.findall(re.escape(live_server) + r"/auth/reset/\S+", text)

    invitee = page_factory(locale="id")
    invitee.goto(link)
    shoot(invitee, "invitation-set-password-id")
    invitee.fill("#new_password", "kata sandi admin baru")
    invitee.fill("#confirm", "kata sandi admin baru")
    invitee.click("button[type=submit]")
    invitee.wait_for_url("**/auth/login")
    invitee.fill("#email", "admin.baru@dinsos.example")
    invitee.fill("#password", "kata sandi admin baru")
    invitee.click("button[type=submit]")
    invitee.wait_for_url("**/dinsos-lampung/staff/**")
    shoot(invitee, "invitation-admin-first-login-id")
    assert "/dinsos-lampung/staff/" in invitee.url


def _mails(instance: Path) -> list[EmailMessage]:
    return [message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted((instance / "mail").glob("*.eml"))]
