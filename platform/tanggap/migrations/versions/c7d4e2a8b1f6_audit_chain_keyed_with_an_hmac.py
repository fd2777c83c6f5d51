"""the audit chain is keyed: each hash an HMAC under TANGGAP_AUDIT_KEY

Until now each entry's hash was a plain SHA-256 of its content and the previous hash, which
whoever owns the table could recompute after rewriting a row. This re-hashes every chain
with the key from the environment (``TANGGAP_AUDIT_KEY``; set it before upgrading), after
checking each chain still holds under the old hashing: a chain already broken stops the
upgrade, so that re-keying never launders a tampered chain. Downgrading re-hashes the plain
way.

Revision ID: c7d4e2a8b1f6
Revises: b5e3c1f0a9d2
Create Date: 2026-12-02 00:40:00.000000

"""
import hashlib
import hmac
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op
from flask import current_app


# revision identifiers, used by Alembic.
revision = 'c7d4e2a8b1f6'
down_revision = 'b5e3c1f0a9d2'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
_COLUMNS = "id, tenant_id, seq, created_at, actor_id, actor_label, action, object_type, object_id, before, after, ip, prev_hash, hash"


def _loads(value):
    return json.loads(value) if isinstance(value, str) else value


def _content(row, prev: str) -> bytes:
    """The entry's content as ``tanggap.audit.log.entry_hash`` hashes it (frozen here)."""
    moment = row.created_at if isinstance(row.created_at, datetime) else datetime.fromisoformat(row.created_at)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite keeps UTC, naive
    content = {
        "tenant": row.tenant_id, "seq": row.seq,
        "at": moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": row.actor_id, "actor_label": row.actor_label, "action": row.action,
        "object": [row.object_type, row.object_id], "before": _loads(row.before), "after": _loads(row.after),
        "ip": row.ip, "prev": prev,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def _plain(row, prev: str) -> str:
    return hashlib.sha256(_content(row, prev)).hexdigest()


def _keyed(key: bytes):
    return lambda row, prev: hmac.new(key, _content(row, prev), hashlib.sha256).hexdigest()


def _rehash(old, new) -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        # The owner lifts its own guards for the length of this migration's transaction.
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        op.execute("ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY")
    chains = [row[0] for row in bind.execute(sa.text("SELECT DISTINCT tenant_id FROM audit_log"))]
    for chain in chains:
        rows = bind.execute(sa.text(
            f"SELECT {_COLUMNS} FROM audit_log WHERE "
            + ("tenant_id IS NULL" if chain is None else "tenant_id = :chain") + " ORDER BY seq"), {"chain": chain}).all()
        previous_old, previous_new, updates = GENESIS, GENESIS, []
        for expected, row in enumerate(rows, start=1):
            if row.seq != expected or row.prev_hash != previous_old or old(row, previous_old) != row.hash:
                raise RuntimeError(
                    f"audit chain {chain if chain is not None else 'platform'} is broken at entry {expected} "
                    "under its present hashing: find out why (flask audit verify) before re-keying it")
            previous_old = row.hash
            previous_new = new(row, previous_new)
            updates.append({"id": row.id, "prev": updates[-1]["hash"] if updates else GENESIS, "hash": previous_new})
        if updates:
            bind.execute(sa.text("UPDATE audit_log SET prev_hash = :prev, hash = :hash WHERE id = :id"), updates)
    if postgres:
        op.execute("ALTER TABLE audit_log FORCE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def upgrade():
    _rehash(_plain, _keyed(str(current_app.config["AUDIT_KEY"]).encode()))


def downgrade():
    _rehash(_keyed(str(current_app.config["AUDIT_KEY"]).encode()), _plain)
