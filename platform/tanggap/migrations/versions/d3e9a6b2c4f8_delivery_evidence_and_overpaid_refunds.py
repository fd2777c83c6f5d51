"""delivery evidence and overpaid refunds

Each delivered item may carry files that show it was delivered (the handover's photo, the
signed receipt, the transfer slip), kept as citizens' files are and behind the same row
policies as every other office-owned table; a refund paid over what was owed keeps the
officer's reason for it.

Revision ID: d3e9a6b2c4f8
Revises: c7d4e2a8b1f6
Create Date: 2026-12-03 05:58:50.227726

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3e9a6b2c4f8'
down_revision = 'c7d4e2a8b1f6'
branch_labels = None
depends_on = None

# The row policies as tanggap.tenancy.row_security writes them at this point in the chain,
# copied: a migration never follows the app's later code.
_OWN = "tenant_id = (SELECT NULLIF(current_setting('tanggap.tenant_id', true), '')::integer)"
_TABLE = "delivery_evidence"


def upgrade():
    op.create_table('delivery_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_item_id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_delivery_evidence_complaint_id_complaint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_item_id'], ['package_item.id'], name=op.f('fk_delivery_evidence_package_item_id_package_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_delivery_evidence_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_delivery_evidence_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_evidence')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_delivery_evidence_storage_key'))
    )
    with op.batch_alter_table('delivery_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_evidence_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_evidence_package_item_id'), ['package_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_evidence_tenant_id'), ['tenant_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'ALTER TABLE "{_TABLE}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{_TABLE}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY tenant_wall ON "{_TABLE}" USING ({_OWN}) WITH CHECK ({_OWN})')
        op.execute(f'CREATE POLICY cross_office ON "{_TABLE}" TO tanggap_cross USING (true) WITH CHECK (true)')

    with op.batch_alter_table('package_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overpay_reason', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('package_item', schema=None) as batch_op:
        batch_op.drop_column('overpay_reason')

    with op.batch_alter_table('delivery_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_evidence_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_evidence_package_item_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_evidence_complaint_id'))

    op.drop_table('delivery_evidence')
