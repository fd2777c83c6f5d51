"""Drafts and publication: the decree's life in the office admin's hands.

Only a draft can change; publishing puts it in force from its effective date and closes
the version it replaces. Every step is audited in the office's chain.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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


def publish_draft(draft: Decree, effective_from: date, actor: Any) -> None:
    assert draft.is_draft, "only drafts are published"
    store.publish(draft, effective_from)
    record("decree.published", tenant_id=draft.tenant_id, actor=actor, obj=draft,
           after={"number": draft.number, "version": draft.version, "effective_from": effective_from.isoformat()})


def discard_draft(draft: Decree, actor: Any) -> None:
    assert draft.is_draft, "only drafts are discarded"
    record("decree.draft_discarded", tenant_id=draft.tenant_id, actor=actor, obj=draft,
           before={"version": draft.version, "number": draft.number})
    db.session.delete(draft)
