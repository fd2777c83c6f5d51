"""Creating and updating regions and tenants from their descriptions (decree files, the console).

Idempotent: describing an existing office again updates it in place and reports whether
anything changed, so loading the same files twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from ..extensions import db
from .models import RESERVED_SLUGS, Region, RegionKind, Tenant

SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name an office, or None when it can."""
    if not SLUG_PATTERN.fullmatch(slug):  # the whole of it: "$" would let a final line break by
        return "use lowercase letters, digits and hyphens (at most 63)"
    if slug in RESERVED_SLUGS:
        return "this name is reserved for the platform's own pages"
    return None


class RegionLoop(ValueError):
    """A parent refused because the region would become part of itself: its parent chain would
    loop, and every walk up it (an inspector's reach, the region's lineage) would never end."""

    def __init__(self, slug: str, parent: str) -> None:
        super().__init__(f"region {slug!r} cannot be its own parent" if slug == parent else
                         f"region {slug!r} cannot be part of {parent!r}, which is already inside it")
        self.slug, self.parent = slug, parent


@dataclass(frozen=True)
class RegionSpec:
    slug: str
    name: str
    parent: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class TenantSpec:
    slug: str
    name: dict[str, str]
    region: RegionSpec
    timezone: str = "Asia/Jakarta"
    default_locale: str = "id"
    brand_color: str = "#0b5394"
    letterhead: dict[str, Any] = field(default_factory=dict)
    intro: dict[str, str] = field(default_factory=dict)


def _guess_kind(slug: str) -> RegionKind | None:
    for prefix, kind in (("provinsi-", RegionKind.PROVINCE), ("kota-", RegionKind.CITY), ("kabupaten-", RegionKind.REGENCY)):
        if slug.startswith(prefix):
            return kind
    return None


def region_by_slug(slug: str) -> Region | None:
    return db.session.execute(select(Region).where(Region.slug == slug)).scalar_one_or_none()


def upsert_region(spec: RegionSpec) -> Region:
    """The region, created or renamed; an unknown parent is created with its slug as name.

    Raises ``RegionLoop``, having changed nothing, when the parent is the region or inside it:
    every way a region is saved (decree files, the console) comes through here, so the rule does.
    """
    parent = None
    if spec.parent:
        parent = region_by_slug(spec.parent)
        if spec.parent == spec.slug or (parent is not None and parent.is_within(spec.slug)):
            raise RegionLoop(spec.slug, spec.parent)
        parent = parent or Region(slug=spec.parent, name=spec.parent, kind=_guess_kind(spec.parent))
        db.session.add(parent)
    region = region_by_slug(spec.slug)
    if region is None:
        region = Region(slug=spec.slug)
        db.session.add(region)
    region.name = spec.name
    region.kind = RegionKind(spec.kind) if spec.kind else (region.kind or _guess_kind(spec.slug))
    region.parent = parent
    return region


def upsert_tenant(spec: TenantSpec) -> tuple[Tenant, bool]:
    """The tenant described by ``spec``, and whether this call changed anything."""
    problem = slug_problem(spec.slug)
    if problem:
        raise ValueError(f"slug {spec.slug!r}: {problem}")
    region = upsert_region(spec.region)
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == spec.slug)).scalar_one_or_none()
    created = tenant is None
    if tenant is None:
        tenant = Tenant(slug=spec.slug)
        db.session.add(tenant)
    wanted = {
        "name": dict(spec.name),
        "region": region,
        "timezone": spec.timezone,
        "default_locale": spec.default_locale,
        "brand_color": spec.brand_color,
        "letterhead": dict(spec.letterhead),
    }
    if spec.intro:
        wanted["intro"] = dict(spec.intro)
    changed = created
    for key, value in wanted.items():
        if getattr(tenant, key) != value:
            setattr(tenant, key, value)
            changed = True
    return tenant, changed


def set_logo(tenant: Tenant, data: bytes, mimetype: str) -> bool:
    if tenant.logo == data and tenant.logo_mimetype == mimetype:
        return False
    tenant.logo, tenant.logo_mimetype = data, mimetype
    return True
