"""Who hears of an alert, and what they read, each in their own language.

The assigned officer and the office's leaders hear of every point; the head of office,
marked by the office admin, of escalations. Each person gets an in-app notification and,
when the office's e-mail channel is on, an e-mail (plain text and HTML); the office's
webhook, if set, gets one signed JSON document per alert.

A sweep tells the same people of the same point for many complaints, so it writes like a
mail merge: each person's letter for a point is rendered once per sweep with a blank for
each complaint's own details (number, deadline, status, who handles it, link), and each
complaint fills the blanks in. Rendering the templates for every complaint was most of the
sweep's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import escape
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import Membership, Role, User
from ..complaints.models import Complaint
from ..extensions import db
from ..decrees.duration_words import duration_words
from ..complaints.labels import staff_status_words
from ..i18n import datetime_writer, localized, writing
from ..notifications.models import ChannelSettings
from ..notifications.outbox import owe_many, queue_webhook, settings_of
from ..web import external_url
from .points import AlertPoint

TITLES = {
    "half": _l("Half the time to the deadline has passed"),
    "12h_left": _l("12 hours left before the deadline"),
    "due": _l("The deadline has passed"),
    "escalation": _l("Escalation: 24 hours past the deadline"),
}


def describe(point: AlertPoint) -> str:
    """A point in words of the reader's language ("3 jam sebelum tenggat", "half time"), which
    ``points.parse`` reads back as the same point."""
    if point.anchor == "share":
        if point.value == 0.5:
            return _("half time")
        return _("%(share)s%% of the time", share=f"{round(point.value * 100, 2):g}")
    if point.value == 0:
        return _("at the deadline")
    amount = duration_words(abs(int(point.value)))
    if point.value < 0:
        return _("%(amount)s before the deadline", amount=amount)
    return _("%(amount)s after the deadline", amount=amount)


def title(point: AlertPoint) -> str:
    if point.code in TITLES:
        return str(TITLES[point.code])
    if point.escalates:
        return _("Escalation: %(point)s", point=describe(point))
    return _("Deadline alert: %(point)s", point=describe(point))


#: The details each complaint fills into a letter, and the blank that stands for each.
FIELDS = ("number", "deadline", "status", "handled_by", "link")
#: Private-use characters: no text, escaping or stripping ever makes or removes them.
_BLANKS = {name: f"\ue000{name}\ue001" for name in FIELDS}


@dataclass(frozen=True)
class Letter:
    """One person's alert of one point at one office, with a blank for each complaint's details."""

    subject: str
    body: str
    html: str

    def filled(self, details: dict[str, str]) -> tuple[str, str, str]:
        """Subject, text and HTML with the complaint's details set in (escaped in the HTML)."""
        subject, body, html = self.subject, self.body, self.html
        for name, blank in _BLANKS.items():
            subject = subject.replace(blank, details[name])
            body = body.replace(blank, details[name])
            html = html.replace(blank, str(escape(details[name])))
        return subject, body, html


class Teller:
    """Tells of alerts during one sweep, reading each office's people and settings once and
    writing each person's letter for a point once."""

    def __init__(self) -> None:
        self._staff: dict[tuple[int, bool], list[User]] = {}
        self._channels: dict[int, ChannelSettings] = {}
        self._links: dict[int, str] = {}
        self._letters: dict[tuple[int, int, str], Letter] = {}
        #: Told since the last ``write``: the complaint, the point, who hears of it, the link.
        self._told: list[tuple[Complaint, AlertPoint, list[User], str]] = []

    def _office_staff(self, tenant_id: int, head: bool) -> list[User]:
        key = (tenant_id, head)
        if key not in self._staff:
            wanted = Membership.head_of_office if head else Membership.role == Role.LEADER
            self._staff[key] = list(db.session.execute(
                select(User).join(Membership, Membership.user_id == User.id)
                .where(Membership.tenant_id == tenant_id, wanted, User.active)
            ).scalars())
        return self._staff[key]

    def recipients(self, complaint: Complaint, point: AlertPoint) -> list[User]:
        people: dict[int, User] = {}
        if "assignee" in point.audience and complaint.assignee is not None and complaint.assignee.active:
            people[complaint.assignee.id] = complaint.assignee
        if "leaders" in point.audience:
            people.update((user.id, user) for user in self._office_staff(complaint.tenant_id, head=False))
        if "head" in point.audience:
            people.update((user.id, user) for user in self._office_staff(complaint.tenant_id, head=True))
        return sorted(people.values(), key=lambda user: user.id)

    def _link(self, complaint: Complaint) -> str:
        if complaint.tenant_id not in self._links:
            # One URL build per office; numbers are URL-safe, so the rest is a replacement.
            self._links[complaint.tenant_id] = external_url(
                "staff_complaints.show", tenant_slug=complaint.tenant.slug, number="NUMBER")
        return self._links[complaint.tenant_id].replace("NUMBER", complaint.number)

    def _letter(self, complaint: Complaint, person: User, point: AlertPoint) -> Letter:
        key = (complaint.tenant_id, person.id, point.code)
        if key not in self._letters:
            with writing(self._locale(complaint, person), complaint.tenant):
                context = {"point": point, "title": title(point), "person": person,
                           "office": localized(complaint.tenant.name), **_BLANKS}
                self._letters[key] = Letter(f"[{_BLANKS['number']}] {title(point)}",
                                            render_template("alerts/mail/alert.txt", **context).strip(),
                                            render_template("alerts/mail/alert.html", **context))
        return self._letters[key]

    def write(self) -> None:
        """Write what was told since the last call, in the caller's transaction and office.

        Each complaint's details are written once in each language its readers read, all
        of one language inside one ``writing`` block: entering it, and looking up the
        language's deadline pattern and status words, was most of the time per complaint.
        Each status is worded once per block: a batch holds a few statuses, not a thousand."""
        wanted: dict[tuple[int, str], dict[int, tuple[Complaint, str]]] = {}
        for complaint, _point, people, link in self._told:
            for person in people:
                wanted.setdefault((complaint.tenant_id, self._locale(complaint, person)), {})[complaint.id] = (
                    complaint, link)
        details: dict[tuple[int, str], dict[str, str]] = {}
        for (_office, locale), complaints in wanted.items():
            with writing(locale, next(iter(complaints.values()))[0].tenant):
                deadline, nobody = datetime_writer("deadline"), _("nobody yet")
                statuses = staff_status_words()
                for complaint, link in complaints.values():
                    details[complaint.id, locale] = {
                        "number": complaint.number, "deadline": deadline(complaint.due_at),
                        "status": statuses[complaint.status],
                        "handled_by": complaint.assignee.name if complaint.assignee else nobody, "link": link}
        emails: list[dict[str, Any]] = []
        bells: list[dict[str, Any]] = []
        for complaint, point, people, link in self._told:
            key = f"alert:{complaint.id}:{point.code}"
            email_enabled = self._channels[complaint.tenant_id].email_enabled
            for person in people:
                letter = self._letter(complaint, person, point)
                subject, body, html = letter.filled(details[complaint.id, self._locale(complaint, person)])
                bells.append({"tenant_id": complaint.tenant_id, "user_id": person.id, "key": key,
                              "subject": subject, "body": body, "link": link})
                if email_enabled and person.email:
                    emails.append({"tenant_id": complaint.tenant_id, "recipient": person.email, "subject": subject,
                                   "body": body, "html": html, "key": f"{key}:user:{person.id}"})
        self._told = []
        owe_many(emails=emails, bells=bells)

    @staticmethod
    def _locale(complaint: Complaint, person: User) -> str:
        return person.locale or complaint.tenant.default_locale

    def tell(self, complaint: Complaint, point: AlertPoint) -> None:
        """Tell of one alert: who hears of it is decided now, what they read by ``write``."""
        if complaint.tenant_id not in self._channels:
            self._channels[complaint.tenant_id] = settings_of(complaint.tenant_id)
        channels = self._channels[complaint.tenant_id]
        link = self._link(complaint)
        key = f"alert:{complaint.id}:{point.code}"
        people = self.recipients(complaint, point)
        self._told.append((complaint, point, people, link))
        if channels.webhook_url:
            queue_webhook(tenant_id=complaint.tenant_id, url=channels.webhook_url, key=f"{key}:webhook", payload={
                "event": "deadline_alert", "office": complaint.tenant.slug,
                "office_name": localized(complaint.tenant.name), "complaint": complaint.number, "point": point.code,
                "escalation": point.escalates, "due_at": complaint.due_at.isoformat(), "link": link,
                "recipients": [{"name": p.name, "email": p.email} for p in people],
            })
