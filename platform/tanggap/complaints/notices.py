"""What the citizen is told, in the language they wrote in, by the channels they chose.

Each public timeline event of certain kinds becomes one outbox message per channel (an
e-mail, a WhatsApp or SMS message through the office's gateway), keyed by the event so that
none can ever be sent twice.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..database import across_offices
from ..extensions import db
from ..i18n import writing
from ..notifications import phones
from ..notifications.outbox import notify_staff, queue_email, queue_message, settings_of
from ..tenancy.scoping import every_office
from ..web import external_url
from .models import Complaint, ComplaintEvent, EventKind
from .short_notices import short_text

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
    if event.kind not in TOLD:
        return
    by_email = complaint.email and complaint.notify_by.by_email
    number = _messageable(complaint) if complaint.notify_by.by_phone else None
    if not by_email and not number:
        return
    with writing(complaint.locale, complaint.tenant):
        link = external_url("citizen.track", tenant_slug=complaint.tenant.slug, code=complaint.tracking_code)
        received = _received(complaint, event)
        if by_email:
            body = render_template("complaints/mail/event.txt", complaint=complaint, event=event, link=link,
                                   received=received)
            queue_email(tenant_id=complaint.tenant_id, to=str(complaint.email), subject=subject_for(complaint, event),
                        body=body, key=f"complaint-event:{event.id}")
        if number:
            if received is not None:  # the citizen follows it at the office that has it now
                link = external_url("citizen.track", tenant_slug=received.tenant.slug, code=received.tracking_code)
            queue_message(tenant_id=complaint.tenant_id, to=number, text=short_text(complaint, event, link, received),
                          key=message_key(event.id), locale=complaint.locale, office=complaint.tenant.slug,
                          notice=event.kind.value,
                          receipts=external_url("notifications.gateway_receipt", tenant_slug=complaint.tenant.slug))


def message_key(event_id: int) -> str:
    """The delivery key of the WhatsApp/SMS message for a timeline event (the e-mail's, plus ``:message``)."""
    return f"complaint-event:{event_id}:message"


def _messageable(complaint: Complaint) -> str | None:
    """The citizen's number in E.164 when the office's gateway is on and messages can reach it."""
    if not complaint.phone:
        return None
    try:
        number = phones.mobile(complaint.phone)
    except phones.NotAPhone:  # a landline, or a number kept from before numbers were checked
        return None
    channels = settings_of(complaint.tenant_id)
    return number if channels.gateway_enabled and channels.gateway_url else None


def _received(complaint: Complaint, event: ComplaintEvent) -> Complaint | None:
    """The receiving office's complaint, for the citizen's transfer mail only: its code is
    theirs to know, and is read here rather than stored where this office reads."""
    if event.kind is not EventKind.TRANSFERRED_OUT or complaint.transferred_to_id is None:
        return None
    # The other end of a transfer is one of the narrow look-ups across offices: on PostgreSQL
    # the office's own role could not see the receiving office's row at all.
    with across_offices():
        return db.session.execute(
            every_office(select(Complaint).where(Complaint.id == complaint.transferred_to_id))
        ).scalar_one_or_none()


def tell_assignee(complaint: Complaint, person: User, event: ComplaintEvent) -> None:
    """A member of staff was given a complaint: their bell, and an e-mail in their language."""
    link = external_url("staff_complaints.show", tenant_slug=complaint.tenant.slug, number=complaint.number)
    key = f"assigned:{event.id}"
    with writing(person.locale or complaint.tenant.default_locale, complaint.tenant):
        subject = _("[%(number)s] Assigned to you", number=complaint.number)
        body = render_template("complaints/mail/assigned.txt", complaint=complaint, person=person, link=link)
    notify_staff(tenant_id=complaint.tenant_id, user_id=person.id, subject=subject, body=body.strip(), key=key,
                 link=link)
    if settings_of(complaint.tenant_id).email_enabled:
        queue_email(tenant_id=complaint.tenant_id, to=person.email, subject=subject, body=body, key=f"{key}:email")
