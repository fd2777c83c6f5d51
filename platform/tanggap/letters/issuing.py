"""Issuing a letter, and recording what is done with it.

A letter is issued once per package item and language: it takes the next number of the
office's year (gapless, like ticket numbers: the counter row is bumped in the issuing
transaction, so a rolled-back letter gives its number back), is rendered to PDF, and is kept
as the item's delivery evidence. Asking again returns the same letter; nothing rewrites it.
Downloading it is audited; e-mailing it to the citizen is on the timeline, which the citizen
reads too.
"""

from __future__ import annotations

import re

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..assessments.models import DeliveryEvidence, PackageItem
from ..audit.log import record
from ..auth.models import User
from ..complaints import attachments, lifecycle, numbering
from ..complaints.models import EventKind
from ..extensions import db
from ..i18n import localized, supported, writing
from ..notifications.outbox import queue_email
from ..web import external_url
from . import composing, rendering
from .models import Letter, LetterCounter, LetterKind
from .settings import settings_of


class LetterRefused(ValueError):
    """A letter that cannot be issued or sent; ``reason`` is a code the page words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def kind_for(item: PackageItem) -> LetterKind | None:
    """The letter an item gets, if any (``composing.KIND_OF_ITEM``)."""
    kind = composing.KIND_OF_ITEM.get(item.kind)
    return LetterKind(kind) if kind else None


def existing(item: PackageItem, locale: str) -> Letter | None:
    return db.session.execute(
        select(Letter).where(Letter.package_item_id == item.id, Letter.locale == locale)
    ).scalar_one_or_none()


def issue(item: PackageItem, locale: str, *, by: User) -> Letter:
    """The item's letter in ``locale``: the one issued before, or a new one, numbered and kept."""
    if locale not in supported():
        raise LetterRefused("locale")
    kind = kind_for(item)
    if kind is None:
        raise LetterRefused("kind")
    complaint = lifecycle.lock(item.complaint)  # one issuer at a time: the second finds the first's letter
    found = existing(item, locale)
    if found is not None:
        return found
    tenant = complaint.tenant
    settings = settings_of(tenant)
    now = clock.now()
    issued_on = clock.office_date(tenant, now)
    seq = numbering.next_number(db.session, tenant.id, issued_on.year, LetterCounter)
    try:
        number = composing.letter_number(settings.number_pattern, seq=seq, kind=settings.kind(kind.value)["code"],
                                         unit=settings.unit_code, month=issued_on.month, year=issued_on.year)
    except composing.PatternError:
        raise LetterRefused("pattern") from None
    composed = rendering.compose(complaint, item, kind.value, locale, number, settings)
    content = rendering.pdf(composed, tenant)
    stored = attachments.write(tenant.id, attachments.Upload(_filename(composed), "application/pdf", content))
    evidence = DeliveryEvidence(tenant_id=tenant.id, item=item, complaint_id=complaint.id, filename=stored.filename,
                                mimetype=stored.mimetype, size=stored.size, storage_key=stored.storage_key,
                                sha256=stored.sha256, uploaded_at=now, uploaded_by_id=by.id)
    letter = Letter(tenant_id=tenant.id, complaint_id=complaint.id, item=item, evidence=evidence, kind=kind,
                    locale=locale, year=issued_on.year, seq=seq, number=number, issued_at=now, issued_by_id=by.id)
    db.session.add(letter)
    db.session.flush()
    lifecycle.log_event(complaint, EventKind.LETTER_ISSUED, by=by, public=False, audit_action="letter.issued",
                        data=_facts(letter) | {"sha256": stored.sha256})
    return letter


def _filename(letter: composing.Composed) -> str:
    return f"{letter.kind}-{letter.locale}-{re.sub(r'[^A-Za-z0-9.-]+', '-', letter.number).strip('-')}.pdf"


def _facts(letter: Letter) -> dict[str, object]:
    return {"letter": letter.id, "letter_kind": letter.kind.value, "number": letter.number, "locale": letter.locale,
            "item": letter.item.code, "name": letter.item.name}


def downloaded(letter: Letter, *, by: User) -> None:
    """A member of staff took the PDF (to print, sign, hand over): audited, in the caller's transaction."""
    record("letter.downloaded", tenant_id=letter.tenant_id, actor=by, obj=letter, after=_facts(letter))


def send(letter: Letter, *, by: User) -> None:
    """E-mail the citizen a link to their letter, on the timeline they read."""
    complaint = lifecycle.lock(letter.complaint)
    if not complaint.email:
        raise LetterRefused("no_email")
    event = lifecycle.log_event(complaint, EventKind.LETTER_SENT, by=by, audit_action="letter.sent",
                                data=_facts(letter) | {"recipient": complaint.email})
    tenant = complaint.tenant
    with writing(letter.locale, tenant):
        link = external_url("letters.citizen_letter", tenant_slug=tenant.slug, code=complaint.tracking_code,
                            letter_id=letter.id)
        track = external_url("citizen.track", tenant_slug=tenant.slug, code=complaint.tracking_code)
        subject = _("Complaint %(number)s: a letter from %(office)s", number=complaint.number,
                    office=localized(tenant.name, letter.locale))
        body = render_template("letters/mail/letter.txt", complaint=complaint, letter=letter, link=link, track=track)
    queue_email(tenant_id=tenant.id, to=complaint.email, subject=subject, body=body, key=f"letter-sent:{event.id}")
    letter.sent_at = clock.now()
