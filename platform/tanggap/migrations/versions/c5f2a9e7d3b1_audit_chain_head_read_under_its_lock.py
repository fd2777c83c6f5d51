"""audit chain head read under its lock, in one statement

``audit_chain_head(family, chain, office)`` takes the chain's transaction-scoped advisory
lock and then reads the chain's last entry. A VOLATILE function's queries each take a fresh
snapshot under READ COMMITTED, so the read sees every entry committed before the lock was
granted: one round trip where the app sent two (the lock, then the head), with the same
guarantee. On SQLite, which has one writer at a time, the app reads the head as before.

Revision ID: c5f2a9e7d3b1
Revises: b8e3d1c4a7f2
Create Date: 2026-12-04 01:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c5f2a9e7d3b1'
down_revision = 'b8e3d1c4a7f2'
branch_labels = None
depends_on = None

# SECURITY INVOKER (the default): the read passes the caller's row policies, as before.
_FUNCTION = """
CREATE FUNCTION audit_chain_head(family integer, chain integer, office integer)
RETURNS TABLE (last_seq integer, last_hash varchar) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(family, chain);
    IF office IS NULL THEN
        RETURN QUERY SELECT a.seq, a.hash FROM audit_log a WHERE a.tenant_id IS NULL ORDER BY a.seq DESC LIMIT 1;
    ELSE
        RETURN QUERY SELECT a.seq, a.hash FROM audit_log a WHERE a.tenant_id = office ORDER BY a.seq DESC LIMIT 1;
    END IF;
END $$
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_FUNCTION)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_chain_head(integer, integer, integer)")
