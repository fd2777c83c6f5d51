"""PostgreSQL row-level security: the second wall behind the ORM's scoping (DESIGN.md, "Tenancy").

Every tenant-owned table carries a policy that lets a transaction see and write only the
rows of the tenant it declared. Before each statement the app declares, transaction-local
(``set_config(..., true)``), the tenant bound at that moment, or that it is reading across
offices: no tenant bound (jobs, the console, the inspectorate) or a statement marked
``cross_tenant``. The declaration is sent only when it changes, so a request pays one
round trip for it. With ``FORCE ROW LEVEL SECURITY`` the policies hold for the tables'
owner too; only a superuser or a role with BYPASSRLS passes them, so the app should
connect as a role that is neither (``flask rls grant <role>`` gives such a role its
rights). Whatever the ORM forgets (a raw SQL statement, a missing filter), the database
still refuses another tenant's rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool

from .context import current_tenant_id
from .scoping import CROSS_TENANT

TENANT_SETTING = "tanggap.tenant_id"
ALL_SETTING = "tanggap.all_tenants"

#: Tables whose every row belongs to one tenant: the scoped models' tables and the ticket
#: counters. (The audit log has its own policy below: entries are written for a chain,
#: read only by their tenant.)
TABLES = (
    "alert_settings", "api_token", "assessment", "attachment", "channel_settings", "coaching_plan",
    "compensation_type", "complaint", "complaint_event", "deadline_alert", "deadline_policy", "decree",
    "export", "matrix_cell", "officer", "outbox_message", "package_item", "report_day", "report_hours",
    "sanction", "sanction_ladder", "sanction_type", "service_unit", "souvenir_tier", "staff_notification",
    "standard_component", "ticket_counter",
)

# Each setting is read in a scalar subquery, so PostgreSQL reads it once per statement (an
# InitPlan) rather than once per row, and can use the tenant as an index condition: with
# 20,000 rows an office, reading the setting per row made a count five times slower.
_ALL = f"(SELECT current_setting('{ALL_SETTING}', true) = 'on')"
_OWN = f"tenant_id = (SELECT NULLIF(current_setting('{TENANT_SETTING}', true), '')::integer)"
POLICY = "tenant_wall"
#: Statements that read no table: transaction control must pass even in a failed transaction.
_CONTROL = ("ROLLBACK", "RELEASE", "SAVEPOINT", "BEGIN", "COMMIT", "SET ", "SHOW ")


def enable_statements(table: str, *, check: str | None = None) -> list[str]:
    """The DDL that puts ``table`` behind the wall (for migrations)."""
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'CREATE POLICY {POLICY} ON "{table}" USING ({_ALL} OR {_OWN}) WITH CHECK ({check or f"{_ALL} OR {_OWN}"})',
    ]


def disable_statements(table: str) -> list[str]:
    return [f'DROP POLICY IF EXISTS {POLICY} ON "{table}"', f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
            f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY']


def audit_statements() -> list[str]:
    """The audit log: any transaction may append (``record`` writes a chain's entry in the
    transaction of its change), only the chain's tenant reads."""
    return enable_statements("audit_log", check="true")


def _declaration(context: Any) -> tuple[str, str]:
    tenant_id = current_tenant_id()
    crossing = tenant_id is None or bool(context is not None and context.execution_options.get(CROSS_TENANT))
    return ("" if tenant_id is None else str(tenant_id)), ("on" if crossing else "off")


@event.listens_for(Engine, "before_cursor_execute")
def _declare_tenant(conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any,
                    executemany: bool) -> None:
    if conn.dialect.name != "postgresql" or statement.lstrip()[:9].upper().startswith(_CONTROL):
        return
    wanted = _declaration(context)
    if conn.info.get(POLICY) == wanted:
        return
    cursor.execute("SELECT set_config(%s, %s, true), set_config(%s, %s, true)",
                   (TENANT_SETTING, wanted[0], ALL_SETTING, wanted[1]))
    conn.info[POLICY] = wanted


def _forget(conn: Connection, *args: Any) -> None:
    """A transaction (or savepoint) that ends takes its settings with it."""
    conn.info.pop(POLICY, None)


def _forget_checked_in(dbapi_connection: Any, connection_record: Any) -> None:
    connection_record.info.pop(POLICY, None)


def _forget_reset(dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:
    connection_record.info.pop(POLICY, None)


for _name in ("begin", "commit", "rollback", "rollback_savepoint", "begin_twophase"):
    event.listen(Engine, _name, _forget)
event.listen(Pool, "checkin", _forget_checked_in)
event.listen(Pool, "reset", _forget_reset)


def grant_statements(role: str) -> list[str]:
    """What the app's own role needs: rows, not tables (run as the tables' owner)."""
    return [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{role}"',
    ]
