"""Telling leaders of new complaints: the bell at once, an e-mail once a day.

Each minute ``ring`` finds complaints filed in the last two days that nobody has been told
of yet and rings the bell of each of the office's leaders and of the staff the office chose
(``AlertSettings.new_complaints_to``). A ``NewComplaintNotice`` row per (complaint, person)
records it; its unique pair is why nobody is told of a complaint twice, even by two sweeps
at once. ``digest`` then e-mails, once the office's hour has come in the office's own
zone, each person's notices rung before that hour, and marks them: a later run finds none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..auth.models import Membership, Role, User
from ..complaints.models import Complaint, Status
from ..extensions import db
from ..i18n import localized, writing
from ..notifications.outbox import notify_staff, queue_email, settings_of
from ..tenancy.context import bound_to
from ..tenancy.models import Tenant
from ..tenancy.scoping import every_office
from ..web import external_url
from .models import DIGEST_HOUR, AlertSettings, NewComplaintNotice

#: How far back ``ring`` looks: a complaint older than this is no longer news.
WINDOW = timedelta(days=2)
#: A notice not e-mailed within a week (the office had no hour set) is not e-mailed any more.
STALE = timedelta(days=7)


@dataclass
class Told:
    rung: int = 0
    mailed: int = 0


def _settings(tenant_id: int) -> AlertSettings | None:
    return db.session.execute(every_office(select(AlertSettings).where(AlertSettings.tenant_id == tenant_id))).scalar_one_or_none()


def recipients(tenant_id: int) -> list[User]:
    """The office's active leaders, and the active members it chose besides."""
    row = _settings(tenant_id)
    chosen = set(row.new_complaints_to if row else [])
    wanted = Membership.role == Role.LEADER
    if chosen:
        wanted = wanted | Membership.user_id.in_(chosen)
    return list(db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant_id, User.active, wanted).order_by(User.id)
    ).scalars())


def _link(complaint: Complaint) -> str:
    return external_url("staff_complaints.show", tenant_slug=complaint.tenant.slug, number=complaint.number)


def ring(now: datetime) -> int:
    """Ring the bells for new complaints nobody has been told of; how many bells rang."""
    fresh = db.session.execute(
        every_office(select(Complaint).where(
            Complaint.status == Status.SUBMITTED, Complaint.submitted_at >= now - WINDOW,
            ~exists().where(NewComplaintNotice.complaint_id == Complaint.id))
        .order_by(Complaint.id))
    ).scalars().all()
    by_office: dict[int, list[Complaint]] = defaultdict(list)
    for complaint in fresh:
        by_office[complaint.tenant_id].append(complaint)
    rung = 0
    for complaints in by_office.values():
        tenant = complaints[0].tenant
        with bound_to(tenant):
            people = recipients(tenant.id)
            inserted = _record(tenant.id, complaints, people, now)
            for complaint in complaints:
                link = _link(complaint)
                for person in people:
                    if (complaint.id, person.id) not in inserted:
                        continue  # another sweep told them
                    with writing(person.locale or tenant.default_locale, tenant):
                        subject = _("New complaint %(number)s", number=complaint.number)
                        body = complaint.service or complaint.description[:200]
                    notify_staff(tenant_id=tenant.id, user_id=person.id, subject=subject, body=body,
                                 key=f"new-complaint:{complaint.id}", link=link)
                    rung += 1
            db.session.flush()
    return rung


def _record(tenant_id: int, complaints: list[Complaint], people: list[User], now: datetime) -> set[tuple[int, int]]:
    rows = [{"tenant_id": tenant_id, "complaint_id": c.id, "user_id": p.id, "rung_at": now}
            for c in complaints for p in people]
    if not rows:
        return set()
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = NewComplaintNotice.__table__
    inserted = db.session.execute(
        dialect.insert(table).values(rows).on_conflict_do_nothing(index_elements=["complaint_id", "user_id"])
        .returning(table.c.complaint_id, table.c.user_id))
    return {(row.complaint_id, row.user_id) for row in inserted}


def digest_moment(tenant: Tenant, hour: int, now: datetime) -> datetime:
    """Today's hour of the digest, in the office's zone, as a UTC instant."""
    return clock.start_of(clock.office_date(tenant, now), tenant) + timedelta(hours=hour)


def digest(now: datetime) -> int:
    """E-mail each person the notices rung before their office's hour today; how many e-mails."""
    waiting = db.session.execute(
        every_office(select(NewComplaintNotice.tenant_id).where(NewComplaintNotice.mailed_at.is_(None),
                                                   NewComplaintNotice.rung_at >= now - STALE)
        .distinct())
    ).scalars().all()
    mailed = 0
    for tenant_id in waiting:
        tenant = db.session.get(Tenant, tenant_id)
        row = _settings(tenant_id)
        hour = DIGEST_HOUR if row is None else row.digest_hour
        if tenant is None or hour is None:
            continue
        moment = digest_moment(tenant, hour, now)
        if now < moment:
            continue
        with bound_to(tenant):
            mailed += _mail_office(tenant, moment, now)
    return mailed


def _mail_office(tenant: Tenant, moment: datetime, now: datetime) -> int:
    rows = db.session.execute(
        select(NewComplaintNotice, Complaint, User)
        .join(Complaint, Complaint.id == NewComplaintNotice.complaint_id)
        .join(User, User.id == NewComplaintNotice.user_id)
        .where(NewComplaintNotice.tenant_id == tenant.id, NewComplaintNotice.mailed_at.is_(None),
               NewComplaintNotice.rung_at >= now - STALE, NewComplaintNotice.rung_at < moment)
        .order_by(NewComplaintNotice.user_id, Complaint.submitted_at)
    ).tuples().all()
    per_person: dict[int, tuple[User, list[tuple[NewComplaintNotice, Complaint]]]] = {}
    for notice, complaint, person in rows:
        per_person.setdefault(person.id, (person, []))[1].append((notice, complaint))
    email_on = settings_of(tenant.id).email_enabled
    sent = 0
    for person, notices in per_person.values():
        if email_on and person.email and person.active:
            complaints = [complaint for _notice, complaint in notices]
            with writing(person.locale or tenant.default_locale, tenant):
                subject = ngettext("%(num)d new complaint at %(office)s", "%(num)d new complaints at %(office)s",
                                   len(complaints), office=localized(tenant.name))
                context = {"person": person, "complaints": complaints, "links": [_link(c) for c in complaints],
                           "tenant": tenant, "subject": subject}
                body = render_template("alerts/mail/new_complaints.txt", **context)
                html = render_template("alerts/mail/new_complaints.html", **context)
            last = max(notice.id for notice, _complaint in notices)
            queue_email(tenant_id=tenant.id, to=person.email, subject=subject, body=body, html=html,
                        key=f"new-complaints:{person.id}:{last}")
            sent += 1
    if rows:
        db.session.execute(update(NewComplaintNotice).where(
            NewComplaintNotice.id.in_([notice.id for notice, _c, _p in rows])).values(mailed_at=now)
            .execution_options(synchronize_session=False))
    return sent


def tell(now: datetime | None = None) -> Told:
    """One run: ring for new complaints, then send the digests whose hour has come."""
    now = now or clock.now()
    return Told(rung=ring(now), mailed=digest(now))
