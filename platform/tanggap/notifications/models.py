"""The outbox: one row per message to deliver."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import utcnow
from ..extensions import db
from ..tenancy.scoping import TenantScoped


class Channel(enum.Enum):
    EMAIL = "email"


class OutboxMessage(TenantScoped, db.Model):
    """A message owed to someone, kept until a delivery job has sent it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Names the cause (``complaint:12:event:40``); a second message for it is refused.
    key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[Channel] = mapped_column(
        db.Enum(Channel, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_outbox_message_unsent", "sent_at", "created_at"),)
