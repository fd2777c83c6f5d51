"""Many rows of one table in one statement (``database.insert_rows``, ``update_rows``), on either
database: each row's Python-side defaults filled in, rows a unique index already holds skipped,
the written rows' columns given back, each value converted as its column's type says, and on
PostgreSQL one statement of one parameter whatever the number of rows, compiled once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select
from sqlalchemy.engine.default import CacheStats
from sqlalchemy.exc import StatementError

from tanggap.database import insert_rows, update_rows
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


def test_a_batch_is_one_statement_of_one_parameter_compiled_once_on_postgresql(metro, ctx):
    sent: list[tuple[str, object, object]] = []

    def seen(_conn, _cursor, statement, parameters, context, _many) -> None:
        sent.append((statement, parameters, context.cache_hit))

    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        engine = db.session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            with bound_to(tenant):
                insert_rows(OutboxMessage, _owed(tenant.id, *range(1, 201)))
                insert_rows(OutboxMessage, _owed(tenant.id, *range(201, 251)))
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        inserts = [found for found in sent if found[0].startswith("INSERT")]
        assert len(inserts) == 2
        if ON_POSTGRES:  # every row in one document, and the second batch's statement the first's, kept compiled
            (first, parameters, _), (second, _, hit) = inserts
            assert "json_to_recordset(" in first and len(parameters) == 1 and second == first
            assert hit == CacheStats.CACHE_HIT
        with bound_to(tenant):
            assert len(db.session.execute(select(OutboxMessage.id).where(OutboxMessage.key.like("bulk:%"))).all()) == 250


def test_values_reach_their_columns_as_their_types_convert_them(metro, ctx):
    """A time in another zone is kept as the same moment, an enum as its stored text, a text
    with quotes, backslashes and braces as it is; a naive time is refused, as by the ORM."""
    wit = timezone(timedelta(hours=9))
    awkward = 'Tenggat "2x24" {jam} \\ selesai, \n baris baru; ünïcödé ✓'
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            insert_rows(OutboxMessage, [{**_owed(tenant.id, 1)[0], "body": awkward, "html": None,
                                         "created_at": datetime(2027, 3, 1, 9, 30, tzinfo=wit),
                                         "channel": Channel.WEBHOOK}])
            row = db.session.execute(select(OutboxMessage).where(OutboxMessage.key == "bulk:1")).scalar_one()
            assert (row.body, row.html, row.channel) == (awkward, None, Channel.WEBHOOK)
            assert row.created_at == datetime(2027, 3, 1, 0, 30, tzinfo=timezone.utc)
            with pytest.raises((ValueError, StatementError), match="naive datetime"):
                insert_rows(OutboxMessage, [{**_owed(tenant.id, 2)[0], "created_at": datetime(2027, 3, 1, 9, 30)}])


def test_many_rows_are_changed_by_their_ids_in_one_statement(metro, ctx):
    """``database.update_rows``: each row's own values, a cleared value, the rows not named
    left alone; on PostgreSQL one statement whatever the number of rows."""
    sent: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    moment = datetime(2027, 3, 1, 2, 30, tzinfo=timezone.utc)
    with ctx():
        tenant = db.session.get(Tenant, metro.tenant.id)
        with bound_to(tenant):
            insert_rows(OutboxMessage, _owed(tenant.id, *range(1, 6)))
            rows = db.session.execute(select(OutboxMessage.id, OutboxMessage.key)
                                      .where(OutboxMessage.key.like("bulk:%")).order_by(OutboxMessage.key)).all()
            changed = [{"id": row.id, "attempts": number, "sent_at": moment + timedelta(minutes=number) if number % 2
                        else None, "last_error": f'kata "{number}"'} for number, row in enumerate(rows[:4], start=1)]
            engine = db.session.get_bind()
            event.listen(engine, "before_cursor_execute", seen)
            try:
                update_rows(OutboxMessage, changed)
            finally:
                event.remove(engine, "before_cursor_execute", seen)
            found = db.session.execute(select(OutboxMessage.key, OutboxMessage.attempts, OutboxMessage.sent_at,
                                              OutboxMessage.last_error).where(OutboxMessage.key.like("bulk:%"))
                                       .order_by(OutboxMessage.key).execution_options(populate_existing=True)).all()
    assert [tuple(row) for row in found] == [
        ("bulk:1", 1, moment + timedelta(minutes=1), 'kata "1"'), ("bulk:2", 2, None, 'kata "2"'),
        ("bulk:3", 3, moment + timedelta(minutes=3), 'kata "3"'), ("bulk:4", 4, None, 'kata "4"'),
        ("bulk:5", 0, None, None)]
    updates = [statement for statement in sent if statement.startswith("UPDATE")]
    assert len(updates) == 1  # on SQLite, one statement sent with many parameter sets
    if ON_POSTGRES:
        assert "json_to_recordset(" in updates[0]
