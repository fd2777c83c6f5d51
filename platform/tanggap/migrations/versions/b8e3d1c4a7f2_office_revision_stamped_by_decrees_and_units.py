"""office revision, stamped by its decree versions and service units

Each office carries a revision that triggers replace whenever one of its decree versions or
service units is written, in the same transaction; workers keep which version is in force
and the office's units under it (tanggap.tenancy.revision), instead of asking for them on
every form, filing and inbox page.

Revision ID: b8e3d1c4a7f2
Revises: a4c7e1f95b20
Create Date: 2026-12-04 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e3d1c4a7f2'
down_revision = 'a4c7e1f95b20'
branch_labels = None
depends_on = None

# Copied, as a migration never follows the app's later code (tanggap.tenancy.revision.REVISED_BY).
_TABLES = ("decree", "service_unit")
_PG_FUNCTION = """
CREATE FUNCTION office_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenant SET revision = md5(random()::text || clock_timestamp()::text)
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
    RETURN NULL;
END $$
"""
_SQLITE_STAMP = "UPDATE tenant SET revision = lower(hex(randomblob(16))) WHERE id = {row}.tenant_id"


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.String(length=32), server_default='', nullable=False))
    if postgresql:
        op.execute("UPDATE tenant SET revision = md5(random()::text || id::text)")
        op.execute(_PG_FUNCTION)
        for table in _TABLES:
            op.execute(f'CREATE TRIGGER {table}_revises_office AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                       "FOR EACH ROW EXECUTE FUNCTION office_revised()")
    else:
        op.execute("UPDATE tenant SET revision = lower(hex(randomblob(16)))")
        for table in _TABLES:
            for when, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                op.execute(f'CREATE TRIGGER {table}_{when.lower()}_revises_office AFTER {when} ON "{table}" '
                           f"BEGIN {_SQLITE_STAMP.format(row=row)}; END")


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in _TABLES:
        if postgresql:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_revises_office ON "{table}"')
        else:
            for when in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{when}_revises_office")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS office_revised()")
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('revision')
