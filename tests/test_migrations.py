"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tanggap.extensions import db


def _built_on(dialect: str):
    """Alembic's filter leaving out what the models build on another database only
    (``Index(...).ddl_if(dialect="postgresql")``: the search's indexes), which alembic would
    otherwise report missing on SQLite."""
    def include(item, name, kind, reflected, compare_to) -> bool:
        condition = getattr(item, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect)
    return include


def test_models_and_migrations_agree(ctx):
    with ctx(), warnings.catch_warnings():
        connection = db.session.connection()
        if connection.dialect.name != "postgresql":
            # Alembic says it skips the stems' index before asking the filter, which leaves it
            # out on this database anyway (it is built on PostgreSQL only).
            warnings.filterwarnings("ignore", message="autogenerate skipping metadata-specified expression-based "
                                    "index 'ix_complaint_search_words'", category=UserWarning)
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": _built_on(connection.dialect.name)})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
