"""drop report_hours: the median time to compensation is read live by its one definition

The table held three-hour buckets of hours to compensation, from which the inspectorate's
overview approximated a median that disagreed with the office's own dashboard. The median is
now read from the complaints themselves everywhere, and nothing reads or fills the table.

Revision ID: d4f1a9c3e2b7
Revises: d3a9f1c4e7b2
Create Date: 2026-12-03 06:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4f1a9c3e2b7'
down_revision = 'd3a9f1c4e7b2'
branch_labels = None
depends_on = None

# The row policies as they stood when the table was dropped (frozen: migrations import no app code).
_OWN = "tenant_id = (SELECT NULLIF(current_setting('tanggap.tenant_id', true), '')::integer)"


def upgrade():
    op.drop_table('report_hours')  # its row policies go with it


def downgrade():
    op.create_table('report_hours',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('bucket', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_report_hours_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'month', 'bucket', name=op.f('pk_report_hours'))
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in (
        'ALTER TABLE "report_hours" ENABLE ROW LEVEL SECURITY',
        'ALTER TABLE "report_hours" FORCE ROW LEVEL SECURITY',
        f'CREATE POLICY tenant_wall ON "report_hours" USING ({_OWN}) WITH CHECK ({_OWN})',
        'CREATE POLICY cross_office ON "report_hours" TO tanggap_cross USING (true) WITH CHECK (true)',
    ):
        op.execute(statement)
