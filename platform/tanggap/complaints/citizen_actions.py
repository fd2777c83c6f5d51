"""What the citizen's pages do, kept out of the views: the citizen's own steps, and what the
tracking page shows (the form and its files are ``submitting`` and ``uploads``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import clock
from ..decrees.policy import compensation_package
from ..extensions import db
from ..notifications.models import OutboxMessage
from . import attachments, lifecycle, notices, panels
from .forms import FollowUpForm, RatingForm, WithdrawForm
from .inbox import component_names
from .lifecycle import Action, IllegalTransition
from .models import Complaint, EventKind, Status


def promise(complaint: Complaint) -> list[Any]:
    """What the decree promises for the components the citizen chose, if the complaint is upheld."""
    codes = [code for code in complaint.components if code in {c.code for c in complaint.decree.components}]
    if not codes:
        return []
    return list(compensation_package(complaint.decree.rules(), codes).items)


def messaged_at(complaint: Complaint) -> str | None:
    """The number the receipt went to by WhatsApp or SMS, if one was owed to the citizen."""
    filed = next((event for event in complaint.events if event.kind is EventKind.SUBMITTED), None)
    if filed is None:
        return None
    return db.session.execute(
        select(OutboxMessage.recipient).where(OutboxMessage.key == notices.message_key(filed.id))
    ).scalar_one_or_none()


def track_context(complaint: Complaint, **forms: Any) -> dict[str, Any]:
    """Everything the tracking page shows; ``forms`` carries one that came back with errors."""
    open_ = complaint.status.is_open
    names = component_names([complaint])
    return {
        "complaint": complaint,
        "now": clock.now(),
        # What the citizen said was broken, as they chose it on the form.
        "component_names": [names.get((complaint.decree_id, code), {"id": code, "en": code})
                            for code in complaint.components],
        "events": [event for event in complaint.events if event.public],
        "promise": promise(complaint),
        "panels": panels.for_citizen(complaint),
        "followup": forms.get("followup") or (FollowUpForm(formdata=None) if open_ else None),
        "withdraw": forms.get("withdraw") or (
            WithdrawForm(formdata=None) if lifecycle.allowed(complaint.status, Action.WITHDRAW) else None),
        "rating": forms.get("rating") or (
            RatingForm(formdata=None) if complaint.status is Status.CLOSED and complaint.rating is None else None),
        "answering": complaint.status is Status.INFO_REQUESTED,
    }


def add_information(complaint: Complaint, message: str, uploads: list[attachments.Upload]) -> None:
    """The citizen adds to their complaint; if the office had asked, this is the answer."""
    lifecycle.lock(complaint)
    if not complaint.status.is_open:
        raise IllegalTransition(Action.ANSWER, complaint.status)
    if complaint.status is Status.INFO_REQUESTED:
        event = lifecycle.apply(complaint, Action.ANSWER, actor_label="citizen", message=message)
    else:
        event = lifecycle.log_event(complaint, EventKind.CITIZEN_INFO, actor_label="citizen", message=message)
    for upload in uploads:
        attachments.store(complaint, upload, event_id=event.id)


def withdraw(complaint: Complaint, reason: str | None) -> None:
    """Until the office has decided (the lifecycle's table says when); ``apply`` locks first."""
    lifecycle.apply(complaint, Action.WITHDRAW, actor_label="citizen", message=(reason or "").strip() or None)


def rate(complaint: Complaint, rating: int, comment: str | None, *, at: datetime | None = None) -> None:
    """One rating, after closure (*survei kepuasan*)."""
    lifecycle.lock(complaint)
    if complaint.status is not Status.CLOSED or complaint.rating is not None:
        raise IllegalTransition(Action.CLOSE, complaint.status)
    complaint.rating = rating
    complaint.rating_comment = (comment or "").strip() or None
    complaint.rated_at = at or clock.now()
    lifecycle.log_event(complaint, EventKind.RATED, actor_label="citizen",
                        message=complaint.rating_comment, data={"rating": rating})
