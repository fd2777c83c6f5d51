"""inbox: every complaint of an office in deadline order, for the tabs that hold finished ones

The inbox lists by deadline unless told otherwise. The open tabs walk the partial index of
open complaints (e2c8b5a1f903); "all" and "finished" had no index in that order, so a page
of them, filtered or searched, read and sorted the office's whole history (about a second
among 100,000 complaints when the search words were in most of them). With this index the
page walks the office's complaints in deadline order and stops when it is full.

Revision ID: f3b8d2e61a07
Revises: e2c8b5a1f903
Create Date: 2026-12-03 12:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f3b8d2e61a07'
down_revision = 'e2c8b5a1f903'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_tenant_due', ['tenant_id', 'due_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_tenant_due')
