"""PostgreSQL row-level security: the second wall behind the ORM's scoping (DESIGN.md, "Tenancy").

Every tenant-owned table carries a policy that lets a transaction see and write only the
rows of the office it declared. Before each statement the app declares, transaction-local
(``set_config(..., true)``), the office bound at that moment; with none bound it declares
none and the policy admits nothing. The declaration is sent only when it changes, so a
request pays one round trip for it. With ``FORCE ROW LEVEL SECURITY`` the policies hold
for the tables' owner too; only a superuser or a role with BYPASSRLS passes them.

Reading across offices is a property of the database role, never of a setting: a second
policy admits every row to members of ``CROSS_ROLE``, and only the few units of work that
read across offices (jobs, commands, the console, the inspectorate) send their statements
through a connection of such a role (``database.RoutingSession``). The role that serves
an office's pages has no setting it could change to see another office's rows while it
declares its own, and sees nothing while it declares none. ``flask rls grant`` gives both
roles their rights.

The declaration is made by listeners on this application's engines, attached by ``init_app``
(not on every engine of the process when this module is imported).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import ColumnElement, ColumnExpressionArgument, Text, cast, event, func
from sqlalchemy.engine import Connection, Engine

from .context import current_tenant_id

TENANT_SETTING = "tanggap.tenant_id"
#: The group role whose members read and write every office's rows (created by the migration;
#: ``flask rls grant --cross`` makes the cross-office login role a member).
CROSS_ROLE = "tanggap_cross"

#: Tables whose every row belongs to one tenant: the scoped models' tables and the ticket
#: counters. (The audit log has its own policy below: entries are written for a chain,
#: read only by their tenant.)
TABLES = (
    "alert_settings", "api_token", "assessment", "attachment", "channel_settings", "coaching_plan",
    "compensation_type", "complaint", "complaint_event", "deadline_alert", "deadline_policy", "decree",
    "delivery_evidence", "export", "letter", "letter_counter", "letter_settings", "matrix_cell", "new_complaint_notice", "officer", "outbox_message", "package_item",
    "report_day", "sanction", "sanction_ladder", "sanction_type", "service_unit", "souvenir_tier",
    "staff_notification",
    "standard_component", "ticket_counter",
)

# The setting is read in a scalar subquery, so PostgreSQL reads it once per statement (an
# InitPlan) rather than once per row, and can use the tenant as an index condition: with
# 20,000 rows an office, reading the setting per row made a count five times slower.
_OWN = f"tenant_id = (SELECT NULLIF(current_setting('{TENANT_SETTING}', true), '')::integer)"
POLICY = "tenant_wall"
CROSS_POLICY = "cross_office"
#: Statements that read no table: transaction control must pass even in a failed transaction.
_CONTROL = ("ROLLBACK", "RELEASE", "SAVEPOINT", "BEGIN", "COMMIT", "SET ", "SHOW ")


def enable_statements(table: str, *, check: str | None = None) -> list[str]:
    """The DDL that puts ``table`` behind the wall (for migrations)."""
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        *policy_statements(table, check=check),
    ]


def policy_statements(table: str, *, check: str | None = None, using: str | None = None) -> list[str]:
    """The two policies: every role sees the declared office's rows; the cross role sees all."""
    return [
        f'CREATE POLICY {POLICY} ON "{table}" USING ({using or _OWN}) WITH CHECK ({check or _OWN})',
        f'CREATE POLICY {CROSS_POLICY} ON "{table}" TO {CROSS_ROLE} USING (true) WITH CHECK (true)',
    ]


def cross_role_statement() -> str:
    """Create the cross-office group role if the cluster has none yet (roles are cluster-wide)."""
    return (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{CROSS_ROLE}') THEN "
            f"CREATE ROLE {CROSS_ROLE} NOLOGIN; END IF; END $$")


def disable_statements(table: str) -> list[str]:
    return [f'DROP POLICY IF EXISTS {POLICY} ON "{table}"', f'DROP POLICY IF EXISTS {CROSS_POLICY} ON "{table}"',
            f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
            f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY']


#: The audit log's policy: an office's chain is read only by that office; the platform's own
#: chain (sign-ins, resets: no office's data) by anyone, as a sign-in outside any office
#: appends to it and must read its head.
AUDIT_USING = f"tenant_id IS NULL OR {_OWN}"


def audit_policy_statements() -> list[str]:
    """Any transaction may append (``record`` writes a chain's entry in the transaction of its
    change); an office's entries are read only by that office and the cross role."""
    return policy_statements("audit_log", check="true", using=AUDIT_USING)


def _declaration() -> str:
    tenant_id = current_tenant_id()
    return "" if tenant_id is None else str(tenant_id)


def _declare_tenant(conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any,
                    executemany: bool) -> None:
    if conn.dialect.name != "postgresql" or statement.lstrip()[:9].upper().startswith(_CONTROL):
        return
    wanted = _declaration()
    if conn.info.get(POLICY) == wanted:
        return
    # On a cursor of the connection's own, not the statement's: a streamed read's cursor is a
    # server-side one, which would only DECLARE the declaration and never run it.
    cursor.connection.execute("SELECT set_config(%s, %s, true)", (TENANT_SETTING, wanted))
    conn.info[POLICY] = wanted


def declaring(tenant_id: ColumnExpressionArgument[int]) -> ColumnElement[str]:
    """A column that declares the selected row's office, to select along with the office it
    reads; ``declared`` must then be told, as no listener sees what a statement returned."""
    return func.set_config(TENANT_SETTING, cast(tenant_id, Text), True)


def declared(conn: Connection, tenant_id: int) -> None:
    """The statement just run on ``conn`` declared ``tenant_id`` (``declaring``): the next
    statement needs no declaration of its own while that office is the one bound, and one
    run with another bound (or none) declares that instead, as always."""
    conn.info[POLICY] = str(tenant_id)


def _forget(conn: Connection, *args: Any) -> None:
    """A transaction (or savepoint) that ends takes its settings with it; what is in force
    after a savepoint is rolled back is not known here, so the next statement declares again."""
    conn.info.pop(POLICY, None)


def _begun(conn: Connection, *args: Any) -> None:
    """A new transaction starts with no office declared: the declaration is only ever made
    transaction-local, so nothing of an earlier transaction is left. A statement with no office
    bound then needs no declaration of its own (the tenant look-up that starts each request)."""
    conn.info[POLICY] = ""


def _forget_checked_in(dbapi_connection: Any, connection_record: Any) -> None:
    connection_record.info.pop(POLICY, None)


def _forget_reset(dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:
    connection_record.info.pop(POLICY, None)


#: What each engine of the app listens to: its connections' statements and transactions, its pool.
_LISTENERS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("before_cursor_execute", _declare_tenant),
    *((name, _forget) for name in ("commit", "rollback", "rollback_savepoint", "begin_twophase")),
    ("begin", _begun),
    ("checkin", _forget_checked_in),
    ("reset", _forget_reset),
)


def attach(engine: Engine) -> None:
    """Declare the bound office on ``engine``'s PostgreSQL transactions (a no-op on SQLite);
    idempotent, so attaching an engine twice declares once."""
    for name, listener in _LISTENERS:
        if not event.contains(engine, name, listener):
            event.listen(engine, name, listener)


def init_app(app: Flask) -> None:
    """Attach to every engine of this application: the app role's and the cross role's."""
    from ..extensions import db

    with app.app_context():
        for engine in db.engines.values():
            attach(engine)


def grant_statements(role: str, *, cross: bool = False) -> list[str]:
    """What the app's own role needs: rows, not tables (run as the tables' owner).

    With ``cross`` the role also joins ``CROSS_ROLE``, whose policies admit every office's
    rows: give it only to the cross-office login role, never to the one serving office pages.
    """
    return [
        *([f'GRANT {CROSS_ROLE} TO "{role}"'] if cross else []),
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{role}"',
    ]
