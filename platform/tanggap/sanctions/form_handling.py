"""Between the sanction pages and the decisions: form choices, defaults and wording."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import Membership, User
from ..complaints.models import Complaint
from ..extensions import db
from ..forms import Form, given, options
from ..i18n import localized
from ..tenancy.models import Tenant
from ..units.models import Officer, ServiceUnit
from .decisions import Decision, SanctionError
from .forms import LadderForm, OfficerForm, SanctionForm
from .ladder import Ladder, Step

ERRORS = {
    "not_upheld": lambda: _("Only an upheld complaint can lead to a sanction."),
    "already": lambda: _("A sanction is already in force for this complaint; correct it instead."),
    "officer": lambda: _("Choose an officer of this office."),
    "code": lambda: _("Choose a sanction the decree names."),
    "reasoning": lambda: _("Write the reasoning."),
    "deviation_reason": lambda: _("You chose otherwise than suggested: say why."),
    "coaching_description": lambda: _("Describe the coaching plan."),
    "coaching_due_on": lambda: _("Give a completion date on or after the decision."),
    "correction_reason": lambda: _("Say why the sanction is corrected."),
    "decided_on": lambda: _("The decision date must lie between the assessment and today."),
    "completed_on": lambda: _("The completion date must lie between the decision and today."),
    "window": lambda: _("Count between 1 and 120 months."),
    "starts": lambda: _("Each step needs its own number, from 1 up."),
    "unknown": lambda: _("Choose sanctions the decree names."),
}


def add_error(form: Form, error: SanctionError) -> None:
    field = getattr(form, error.field, None)
    message = ERRORS.get(str(error), lambda: str(error))()
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def officers() -> list[Officer]:
    return list(db.session.execute(select(Officer).order_by(Officer.name)).scalars())


def sanction_choices(form: SanctionForm, complaint: Complaint) -> SanctionForm:
    form.officer.choices = options([("", _("Choose"))] + [
        (str(o.id), o.name + (f" ({o.unit.name})" if o.unit else "")) for o in officers()
        if o.active or o.id == getattr(complaint.assessment, "responsible_officer_id", None)])
    form.code.choices = options([("", _("Choose"))] + [
        (t.code, localized(t.name)) for t in complaint.decree.sanction_types])
    return form


def decision(form: SanctionForm) -> Decision:
    return Decision(
        officer_id=int(form.officer.data), code=form.code.data, reasoning=form.reasoning.data or "",
        decided_on=given(form.decided_on.data), deviation_reason=form.deviation_reason.data,
        coaching_description=form.coaching_description.data, coaching_due_on=form.coaching_due_on.data,
    )


def ladder_form(form: LadderForm, current: Ladder, sanction_types: list, submitted: bool) -> LadderForm:
    choices = options([("", _("nothing"))] + [(t.code, localized(t.name)) for t in sanction_types])
    if not submitted:
        form.window_months.data = current.window_months
        for entry, step in zip(form.steps.entries, current.steps, strict=False):
            entry.form.start.data, entry.form.sanction.data = step.start, step.sanction
    for entry in form.steps.entries:
        entry.form.sanction.choices = choices
    return form


def ladder_of_form(form: LadderForm) -> Ladder:
    steps = tuple(Step(entry.form.start.data, entry.form.sanction.data) for entry in form.steps.entries
                  if entry.form.start.data and entry.form.sanction.data)
    return Ladder(given(form.window_months.data), tuple(sorted(steps, key=lambda step: step.start)))


def officer_choices(form: OfficerForm, tenant: Tenant) -> OfficerForm:
    units = db.session.execute(select(ServiceUnit).order_by(ServiceUnit.name)).scalars()
    form.unit.choices = options([("", _("No unit"))] + [(str(u.id), u.name) for u in units])
    members = db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.tenant_id == tenant.id)
        .order_by(User.name)
    ).scalars()
    form.user.choices = options([("", _("No login"))] + [(str(u.id), f"{u.name} <{u.email}>") for u in members])
    return form
