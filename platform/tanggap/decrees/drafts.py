"""Drafts and publication: the decree's life in the office admin's hands.

Only a draft can change; publishing puts it in force from its effective date and closes
the version it replaces. Every step is audited in the office's chain.

A publication is *backdated* when its effective date lies before the office's today, or
before the effective date of the version it replaces (the one in force, or one already
scheduled). The decree may truly have been enacted earlier, so this is allowed, but never
silently: the admin confirms it with a reason, and the audit entry keeps both dates and the
reason. What it cannot do is reach back into complaints: a complaint is judged under the
version in force when it was filed and keeps that version's id for good, so complaints
filed before the publication stay under the old version even where their filing day lies
after the new effective date. Only complaints filed from the publication on are judged
under the new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import clock
from ..audit.log import record
from ..extensions import db
from ..tenancy.models import Tenant
from . import store
from .decree_file import DecreeFile
from .models import Decree, DecreeStatus
from .rules import Deadline


def open_draft(tenant: Tenant) -> Decree | None:
    return next((decree for decree in store.history(tenant) if decree.is_draft), None)


def start_draft(tenant: Tenant, actor: Any) -> Decree:
    """The office's draft: the open one, or a copy of the decree in force (blank without one)."""
    draft = open_draft(tenant)
    if draft is not None:
        return draft
    source = store.in_force(tenant)
    draft = Decree(tenant_id=tenant.id, version=store.next_version(tenant), status=DecreeStatus.DRAFT,
                   number="", title={"id": "", "en": ""})
    db.session.add(draft)
    if source is not None:
        for key, value in store.text_fields_of(source).items():
            setattr(draft, key, value)
        store.fill_rules(draft, source.rules())
    else:
        store.fill_deadline(draft, Deadline(hours=72))  # 3 x 24 jam until the admin says otherwise
    db.session.flush()
    record("decree.draft_started", tenant_id=tenant.id, actor=actor, obj=draft,
           after={"version": draft.version, "from_version": source.version if source else None})
    return draft


def save_draft(draft: Decree, loaded: DecreeFile, actor: Any) -> None:
    """Replace the draft's text and rules by a document the loader accepted."""
    assert draft.is_draft, "only drafts change"
    before = {"number": draft.number, "components": [c.code for c in draft.components]}
    for key, value in store.text_fields(loaded.decree).items():
        setattr(draft, key, value)
    store.fill_rules(draft, loaded.rules)
    db.session.flush()
    record("decree.draft_saved", tenant_id=draft.tenant_id, actor=actor, obj=draft, before=before,
           after={"number": draft.number, "components": [c.code for c in loaded.rules.components],
                  "deadline_hours": loaded.rules.deadline.hours})


#: The shortest reason a backdated publication is accepted with: a sentence, not a tick.
REASON_MIN_LENGTH = 10


@dataclass(frozen=True)
class Backdating:
    """How a publication's effective date reaches back: what the admin is asked to confirm."""

    effective_from: date
    #: The office's today when it was asked.
    today: date
    #: The version the new one takes over from, if any (in force, or scheduled).
    replaced: Decree | None

    @property
    def before_today(self) -> bool:
        return self.effective_from < self.today

    @property
    def before_replaced(self) -> bool:
        """True when the new version would start before the version it replaces started."""
        start = self.replaced.effective_from if self.replaced is not None else None
        return start is not None and self.effective_from < start


class UnconfirmedBackdating(ValueError):
    """A backdated publication without a reason: refused, and nothing changes."""

    def __init__(self, backdating: Backdating) -> None:
        super().__init__(f"effective from {backdating.effective_from}, before {backdating.today} or the "
                         "version it replaces: needs a reason")
        self.backdating = backdating


def backdating(tenant: Tenant, effective_from: date) -> Backdating | None:
    """How publishing from ``effective_from`` reaches back, or None if it does not."""
    found = Backdating(effective_from, clock.office_today(tenant), store.latest_published(tenant))
    return found if found.before_today or found.before_replaced else None


def publish_draft(draft: Decree, effective_from: date, actor: Any, *, reason: str | None = None) -> None:
    """Put the draft in force from ``effective_from``; a backdated date needs ``reason``.

    The audit entry says which version was in force until then and from when, so the
    record shows what a backdated publication took over, and why.
    """
    assert draft.is_draft, "only drafts are published"
    tenant = db.session.get_one(Tenant, draft.tenant_id)
    reached_back = backdating(tenant, effective_from)
    reason = (reason or "").strip()
    if reached_back is not None and len(reason) < REASON_MIN_LENGTH:
        raise UnconfirmedBackdating(reached_back)
    replaced = store.latest_published(tenant)
    before = None if replaced is None else {
        "version": replaced.version, "number": replaced.number,
        "effective_from": replaced.effective_from.isoformat() if replaced.effective_from else None}
    store.publish(draft, effective_from)
    after: dict[str, Any] = {"number": draft.number, "version": draft.version,
                             "effective_from": effective_from.isoformat()}
    if reached_back is not None:
        after |= {"backdated": True, "office_today": reached_back.today.isoformat(), "reason": reason}
    record("decree.published", tenant_id=draft.tenant_id, actor=actor, obj=draft, before=before, after=after)


def discard_draft(draft: Decree, actor: Any) -> None:
    assert draft.is_draft, "only drafts are discarded"
    record("decree.draft_discarded", tenant_id=draft.tenant_id, actor=actor, obj=draft,
           before={"version": draft.version, "number": draft.number})
    db.session.delete(draft)
