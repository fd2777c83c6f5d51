"""Sending one message over its channel: e-mail (``tanggap.mailer``), or a signed webhook POST.

A webhook body is signed with the office's secret (HMAC-SHA256, hex, in
``X-Tanggap-Signature: sha256=...``) so the gateway can tell it came from here, and
carries its key in ``X-Tanggap-Key`` so a gateway can drop a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging

from flask import current_app

from .. import mailer
from .models import OutboxMessage
from .targets import UnsafeTarget, check, post

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 10


class DeliveryFailed(RuntimeError):
    """The channel refused the message; the job retries with back-off."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_email(message: OutboxMessage) -> None:
    mailer.send(message.subject, [message.recipient], message.body, html=message.html,
                headers={"X-Tanggap-Key": message.key})


def send_webhook(message: OutboxMessage, secret: str) -> None:
    """POST the signed body to the office's webhook, if its address is still a public one."""
    body = message.body.encode()
    headers = {"Content-Type": "application/json", "User-Agent": "Tanggap",
               "X-Tanggap-Key": message.key, "X-Tanggap-Signature": signature(secret, body)}
    post_checked(message.key, message.recipient, body, headers, what="webhook")


def post_checked(key: str, url: str, body: bytes, headers: dict[str, str], *, what: str) -> None:
    """POST to ``url`` if it is still a public address; ``DeliveryFailed`` unless it answers 2xx.

    What fails is said in general terms only: the error is shown on the operator's jobs
    page, and a socket's own words (refused, timed out, reset) would map the network.
    """
    try:
        target = check(url)
    except UnsafeTarget as refused:
        raise DeliveryFailed(f"{what} address refused ({refused.reason.value})") from None
    try:
        status = post(target, body, headers, current_app.config.get("WEBHOOK_TIMEOUT", WEBHOOK_TIMEOUT))
    except (OSError, TimeoutError, ValueError) as error:
        log.warning("%s %s to %s failed: %s", what, key, target.host, error)
        raise DeliveryFailed(f"{what} unreachable") from None
    except http.client.HTTPException as error:  # a malformed answer says nothing more useful
        log.warning("%s %s to %s failed: %s", what, key, target.host, error)
        raise DeliveryFailed(f"{what} failed") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"{what} answered {status}")
