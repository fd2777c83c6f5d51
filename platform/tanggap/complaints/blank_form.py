"""The citizen's blank form, rendered once per worker for each office, version, unit list
and language, and handed out with this request's two secrets put in.

Every visit to an office's complaint page renders the same form: its thirteen fields and
their widgets are most of the page's time, and only two values differ between visitors
(the CSRF token and the submission key). So the form's HTML is kept under a key made of
everything it is rendered from: the office and its name, the decree version (immutable
once published, as ``decrees.published`` explains), the choices as this request built
them (the office's units are read on every request, and the labels are already in the
request's language), the language and the form's address. Anything that changes the form
changes the key, so a kept form is never stale; a form with errors or typed answers is
rendered fresh, never from here.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import render_template, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from ..decrees.models import Decree
from ..kept import Kept
from ..tenancy.models import Tenant
from .forms import ComplaintForm

#: Forms kept per worker: every office's form in both languages, and then some.
LIMIT = 256
#: Marks where the two secrets go; made of characters neither secret nor any HTML has.
_TOKEN, _KEY = "\x00token-" + secrets.token_hex(4) + "\x00", "\x00key-" + secrets.token_hex(4) + "\x00"

_kept: Kept[str, str] = Kept(LIMIT)


def blank_form(form: ComplaintForm, tenant: Tenant, decree: Decree) -> Markup:
    """The HTML of ``form`` (not submitted, its key filled) for this office and version."""
    token, key = str(form.csrf_token.current_token), str(form.submission_key.data)
    kept_key = _key_of(form, tenant, decree)
    template = _kept.get_or_make(kept_key, lambda: _with_marks(
        render_template("complaints/_form.html", form=form, decree=decree, tenant=tenant), token, key))
    return Markup(template.replace(_TOKEN, str(escape(token))).replace(_KEY, str(escape(key))))


def _key_of(form: ComplaintForm, tenant: Tenant, decree: Decree) -> str:
    parts: list[Any] = [tenant.id, tenant.name, decree.id, decree.published_at, str(get_locale()),
                        url_for("citizen.new_complaint"), form.components.choices, form.unit.choices]
    return json.dumps(parts, default=str, ensure_ascii=False)


def _with_marks(html: str, token: str, key: str) -> str:
    """``html`` with each secret replaced by its mark; each must appear exactly once."""
    for secret in (str(escape(token)), str(escape(key))):
        if html.count(secret) != 1:
            raise ValueError("a form's secret must appear exactly once in its HTML")
    return html.replace(str(escape(token)), _TOKEN).replace(str(escape(key)), _KEY)
