"""Each office's alert points, and every alert that fired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import Model
from ..tenancy.scoping import TenantScoped

#: Without settings of its own, an office gets its new complaints by e-mail at 07.00.
DIGEST_HOUR = 7


class AlertSettings(TenantScoped, Model):
    """An office's own alert points; without a row, the defaults apply."""

    id: Mapped[int] = mapped_column(primary_key=True)
    points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The hour (office time, 0-23) of the daily e-mail of new complaints; None: the bell only.
    #: No column default: a default would turn the admin's "no e-mail" (None) into 07.00.
    digest_hour: Mapped[int | None]
    #: Users told of new complaints besides the leaders, whom the office chose.
    new_complaints_to: Mapped[list[int]] = mapped_column(JSON, default=list)
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


class NewComplaintNotice(TenantScoped, Model):
    """One member of staff told of one new complaint: rung on their bell, then e-mailed in the
    day's digest. The unique pair is what tells each person of each complaint once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    rung_at: Mapped[datetime] = mapped_column(default=clock.now)
    #: Set when the office's digest hour has handled it (e-mailed, or e-mail is off); None while it waits.
    mailed_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("complaint_id", "user_id"),
        Index("ix_new_complaint_notice_unmailed", "tenant_id", "user_id",
              postgresql_where=text("mailed_at IS NULL"), sqlite_where=text("mailed_at IS NULL")),
    )
