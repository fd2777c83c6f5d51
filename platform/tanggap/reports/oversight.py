"""What an inspector may read: the offices of their regions and the regions below, and each
office's standing (decree in force, its problems). Every read across offices says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..auth.models import InspectorScope, User
from ..decrees.models import Decree, DecreeStatus
from ..decrees.policy import tier_problems
from ..extensions import db
from ..tenancy.models import Region, Tenant
from ..tenancy.scoping import every_office


def regions_of(user: User) -> set[int]:
    """The inspector's regions and every region below them."""
    found: set[int] = set()
    todo = list(db.session.execute(select(InspectorScope.region_id).where(InspectorScope.user_id == user.id)).scalars())
    while todo:
        region_id = todo.pop()
        if region_id in found:
            continue
        found.add(region_id)
        todo.extend(db.session.execute(select(Region.id).where(Region.parent_id == region_id)).scalars())
    return found


def offices_of(user: User) -> list[Tenant]:
    """The active offices of the inspector's regions: a deactivated office has left the
    platform, and its complaints with it, for everyone but the operator."""
    regions = regions_of(user)
    if not regions:
        return []
    return list(db.session.execute(
        select(Tenant).where(Tenant.region_id.in_(regions), Tenant.active).order_by(Tenant.slug)).scalars())


@dataclass(frozen=True)
class Standing:
    decree: Decree | None
    gaps: int
    overlaps: int

    @property
    def flagged(self) -> bool:
        return self.decree is None or bool(self.gaps or self.overlaps)


def standings(offices: list[Tenant]) -> dict[int, Standing]:
    """Each office's decree in force on the office's own today (one query for all) and its tier problems."""
    today = {office.id: clock.office_today(office) for office in offices}
    decrees = db.session.execute(
        every_office(select(Decree).where(
            Decree.tenant_id.in_(list(today)), Decree.status == DecreeStatus.PUBLISHED,
            Decree.effective_from <= max(today.values(), default=date.min),
            or_(Decree.effective_until.is_(None), Decree.effective_until > min(today.values(), default=date.max)))
        .order_by(Decree.effective_from, Decree.version).options(selectinload(Decree.tiers)))
    ).scalars().all()
    latest: dict[int, Decree] = {}
    for found in decrees:  # ordered: the last in force on the office's day wins
        day = today[found.tenant_id]
        starts, ends = found.effective_from, found.effective_until
        if starts is not None and starts <= day and (ends is None or ends > day):
            latest[found.tenant_id] = found
    result = {}
    for office in offices:
        decree = latest.get(office.id)
        overlaps, gaps = tier_problems([tier.as_rule() for tier in decree.tiers]) if decree else ((), ())
        result[office.id] = Standing(decree, len(gaps), len(overlaps))
    return result
