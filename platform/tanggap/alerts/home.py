"""What needs a member of staff now: the staff home's counts and short lists.

Each list is one of the inbox's own questions (``complaints.inbox.InboxQuery``), counted and
listed the same way the inbox does, and links to the inbox asking exactly that question, so
the number on the home is the number of rows the link shows. An office admin, who does not
read complaints, gets the office's configuration work instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..auth.models import Membership, Role
from ..auth.permissions import Permission, can
from ..complaints import inbox
from ..complaints.models import Complaint
from ..decrees.store import in_force
from ..extensions import db
from ..tenancy.models import Tenant

#: How many complaints each list shows; the link shows them all.
SHOWN = 5


@dataclass
class Need:
    """One kind of work: how many complaints, the first few, and the inbox question behind it."""

    key: str
    label: str
    hint: str
    query: inbox.InboxQuery
    count: int = 0
    items: list[Complaint] = field(default_factory=list)

    @property
    def args(self) -> dict[str, object]:
        """The inbox URL's arguments for exactly this question."""
        return {"tab": self.query.tab, "assignee": self.query.assignee_id}


_WORK = (
    # key, inbox tab, permission, for the person's own complaints only, label, hint
    ("new", "new", Permission.TRIAGE, False, _l("New"), _l("Filed and not yet triaged.")),
    ("overdue", "overdue", Permission.VIEW_COMPLAINTS, False, _l("Overdue"),
     _l("Past the decree's deadline and not yet compensated.")),
    ("due_soon", "due_soon", Permission.VIEW_COMPLAINTS, False, _l("Due soon"),
     _l("The deadline is less than 24 hours away.")),
    ("assess", "assessment", Permission.ASSESS, False, _l("To assess"),
     _l("Waiting for the leaders' assessment.")),
    ("deliver", "delivery", Permission.DELIVER, True, _l("To deliver"),
     _l("Upheld, assigned to you: compensation to deliver.")),
)


def needs(user, tenant: Tenant, now: datetime) -> list[Need]:
    """The lists this person's role calls for, each counted and its first few complaints loaded."""
    found = []
    for key, tab, permission, own, label, hint in _WORK:
        if not can(user, permission, tenant):
            continue
        query = inbox.InboxQuery(tab=tab, assignee_id=user.id if own else None)
        statement = query.statement(now)
        need = Need(key, str(label), str(hint), query)
        need.count = db.session.execute(
            select(func.count()).select_from(statement.order_by(None).subquery())).scalar_one()
        need.items = list(db.session.execute(statement.limit(SHOWN)).scalars())
        found.append(need)
    return found


@dataclass
class OfficeWork:
    """The office admin's home: what the office's set-up still lacks."""

    no_head: bool
    no_decree: bool
    no_leader: bool

    @property
    def done(self) -> bool:
        return not (self.no_head or self.no_decree or self.no_leader)


def office_work(tenant: Tenant) -> OfficeWork:
    roles = db.session.execute(
        select(Membership.role, Membership.head_of_office).where(Membership.tenant_id == tenant.id)).all()
    return OfficeWork(no_head=not any(head for _role, head in roles), no_decree=in_force(tenant) is None,
                      no_leader=not any(role == Role.LEADER for role, _head in roles))
