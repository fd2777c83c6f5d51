"""Words for the codes and ids the figures are keyed by, read once per page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

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


def names(decree: Decree | None) -> dict[str, Callable[[Any], str]]:
    components = {c.code: localized(c.name) for c in decree.components} if decree else {}
    sanctions = {s.code: localized(s.name) for s in decree.sanction_types} if decree else {}
    units = dict(db.session.execute(select(ServiceUnit.id, ServiceUnit.name)).tuples().all())
    officers = dict(db.session.execute(select(Officer.id, Officer.name)).tuples().all())
    return {
        "component": lambda code: components.get(code, code),
        "sanction": lambda code: sanctions.get(code, code),
        "unit": lambda unit_id: units.get(unit_id, _("No unit")) if unit_id else _("No unit"),
        "officer": lambda officer_id: officers.get(officer_id, str(officer_id)),
        "kind": lambda kind: KINDS[kind]() if kind in KINDS else _("Other"),
    }
