"""Sanctions, coaching plans and the office's suggestion ladder."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..complaints.models import Complaint
from .. import clock
from ..extensions import Model
from ..tenancy.scoping import TenantScoped
from ..units.models import Officer


class SanctionLadder(TenantScoped, Model):
    """How an office suggests a sanction from the officer's record (its own policy, not the decree's)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Upheld complaints older than this no longer count.
    window_months: Mapped[int] = mapped_column(Integer, default=12)
    #: ``[{"from": 1, "sanction": "reprimand"}, {"from": 2, "sanction": "coaching"}]``: from the
    #: n-th upheld complaint in the window on, suggest this sanction code.
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now, onupdate=clock.now)

    __table_args__ = (UniqueConstraint("tenant_id"),)


class Sanction(TenantScoped, Model):
    """A sanction decided for an officer over one upheld complaint.

    Never edited: a correction is a new row that supersedes this one, with its reason.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    #: The decree's sanction type, copied: the decree may change, the decision does not.
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(20))
    reasoning: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(default=clock.now)
    #: What the ladder suggested, and why the leader chose otherwise when they did.
    suggested_code: Mapped[str | None] = mapped_column(String(40))
    deviation_reason: Mapped[str | None] = mapped_column(Text)
    #: The sanction this one corrects; each can be corrected once (then correct the correction).
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("sanction.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)

    officer: Mapped[Officer] = relationship()
    complaint: Mapped[Complaint] = relationship()
    decided_by: Mapped[User] = relationship()
    supersedes: Mapped["Sanction | None"] = relationship(
        remote_side=[id], back_populates="superseded_by", foreign_keys=[supersedes_id]
    )
    superseded_by: Mapped["Sanction | None"] = relationship(back_populates="supersedes", uselist=False)
    coaching: Mapped["CoachingPlan | None"] = relationship(back_populates="sanction", uselist=False)

    __table_args__ = (Index("ix_sanction_tenant_officer", "tenant_id", "officer_id"),)

    @property
    def current(self) -> bool:
        return self.superseded_by is None


class CoachingPlan(TenantScoped, Model):
    """*Pembinaan* is a plan, not an event: what is to be done, by when, and its completion."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sanction_id: Mapped[int] = mapped_column(ForeignKey("sanction.id"), unique=True)
    description: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    completion_note: Mapped[str | None] = mapped_column(Text)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    sanction: Mapped[Sanction] = relationship(back_populates="coaching")
    completed_by: Mapped[User | None] = relationship()
