"""What would a complaint get? The package and deadline under an office's decree in force.

Used by ``flask decree simulate`` and the admin's simulator; warnings from the policy
engine are worded here, in the reader's language.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from ..tenancy.models import Tenant
from .deadlines import due_at
from .models import Decree
from .policy import Package, PackageWarning, compensation_package
from .duration_words import duration_words


def describe(warning: PackageWarning) -> str:
    """A warning from the policy engine in words, for the leader who must decide."""
    delay = duration_words(warning.delay // timedelta(minutes=1)) if warning.delay is not None else ""
    messages = {
        "no_delay_for_tier": lambda: _("A souvenir is due, but no delay was given to choose its tier by."),
        "no_tier_for_delay": lambda: _(
            "No souvenir tier covers a delay of %(delay)s; the leader chooses at assessment.", delay=delay
        ),
        "no_tiers": lambda: _("A souvenir is due, but the decree sets no tiers; the leader chooses the souvenir."),
        "refund_without_amount": lambda: _("A refund is due, but the amount charged in excess was not given."),
        "amount_without_refund": lambda: _("An overcharge was given, but the decree grants no refund for these components."),
    }
    return messages.get(warning.code, lambda: warning.code)()


def package_for(decree: Decree, components: list[str], delay: timedelta | None = None,
                overcharge: int | None = None) -> Package:
    return compensation_package(decree.rules(), components, delay=delay, overcharge=overcharge)


def simulate(tenant: Tenant, decree: Decree, components: list[str], *, submitted_at: datetime,
             delay: timedelta | None = None, overcharge: int | None = None) -> dict[str, Any]:
    """The contract shape of ``decree simulate --json`` (DESIGN.md, "Command line")."""
    package = package_for(decree, components, delay, overcharge)
    due = due_at(decree.deadline.as_rule(), submitted_at, tenant.timezone)
    return {
        "tenant": tenant.slug,
        "decree": decree.number,
        "decree_version": decree.version,
        "components": components,
        "submitted_at": submitted_at.isoformat(),
        "due_at": due.isoformat(),
        "items": [item.as_dict() for item in package.items],
        "warnings": [describe(warning) for warning in package.warnings],
        "warning_codes": [warning.as_dict() for warning in package.warnings],
    }
