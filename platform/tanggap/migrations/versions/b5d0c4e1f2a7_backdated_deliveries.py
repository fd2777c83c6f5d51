"""backdated deliveries

Revision ID: b5d0c4e1f2a7
Revises: 16e616fa23b7
Create Date: 2026-12-02 00:10:00.000000

"""
from datetime import datetime, timedelta

from alembic import op
import sqlalchemy as sa

# The setting the row policies of this point in the chain (16e616fa23b7) honour to read
# every office's rows; written here, as a migration never follows the app's later code.
ALL_SETTING = "tanggap.all_tenants"


# revision identifiers, used by Alembic.
revision = 'b5d0c4e1f2a7'
down_revision = '16e616fa23b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('package_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('backdated', sa.Boolean(), server_default=sa.false(), nullable=False))
    _judge_past_deliveries()


#: decisions.RECORDING_ALLOWANCE when this revision was written; a migration keeps its own copy.
ALLOWANCE = timedelta(hours=24)


def _judge_past_deliveries():
    """Deliveries recorded before this revision are judged as new ones are: a stated time more
    than the allowance before the recording is marked backdated, and a compensated complaint
    with such an item counts as compensated when its last item counts from."""
    moment = sa.DateTime(timezone=True)
    item = sa.table('package_item', sa.column('id'), sa.column('complaint_id'), sa.column('delivered_at', moment),
                    sa.column('recorded_at', moment), sa.column('backdated', sa.Boolean()))
    complaint = sa.table('complaint', sa.column('id'), sa.column('compensated_at', moment),
                         sa.column('updated_at', moment))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # every office's rows, behind the wall, for this transaction only
        bind.execute(sa.text("SELECT set_config(:name, 'on', true)"), {"name": ALL_SETTING})
    rows = bind.execute(sa.select(item.c.id, item.c.complaint_id, item.c.delivered_at, item.c.recorded_at)
                        .where(item.c.recorded_at.is_not(None), item.c.delivered_at.is_not(None))).all()
    backdated = {row.id for row in rows if row.delivered_at < row.recorded_at - ALLOWANCE}
    if not backdated:
        return
    bind.execute(sa.update(item).where(item.c.id.in_(backdated)).values(backdated=True))
    counted: dict[int, datetime] = {}
    for row in rows:
        counts_from = row.recorded_at if row.id in backdated else row.delivered_at
        counted[row.complaint_id] = max(counted.get(row.complaint_id, counts_from), counts_from)
    affected = {row.complaint_id for row in rows if row.id in backdated}
    for complaint_id in affected:
        bind.execute(sa.update(complaint).where(complaint.c.id == complaint_id,
                                                complaint.c.compensated_at.is_not(None))
                     .values(compensated_at=counted[complaint_id], updated_at=sa.func.current_timestamp()))


def downgrade():
    with op.batch_alter_table('package_item', schema=None) as batch_op:
        batch_op.drop_column('backdated')
