"""Each office's alert points, and every alert that fired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import Model
from ..tenancy.scoping import TenantScoped


class AlertSettings(TenantScoped, Model):
    """An office's own alert points; without a row, the defaults apply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (UniqueConstraint("tenant_id"),)


class DeadlineAlert(TenantScoped, Model):
    """One alert point reached by one complaint. The unique constraint is what makes the
    sweep idempotent: a second sweep, even a concurrent one, cannot record it again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"))
    point: Mapped[str] = mapped_column(String(40))
    fired_at: Mapped[datetime] = mapped_column(default=clock.now)

    __table_args__ = (UniqueConstraint("complaint_id", "point"),)
