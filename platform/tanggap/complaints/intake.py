"""A citizen's submission becomes a complaint: numbered, given its deadline, acknowledged.

The deadline comes from the decree in force at this moment and is stored; the complaint
keeps a reference to that decree version, so a later decree changes neither.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..decrees.deadlines import due_at
from ..decrees.models import Decree
from ..decrees.published import Outline
from ..database import discard
from ..decrees.store import in_force
from ..extensions import db
from ..tenancy.models import Tenant
from . import attachments, lifecycle
from .models import Complaint, EventKind, NotifyBy
from .numbering import format_number, new_tracking_code, next_number


class NoDecreeInForce(Exception):
    """The office has published no compensation regime yet, so it cannot take complaints."""


@dataclass
class Submission:
    """What the citizen gave, already validated by the form."""

    components: list[str]
    description: str
    occurred_on: date
    name: str
    email: str | None
    phone: str | None
    #: The key as stored: ``bound_key()`` of the sender's own, or ``new_key()``.
    submission_key: str
    locale: str = "id"
    service: str | None = None
    unit_id: int | None = None
    waited_minutes: int | None = None
    charged: int | None = None
    tariff: int | None = None
    uploads: list[attachments.Upload] = field(default_factory=list)
    #: How the citizen chose to be told; None: by every channel they gave.
    notify_by: NotifyBy | None = None

    def channels(self) -> NotifyBy:
        if self.notify_by is not None:
            return self.notify_by
        if self.email and self.phone:
            return NotifyBy.BOTH
        return NotifyBy.PHONE if self.phone else NotifyBy.EMAIL


def bound_key(key: str, sender: str) -> str:
    """The sender's key as stored, bound to who sent it (a browser session, an API token).

    A key only says "this is the same sending again"; it is no credential. Bound to its
    sender, a resend finds the first complaint, and anyone else who learns or guesses the
    key finds nothing and files anew. The digest also fits the column whatever the key's length.
    """
    return hashlib.sha256(f"{sender}\n{key}".encode()).hexdigest()


def new_key() -> str:
    """A stored key for a complaint no sender gave one for (a transfer, the demo): unguessable."""
    return secrets.token_hex(32)


def file_once(tenant: Tenant, submission: Submission, *, decree: Outline | Decree | None = None,
              via: str = "citizen") -> tuple[Complaint, bool]:
    """The complaint ``submission`` makes, and True; or, when its sender already filed it (a
    double click, a resent form, even two sendings at the same moment), the complaint the first
    sending made, and False.

    The unique (office, submission key) decides, not a read beforehand: a read costs every
    filing a statement, and two sendings at once both find nothing. The second one's insert
    fails instead; its work is discarded, so the ticket number it took goes back.
    """
    try:
        return submit(tenant, submission, decree=decree, via=via), True
    except IntegrityError as error:
        if "submission_key" not in str(error.orig):
            raise
    discard()
    earlier = db.session.execute(
        select(Complaint).where(Complaint.tenant_id == tenant.id, Complaint.submission_key == submission.submission_key)
    ).scalar_one()
    return earlier, False


def submit(tenant: Tenant, submission: Submission, *, now: datetime | None = None,
           decree: Outline | Decree | None = None, via: str = "citizen") -> Complaint:
    """Create the complaint in the caller's transaction; the caller commits.

    ``via`` names who filed it on the timeline and in the audit log: the citizen, or the
    API token of the channel that filed it for them.
    """
    now = now or clock.now()
    decree = decree or in_force(tenant, now)
    if decree is None:
        raise NoDecreeInForce(tenant.slug)
    complaint = open_complaint(tenant, decree, submission, now)
    for upload in submission.uploads:
        attachments.store(complaint, upload)
    lifecycle.log_event(complaint, EventKind.SUBMITTED, actor_label=via, at=now,
                        data={"components": complaint.components, "due_at": complaint.due_at.isoformat()})
    return complaint


def open_complaint(tenant: Tenant, decree: Outline | Decree, submission: Submission, now: datetime) -> Complaint:
    """The complaint row itself: number, code, deadline. Shared with transfers.

    Added to the session, not flushed: the timeline entry that follows flushes both at once.
    """
    year = clock.office_year(tenant, now)
    number = format_number(tenant, year, next_number(db.session, tenant.id, year))
    complaint = Complaint(
        tenant_id=tenant.id,
        tenant=tenant,
        number=number,
        tracking_code=new_tracking_code(),
        decree_id=decree.id,
        submitted_at=now,
        due_at=due_at(decree.deadline_rule, now, tenant.timezone),
        locale=submission.locale,
        components=list(submission.components),
        description=submission.description,
        occurred_on=submission.occurred_on,
        service=submission.service,
        unit_id=submission.unit_id,
        waited_minutes=submission.waited_minutes,
        charged=submission.charged,
        tariff=submission.tariff,
        name=submission.name,
        email=submission.email,
        phone=submission.phone,
        notify_by=submission.channels(),
        consent_at=now,
        submission_key=submission.submission_key,
        next_alert_at=now,  # the sweep works out the first alert the next time it runs
    )
    db.session.add(complaint)
    return complaint
