"""an office may switch off its public accountability page

Revision ID: f3b8d2c6a915
Revises: f3b8d2e61a07
Create Date: 2026-12-03 12:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3b8d2c6a915'
down_revision = 'f3b8d2e61a07'
branch_labels = None
depends_on = None


def upgrade():
    # Every office publishes until its admin says otherwise, those already on the platform too.
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accountability_page', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('accountability_page')
