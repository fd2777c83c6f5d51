"""The delivery job and the re-drive: every outbox row is sent, once, however often jobs run."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from .. import clock
from ..database import commit_progress, discard
from ..extensions import db
from ..jobs import app_context, enqueue
from ..tenancy.scoping import every_office
from . import gateways
from .channels import send_email, send_webhook
from .models import MAX_ATTEMPTS, Channel, ChannelSettings, OutboxMessage

log = logging.getLogger(__name__)

#: A row this old and still unsent was lost on its way to the queue (Redis down, a worker killed).
REDRIVE_AFTER = timedelta(minutes=2)


def deliver(message_id: int) -> bool:
    """Send the message if it is still unsent; True when this run sent it.

    The row is locked while sending, so two runs of the same job cannot both send it; a
    failure is recorded on the row and raised again, so RQ retries it with back-off.
    """
    with app_context():
        message = db.session.execute(
            every_office(select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update())
        ).scalar_one_or_none()
        if message is None or message.sent_at is not None:
            discard()
            return False
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            commit_progress()  # the failed attempt stays when the job raises for RQ to retry
            raise
        message.sent_at = clock.now()
        message.last_error = None
        return True


def _send(message: OutboxMessage) -> None:
    if message.channel is Channel.MESSAGE:
        settings = db.session.execute(
            every_office(select(ChannelSettings).where(ChannelSettings.tenant_id == message.tenant_id))
        ).scalar_one()
        gateways.send(message, settings)
        log.info("message %s handed to the gateway of tenant %s", message.key, message.tenant_id)
        return
    if message.channel is Channel.WEBHOOK:
        secret = db.session.execute(
            every_office(select(ChannelSettings.webhook_secret).where(ChannelSettings.tenant_id == message.tenant_id))
        ).scalar_one()
        send_webhook(message, secret)
        log.info("webhook %s delivered to %s", message.key, message.recipient)
        return
    send_email(message)  # on the embedded default the mailer writes it to the mail folder and logs where
    log.debug("e-mail %s delivered to %s: %s", message.key, message.recipient, message.subject)


def redrive(older_than: timedelta = REDRIVE_AFTER, limit: int = 500) -> int:
    """Queue again every row that should have gone out by now; the periodic safety net."""
    with app_context():
        cutoff = clock.now() - older_than
        ids = list(db.session.execute(
            every_office(select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.created_at <= cutoff,
                   OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.created_at).limit(limit))
        ).scalars())
        discard()
        for message_id in ids:
            try:
                enqueue(deliver, message_id, queue_name="notifications")
            except Exception:  # inline delivery failing, or Redis still away: next round
                log.exception("re-drive of outbox message %s failed", message_id)
        return len(ids)
