"""The office's service units as lists to choose from (the citizen's form, the inbox's filter,
a complaint's unit): kept per worker under the office's revision (``tenancy.revision``),
which the database replaces whenever a unit is added, renamed or switched off, so each list
is read once per change, not on every page."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select

from ..extensions import db
from ..kept import Kept
from ..tenancy.models import Tenant
from .models import ServiceUnit


class Unit(NamedTuple):
    id: int
    name: str


_kept: Kept[tuple[int, str, bool], tuple[Unit, ...]] = Kept(1024)


def active_units(tenant: Tenant) -> tuple[Unit, ...]:
    """The office's units in use, by name: what a citizen may choose."""
    return _units(tenant, active_only=True)


def every_unit(tenant: Tenant) -> tuple[Unit, ...]:
    """All the office's units, by name, those switched off too: what staff file and filter by."""
    return _units(tenant, active_only=False)


def _units(tenant: Tenant, *, active_only: bool) -> tuple[Unit, ...]:
    def read() -> tuple[Unit, ...]:
        query = select(ServiceUnit.id, ServiceUnit.name).where(ServiceUnit.tenant_id == tenant.id)
        if active_only:
            query = query.where(ServiceUnit.active)
        return tuple(Unit(row.id, row.name) for row in db.session.execute(query.order_by(ServiceUnit.name)))

    return _kept.get_or_make((tenant.id, tenant.revision, active_only), read)
