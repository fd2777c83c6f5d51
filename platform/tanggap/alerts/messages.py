"""Who hears of an alert, and what they read, each in their own language.

The assigned officer and the office's leaders hear of every point; the head of office,
marked by the office admin, of escalations. Each person gets an in-app notification and,
when the office's e-mail channel is on, an e-mail (plain text and HTML); the office's
webhook, if set, gets one signed JSON document per alert.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.models import Membership, Role, User
from ..complaints.models import Complaint
from ..extensions import db
from ..decrees.wording import duration_words
from ..i18n import localized, writing
from ..notifications.models import ChannelSettings
from ..notifications.outbox import notify_staff, queue_email, queue_webhook, settings_of
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


class Teller:
    """Tells of alerts during one sweep, reading each office's people and settings once."""

    def __init__(self) -> None:
        self._staff: dict[tuple[int, bool], list[User]] = {}
        self._channels: dict[int, ChannelSettings] = {}
        self._links: dict[int, str] = {}

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
                "complaints.show", tenant_slug=complaint.tenant.slug, number="NUMBER")
        return self._links[complaint.tenant_id].replace("NUMBER", complaint.number)

    def tell(self, complaint: Complaint, point: AlertPoint) -> None:
        if complaint.tenant_id not in self._channels:
            self._channels[complaint.tenant_id] = settings_of(complaint.tenant_id)
        channels = self._channels[complaint.tenant_id]
        link = self._link(complaint)
        key = f"alert:{complaint.id}:{point.code}"
        people = self.recipients(complaint, point)
        for person in people:
            with writing(person.locale or complaint.tenant.default_locale, complaint.tenant):
                subject = f"[{complaint.number}] {title(point)}"
                context = {"complaint": complaint, "point": point, "title": title(point), "link": link,
                           "person": person}
                body = render_template("alerts/mail/alert.txt", **context)
                html = render_template("alerts/mail/alert.html", **context)
            notify_staff(tenant_id=complaint.tenant_id, user_id=person.id, subject=subject, body=body.strip(),
                         key=key, link=link)
            if channels.email_enabled and person.email:
                queue_email(tenant_id=complaint.tenant_id, to=person.email, subject=subject, body=body, html=html,
                            key=f"{key}:user:{person.id}")
        if channels.webhook_url:
            queue_webhook(tenant_id=complaint.tenant_id, url=channels.webhook_url, key=f"{key}:webhook", payload={
                "event": "deadline_alert", "office": complaint.tenant.slug,
                "office_name": localized(complaint.tenant.name), "complaint": complaint.number, "point": point.code,
                "escalation": point.escalates, "due_at": complaint.due_at.isoformat(), "link": link,
                "recipients": [{"name": p.name, "email": p.email} for p in people],
            })
