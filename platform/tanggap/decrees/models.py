"""Decrees as versioned rows, and their parts.

A published decree is never edited: the office admin edits a draft and publishes it as a
new version, and the loader makes a new version when a decree file changes. Complaints
keep the id of the decree they were judged under, so their rules never move. ``rules()``
turns a decree's rows into the pure ``Rules`` the policy engine reads.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import Model, db
from ..tenancy.scoping import TenantScoped
from . import rules as pure


def _enum(kind: type[enum.Enum]) -> Any:
    return db.Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class DecreeStatus(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class CompensationKind(enum.Enum):
    APOLOGY = "apology"
    CLARIFICATION = "clarification"
    PRIORITY = "priority"
    REFUND = "refund"
    SOUVENIR = "souvenir"
    OTHER = "other"


class SanctionKind(enum.Enum):
    DISCIPLINARY = "disciplinary"
    DEVELOPMENTAL = "developmental"
    OTHER = "other"


class Counting(enum.Enum):
    CALENDAR = "calendar"
    WORKING = "working"


class Decree(TenantScoped, Model):
    """One version of an office's *Keputusan Kepala Dinas* on compensation and sanctions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3... per office, in the order versions were made.
    version: Mapped[int]
    status: Mapped[DecreeStatus] = mapped_column(_enum(DecreeStatus), default=DecreeStatus.DRAFT)
    number: Mapped[str] = mapped_column(String(120))
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    enacted_at: Mapped[date | None] = mapped_column(Date)
    enacted_in: Mapped[str | None] = mapped_column(String(120))
    effective_from: Mapped[date | None] = mapped_column(Date)
    #: Set when a later version takes over; the day it stops being in force.
    effective_until: Mapped[date | None] = mapped_column(Date)
    #: name, position, rank, nip
    signer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: *Mengingat*, in order.
    legal_basis: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: *Menimbang*, in order.
    considerations: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: *MEMUTUSKAN*: [{"label": "KESATU", "text": ...}, ...]
    decisions: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    revokes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: *Tembusan*.
    copies_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    funding: Mapped[str | None] = mapped_column(String(120))
    #: *Paraf hierarki*: [{"order": 1, "position": "Sekretaris"}, ...]
    initials: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: Discrepancies of the enacted text, recorded rather than corrected.
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The rest of the text as enacted: policy points, attachments, closing words, matrix rows.
    document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Fingerprint of the file this version was loaded from; equal files load once.
    source_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    published_at: Mapped[datetime | None]

    components: Mapped[list["StandardComponent"]] = relationship(
        order_by="StandardComponent.position", cascade="all, delete-orphan", back_populates="decree"
    )
    compensation_types: Mapped[list["CompensationType"]] = relationship(
        order_by="CompensationType.position", cascade="all, delete-orphan", back_populates="decree"
    )
    deadline: Mapped["DeadlinePolicy"] = relationship(cascade="all, delete-orphan", back_populates="decree", uselist=False)
    tiers: Mapped[list["SouvenirTier"]] = relationship(
        order_by="SouvenirTier.position", cascade="all, delete-orphan", back_populates="decree"
    )
    sanction_types: Mapped[list["SanctionType"]] = relationship(
        order_by="SanctionType.position", cascade="all, delete-orphan", back_populates="decree"
    )

    __table_args__ = (
        UniqueConstraint("tenant_id", "version"),
        Index("ix_decree_tenant_status_effective", "tenant_id", "status", "effective_from"),
    )

    @property
    def is_draft(self) -> bool:
        return self.status is DecreeStatus.DRAFT

    @property
    def deadline_rule(self) -> pure.Deadline:
        """The deadline a complaint filed under this version gets (``Outline`` names it alike)."""
        return self.deadline.as_rule()

    def rules(self) -> pure.Rules:
        """The pure rules of this version, for the policy engine."""
        codes = {c.id: c.code for c in self.compensation_types}
        return pure.Rules(
            number=self.number,
            compensations=tuple(c.as_rule() for c in self.compensation_types),
            components=tuple(
                pure.Component(
                    code=component.code,
                    name=_text(component.name),
                    compensations=tuple(codes[cell.compensation_id] for cell in component.cells),
                    description=_text(component.description) if component.description else None,
                )
                for component in self.components
            ),
            tiers=tuple(tier.as_rule() for tier in self.tiers),
            deadline=self.deadline.as_rule(),
            sanctions=tuple(s.as_rule() for s in self.sanction_types),
        )


def _text(value: dict[str, str]) -> pure.Text:
    return pure.Text(id=value.get("id", ""), en=value.get("en", ""))


class StandardComponent(TenantScoped, Model):
    """A *komponen standar pelayanan*: a part of the service standard that can be broken."""

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("decree.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    #: What breaking it means, in plain words for a citizen.
    description: Mapped[dict[str, str] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)

    decree: Mapped[Decree] = relationship(back_populates="components")
    cells: Mapped[list["MatrixCell"]] = relationship(
        order_by="MatrixCell.position", cascade="all, delete-orphan", back_populates="component"
    )

    __table_args__ = (UniqueConstraint("decree_id", "code"),)


class CompensationType(TenantScoped, Model):
    """A *bentuk kompensasi* the decree names."""

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("decree.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[CompensationKind] = mapped_column(_enum(CompensationKind))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)

    decree: Mapped[Decree] = relationship(back_populates="compensation_types")

    __table_args__ = (UniqueConstraint("decree_id", "code"),)

    def as_rule(self) -> pure.CompensationType:
        return pure.CompensationType(code=self.code, kind=self.kind.value, name=_text(self.name))


class MatrixCell(TenantScoped, Model):
    """One entry of the matrix: this component, when broken, earns this compensation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("standard_component.id", ondelete="CASCADE"), index=True)
    compensation_id: Mapped[int] = mapped_column(ForeignKey("compensation_type.id", ondelete="CASCADE"), index=True)
    #: Order within the component's row, as the decree lists it.
    position: Mapped[int] = mapped_column(default=0)

    component: Mapped[StandardComponent] = relationship(back_populates="cells")
    compensation: Mapped[CompensationType] = relationship()

    __table_args__ = (UniqueConstraint("component_id", "compensation_id"),)


class DeadlinePolicy(TenantScoped, Model):
    """*Kompensasi diberikan maksimal N x 24 jam*: how the deadline is counted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("decree.id", ondelete="CASCADE"), unique=True)
    hours: Mapped[int] = mapped_column(Integer)
    counting: Mapped[Counting] = mapped_column(_enum(Counting), default=Counting.CALENDAR)
    working_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1, 2, 3, 4, 5])
    opens_at: Mapped[str] = mapped_column(String(5), default="08:00")
    closes_at: Mapped[str] = mapped_column(String(5), default="16:00")
    #: "ID" for Indonesia's national holidays, "" for none.
    holidays: Mapped[str] = mapped_column(String(8), default="ID")
    #: The office's own closed days (*cuti bersama*), ISO dates.
    days_off: Mapped[list[str]] = mapped_column(JSON, default=list)

    decree: Mapped[Decree] = relationship(back_populates="deadline")

    def as_rule(self) -> pure.Deadline:
        return pure.Deadline(
            hours=self.hours,
            counting=self.counting.value,
            working_days=tuple(self.working_days),
            working_hours=(time.fromisoformat(self.opens_at), time.fromisoformat(self.closes_at)),
            holidays=self.holidays,
            days_off=tuple(date.fromisoformat(day) for day in self.days_off),
        )


class SouvenirTier(TenantScoped, Model):
    """A *kategori ketidakpuasan*: a range of delay and the souvenir it earns."""

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("decree.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    min_delay_minutes: Mapped[int]
    #: None means "and longer".
    max_delay_minutes: Mapped[int | None]
    item: Mapped[dict[str, str]] = mapped_column(JSON)
    unit_cost: Mapped[int | None]
    stock: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    decree: Mapped[Decree] = relationship(back_populates="tiers")

    __table_args__ = (UniqueConstraint("decree_id", "code"),)

    def as_rule(self) -> pure.SouvenirTier:
        return pure.SouvenirTier(
            code=self.code,
            name=_text(self.name),
            min_delay=timedelta(minutes=self.min_delay_minutes),
            max_delay=None if self.max_delay_minutes is None else timedelta(minutes=self.max_delay_minutes),
            item=_text(self.item),
            unit_cost=self.unit_cost,
            stock=self.stock,
        )


class SanctionType(TenantScoped, Model):
    """A *sanksi kepada pemberi layanan*: reprimand (*teguran*), coaching (*pembinaan*), ..."""

    id: Mapped[int] = mapped_column(primary_key=True)
    decree_id: Mapped[int] = mapped_column(ForeignKey("decree.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    kind: Mapped[SanctionKind] = mapped_column(_enum(SanctionKind), default=SanctionKind.OTHER)
    position: Mapped[int] = mapped_column(default=0)

    decree: Mapped[Decree] = relationship(back_populates="sanction_types")

    __table_args__ = (UniqueConstraint("decree_id", "code"),)

    def as_rule(self) -> pure.SanctionType:
        return pure.SanctionType(code=self.code, name=_text(self.name), kind=self.kind.value)
