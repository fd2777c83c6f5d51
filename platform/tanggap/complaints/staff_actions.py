"""What the staff's complaint pages do, kept out of the views: the choices their forms
offer, assignment, notes, and everything the complaint's page shows."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, select

from ..auth.models import Membership, Role, User
from .. import clock
from ..database import across_offices
from ..extensions import db
from ..forms import options
from ..i18n import localized
from ..tenancy.models import Tenant
from ..tenancy.scoping import every_office
from ..units.listing import every_unit
from ..units.models import ServiceUnit
from . import lifecycle, notices, panels, reach
from .forms import AssignForm, ConfirmForm, MessageForm, NoteForm, TransferForm
from .inbox import component_names, due_state
from .lifecycle import Action
from .models import Complaint, ComplaintEvent, EventKind


class Handler(NamedTuple):
    """A member of staff a complaint can be given to, as a choice names them."""

    id: int
    name: str


def handlers(tenant: Tenant) -> list[Handler]:
    """Staff who can be assigned a complaint: the office's officers and leaders, by id and
    name, which is all a choice shows (every inbox page asks; whole accounts cost a third more)."""
    return [Handler(*row) for row in db.session.execute(_handlers(), {"office": tenant.id})]


@cache
def _handlers() -> Select[tuple[int, str]]:
    """``handlers``' statement, built once: only the office differs, and a statement asked
    again keeps its scoped form and cache key (``tenancy.scoping``)."""
    return (select(User.id, User.name).join(Membership, Membership.user_id == User.id)
            .where(Membership.tenant_id == bindparam("office"), Membership.role.in_([Role.OFFICER, Role.LEADER]),
                   User.active)
            .order_by(User.name))


def assign_form(tenant: Tenant, complaint: Complaint | None = None) -> AssignForm:
    return _assign_choices(AssignForm(formdata=None), tenant, complaint)


def _assign_choices(form: AssignForm, tenant: Tenant, complaint: Complaint | None) -> AssignForm:
    form.unit.choices = options([("", _("No unit"))] + [(str(u.id), u.name) for u in every_unit(tenant)])
    form.assignee.choices = options([("", _("Nobody yet"))] + [(str(u.id), u.name) for u in handlers(tenant)])
    if complaint is not None:
        form.unit.data = str(complaint.unit_id or "")
        form.assignee.data = str(complaint.assignee_id or "")
    return form


def submitted_assign_form(tenant: Tenant) -> AssignForm:
    return _assign_choices(AssignForm(), tenant, None)


def assign(complaint: Complaint, unit_id: int | None, assignee_id: int | None, *, by: User) -> None:
    before = {"unit": complaint.unit_id, "assignee": complaint.assignee_id}
    if before == {"unit": unit_id, "assignee": assignee_id}:
        return
    complaint.unit_id, complaint.assignee_id = unit_id, assignee_id
    assignee = db.session.get(User, assignee_id) if assignee_id else None
    unit = db.session.get(ServiceUnit, unit_id) if unit_id else None
    # The names as they were, so the timeline says to whom even after a rename or a departure.
    event = lifecycle.log_event(complaint, EventKind.ASSIGNED, by=by, public=False,
                                data={"unit": unit_id, "assignee": assignee_id,
                                      "assignee_name": assignee.name if assignee else None,
                                      "unit_name": unit.name if unit else None}, audit_before=before)
    if assignee is not None and assignee_id != before["assignee"] and assignee_id != by.id:
        notices.tell_assignee(complaint, assignee, event)


def assignments(events: list[ComplaintEvent]) -> dict[int, str]:
    """To whom each assignment on the staff timeline went (*Ditugaskan kepada ...*); an entry
    written before the names were kept reads them from the ids. Staff only: the citizen's
    timeline never shows assignments, so no officer is named to the public."""
    said: dict[int, str] = {}
    for event in events:
        if event.kind is not EventKind.ASSIGNED:
            continue
        data = event.data or {}
        name = data.get("assignee_name") or _name_of(User, data.get("assignee"))
        unit = data.get("unit_name") or _name_of(ServiceUnit, data.get("unit"))
        if name and unit:
            said[event.id] = _("To %(name)s, %(unit)s", name=name, unit=unit)
        elif name:
            said[event.id] = _("To %(name)s", name=name)
        elif unit:
            said[event.id] = _("To the unit %(unit)s", unit=unit)
        else:
            said[event.id] = _("Assignment removed")
    return said


def _name_of(model: type[User] | type[ServiceUnit], key: object) -> str | None:
    if not isinstance(key, int):
        return None
    found = db.session.get(User, key) if model is User else db.session.get(ServiceUnit, key)
    return found.name if found is not None else None


def transfer_targets(tenant: Tenant) -> list[Tenant]:
    return list(db.session.execute(
        select(Tenant).where(Tenant.active, Tenant.id != tenant.id).order_by(Tenant.slug)
    ).scalars())


def transfer_form(tenant: Tenant, form: TransferForm | None = None) -> TransferForm:
    form = form or TransferForm(formdata=None)
    form.office.choices = options([("", _("Choose an office"))] + [
        (office.slug, localized(office.name)) for office in transfer_targets(tenant)])
    return form


def page_context(complaint: Complaint, user: User, tenant: Tenant, **forms: Any) -> dict[str, Any]:
    """Everything the staff's complaint page shows, with the forms for the actions allowed."""
    actions = lifecycle.available(complaint, user)
    now = clock.now()
    names = component_names([complaint])
    return {
        "complaint": complaint,
        "now": now,
        "due_state": due_state(complaint, now),
        "component_names": [names.get((complaint.decree_id, code), {"id": code, "en": code})
                            for code in complaint.components],
        "actions": actions,
        "Action": Action,
        "events": complaint.events,
        "assigned_to": assignments(complaint.events),
        "panels": panels.for_staff(complaint),
        "reached": reach.reached(complaint),
        "assign": forms.get("assign") or assign_form(tenant, complaint),
        "note": _labelled(forms.get("note") or NoteForm(formdata=None), _("Note for colleagues")),
        "request_info": _labelled(forms.get("request_info") or MessageForm(formdata=None, prefix="info"),
                                  _("Your question to the citizen")),
        "refer": _labelled(forms.get("refer") or MessageForm(formdata=None, prefix="refer"),
                           _("Where the citizen should turn instead")),
        "reopen": _labelled(forms.get("reopen") or MessageForm(formdata=None, prefix="reopen"),
                            _("Why it is reopened")),
        "transfer": transfer_form(tenant, forms.get("transfer")) if Action.TRANSFER in actions else None,
        "confirm": ConfirmForm(formdata=None),
        "transferred_to": _linked(complaint.transferred_to_id),
        "transferred_from": _linked(complaint.transferred_from_id),
    }


def _labelled(form: MessageForm, label: str) -> MessageForm:
    form.message.label.text = label
    return form


def _linked(complaint_id: int | None) -> Complaint | None:
    """The other office's end of a transfer: its number and office, read across tenants on purpose
    (through the cross-office role, for this one row)."""
    if complaint_id is None:
        return None
    with across_offices():
        return db.session.execute(
            every_office(select(Complaint).where(Complaint.id == complaint_id))
        ).scalar_one_or_none()
