"""Links in mail are built on the platform's public address, never on the host a request
names; a reset request does the same work for every address; an existing account is asked,
never handed a password token, when someone invites it; the remember-me cookie is tight."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from flask import has_request_context
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from tanggap import clock
from tanggap.auth import accounts
from tanggap.auth.models import Membership, Role
from tanggap.config import Settings
from tanggap.extensions import db, mail
from tanggap.tenancy.models import Tenant
from tests.complaints.helpers import Staff, mails_to

EVIL = "evil.example"


def _on_host(visitor, host: str) -> None:
    """Carry the visitor's session to ``host``, as a browser pointed at a forged name would send it."""
    cookie = visitor.client.get_cookie("session")
    if cookie is not None:
        visitor.client.set_cookie("session", cookie.value, domain=host)


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


@pytest.mark.parametrize("forged", [{"Host": EVIL}, {"X-Forwarded-Host": EVIL}])
def test_a_reset_link_is_on_the_public_url_whatever_host_the_request_names(make, app, visitor, monkeypatch,
                                                                           forged):
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))
    office = make.office_with_staff("dinas-alpha")
    if "Host" in forged:
        visitor.get("/auth/reset")
        _on_host(visitor, EVIL)
    with mail.record_messages() as outbox:
        response = visitor.submit("/auth/reset", {"email": office.admin.email}, headers=forged, buffered=True)
    assert response.status_code == 302
    [message] = outbox
    links = _links(message.body)
    assert links and all(link.startswith(app.config["PUBLIC_URL"] + "/auth/reset/") for link in links)
    assert EVIL not in message.body


def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(make, visitor, monkeypatch):
    office = make.office_with_staff("dinas-alpha")
    looked_up: list[tuple[str, bool]] = []
    monkeypatch.setattr(accounts, "send_reset_link", lambda email: looked_up.append((email, has_request_context())))
    answers = []
    for email in (office.admin.email, "nobody@example.example"):
        response = visitor.submit("/auth/reset", {"email": email}, buffered=True, headers={"Accept-Language": "en"})
        answers.append((response.status_code, response.headers["Location"],
                        visitor.get(response.headers["Location"]).get_data(as_text=True).count("If an account uses")))
    assert answers[0] == answers[1] == (302, "/auth/login", 1)
    # the look-up and the mail happen after the answer, for both addresses alike
    assert looked_up == [(office.admin.email, False), ("nobody@example.example", False)]


def test_inviting_an_existing_account_asks_it_and_grants_nothing_until_it_accepts(make, app, new_visitor, ctx):
    alpha = make.office_with_staff("dinas-alpha")
    operator = make.user("operator@tanggap.example", is_operator=True)
    admin = new_visitor()
    admin.login(alpha.admin.email)
    admin.get("/dinas-alpha/staff/settings/staff")
    _on_host(admin, EVIL)
    with mail.record_messages() as outbox:
        sent = admin.submit("/dinas-alpha/staff/settings/staff",
                            {"email": operator.email, "name": "Siapa Saja", "role": "admin"},
                            headers={"Host": EVIL})
    assert sent.status_code in (302, 303)
    [message] = outbox
    assert "/auth/reset/" not in message.body and EVIL not in message.body
    [link] = [link for link in _links(message.body) if "/auth/invitation/" in link]
    assert link.startswith(app.config["PUBLIC_URL"])
    path = link[len(app.config["PUBLIC_URL"]):]

    def member_role() -> Role | None:
        with ctx():
            return db.session.execute(select(Membership.role).where(
                Membership.user_id == operator.id, Membership.tenant_id == alpha.tenant.id)).scalar()

    assert member_role() is None
    # the link grants nothing to anyone else, however they got it
    intruder = new_visitor()
    intruder.login(alpha.officer.email)
    assert intruder.get(path).status_code == 302
    assert intruder.submit(path, {}, page="/auth/password").status_code == 302
    assert member_role() is None
    assert admin.get(path).status_code == 302 and member_role() is None

    invited = new_visitor()
    invited.login(operator.email)
    assert invited.get(path).status_code == 200
    assert member_role() is None
    assert invited.submit(path, {}).status_code == 302
    assert member_role() is Role.ADMIN
    # once accepted the link is spent
    assert invited.get(path).status_code == 302


def test_inviting_a_new_person_still_mails_a_first_password_link_on_the_public_url(make, app, new_visitor, ctx):
    alpha = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(alpha.admin.email)
    admin.get("/dinas-alpha/staff/settings/staff")
    _on_host(admin, EVIL)
    with mail.record_messages() as outbox:
        admin.submit("/dinas-alpha/staff/settings/staff", {"email": "baru@example.org", "name": "Orang Baru",
                                                           "role": "officer"}, headers={"Host": EVIL})
    [message] = outbox
    assert re.search(re.escape(app.config["PUBLIC_URL"]) + r"/auth/reset/\S+", message.body)
    assert EVIL not in message.body


def test_a_citizens_tracking_link_sent_while_staff_act_under_a_forged_host_is_on_the_public_url(
        metro, make, app, new_visitor, ctx):
    filed = make.complaint(metro, email="tini@example.org")
    leader = new_visitor()
    leader.login(metro.leader.email)
    staff = Staff(leader, "disdikbud-metro")
    staff.page(filed.number)
    _on_host(leader, EVIL)
    accepted = leader.submit(staff.url(filed.number, "accept"), {}, page=staff.url(filed.number),
                             headers={"Host": EVIL})
    assert accepted.status_code == 303
    with ctx():
        bodies = [message.body for message in mails_to("tini@example.org")]
    told = [body for body in bodies if f"/pengaduan/{filed.code}" in body]
    assert told and all(EVIL not in body for body in bodies)
    assert all(link.startswith(app.config["PUBLIC_URL"]) for body in told for link in _links(body))


def test_production_trusts_only_the_public_host_the_configured_ones_and_the_offices(make, app, visitor, ctx,
                                                                                      monkeypatch):
    settings = Settings(env="production", secret_key="k" * 40, audit_key="a" * 40, public_url="https://tanggap.example.go.id",
                        trusted_hosts=("health.internal",))
    config = settings.as_flask_config(Path("/tmp"))
    assert config["TRUSTED_HOSTS"] == ["tanggap.example.go.id", "health.internal"]
    assert Settings.from_environ({"TANGGAP_TRUSTED_HOSTS": "a.example, b.example"}).trusted_hosts == (
        "a.example", "b.example")
    assert Settings(env="development").as_flask_config(Path("/tmp"))["TRUSTED_HOSTS"] is None

    office = make.tenant("dinas-alpha")
    with ctx():
        db.session.get(Tenant, office.id).domain = "pengaduan.alpha.example.go.id"
        db.session.commit()
    hosts = app.extensions["tanggap.office_hosts"]
    monkeypatch.setitem(app.config, "TANGGAP_TRUSTED_HOSTS", config["TANGGAP_TRUSTED_HOSTS"])
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", config["TRUSTED_HOSTS"])
    hosts.forget()
    try:
        assert visitor.get("/auth/login", headers={"Host": EVIL}).status_code == 400
        assert visitor.get("/auth/login", headers={"Host": "tanggap.example.go.id"}).status_code == 200
        assert visitor.get("/", headers={"Host": "pengaduan.alpha.example.go.id"}).status_code == 200
    finally:
        hosts.forget()


def test_the_remember_me_cookie_is_lax_http_only_and_lasts_two_weeks(make, visitor):
    office = make.office_with_staff("dinas-alpha")
    response = visitor.submit("/auth/login", {"email": office.leader.email, "password": make.PASSWORD,
                                              "remember": "y"})
    [cookie] = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("remember_token=")]
    attributes = {part.strip().split("=", 1)[0].lower(): part.strip().partition("=")[2]
                  for part in cookie.split(";")[1:]}
    assert "httponly" in attributes and attributes.get("samesite") == "Lax"
    lasts = parsedate_to_datetime(attributes["expires"]) - clock.now()
    assert timedelta(days=14) - timedelta(minutes=5) < lasts <= timedelta(days=14)
    production = Settings(env="production", secret_key="k" * 40, audit_key="a" * 40).as_flask_config(Path("/tmp"))
    assert production["REMEMBER_COOKIE_SECURE"] is True and production["REMEMBER_COOKIE_SAMESITE"] == "Lax"
