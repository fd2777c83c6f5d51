"""Many rows of one table in one statement (``database.insert_rows``), on either database: each
row's Python-side defaults filled in, rows a unique index already holds skipped, the written
rows' columns given back, and the statement as wide on PostgreSQL whatever the number of rows."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import event, select

from tanggap.database import insert_rows
from tanggap.extensions import db
from tanggap.notifications.models import Channel, OutboxMessage
from tanggap.tenancy.context import bound_to
from tanggap.tenancy.models import Tenant
from tests.conftest import ON_POSTGRES


def _owed(tenant_id: int, *numbers: int) -> list[dict[str, object]]:
    return [{"tenant_id": tenant_id, "key": f"bulk:{number}", "channel": Channel.EMAIL,
             "recipient": f"warga{number}@example.org", "subject": "Tenggat", "body": f"Pesan {number}"}
            for number in numbers]


def test_rows_are_written_with_their_defaults_and_a_conflict_is_skipped(metro, ctx, travel):
    moment = datetime(2027, 3, 1, 2, 30, tzinfo=timezone.utc)
    travel(moment)
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            written = insert_rows(OutboxMessage, _owed(tenant.id, 1, 2), returning=(OutboxMessage.key,))
            assert written is not None and sorted(written.scalars()) == ["bulk:1", "bulk:2"]
            again = insert_rows(OutboxMessage, _owed(tenant.id, 2, 3), returning=(OutboxMessage.key,),
                                unless_conflict_on=("key",))
            assert again is not None and list(again.scalars()) == ["bulk:3"]  # bulk:2 was there
            rows = db.session.execute(select(OutboxMessage).where(OutboxMessage.key.like("bulk:%"))
                                      .order_by(OutboxMessage.key)).scalars().all()
            assert [(row.key, row.recipient, row.channel) for row in rows] == [
                (f"bulk:{n}", f"warga{n}@example.org", Channel.EMAIL) for n in (1, 2, 3)]
            assert {(row.attempts, row.sent_at, row.html) for row in rows} == {(0, None, None)}
            assert rows[0].created_at == rows[1].created_at  # one batch, one moment
            assert all(moment <= row.created_at < moment + timedelta(minutes=1) for row in rows)
            assert insert_rows(OutboxMessage, []) is None


def test_a_batch_is_one_statement_of_one_parameter_a_column_on_postgresql(metro, ctx):
    sent: list[tuple[str, object]] = []

    def seen(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        engine = db.session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            with bound_to(tenant):
                insert_rows(OutboxMessage, _owed(tenant.id, *range(1, 201)))
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        inserts = [(statement, parameters) for statement, parameters in sent if statement.startswith("INSERT")]
        assert len(inserts) == 1
        if ON_POSTGRES:  # the six given columns and the defaults (created_at, attempts), as arrays
            statement, parameters = inserts[0]
            assert "unnest(" in statement and len(parameters) == 8
        with bound_to(tenant):
            assert len(db.session.execute(select(OutboxMessage.id).where(OutboxMessage.key.like("bulk:%"))).all()) == 200
