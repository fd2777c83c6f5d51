"""letters: settings, issued letters and their counters

An office's letters on its letterhead (issue 20): how it numbers and signs them and what
each kind says, the letters it issued (each kept as a package item's delivery evidence), and
the per-office, per-year counter that keeps their numbers gapless. All three behind the same
row policies as every other office-owned table.

Revision ID: a4c7e1f95b20
Revises: f3b6a2d8c1e4
Create Date: 2026-12-03 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c7e1f95b20'
down_revision = 'f3b6a2d8c1e4'
branch_labels = None
depends_on = None

# The row policies as tanggap.tenancy.row_security writes them at this point in the chain,
# copied: a migration never follows the app's later code.
_OWN = "tenant_id = (SELECT NULLIF(current_setting('tanggap.tenant_id', true), '')::integer)"
_TABLES = ("letter_settings", "letter", "letter_counter")


def upgrade():
    op.create_table('letter_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number_pattern', sa.String(length=120), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('signer_position', sa.String(length=200), nullable=False),
    sa.Column('signer_rank', sa.String(length=120), nullable=False),
    sa.Column('signer_nip', sa.String(length=40), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_letter_settings_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_letter_settings_tenant_id'))
    )
    with op.batch_alter_table('letter_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_settings_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('package_item_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('apology', 'clarification', 'receipt', name='letterkind', native_enum=False, length=20), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=160), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_letter_complaint_id_complaint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['delivery_evidence.id'], name=op.f('fk_letter_evidence_id_delivery_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_letter_issued_by_id_user')),
    sa.ForeignKeyConstraint(['package_item_id'], ['package_item.id'], name=op.f('fk_letter_package_item_id_package_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_letter_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('package_item_id', 'locale', name=op.f('uq_letter_package_item_id_locale')),
    sa.UniqueConstraint('tenant_id', 'year', 'seq', name=op.f('uq_letter_tenant_id_year_seq'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_package_item_id'), ['package_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('letter_counter',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_letter_counter_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'year', name=op.f('pk_letter_counter'))
    )

    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
            op.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
            op.execute(f'CREATE POLICY tenant_wall ON "{table}" USING ({_OWN}) WITH CHECK ({_OWN})')
            op.execute(f'CREATE POLICY cross_office ON "{table}" TO tanggap_cross USING (true) WITH CHECK (true)')


def downgrade():
    op.drop_table('letter_counter')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_letter_package_item_id'))
        batch_op.drop_index(batch_op.f('ix_letter_complaint_id'))
    op.drop_table('letter')
    with op.batch_alter_table('letter_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_settings_tenant_id'))
    op.drop_table('letter_settings')
