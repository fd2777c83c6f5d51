"""The messaging gateway against a real HTTP server on loopback: the office's settings, the two
adapters, the signed delivery receipts, and delivery through Redis (an outage loses nothing;
a gateway that keeps failing is retried, left in the failed registry, and sent once later)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from redis import Redis
from rq.registry import FailedJobRegistry
from sqlalchemy import select

from tanggap.audit.models import AuditLog
from tanggap.extensions import db
from tanggap.notifications.models import Channel, ChannelSettings, OutboxMessage, Receipt
from tanggap.notifications.channels import DeliveryFailed
from tanggap.notifications.tasks import deliver, redrive
from tanggap.tenancy.scoping import every_office
from tests.complaints.conftest import complaint_form
from tests.complaints.helpers import ticket
from tests.notifications.conftest import switch_gateway_on, work

PAGE = "/disdikbud-metro/pengaduan/baru"


def _file(visitor, **overrides) -> int:
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', visitor.get(PAGE).get_data(as_text=True))
    fields = {"email": None, "phone": "0812 3456 7890", **overrides}
    return visitor.submit(PAGE, {"submission_key": key.group(1), **complaint_form(**fields)}).status_code


def _messages(ctx) -> list[OutboxMessage]:
    with ctx():
        return list(db.session.execute(every_office(select(OutboxMessage).where(OutboxMessage.channel == Channel.MESSAGE)
                                       .order_by(OutboxMessage.id))).scalars())


def _signed(secret: str, document: dict) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(document).encode()
    return body, {"Content-Type": "application/json",
                  "X-Tanggap-Signature": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


def test_the_admin_switches_the_gateway_on_and_the_audit_log_keeps_no_secret(make, ctx, new_visitor, gateway):
    receiver = gateway()
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    settings = "/dinas-alpha/staff/notifications/settings"
    page = admin.get(settings).get_data(as_text=True)
    assert "/dinas-alpha/gateway/receipts" in page and 'id="gateway-secret"' in page
    no_address = admin.submit(settings, {"email_enabled": "y", "gateway_enabled": "y", "gateway_kind": "signed"})
    assert no_address.status_code == 422 and "Isi alamat gateway untuk menyalakannya." in no_address.get_data(as_text=True)
    no_token = admin.submit(settings, {"email_enabled": "y", "gateway_enabled": "y", "gateway_kind": "token_form",
                                       "gateway_url": receiver.url})
    assert no_token.status_code == 422 and "Isi token API penyedia" in no_token.get_data(as_text=True)
    # A line break would have gone into the Authorization header of every message sent.
    for broken in ("token\r\nX-Injected: 1", "token\n"):
        two_lines = admin.submit(settings, {"email_enabled": "y", "gateway_enabled": "y", "gateway_kind": "token_form",
                                            "gateway_url": receiver.url, "gateway_token": broken})
        assert two_lines.status_code == 422 and "Token hanya satu baris" in two_lines.get_data(as_text=True)
    saved = admin.submit(settings, {"email_enabled": "y", "gateway_enabled": "y", "gateway_kind": "token_form",
                                    "gateway_url": receiver.url, "gateway_token": "fonnte-token-123"})
    assert saved.status_code == 303
    kept = admin.submit(settings, {"email_enabled": "y", "gateway_enabled": "y", "gateway_kind": "token_form",
                                   "gateway_url": receiver.url, "gateway_token": "", "new_gateway_secret": "y"})
    assert kept.status_code == 303  # left empty, the saved token stays
    with ctx():
        channels = db.session.execute(every_office(select(ChannelSettings))).scalar_one()
        assert channels.gateway_enabled and channels.gateway_token == "fonnte-token-123"
        entries = db.session.execute(every_office(select(AuditLog).where(AuditLog.action == "channels.changed"))).scalars().all()
        written = json.dumps([entry.after for entry in entries])
        assert len(entries) == 2 and "fonnte-token-123" not in written and channels.gateway_secret not in written
        assert entries[-1].after["new_gateway_secret"] is True
    assert "fonnte-token-123" not in admin.get(settings).get_data(as_text=True)  # never shown again


def test_a_gateway_inside_the_platforms_network_is_refused(make, new_visitor):
    office = make.office_with_staff("dinas-alpha")
    admin = new_visitor()
    admin.login(office.admin.email)
    refused = admin.submit("/dinas-alpha/staff/notifications/settings",
                           {"gateway_enabled": "y", "gateway_kind": "signed", "gateway_url": "http://127.0.0.1:9/x"})
    assert refused.status_code == 422 and "loopback" in refused.get_data(as_text=True)


def test_the_token_form_adapter_speaks_as_fonnte_and_wablas_expect(metro, visitor, ctx, gateway):
    receiver = gateway()
    switch_gateway_on(ctx, metro.tenant.id, receiver.url, kind="token_form", token="fonnte-token-123")
    assert _file(visitor) == 303
    [(headers, body)] = receiver.requests
    fields = parse_qs(body.decode())
    assert headers["Authorization"] == "fonnte-token-123"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert fields["target"] == ["6281234567890"] and fields["message"][0].startswith("Pengaduan DISDIKBUD-")
    [message] = _messages(ctx)
    assert fields["ref"] == [message.key] and headers["X-Tanggap-Key"] == message.key and message.sent_at


def test_signed_receipts_mark_a_message_once_and_staff_see_it(metro, visitor, new_visitor, ctx, gateway):
    receiver = gateway()
    secret = switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    assert _file(visitor) == 303
    [message] = _messages(ctx)
    url = "/disdikbud-metro/gateway/receipts"
    client = visitor.client  # no CSRF token: the signature is the gateway's credential

    body, headers = _signed(secret, {"key": message.key, "status": "delivered"})
    first = client.post(url, data=body, headers=headers)
    assert first.status_code == 200 and first.json == {"recorded": True}
    again = client.post(url, data=body, headers=headers)  # a replay changes nothing
    assert again.status_code == 200 and again.json == {"recorded": False}
    contrary, headers2 = _signed(secret, {"key": message.key, "status": "failed", "detail": "not on WhatsApp"})
    assert client.post(url, data=contrary, headers=headers2).json == {"recorded": False}
    [marked] = _messages(ctx)
    assert marked.receipt is Receipt.DELIVERED and marked.receipt_at is not None and marked.receipt_detail is None

    leader = new_visitor()
    leader.login(metro.leader.email)
    page = leader.get(f"/disdikbud-metro/staff/complaints/{ticket('DISDIKBUD')}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'class="reached-delivered"' in html and "Sampai" in html


@pytest.mark.parametrize("signature", [None, "", "sha256=00", "sha256=" + "0" * 64, "md5=abc"])
def test_receipts_without_the_gateways_signature_are_refused(metro, visitor, ctx, gateway, signature):
    receiver = gateway()
    switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    assert _file(visitor) == 303
    [message] = _messages(ctx)
    headers = {"Content-Type": "application/json"} | ({"X-Tanggap-Signature": signature} if signature is not None else {})
    refused = visitor.client.post("/disdikbud-metro/gateway/receipts", headers=headers,
                                  data=json.dumps({"key": message.key, "status": "delivered"}))
    assert refused.status_code == 401
    assert _messages(ctx)[0].receipt is None


def test_a_receipt_is_only_ever_for_the_offices_own_messages(metro, lampung, visitor, ctx, gateway):
    receiver = gateway()
    metro_secret = switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    lampung_secret = switch_gateway_on(ctx, lampung.tenant.id, receiver.url)
    assert _file(visitor) == 303
    [message] = _messages(ctx)
    # Metro's message, reported to Lampung's address: Lampung's secret signs it, and the key is not Lampung's.
    body, headers = _signed(lampung_secret, {"key": message.key, "status": "failed"})
    assert visitor.client.post("/dinsos-lampung/gateway/receipts", data=body, headers=headers).status_code == 404
    # Signed with Metro's secret but sent to Lampung: not Lampung's gateway speaking.
    body, headers = _signed(metro_secret, {"key": message.key, "status": "failed"})
    assert visitor.client.post("/dinsos-lampung/gateway/receipts", data=body, headers=headers).status_code == 401
    for malformed in ({"key": message.key, "status": "read"}, {"status": "delivered"}, ["x"],
                      {"key": message.key, "status": "failed", "detail": 5}):
        body, headers = _signed(metro_secret, malformed)
        assert visitor.client.post("/disdikbud-metro/gateway/receipts", data=body, headers=headers).status_code == 400
    for unreadable in ('{"key": "%s", "status": "failed", "detail": "\\ud800"}' % message.key,  # half a character
                       '{"key": "%s\\u0000", "status": "failed"}' % message.key,  # PostgreSQL holds no NUL
                       '{"key": "%s", "status": "failed", "detail": "a\\u0000b"}' % message.key,
                       '{"key": "%s", "status": "failed", "detail": %s}' % (message.key, "[" * 5000 + "]" * 5000)):
        body = unreadable.encode()
        headers = {"Content-Type": "application/json",
                   "X-Tanggap-Signature": "sha256=" + hmac.new(metro_secret.encode(), body, hashlib.sha256).hexdigest()}
        assert visitor.client.post("/disdikbud-metro/gateway/receipts", data=body, headers=headers).status_code == 400
    assert _messages(ctx)[0].receipt is None
    body, headers = _signed(metro_secret, {"key": message.key, "status": "failed", "detail": "nomor tidak aktif"})
    assert visitor.client.post("/disdikbud-metro/gateway/receipts", data=body, headers=headers).json == {"recorded": True}
    marked = _messages(ctx)[0]
    assert (marked.receipt, marked.receipt_detail) == (Receipt.FAILED, "nomor tidak aktif")


def test_receipts_are_rate_limited(metro, visitor, ctx, gateway, app, monkeypatch):
    receiver = gateway()
    switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    monkeypatch.setitem(app.config, "GATEWAY_RECEIPT_LIMIT", "3 per minute")
    answers = [visitor.client.post("/disdikbud-metro/gateway/receipts", data=b"{}").status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]


def test_a_message_owed_while_redis_is_down_reaches_the_gateway_once_it_is_back(metro, visitor, ctx, gateway,
                                                                              private_redis):
    receiver = gateway()
    switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    private_redis.stop()
    assert _file(visitor) == 303  # accepted: the database has it, and the message with it
    [waiting] = _messages(ctx)
    assert waiting.sent_at is None and receiver.requests == []
    private_redis.start()
    for _ in range(2):  # two re-drive rounds: still one message
        redrive(older_than=timedelta(0))
        work(private_redis)
    assert len(receiver.requests) == 1
    [sent] = _messages(ctx)
    assert sent.sent_at is not None and sent.attempts == 1


def test_a_failing_gateway_is_retried_left_in_the_failed_registry_then_sent_once(
        metro, visitor, new_visitor, ctx, gateway, private_redis):
    receiver = gateway(status=503)
    switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    assert _file(visitor) == 303
    work(private_redis)
    registry = FailedJobRegistry("notifications", connection=Redis.from_url(private_redis.url))
    assert registry.count == 1 and len(receiver.requests) == 4  # the first try and three retries
    [failing] = _messages(ctx)
    assert failing.sent_at is None and failing.last_error == "DeliveryFailed: gateway answered 503"
    leader = new_visitor()
    leader.login(metro.leader.email)
    page = leader.get(f"/disdikbud-metro/staff/complaints/{ticket('DISDIKBUD')}").get_data(as_text=True)
    assert 'class="reached-retrying"' in page and "gateway answered 503" in page

    receiver.status = 200
    for _ in range(2):
        redrive(older_than=timedelta(0))
        work(private_redis)
    assert len(receiver.requests) == 5 and len({h["X-Tanggap-Key"] for h, _ in receiver.requests}) == 1
    assert _messages(ctx)[0].sent_at is not None


def test_a_gateway_switched_off_after_a_message_was_owed_fails_it_rather_than_drop_it(
        metro, visitor, ctx, gateway, private_redis):
    receiver = gateway()
    switch_gateway_on(ctx, metro.tenant.id, receiver.url)
    assert _file(visitor) == 303  # owed, and queued: no worker has run yet
    with ctx():
        channels = db.session.execute(every_office(select(ChannelSettings))).scalar_one()
        channels.gateway_enabled = False
        db.session.commit()
    with ctx(), pytest.raises(DeliveryFailed, match="messaging gateway is switched off"):
        deliver(_messages(ctx)[0].id)
    owed = _messages(ctx)[0]
    assert owed.sent_at is None and owed.last_error == "DeliveryFailed: messaging gateway is switched off"
    assert receiver.requests == []
