"""Writing to and verifying the audit chain.

``record`` is called inside the transaction of the change it describes, so the change and
its audit entry commit or roll back together. On PostgreSQL a transaction-scoped advisory
lock per chain serialises writers, so two concurrent changes can never take the same
place in the chain; the lock is taken and the chain's head read by one statement, the
database function ``audit_chain_head`` (migration ``c5f2a9e7d3b1``), whose read takes its
snapshot once the lock is granted.

Each entry's hash is an HMAC keyed with ``TANGGAP_AUDIT_KEY``, which is not in the
database: whoever owns the table can lift its append-only trigger and rewrite rows, but
cannot compute the hashes that would make a rewritten chain verify. Deleting the last
entries leaves a chain that still links up; the signed checkpoints (``checkpoints``),
kept outside the database, record each chain's length and head, so ``verify`` finds that
too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import Row, func, select, text

from .. import clock
from ..database import AnySession
from ..extensions import db
from .models import AuditLog

GENESIS = "0" * 64
#: Key of the advisory lock family that guards audit chains (any constant will do).
_LOCK_CLASS = 7_406_001


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def audit_key() -> bytes:
    """The chain's key, from the environment (``TANGGAP_AUDIT_KEY``), never from the database."""
    return str(current_app.config["AUDIT_KEY"]).encode()


def entry_hash(entry: AuditLog, key: bytes | None = None) -> str:
    """The keyed hash of one row: its content and the previous row's hash, under the audit key."""
    content = {
        "tenant": entry.tenant_id,
        "seq": entry.seq,
        "at": _timestamp(entry.created_at),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object": [entry.object_type, entry.object_id],
        "before": entry.before,
        "after": entry.after,
        "ip": entry.ip,
        "prev": entry.prev_hash,
    }
    return hmac.new(key or audit_key(), _canonical(content).encode(), hashlib.sha256).hexdigest()


def _locked_head(session: AnySession, tenant_id: int | None) -> Row[Any] | None:
    """The chain's last entry (``seq``, ``hash``), read once no other transaction can append to it.

    Entries this transaction appended and has not flushed yet are written first, so that the
    head read is the last of them: ``record`` leaves its entry to the next flush (usually the
    commit's, with the rest of the change). Nothing else is flushed for the read: whatever
    else is pending waits for that flush too, on either database.
    """
    pending = [entry for entry in session.new if isinstance(entry, AuditLog)]
    if pending:
        session.flush(pending)
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(
            text("SELECT last_seq AS seq, last_hash AS hash FROM audit_chain_head(:family, :chain, :office)"),
            {"family": _LOCK_CLASS, "chain": tenant_id or 0, "office": tenant_id},
        ).first()
    return session.execute(  # SQLite: one writer at a time, so the head read is the head written after
        select(AuditLog.seq, AuditLog.hash)
        .where(AuditLog.tenant_id.is_(None) if tenant_id is None else AuditLog.tenant_id == tenant_id)
        .order_by(AuditLog.seq.desc())
        .limit(1)
        .execution_options(autoflush=False)
    ).first()


def record(
    action: str,
    *,
    tenant_id: int | None,
    actor: Any = None,
    actor_label: str | None = None,
    obj: Any = None,
    object_type: str | None = None,
    object_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one entry to ``tenant_id``'s chain in the current transaction.

    The chain is locked and its head read now; the entry itself is written by the session's
    next flush (at the latest the commit's), so a change and its entry cost one flush, not two.
    """
    session = db.session
    last = _locked_head(session, tenant_id)
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    entry = AuditLog(
        tenant_id=tenant_id,
        seq=(last.seq + 1) if last else 1,
        created_at=clock.now().replace(microsecond=0),
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        before=json.loads(_canonical(before)) if before is not None else None,
        after=json.loads(_canonical(after)) if after is not None else None,
        ip=request.remote_addr if has_request_context() else None,
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    return entry


@dataclass(frozen=True)
class BrokenLink:
    """The first row of a chain whose hash or link does not hold."""

    tenant_id: int | None
    seq: int
    #: The row found wrong, or None where rows are missing at the end of the chain.
    entry_id: int | None
    reason: str


def verify(tenant_id: int | None, *, session: AnySession | None = None) -> BrokenLink | None:
    """Walk one chain from its start, then hold it against its last signed checkpoint: the
    first broken link, or None if it holds."""
    from .checkpoints import latest

    session = session or db.session
    key = audit_key()
    checkpoint = latest(tenant_id)
    rows = session.execute(
        select(AuditLog)
        .where(AuditLog.tenant_id.is_(None) if tenant_id is None else AuditLog.tenant_id == tenant_id)
        .order_by(AuditLog.seq)
        .execution_options(yield_per=1000)
    ).scalars()
    previous, expected_seq = GENESIS, 1
    for entry in rows:
        if entry.seq != expected_seq:
            return BrokenLink(tenant_id, expected_seq, entry.id, f"entry {expected_seq} is missing")
        if entry.prev_hash != previous:
            return BrokenLink(tenant_id, entry.seq, entry.id, "does not link to the entry before it")
        if not hmac.compare_digest(entry_hash(entry, key), entry.hash):
            return BrokenLink(tenant_id, entry.seq, entry.id, "content does not match its hash")
        if (checkpoint is not None and entry.seq == checkpoint.length
                and not hmac.compare_digest(entry.hash, checkpoint.head)):
            return BrokenLink(tenant_id, entry.seq, entry.id, f"differs from the checkpoint of {_timestamp(checkpoint.at)}")
        previous, expected_seq = entry.hash, expected_seq + 1
    if checkpoint is not None and expected_seq - 1 < checkpoint.length:
        return BrokenLink(tenant_id, expected_seq, None,
                          f"entries {expected_seq} to {checkpoint.length} are missing "
                          f"(checkpoint of {_timestamp(checkpoint.at)})")
    return None


def head(tenant_id: int | None, session: AnySession | None = None) -> tuple[int, str] | None:
    """A chain's length and last hash, or None for a chain with no entries."""
    session = session or db.session
    row = session.execute(
        select(AuditLog.seq, AuditLog.hash)
        .where(AuditLog.tenant_id.is_(None) if tenant_id is None else AuditLog.tenant_id == tenant_id)
        .order_by(AuditLog.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else None


def chains(session: AnySession | None = None) -> list[int | None]:
    """Every chain in the log: the tenants that have entries, and None for the platform's."""
    session = session or db.session
    return list(session.execute(select(AuditLog.tenant_id).group_by(AuditLog.tenant_id)).scalars())


def entry_count(tenant_id: int) -> int:
    return db.session.execute(select(func.count(AuditLog.id)).where(AuditLog.tenant_id == tenant_id)).scalar_one()
