"""What the citizen is told by e-mail, in the language they wrote in.

Each public timeline event of certain kinds becomes one outbox message, keyed by the event
so that it can never be sent twice.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..database import across_offices
from ..extensions import db
from ..i18n import writing
from ..notifications.outbox import notify_staff, queue_email, settings_of
from ..tenancy.scoping import CROSS_TENANT
from ..web import external_url
from .models import Complaint, ComplaintEvent, EventKind

#: Events a citizen hears about. Notes and assignments are internal; their own steps
#: (added information, withdrawal, rating) are confirmed on the page.
TOLD = frozenset({
    EventKind.SUBMITTED, EventKind.ACCEPTED, EventKind.INFO_REQUESTED, EventKind.NOT_COMPETENT,
    EventKind.TRANSFERRED_OUT, EventKind.UPHELD, EventKind.REJECTED, EventKind.ITEM_DELIVERED,
    EventKind.COMPENSATED, EventKind.CLOSED, EventKind.REOPENED,
})


def subject_for(complaint: Complaint, event: ComplaintEvent) -> str:
    subjects = {
        EventKind.SUBMITTED: lambda: _("Your complaint %(number)s has been received", number=complaint.number),
        EventKind.INFO_REQUESTED: lambda: _("Complaint %(number)s: we need more information", number=complaint.number),
        EventKind.ITEM_DELIVERED: lambda: _("Complaint %(number)s: compensation delivered", number=complaint.number),
    }
    default = lambda: _("Complaint %(number)s: news on your complaint", number=complaint.number)  # noqa: E731
    return subjects.get(event.kind, default)()


def notify_citizen(complaint: Complaint, event: ComplaintEvent) -> None:
    if not complaint.email or event.kind not in TOLD:
        return
    with writing(complaint.locale, complaint.tenant):
        link = external_url("public.track", tenant_slug=complaint.tenant.slug, code=complaint.tracking_code)
        body = render_template("complaints/mail/event.txt", complaint=complaint, event=event, link=link,
                               received=_received(complaint, event))
        subject = subject_for(complaint, event)
    queue_email(tenant_id=complaint.tenant_id, to=complaint.email, subject=subject, body=body,
                key=f"complaint-event:{event.id}")


def _received(complaint: Complaint, event: ComplaintEvent) -> Complaint | None:
    """The receiving office's complaint, for the citizen's transfer mail only: its code is
    theirs to know, and is read here rather than stored where this office reads."""
    if event.kind is not EventKind.TRANSFERRED_OUT or complaint.transferred_to_id is None:
        return None
    # The other end of a transfer is one of the narrow look-ups across offices: on PostgreSQL
    # the office's own role could not see the receiving office's row at all.
    with across_offices():
        return db.session.execute(
            select(Complaint).where(Complaint.id == complaint.transferred_to_id)
            .execution_options(**{CROSS_TENANT: True})
        ).scalar_one_or_none()


def tell_assignee(complaint: Complaint, person: User, event: ComplaintEvent) -> None:
    """A member of staff was given a complaint: their bell, and an e-mail in their language."""
    link = external_url("complaints.show", tenant_slug=complaint.tenant.slug, number=complaint.number)
    key = f"assigned:{event.id}"
    with writing(person.locale or complaint.tenant.default_locale, complaint.tenant):
        subject = _("[%(number)s] Assigned to you", number=complaint.number)
        body = render_template("complaints/mail/assigned.txt", complaint=complaint, person=person, link=link)
    notify_staff(tenant_id=complaint.tenant_id, user_id=person.id, subject=subject, body=body.strip(), key=key,
                 link=link)
    if settings_of(complaint.tenant_id).email_enabled:
        queue_email(tenant_id=complaint.tenant_id, to=person.email, subject=subject, body=body, key=f"{key}:email")
