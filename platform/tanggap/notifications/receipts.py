"""The gateway's delivery receipts: its signed word that a citizen's message arrived, or did not.

A receipt is a JSON document (``key``, ``status``, optionally ``detail``) signed with the
office's gateway secret, like every message Tanggap sends it (docs/messaging-gateway.md).
The signature is checked before anything is read, in constant time. A receipt names its
message by the delivery key, and the first report of a message stands: the same receipt
sent again, or a contrary one later, changes nothing, so a replayed request is harmless.
"""

from __future__ import annotations

import enum
import hmac

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..forms import CONTROL_CHARACTERS
from .channels import signature
from .models import Channel, ChannelSettings, OutboxMessage, Receipt


class Refusal(enum.Enum):
    """Why a receipt is refused, with the HTTP status the gateway is answered with."""

    BAD_SIGNATURE = 401
    MALFORMED = 400
    UNKNOWN_KEY = 404


class ReceiptRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.name.lower())
        self.refusal = refusal


def record(tenant_id: int, raw: bytes, signed: str | None) -> bool:
    """Record the receipt in ``raw`` for one of the office's messages; True if it changed the
    message, False for a repeat. ``ReceiptRefused`` when it is not the gateway's or not a receipt."""
    # Read, never made here: a request nobody has authenticated yet writes nothing.
    secret = db.session.execute(
        select(ChannelSettings.gateway_secret).where(ChannelSettings.tenant_id == tenant_id)).scalar_one_or_none()
    if not secret or not signed or not hmac.compare_digest(signature(secret, raw).encode(), signed.strip().encode()):
        raise ReceiptRefused(Refusal.BAD_SIGNATURE)
    try:
        document = current_app.json.loads(raw)  # the app's reading: too deep or a lone surrogate is malformed
        key, status = document["key"], Receipt(document["status"])
        detail = document.get("detail")
    except (ValueError, KeyError, TypeError):
        raise ReceiptRefused(Refusal.MALFORMED) from None
    if not isinstance(key, str) or (detail is not None and not isinstance(detail, str)):
        raise ReceiptRefused(Refusal.MALFORMED)
    if CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(detail or ""):  # a NUL: PostgreSQL holds none
        raise ReceiptRefused(Refusal.MALFORMED)
    message = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.tenant_id == tenant_id, OutboxMessage.key == key,
                                    OutboxMessage.channel == Channel.MESSAGE).with_for_update()
    ).scalar_one_or_none()
    if message is None:
        raise ReceiptRefused(Refusal.UNKNOWN_KEY)
    if message.receipt is not None:
        return False
    message.receipt, message.receipt_at = status, clock.now()
    message.receipt_detail = (detail or "").strip()[:500] or None
    return True
