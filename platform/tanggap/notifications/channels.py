"""Sending one message over its channel: SMTP e-mail, or a signed webhook POST.

A webhook body is signed with the office's secret (HMAC-SHA256, hex, in
``X-Tanggap-Signature: sha256=...``) so the gateway can tell it came from here, and
carries its key in ``X-Tanggap-Key`` so a gateway can drop a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request

from flask import current_app
from flask_mail import Message

from ..extensions import mail
from .models import OutboxMessage

WEBHOOK_TIMEOUT = 10


class DeliveryFailed(RuntimeError):
    """The channel refused the message; the job retries with back-off."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_email(message: OutboxMessage) -> None:
    mail.send(Message(subject=message.subject, recipients=[message.recipient], body=message.body,
                      html=message.html, extra_headers={"X-Tanggap-Key": message.key}))


def send_webhook(message: OutboxMessage, secret: str) -> None:
    body = message.body.encode()
    request = urllib.request.Request(
        message.recipient, data=body, method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Tanggap",
                 "X-Tanggap-Key": message.key, "X-Tanggap-Signature": signature(secret, body)},
    )
    try:
        with urllib.request.urlopen(request, timeout=current_app.config.get("WEBHOOK_TIMEOUT", WEBHOOK_TIMEOUT)) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"webhook answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryFailed(f"webhook unreachable: {error}") from error
    if not 200 <= status < 300:
        raise DeliveryFailed(f"webhook answered {status}")
