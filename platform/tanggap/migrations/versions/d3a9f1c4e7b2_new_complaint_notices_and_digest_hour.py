"""new-complaint notices, and each office's hour for their daily e-mail

Leaders (and whoever the office chooses) are told of each new complaint: on their bell at
once and in a daily e-mail at the hour the office sets. ``new_complaint_notice`` records
who was told of which complaint, once, and whether the e-mail has gone. The table gets the
tenant wall like every tenant-owned table (the policies are written out here, frozen).

Revision ID: d3a9f1c4e7b2
Revises: d3e9a6b2c4f8
Create Date: 2026-12-03 06:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd3a9f1c4e7b2'
down_revision = 'd3e9a6b2c4f8'
branch_labels = None
depends_on = None

TABLE = "new_complaint_notice"
_OWN = "tenant_id = (SELECT NULLIF(current_setting('tanggap.tenant_id', true), '')::integer)"


def upgrade():
    with op.batch_alter_table('alert_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_hour', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('new_complaints_to', sa.JSON(), nullable=False, server_default='[]'))
    # Offices that saved their settings before keep the default hour.
    op.execute("UPDATE alert_settings SET digest_hour = 7")
    with op.batch_alter_table('alert_settings', schema=None) as batch_op:
        batch_op.alter_column('new_complaints_to', server_default=None)

    op.create_table(TABLE,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('rung_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_new_complaint_notice_complaint_id_complaint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_new_complaint_notice_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_new_complaint_notice_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_new_complaint_notice')),
    sa.UniqueConstraint('complaint_id', 'user_id', name=op.f('uq_new_complaint_notice_complaint_id_user_id'))
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_new_complaint_notice_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_new_complaint_notice_unmailed', ['tenant_id', 'user_id'], unique=False,
                              postgresql_where=sa.text('mailed_at IS NULL'), sqlite_where=sa.text('mailed_at IS NULL'))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'ALTER TABLE "{TABLE}" ENABLE ROW LEVEL SECURITY')
        op.execute(f'ALTER TABLE "{TABLE}" FORCE ROW LEVEL SECURITY')
        op.execute(f'CREATE POLICY tenant_wall ON "{TABLE}" USING ({_OWN}) WITH CHECK ({_OWN})')
        op.execute(f'CREATE POLICY cross_office ON "{TABLE}" TO tanggap_cross USING (true) WITH CHECK (true)')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'DROP POLICY IF EXISTS cross_office ON "{TABLE}"')
        op.execute(f'DROP POLICY IF EXISTS tenant_wall ON "{TABLE}"')
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index('ix_new_complaint_notice_unmailed', sqlite_where=sa.text('mailed_at IS NULL'),
                            postgresql_where=sa.text('mailed_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_new_complaint_notice_tenant_id'))
    op.drop_table(TABLE)
    with op.batch_alter_table('alert_settings', schema=None) as batch_op:
        batch_op.drop_column('new_complaints_to')
        batch_op.drop_column('digest_hour')
