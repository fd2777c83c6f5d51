"""Statuses and timeline events in words, for citizens and staff, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import ComplaintEvent, EventKind, NotifyBy, Status

STATUS_LABELS = {
    Status.SUBMITTED: _l("Received"),
    Status.INFO_REQUESTED: _l("Waiting for your information"),
    Status.IN_ASSESSMENT: _l("Being assessed"),
    Status.UPHELD: _l("Upheld: compensation under way"),
    Status.REJECTED: _l("Not upheld"),
    Status.COMPENSATED: _l("Compensated"),
    Status.CLOSED: _l("Closed"),
    Status.NOT_COMPETENT: _l("Not this office's matter"),
    Status.TRANSFERRED: _l("Transferred to another office"),
    Status.WITHDRAWN: _l("Withdrawn"),
}

#: Shorter names for the staff inbox's tabs and badges.
STAFF_STATUS_LABELS = {
    **STATUS_LABELS,
    Status.SUBMITTED: _l("New"),
    Status.INFO_REQUESTED: _l("Information requested"),
    Status.UPHELD: _l("Upheld"),
}

STATUS_EXPLANATIONS = {
    Status.SUBMITTED: _l("The office has your complaint and will look at it soon."),
    Status.INFO_REQUESTED: _l("The office needs more information from you; please answer below."),
    Status.IN_ASSESSMENT: _l("The head of office is assessing whether the service missed its standard."),
    Status.UPHELD: _l("Your complaint was upheld. The office is delivering the compensation below."),
    Status.REJECTED: _l("Your complaint was not upheld; the explanation is below."),
    Status.COMPENSATED: _l("Every compensation item has been delivered."),
    Status.CLOSED: _l("The complaint is closed. You can rate how it was handled."),
    Status.NOT_COMPETENT: _l("This is not a matter for this office; see below where to turn."),
    Status.TRANSFERRED: _l("Your complaint was passed on to the office responsible, with its history."),
    Status.WITHDRAWN: _l("You withdrew this complaint."),
}

EVENT_TITLES = {
    EventKind.SUBMITTED: _l("Complaint received"),
    EventKind.ACCEPTED: _l("Accepted for assessment"),
    EventKind.INFO_REQUESTED: _l("More information requested"),
    EventKind.CITIZEN_INFO: _l("Information added by the citizen"),
    EventKind.ASSIGNED: _l("Assigned"),
    EventKind.NOTE: _l("Internal note"),
    EventKind.NOT_COMPETENT: _l("Referred elsewhere (not this office's matter)"),
    EventKind.TRANSFERRED_OUT: _l("Transferred to another office"),
    EventKind.TRANSFERRED_IN: _l("Received by transfer from another office"),
    EventKind.UPHELD: _l("Assessed: upheld"),
    EventKind.REJECTED: _l("Assessed: not upheld"),
    EventKind.ITEM_DELIVERED: _l("Compensation delivered"),
    EventKind.COMPENSATED: _l("All compensation delivered"),
    EventKind.CLOSED: _l("Closed"),
    EventKind.REOPENED: _l("Reopened"),
    EventKind.WITHDRAWN: _l("Withdrawn by the citizen"),
    EventKind.RATED: _l("Rated by the citizen"),
    EventKind.LETTER_ISSUED: _l("Letter issued"),
    EventKind.LETTER_SENT: _l("Letter sent to the citizen"),
}


def status_label(status: Status, *, staff: bool = False) -> str:
    return str((STAFF_STATUS_LABELS if staff else STATUS_LABELS)[status])


def staff_status_words() -> dict[Status, str]:
    """Every status as staff read it, in the language in force now: for a page or a batch that
    names many complaints' statuses, each lazy label turned into text once, not once a row."""
    return {status: str(label) for status, label in STAFF_STATUS_LABELS.items()}


def status_explanation(status: Status) -> str:
    return str(STATUS_EXPLANATIONS[status])


def event_title(event: ComplaintEvent) -> str:
    return str(EVENT_TITLES[event.kind])


NOTIFY_BY_LABELS = {
    NotifyBy.EMAIL: _l("E-mail"),
    NotifyBy.PHONE: _l("WhatsApp or SMS"),
    NotifyBy.BOTH: _l("E-mail and WhatsApp or SMS"),
}


def notify_by_label(choice: NotifyBy) -> str:
    return str(NOTIFY_BY_LABELS[choice])
