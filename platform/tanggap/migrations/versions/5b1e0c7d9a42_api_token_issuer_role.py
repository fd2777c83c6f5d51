"""api tokens remember their issuer's role

Revision ID: 5b1e0c7d9a42
Revises: b5d0c4e1f2a7
Create Date: 2026-12-02 00:10:00

A token works only while its issuer keeps the role they issued it in. Tokens issued
before this are given their issuer's role of today (none when the issuer has left,
which ends them); what a role may issue is checked at every use anyway.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d9a42'
down_revision = 'b5d0c4e1f2a7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer_role', sa.String(length=20), nullable=True))
    op.execute(
        "UPDATE api_token SET issuer_role = (SELECT membership.role FROM membership "
        "WHERE membership.user_id = api_token.created_by_id AND membership.tenant_id = api_token.tenant_id)"
    )


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('issuer_role')
