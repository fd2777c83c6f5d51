"""The office's service units and officers."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..tenancy.scoping import TenantScoped


class ServiceUnit(TenantScoped, Model):
    """A part of the office that serves citizens (a *bidang*, a counter, a UPTD)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    officers: Mapped[list["Officer"]] = relationship(back_populates="unit", order_by="Officer.name")

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)


class Officer(TenantScoped, Model):
    """A *pelaksana*: the person a complaint may hold responsible. Not every officer logs in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Civil servant number (*Nomor Induk Pegawai*); never shown on public pages.
    nip: Mapped[str | None] = mapped_column(String(30))
    position: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("service_unit.id"), index=True)
    #: The officer's own login, when they have one.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[ServiceUnit | None] = relationship(back_populates="officers")
