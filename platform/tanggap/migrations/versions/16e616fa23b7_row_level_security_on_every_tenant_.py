"""row-level security on every tenant-owned table (PostgreSQL only)

The policies are the second wall behind the ORM's tenant scoping; tanggap.tenancy.row_security
declares the tenant before each statement. The table list is frozen here as it is today:
a later table gets its policy in its own migration (a test checks every tenant-owned table
has one).

Revision ID: 16e616fa23b7
Revises: cf140d9dbe48
Create Date: 2026-11-23 06:48:48.398252

"""
from alembic import op

from tanggap.tenancy.row_security import disable_statements


# revision identifiers, used by Alembic.
revision = '16e616fa23b7'
down_revision = 'cf140d9dbe48'
branch_labels = None
depends_on = None


TABLES = (
    "alert_settings",
    "api_token",
    "assessment",
    "attachment",
    "channel_settings",
    "coaching_plan",
    "compensation_type",
    "complaint",
    "complaint_event",
    "deadline_alert",
    "deadline_policy",
    "decree",
    "export",
    "matrix_cell",
    "officer",
    "outbox_message",
    "package_item",
    "report_day",
    "report_hours",
    "sanction",
    "sanction_ladder",
    "sanction_type",
    "service_unit",
    "souvenir_tier",
    "staff_notification",
    "standard_component",
    "ticket_counter",
)


# The policy as it was first written, frozen here: a later migration (cross-office role)
# replaces it with one that no setting the app role can change widens.
_ALL = "(SELECT current_setting('tanggap.all_tenants', true) = 'on')"
_OWN = "tenant_id = (SELECT NULLIF(current_setting('tanggap.tenant_id', true), '')::integer)"


def enable_statements(table, *, check=None):
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'CREATE POLICY tenant_wall ON "{table}" USING ({_ALL} OR {_OWN}) WITH CHECK ({check or f"{_ALL} OR {_OWN}"})',
    ]


def audit_statements():
    return enable_statements("audit_log", check="true")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        for statement in enable_statements(table):
            op.execute(statement)
    for statement in audit_statements():
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in (*TABLES, "audit_log"):
        for statement in disable_statements(table):
            op.execute(statement)
