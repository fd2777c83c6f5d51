"""The delivery job: send one outbox message, at most once however often it runs."""

from __future__ import annotations

import logging

from flask import current_app
from flask_mail import Message
from sqlalchemy import select

from ..database import utcnow
from ..extensions import db, mail
from ..jobs import app_context
from ..tenancy.scoping import CROSS_TENANT
from .models import Channel, OutboxMessage

log = logging.getLogger(__name__)


def deliver(message_id: int) -> bool:
    """Send the message if it is still unsent; True when this run sent it."""
    with app_context():
        message = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
            .execution_options(**{CROSS_TENANT: True})
        ).scalar_one_or_none()
        if message is None or message.sent_at is not None:
            db.session.rollback()
            return False
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            db.session.commit()
            raise
        message.sent_at = utcnow()
        message.last_error = None
        db.session.commit()
        return True


def _send(message: OutboxMessage) -> None:
    if message.channel is Channel.EMAIL:
        mail.send(Message(subject=message.subject, recipients=[message.recipient], body=message.body,
                          extra_headers={"X-Tanggap-Key": message.key}))
        if current_app.config.get("MAIL_SUPPRESS_SEND"):
            # The embedded default has no SMTP server: the log is where a developer reads the mail.
            log.info("e-mail %s to %s (not sent: no MAIL_SERVER): %s\n%s", message.key, message.recipient,
                     message.subject, message.body)
        else:
            log.info("e-mail %s sent to %s: %s", message.key, message.recipient, message.subject)
