"""citizens told by WhatsApp or SMS through the office's messaging gateway

Each office may name a messaging gateway (its address, the adapter that speaks to it, a
signing secret of its own and, for a provider's form API, the provider's token). A
complaint records how the citizen chose to be told (e-mail, WhatsApp/SMS, or both); the
complaints filed before were told by e-mail when they gave one, and otherwise can now be
told on their phone. An outbox message keeps what the gateway reported back about it
(delivered or failed, and when). No new table: the tables changed already have their
tenant wall.

Revision ID: f3b6a2d8c1e4
Revises: f3b8d2c6a915
Create Date: 2026-12-03 12:20:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f3b6a2d8c1e4'
down_revision = 'f3b8d2c6a915'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('channel_settings', sa.Column('gateway_enabled', sa.Boolean(), nullable=False,
                                                server_default=sa.false()))
    op.add_column('channel_settings', sa.Column('gateway_kind', sa.String(length=20), nullable=False,
                                                server_default='signed'))
    op.add_column('channel_settings', sa.Column('gateway_url', sa.String(length=500), nullable=True))
    op.add_column('channel_settings', sa.Column('gateway_secret', sa.String(length=64), nullable=False,
                                                server_default=''))
    op.add_column('channel_settings', sa.Column('gateway_token', sa.String(length=200), nullable=True))
    # Each office's gateway secret is its own, like its webhook secret.
    settings = sa.table('channel_settings', sa.column('id', sa.Integer), sa.column('gateway_secret', sa.String))
    bind = op.get_bind()
    for (row_id,) in bind.execute(sa.select(settings.c.id)).all():
        bind.execute(settings.update().where(settings.c.id == row_id)
                     .values(gateway_secret=secrets.token_urlsafe(32)))

    op.add_column('complaint', sa.Column('notify_by', sa.String(length=20), nullable=False,
                                         server_default='email'))
    op.execute("UPDATE complaint SET notify_by = 'phone' WHERE email IS NULL")

    op.add_column('outbox_message', sa.Column('receipt', sa.String(length=20), nullable=True))
    op.add_column('outbox_message', sa.Column('receipt_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('outbox_message', sa.Column('receipt_detail', sa.String(length=500), nullable=True))


def downgrade():
    for table, column in (('outbox_message', 'receipt_detail'), ('outbox_message', 'receipt_at'),
                          ('outbox_message', 'receipt'), ('complaint', 'notify_by'),
                          ('channel_settings', 'gateway_token'), ('channel_settings', 'gateway_secret'),
                          ('channel_settings', 'gateway_url'), ('channel_settings', 'gateway_kind'),
                          ('channel_settings', 'gateway_enabled')):
        op.drop_column(table, column)
