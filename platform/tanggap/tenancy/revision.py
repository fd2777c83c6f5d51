"""An office's revision: a stamp the database changes whenever the office's decree versions
or service units are written, so that what a worker derives from them can be kept by it.

Which decree version is in force and which units a citizen may choose are asked on every
form, filing and inbox page, yet change only when the office publishes or edits its units.
The office's row is read on every request anyway, so it carries ``revision``: a random
stamp that triggers on the ``REVISED_BY`` tables (migration ``b8e3d1c4a7f2``) replace in the
same transaction as the write, however it is made (the ORM, plain SQL, a command). What is
kept under (office, revision) is therefore never stale once the write commits, in any
worker; a rolled-back write's stamp is never seen again, so what a transaction kept while
it wrote cannot be mistaken for anything committed.

Within the writing transaction, the office object this session already holds still shows
the old stamp; the listener below expires it after each flush that wrote one of those
tables, so that the transaction's own next read sees its own change too.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..database import AnySession

#: The tables whose rows stamp their office with a new revision, by trigger.
REVISED_BY = ("decree", "service_unit")
_WROTE = "tanggap.revised_offices"


def new_revision() -> str:
    """A stamp no office has had: 32 hex digits, as the triggers make them."""
    return secrets.token_hex(16)


def _note_revised(session: Session, flush_context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in REVISED_BY and obj.tenant_id is not None:
            session.info.setdefault(_WROTE, set()).add(obj.tenant_id)


def _expire_revised(session: Session, flush_context: Any) -> None:
    from .models import Tenant

    for tenant_id in session.info.pop(_WROTE, ()):
        tenant = session.identity_map.get(session.identity_key(Tenant, tenant_id))
        if tenant is not None:
            session.expire(tenant, ["revision"])


def attach(session: AnySession) -> None:
    """Expire the held office's revision after ``session`` writes one of its ``REVISED_BY`` rows (idempotent)."""
    for name, listener in (("after_flush", _note_revised), ("after_flush_postexec", _expire_revised)):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def init_app(app: Flask) -> None:
    from ..extensions import db

    attach(db.session)
