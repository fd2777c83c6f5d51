"""Passing a complaint to the office it belongs to, on this platform, with its history.

The receiving office gets a new complaint of its own (its number, its decree, its deadline
counted from the transfer, since it could not act before), a copy of the timeline and the
files; the sending office's complaint is closed as transferred and points to it.
"""

from __future__ import annotations

from ..auth.models import User
from .. import clock
from ..decrees.store import in_force
from ..extensions import db
from ..i18n import localized
from ..tenancy.context import bound_to
from ..tenancy.models import Tenant
from . import attachments, lifecycle
from .intake import NoDecreeInForce, Submission, new_key, open_complaint
from .lifecycle import Action
from .models import Complaint, ComplaintEvent, EventKind


def transfer(complaint: Complaint, target: Tenant, *, by: User, reason: str) -> Complaint:
    """Move the complaint to ``target``; raises ``IllegalTransition`` or ``NoDecreeInForce``."""
    lifecycle.lock(complaint)  # before the check: a second transfer (or a withdrawal) waits, then is refused
    if not lifecycle.allowed(complaint.status, Action.TRANSFER) or target.id == complaint.tenant_id:
        raise lifecycle.IllegalTransition(Action.TRANSFER, complaint.status)
    now = clock.now()
    source = complaint.tenant
    history = list(complaint.events)
    files = list(complaint.attachments)
    db.session.flush()
    with bound_to(target):
        decree = in_force(target, now)
        if decree is None:
            raise NoDecreeInForce(target.slug)
        received = open_complaint(target, decree, _resubmission(complaint), now)
        received.transferred_from_id = complaint.id
        known = {component.code for component in decree.components}
        received.components = [code for code in complaint.components if code in known]
        received.assignee_id = None
        for event in history:
            db.session.add(_copy(event, received, source))
        for attachment in files:
            attachments.copy(attachment, received)
        lifecycle.log_event(received, EventKind.TRANSFERRED_IN, actor_label=localized(source.name), at=now,
                            message=reason, data={"from_office": source.slug, "from_number": complaint.number})
        db.session.flush()
    complaint.transferred_to_id = received.id
    # The receiving office's tracking code is the citizen's key there: it stays out of this
    # office's timeline and audit log (the citizen's mail reads it from the complaint itself).
    lifecycle.apply(complaint, Action.TRANSFER, by=by, message=reason, at=now,
                    data={"to_office": target.slug, "to_number": received.number})
    return received


def _resubmission(complaint: Complaint) -> Submission:
    return Submission(
        components=[], description=complaint.description, occurred_on=complaint.occurred_on,
        name=complaint.name, email=complaint.email, phone=complaint.phone, notify_by=complaint.notify_by,
        submission_key=new_key(), locale=complaint.locale,
        service=complaint.service, waited_minutes=complaint.waited_minutes, charged=complaint.charged,
        tariff=complaint.tariff,
    )


def _copy(event: ComplaintEvent, to: Complaint, source: Tenant) -> ComplaintEvent:
    """A past step, as the receiving office reads it: who did it, named with their office."""
    who = event.actor.name if event.actor else (event.actor_label or "")
    return ComplaintEvent(
        tenant_id=to.tenant_id, complaint=to, kind=event.kind, at=event.at, public=event.public,
        message=event.message, actor_label=f"{who} ({localized(source.name)})",
        data={**event.data, "copied_from": event.complaint.number},
    )
