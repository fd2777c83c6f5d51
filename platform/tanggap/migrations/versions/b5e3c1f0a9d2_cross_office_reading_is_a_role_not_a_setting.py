"""cross-office reading is a database role, not a setting (PostgreSQL only)

The first policies let any transaction read every office by setting
``tanggap.all_tenants``, which the app's own role could do from any connection. Now each
tenant-owned table (and the audit log) has two policies: the declared office's rows for
every role, and every row for members of the ``tanggap_cross`` group role, which only the
cross-office login role joins (``flask rls grant --cross``). The audit log's platform chain
(no office) stays readable to all: sign-ins outside any office append to it.

Revision ID: b5e3c1f0a9d2
Revises: 5b1e0c7d9a42
Create Date: 2026-12-02 00:20:00.000000

"""
from alembic import op

from tanggap.tenancy.row_security import (
    CROSS_POLICY, POLICY, audit_policy_statements, cross_role_statement, policy_statements,
)


# revision identifiers, used by Alembic.
revision = 'b5e3c1f0a9d2'
down_revision = '5b1e0c7d9a42'
branch_labels = None
depends_on = None


TABLES = (
    "alert_settings", "api_token", "assessment", "attachment", "channel_settings", "coaching_plan",
    "compensation_type", "complaint", "complaint_event", "deadline_alert", "deadline_policy", "decree",
    "export", "matrix_cell", "officer", "outbox_message", "package_item", "report_day", "report_hours",
    "sanction", "sanction_ladder", "sanction_type", "service_unit", "souvenir_tier", "staff_notification",
    "standard_component", "ticket_counter",
)
_ALL = "(SELECT current_setting('tanggap.all_tenants', true) = 'on')"
_OWN = "tenant_id = (SELECT NULLIF(current_setting('tanggap.tenant_id', true), '')::integer)"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(cross_role_statement())
    for table in (*TABLES, "audit_log"):
        op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        for statement in audit_policy_statements() if table == "audit_log" else policy_statements(table):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in (*TABLES, "audit_log"):
        op.execute(f'DROP POLICY IF EXISTS {CROSS_POLICY} ON "{table}"')
        op.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        check = "true" if table == "audit_log" else f"{_ALL} OR {_OWN}"
        op.execute(f'CREATE POLICY {POLICY} ON "{table}" USING ({_ALL} OR {_OWN}) WITH CHECK ({check})')
