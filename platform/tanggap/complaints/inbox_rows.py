"""The inbox table's rows in words, made in Python before the page is drawn.

A page shows 25 rows of six cells. Worded in the template, each cell was a call through
Jinja's runtime (the link, the component names, the status, the badge, the deadline in the
reader's zone and words), and the rows were most of the inbox's time. Here the words the
rows share are looked up once per page, each deadline is written by one compiled pattern,
and the template only places the text (still escaped as it is placed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from flask import url_for
from flask_babel import get_locale, gettext as _
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.orm.interfaces import ORMOption

from ..auth.models import User
from ..i18n import datetime_writer, localized
from ..units.models import ServiceUnit
from ..web import url_for_each
from .inbox import InboxQuery, due_state
from .models import Complaint, Status


#: What the rows read, and all a page loads (``inbox.page_of``): a complaint's whole row holds
#: its description and search document, which the table never shows. Any other attribute
#: raises rather than loads (``raiseload``): a row that read one would cost a query per row,
#: and an attribute left to load later costs a loader for each row (a third of the page's
#: loading time).
LOADED: tuple[ORMOption, ...] = (
    load_only(Complaint.number, Complaint.name, Complaint.components, Complaint.decree_id, Complaint.status,
              Complaint.due_at, Complaint.compensated_at, raiseload=True),
    joinedload(Complaint.unit).load_only(ServiceUnit.name, raiseload=True),
    joinedload(Complaint.assignee).load_only(User.name, raiseload=True),
)


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One complaint as the inbox's table shows it."""

    number: str
    link: str
    name: str
    components: str
    status: str
    unit: str
    handler: str
    #: green, amber or red while the deadline binds (the badge's colour), else None.
    state: str | None
    #: The badge's words, or "on time"/"late" once the deadline no longer binds.
    verdict: str
    due_iso: str
    due_text: str


def rows(complaints: Sequence[Complaint], names: Mapping[tuple[int, str], dict[str, str]], now: datetime,
         statuses: Mapping[Status, str]) -> list[InboxRow]:
    """The rows of ``complaints``, in the language and on the clock in force now; ``names``
    are the components' names by (decree version, code) (``inbox.component_names``), and
    ``statuses`` the staff's words for each (``labels.staff_status_words``), which the
    page's status filter shows too."""
    locale = str(get_locale() or "id")
    link = url_for_each("staff_complaints.show", "number")
    write_due = datetime_writer("short")
    badge = {"red": _("overdue"), "amber": _("due soon"), "green": _("on track")}
    verdicts = {True: _("on time"), False: _("late"), None: ""}
    nobody = _("nobody yet")
    made = []
    for complaint in complaints:
        state = due_state(complaint, now)
        made.append(InboxRow(
            number=complaint.number, link=link(complaint.number), name=complaint.name,
            components=", ".join(localized(names.get((complaint.decree_id, code), {"id": code, "en": code}), locale)
                                 for code in complaint.components),
            status=statuses[complaint.status],
            unit=complaint.unit.name if complaint.unit else "–",
            handler=complaint.assignee.name if complaint.assignee else nobody,
            state=state, verdict=badge[state] if state else verdicts[complaint.on_time],
            due_iso=complaint.due_at.isoformat(), due_text=write_due(complaint.due_at),
        ))
    return made


#: What ``url_for`` leaves unquoted in a query string (werkzeug: the URL standard's list).
_URL_SAFE = "!$'()*,/:;?@"


def inbox_link(query: InboxQuery, args: Mapping[str, str]) -> Callable[..., str]:
    """The address of this list on another tab or page, with every filter kept (and the
    report's period the query string came with): the tabs and the pager link ten times a
    page, so the inbox's address is built once and each link only adds its query string,
    encoded as ``url_for`` encodes one."""
    base = url_for("staff_complaints.index")
    kept = {"q": query.text, "status": query.status, "component": query.component, "unit": query.unit_id,
            "assignee": query.assignee_id, "sort": query.sort if query.sort != "due" else None,
            "outcome": query.outcome}
    if args.get("from") or args.get("to"):
        kept |= {"from": args.get("from"), "to": args.get("to")}

    def link(tab: str = query.tab, page: int = 1) -> str:
        asked = [(name, value) for name, value in (("tab", tab), ("page", page if page > 1 else None), *kept.items())
                 if value is not None]
        return f"{base}?{urlencode(asked, safe=_URL_SAFE)}" if asked else base

    return link
