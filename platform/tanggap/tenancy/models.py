"""Regions (*pemerintah daerah*) and tenants (*dinas*): the two tables everything hangs on."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import LazyString, lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, LargeBinary, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import Model, db
from .revision import new_revision

#: Slugs that name the platform's own pages and so can never be an office's.
RESERVED_SLUGS = frozenset(
    {"platform", "inspektorat", "api", "static", "auth", "admin", "open311", "locale", "health", "healthz", "readyz", "metrics",
     "staff", "login", "logout", "favicon.ico", "robots.txt"}
)


class RegionKind(enum.Enum):
    PROVINCE = "province"
    CITY = "city"
    REGENCY = "regency"

    @property
    def label(self) -> LazyString:
        """The kind in words (*provinsi*, *kota*, *kabupaten*), for every page and form that shows one."""
        return _REGION_KIND_LABELS[self]


_REGION_KIND_LABELS = {
    RegionKind.PROVINCE: _l("Province"),
    RegionKind.CITY: _l("City"),
    RegionKind.REGENCY: _l("Regency"),
}


class Region(Model):
    """A local government: a province, or a city or regency inside one.

    Inspectors are scoped to regions; a region's inspector also sees its child regions.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[RegionKind | None] = mapped_column(
        db.Enum(RegionKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))

    parent: Mapped["Region | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Region"]] = relationship(back_populates="parent")
    tenants: Mapped[list["Tenant"]] = relationship(back_populates="region")

    def is_within(self, slug: str) -> bool:
        """Whether this region, or a region it is part of, has ``slug``: a region so named
        cannot be made part of this one without being part of itself."""
        return any(region.slug == slug for region in self.lineage())

    def lineage(self) -> list["Region"]:
        """This region and its ancestors, nearest first."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain


class Tenant(Model):
    """A government office (*dinas*) running its own compensation regime on the platform."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    #: The office's name in each language: {"id": ..., "en": ...}.
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    default_locale: Mapped[str] = mapped_column(String(5), default="id")
    #: Letterhead (*kop surat*): header lines, address, phone, fax, website, e-mail, postal code.
    letterhead: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    brand_color: Mapped[str] = mapped_column(String(7), default="#0b5394")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_mimetype: Mapped[str | None] = mapped_column(String(40))
    #: The public page's own words, per language; shown above the office's promise.
    intro: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Whether the office publishes its accountability page (its promise and monthly figures,
    #: ``/<slug>/akuntabilitas``); on unless its admin switches it off.
    accountability_page: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: The office's own host name, if it has one (``pengaduan.dinsos.example.go.id``).
    domain: Mapped[str | None] = mapped_column(String(253), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    notes: Mapped[str | None] = mapped_column(Text)
    #: Replaced by the database whenever the office's decree versions or service units are
    #: written (``tenancy.revision``): what a worker keeps of those is kept under it.
    revision: Mapped[str] = mapped_column(String(32), default=new_revision, server_default="")

    region: Mapped[Region] = relationship(back_populates="tenants")

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"
