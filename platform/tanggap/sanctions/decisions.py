"""Deciding, correcting and following up sanctions, each audited in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from .. import clock
from ..assessments.models import Assessment
from ..audit.log import record
from ..auth.models import User
from ..complaints.models import Complaint, Status
from ..decrees.models import SanctionType
from ..extensions import db
from ..units.models import Officer
from . import ladder as pure
from .models import CoachingPlan, Sanction, SanctionLadder

#: A sanction needs a complaint that was upheld and not withdrawn or sent elsewhere since.
SANCTIONABLE = frozenset({Status.UPHELD, Status.COMPENSATED, Status.CLOSED})


class SanctionError(ValueError):
    """A decision the rules refuse; ``field`` names the form field, the message is a code."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(code)
        self.field = field


@dataclass(frozen=True)
class Suggestion:
    code: str | None
    #: Upheld complaints against the officer in the window, this one included.
    count: int
    window_months: int


@dataclass
class Decision:
    officer_id: int
    code: str
    reasoning: str
    decided_on: date
    deviation_reason: str | None = None
    coaching_description: str | None = None
    coaching_due_on: date | None = None


def ladder_of(tenant_id: int) -> pure.Ladder:
    row = db.session.execute(select(SanctionLadder).where(SanctionLadder.tenant_id == tenant_id)).scalar_one_or_none()
    return pure.Ladder.from_json(row.window_months, row.steps) if row else pure.DEFAULT


def save_ladder(tenant_id: int, new: pure.Ladder, *, by: User) -> None:
    row = db.session.execute(select(SanctionLadder).where(SanctionLadder.tenant_id == tenant_id)).scalar_one_or_none()
    before = {"window_months": row.window_months, "steps": row.steps} if row else None
    if row is None:
        row = SanctionLadder(tenant_id=tenant_id)
        db.session.add(row)
    row.window_months, row.steps = new.window_months, new.as_json()
    db.session.flush()
    record("sanction.ladder_changed", tenant_id=tenant_id, actor=by, obj=row, before=before,
           after={"window_months": row.window_months, "steps": row.steps})


def upheld_dates(officer_id: int, office: clock.Office) -> list[date]:
    """The office's days on which each upheld complaint against the officer was decided."""
    return [clock.office_date(office, moment) for moment in db.session.execute(
        select(Assessment.decided_at).where(Assessment.responsible_officer_id == officer_id, Assessment.upheld)
    ).scalars()]


def suggestion(complaint: Complaint, officer: Officer) -> Suggestion:
    assessment = complaint.assessment
    office = complaint.tenant
    on = clock.office_date(office, assessment.decided_at) if assessment else clock.office_today(office)
    dates = upheld_dates(officer.id, office)
    if assessment is None or assessment.responsible_officer_id != officer.id:
        dates.append(on)  # this complaint counts against the officer once the sanction is decided
    current = ladder_of(complaint.tenant_id)
    code, count = pure.suggest(current, dates, on)
    known = {t.code for t in complaint.decree.sanction_types}
    return Suggestion(code if code in known else None, count, current.window_months)


def current_sanction(complaint: Complaint) -> Sanction | None:
    return db.session.execute(
        select(Sanction).where(Sanction.complaint_id == complaint.id, ~Sanction.superseded_by.has())
    ).scalar_one_or_none()


def history(complaint: Complaint) -> list[Sanction]:
    return list(db.session.execute(
        select(Sanction).where(Sanction.complaint_id == complaint.id).order_by(Sanction.id)
    ).scalars())


def decide(complaint: Complaint, decision: Decision, *, by: User, supersedes: Sanction | None = None,
           correction_reason: str | None = None) -> Sanction:
    """Record the sanction (or the correction of one); refuse with ``SanctionError``."""
    assessment = complaint.assessment
    if complaint.status not in SANCTIONABLE or assessment is None or not assessment.upheld:
        raise SanctionError("officer", "not_upheld")
    if supersedes is None and current_sanction(complaint) is not None:
        raise SanctionError("code", "already")
    if supersedes is not None and (supersedes.superseded_by is not None or supersedes.complaint_id != complaint.id):
        raise SanctionError("code", "already")
    if supersedes is not None and not (correction_reason or "").strip():
        raise SanctionError("correction_reason", "correction_reason")
    officer = db.session.execute(select(Officer).where(Officer.id == decision.officer_id)).scalar_one_or_none()
    if officer is None:
        raise SanctionError("officer", "officer")
    kind = next((t for t in complaint.decree.sanction_types if t.code == decision.code), None)
    if kind is None:
        raise SanctionError("code", "code")
    if not decision.reasoning.strip():
        raise SanctionError("reasoning", "reasoning")
    if not clock.office_date(complaint.tenant, assessment.decided_at) <= decision.decided_on \
            <= clock.office_today(complaint.tenant):
        raise SanctionError("decided_on", "decided_on")
    suggested = suggestion(complaint, officer)
    if suggested.code and decision.code != suggested.code and not (decision.deviation_reason or "").strip():
        raise SanctionError("deviation_reason", "deviation_reason")
    coaching = _coaching(kind, decision)
    sanction = Sanction(
        tenant_id=complaint.tenant_id, officer_id=officer.id, complaint_id=complaint.id, code=kind.code,
        name=dict(kind.name), kind=kind.kind.value, reasoning=decision.reasoning.strip(),
        decided_on=decision.decided_on, decided_by_id=by.id, suggested_code=suggested.code,
        deviation_reason=(decision.deviation_reason or "").strip() or None,
        supersedes=supersedes, correction_reason=(correction_reason or "").strip() or None,
    )
    db.session.add(sanction)
    if coaching is not None:
        coaching.sanction = sanction
        db.session.add(coaching)
    db.session.flush()
    record(
        "sanction.corrected" if supersedes else "sanction.decided", tenant_id=complaint.tenant_id, actor=by,
        obj=sanction,
        before=_facts(supersedes) if supersedes else None,
        after=_facts(sanction) | {"complaint": complaint.number, "suggested": suggested.code,
                                  "correction_reason": sanction.correction_reason},
    )
    return sanction


def _coaching(kind: SanctionType, decision: Decision) -> CoachingPlan | None:
    if kind.kind.value != "developmental":
        return None
    description = (decision.coaching_description or "").strip()
    if not description:
        raise SanctionError("coaching_description", "coaching_description")
    if decision.coaching_due_on is None or decision.coaching_due_on < decision.decided_on:
        raise SanctionError("coaching_due_on", "coaching_due_on")
    return CoachingPlan(tenant_id=kind.tenant_id, description=description,
                        due_on=decision.coaching_due_on)


def complete_coaching(plan: CoachingPlan, completed_on: date, note: str, *, by: User) -> None:
    if plan.completed_on is not None or not plan.sanction.current:
        raise SanctionError("completed_on", "already")
    if not plan.sanction.decided_on <= completed_on <= clock.office_today(plan.sanction.complaint.tenant):
        raise SanctionError("completed_on", "completed_on")
    plan.completed_on, plan.completion_note, plan.completed_by_id = completed_on, note.strip() or None, by.id
    db.session.flush()
    record("sanction.coaching_completed", tenant_id=plan.tenant_id, actor=by, obj=plan,
           after={"sanction": plan.sanction_id, "completed_on": completed_on.isoformat(), "note": plan.completion_note})


def _facts(sanction: Sanction) -> dict[str, object]:
    return {"id": sanction.id, "officer": sanction.officer_id, "code": sanction.code,
            "decided_on": sanction.decided_on.isoformat(), "reasoning": sanction.reasoning}
