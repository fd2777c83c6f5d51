"""Every change of a complaint's status, in one place (DESIGN.md, "Complaint lifecycle").

The table of transitions is the rule; ``apply`` is the only code that sets
``Complaint.status``. Each step writes a timeline event, an audit entry and, where the
citizen should hear of it, an e-mail to the outbox, all in the caller's transaction:
either the whole step happens or none of it does.

Two people may act on one complaint at once (the citizen withdraws while the leader
assesses; an item is delivered twice). Every step therefore begins with ``lock``: the
complaint's row is taken for this transaction and read again, so a second step waits for
the first to commit and then checks the status the first one left, and is refused like any
step the status does not allow.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from ..audit.log import record
from ..auth.models import Actor, User, actor_parts
from ..auth.permissions import Permission, can
from .. import clock
from ..extensions import db
from .models import DEADLINE_BINDS, FINISHED, Complaint, ComplaintEvent, EventKind, Status
from .notices import notify_citizen

S = Status


class Action(enum.Enum):
    ACCEPT = "accept"
    REQUEST_INFO = "request_info"
    ANSWER = "answer"
    REFER = "refer"
    TRANSFER = "transfer"
    UPHOLD = "uphold"
    REJECT = "reject"
    COMPENSATE = "compensate"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    #: None: back to the state before closing (reopen).
    target: Status | None
    #: What staff need to take it; None: the citizen's own step (or the system's).
    permission: Permission | None
    event: EventKind


def _t(sources: set[Status], target: Status | None, permission: Permission | None, event: EventKind) -> Transition:
    return Transition(frozenset(sources), target, permission, event)


#: The citizen may withdraw until the office has decided; after that the decision stands and
#: the complaint ends by being compensated and closed (or closed as rejected).
BEFORE_DECISION = frozenset({Status.SUBMITTED, Status.INFO_REQUESTED, Status.IN_ASSESSMENT})

TRANSITIONS: dict[Action, Transition] = {
    Action.ACCEPT: _t({S.SUBMITTED}, S.IN_ASSESSMENT, Permission.TRIAGE, EventKind.ACCEPTED),
    Action.REQUEST_INFO: _t({S.SUBMITTED, S.IN_ASSESSMENT}, S.INFO_REQUESTED, Permission.TRIAGE,
                            EventKind.INFO_REQUESTED),
    Action.ANSWER: _t({S.INFO_REQUESTED}, S.SUBMITTED, None, EventKind.CITIZEN_INFO),
    Action.REFER: _t({S.SUBMITTED, S.IN_ASSESSMENT}, S.NOT_COMPETENT, Permission.TRIAGE, EventKind.NOT_COMPETENT),
    Action.TRANSFER: _t({S.SUBMITTED, S.IN_ASSESSMENT}, S.TRANSFERRED, Permission.TRANSFER,
                        EventKind.TRANSFERRED_OUT),
    Action.UPHOLD: _t({S.IN_ASSESSMENT}, S.UPHELD, Permission.ASSESS, EventKind.UPHELD),
    Action.REJECT: _t({S.IN_ASSESSMENT}, S.REJECTED, Permission.ASSESS, EventKind.REJECTED),
    Action.COMPENSATE: _t({S.UPHELD}, S.COMPENSATED, Permission.DELIVER, EventKind.COMPENSATED),
    Action.CLOSE: _t({S.COMPENSATED, S.REJECTED}, S.CLOSED, Permission.CLOSE, EventKind.CLOSED),
    Action.WITHDRAW: _t(set(BEFORE_DECISION), S.WITHDRAWN, None, EventKind.WITHDRAWN),
    Action.REOPEN: _t({S.CLOSED, S.NOT_COMPETENT}, None, Permission.REOPEN, EventKind.REOPENED),
}


class IllegalTransition(Exception):
    """The complaint's status does not allow this step (or this person may not take it)."""

    def __init__(self, action: Action, status: Status) -> None:
        super().__init__(f"cannot {action.value} a complaint that is {status.value}")
        self.action, self.status = action, status


def allowed(status: Status, action: Action) -> bool:
    return status in TRANSITIONS[action].sources


def available(complaint: Complaint, user: User | Any) -> set[Action]:
    """The staff actions this user may take on the complaint now (for the page's buttons)."""
    return {
        action
        for action, transition in TRANSITIONS.items()
        if transition.permission is not None
        and complaint.status in transition.sources
        and can(user, transition.permission, complaint.tenant)
    }


def lock(complaint: Complaint) -> Complaint:
    """Take the complaint's row for this transaction and read it again, before any check.

    On PostgreSQL ``SELECT ... FOR UPDATE`` waits for whoever holds the row and then returns
    what they committed. SQLite has no row locks but lets one writer at a time: a write that
    changes nothing takes the database's write lock first, so the read that follows sees
    everything committed before it and nothing can be committed after it until this
    transaction ends.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(Complaint).where(Complaint.id == complaint.id)
                           .values(id=Complaint.id, updated_at=Complaint.updated_at)
                           .execution_options(synchronize_session=False))
    db.session.execute(
        select(Complaint).where(Complaint.id == complaint.id).with_for_update(of=Complaint)
        .execution_options(populate_existing=True)
    ).scalar_one()
    return complaint


def apply(
    complaint: Complaint,
    action: Action,
    *,
    by: Actor | None = None,
    actor_label: str | None = None,
    message: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ComplaintEvent:
    """Take ``action`` on the complaint, or raise ``IllegalTransition`` and change nothing."""
    lock(complaint)
    transition = TRANSITIONS[action]
    before = complaint.status
    if before not in transition.sources:
        raise IllegalTransition(action, before)
    if transition.permission is not None and (by is None or not can(by, transition.permission, complaint.tenant)):
        raise IllegalTransition(action, before)
    moment = at or clock.now()
    target = transition.target or complaint.status_before_close
    if target is None:
        raise IllegalTransition(action, before)
    if target in FINISHED:
        complaint.status_before_close = before
        complaint.closed_at = moment
    if action is Action.REOPEN:
        complaint.status_before_close = None
        complaint.closed_at = None
    if action is Action.COMPENSATE:
        complaint.compensated_at = moment
    complaint.status = target
    # The deadline sweep looks only at complaints whose deadline still binds.
    complaint.next_alert_at = moment if target in DEADLINE_BINDS else None
    facts = {"from": before.value, "to": target.value, **(data or {})}
    return log_event(complaint, transition.event, by=by, actor_label=actor_label, message=message,
                     data=facts, at=moment, audit_action=f"complaint.{action.value}",
                     audit_before={"status": before.value})


def log_event(
    complaint: Complaint,
    kind: EventKind,
    *,
    by: Actor | None = None,
    actor_label: str | None = None,
    message: str | None = None,
    data: dict[str, Any] | None = None,
    public: bool = True,
    at: datetime | None = None,
    audit_action: str | None = None,
    audit_before: dict[str, Any] | None = None,
) -> ComplaintEvent:
    """A timeline entry that changes no status (a note, an assignment, a delivered item), audited."""
    user, label = actor_parts(by, actor_label)
    event = ComplaintEvent(
        tenant_id=complaint.tenant_id,
        complaint=complaint,
        kind=kind,
        actor=user,
        actor_label=label,
        public=public,
        message=message,
        data=data or {},
        at=at or clock.now(),
    )
    db.session.add(event)
    db.session.flush()
    if public:  # before the audit entry, whose write then waits for the commit's flush with the message's
        notify_citizen(complaint, event)
    record(
        audit_action or f"complaint.{kind.value}",
        tenant_id=complaint.tenant_id,
        actor=user,
        actor_label=label,
        obj=complaint,
        before=audit_before,
        after={"number": complaint.number, "status": complaint.status.value, "event": event.id, **(data or {})},
    )
    return event


def refer(complaint: Complaint, referral: str, *, by: Actor) -> None:
    """*Bukan wewenang*: not this office's matter; the citizen reads where to turn instead."""
    lock(complaint)
    complaint.referral = referral
    apply(complaint, Action.REFER, by=by, message=referral)


def add_note(complaint: Complaint, text: str, *, by: Actor) -> None:
    """A note for colleagues on the timeline; it changes no status and the citizen never reads it."""
    log_event(complaint, EventKind.NOTE, by=by, public=False, message=text)
