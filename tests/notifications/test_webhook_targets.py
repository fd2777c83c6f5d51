"""The office webhook reaches public addresses only: the form refuses the platform's own
network by every spelling, the worker checks again on the address it connects to, a
redirect is an answer and never followed, and the jobs page learns nothing of the network."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tanggap.extensions import db
from tanggap.notifications.models import ChannelSettings, OutboxMessage
from tanggap.tenancy.scoping import every_office

from .conftest import Receiver, free_port

SETTINGS = "/disdikbud-metro/staff/notifications/settings"

REFUSED = [
    ("http://127.0.0.1:6379/", "loopback"),
    ("http://localhost:8080/hook", "loopback"),
    ("http://[::1]/hook", "loopback"),
    ("http://0x7f000001/hook", "loopback"),
    ("http://2130706433/hook", "loopback"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link_local"),
    ("http://[fe80::1]/hook", "link_local"),
    ("http://10.0.0.5/hook", "private"),
    ("http://192.168.1.1/hook", "private"),
    ("http://[fd00::1]/hook", "private"),
    ("http://224.0.0.1/hook", "multicast"),
    ("http://0.0.0.0/hook", "unusable"),
    ("http://240.0.0.1/hook", "unusable"),
]
MESSAGES = {
    "id": {
        "loopback": "Alamat ini menunjuk ke server ini sendiri (loopback).",
        "link_local": "Ini alamat link-local",
        "private": "Alamat ini berada di jaringan privat.",
        "multicast": "Ini alamat multicast.",
        "unusable": "Alamat ini tidak ditentukan atau dicadangkan.",
    },
    "en": {
        "loopback": "This address points at the server itself (loopback).",
        "link_local": "This is a link-local address",
        "private": "This address is in a private network.",
        "multicast": "This is a multicast address.",
        "unusable": "This address is unspecified or reserved.",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("url, kind", REFUSED)
def test_the_form_refuses_every_address_of_the_platform_s_own_network(metro, visitor, url, kind, language):
    visitor.login(metro.admin.email)
    refused = visitor.submit(SETTINGS, {"email_enabled": "y", "webhook_url": url},
                             headers={"Accept-Language": language})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert MESSAGES[language][kind] in html
    assert f'value="{url}"' in html  # what was typed stays


def test_a_public_address_is_taken_and_http_only_outside_production(app, metro, visitor):
    visitor.login(metro.admin.email)
    assert visitor.submit(SETTINGS, {"webhook_url": "https://93.184.215.14/hook"}).status_code == 303
    app.config["WEBHOOK_ALLOW_HTTP"] = False
    try:
        refused = visitor.submit(SETTINGS, {"webhook_url": "http://93.184.215.14/hook"},
                                 headers={"Accept-Language": "en"})
    finally:
        app.config["WEBHOOK_ALLOW_HTTP"] = True
    assert refused.status_code == 422
    assert "Give an https:// address" in refused.get_data(as_text=True)


def _saved_webhook(ctx, metro, url: str) -> None:
    """An address already stored (from before the check, or a name whose answer changed since)."""
    with ctx():
        channels = db.session.execute(every_office(select(ChannelSettings).where(ChannelSettings.tenant_id == metro.tenant.id))).scalar_one_or_none()
        if channels is None:
            channels = ChannelSettings(tenant_id=metro.tenant.id, webhook_secret="s" * 32)
            db.session.add(channels)
        channels.webhook_url = url
        db.session.commit()


def _send_test_message(metro, visitor) -> None:
    visitor.login(metro.admin.email)
    visitor.get(SETTINGS)
    visitor.submit(f"{SETTINGS}/test", page=SETTINGS)


def _webhook_error(ctx) -> str | None:
    with ctx():
        message = db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.channel == "webhook"))).scalar_one()
        assert message.sent_at is None
        return message.last_error


def test_a_name_that_resolves_to_loopback_gets_no_connection(metro, visitor, ctx):
    receiver = Receiver(200)
    try:
        _saved_webhook(ctx, metro, f"http://localhost:{receiver.server.server_port}/hook")
        _send_test_message(metro, visitor)
        assert receiver.requests == []
    finally:
        receiver.server.shutdown()
    assert _webhook_error(ctx) == "DeliveryFailed: webhook address refused (loopback)"


def test_the_connection_goes_to_the_address_that_was_checked(metro, visitor, ctx, monkeypatch):
    """A name that answers with a public address for the check and loopback afterwards (DNS rebinding)."""
    import socket

    receiver = Receiver(200)
    answers = iter([("93.184.215.14",)])
    real = socket.getaddrinfo
    connected: list[tuple] = []

    def rebinding(host, port, *args, **kwargs):
        if host != "gateway.example":
            return real(host, port, *args, **kwargs)
        address = next(answers, ("127.0.0.1",))[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def refuse(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no route")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(socket, "create_connection", refuse)
    try:
        _saved_webhook(ctx, metro, f"http://gateway.example:{receiver.server.server_port}/hook")
        _send_test_message(metro, visitor)
    finally:
        receiver.server.shutdown()
    assert receiver.requests == []
    assert connected == [("93.184.215.14", receiver.server.server_port)]


def test_a_redirect_is_not_followed(metro, visitor, ctx, webhook_receiver):
    elsewhere = webhook_receiver(200)
    redirecting = webhook_receiver(302, location=elsewhere.url)
    _saved_webhook(ctx, metro, redirecting.url)
    _send_test_message(metro, visitor)
    assert len(redirecting.requests) == 1 and elsewhere.requests == []
    assert _webhook_error(ctx) == "DeliveryFailed: webhook answered 302"


def test_the_jobs_page_does_not_learn_how_a_connection_failed(metro, visitor, ctx, webhook_receiver):
    webhook_receiver(200)  # lets loopback through for this test
    _saved_webhook(ctx, metro, f"http://127.0.0.1:{free_port()}/hook")  # nothing listens there
    _send_test_message(metro, visitor)
    assert _webhook_error(ctx) == "DeliveryFailed: webhook unreachable"
