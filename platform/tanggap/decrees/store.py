"""Decree versions in the database: writing a version from pure rules, and finding the one in force.

The policy engine never sees rows; this module is the bridge both ways. A published
version is immutable; publishing a new one closes the versions it replaces by setting
their ``effective_until``, so the decree in force on any day is always one row.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..tenancy.models import Tenant
from . import published
from . import rules as pure
from .models import (
    CompensationKind,
    CompensationType,
    Counting,
    DeadlinePolicy,
    Decree,
    DecreeStatus,
    MatrixCell,
    SanctionKind,
    SanctionType,
    SouvenirTier,
    StandardComponent,
)
from .fields import DECREE_FIELDS, DecreeField
from .specs import DecreeSpec

def with_parts() -> tuple[Any, ...]:
    """Load a decree with every part the policy engine needs, in a fixed number of queries (a
    cell's compensation then comes from the identity map, never from a query of its own).

    Built when asked, not at import: a loader option configures every mapper, and a
    complaint's relationships name models of features above it that may not be imported yet."""
    return (
        selectinload(Decree.components).selectinload(StandardComponent.cells),
        selectinload(Decree.compensation_types),
        selectinload(Decree.deadline),
        selectinload(Decree.tiers),
        selectinload(Decree.sanction_types),
    )


def _plain(value: Any) -> Any:
    """Dataclasses, tuples, dates and durations as JSON-ready values."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "total_seconds"):
        return int(value.total_seconds() // 60)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def digest(spec: DecreeSpec, rules: pure.Rules) -> str:
    """A fingerprint of what a decree says; equal content, equal digest (comments aside)."""
    canonical = json.dumps({"decree": _plain(spec.record()), "rules": _plain(rules)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def in_force(tenant: Tenant, at: datetime | None = None) -> Decree | None:
    """The published version in force at ``at`` (now by default), with its parts loaded.

    Which version is in force is asked of the database once per office revision and office
    day in each process (``published``: the revision changes with every write to the office's
    versions); the version's parts, which never change once published, come from this
    process's copy when it has one.
    """
    found = _found_in_force(tenant, at or clock.now())
    if found is None:
        return None
    kept = published.copy_of(db.session, found.key, found.effective_until)
    if kept is not None:
        return kept
    held = (Decree, (found.key[0],), None) in db.session.identity_map
    decree = db.session.execute(select(Decree).where(Decree.id == found.key[0]).options(*with_parts())).scalar_one()
    if not held:  # read from the database just now, not an object this transaction may have changed
        published.keep(decree)
    return decree


def outline_in_force(tenant: Tenant) -> published.Outline | Decree | None:
    """The version in force now, as far as pages that only name its components read it: the
    kept copy's outline, or the version itself while this process keeps no copy of it."""
    found = _found_in_force(tenant, clock.now())
    if found is None:
        return None
    return published.outline_of(found.key) or in_force(tenant)


def _found_in_force(tenant: Tenant, at: datetime) -> published.InForce | None:
    """Which version is in force at ``at``: kept by office revision and office day."""
    day = clock.office_date(tenant, at)
    return published.which_in_force(tenant.id, tenant.revision, day, lambda: _which_in_force(tenant, day))


def _which_in_force(tenant: Tenant, day: date) -> published.InForce | None:
    found = db.session.execute(
        select(Decree.id, Decree.published_at, Decree.effective_until)
        .where(
            Decree.tenant_id == tenant.id,
            Decree.status == DecreeStatus.PUBLISHED,
            Decree.effective_from <= day,
            or_(Decree.effective_until.is_(None), Decree.effective_until > day),
        )
        .order_by(Decree.effective_from.desc(), Decree.version.desc())
        .limit(1)
    ).first()
    return None if found is None else published.InForce((found.id, found.published_at), found.effective_until)


def latest_published(tenant: Tenant) -> Decree | None:
    """The published version no later one has closed: the one in force, or one scheduled to
    follow it. A new version that starts before its effective date replaces it from an
    earlier day than its own, which is one way a publication is backdated.
    """
    return db.session.execute(
        select(Decree)
        .where(Decree.tenant_id == tenant.id, Decree.status == DecreeStatus.PUBLISHED,
               Decree.effective_from.is_not(None), Decree.effective_until.is_(None))
        .order_by(Decree.effective_from.desc(), Decree.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def version(tenant: Tenant, number: int) -> Decree | None:
    """One version of the office's decree, with its parts loaded."""
    return db.session.execute(
        select(Decree).where(Decree.tenant_id == tenant.id, Decree.version == number).options(*with_parts())
    ).scalar_one_or_none()


def history(tenant: Tenant) -> list[Decree]:
    return list(
        db.session.execute(
            select(Decree).where(Decree.tenant_id == tenant.id).order_by(Decree.version.desc())
        ).scalars()
    )


def newest(tenant: Tenant) -> Decree | None:
    return db.session.execute(
        select(Decree).where(Decree.tenant_id == tenant.id).order_by(Decree.version.desc()).limit(1)
    ).scalar_one_or_none()


def next_version(tenant: Tenant) -> int:
    current = db.session.execute(select(func.max(Decree.version)).where(Decree.tenant_id == tenant.id)).scalar()
    return (current or 0) + 1


def text_fields(spec: DecreeSpec) -> dict[str, Any]:
    """The decree's text as the ``Decree`` columns hold it (``fields.DECREE_FIELDS`` says which column)."""
    plain = _plain(spec.record())
    columns = {field.column: _column_value(field, spec[field.key], plain[field.key])
               for field in DECREE_FIELDS if field.column is not None}
    kept = [field.key for field in DECREE_FIELDS if field.column is None] + ["enacted_rows"]
    return {**columns, "document": {key: plain[key] for key in kept if plain[key]}}


def _column_value(field: DecreeField, value: Any, plain: Any) -> Any:
    """A date stays a date (a ``Date`` column); a missing signer is an empty mapping; the rest as JSON."""
    if field.kind == "date":
        return value
    if field.kind == "signer":
        return plain or {}
    return plain


#: The ``Decree`` columns that hold the decree's text: one per declared field that has one, and ``document``.
TEXT_COLUMNS = (*(field.column for field in DECREE_FIELDS if field.column is not None), "document")


def text_fields_of(decree: Decree) -> dict[str, Any]:
    """Another version's text, to start a draft from: copies, so that editing the draft's
    lists and mappings can never reach the published version's (kept in ``published``)."""
    return {column: copy.deepcopy(getattr(decree, column)) for column in TEXT_COLUMNS}


def fill_rules(decree: Decree, rules: pure.Rules) -> None:
    """Replace the decree's parts by ``rules`` (a draft being edited, or a new version)."""
    decree.components.clear()
    decree.compensation_types.clear()
    decree.tiers.clear()
    decree.sanction_types.clear()
    db.session.flush()
    by_code = {}
    for position, compensation in enumerate(rules.compensations):
        row = CompensationType(
            tenant_id=decree.tenant_id, code=compensation.code, kind=CompensationKind(compensation.kind),
            name=compensation.name.as_dict(), position=position,
        )
        decree.compensation_types.append(row)
        by_code[compensation.code] = row
    for position, component in enumerate(rules.components):
        component_row = StandardComponent(
            tenant_id=decree.tenant_id, code=component.code, name=component.name.as_dict(),
            description=component.description.as_dict() if component.description else None, position=position,
        )
        component_row.cells = [
            MatrixCell(tenant_id=decree.tenant_id, compensation=by_code[code], position=index)
            for index, code in enumerate(component.compensations)
        ]
        decree.components.append(component_row)
    for position, tier in enumerate(rules.tiers):
        decree.tiers.append(
            SouvenirTier(
                tenant_id=decree.tenant_id, code=tier.code, name=tier.name.as_dict(),
                min_delay_minutes=int(tier.min_delay.total_seconds() // 60),
                max_delay_minutes=None if tier.max_delay is None else int(tier.max_delay.total_seconds() // 60),
                item=tier.item.as_dict(), unit_cost=tier.unit_cost, stock=tier.stock, position=position,
            )
        )
    for position, sanction in enumerate(rules.sanctions):
        decree.sanction_types.append(
            SanctionType(tenant_id=decree.tenant_id, code=sanction.code, name=sanction.name.as_dict(),
                         kind=SanctionKind(sanction.kind), position=position)
        )
    fill_deadline(decree, rules.deadline)


def fill_deadline(decree: Decree, deadline: pure.Deadline) -> None:
    values = {
        "hours": deadline.hours,
        "counting": Counting(deadline.counting),
        "working_days": list(deadline.working_days),
        "opens_at": deadline.working_hours[0].strftime("%H:%M"),
        "closes_at": deadline.working_hours[1].strftime("%H:%M"),
        "holidays": deadline.holidays,
        "days_off": [day.isoformat() for day in deadline.days_off],
    }
    if decree.deadline is None:
        decree.deadline = DeadlinePolicy(tenant_id=decree.tenant_id, **values)
    else:
        for key, value in values.items():
            setattr(decree.deadline, key, value)


def new_version(tenant: Tenant, spec: DecreeSpec, rules: pure.Rules, *, status: DecreeStatus,
                source_digest: str | None = None) -> Decree:
    """A new version of the office's decree from its text and rules."""
    decree = Decree(tenant_id=tenant.id, version=next_version(tenant), status=status,
                    source_digest=source_digest, **text_fields(spec))
    db.session.add(decree)
    fill_rules(decree, rules)
    if status is DecreeStatus.PUBLISHED:
        publish(decree)
    return decree


def publish(decree: Decree, effective_from: date | None = None) -> None:
    """Put a version in force from its effective date, closing the versions it replaces."""
    decree.effective_from = effective_from or decree.effective_from or decree.enacted_at
    decree.status = DecreeStatus.PUBLISHED
    decree.published_at = clock.now()
    db.session.flush()
    replaced = db.session.execute(
        select(Decree).where(
            Decree.tenant_id == decree.tenant_id,
            Decree.id != decree.id,
            Decree.status == DecreeStatus.PUBLISHED,
            or_(Decree.effective_until.is_(None), Decree.effective_until > decree.effective_from),
        )
    ).scalars()
    for older in replaced:
        # Closed at the new start; one that starts on or after it is thereby never in force.
        older.effective_until = decree.effective_from
