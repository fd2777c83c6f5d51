"""Writing to the outbox, and handing new messages to the delivery job once committed.

A message is added in the caller's transaction. Only after that transaction commits are
the new ids handed to the job queue, at the end of the app context: a rolled-back change
sends nothing, and a queue that is down leaves the row for the re-drive to find.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, g, has_app_context
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..database import AnySession, insert_rows
from ..extensions import db
from ..tenancy.context import current_tenant_id
from ..tenancy.scoping import TenantScopeError
from .models import Channel, ChannelSettings, GatewayKind, OutboxMessage, StaffNotification, new_secret

log = logging.getLogger(__name__)

_FLUSHED = "tanggap.outbox.flushed"


def queue_email(*, tenant_id: int, to: str, subject: str, body: str, key: str,
                html: str | None = None) -> OutboxMessage:
    """Owe ``to`` an e-mail; it goes out after the current transaction commits."""
    message = OutboxMessage(tenant_id=tenant_id, key=key, channel=Channel.EMAIL, recipient=to,
                            subject=subject, body=body, html=html)
    db.session.add(message)
    return message


def queue_webhook(*, tenant_id: int, url: str, payload: dict[str, Any], key: str) -> OutboxMessage:
    """Owe the office's gateway a JSON document; it is signed when it is sent."""
    body = json.dumps({"key": key, **payload}, ensure_ascii=False, sort_keys=True, default=str)
    message = OutboxMessage(tenant_id=tenant_id, key=key, channel=Channel.WEBHOOK, recipient=url,
                            subject=str(payload.get("event", "")), body=body)
    db.session.add(message)
    return message


def queue_message(*, tenant_id: int, to: str, text: str, key: str, **facts: str) -> OutboxMessage:
    """Owe a citizen a WhatsApp or SMS message through the office's gateway.

    ``to`` is in E.164 and ``text`` already in the citizen's language; ``facts`` (the locale,
    the office, the notice, the receipt address) go along in the document the gateway gets
    (docs/messaging-gateway.md). It is adapted and signed when it is sent.
    """
    body = json.dumps({**facts, "key": key, "to": to, "text": text}, ensure_ascii=False, sort_keys=True)
    message = OutboxMessage(tenant_id=tenant_id, key=key, channel=Channel.MESSAGE, recipient=to,
                            subject=facts.get("notice", "")[:255], body=body)
    db.session.add(message)
    return message


def notify_staff(*, tenant_id: int, user_id: int, subject: str, body: str, key: str,
                 link: str | None = None) -> StaffNotification:
    """Ring a member of staff's bell (in-app: the database is the channel, nothing to deliver)."""
    notification = StaffNotification(tenant_id=tenant_id, user_id=user_id, key=key, subject=subject, body=body,
                                     link=link)
    db.session.add(notification)
    return notification


def owe_many(*, emails: list[dict[str, Any]], bells: list[dict[str, Any]]) -> None:
    """Many e-mails and bells at once, in the caller's transaction: what ``queue_email`` and
    ``notify_staff`` do one by one, as one statement per table (the deadline sweep tells
    hundreds of people in one batch). The e-mails are handed to the delivery job after the
    commit, like every other message; each row must be the bound office's, as the session's
    flush would insist (``tenancy.scoping``)."""
    bound = current_tenant_id()
    for row in (*emails, *bells):
        if row.get("tenant_id") is None or (bound is not None and row["tenant_id"] != bound):
            raise TenantScopeError(f"an outbox row of tenant {row.get('tenant_id')} while {bound} is bound")
    insert_rows(StaffNotification, bells)
    written = insert_rows(OutboxMessage, [{"channel": Channel.EMAIL, **row} for row in emails],
                          returning=(OutboxMessage.id,))
    if written is not None:
        db.session.info.setdefault(_FLUSHED, []).extend(written.scalars().all())


def settings_of(tenant_id: int) -> ChannelSettings:
    """The office's channel settings, made with their defaults on first use."""
    lookup = select(ChannelSettings).where(ChannelSettings.tenant_id == tenant_id)
    found = db.session.execute(lookup).scalar_one_or_none()
    if found is None:
        # Two sweeps may reach a new office at once: the second insert is a no-op, not an error.
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        db.session.execute(dialect.insert(ChannelSettings).values(
            tenant_id=tenant_id, email_enabled=True, webhook_secret=new_secret(), gateway_enabled=False,
            gateway_kind=GatewayKind.SIGNED, gateway_secret=new_secret()).on_conflict_do_nothing())
        found = db.session.execute(lookup).scalar_one()
    return found


def _remember_new(session: Session, flush_context: Any) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        session.info.setdefault(_FLUSHED, []).extend(ids)


def _committed(session: Session) -> None:
    ids = session.info.pop(_FLUSHED, [])
    if ids and has_app_context():
        g.setdefault("outbox_committed", []).extend(ids)


def _rolled_back(session: Session) -> None:
    session.info.pop(_FLUSHED, None)


def attach(session: AnySession) -> None:
    """Note ``session``'s new messages as they are flushed, and keep them for delivery once
    its transaction commits (forgotten if it rolls back); idempotent."""
    for name, listener in (("after_flush", _remember_new), ("after_commit", _committed),
                           ("after_rollback", _rolled_back)):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def init_app(app: Flask) -> None:
    """This application's session notes its messages; each app context hands the committed
    ones to the delivery job as it ends."""
    attach(db.session)

    @app.teardown_appcontext
    def _hand_over(error: BaseException | None) -> None:
        ids = g.pop("outbox_committed", [])
        if not ids:
            return
        from ..jobs import enqueue_each
        from .tasks import deliver

        try:  # one round trip to Redis for all of them (a sweep hands over hundreds)
            enqueue_each(deliver, [(message_id,) for message_id in ids], queue_name="notifications")
        except Exception:  # the rows stay unsent; the re-drive will pick them up
            log.exception("could not hand outbox messages %s to delivery", ids[:20])
