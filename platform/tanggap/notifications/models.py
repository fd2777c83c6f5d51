"""The outbox, staff's in-app notifications, and each office's channel settings."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import Model, db
from ..tenancy.scoping import TenantScoped


class Channel(enum.Enum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    #: A WhatsApp or SMS message to a citizen, through the office's messaging gateway.
    MESSAGE = "message"


class Receipt(enum.Enum):
    """What the messaging gateway reported back about a message it was given."""

    DELIVERED = "delivered"
    FAILED = "failed"


#: A message given up after this many failed attempts stays in the table with its error.
MAX_ATTEMPTS = 5


class OutboxMessage(TenantScoped, Model):
    """A message owed to someone, kept until a delivery job has sent it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Names the cause (``complaint-event:40``, ``alert:12:half:7:email``); a second message for
    #: the same cause is refused, and the receiving side can use it to drop a repeat.
    key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[Channel] = mapped_column(
        db.Enum(Channel, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    #: An e-mail address, the webhook's URL, or a phone number in E.164 (+628...).
    recipient: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    #: Plain text for e-mail; the JSON document for a webhook or the messaging gateway.
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: The gateway's delivery receipt (its signed callback), once it has sent one.
    receipt: Mapped[Receipt | None] = mapped_column(
        db.Enum(Receipt, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]))
    receipt_at: Mapped[datetime | None]
    #: The gateway's own words on a failure (a number not on WhatsApp, ...), as it gave them.
    receipt_detail: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        # The re-drive's way in: only undelivered rows are indexed.
        Index("ix_outbox_message_unsent", "created_at", postgresql_where=text("sent_at IS NULL"),
              sqlite_where=text("sent_at IS NULL")),
    )


class StaffNotification(TenantScoped, Model):
    """An in-app notification for one member of staff: the bell and its list."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: Names the cause, like an outbox key: the same alert never rings twice.
    key: Mapped[str] = mapped_column(String(160))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    read_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_staff_notification_user_unread", "user_id", "read_at"),
    )


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class GatewayKind(enum.Enum):
    """How the office's messaging gateway is spoken to (``notifications.gateways``)."""

    #: Tanggap's own contract: signed JSON (docs/messaging-gateway.md).
    SIGNED = "signed"
    #: A provider's form API with a token header, in the shape of Fonnte's or Wablas's.
    TOKEN_FORM = "token_form"


class ChannelSettings(TenantScoped, Model):
    """How an office tells people: e-mail, a signed webhook for staff alerts, and a messaging
    gateway that carries citizens' notices by WhatsApp or SMS."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    #: Shared with the gateway; signs each delivery (HMAC-SHA256 of the body).
    webhook_secret: Mapped[str] = mapped_column(String(64), default=new_secret)
    #: Citizens who chose WhatsApp/SMS are told through the gateway only while this is on.
    gateway_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    gateway_kind: Mapped[GatewayKind] = mapped_column(
        db.Enum(GatewayKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=GatewayKind.SIGNED)
    gateway_url: Mapped[str | None] = mapped_column(String(500))
    #: Shared with the gateway: signs each message and each delivery receipt (HMAC-SHA256).
    gateway_secret: Mapped[str] = mapped_column(String(64), default=new_secret)
    #: The provider's API token, sent in its ``Authorization`` header (token-form gateways only).
    gateway_token: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("tenant_id"),)
