"""What a citizen's WhatsApp or SMS says: one sentence in their language and the tracking link.

An SMS holds 160 characters, and the link alone takes half of them, so each notice is one
short sentence with the ticket number; the details (the question, the explanation, where
to turn) are on the tracking page the link opens. Called inside ``i18n.writing``, so the
words are the citizen's and the times the office's.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.dates import get_date_format, get_time_format
from flask_babel import get_locale
from flask_babel import gettext as _

from ..i18n import local_datetime, localized
from .models import Complaint, ComplaintEvent, EventKind

#: A decree names an item in a sentence of its own; a message carries its first words.
ITEM_WORDS = 32
#: The zones' names as Indonesians write them, in either language.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _deadline(complaint: Complaint) -> str:
    locale = get_locale()
    pattern = f"{get_date_format('medium', locale=locale).pattern} {get_time_format('short', locale=locale).pattern}"
    zone = ZONE_NAMES.get(complaint.tenant.timezone, "")
    return f"{local_datetime(complaint.due_at, pattern)} {zone}".strip()


def _item(event: ComplaintEvent) -> str:
    name = event.data.get("name")
    text = (localized(name) if isinstance(name, dict) else str(name or "")).strip()
    if len(text) <= ITEM_WORDS:
        return text
    return text[:ITEM_WORDS].rsplit(" ", 1)[0].rstrip(" ,;/") + "…"


def short_text(complaint: Complaint, event: ComplaintEvent, link: str, received: Complaint | None = None) -> str:
    number = complaint.number
    sentences: dict[EventKind, Callable[[], str]] = {
        EventKind.SUBMITTED: lambda: _("Complaint %(number)s received. Compensation due by %(due)s.",
                                       number=number, due=_deadline(complaint)),
        EventKind.ACCEPTED: lambda: _("Complaint %(number)s is being assessed.", number=number),
        EventKind.INFO_REQUESTED: lambda: _("Complaint %(number)s: the office needs more information from you.",
                                            number=number),
        EventKind.NOT_COMPETENT: lambda: _("Complaint %(number)s is not this office's matter; see where to turn.",
                                           number=number),
        EventKind.TRANSFERRED_OUT: lambda: (
            _("Complaint %(number)s was passed to the office responsible as %(received)s.", number=number,
              received=received.number) if received is not None else
            _("Complaint %(number)s was passed to the office responsible.", number=number)),
        EventKind.UPHELD: lambda: _("Complaint %(number)s upheld: compensation is on its way.", number=number),
        EventKind.REJECTED: lambda: _("Complaint %(number)s was not upheld; see the explanation.", number=number),
        EventKind.ITEM_DELIVERED: lambda: _("Complaint %(number)s: compensation delivered (%(item)s).",
                                            number=number, item=_item(event)),
        EventKind.COMPENSATED: lambda: _("Complaint %(number)s: all compensation delivered.", number=number),
        EventKind.CLOSED: lambda: _("Complaint %(number)s is closed. Rate how it was handled.", number=number),
        EventKind.REOPENED: lambda: _("Complaint %(number)s was reopened.", number=number),
    }
    sentence = sentences.get(event.kind, lambda: _("Complaint %(number)s: news on your complaint", number=number))()
    return f"{sentence} {link}"
