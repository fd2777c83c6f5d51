"""The office's letter settings (numbering, signer, bodies) and the letters it issued."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..assessments.models import DeliveryEvidence, PackageItem
from ..auth.models import User
from ..complaints.models import Complaint
from ..extensions import Model, db
from ..tenancy.scoping import TenantScoped


class LetterKind(enum.Enum):
    """What a letter is; which package items it is written for is ``composing.KIND_OF_ITEM``."""

    APOLOGY = "apology"
    CLARIFICATION = "clarification"
    RECEIPT = "receipt"


class LetterSettings(TenantScoped, Model):
    """How one office writes its letters; an office with no row writes with the defaults
    (``defaults``), drawn from its decree in force."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The office's numbering pattern (``{seq}/{kind}/{unit}/{roman_month}/{year}``).
    number_pattern: Mapped[str] = mapped_column(String(120))
    #: The office's code in letter numbers (``DISDIKBUD``, ``D-1``).
    unit_code: Mapped[str] = mapped_column(String(40))
    #: Where letters are signed (*tempat*): ``Metro``, ``Bandar Lampung``.
    place: Mapped[str] = mapped_column(String(120))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_position: Mapped[str] = mapped_column(String(200))
    #: *Pangkat/golongan*: ``Pembina Utama Muda``.
    signer_rank: Mapped[str] = mapped_column(String(120))
    #: *Nomor Induk Pegawai*, as written (``19670512 200003 1 009``).
    signer_nip: Mapped[str] = mapped_column(String(40))
    #: Per kind, its code in the number and its subject and body in each language:
    #: ``{"apology": {"code": "PM", "subject": {"id", "en"}, "body": {"id", "en"}}}``.
    kinds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (UniqueConstraint("tenant_id"),)


class Letter(TenantScoped, Model):
    """A letter the office issued for one package item, in one language: numbered once, kept
    as PDF with the item's delivery evidence, never written again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    package_item_id: Mapped[int] = mapped_column(ForeignKey("package_item.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("delivery_evidence.id", ondelete="CASCADE"))
    kind: Mapped[LetterKind] = mapped_column(
        db.Enum(LetterKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    locale: Mapped[str] = mapped_column(String(5))
    #: The office's year of issue and its place in that year's gapless sequence.
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    #: The number as written on the letter, in the pattern in force when it was issued.
    number: Mapped[str] = mapped_column(String(160))
    issued_at: Mapped[datetime] = mapped_column(default=clock.now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: When the citizen was last sent it by e-mail.
    sent_at: Mapped[datetime | None]

    complaint: Mapped[Complaint] = relationship()
    item: Mapped[PackageItem] = relationship()
    evidence: Mapped[DeliveryEvidence] = relationship()
    issued_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("tenant_id", "year", "seq"),
        UniqueConstraint("package_item_id", "locale"),
    )


class LetterCounter(Model):
    """The last letter number handed out per office and year; its row lock keeps numbers gapless."""

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
