"""The audit log in words: what happened, to what, and each change as field: old → new.

The log keeps codes (``api_token.issued``) and JSON, which are stable and hashed; the
people who read it (leaders, admins, an inspector in a dispute) read sentences in their
own language. Every code has its label here, in one place; a code without one still
reads as words (the kind of object that changed), never as the code itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import LazyString, format_decimal, gettext as _, lazy_gettext as _l

from ..alerts.messages import describe
from ..alerts.points import AlertPoint
from ..auth.models import ApiScope, Role
from ..complaints.models import EventKind
from ..complaints.labels import EVENT_TITLES, STAFF_STATUS_LABELS
from ..decrees.models import Decree
from ..i18n import local_date, local_datetime, localized
from ..tenancy.models import RegionKind

ACTIONS: dict[str, LazyString] = {
    "alerts.settings_changed": _l("Alert points changed"),
    "api_token.issued": _l("API token issued"),
    "api_token.revoked": _l("API token revoked"),
    "auth.login": _l("Signed in"),
    "auth.password_changed": _l("Password changed"),
    "auth.password_reset": _l("Password reset"),
    "channels.changed": _l("Notice channels changed"),
    "decree.draft_discarded": _l("Decree draft discarded"),
    "decree.draft_saved": _l("Decree draft saved"),
    "decree.draft_started": _l("Decree draft started"),
    "decree.published": _l("Decree published"),
    "inspector.accepted": _l("Inspector invitation accepted"),
    "inspector.invited": _l("Inspector invited"),
    "letter.downloaded": _l("Letter downloaded"),
    "letter.issued": _l("Letter issued"),
    "letter.sent": _l("Letter sent to the citizen"),
    "letters.settings_changed": _l("Letter settings changed"),
    "membership.accepted": _l("Staff invitation accepted"),
    "membership.changed": _l("Staff role changed"),
    "membership.created": _l("Staff member added"),
    "membership.invited": _l("Staff member invited"),
    "membership.removed": _l("Staff member removed from the office"),
    "officer.changed": _l("Officer changed"),
    "officer.created": _l("Officer added"),
    "region.saved": _l("Region saved"),
    "sanction.coaching_completed": _l("Coaching completed"),
    "sanction.corrected": _l("Sanction corrected"),
    "sanction.decided": _l("Sanction decided"),
    "sanction.ladder_changed": _l("Sanction ladder changed"),
    "tenant.changed": _l("Office changed"),
    "tenant.created": _l("Office created"),
    "tenant.deactivated": _l("Office deactivated"),
    "tenant.loaded": _l("Office loaded from its decree file"),
    "tenant.reactivated": _l("Office reactivated"),
    "tenant.settings_changed": _l("Office settings changed"),
    "unit.changed": _l("Service unit changed"),
    "unit.created": _l("Service unit added"),
    "user.created": _l("Account created"),
}

#: A complaint's steps are logged as ``complaint.<step>``: the timeline's own titles.
_COMPLAINT_STEPS = {
    "accept": EventKind.ACCEPTED, "request_info": EventKind.INFO_REQUESTED, "answer": EventKind.CITIZEN_INFO,
    "refer": EventKind.NOT_COMPETENT, "transfer": EventKind.TRANSFERRED_OUT, "uphold": EventKind.UPHELD,
    "reject": EventKind.REJECTED, "compensate": EventKind.COMPENSATED, "close": EventKind.CLOSED,
    "withdraw": EventKind.WITHDRAWN, "reopen": EventKind.REOPENED,
} | {kind.value: kind for kind in EventKind}

OBJECTS: dict[str, LazyString] = {
    "AlertSettings": _l("Alert points"),
    "ApiToken": _l("API token"),
    "CoachingPlan": _l("Coaching plan"),
    "Complaint": _l("Complaint"),
    "Decree": _l("Decree"),
    "Letter": _l("Letter"),
    "LetterSettings": _l("Letter settings"),
    "Membership": _l("Staff member"),
    "NotificationChannels": _l("Notice channels"),
    "Officer": _l("Officer"),
    "Region": _l("Region"),
    "Sanction": _l("Sanction"),
    "SanctionLadder": _l("Sanction ladder"),
    "ServiceUnit": _l("Service unit"),
    "Tenant": _l("Office"),
    "User": _l("Account"),
}

#: Who acted when it was no signed-in person.
ACTORS: dict[str, LazyString] = {
    "citizen": _l("Citizen"),
    "demo": _l("Demo set-up"),
    "loader": _l("Decree file loader"),
    "system": _l("system"),
}

FIELDS: dict[str, LazyString] = {
    "active": _l("Active"), "assignee": _l("Handled by"), "backdated": _l("Backdated"),
    "code": _l("Sanction"), "complaint": _l("Complaint"), "complaint_id": _l("Complaint"),
    "completed_on": _l("Completed on"), "components": _l("Components"), "correction_reason": _l("Reason for the correction"),
    "deadline_hours": _l("Deadline"), "decided_on": _l("Decided on"), "domain": _l("Host name"),
    "due_at": _l("Deadline"), "effective_from": _l("In force from"), "email": _l("E-mail"),
    "email_enabled": _l("E-mail notices"), "fired_at": _l("Sent at"), "from": _l("Status before"),
    "from_version": _l("Based on version"), "heads": _l("Heads of office"), "items": _l("Compensation"),
    "kind": _l("Kind"), "letter": _l("Letter"), "letter_kind": _l("Kind of letter"), "locale": _l("Language"),
    "recipient": _l("Sent to"), "sha256": _l("Fingerprint (SHA-256)"), "logo": _l("Logo"), "method": _l("Method"), "name": _l("Name"), "nip": _l("NIP"),
    "note": _l("Note"), "number": _l("Number"), "officer": _l("Officer"), "parent": _l("Part of"),
    "pending": _l("Invitation pending"), "point": _l("Alert point"), "points": _l("Alert points"),
    "position": _l("Position"), "prefix": _l("Token prefix"), "rating": _l("Rating"), "reasoning": _l("Reasoning"),
    "region": _l("Region"), "region_id": _l("Region"), "role": _l("Role"), "sanction": _l("Sanction"),
    "scopes": _l("May do"), "slug": _l("Address (slug)"), "status": _l("Status"), "steps": _l("Steps"),
    "suggested": _l("Suggested sanction"), "tenant_id": _l("Office"), "to": _l("Status after"),
    "unit": _l("Service unit"), "unit_id": _l("Service unit"), "user_id": _l("Account"), "version": _l("Version"),
    "webhook_url": _l("Webhook address"), "window_months": _l("Months counted"),
    "office_today": _l("The office's date"), "reason": _l("Reason"), "supersedes": _l("Replaces"),
    "digest_hour": _l("Daily e-mail at"), "new_complaints_to": _l("Also told of new complaints"),
    "officer_id": _l("Officer"), "subject": _l("Subject"), "text": _l("Text"), "uphold": _l("Upheld"),
    "gateway_enabled": _l("Messaging gateway on"), "gateway_kind": _l("How the gateway is spoken to"),
    "gateway_url": _l("Address of the messaging gateway"), "new_gateway_secret": _l("New gateway secret"),
    "new_gateway_token": _l("New provider token"),
}
#: Keys that tie an entry to other rows and mean nothing to a reader.
_INTERNAL = frozenset({"event", "id", "new_secret"})

_SCOPE_NAMES = {scope.value: scope.short_label for scope in ApiScope}
_ROLE_NAMES = {role.value: role.label for role in Role}
_REGION_KINDS = {kind.value: kind.label for kind in RegionKind}
_STATUSES = {status.value: label for status, label in STAFF_STATUS_LABELS.items()}
#: Values that are codes of a known set, by the field that holds them.
_CODED = {"scopes": _SCOPE_NAMES, "role": _ROLE_NAMES, "kind": _REGION_KINDS, "status": _STATUSES,
          "from": _STATUSES, "to": _STATUSES}


@dataclass(frozen=True)
class Change:
    """One field of an entry: its name, and its value before and after, in words."""

    field: str
    before: str | None
    after: str


def action_label(action: str, object_type: str | None = None) -> str:
    """The entry's action as words; an unknown code reads as a change to its kind of object."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    family, _dot, step = action.partition(".")
    if family == "complaint" and step in _COMPLAINT_STEPS:
        return str(EVENT_TITLES[_COMPLAINT_STEPS[step]])
    thing = OBJECTS.get(object_type or "") or OBJECTS.get(family.title().replace("_", ""))
    return _("Change to: %(object)s", object=thing) if thing else _("Other change")


def object_label(object_type: str | None) -> str:
    return str(OBJECTS[object_type]) if object_type in OBJECTS else ""


def actor_label(label: str | None) -> str:
    """Who acted when no person was signed in: the citizen, the loader, a token (named as issued)."""
    if not label:
        return _("system")
    return str(ACTORS[label]) if label in ACTORS else label


def field_label(key: str) -> str:
    return str(FIELDS[key]) if key in FIELDS else key.replace("_", " ")


def decree_names(decree: Decree | None) -> dict[str, dict[str, dict[str, str]]]:
    """The names the decree in force gives its codes, by the fields that hold them: an entry
    says ``coaching`` or ``time``, the reader reads *Pembinaan* or *Jangka Waktu Pelayanan*."""
    if decree is None:
        return {}
    sanctions = {kind.code: kind.name for kind in decree.sanction_types}
    return {"code": sanctions, "suggested": sanctions,
            "components": {component.code: component.name for component in decree.components},
            "items": {kind.code: kind.name for kind in decree.compensation_types},
            "item": {kind.code: kind.name for kind in decree.compensation_types}}


def value_words(key: str, value: Any, names: dict[str, dict[str, dict[str, str]]] | None = None) -> str:
    """A stored value as a reader reads it: labels for codes, dates and numbers in their language."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return format_decimal(value)
    if isinstance(value, dict):
        if set(value) <= {"id", "en"}:
            return localized(value)
        if key == "points" and {"anchor", "value"} <= set(value):
            return _alert_point_words(value)
        return "; ".join(f"{field_label(k)}: {value_words(k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(value_words(key, item, names) for item in value)
    text = str(value)
    if key in _CODED and text in _CODED[key]:
        return str(_CODED[key][text])
    if names and text in names.get(key, {}):
        return localized(names[key][text])
    return _iso_words(text)


def _alert_point_words(stored: dict[str, Any]) -> str:
    """An alert point as the settings page writes it ("3 jam sebelum batas waktu"), escalation marked."""
    point = AlertPoint.from_json(stored)
    words = describe(point)
    return _("%(point)s (escalation)", point=words) if "head" in point.audience else words


def _iso_words(text: str) -> str:
    """An ISO date or time (as the log stores them) in the reader's words; other text as it is."""
    try:
        if len(text) == 10:
            return local_date(date.fromisoformat(text))
        if len(text) > 10 and text[4] == "-" and "T" in text:
            return local_datetime(datetime.fromisoformat(text))
    except ValueError:
        pass
    return text


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None,
            names: dict[str, dict[str, dict[str, str]]] | None = None) -> list[Change]:
    """Each field an entry records, old → new, in words; fields only ``before`` had read as removed."""
    before, after = before or {}, after or {}
    # A step's "from" and "to" repeat its status's before and after when the entry has both.
    repeated = {"from", "to"} if "status" in before and "status" in after else set()
    rows = []
    for key in list(after) + [k for k in before if k not in after]:
        if key in _INTERNAL or key in repeated:
            continue
        old = value_words(key, before[key], names) if key in before else None
        new = value_words(key, after[key], names) if key in after else "–"
        if old == new:
            continue
        rows.append(Change(field_label(key), old, new))
    return rows

