"""A complaint's form with the office's choices, and what it says as a ``Submission``: shared by
the citizen's web form and the APIs, so a complaint is read the same way however it arrives."""

from __future__ import annotations

import secrets
from typing import Any

from flask import session
from flask_babel import gettext as _

from .. import clock
from ..decrees.models import Decree
from ..decrees.published import Outline
from ..forms import SelectChoice, given, options
from ..i18n import localized
from ..tenancy.models import Tenant
from ..units.listing import active_units
from . import attachments
from .forms import ComplaintForm
from .intake import Submission, bound_key

def complaint_form(tenant: Tenant, decree: Outline | Decree, formdata: Any = None) -> ComplaintForm:
    """The form with this office's choices; ``formdata`` for a body read another way (the APIs)."""
    form = ComplaintForm(formdata=formdata, meta={"csrf": False}) if formdata is not None else ComplaintForm()
    form.components.choices, form.unit.choices = choices(tenant, decree)
    form.today = clock.office_today(tenant)
    return form


def choices(tenant: Tenant, decree: Outline | Decree) -> tuple[list[SelectChoice], list[SelectChoice]]:
    """The form's two lists of choices, in the request's language: the version's components
    (from its outline, or the version itself) and the office's units in service."""
    units = [("", _("I don't know"))] + [(str(unit.id), unit.name) for unit in active_units(tenant)]
    return options((c.code, localized(c.name)) for c in decree.components), options(units)


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
