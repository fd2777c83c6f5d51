"""The citizen's blank complaint page, rendered once per worker for everything it is made of,
and handed out with this visitor's two secrets put in.

Every visit to an office's complaint page renders the same page: the letterhead, the form's
thirteen fields and their widgets, the footer. Only two values differ between visitors: the
CSRF token (which the page carries twice, in the form and for htmx) and the submission key.
So the page's HTML is kept under a key made of everything it is rendered from: the office's
row and its region's (every column, whatever the templates read of them), the decree
version (immutable once published, as ``decrees.published`` explains), the form's choices
as this request built them (the office's units are read on every request, and the labels
are already in the request's language), the language, and the address as asked (the
language links lead back to it). Anything that changes the page changes the key, so a kept
page is never stale.

It is kept and handed out only where every visitor of that address is shown the same page:
a visitor who is not logged in (a logged-in one sees their name), with no message waiting
to be shown, asking for the whole page rather than an htmx fragment. Every other page, and
a form with errors or answers, is rendered afresh.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape
from sqlalchemy import inspect

from ..decrees.models import Decree
from ..decrees.published import Outline
from ..kept import Kept
from ..tenancy.domains import path_as_asked
from ..tenancy.models import Tenant
from ..web import whole_page_asked
from .forms import new_submission_key
from .submitting import choices

#: Pages kept per worker: every office's page in both languages, and then some.
LIMIT = 256
#: Marks where the two secrets go; made of characters neither secret nor any HTML has.
_TOKEN, _KEY = "\x00token-" + secrets.token_hex(4) + "\x00", "\x00key-" + secrets.token_hex(4) + "\x00"

_kept: Kept[str, str] = Kept(LIMIT)


def alike_for_everyone() -> bool:
    """Whether every visitor asking for this address now would be shown the same blank page.
    Asked before the page is rendered: rendering shows the waiting messages, and takes them."""
    return whole_page_asked() and not current_user.is_authenticated and not session.get("_flashes")


def kept_page(tenant: Tenant, decree: Outline | Decree) -> str | None:
    """This visitor's blank page made from the kept one (``alike_for_everyone()`` must hold),
    or None when none is kept for what this page is made of."""
    found = _kept.get(_key_of(tenant, decree))
    if not isinstance(found, str):
        return None
    return found.replace(_TOKEN, str(escape(generate_csrf()))).replace(_KEY, str(escape(new_submission_key())))


def keep_page(html: str, tenant: Tenant, decree: Outline | Decree, *, token: str, key: str) -> None:
    """Keep the blank page just rendered for this visitor, its two secrets marked (only where
    ``alike_for_everyone()`` held before it was rendered)."""
    _kept.put(_key_of(tenant, decree), _with_marks(html, token, key))


def _key_of(tenant: Tenant, decree: Outline | Decree) -> str:
    components, units = choices(tenant, decree)
    parts: list[Any] = [_row(tenant), _row(tenant.region), decree.id, decree.published_at, str(get_locale()),
                        path_as_asked(), components, units]
    return json.dumps(parts, default=str, ensure_ascii=False)


def _row(obj: Any) -> list[Any] | None:
    """Every loaded column of ``obj``'s row (a deferred one, such as a logo's bytes, is not
    shown on the page, only linked)."""
    if obj is None:
        return None
    state = inspect(obj)
    return [state.dict.get(attribute.key) for attribute in state.mapper.column_attrs]


def _with_marks(html: str, token: str, key: str) -> str:
    """``html`` with each secret replaced by its mark; each must be there."""
    for secret in (str(escape(token)), str(escape(key))):
        if secret not in html:
            raise ValueError("a blank page must carry both of its secrets")
    return html.replace(str(escape(token)), _TOKEN).replace(str(escape(key)), _KEY)
