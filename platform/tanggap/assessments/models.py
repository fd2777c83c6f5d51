"""An assessment and the items of the package it fixed."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..complaints.models import Complaint
from .. import clock
from ..extensions import Model, db
from ..tenancy.scoping import TenantScoped
from ..units.models import Officer


class Assessment(TenantScoped, Model):
    """The head of office's finding on a complaint: upheld or not, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), unique=True)
    upheld: Mapped[bool] = mapped_column(Boolean)
    #: The components the leader found were in fact broken.
    components: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The delay the leader measured, in minutes; it picks the souvenir tier.
    delay_minutes: Mapped[int | None] = mapped_column(Integer)
    #: Rupiah charged over the tariff, as the leader found it; it is the refund.
    overcharge: Mapped[int | None] = mapped_column(Integer)
    responsible_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"), index=True)
    #: The leader's reasoning, for the file.
    reasoning: Mapped[str] = mapped_column(Text)
    #: What the citizen reads (required when not upheld).
    explanation: Mapped[str | None] = mapped_column(Text)
    #: The policy engine's warnings the leader saw and decided on.
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Set instead of ``decided_by`` when one of the office's systems decided, through the API.
    decided_by_label: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(default=clock.now)

    complaint: Mapped[Complaint] = relationship(back_populates="assessment")
    responsible_officer: Mapped[Officer | None] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def decider(self) -> str:
        return self.decided_by.name if self.decided_by else (self.decided_by_label or "")
    items: Mapped[list["PackageItem"]] = relationship(
        back_populates="assessment", order_by="PackageItem.position", cascade="all, delete-orphan"
    )


class DeliveryMethod(enum.Enum):
    """How an item reached the citizen; which ones fit which kind of item is ``methods.BY_KIND``."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    WHATSAPP = "whatsapp"
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    COURIER = "courier"


class PackageItem(TenantScoped, Model):
    """One compensation owed to the citizen, and, once delivered, how and when it was."""

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    #: True when the decree's matrix requires it; False when the leader added it.
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    amount: Mapped[int | None] = mapped_column(Integer)
    tier: Mapped[str | None] = mapped_column(String(20))
    tier_name: Mapped[dict[str, str] | None] = mapped_column(JSON)
    item: Mapped[dict[str, str] | None] = mapped_column(JSON)
    delivered_at: Mapped[datetime | None]
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    delivered_by_label: Mapped[str | None] = mapped_column(String(120))
    #: When the delivery was entered here: the clock's, not the officer's, word.
    recorded_at: Mapped[datetime | None]
    #: The stated ``delivered_at`` lies further before ``recorded_at`` than the allowance
    #: (``decisions.RECORDING_ALLOWANCE``): the delivery counts from ``recorded_at``. Kept as
    #: decided then, so that changing the allowance never rewrites what was on time.
    backdated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    method: Mapped[DeliveryMethod | None] = mapped_column(
        db.Enum(DeliveryMethod, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    #: Evidence, where it applies: the refund paid and its receipt, the souvenir handed
    #: over, the priority voucher used.
    refunded_amount: Mapped[int | None] = mapped_column(Integer)
    receipt_number: Mapped[str | None] = mapped_column(String(80))
    souvenir_given: Mapped[str | None] = mapped_column(String(200))
    voucher: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    #: Why more was refunded than the package owed (``refunded_amount > amount``); leaders read it.
    overpay_reason: Mapped[str | None] = mapped_column(Text)

    assessment: Mapped[Assessment] = relationship(back_populates="items")
    complaint: Mapped[Complaint] = relationship(back_populates="package_items")
    delivered_by: Mapped[User | None] = relationship()
    evidence: Mapped[list["DeliveryEvidence"]] = relationship(back_populates="item", order_by="DeliveryEvidence.id",
                                                              cascade="all, delete-orphan")

    @property
    def overpaid(self) -> int:
        """Rupiah refunded beyond what was owed (0 when none, or not a refund)."""
        if self.refunded_amount is None or self.amount is None:
            return 0
        return max(self.refunded_amount - self.amount, 0)

    @property
    def deliverer(self) -> str:
        return self.delivered_by.name if self.delivered_by else (self.delivered_by_label or "")

    @property
    def delivered(self) -> bool:
        return self.delivered_at is not None

    @property
    def counts_from(self) -> datetime | None:
        """The moment this delivery counts from for the deadline: the stated one unless backdated."""
        return self.recorded_at if self.backdated else self.delivered_at


class DeliveryEvidence(TenantScoped, Model):
    """A file that shows an item was delivered: a photo of the handover, a signed receipt, a
    transfer slip. Checked and stored as citizens' files are (``complaints.attachments``), and
    read only by the office's staff."""

    id: Mapped[int] = mapped_column(primary_key=True)
    package_item_id: Mapped[int] = mapped_column(ForeignKey("package_item.id", ondelete="CASCADE"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    #: The name the officer's device gave it, cleaned; shown, never used as a path.
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(80))
    size: Mapped[int]
    #: Where the bytes are, relative to the upload folder.
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=clock.now)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    item: Mapped[PackageItem] = relationship(back_populates="evidence")
