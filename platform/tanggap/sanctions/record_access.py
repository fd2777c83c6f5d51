"""Who may read a sanction: the office's leaders, and the officer it concerns.

A sanction and its coaching plan are about one colleague's conduct; other officers handle
the same complaints but have no need to know them. This one rule serves the complaint's
page and the officer's record alike.
"""

from __future__ import annotations

from typing import Any

from ..auth.permissions import Permission, can
from ..tenancy.models import Tenant
from ..units.models import Officer


def reads_record_of(user: Any, officer: Officer | None, tenant: Tenant) -> bool:
    """Leaders (those who read officers' records) read anyone's; an officer reads only their own."""
    if can(user, Permission.VIEW_OFFICER_RECORDS, tenant):
        return True
    own = getattr(user, "id", None)
    return officer is not None and officer.user_id is not None and officer.user_id == own


def sees_sanctions_of(user: Any, tenant: Tenant) -> bool:
    """Whether the user sees the sanction section of every complaint (leaders), not only their own."""
    return can(user, Permission.VIEW_OFFICER_RECORDS, tenant)
