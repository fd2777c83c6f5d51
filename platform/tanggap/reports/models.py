"""Exports being built in the background, and their files."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import Model
from ..tenancy.scoping import TenantScoped


class Export(TenantScoped, Model):
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
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        return 100 if self.status == "done" else int(self.rows * 100 / self.total) if self.total else 0


class ReportDay(TenantScoped, Model):
    """Per office and day of filing (office time): the additive figures of the complaints filed
    that day, as of the last refresh. The inspectorate sums these instead of reading every
    complaint of a year (a rollup kept by a job; see ``rollup.py``)."""

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    upheld: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    compensated: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    rated: Mapped[int] = mapped_column(Integer, default=0)
    rating_total: Mapped[int] = mapped_column(Integer, default=0)


class RollupState(Model):
    """When the rollup was last brought up to date (one row)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    refreshed_at: Mapped[datetime]
