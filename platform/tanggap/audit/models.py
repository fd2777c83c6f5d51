"""The audit log table.

Rows form one hash chain per tenant (and one for platform-wide events, with no tenant):
each row's hash covers its content and the previous row's hash, so changing or deleting
any row breaks every link after it. The table is not tenant-scoped by the ORM because
platform events have no tenant; the views filter by tenant explicitly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import Model, db


class AuditLog(Model):
    """One thing that happened: who did what to which object, with before and after."""

    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id"))
    #: Position in the tenant's chain, from 1 with no gaps.
    seq: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: What the actor was, in words, when not a logged-in user ("system", "citizen", a token).
    actor_label: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor: Mapped["User | None"] = relationship("User", lazy="raise")  # type: ignore[name-defined]  # noqa: F821

    __table_args__ = (
        UniqueConstraint("tenant_id", "seq"),
        Index("ix_audit_log_tenant_created", "tenant_id", "created_at"),
    )
