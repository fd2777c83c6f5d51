"""What the citizen's pages do, kept out of the views: building the form, reading uploads,
the citizen's own steps, and what the tracking page shows."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Protocol

from flask import session
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock, images
from ..decrees.models import Decree
from ..decrees.policy import compensation_package
from ..extensions import db
from ..forms import given, options
from ..i18n import localized
from ..tenancy.models import Tenant
from ..units.models import ServiceUnit
from ..notifications.models import OutboxMessage
from . import attachments, lifecycle, notices, panels
from .forms import ComplaintForm, FollowUpForm, RatingForm, WithdrawForm
from .inbox import component_names
from .intake import Submission, bound_key
from .lifecycle import Action, IllegalTransition
from .models import Complaint, EventKind, Status

FILE_ERRORS = {
    "too_large": lambda name: _("%(file)s is larger than %(size)d MB.", file=name,
                                size=attachments.MAX_FILE_BYTES // (1024 * 1024)),
    "empty": lambda name: _("%(file)s is empty.", file=name),
    "type": lambda name: _("%(file)s is not a photo (JPEG, PNG, WebP) or a PDF.", file=name),
    "pixels": lambda name: _("%(file)s has more than %(count)d million pixels; send a smaller photo.", file=name,
                             count=images.MAX_PIXELS // 1_000_000),
}


def complaint_form(tenant: Tenant, decree: Decree, formdata: Any = None) -> ComplaintForm:
    """The form with this office's choices; ``formdata`` for a body read another way (the APIs)."""
    form = ComplaintForm(formdata=formdata, meta={"csrf": False}) if formdata is not None else ComplaintForm()
    form.components.choices = options((c.code, localized(c.name)) for c in decree.components)
    units = db.session.execute(
        select(ServiceUnit).where(ServiceUnit.active).order_by(ServiceUnit.name)
    ).scalars()
    form.unit.choices = options([("", _("I don't know"))] + [(str(unit.id), unit.name) for unit in units])
    form.today = clock.office_today(tenant)
    return form


class WithFiles(Protocol):
    """A form with a ``files`` field: the citizen's, and the officer's delivery form."""

    files: Any


def checked_uploads(form: WithFiles) -> list[attachments.Upload] | None:
    """The form's files, checked; None (with the errors on the field) if any is refused.

    Every file anyone gives the office goes through here, so a delivery's evidence is checked,
    worded and limited exactly as a citizen's attachments are."""
    files = [storage for storage in (form.files.data or []) if getattr(storage, "filename", "")]
    if len(files) > attachments.MAX_FILES:
        form.files.errors = [_("Attach at most %(count)d files.", count=attachments.MAX_FILES)]
        return None
    uploads, errors = [], []
    for storage in files:
        try:
            upload = attachments.check(storage)
        except attachments.FileRejected as rejected:
            errors.append(FILE_ERRORS[rejected.reason](rejected.filename))
            continue
        if upload is not None:
            uploads.append(upload)
    if errors:
        form.files.errors = errors
        return None
    return uploads


#: The session's key under which this browser's sender value is kept.
SENDER = "complaint_sender"


def browser_sender() -> str:
    """Who sends the web form: this browser's session, by a random value kept in it.

    Set when the form is shown, so a double click sends the same value twice; another
    browser, with the same submission key, is another sender.
    """
    return "session:" + session.setdefault(SENDER, secrets.token_hex(16))


def token_sender(token_id: int) -> str:
    """Who sends through the APIs: the token, so another token's resend never finds this one's complaint."""
    return f"token:{token_id}"


def submission(form: ComplaintForm, uploads: list[attachments.Upload], locale: str, *, sender: str) -> Submission:
    """What the validated form says, its key bound to ``sender`` (``fill_key()`` gave it one)."""
    return Submission(
        components=given(form.components.data),
        description=given(form.description.data).strip(),
        occurred_on=given(form.occurred_on.data),
        name=given(form.name.data).strip(),
        email=(form.email.data or "").strip().lower() or None,
        phone=(form.phone.data or "").strip() or None,
        notify_by=form.chosen_notify_by(),
        submission_key=bound_key(given(form.submission_key.data), sender),
        locale=locale if locale in ("id", "en") else "id",
        service=(form.service.data or "").strip() or None,
        unit_id=int(form.unit.data) if form.unit.data else None,
        waited_minutes=form.waited_minutes(),
        charged=form.charged.data,
        tariff=form.tariff.data,
        uploads=uploads,
    )


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
