"""The office admin's own settings: branding, letterhead, language, time zone, public texts.

A brand colour is refused when links in it would not read on a white page (WCAG AA, 4.5:1);
a logo is checked by its content and scaled down to what the letterhead shows.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from .. import i18n
from ..audit.log import record
from ..auth.models import User
from ..extensions import db
from ..tenancy.branding import PAGE_BACKGROUND, brand_palette, contrast_ratio
from ..tenancy.models import Tenant
from ..tenancy.logos import checked_logo
from ..tenancy.setup import set_logo

MINIMUM_CONTRAST = 4.5


def colour_problem(colour: str) -> str | None:
    """Why ``colour`` cannot be the brand colour, or None: every pairing the stylesheet makes
    with it (links in its dark shade on white, text on it in the letterhead and buttons)
    must reach WCAG AA."""
    palette = brand_palette(colour)
    ratio = contrast_ratio(palette["--brand-dark"], PAGE_BACKGROUND)  # greyer, so stricter, than white
    if ratio < MINIMUM_CONTRAST:
        return _("Too light: links in this colour on a white page reach %(ratio)s, and need %(needed)s.",
                 ratio=i18n.ratio(ratio), needed=i18n.ratio(MINIMUM_CONTRAST))
    ratio = contrast_ratio(palette["--brand-text"], colour)
    if ratio < MINIMUM_CONTRAST:
        return _("Neither white nor black text is readable on this colour: the best reaches %(ratio)s, "
                 "and %(needed)s is needed. Choose a darker or a lighter colour.",
                 ratio=i18n.ratio(ratio, 2), needed=i18n.ratio(MINIMUM_CONTRAST))
    return None


def logo_png(data: bytes) -> bytes:
    """The upload as a PNG at most 256 pixels a side; ``ValueError`` with the reason otherwise."""
    return checked_logo(data, svg=False)[0]


def save(tenant: Tenant, fields: dict[str, Any], logo: bytes | None, *, by: User) -> None:
    before = {name: getattr(tenant, name) for name in fields}
    for name, value in fields.items():
        setattr(tenant, name, value)
    if logo is not None:
        set_logo(tenant, logo, "image/png")
    db.session.flush()
    record("tenant.settings_changed", tenant_id=tenant.id, actor=by, obj=tenant, before=before,
           after={**fields, "logo": logo is not None})
