"""Words for the codes and ids the figures are keyed by, read once per page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..decrees.models import CompensationKind, Decree
from ..extensions import db
from ..i18n import localized
from ..units.models import Officer, ServiceUnit

KINDS = {
    CompensationKind.APOLOGY.value: lambda: _("Apology"),
    CompensationKind.CLARIFICATION.value: lambda: _("Clarification"),
    CompensationKind.PRIORITY.value: lambda: _("Priority service"),
    CompensationKind.REFUND.value: lambda: _("Refund"),
    CompensationKind.SOUVENIR.value: lambda: _("Souvenir"),
}


def judged_under(decree_ids: Iterable[int]) -> list[Decree]:
    """The decree versions a report's complaints were judged under, oldest first: what the
    report names, whatever version is in force today."""
    ids = sorted(set(decree_ids))
    if not ids:
        return []
    return list(db.session.execute(
        select(Decree).where(Decree.id.in_(ids)).order_by(Decree.version)
        .options(selectinload(Decree.components), selectinload(Decree.sanction_types))
    ).scalars())


def names(decrees: Sequence[Decree]) -> dict[str, Callable[[Any], str]]:
    """Words for a report's codes. A code is named by the last of ``decrees`` that has it, so
    pass them oldest first and the version in force last: codes only older versions knew
    still get their words."""
    components = {c.code: localized(c.name) for decree in decrees for c in decree.components}
    sanctions = {s.code: localized(s.name) for decree in decrees for s in decree.sanction_types}
    shared = {number for number, count in Counter(d.number for d in {d.id: d for d in decrees}.values()).items()
              if count > 1}
    numbers = {decree.id: _("%(number)s (version %(version)d)", number=decree.number, version=decree.version)
               if decree.number in shared else decree.number for decree in decrees}
    versions = {decree.id: decree.version for decree in decrees}
    units = dict(db.session.execute(select(ServiceUnit.id, ServiceUnit.name)).tuples().all())
    officers = dict(db.session.execute(select(Officer.id, Officer.name)).tuples().all())
    return {
        "component": lambda code: components.get(code, code),
        "sanction": lambda code: sanctions.get(code, code),
        "decree": lambda decree_id: numbers.get(decree_id, str(decree_id)),
        "decree_version": lambda decree_id: versions.get(decree_id),
        "unit": lambda unit_id: units.get(unit_id, _("No unit")) if unit_id else _("No unit"),
        "officer": lambda officer_id: officers.get(officer_id, str(officer_id)),
        "kind": lambda kind: KINDS[kind]() if kind in KINDS else _("Other"),
    }
