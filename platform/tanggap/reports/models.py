"""Exports being built in the background, and their files."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import utcnow
from ..extensions import db
from ..tenancy.scoping import TenantScoped


class Export(TenantScoped, db.Model):
    """A complaints export of one office for a period, built by a job with its progress kept here."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    #: Only the person who asked may download it.
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    #: queued, running, done or failed
    status: Mapped[str] = mapped_column(String(10), default="queued")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        return 100 if self.status == "done" else int(self.rows * 100 / self.total) if self.total else 0
