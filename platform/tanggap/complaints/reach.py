"""How the citizen was reached: each notice of a complaint, by channel, with what became of it.

Staff need to know whether a citizen who never answered was ever told, and how: the
e-mail sent, the WhatsApp delivered, or the message the gateway could not deliver. The
outbox holds all of it under the event's keys (``notices``), so nothing more is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..notifications.models import MAX_ATTEMPTS, Channel, OutboxMessage, Receipt
from .models import Complaint, ComplaintEvent
from .notices import TOLD, message_key

CHANNEL_LABELS = {Channel.EMAIL: _l("E-mail"), Channel.MESSAGE: _l("WhatsApp/SMS")}
STATE_LABELS = {
    "delivered": _l("Arrived"),
    "undelivered": _l("Did not arrive"),
    "sent": _l("Sent"),
    "given_up": _l("Could not be sent"),
    "retrying": _l("Retrying"),
    "waiting": _l("Waiting to be sent"),
}


@dataclass(frozen=True)
class Reached:
    event: ComplaintEvent
    channel: str
    recipient: str
    #: A key of ``STATE_LABELS``.
    state: str
    at: datetime
    detail: str | None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def _state(message: OutboxMessage) -> tuple[str, datetime, str | None]:
    if message.receipt is Receipt.DELIVERED:
        return "delivered", message.receipt_at or message.created_at, None
    if message.receipt is Receipt.FAILED:
        return "undelivered", message.receipt_at or message.created_at, message.receipt_detail
    if message.sent_at is not None:
        return "sent", message.sent_at, None
    if message.attempts >= MAX_ATTEMPTS:
        return "given_up", message.created_at, message.last_error
    if message.attempts:
        return "retrying", message.created_at, message.last_error
    return "waiting", message.created_at, None


def reached(complaint: Complaint) -> list[Reached]:
    """Every notice owed to the citizen of ``complaint``, oldest first, e-mail before WhatsApp/SMS."""
    told = {event.id: event for event in complaint.events if event.public and event.kind in TOLD}
    keys = {f"complaint-event:{event_id}": event_id for event_id in told}
    keys |= {message_key(event_id): event_id for event_id in told}
    if not keys:
        return []
    messages = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.key.in_(list(keys))).order_by(OutboxMessage.id)
    ).scalars()
    rows = []
    for message in messages:
        state, at, detail = _state(message)
        rows.append(Reached(told[keys[message.key]], str(CHANNEL_LABELS.get(message.channel, message.channel.value)),
                            message.recipient, state, at, detail))
    return rows
